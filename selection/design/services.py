"""Running a vacancy from the admin: its stages follow its procedure, an
administrator names the assessors of each stage, opens it for applications,
starts the assessment and, once every candidate has an outcome, closes it.

Rules:
- A vacancy opens only from a draft, with a procedure free of errors, at least
  one active assessor on every stage, and a closing date not before its opening
  date nor in the past. The chair sits on the panel.
- The assessment starts after the closing date, or earlier when the
  administrator confirms that applications close early (recorded).
- A vacancy closes only when no candidate is still in the procedure without
  a decision; its retention clock starts then.
- Once a vacancy is past its draft, its procedure is fixed (see forms), and an
  assessor who already has candidates at a stage stays on it.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lms.audit import audit_record
from lms.i18n import language_codes
from selection import rounds
from selection.design.checks import procedure_errors
from selection.design.selectors import eligible_assessors
from selection.models import (
    ApplicationStatus,
    Assignment,
    InterviewQuestion,
    Procedure,
    Stage,
    StageCompetency,
    Vacancy,
    VacancyStage,
    VacancyStatus,
)


@transaction.atomic
def vacancy_stages_sync(*, vacancy: Vacancy) -> list[VacancyStage]:
    """One VacancyStage per stage of the vacancy's procedure, created when
    missing. A draft also drops the stages of a procedure it no longer uses."""
    stage_ids = list(
        Stage.objects.filter(procedure_id=vacancy.procedure_id).values_list(
            "pk", flat=True
        )
    )
    if vacancy.status == VacancyStatus.DRAFT:
        vacancy.stages.exclude(stage_id__in=stage_ids).delete()
    existing = set(vacancy.stages.values_list("stage_id", flat=True))
    VacancyStage.objects.bulk_create(
        [
            VacancyStage(vacancy=vacancy, stage_id=stage_id)
            for stage_id in stage_ids
            if stage_id not in existing
        ]
    )
    return rounds.stages_in_order(vacancy)


@transaction.atomic
def procedure_drafts_sync(*, procedure: Procedure) -> None:
    """After the champions change a procedure's stages, the draft vacancies
    that use it follow (running ones cannot change: see forms)."""
    for vacancy in Vacancy.objects.filter(
        procedure_id=procedure.pk, status=VacancyStatus.DRAFT
    ):
        vacancy_stages_sync(vacancy=vacancy)


@transaction.atomic
def stages_release_from_drafts(*, stages: Iterable[Stage]) -> int:
    """Stages about to be deleted from a procedure leave the draft vacancies
    that use it (with the assessors named for them). Vacancies past their
    draft never lose a stage: the procedure form refuses it."""
    deleted, _per_model = VacancyStage.objects.filter(
        stage__in=[stage.pk for stage in stages],
        vacancy__status=VacancyStatus.DRAFT,
    ).delete()
    return deleted


def vacancy_open_problems(vacancy: Vacancy) -> list[str]:
    """Why the vacancy cannot open yet, in words an administrator acts on;
    empty when it can."""
    problems = [finding.message for finding in procedure_errors(vacancy.procedure)]
    staffed = set(
        VacancyStage.objects.filter(vacancy=vacancy)
        .annotate(
            active_assessors=Count("assessors", filter=Q(assessors__is_active=True))
        )
        .filter(active_assessors__gt=0)
        .values_list("stage_id", flat=True)
    )
    for stage in vacancy.procedure.stages.order_by("sort_order", "pk"):
        if stage.pk not in staffed:
            problems.append(
                _("Name at least one assessor for the stage «%(stage)s».")
                % {"stage": stage}
            )
    today = timezone.localdate()
    if vacancy.closes_on < vacancy.opens_on:
        problems.append(
            _("Applications cannot close (%(closes)s) before they open (%(opens)s).")
            % {
                "closes": formats.date_format(vacancy.closes_on),
                "opens": formats.date_format(vacancy.opens_on),
            }
        )
    elif vacancy.closes_on < today:
        problems.append(
            _("The closing date, %(closes)s, has passed: choose a later one.")
            % {"closes": formats.date_format(vacancy.closes_on)}
        )
    return problems


@transaction.atomic
def vacancy_open(*, vacancy: Vacancy, actor) -> Vacancy:
    """Draft → open for applications; the public vacancies page lists it."""
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    if vacancy.status != VacancyStatus.DRAFT:
        raise ValidationError(
            _("Only a draft vacancy can be opened: this one is «%(status)s».")
            % {"status": vacancy.get_status_display()},
            code="not_draft",
        )
    vacancy_stages_sync(vacancy=vacancy)
    problems = vacancy_open_problems(vacancy)
    if problems:
        raise ValidationError(problems, code="cannot_open")
    chair_added = not vacancy.panel.filter(pk=vacancy.chair_id).exists()
    if chair_added:
        vacancy.panel.add(vacancy.chair_id)
    vacancy.status = VacancyStatus.OPEN
    vacancy.full_clean()
    vacancy.save(update_fields=["status"])
    audit_record(
        action="selection.vacancy.open",
        actor=actor,
        obj=vacancy,
        data={
            "procedure": vacancy.procedure_id,
            "opens_on": vacancy.opens_on,
            "closes_on": vacancy.closes_on,
            "chair_added_to_panel": chair_added,
        },
    )
    return vacancy


def applications_close_early(vacancy: Vacancy) -> bool:
    """Starting the assessment now would close applications before the end of
    the closing day (Almaty time)."""
    return timezone.localdate() <= vacancy.closes_on


@transaction.atomic
def vacancy_start_assessment(
    *, vacancy: Vacancy, actor, force: bool = False
) -> list[Assignment]:
    """Applications close and every candidate enters the first stage, with an
    assignment for each of its assessors. Before the closing date has passed
    this needs `force` (the administrator's confirmation), and is recorded."""
    current = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    if current.status != VacancyStatus.OPEN:
        raise ValidationError(
            _("Only a vacancy open for applications can move to assessment."),
            code="not_open",
        )
    early = applications_close_early(current)
    if early and not force:
        raise ValidationError(
            _(
                "Applications are accepted until the end of %(closes)s. Confirm "
                "that they close early to start the assessment now."
            )
            % {"closes": formats.date_format(current.closes_on)},
            code="still_open",
        )
    assignments = rounds.vacancy_start_assessment(vacancy=current, actor=actor)
    if early:
        audit_record(
            action="selection.vacancy.close_applications_early",
            actor=actor,
            obj=current,
            data={"closes_on": current.closes_on, "on": timezone.localdate()},
        )
    vacancy.refresh_from_db(fields=["status"])
    return assignments


def candidates_waiting(vacancy: Vacancy) -> int:
    """Candidates who applied and enter the first stage when it starts."""
    return (
        vacancy.applications.not_anonymised()
        .filter(status=ApplicationStatus.APPLIED)
        .count()
    )


def candidates_pending(vacancy: Vacancy) -> int:
    """Candidates still in the procedure without a decision."""
    return (
        vacancy.applications.not_anonymised()
        .filter(
            status__in=[ApplicationStatus.APPLIED, ApplicationStatus.IN_PROGRESS],
            decision__isnull=True,
        )
        .count()
    )


@transaction.atomic
def vacancy_close(*, vacancy: Vacancy, actor) -> Vacancy:
    """Open or in assessment → closed. The retention period of the
    candidates' personal data counts from now."""
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    if vacancy.status == VacancyStatus.CLOSED:
        raise ValidationError(_("This vacancy is already closed."), code="closed")
    if vacancy.status == VacancyStatus.DRAFT:
        raise ValidationError(
            _("A draft vacancy was never opened: there is nothing to close."),
            code="draft",
        )
    pending = candidates_pending(vacancy)
    if pending:
        raise ValidationError(
            ngettext(
                "%(count)d candidate is still in the procedure without a "
                "decision. Decide on every candidate before closing the vacancy.",
                "%(count)d candidates are still in the procedure without a "
                "decision. Decide on every candidate before closing the vacancy.",
                pending,
            )
            % {"count": pending},
            code="candidates_pending",
        )
    status_before = vacancy.status
    vacancy.status = VacancyStatus.CLOSED
    vacancy.closed_at = timezone.now()
    vacancy.save(update_fields=["status", "closed_at"])
    audit_record(
        action="selection.vacancy.close",
        actor=actor,
        obj=vacancy,
        data={
            "from": status_before,
            "applications": vacancy.applications.count(),
            "retention_months": vacancy.retention_months,
        },
    )
    return vacancy


@transaction.atomic
def vacancy_assessors_set(
    *, vacancy: Vacancy, assessors: dict[int, Iterable], actor
) -> list[VacancyStage]:
    """Name the assessors of each stage ({VacancyStage pk: users}). Only
    active assessors and champions; someone who already assesses candidates
    at a stage stays on it. Candidates already at a stage keep the assessors
    they were given; those who enter it later get the new ones."""
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    if vacancy.status == VacancyStatus.CLOSED:
        raise ValidationError(
            _("The vacancy is closed: its assessors can no longer change."),
            code="closed",
        )
    stages = {
        vacancy_stage.pk: vacancy_stage
        for vacancy_stage in vacancy.stages.select_related("stage").prefetch_related(
            "assessors"
        )
    }
    wanted = {int(pk): list(users) for pk, users in assessors.items()}
    unknown = set(wanted) - set(stages)
    if unknown:
        raise ValidationError(
            _("A stage of another vacancy was given."), code="other_vacancy"
        )
    errors = []
    changes = {}
    for pk, users in wanted.items():
        vacancy_stage = stages[pk]
        before = {user.pk: user for user in vacancy_stage.assessors.all()}
        after = {user.pk: user for user in users}
        allowed = set(
            eligible_assessors(also=list(before)).values_list("pk", flat=True)
        )
        for user in after.values():
            if user.pk not in allowed:
                errors.append(
                    _(
                        "%(name)s cannot assess: only active users with the "
                        "Assessor or Champion role can."
                    )
                    % {"name": user}
                )
        removed = set(before) - set(after)
        busy = set(
            Assignment.objects.filter(
                vacancy_stage=vacancy_stage, assessor_id__in=removed
            ).values_list("assessor_id", flat=True)
        )
        for user_pk in sorted(busy):
            errors.append(
                _(
                    "%(name)s already assesses candidates at «%(stage)s» and "
                    "stays on it."
                )
                % {"name": before[user_pk], "stage": vacancy_stage.stage}
            )
        if set(before) != set(after):
            changes[vacancy_stage] = after
    if errors:
        raise ValidationError(errors, code="assessors")
    for vacancy_stage, after in changes.items():
        vacancy_stage.assessors.set(list(after.values()))
    if changes:
        audit_record(
            action="selection.vacancy.assessors",
            actor=actor,
            obj=vacancy,
            data={
                str(vacancy_stage.stage_id): sorted(after)
                for vacancy_stage, after in changes.items()
            },
        )
    return rounds.stages_in_order(vacancy)


def _clone(instance, **overrides):
    """An unsaved copy of a row: its own fields, without its primary key."""
    values = {
        field.attname: getattr(instance, field.attname)
        for field in instance._meta.concrete_fields
        if not field.primary_key
    }
    values.update(overrides)
    return type(instance)(**values)


@transaction.atomic
def procedure_copy(*, procedure: Procedure, actor) -> Procedure:
    """A new procedure with the same stages, competencies, weights, minimums,
    questions and role-play material: how champions change the rules a
    running vacancy holds fixed, without touching that vacancy."""
    copy = _clone(procedure, created_by_id=getattr(actor, "pk", None))
    for code in language_codes():
        title = getattr(procedure, f"title_{code}")
        if title:
            with translation.override(code):
                setattr(
                    copy,
                    f"title_{code}",
                    (_("%(title)s (copy)") % {"title": title})[:200],
                )
    copy.full_clean()
    copy.save()
    for stage in procedure.stages.order_by("sort_order", "pk"):
        new_stage = _clone(stage, procedure_id=copy.pk)
        new_stage.save()
        StageCompetency.objects.bulk_create(
            _clone(row, stage_id=new_stage.pk) for row in stage.competencies.all()
        )
        InterviewQuestion.objects.bulk_create(
            _clone(row, stage_id=new_stage.pk) for row in stage.questions.all()
        )
    audit_record(
        action="selection.procedure.copy",
        actor=actor,
        obj=copy,
        data={"from": procedure.pk},
    )
    return copy
