"""Independent scores, their amendments, the panel's consensus, each
candidate's result per stage and the final decision."""

import hashlib

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from selection.models.applications import Application
from selection.models.procedures import SCALE_MAX, SCALE_MIN
from selection.models.vacancies import VacancyStage


def evidence_digest(text: str) -> str:
    """The same evidence, whatever its spacing or case, gives the same digest."""
    return hashlib.sha256(" ".join(text.split()).casefold().encode()).hexdigest()


SCALE_VALIDATORS = [MinValueValidator(SCALE_MIN), MaxValueValidator(SCALE_MAX)]


class Assignment(models.Model):
    """One assessor's work on one candidate at one stage. The assessor first
    declares whether they have a conflict of interest; a conflict sends the
    candidate to another assessor."""

    vacancy_stage = models.ForeignKey(
        VacancyStage, on_delete=models.CASCADE, related_name="assignments"
    )
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="assignments"
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # None: not declared yet; False: no conflict; True: conflict (withdrawn).
    conflict = models.BooleanField(_("conflict of interest"), null=True, blank=True)
    conflict_note = models.TextField(_("what the conflict is"), blank=True)
    declared_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["vacancy_stage", "application", "assessor"]
        verbose_name = _("assessment assignment")
        verbose_name_plural = _("assessment assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["vacancy_stage", "application", "assessor"],
                name="selection_assessor_once_per_candidate_stage",
            )
        ]

    def __str__(self):
        return f"{self.vacancy_stage} · {self.application.code} · {self.assessor}"

    @property
    def is_active(self) -> bool:
        return self.conflict is not True

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class Score(models.Model):
    """One assessor's score of one competency: a point of the anchored scale or
    "not observed", always with the evidence seen. Locked once the assignment
    is submitted; a change is then an amendment."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="scores"
    )
    competency = models.ForeignKey(
        "lms.Competency", on_delete=models.PROTECT, related_name="+"
    )
    point = models.PositiveSmallIntegerField(
        _("score"), null=True, blank=True, validators=SCALE_VALIDATORS
    )
    not_observed = models.BooleanField(_("not observed"), default=False)
    evidence = models.TextField(_("evidence"))
    # sha256 of the normalised evidence, to flag text pasted for several candidates.
    evidence_digest = models.CharField(max_length=64, db_index=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["assignment", "competency__sort_order"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "competency"],
                name="selection_score_once_per_competency",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(not_observed=True, point__isnull=True)
                    | models.Q(
                        not_observed=False, point__gte=SCALE_MIN, point__lte=SCALE_MAX
                    )
                ),
                name="selection_score_point_or_not_observed",
            ),
        ]

    def __str__(self):
        return f"{self.assignment} · {self.competency}"


class ScoreAmendment(models.Model):
    """A change to a locked score: who, when, why, and what it was before."""

    score = models.ForeignKey(
        Score, on_delete=models.CASCADE, related_name="amendments"
    )
    point_before = models.PositiveSmallIntegerField(null=True, blank=True)
    not_observed_before = models.BooleanField(default=False)
    evidence_before = models.TextField()
    point = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=SCALE_VALIDATORS
    )
    not_observed = models.BooleanField(default=False)
    evidence = models.TextField()
    reason = models.TextField(_("reason"))
    amended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    amended_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["score", "amended_at"]
        verbose_name = _("score amendment")
        verbose_name_plural = _("score amendments")

    def __str__(self):
        return f"{self.score} · {self.amended_at:%Y-%m-%d}"


class Consensus(models.Model):
    """The panel's agreed score of one competency for one candidate at one
    stage, with its rationale. The mean of the independent scores is kept
    beside it."""

    vacancy_stage = models.ForeignKey(
        VacancyStage, on_delete=models.CASCADE, related_name="consensus"
    )
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="consensus"
    )
    competency = models.ForeignKey(
        "lms.Competency", on_delete=models.PROTECT, related_name="+"
    )
    independent_mean = models.DecimalField(
        max_digits=4, decimal_places=2, null=True, blank=True
    )
    spread = models.PositiveSmallIntegerField(null=True, blank=True)
    point = models.PositiveSmallIntegerField(
        _("consensus score"), null=True, blank=True, validators=SCALE_VALIDATORS
    )
    not_observed = models.BooleanField(_("not observed"), default=False)
    rationale = models.TextField(_("rationale"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("consensus score")
        verbose_name_plural = _("consensus scores")
        constraints = [
            models.UniqueConstraint(
                fields=["vacancy_stage", "application", "competency"],
                name="selection_consensus_once",
            )
        ]

    def __str__(self):
        return f"{self.vacancy_stage} · {self.application.code} · {self.competency}"


class StageResult(models.Model):
    """A candidate's outcome of one stage, computed from the consensus scores
    when the panel moves candidates on."""

    vacancy_stage = models.ForeignKey(
        VacancyStage, on_delete=models.CASCADE, related_name="results"
    )
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="stage_results"
    )
    weighted_total = models.DecimalField(
        _("weighted total"), max_digits=4, decimal_places=2, null=True, blank=True
    )
    # Competency keys below their knock-out minimum (or not observed there).
    knocked_out_on = models.JSONField(default=list, blank=True)
    passed = models.BooleanField(_("passed"))
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["vacancy_stage", "rank"]
        verbose_name = _("stage result")
        verbose_name_plural = _("stage results")
        constraints = [
            models.UniqueConstraint(
                fields=["vacancy_stage", "application"], name="selection_result_once"
            )
        ]

    def __str__(self):
        return f"{self.vacancy_stage} · {self.application.code}"


class Outcome(models.TextChoices):
    APPOINT = "appoint", _("Appoint")
    RESERVE = "reserve", _("Reserve list")
    REJECT = "reject", _("Reject")


class Decision(models.Model):
    """The panel's final decision on a candidate, with its reasons."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="decision"
    )
    outcome = models.CharField(_("decision"), max_length=8, choices=Outcome.choices)
    reasons = models.TextField(_("reasons"))
    overall_score = models.DecimalField(
        max_digits=4, decimal_places=2, null=True, blank=True
    )
    rank = models.PositiveSmallIntegerField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["application__vacancy", "rank"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self):
        return f"{self.application.code} · {self.get_outcome_display()}"
