"""The panel agrees and decides; an appointed candidate becomes an officer.

- Consensus: once a stage is revealed and until its candidates move on, a
  panel member records, for one candidate, an agreed point (or "not
  observed") for every competency of the stage and one rationale. The
  independent mean and spread of the submitted scores are kept beside it.
  Recording again before the stage is completed replaces it; the audit log
  keeps every version.
- Completing a stage (the chair): every candidate needs a consensus on every
  competency. Each gets a result (weighted total, knock-outs, pass, rank);
  those who pass enter the next stage and its assessors are told; the others
  are told politely by e-mail, in their language, without scores. At the last
  stage those who pass wait for the decision.
- The decision (the chair records what the panel agreed; any panel member
  may see the ranking and the candidate): appoint, reserve list or reject,
  with reasons. It is final: a correction is not in scope. A candidate below
  a minimum cannot be appointed nor put on the reserve list, whatever the
  total; no more candidates are appointed than the vacancy has posts.
- An appointed candidate's application is linked to their officer account,
  so their consensus scores start their development record.

The arithmetic is in scoring_math; the reads in selectors.
"""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lms.audit import audit_record
from lms.models import User
from lms.roles import Role
from lms.services import email_enqueue, notification_send, user_create
from selection import rounds
from selection.models import (
    SCALE_MAX,
    SCALE_MIN,
    Application,
    ApplicationStatus,
    Consensus,
    Decision,
    Outcome,
    StageResult,
    Vacancy,
    VacancyStage,
)
from selection.panel import scoring_math, selectors
from selection.permissions import (
    user_can_run_vacancies,
    user_is_chair,
    user_is_on_panel,
)

OUTCOME_STATUS = {
    Outcome.APPOINT: ApplicationStatus.APPOINTED,
    Outcome.RESERVE: ApplicationStatus.RESERVE,
    Outcome.REJECT: ApplicationStatus.REJECTED,
}


def point_error() -> str:
    return _(
        "A consensus score is a point from %(low)s to %(high)s, or not observed."
    ) % {
        "low": SCALE_MIN,
        "high": SCALE_MAX,
    }


def candidate_label(application: Application) -> str:
    """How the panel names a candidate in messages: name and code, or the
    code alone once anonymised."""
    if application.anonymised_at:
        return application.code
    return f"{application.full_name} ({application.code})"


def _names(applications) -> str:
    return ", ".join(candidate_label(application) for application in applications)


def _locked_stage(vacancy_stage: VacancyStage) -> VacancyStage:
    return (
        VacancyStage.objects.select_for_update()
        .select_related("vacancy", "stage")
        .get(pk=vacancy_stage.pk)
    )


def _clean_point(value) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(point_error(), code="point")
    if not SCALE_MIN <= value <= SCALE_MAX:
        raise ValidationError(point_error(), code="point")
    return value


@transaction.atomic
def consensus_record(
    *,
    vacancy_stage: VacancyStage,
    application: Application,
    actor,
    points: dict[int, int | None],
    rationale: str,
) -> list[Consensus]:
    """Record (or replace) the panel's consensus on one candidate at one
    stage: a point or None ("not observed") for every competency the stage
    assesses, keyed by competency id, and the rationale."""
    vacancy_stage = _locked_stage(vacancy_stage)
    vacancy = vacancy_stage.vacancy
    if not user_is_on_panel(actor, vacancy):
        raise PermissionDenied(_("Only the panel records a consensus."))
    if not vacancy_stage.is_revealed:
        raise ValidationError(
            _(
                "The scores of this stage are not revealed yet: the consensus "
                "comes after every independent score is in."
            ),
            code="not_revealed",
        )
    if vacancy_stage.completed_at is not None:
        raise ValidationError(
            _(
                "The candidates have moved on from this stage: its consensus "
                "can no longer change."
            ),
            code="completed",
        )
    if (
        application.vacancy_id != vacancy.pk
        or not selectors.stage_candidates(vacancy_stage)
        .filter(pk=application.pk)
        .exists()
    ):
        raise ValidationError(
            _("This candidate is not at this stage."), code="not_candidate"
        )
    rationale = (rationale or "").strip()
    if not rationale:
        raise ValidationError(
            {"rationale": _("Write the rationale for the consensus.")},
            code="rationale",
        )
    competencies = selectors.stage_competencies(vacancy_stage)
    expected = {sc.competency_id for sc in competencies}
    if set(points) - expected:
        raise ValidationError(
            _("A consensus was given for a competency this stage does not assess."),
            code="unknown_competency",
        )
    absent = [
        sc.competency.name for sc in competencies if sc.competency_id not in points
    ]
    if absent:
        raise ValidationError(
            _("Give a consensus score for every competency. Missing: %(names)s.")
            % {"names": ", ".join(absent)},
            code="missing",
        )
    cleaned = {key: _clean_point(value) for key, value in points.items()}
    previous = {
        row.competency.key: row.point
        for row in Consensus.objects.filter(
            vacancy_stage=vacancy_stage, application=application
        ).select_related("competency")
    }
    Consensus.objects.filter(
        vacancy_stage=vacancy_stage, application=application
    ).delete()
    independent = selectors.submitted_points(vacancy_stage, [application.pk])
    rows = []
    for sc in competencies:
        scores = independent.get((application.pk, sc.competency_id), [])
        point = cleaned[sc.competency_id]
        row = Consensus(
            vacancy_stage=vacancy_stage,
            application=application,
            competency=sc.competency,
            independent_mean=scoring_math.independent_mean(scores),
            spread=scoring_math.spread(scores),
            point=point,
            not_observed=point is None,
            rationale=rationale,
            recorded_by=actor,
        )
        row.full_clean()
        row.save()
        rows.append(row)
    audit_record(
        action="selection.consensus.record",
        actor=actor,
        obj=vacancy_stage,
        data={
            "application": application.pk,
            "code": application.code,
            "points": {row.competency.key: row.point for row in rows},
            "independent_means": {
                row.competency.key: row.independent_mean for row in rows
            },
            "rationale": rationale,
            "replaced": previous or None,
        },
    )
    return rows


@transaction.atomic
def stage_complete(*, vacancy_stage: VacancyStage, actor) -> list[StageResult]:
    """The chair moves the stage's candidates on, from the consensus scores."""
    vacancy_stage = _locked_stage(vacancy_stage)
    vacancy = vacancy_stage.vacancy
    if not user_is_chair(actor, vacancy):
        raise PermissionDenied(_("Only the panel chair moves candidates on."))
    if not vacancy_stage.is_revealed:
        raise ValidationError(
            _("The scores of this stage are not revealed yet."), code="not_revealed"
        )
    if vacancy_stage.completed_at is not None:
        raise ValidationError(
            _("The candidates have already moved on from this stage."),
            code="completed",
        )
    outcomes, missing = selectors.stage_outcomes(vacancy_stage)
    if missing:
        raise ValidationError(
            _("Record the consensus on every competency first for: %(names)s.")
            % {"names": _names(missing)},
            code="missing_consensus",
        )
    if not outcomes:
        raise ValidationError(_("No candidate is at this stage."), code="no_candidates")
    results = [
        StageResult.objects.create(
            vacancy_stage=vacancy_stage,
            application=outcome.application,
            weighted_total=outcome.total,
            knocked_out_on=outcome.knocked_out_on,
            passed=outcome.passed,
            rank=outcome.rank,
            decided_by=actor,
        )
        for outcome in outcomes
    ]
    vacancy_stage.completed_at = timezone.now()
    vacancy_stage.save(update_fields=["completed_at"])
    passed = [outcome.application for outcome in outcomes if outcome.passed]
    not_passed = [outcome.application for outcome in outcomes if not outcome.passed]
    following = rounds.next_stage(vacancy_stage)
    if following is not None and passed:
        assignments = rounds.candidates_enter_stage(
            vacancy_stage=following, applications=passed
        )
        _assessors_notify(vacancy_stage=following, assignments=assignments)
    for application in not_passed:
        application.status = ApplicationStatus.NOT_PASSED
        application.save(update_fields=["status"])
        _stage_outcome_email(application=application, vacancy_stage=vacancy_stage)
    audit_record(
        action="selection.stage.complete",
        actor=actor,
        obj=vacancy_stage,
        data={
            "passed": [application.code for application in passed],
            "not_passed": [application.code for application in not_passed],
            "next_stage": following.pk if following else None,
        },
    )
    return results


def _assessors_notify(*, vacancy_stage: VacancyStage, assignments) -> None:
    counts = {}
    assessors = {}
    for assignment in assignments:
        counts[assignment.assessor_id] = counts.get(assignment.assessor_id, 0) + 1
        assessors[assignment.assessor_id] = assignment.assessor
    for assessor_id, count in counts.items():
        assessor = assessors[assessor_id]
        with translation.override(assessor.preferred_language):
            notification_send(
                recipient=assessor,
                subject=ngettext(
                    "%(count)s candidate to assess: %(stage)s",
                    "%(count)s candidates to assess: %(stage)s",
                    count,
                )
                % {"count": count, "stage": vacancy_stage.stage},
                body=_(
                    "Declare any conflict of interest first, then score each "
                    "competency with the evidence you saw."
                ),
                url=reverse("selection:home"),
            )


def _stage_outcome_email(*, application: Application, vacancy_stage) -> None:
    if application.anonymised_at or not application.email:
        return
    with translation.override(application.language):
        context = {
            "application": application,
            "vacancy": vacancy_stage.vacancy,
            "stage": vacancy_stage.stage,
        }
        subject = _("Your application for %(vacancy)s") % {
            "vacancy": vacancy_stage.vacancy.title
        }
        body = render_to_string("selection/email/stage_outcome_not_passed.txt", context)
    email_enqueue(subject=subject, body=body, to=[application.email])


def _waits_for_decision(application: Application) -> bool:
    stages = rounds.stages_in_order(application.vacancy)
    if not stages or application.status != ApplicationStatus.IN_PROGRESS:
        return False
    return StageResult.objects.filter(
        vacancy_stage=stages[-1], application=application, passed=True
    ).exists()


@transaction.atomic
def decision_record(
    *, application: Application, actor, outcome: str, reasons: str
) -> Decision:
    """The chair records the panel's final decision on a candidate who passed
    the last stage, and the candidate is told by e-mail in their language."""
    vacancy = Vacancy.objects.select_for_update().get(pk=application.vacancy_id)
    application = Application.objects.select_for_update().get(pk=application.pk)
    if not user_is_chair(actor, vacancy):
        raise PermissionDenied(
            _("The panel chair records the decision the panel agreed.")
        )
    reasons = (reasons or "").strip()
    if not reasons:
        raise ValidationError(
            {"reasons": _("Give the reasons for this decision.")}, code="reasons"
        )
    if outcome not in Outcome.values:
        raise ValidationError(
            {"outcome": _("Choose appoint, reserve list or reject.")}, code="outcome"
        )
    if Decision.objects.filter(application=application).exists():
        raise ValidationError(
            _(
                "A decision on this candidate is recorded already, and a "
                "decision is final."
            ),
            code="decided",
        )
    stages, rows = selectors.ranking(vacancy)
    row = next((r for r in rows if r.application.pk == application.pk), None)
    if outcome != Outcome.REJECT and row is not None and row.knocked_out:
        raise ValidationError(
            _(
                "This candidate is below the minimum in %(competencies)s: they "
                "cannot be appointed or put on the reserve list, whatever the "
                "total."
            )
            % {"competencies": ", ".join(row.knocked_out_names)},
            code="knocked_out",
        )
    if application.anonymised_at or not _waits_for_decision(application):
        raise ValidationError(
            _("Only a candidate who passed the last stage waits for a decision."),
            code="not_waiting",
        )
    if outcome == Outcome.APPOINT:
        appointed = Decision.objects.filter(
            application__vacancy=vacancy, outcome=Outcome.APPOINT
        ).count()
        if appointed >= vacancy.posts:
            raise ValidationError(
                ngettext(
                    "This vacancy has %(posts)s post, and it is filled: nobody "
                    "else can be appointed. Put the candidate on the reserve list "
                    "instead.",
                    "This vacancy has %(posts)s posts, and they are all filled: "
                    "nobody else can be appointed. Put the candidate on the "
                    "reserve list instead.",
                    vacancy.posts,
                )
                % {"posts": vacancy.posts},
                code="posts_filled",
            )
    decision = Decision(
        application=application,
        outcome=outcome,
        reasons=reasons,
        overall_score=row.overall if row else None,
        rank=row.rank if row else None,
        decided_by=actor,
    )
    decision.full_clean()
    decision.save()
    application.status = OUTCOME_STATUS[outcome]
    application.save(update_fields=["status"])
    audit_record(
        action="selection.decision.record",
        actor=actor,
        obj=decision,
        data={
            "application": application.pk,
            "code": application.code,
            "outcome": outcome,
            "reasons": reasons,
            "overall_score": decision.overall_score,
            "rank": decision.rank,
        },
    )
    _decision_email(decision=decision, vacancy=vacancy)
    return decision


DECISION_SUBJECTS = {
    Outcome.APPOINT: lambda: _("%(vacancy)s: you are offered the post"),
    Outcome.RESERVE: lambda: _("%(vacancy)s: you are on the reserve list"),
    Outcome.REJECT: lambda: _("%(vacancy)s: the outcome of your application"),
}


def _decision_email(*, decision: Decision, vacancy: Vacancy) -> None:
    application = decision.application
    if not application.email:
        return
    with translation.override(application.language):
        subject = DECISION_SUBJECTS[decision.outcome]() % {"vacancy": vacancy.title}
        body = render_to_string(
            f"selection/email/decision_{decision.outcome}.txt",
            {"application": application, "vacancy": vacancy, "office": vacancy.office},
        )
    email_enqueue(subject=subject, body=body, to=[application.email])
    decision.notified_at = timezone.now()
    decision.save(update_fields=["notified_at"])


@transaction.atomic
def application_link_user(*, application: Application, user, actor=None) -> Application:
    """Link an appointed candidate's application to their officer account, so
    their scores at selection start their development record. Linking the same
    account again changes nothing."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.user_id == user.pk:
        return application
    if application.status != ApplicationStatus.APPOINTED or application.anonymised_at:
        raise ValidationError(
            _("Only an appointed candidate's application can be linked to an account."),
            code="not_appointed",
        )
    if application.user_id is not None:
        raise ValidationError(
            _("This application is linked to another account already."),
            code="linked",
        )
    application.user = user
    application.save(update_fields=["user"])
    audit_record(
        action="selection.application.link_user",
        actor=actor,
        obj=user,
        data={
            "application": application.pk,
            "code": application.code,
            "vacancy": application.vacancy.reference,
        },
    )
    return application


def applications_link_new_user(*, user) -> list[Application]:
    """A new active account whose e-mail is an appointed candidate's (in any
    case) is theirs: link it."""
    if not user.is_active or not user.email:
        return []
    linked = []
    for application in Application.objects.not_anonymised().filter(
        status=ApplicationStatus.APPOINTED, user__isnull=True, email__iexact=user.email
    ):
        try:
            linked.append(application_link_user(application=application, user=user))
        except ValidationError:
            # Linked or anonymised meanwhile: creating the account must not fail.
            continue
    return linked


def _free_username(email: str) -> str:
    base = re.sub(r"[^\w.@+-]", "", email.lower())[:140] or "officer"
    username, number = base, 1
    while User.objects.filter(username__iexact=username).exists():
        number += 1
        username = f"{base}-{number}"
    return username


@transaction.atomic
def officer_account_create(*, application: Application, actor) -> tuple[User, bool]:
    """Create the appointed candidate's officer account (the Officer role, the
    vacancy's office, hired today) and link the application to it. If an
    account with the candidate's e-mail exists already, link that one instead.
    Returns the account and whether it was created. The account has no
    password: the administrator sends the sign-in (a password reset)."""
    application = Application.objects.select_related("vacancy__office").get(
        pk=application.pk
    )
    vacancy = application.vacancy
    if not (user_is_chair(actor, vacancy) or user_can_run_vacancies(actor)):
        raise PermissionDenied(
            _("The panel chair or an administrator creates the officer's account.")
        )
    if application.status != ApplicationStatus.APPOINTED or application.anonymised_at:
        raise ValidationError(
            _("Only an appointed candidate gets an officer's account."),
            code="not_appointed",
        )
    if application.user_id is not None:
        raise ValidationError(
            _("This candidate has an account already."), code="linked"
        )
    existing = User.objects.filter(email__iexact=application.email).first()
    if existing is not None:
        application_link_user(application=application, user=existing, actor=actor)
        return existing, False
    user = user_create(
        username=_free_username(application.email),
        full_name=application.full_name,
        email=application.email,
        roles=[Role.OFFICER],
        office=vacancy.office,
        hire_date=timezone.localdate(),
        preferred_language=application.language,
    )
    # The new account's signal has usually linked it already; this makes sure.
    application_link_user(application=application, user=user, actor=actor)
    audit_record(
        action="selection.officer.create",
        actor=actor,
        obj=user,
        data={"application": application.pk, "code": application.code},
    )
    return user, True
