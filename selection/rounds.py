"""The backbone of a vacancy's assessment, shared by scoring and the panel:
candidates enter a stage (one assignment per assessor), scores are counted
without being shown, and the stage is revealed when every score is in or when
the chair closes the round.

Views never call this directly: the scoring, panel and vacancy services do."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.audit import audit_record
from selection.models import (
    Application,
    ApplicationStatus,
    Assignment,
    VacancyStage,
    VacancyStatus,
)


def stages_in_order(vacancy) -> list[VacancyStage]:
    return list(
        vacancy.stages.select_related("stage").order_by("stage__sort_order", "pk")
    )


def next_stage(vacancy_stage: VacancyStage) -> VacancyStage | None:
    stages = stages_in_order(vacancy_stage.vacancy)
    for position, candidate in enumerate(stages):
        if candidate.pk == vacancy_stage.pk:
            return stages[position + 1] if position + 1 < len(stages) else None
    return None


@transaction.atomic
def candidates_enter_stage(
    *, vacancy_stage: VacancyStage, applications: list[Application]
) -> list[Assignment]:
    """Put candidates at a stage and give each of its assessors an assignment."""
    assessors = list(vacancy_stage.assessors.filter(is_active=True))
    if not assessors:
        raise ValidationError(
            _("Name at least one assessor for the stage «%(stage)s» first.")
            % {"stage": vacancy_stage.stage},
            code="no_assessors",
        )
    created = []
    for application in applications:
        application.current_stage = vacancy_stage
        application.status = ApplicationStatus.IN_PROGRESS
        application.save(update_fields=["current_stage", "status"])
        for assessor in assessors:
            assignment, was_created = Assignment.objects.get_or_create(
                vacancy_stage=vacancy_stage, application=application, assessor=assessor
            )
            if was_created:
                created.append(assignment)
    return created


@transaction.atomic
def vacancy_start_assessment(*, vacancy, actor) -> list[Assignment]:
    """Applications close; every candidate enters the first stage."""
    vacancy = type(vacancy).objects.select_for_update().get(pk=vacancy.pk)
    if vacancy.status != VacancyStatus.OPEN:
        raise ValidationError(
            _("Only a vacancy open for applications can move to assessment."),
            code="not_open",
        )
    stages = stages_in_order(vacancy)
    if not stages:
        raise ValidationError(_("This vacancy has no stages."), code="no_stages")
    applications = list(
        vacancy.applications.not_anonymised().filter(status=ApplicationStatus.APPLIED)
    )
    assignments = candidates_enter_stage(
        vacancy_stage=stages[0], applications=applications
    )
    vacancy.status = VacancyStatus.ASSESSING
    vacancy.save(update_fields=["status"])
    audit_record(
        action="selection.vacancy.start_assessment",
        actor=actor,
        obj=vacancy,
        data={"candidates": len(applications)},
    )
    return assignments


def rounds_progress(vacancy_stage_ids) -> dict[int, tuple[int, int]]:
    """(submitted, expected) assignments per stage, in one query: all anyone
    sees before the reveal. Assignments withdrawn for a conflict don't count."""
    rows = (
        Assignment.objects.filter(vacancy_stage_id__in=list(vacancy_stage_ids))
        .exclude(conflict=True)
        .values("vacancy_stage_id")
        .annotate(
            expected=Count("pk"),
            submitted=Count("pk", filter=Q(submitted_at__isnull=False)),
        )
    )
    return {
        row["vacancy_stage_id"]: (row["submitted"], row["expected"]) for row in rows
    }


def round_progress(vacancy_stage: VacancyStage) -> tuple[int, int]:
    """(submitted, expected) assignments of one stage."""
    return rounds_progress([vacancy_stage.pk]).get(vacancy_stage.pk, (0, 0))


@transaction.atomic
def round_reveal_if_complete(*, vacancy_stage: VacancyStage, actor=None) -> bool:
    """Reveal the stage's scores to the panel once every one is in."""
    vacancy_stage = VacancyStage.objects.select_for_update().get(pk=vacancy_stage.pk)
    if vacancy_stage.is_revealed:
        return True
    submitted, expected = round_progress(vacancy_stage)
    if expected == 0 or submitted < expected:
        return False
    vacancy_stage.revealed_at = timezone.now()
    vacancy_stage.revealed_by = actor
    vacancy_stage.save(update_fields=["revealed_at", "revealed_by"])
    audit_record(
        action="selection.round.reveal",
        actor=actor,
        obj=vacancy_stage,
        data={"submitted": submitted, "early": False},
    )
    return True


@transaction.atomic
def round_close(*, vacancy_stage: VacancyStage, actor) -> None:
    """The chair closes the round before every score is in: what was
    submitted is revealed; unsubmitted assignments no longer count."""
    vacancy_stage = VacancyStage.objects.select_for_update().get(pk=vacancy_stage.pk)
    if vacancy_stage.vacancy.chair_id != actor.pk:
        raise ValidationError(_("Only the panel chair can close a round."))
    if vacancy_stage.is_revealed:
        return
    submitted, expected = round_progress(vacancy_stage)
    if submitted == 0:
        raise ValidationError(
            _("No score has been submitted yet: there is nothing to reveal."),
            code="nothing_submitted",
        )
    vacancy_stage.revealed_at = timezone.now()
    vacancy_stage.revealed_by = actor
    vacancy_stage.closed_early = True
    vacancy_stage.save(update_fields=["revealed_at", "revealed_by", "closed_early"])
    audit_record(
        action="selection.round.close",
        actor=actor,
        obj=vacancy_stage,
        data={"submitted": submitted, "expected": expected, "early": True},
    )
