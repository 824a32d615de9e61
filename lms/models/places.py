from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from lms.i18n import TranslatedField, translated_panels


class Region(index.Indexed, models.Model):
    """A region of the probation service: an oblast or a city of republican
    significance, such as Astana, Almaty city or Almaty region."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=120)
    name_ru = models.CharField(_("name (Russian)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)

    name = TranslatedField("name")

    panels = [FieldPanel("code"), *translated_panels("name")]
    search_fields = [
        index.SearchField("name_kk"),
        index.SearchField("name_ru"),
        index.SearchField("name_en"),
        index.AutocompleteField("name_ru"),
    ]

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return self.name


class OfficeQuerySet(models.QuerySet):
    def with_region(self) -> "OfficeQuerySet":
        return self.select_related("region")


class Office(index.Indexed, models.Model):
    """A district probation office (служба пробации), where officers work and
    managers run their team."""

    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="offices",
    )
    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    address = models.CharField(_("address"), max_length=255, blank=True)

    name = TranslatedField("name")

    panels = [
        FieldPanel("region"),
        FieldPanel("code"),
        *translated_panels("name"),
        FieldPanel("address"),
    ]
    search_fields = [
        index.SearchField("name_kk"),
        index.SearchField("name_ru"),
        index.SearchField("name_en"),
        index.AutocompleteField("name_ru"),
        index.FilterField("region"),
    ]

    objects = OfficeQuerySet.as_manager()

    class Meta:
        ordering = ["region__code", "code"]
        verbose_name = _("office")
        verbose_name_plural = _("offices")

    def __str__(self):
        return self.name
