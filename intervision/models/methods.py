from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.models import Orderable

from lms.i18n import TranslatedField, translated_panels


class Speaker(models.TextChoices):
    CHAIR = "chair", _("The chair")
    BRINGER = "bringer", _("The case-bringer")
    GROUP = "group", _("The group, not the case-bringer")
    EVERYONE = "everyone", _("Everyone, in open discussion")
    ROUND = "round", _("Each member in turn")


class Silent(models.TextChoices):
    NOBODY = "nobody", _("Nobody")
    BRINGER = "bringer", _("The case-bringer")
    GROUP = "group", _("The group")


class BringerPlace(models.TextChoices):
    IN_CIRCLE = "in_circle", _("In the circle")
    OUTSIDE = "outside", _("Outside the circle, listening")
    ABSENT = "absent", _("Absent")


class Method(ClusterableModel):
    """A structured way of running an intervision meeting (the incident method,
    the "gossip" method, a Balint group): a template of timed steps."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=120, blank=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=120, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    summary_kk = models.TextField(_("summary (Kazakh)"), blank=True)
    summary_ru = models.TextField(_("summary (Russian)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    is_active = models.BooleanField(
        _("offered for new groups and meetings"), default=True
    )

    name = TranslatedField("name")
    summary = TranslatedField("summary")

    panels = [
        FieldRowPanel([FieldPanel("code"), FieldPanel("is_active")]),
        *translated_panels("name", "summary"),
        InlinePanel("steps", heading=_("Steps"), label=_("Step"), min_num=1),
    ]

    class Meta:
        ordering = ["code"]
        verbose_name = _("intervision method")
        verbose_name_plural = _("intervision methods")

    def __str__(self):
        return self.name or self.code

    @property
    def total_minutes(self) -> int:
        return sum(step.minutes for step in self.steps.all())


class MethodStep(Orderable):
    """One timed step of a method: who speaks, who stays silent, where the
    case-bringer sits, what the chair should do and what the step produces."""

    method = ParentalKey(Method, on_delete=models.CASCADE, related_name="steps")
    title_kk = models.CharField(_("title (Kazakh)"), max_length=160, blank=True)
    title_ru = models.CharField(_("title (Russian)"), max_length=160, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=160, blank=True)
    minutes = models.PositiveSmallIntegerField(_("minutes"), default=10)
    speaks = models.CharField(_("who speaks"), max_length=16, choices=Speaker.choices)
    silent = models.CharField(
        _("who stays silent"),
        max_length=16,
        choices=Silent.choices,
        default=Silent.NOBODY,
    )
    bringer = models.CharField(
        _("where the case-bringer sits"),
        max_length=16,
        choices=BringerPlace.choices,
        default=BringerPlace.IN_CIRCLE,
    )
    guidance_kk = models.TextField(_("guidance (Kazakh)"), blank=True)
    guidance_ru = models.TextField(_("guidance (Russian)"), blank=True)
    guidance_en = models.TextField(_("guidance (English)"), blank=True)
    produces_kk = models.CharField(_("produces (Kazakh)"), max_length=255, blank=True)
    produces_ru = models.CharField(_("produces (Russian)"), max_length=255, blank=True)
    produces_en = models.CharField(_("produces (English)"), max_length=255, blank=True)

    title = TranslatedField("title")
    guidance = TranslatedField("guidance")
    produces = TranslatedField("produces")

    panels = [
        FieldRowPanel(
            [FieldPanel("minutes"), FieldPanel("speaks"), FieldPanel("silent")]
        ),
        FieldPanel("bringer"),
        *translated_panels("title", "guidance", "produces"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("step")
        verbose_name_plural = _("steps")

    def __str__(self):
        return self.title


class Theme(models.Model):
    """A theme a case is about (substance use, domestic violence, officer
    stress...), counted over many cases for managers."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=120)
    name_ru = models.CharField(_("name (Russian)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)

    name = TranslatedField("name")

    panels = [FieldPanel("code"), *translated_panels("name")]

    class Meta:
        ordering = ["code"]
        verbose_name = _("case theme")
        verbose_name_plural = _("case themes")

    def __str__(self):
        return self.name
