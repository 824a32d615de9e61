"""A vacancy an administrator runs: an office, posts, dates, the procedure, the
panel that decides, and the assessors of each stage."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from lms.i18n import TranslatedField

DEFAULT_RETENTION_MONTHS = 12


class VacancyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for applications")
    ASSESSING = "assessing", _("Assessment")
    CLOSED = "closed", _("Closed")


class VacancyQuerySet(models.QuerySet):
    def published(self) -> "VacancyQuerySet":
        """What the public vacancies page lists."""
        return self.exclude(status=VacancyStatus.DRAFT)


class Vacancy(models.Model):
    reference = models.SlugField(
        _("reference"),
        max_length=40,
        unique=True,
        help_text=_("Short and unique, used in the public address: almaty-2026-1"),
    )
    title_kk = models.CharField(_("title (Kazakh)"), max_length=200, blank=True)
    title_ru = models.CharField(_("title (Russian)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_kk = models.TextField(_("description (Kazakh)"), blank=True)
    description_ru = models.TextField(_("description (Russian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    office = models.ForeignKey(
        "lms.Office",
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    posts = models.PositiveSmallIntegerField(
        _("number of posts"), default=1, validators=[MinValueValidator(1)]
    )
    opens_on = models.DateField(_("applications open on"))
    closes_on = models.DateField(
        _("applications close on"),
        help_text=_(
            "Applications are accepted until the end of this day, Almaty time."
        ),
    )
    procedure = models.ForeignKey(
        "selection.Procedure",
        verbose_name=_("selection procedure"),
        on_delete=models.PROTECT,
        related_name="vacancies",
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=VacancyStatus.choices,
        default=VacancyStatus.DRAFT,
    )
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("panel chair"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    panel = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("panel members"),
        related_name="selection_panels",
        blank=True,
        help_text=_("They see the revealed scores, agree the consensus and decide."),
    )
    retention_months = models.PositiveSmallIntegerField(
        _("retention (months)"),
        default=DEFAULT_RETENTION_MONTHS,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Candidates' personal data is anonymised this many months after the "
            "vacancy closes."
        ),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    title = TranslatedField("title")
    description = TranslatedField("description")

    objects = VacancyQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_on", "-pk"]
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        permissions = [
            ("view_equality_data", "Can see candidates' equality answers"),
            ("view_selection_reports", "Can see selection reports"),
        ]

    def __str__(self):
        return self.title or self.reference


class VacancyStage(models.Model):
    """One stage of a vacancy's procedure as it is run: who assesses it and
    whether its scores have been revealed to the panel."""

    vacancy = models.ForeignKey(
        Vacancy, on_delete=models.CASCADE, related_name="stages"
    )
    stage = models.ForeignKey(
        "selection.Stage", on_delete=models.PROTECT, related_name="+"
    )
    assessors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessors"),
        related_name="selection_stages",
        blank=True,
    )
    revealed_at = models.DateTimeField(_("scores revealed at"), null=True, blank=True)
    revealed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The chair closed the round before every score was in.
    closed_early = models.BooleanField(default=False)
    completed_at = models.DateTimeField(
        _("candidates moved on at"), null=True, blank=True
    )

    class Meta:
        ordering = ["vacancy", "stage__sort_order"]
        verbose_name = _("vacancy stage")
        verbose_name_plural = _("vacancy stages")
        constraints = [
            models.UniqueConstraint(
                fields=["vacancy", "stage"], name="selection_stage_once_per_vacancy"
            )
        ]

    def __str__(self):
        return f"{self.vacancy} · {self.stage}"

    @property
    def is_revealed(self) -> bool:
        return self.revealed_at is not None
