from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.fields import StreamField
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Orderable,
    PreviewableMixin,
    RevisionMixin,
)
from wagtail.search import index

from lms.blocks import IndicatorsBlock, RatingScaleBlock
from lms.i18n import TranslatedField, translated_panels


class Domain(models.TextChoices):
    """The four qualities European Probation Rule 22 asks selection to stress."""

    INTEGRITY = "integrity", _("Integrity")
    HUMANITY = "humanity", _("Humanity")
    PROFESSIONAL_CAPACITY = "professional_capacity", _("Professional capacity")
    PERSONAL_SUITABILITY = "personal_suitability", _("Personal suitability")


class FrameworkVersionQuerySet(models.QuerySet):
    def live_current(self) -> "FrameworkVersionQuerySet":
        return self.filter(is_current=True, live=True)

    def current(self) -> "FrameworkVersion | None":
        return self.live_current().first()


class FrameworkVersion(
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    PreviewableMixin,
    index.Indexed,
    ClusterableModel,
):
    """A version of the competency framework: the approved criteria that
    selection, training, practice and intervision all use. One version is
    current at a time."""

    label = models.CharField(
        _("version"),
        max_length=40,
        unique=True,
        help_text=_("For example 2026.1"),
    )
    title_kk = models.CharField(_("title (Kazakh)"), max_length=200, blank=True)
    title_ru = models.CharField(_("title (Russian)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_kk = models.TextField(_("description (Kazakh)"), blank=True)
    description_ru = models.TextField(_("description (Russian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    is_current = models.BooleanField(_("current"), default=False, editable=False)
    made_current_at = models.DateTimeField(
        _("made current at"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    _revisions = GenericRelation(
        "wagtailcore.Revision", related_query_name="frameworkversion"
    )

    title = TranslatedField("title")
    description = TranslatedField("description")

    panels = [
        FieldPanel("label"),
        *translated_panels("title", "description"),
        InlinePanel("competencies", label=_("Competencies"), min_num=1),
    ]
    search_fields = [
        index.SearchField("label"),
        index.SearchField("title_ru"),
        index.SearchField("title_kk"),
        index.SearchField("title_en"),
        index.AutocompleteField("label"),
    ]

    objects = FrameworkVersionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("competency framework version")
        verbose_name_plural = _("competency framework versions")
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=models.Q(is_current=True),
                name="lms_one_current_framework_version",
            )
        ]

    def __str__(self):
        return f"{self.label} {self.title}".strip()

    @property
    def revisions(self):
        return self._revisions

    def get_preview_template(self, request, mode_name):
        return "lms/framework_preview.html"

    def get_preview_context(self, request, mode_name):
        context = super().get_preview_context(request, mode_name)
        context["version"] = self
        context["competencies"] = self.competencies.all()
        return context


class CompetencyQuerySet(models.QuerySet):
    def current(self) -> "CompetencyQuerySet":
        """Competencies of the current framework version, in their order."""
        return self.filter(version__is_current=True, version__live=True).order_by(
            "sort_order"
        )


class Competency(Orderable):
    """One competency of the framework (integrity, communication, motivating
    change...), with its EPR 22 domain, behavioural indicators and an anchored
    rating scale."""

    version = ParentalKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="competencies"
    )
    key = models.SlugField(
        _("key"),
        max_length=60,
        help_text=_(
            "Stays the same from one version to the next, so courses and scores "
            "can follow a competency across versions."
        ),
    )
    domain = models.CharField(_("EPR 22 domain"), max_length=32, choices=Domain.choices)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200, blank=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    definition_kk = models.TextField(_("definition (Kazakh)"), blank=True)
    definition_ru = models.TextField(_("definition (Russian)"), blank=True)
    definition_en = models.TextField(_("definition (English)"), blank=True)
    indicators = StreamField(
        IndicatorsBlock(),
        blank=True,
        verbose_name=_("behavioural indicators"),
    )
    scale = StreamField(RatingScaleBlock(), verbose_name=_("rating scale"))

    name = TranslatedField("name")
    definition = TranslatedField("definition")

    panels = [
        FieldRowPanel([FieldPanel("key"), FieldPanel("domain")]),
        *translated_panels("name", "definition"),
        FieldPanel("indicators"),
        FieldPanel("scale"),
    ]

    objects = CompetencyQuerySet.as_manager()

    class Meta(Orderable.Meta):
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "key"], name="lms_competency_key_per_version"
            )
        ]

    def __str__(self):
        return self.name or self.key

    def clean(self):
        super().clean()
        if not (self.name_kk or self.name_ru or self.name_en):
            raise ValidationError(
                {"name_ru": _("Name the competency in at least one language.")}
            )

    @property
    def positive_indicators(self) -> list:
        return [
            block.value for block in self.indicators if block.block_type == "positive"
        ]

    @property
    def negative_indicators(self) -> list:
        return [
            block.value for block in self.indicators if block.block_type == "negative"
        ]

    @property
    def scale_points(self) -> list:
        return [block.value for block in self.scale]

    def anchor_for(self, point: int):
        """The behavioural anchor of one point of the scale, or None."""
        for value in self.scale_points:
            if value["point"] == point:
                return value["anchor"]
        return None
