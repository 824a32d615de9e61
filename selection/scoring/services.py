"""Assessors score blind: each declares any conflict of interest first (a
conflict sends the candidate to another assessor), scores every competency of
the stage on its anchored scale with the evidence seen, and submits. A
submitted score is locked: a change is an amendment with a reason, and the
original stays. The stage is revealed to the panel when the last score is in.

What an assessor gave never goes into a notification or, before the reveal,
anywhere an administrator could read it: the audit log keeps a seal of the
scores (selectors.scores_seal), not the points."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lms.audit import audit_record
from lms.services import notification_send
from selection import rounds
from selection.models import (
    Assignment,
    Score,
    ScoreAmendment,
    VacancyStage,
)
from selection.models.scoring import evidence_digest
from selection.scoring import selectors

# (point or None, not observed, evidence), by competency id.
Answer = tuple[int | None, bool, str]


def _notify(recipient, *, subject, body, url_name: str, args: list, **params) -> None:
    """Subject, body and address in the recipient's language. Never a score,
    never a candidate's name: a link."""
    with translation.override(recipient.preferred_language):
        values = {key: str(value) for key, value in params.items()}
        notification_send(
            recipient=recipient,
            subject=str(subject) % values,
            body=str(body) % values,
            url=reverse(url_name, args=args),
        )


def _locked_assignment(assignment: Assignment) -> Assignment:
    return (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("vacancy_stage__stage", "vacancy_stage__vacancy", "application")
        .get(pk=assignment.pk)
    )


def _check_can_score(assignment: Assignment, actor) -> None:
    if assignment.assessor_id != actor.pk:
        raise PermissionDenied(_("Only the assigned assessor scores this candidate."))
    if assignment.conflict is True:
        raise ValidationError(
            _(
                "You withdrew from this assessment: you declared a conflict of "
                "interest."
            ),
            code="withdrawn",
        )
    if assignment.conflict is None:
        raise ValidationError(
            _(
                "Declare first whether you have a conflict of interest with this "
                "candidate."
            ),
            code="not_declared",
        )
    if not selectors.assignment_is_open(assignment):
        raise ValidationError(
            _("The panel has finished this stage: its scores can no longer change."),
            code="closed",
        )


def _answer_errors(competency, point, not_observed: bool) -> list[ValidationError]:
    params = {"competency": competency, "competency_id": competency.pk}
    if point is not None and not_observed:
        return [
            ValidationError(
                _("«%(competency)s»: choose a point or “Not observed”, not both."),
                code="point",
                params=params,
            )
        ]
    scale = selectors.scale_of(competency)
    if point is not None and (
        isinstance(point, bool) or not isinstance(point, int) or point not in scale
    ):
        return [
            ValidationError(
                _(
                    "«%(competency)s»: choose a point of its scale, %(min)s to "
                    "%(max)s, or “Not observed”."
                ),
                code="point",
                params={**params, "min": scale[0], "max": scale[-1]},
            )
        ]
    return []


@transaction.atomic
def assignment_declare(
    *, assignment: Assignment, actor, conflict: bool, note: str = ""
) -> Assignment | None:
    """The assessor declares whether they have a conflict of interest with the
    candidate. "No conflict" opens the scoring. A conflict (with a note saying
    what it is) withdraws the assignment, at any time before submitting, and
    gives the candidate to the stage's assessor who has none of this
    candidate and the fewest assignments in the stage; that assessor is
    notified. If nobody is free, the chair is asked for another assessor.
    Returns the replacement assignment, if one was made."""
    assignment = _locked_assignment(assignment)
    if assignment.assessor_id != actor.pk:
        raise PermissionDenied(_("Only the assigned assessor declares a conflict."))
    if assignment.conflict is True:
        raise ValidationError(
            _("You have already declared a conflict of interest with this candidate."),
            code="withdrawn",
        )
    if assignment.is_submitted:
        raise ValidationError(
            _(
                "Your scores are submitted: tell the panel chair about the conflict "
                "of interest."
            ),
            code="submitted",
        )
    if not selectors.assignment_is_open(assignment):
        raise ValidationError(
            _("The panel has finished this stage: its scores can no longer change."),
            code="closed",
        )
    note = note.strip()
    if not conflict:
        if assignment.conflict is None:
            assignment.conflict, assignment.declared_at = False, timezone.now()
            assignment.save(update_fields=["conflict", "declared_at"])
            audit_record(
                action="selection.conflict.declare",
                actor=actor,
                obj=assignment,
                data={"conflict": False},
            )
        return None
    if not note:
        raise ValidationError(
            {"note": _("Say briefly what the conflict of interest is.")},
            code="note_required",
        )
    assignment.conflict, assignment.conflict_note = True, note
    assignment.declared_at = timezone.now()
    assignment.full_clean()
    assignment.save(update_fields=["conflict", "conflict_note", "declared_at"])
    replacement = _replacement_assign(assignment)
    audit_record(
        action="selection.conflict.declare",
        actor=actor,
        obj=assignment,
        data={
            "conflict": True,
            "replacement": replacement.assessor_id if replacement else None,
        },
    )
    vacancy_stage = assignment.vacancy_stage
    params = {"vacancy": vacancy_stage.vacancy, "stage": vacancy_stage.stage}
    if replacement is not None:
        _notify(
            replacement.assessor,
            subject=gettext_lazy("A candidate to assess: %(vacancy)s, %(stage)s"),
            body=gettext_lazy(
                "Another assessor declared a conflict of interest, so a candidate "
                "has been given to you. Open the link to declare any conflict of "
                "your own and to score."
            ),
            url_name="selection:assignment",
            args=[replacement.pk],
            **params,
        )
    else:
        _notify(
            vacancy_stage.vacancy.chair,
            subject=gettext_lazy("The stage «%(stage)s» needs another assessor"),
            body=gettext_lazy(
                "An assessor of %(vacancy)s declared a conflict of interest with "
                "candidate %(code)s, and no other assessor of the stage «%(stage)s» "
                "is free to take the candidate. Name another assessor for the "
                "stage, or close the round without this assessment."
            ),
            url_name="selection:panel",
            args=[vacancy_stage.vacancy_id],
            code=assignment.application.code,
            **params,
        )
    return replacement


def _replacement_assign(assignment: Assignment) -> Assignment | None:
    vacancy_stage = VacancyStage.objects.select_for_update().get(
        pk=assignment.vacancy_stage_id
    )
    taken = Assignment.objects.filter(
        vacancy_stage=vacancy_stage, application_id=assignment.application_id
    ).values("assessor_id")
    free = list(vacancy_stage.assessors.filter(is_active=True).exclude(pk__in=taken))
    if not free:
        return None
    load = dict(
        Assignment.objects.filter(vacancy_stage=vacancy_stage, assessor__in=free)
        .exclude(conflict=True)
        .values("assessor_id")
        .annotate(count=Count("pk"))
        .values_list("assessor_id", "count")
    )
    assessor = min(free, key=lambda user: (load.get(user.pk, 0), user.pk))
    return Assignment.objects.create(
        vacancy_stage=vacancy_stage,
        application_id=assignment.application_id,
        assessor=assessor,
    )


@transaction.atomic
def scores_save(*, assignment: Assignment, actor, answers: dict[int, Answer]) -> None:
    """Save the assessor's draft: any of the stage's competencies, each with a
    point of its scale or "not observed" (never both), and the evidence so
    far. An answer with neither a point nor evidence removes the draft score.
    Evidence without a point is refused (there is nothing to attach it to).
    Refused once submitted: a locked score is amended with a reason."""
    assignment = _locked_assignment(assignment)
    _check_can_score(assignment, actor)
    if assignment.is_submitted:
        raise ValidationError(
            _("This score is locked; amend it with a reason."), code="locked"
        )
    competencies = {
        item.competency_id: item.competency
        for item in selectors.stage_material(assignment.vacancy_stage)
    }
    errors: list[ValidationError] = []
    for competency_id, (point, not_observed, evidence) in answers.items():
        competency = competencies.get(competency_id)
        if competency is None:
            errors.append(
                ValidationError(
                    _("One answer is for a competency this stage does not assess."),
                    code="competency",
                )
            )
            continue
        errors += _answer_errors(competency, point, not_observed)
        if point is None and not not_observed and evidence.strip():
            errors.append(
                ValidationError(
                    _(
                        "«%(competency)s»: choose a point or “Not observed” so that "
                        "the evidence can be saved."
                    ),
                    code="point",
                    params={"competency": competency, "competency_id": competency.pk},
                )
            )
    if errors:
        raise ValidationError(errors)
    existing = {score.competency_id: score for score in assignment.scores.all()}
    for competency_id, (point, not_observed, evidence) in answers.items():
        score = existing.get(competency_id)
        if point is None and not not_observed:
            if score is not None:
                score.delete()
            continue
        evidence = evidence.strip()
        score = score or Score(assignment=assignment, competency_id=competency_id)
        score.point, score.not_observed = point, not_observed
        score.evidence, score.evidence_digest = evidence, evidence_digest(evidence)
        # A draft may wait for its evidence; submitting requires it.
        score.full_clean(exclude=["evidence"] if not evidence else None)
        score.save()


@transaction.atomic
def assignment_submit(*, assignment: Assignment, actor) -> bool:
    """Lock the assessor's scores: every competency of the stage needs a point
    or "not observed", and evidence. Identical evidence for several
    candidates is allowed (the page warns about it). When this was the last
    score of the stage, the stage is revealed and the panel told. Returns
    whether this submission revealed the stage."""
    assignment = _locked_assignment(assignment)
    _check_can_score(assignment, actor)
    if assignment.is_submitted:
        raise ValidationError(
            _("These scores are already submitted and locked."), code="submitted"
        )
    scores = {
        score.competency_id: score
        for score in assignment.scores.select_related("competency")
    }
    errors = []
    for item in selectors.stage_material(assignment.vacancy_stage):
        competency = item.competency
        params = {"competency": competency, "competency_id": competency.pk}
        score = scores.get(competency.pk)
        if score is None or (score.point is None and not score.not_observed):
            errors.append(
                ValidationError(
                    _(
                        "Score «%(competency)s» (a point or “Not observed”) before "
                        "submitting."
                    ),
                    code="no_point",
                    params=params,
                )
            )
        elif not score.evidence.strip():
            errors.append(
                ValidationError(
                    _(
                        "Write the evidence for «%(competency)s» before submitting: "
                        "what the candidate said or did or, for “Not observed”, what "
                        "you looked for."
                    ),
                    code="no_evidence",
                    params=params,
                )
            )
    if errors:
        raise ValidationError(errors)
    assignment.submitted_at = timezone.now()
    assignment.save(update_fields=["submitted_at"])
    audit_record(
        action="selection.score.submit",
        actor=actor,
        obj=assignment,
        data={
            "competencies": sorted(score.competency.key for score in scores.values()),
            "seal": selectors.scores_seal(assignment),
        },
    )
    vacancy_stage = assignment.vacancy_stage
    if vacancy_stage.is_revealed:
        # The chair closed the round early: a late score adds to what the panel
        # sees, and there is nothing more to reveal.
        return False
    if not rounds.round_reveal_if_complete(vacancy_stage=vacancy_stage, actor=actor):
        return False
    vacancy = vacancy_stage.vacancy
    for member in _panel(vacancy):
        _notify(
            member,
            subject=gettext_lazy("The scores of «%(stage)s» are in"),
            body=gettext_lazy(
                "Every assessor of %(vacancy)s has submitted their scores for the "
                "stage «%(stage)s»: the panel can compare them and agree the "
                "consensus."
            ),
            url_name="selection:panel_stage",
            args=[vacancy.pk, vacancy_stage.pk],
            vacancy=vacancy,
            stage=vacancy_stage.stage,
        )
    return True


def _panel(vacancy) -> list:
    members = {vacancy.chair_id: vacancy.chair}
    for member in vacancy.panel.filter(is_active=True):
        members.setdefault(member.pk, member)
    return [member for member in members.values() if member.is_active]


@transaction.atomic
def score_amend(
    *,
    score: Score,
    actor,
    point: int | None,
    not_observed: bool,
    evidence: str,
    reason: str,
) -> ScoreAmendment:
    """Change a submitted (locked) score: only its assessor, with a reason, and
    only if something changes. The values before are kept with the amendment,
    and the page shows them."""
    score = (
        Score.objects.select_for_update(of=("self",))
        .select_related(
            "competency",
            "assignment__vacancy_stage__stage",
            "assignment__vacancy_stage__vacancy",
        )
        .get(pk=score.pk)
    )
    assignment = score.assignment
    if assignment.assessor_id != actor.pk:
        raise PermissionDenied(_("Only the assessor who gave a score amends it."))
    if not assignment.is_submitted:
        raise ValidationError(
            _("This score is not submitted yet: change it on the assessment page."),
            code="not_submitted",
        )
    if not selectors.assignment_is_open(assignment):
        raise ValidationError(
            _("The panel has finished this stage: its scores can no longer change."),
            code="closed",
        )
    errors: dict[str, list] = {}
    point_errors = _answer_errors(score.competency, point, not_observed)
    if point is None and not not_observed:
        point_errors.append(
            ValidationError(
                _("Choose a point of the scale or “Not observed”."), code="point"
            )
        )
    if point_errors:
        errors["point"] = point_errors
    evidence, reason = evidence.strip(), reason.strip()
    if not evidence:
        errors["evidence"] = [
            ValidationError(
                _(
                    "Write the evidence: what the candidate said or did or, for "
                    "“Not observed”, what you looked for."
                ),
                code="required",
            )
        ]
    if not reason:
        errors["reason"] = [
            ValidationError(_("Give the reason for the amendment."), code="required")
        ]
    if errors:
        raise ValidationError(errors)
    if (
        point == score.point
        and not_observed == score.not_observed
        and " ".join(evidence.split()) == " ".join(score.evidence.split())
    ):
        raise ValidationError(
            _(
                "Nothing would change: change the score or the evidence, or leave the "
                "score as it is."
            ),
            code="unchanged",
        )
    amendment = ScoreAmendment(
        score=score,
        point_before=score.point,
        not_observed_before=score.not_observed,
        evidence_before=score.evidence,
        point=point,
        not_observed=not_observed,
        evidence=evidence,
        reason=reason,
        amended_by=actor,
    )
    amendment.full_clean()
    amendment.save()
    score.point, score.not_observed = point, not_observed
    score.evidence, score.evidence_digest = evidence, evidence_digest(evidence)
    score.full_clean()
    score.save(
        update_fields=[
            "point",
            "not_observed",
            "evidence",
            "evidence_digest",
            "updated_at",
        ]
    )
    audit_record(
        action="selection.score.amend",
        actor=actor,
        obj=assignment,
        data={
            "competency": score.competency.key,
            "amendment": amendment.pk,
            "seal": selectors.scores_seal(assignment),
        },
    )
    return amendment
