import re

from django import forms
from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Cast
from django.utils.html import format_html
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.fields import StreamField
from wagtail.forms import TaskStateCommentForm
from wagtail.locks import BaseLock
from wagtail.models import (
    AbstractGroupApprovalTask,
    DraftStateMixin,
    LockableMixin,
    Orderable,
    PreviewableMixin,
    RevisionMixin,
    WorkflowMixin,
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

    def approved(self) -> "FrameworkVersionQuerySet":
        """Versions the champions approved: live now, or published once."""
        return self.filter(
            models.Q(live=True) | models.Q(first_published_at__isnull=False)
        )

    def with_listing_state(self) -> "FrameworkVersionQuerySet":
        """What the admin listing shows of each version (status, in review,
        scheduled, latest revision), fetched for all rows at once."""
        from wagtail.models import Revision, WorkflowState

        scheduled = Revision.objects.filter(
            base_content_type=ContentType.objects.get_for_model(self.model),
            object_id=Cast(models.OuterRef("pk"), models.CharField()),
            approved_go_live_at__isnull=False,
        )
        return (
            self.select_related("latest_revision")
            .annotate(_approved_schedule=models.Exists(scheduled))
            .prefetch_related(
                models.Prefetch(
                    "_workflow_states",
                    queryset=WorkflowState.objects.active().select_related(
                        "current_task_state__task"
                    ),
                    to_attr="_current_workflow_states",
                )
            )
        )


class ApprovedVersionLock(BaseLock):
    """Approved versions are never edited, only succeeded: nobody, superusers
    included, saves changes to one."""

    def for_user(self, user):
        return True

    def get_message(self, user):
        return format_html(
            # nosemgrep: translation-no-new-style-formatting (format_html escapes)
            gettext(
                "Version <b>{label}</b> was approved by the champions. Approved "
                "versions are never edited: to propose changes, draft a successor."
            ),
            label=self.object.label,
        )

    def get_locked_by(self, user):
        return gettext("Approved")

    def get_description(self, user):
        return gettext("Approved versions are never edited, only succeeded.")


class FrameworkVersion(
    WorkflowMixin,
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
        permissions = [
            (
                "make_current_frameworkversion",
                "Can make an earlier approved version current again",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=models.Q(is_current=True),
                name="lms_one_current_framework_version",
            )
        ]

    def __str__(self):
        return f"{self.label} {self.title}".strip()

    def save_revision(self, *args, **kwargs):
        self.check_editable()
        return super().save_revision(*args, **kwargs)

    @property
    def revisions(self):
        return self._revisions

    @property
    def approved_schedule(self) -> bool:
        # FrameworkVersionQuerySet.with_listing_state() answers for a whole listing.
        if hasattr(self, "_approved_schedule"):
            return self._approved_schedule
        return super().approved_schedule

    @property
    def is_approved(self) -> bool:
        return self.pk is not None and (
            self.live or self.first_published_at is not None
        )

    def check_editable(self) -> None:
        """Approved versions are never edited, only succeeded. Asks the database,
        so an object loaded before the approval cannot slip through."""
        if self.pk and FrameworkVersion.objects.approved().filter(pk=self.pk).exists():
            raise ValidationError(
                _(
                    "Version %(label)s is approved: approved versions are never "
                    "edited. Draft a successor to propose changes."
                ),
                code="approved",
                params={"label": self.label},
            )

    def get_lock(self):
        if self.is_approved:
            return ApprovedVersionLock(self)
        return super().get_lock()

    def latest_content(self) -> "FrameworkVersion":
        """What the version says: the approved content of a live version, the
        latest saved draft of any other."""
        if self.live:
            return self
        return self.get_latest_revision_as_object()

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
        if self.version_id:
            self.version.check_editable()

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


def successor_label(label: str) -> str:
    """The next free label after `label`: 2026.1 gives 2026.2 (or the first one
    not taken), anything else gets ".1" added."""
    match = re.fullmatch(r"(.*?)(\d+)", label)
    stem, number = (match[1], int(match[2])) if match else (f"{label}.", 0)
    taken = set(
        FrameworkVersion.objects.filter(label__startswith=stem).values_list(
            "label", flat=True
        )
    )
    number += 1
    while f"{stem}{number}" in taken:
        number += 1
    return f"{stem}{number}"[: FrameworkVersion._meta.get_field("label").max_length]


class RequestChangesForm(TaskStateCommentForm):
    """A champion who asks for changes says which."""

    comment = forms.CharField(
        label=_("What must change"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=True,
    )


class ChampionsApprovalTask(AbstractGroupApprovalTask):
    """The champions' review of a framework version: members of the chosen
    groups approve or ask for changes, never the member who submitted it."""

    class Meta:
        verbose_name = pgettext_lazy("workflow task type", "champions' approval")
        verbose_name_plural = pgettext_lazy(
            "workflow task type", "champions' approvals"
        )

    @staticmethod
    def _submitted_by(obj, user) -> bool:
        state = obj.current_workflow_state
        return state is not None and state.requested_by_id == user.pk

    def locked_for_user(self, obj, user):
        # The submitter waits: nothing changes under the reviewers' eyes.
        return super().locked_for_user(obj, user) or self._submitted_by(obj, user)

    def user_can_lock(self, obj, user):
        return super().user_can_lock(obj, user) and not self._submitted_by(obj, user)

    def get_actions(self, obj, user):
        if self._submitted_by(obj, user):
            return []
        return super().get_actions(obj, user)

    def get_form_for_action(self, action):
        if action == "reject":
            return RequestChangesForm
        return super().get_form_for_action(action)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        return (
            super()
            .get_task_states_user_can_moderate(user, **kwargs)
            .exclude(workflow_state__requested_by=user)
        )

    @classmethod
    def get_description(cls):
        return _(
            "Members of the chosen groups approve or ask for changes; the member "
            "who submitted cannot approve their own submission."
        )
