from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from lms.i18n import TranslatedField, translated_panels


class Topic(models.Model):
    """A subject area of the catalogue, such as mental health or risk assessment."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=120)
    name_ru = models.CharField(_("name (Russian)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)

    name = TranslatedField("name")

    panels = [FieldPanel("code"), *translated_panels("name")]

    class Meta:
        ordering = ["code"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self):
        return self.name
