"""What the champions design: a selection procedure, its stages, which
competencies each stage assesses (weight, knock-out minimum), and the stage's
material (interview questions, a role-play scenario with the actor's brief)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable

from lms.i18n import TranslatedField

SCALE_MIN = 1
SCALE_MAX = 5
WEIGHTS_TOTAL = 100


class StageKind(models.TextChoices):
    SCREENING = "screening", _("Application screening")
    WRITTEN_TEST = "written_test", _("Written test")
    INTERVIEW = "interview", _("Structured interview")
    ROLE_PLAY = "role_play", _("Role-play exercise")
    PSYCHOLOGICAL = "psychological", _("Psychological assessment")
    OTHER = "other", _("Other")


class Procedure(ClusterableModel):
    """A selection procedure built on one version of the competency framework."""

    title_kk = models.CharField(_("title (Kazakh)"), max_length=200, blank=True)
    title_ru = models.CharField(_("title (Russian)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_kk = models.TextField(_("description (Kazakh)"), blank=True)
    description_ru = models.TextField(_("description (Russian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    framework_version = models.ForeignKey(
        "lms.FrameworkVersion",
        verbose_name=_("competency framework version"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The approved version whose competencies this procedure assesses."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    title = TranslatedField("title")
    description = TranslatedField("description")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("selection procedure")
        verbose_name_plural = _("selection procedures")

    def __str__(self):
        return self.title or f"#{self.pk}"


class Stage(Orderable, ClusterableModel):
    """One step of a procedure, in order. Its pass mark and knock-out minimums
    are on the 1-5 scale; its weights, per competency, add up to 100."""

    procedure = ParentalKey(Procedure, on_delete=models.CASCADE, related_name="stages")
    kind = models.CharField(_("kind"), max_length=20, choices=StageKind.choices)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200, blank=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    instructions_kk = models.TextField(_("instructions (Kazakh)"), blank=True)
    instructions_ru = models.TextField(_("instructions (Russian)"), blank=True)
    instructions_en = models.TextField(_("instructions (English)"), blank=True)
    pass_mark = models.DecimalField(
        _("pass mark"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("3.00"),
        validators=[MinValueValidator(SCALE_MIN), MaxValueValidator(SCALE_MAX)],
        help_text=_("The weighted total (1 to 5) a candidate needs to pass."),
    )
    # Role-play material (used when kind is role_play).
    scenario_kk = models.TextField(_("role-play scenario (Kazakh)"), blank=True)
    scenario_ru = models.TextField(_("role-play scenario (Russian)"), blank=True)
    scenario_en = models.TextField(_("role-play scenario (English)"), blank=True)
    actor_brief_kk = models.TextField(_("actor's brief (Kazakh)"), blank=True)
    actor_brief_ru = models.TextField(_("actor's brief (Russian)"), blank=True)
    actor_brief_en = models.TextField(_("actor's brief (English)"), blank=True)

    name = TranslatedField("name")
    instructions = TranslatedField("instructions")
    scenario = TranslatedField("scenario")
    actor_brief = TranslatedField("actor_brief")

    class Meta(Orderable.Meta):
        verbose_name = _("stage")
        verbose_name_plural = _("stages")

    def __str__(self):
        return self.name or self.get_kind_display()

    @property
    def is_written(self) -> bool:
        """Written work is marked under a candidate code, not a name."""
        return self.kind in (StageKind.WRITTEN_TEST, StageKind.SCREENING)


class StageCompetency(Orderable):
    """A competency a stage assesses, with its weight and knock-out minimum."""

    stage = ParentalKey(Stage, on_delete=models.CASCADE, related_name="competencies")
    competency = models.ForeignKey(
        "lms.Competency",
        verbose_name=_("competency"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    weight = models.PositiveSmallIntegerField(
        _("weight (%)"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    minimum = models.PositiveSmallIntegerField(
        _("minimum score"),
        null=True,
        blank=True,
        validators=[MinValueValidator(SCALE_MIN), MaxValueValidator(SCALE_MAX)],
        help_text=_(
            "A knock-out: a candidate below it cannot pass, whatever the total. "
            "Leave empty for none."
        ),
    )

    class Meta(Orderable.Meta):
        verbose_name = _("assessed competency")
        verbose_name_plural = _("assessed competencies")
        constraints = [
            models.UniqueConstraint(
                fields=["stage", "competency"],
                name="selection_competency_once_per_stage",
            )
        ]

    def __str__(self):
        return f"{self.competency} ({self.weight}%)"


class InterviewQuestion(Orderable):
    """A question of a stage, per competency, with what a good answer shows."""

    stage = ParentalKey(Stage, on_delete=models.CASCADE, related_name="questions")
    competency = models.ForeignKey(
        "lms.Competency",
        verbose_name=_("competency"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    question_kk = models.TextField(_("question (Kazakh)"), blank=True)
    question_ru = models.TextField(_("question (Russian)"), blank=True)
    question_en = models.TextField(_("question (English)"), blank=True)
    good_answer_kk = models.TextField(
        _("what a good answer shows (Kazakh)"), blank=True
    )
    good_answer_ru = models.TextField(
        _("what a good answer shows (Russian)"), blank=True
    )
    good_answer_en = models.TextField(
        _("what a good answer shows (English)"), blank=True
    )

    question = TranslatedField("question")
    good_answer = TranslatedField("good_answer")

    class Meta(Orderable.Meta):
        verbose_name = _("interview question")
        verbose_name_plural = _("interview questions")

    def __str__(self):
        return self.question[:80]
