"""Scoring services and selectors: conflicts of interest and who takes the
candidate instead, drafts, submission and the reveal, amendments of locked
scores, identical evidence, what the audit log keeps, and the counts the
assessor's pages show.

Bad inputs tried: points 0, 6, "3" (a string) and True, a point together with
"not observed", evidence without a point, an answer for a competency the stage
does not assess; saving or submitting before declaring, after withdrawing and
after submitting; submitting with a competency unscored or without evidence
(blank spaces count as none); a conflict without a note, declared twice, or
after submitting; a declaration by someone else; an amendment without a
reason, one that changes nothing (or only spaces), one before submitting and
one by another user; scoring once the panel has finished the stage; a score
changed in the database behind the services' back (the audit seal no longer
matches).
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from lms.models import AuditEntry, Notification
from lms.roles import Role
from selection import rounds
from selection.models import (
    Assignment,
    Score,
    ScoreAmendment,
    StageKind,
    VacancyStatus,
)
from selection.models.scoring import evidence_digest
from selection.scoring import selectors, services
from tests.lms.factories import CompetencyFactory, FrameworkVersionFactory, UserFactory
from tests.selection.factories import (
    ApplicationFactory,
    procedure_with_stages,
    vacancy_with_panel,
)

pytestmark = pytest.mark.django_db

EVIDENCE = "Described how she calmed an angry client without promising anything."


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def setup_stage(
    *, kinds=(StageKind.INTERVIEW,), competencies=3, assessors=2, candidates=1
):
    """A vacancy in assessment whose first stage the candidates have entered:
    every assessor of the stage has one assignment per candidate."""
    vacancy = vacancy_with_panel(
        assessors,
        procedure=procedure_with_stages(kinds, competencies),
        status=VacancyStatus.ASSESSING,
    )
    vacancy_stage = rounds.stages_in_order(vacancy)[0]
    applications = [ApplicationFactory(vacancy=vacancy) for _ in range(candidates)]
    rounds.candidates_enter_stage(
        vacancy_stage=vacancy_stage, applications=applications
    )
    return vacancy, vacancy_stage, applications


def competencies_of(vacancy_stage):
    return [item.competency for item in selectors.stage_material(vacancy_stage)]


def declared(assignment) -> Assignment:
    services.assignment_declare(
        assignment=assignment, actor=assignment.assessor, conflict=False
    )
    assignment.refresh_from_db()
    return assignment


def scored(assignment, points=None, evidence=EVIDENCE) -> Assignment:
    """Declared, every competency answered (point 3 unless told), submitted."""
    declared(assignment)
    competencies = competencies_of(assignment.vacancy_stage)
    points = points or [3] * len(competencies)
    services.scores_save(
        assignment=assignment,
        actor=assignment.assessor,
        answers={
            c.pk: (p, p is None, f"{evidence} {assignment.application.code}")
            for c, p in zip(competencies, points, strict=True)
        },
    )
    services.assignment_submit(assignment=assignment, actor=assignment.assessor)
    assignment.refresh_from_db()
    return assignment


def refusal(call, **kwargs) -> list[str]:
    with pytest.raises(ValidationError) as error:
        call(**kwargs)
    return error.value.messages


# Conflicts of interest -----------------------------------------------------------


def test_no_conflict_opens_the_scoring_and_is_audited():
    _vacancy, vacancy_stage, _apps = setup_stage()
    assignment = vacancy_stage.assignments.first()
    declared(assignment)
    assert assignment.conflict is False
    assert assignment.declared_at is not None
    entry = AuditEntry.objects.get(action="selection.conflict.declare")
    assert entry.data == {"conflict": False}
    assert entry.actor == assignment.assessor


def test_a_conflict_goes_to_the_free_assessor_with_the_fewest_assignments():
    vacancy, vacancy_stage, (first, second) = setup_stage(candidates=2)
    busy, idle = UserFactory(roles=[Role.ASSESSOR]), UserFactory(roles=[Role.ASSESSOR])
    vacancy_stage.assessors.add(busy, idle)
    # `busy` already assesses the second candidate; both are free for the first.
    Assignment.objects.create(
        vacancy_stage=vacancy_stage, application=second, assessor=busy
    )
    withdrawing = vacancy_stage.assignments.filter(application=first).first()

    replacement = services.assignment_declare(
        assignment=withdrawing,
        actor=withdrawing.assessor,
        conflict=True,
        note="She is my neighbour's daughter.",
    )

    withdrawing.refresh_from_db()
    assert withdrawing.conflict is True
    assert withdrawing.conflict_note == "She is my neighbour's daughter."
    assert replacement.assessor == idle
    assert replacement.application == first
    assert replacement.conflict is None
    notice = Notification.objects.get(recipient=idle)
    assert notice.url == f"/ru/selection/assignments/{replacement.pk}/"
    assert first.full_name not in notice.subject + notice.body
    assert not Notification.objects.filter(recipient=vacancy.chair).exists()
    entry = AuditEntry.objects.get(action="selection.conflict.declare")
    # The note is kept on the assignment, not copied to the log.
    assert entry.data == {"conflict": True, "replacement": idle.pk}


def test_a_conflict_with_nobody_free_asks_the_chair_for_another_assessor():
    vacancy, vacancy_stage, (application,) = setup_stage(assessors=2)
    withdrawing = vacancy_stage.assignments.first()

    replacement = services.assignment_declare(
        assignment=withdrawing,
        actor=withdrawing.assessor,
        conflict=True,
        note="Cousin.",
    )

    assert replacement is None
    assert vacancy_stage.assignments.count() == 2
    notice = Notification.objects.get(recipient=vacancy.chair)
    assert notice.url == reverse("selection:panel", args=[vacancy.pk]).replace(
        "/en/", "/ru/"
    )
    with translation.override("ru"):
        assert notice.subject == gettext(
            "The stage «%(stage)s» needs another assessor"
        ) % {"stage": vacancy_stage.stage}
    assert application.code in notice.body
    assert application.full_name not in notice.body
    # The withdrawn assessment no longer counts.
    assert rounds.round_progress(vacancy_stage) == (0, 1)


def test_a_conflict_needs_a_note_and_is_declared_once():
    _vacancy, vacancy_stage, _apps = setup_stage()
    assignment = vacancy_stage.assignments.first()
    with pytest.raises(ValidationError) as error:
        services.assignment_declare(
            assignment=assignment, actor=assignment.assessor, conflict=True, note="  "
        )
    assert error.value.message_dict == {
        "note": [gettext("Say briefly what the conflict of interest is.")]
    }
    assignment.refresh_from_db()
    assert assignment.conflict is None

    services.assignment_declare(
        assignment=assignment, actor=assignment.assessor, conflict=True, note="Friend."
    )
    assert refusal(
        services.assignment_declare,
        assignment=assignment,
        actor=assignment.assessor,
        conflict=False,
    ) == [
        gettext("You have already declared a conflict of interest with this candidate.")
    ]


def test_a_conflict_can_be_declared_while_scoring_but_not_after_submitting():
    _vacancy, vacancy_stage, _apps = setup_stage()
    first, second = vacancy_stage.assignments.all()
    declared(first)
    services.assignment_declare(
        assignment=first, actor=first.assessor, conflict=True, note="Recognised her."
    )
    first.refresh_from_db()
    assert first.conflict is True

    scored(second)
    assert refusal(
        services.assignment_declare,
        assignment=second,
        actor=second.assessor,
        conflict=True,
        note="Too late.",
    ) == [
        gettext(
            "Your scores are submitted: tell the panel chair about the conflict of "
            "interest."
        )
    ]


def test_only_the_assessor_declares():
    vacancy, vacancy_stage, _apps = setup_stage()
    assignment = vacancy_stage.assignments.first()
    with pytest.raises(PermissionDenied):
        services.assignment_declare(
            assignment=assignment, actor=vacancy.chair, conflict=False
        )


# Drafts and submission -----------------------------------------------------------


def test_a_draft_may_be_partial_and_is_changed_until_submitted():
    _vacancy, vacancy_stage, _apps = setup_stage()
    assignment = declared(vacancy_stage.assignments.first())
    first, second, third = competencies_of(vacancy_stage)

    services.scores_save(
        assignment=assignment,
        actor=assignment.assessor,
        answers={first.pk: (4, False, ""), second.pk: (None, True, "Asked twice.")},
    )
    services.scores_save(
        assignment=assignment,
        actor=assignment.assessor,
        answers={
            first.pk: (5, False, "  Gave two examples.  "),
            third.pk: (None, False, ""),
        },
    )

    scores = {s.competency_id: s for s in assignment.scores.all()}
    assert set(scores) == {first.pk, second.pk}
    assert (scores[first.pk].point, scores[first.pk].evidence) == (
        5,
        "Gave two examples.",
    )
    assert scores[second.pk].not_observed and scores[second.pk].point is None
    assert assignment.submitted_at is None


@pytest.mark.parametrize("point", [0, 6, "3", True])
def test_a_point_outside_the_scale_is_refused_and_nothing_changes(point):
    _vacancy, vacancy_stage, _apps = setup_stage()
    assignment = declared(vacancy_stage.assignments.first())
    competency = competencies_of(vacancy_stage)[0]
    services.scores_save(
        assignment=assignment,
        actor=assignment.assessor,
        answers={competency.pk: (2, False, "First draft.")},
    )
    assert refusal(
        services.scores_save,
        assignment=assignment,
        actor=assignment.assessor,
        answers={competency.pk: (point, False, "Second draft.")},
    ) == [
        gettext(
            "«%(competency)s»: choose a point of its scale, %(min)s to %(max)s, or "
            "“Not observed”."
        )
        % {"competency": competency.name, "min": 1, "max": 5}
    ]
    kept = assignment.scores.get()
    assert (kept.point, kept.evidence) == (2, "First draft.")


def test_a_point_with_not_observed_and_evidence_without_a_point_are_refused():
    _vacancy, vacancy_stage, _apps = setup_stage()
    assignment = declared(vacancy_stage.assignments.first())
    first, second, _third = competencies_of(vacancy_stage)
    messages = refusal(
        services.scores_save,
        assignment=assignment,
        actor=assignment.assessor,
        answers={first.pk: (3, True, "x"), second.pk: (None, False, "Some evidence.")},
    )
    assert messages == [
        gettext("«%(competency)s»: choose a point or “Not observed”, not both.")
        % {"competency": first.name},
        gettext(
            "«%(competency)s»: choose a point or “Not observed” so that the evidence "
            "can be saved."
        )
        % {"competency": second.name},
    ]
    assert not Score.objects.exists()


def test_an_answer_for_a_competency_the_stage_does_not_assess_is_refused():
    _vacancy, vacancy_stage, _apps = setup_stage()
    assignment = declared(vacancy_stage.assignments.first())
    other = CompetencyFactory(version=FrameworkVersionFactory())
    assert refusal(
        services.scores_save,
        assignment=assignment,
        actor=assignment.assessor,
        answers={other.pk: (3, False, "x")},
    ) == [gettext("One answer is for a competency this stage does not assess.")]


def test_scoring_needs_the_declaration_first():
    _vacancy, vacancy_stage, _apps = setup_stage()
    assignment = vacancy_stage.assignments.first()
    competency = competencies_of(vacancy_stage)[0]
    assert refusal(
        services.scores_save,
        assignment=assignment,
        actor=assignment.assessor,
        answers={competency.pk: (3, False, "x")},
    ) == [
        gettext(
            "Declare first whether you have a conflict of interest with this candidate."
        )
    ]


def test_a_withdrawn_assessor_can_no_longer_score():
    _vacancy, vacancy_stage, _apps = setup_stage()
    assignment = declared(vacancy_stage.assignments.first())
    services.assignment_declare(
        assignment=assignment, actor=assignment.assessor, conflict=True, note="Aunt."
    )
    assert refusal(
        services.assignment_submit, assignment=assignment, actor=assignment.assessor
    ) == [
        gettext(
            "You withdrew from this assessment: you declared a conflict of interest."
        )
    ]


def test_submitting_names_each_competency_without_a_point_or_evidence():
    _vacancy, vacancy_stage, _apps = setup_stage()
    assignment = declared(vacancy_stage.assignments.first())
    first, second, third = competencies_of(vacancy_stage)
    services.scores_save(
        assignment=assignment,
        actor=assignment.assessor,
        answers={first.pk: (4, False, EVIDENCE), second.pk: (2, False, "   ")},
    )
    messages = refusal(
        services.assignment_submit, assignment=assignment, actor=assignment.assessor
    )
    assert messages == [
        gettext(
            "Write the evidence for «%(competency)s» before submitting: what the "
            "candidate said or did or, for “Not observed”, what you looked for."
        )
        % {"competency": second.name},
        gettext("Score «%(competency)s» (a point or “Not observed”) before submitting.")
        % {"competency": third.name},
    ]
    assignment.refresh_from_db()
    assert assignment.submitted_at is None
    assert assignment.scores.count() == 2


def test_not_observed_with_what_was_looked_for_can_be_submitted():
    _vacancy, vacancy_stage, _apps = setup_stage(competencies=2)
    assignment = scored(vacancy_stage.assignments.first(), points=[None, 4])
    assert assignment.is_submitted
    assert [
        s.not_observed for s in assignment.scores.order_by("competency__sort_order")
    ] == [
        True,
        False,
    ]


def test_a_submitted_score_is_locked():
    _vacancy, vacancy_stage, _apps = setup_stage()
    assignment = scored(vacancy_stage.assignments.first())
    competency = competencies_of(vacancy_stage)[0]
    assert refusal(
        services.scores_save,
        assignment=assignment,
        actor=assignment.assessor,
        answers={competency.pk: (1, False, "Changed my mind.")},
    ) == [gettext("This score is locked; amend it with a reason.")]
    assert refusal(
        services.assignment_submit, assignment=assignment, actor=assignment.assessor
    ) == [gettext("These scores are already submitted and locked.")]
    assert assignment.scores.get(competency=competency).point == 3


def test_nothing_changes_once_the_panel_has_finished_the_stage():
    _vacancy, vacancy_stage, _apps = setup_stage()
    assignment = declared(vacancy_stage.assignments.first())
    vacancy_stage.completed_at = timezone.now()
    vacancy_stage.save(update_fields=["completed_at"])
    assignment.refresh_from_db()
    competency = competencies_of(vacancy_stage)[0]
    assert refusal(
        services.scores_save,
        assignment=assignment,
        actor=assignment.assessor,
        answers={competency.pk: (3, False, "x")},
    ) == [
        gettext("The panel has finished this stage: its scores can no longer change.")
    ]


def test_the_stage_is_revealed_exactly_when_the_last_active_score_is_in():
    vacancy, vacancy_stage, _apps = setup_stage(assessors=2, candidates=2)
    assignments = list(vacancy_stage.assignments.order_by("pk"))
    for assignment in assignments[:3]:
        scored(assignment)
        vacancy_stage.refresh_from_db()
        assert not vacancy_stage.is_revealed
        assert not Notification.objects.filter(url__contains="/stages/").exists()

    last = assignments[3]
    declared(last)
    services.scores_save(
        assignment=last,
        actor=last.assessor,
        answers={c.pk: (4, False, EVIDENCE) for c in competencies_of(vacancy_stage)},
    )
    assert services.assignment_submit(assignment=last, actor=last.assessor) is True

    vacancy_stage.refresh_from_db()
    assert vacancy_stage.is_revealed
    panel = {vacancy.chair, *vacancy.panel.all()}
    notices = Notification.objects.filter(url__contains="/stages/")
    assert {n.recipient for n in notices} == panel
    assert {n.url for n in notices} == {
        f"/ru/selection/vacancies/{vacancy.pk}/stages/{vacancy_stage.pk}/"
    }
    # Nothing of the scores travels in a notification.
    assert all(EVIDENCE not in n.body for n in notices)


def test_a_withdrawn_assessment_does_not_hold_the_reveal_back():
    _vacancy, vacancy_stage, _apps = setup_stage(assessors=3)
    first, second, third = vacancy_stage.assignments.order_by("pk")
    services.assignment_declare(
        assignment=first, actor=first.assessor, conflict=True, note="Brother-in-law."
    )
    scored(second)
    vacancy_stage.refresh_from_db()
    assert not vacancy_stage.is_revealed
    scored(third)
    vacancy_stage.refresh_from_db()
    assert vacancy_stage.is_revealed


def test_a_late_score_after_the_chair_closed_the_round_reveals_nothing_new():
    vacancy, vacancy_stage, _apps = setup_stage(assessors=2)
    first, second = vacancy_stage.assignments.order_by("pk")
    scored(first)
    rounds.round_close(vacancy_stage=vacancy_stage, actor=vacancy.chair)
    declared(second)
    services.scores_save(
        assignment=second,
        actor=second.assessor,
        answers={c.pk: (2, False, EVIDENCE) for c in competencies_of(vacancy_stage)},
    )
    assert services.assignment_submit(assignment=second, actor=second.assessor) is False
    assert not Notification.objects.filter(url__contains="/stages/").exists()


# Amendments ------------------------------------------------------------------------


def test_an_amendment_keeps_the_original_and_is_audited():
    _vacancy, vacancy_stage, _apps = setup_stage()
    assignment = scored(vacancy_stage.assignments.first())
    original = assignment.scores.order_by("competency__sort_order").first()
    before_evidence = original.evidence

    amendment = services.score_amend(
        score=original,
        actor=assignment.assessor,
        point=None,
        not_observed=True,
        evidence="The question was never asked: I looked for any example of honesty.",
        reason="I confused two candidates' answers.",
    )

    original.refresh_from_db()
    assert (original.point, original.not_observed) == (None, True)
    assert original.evidence_digest == evidence_digest(original.evidence)
    assert (amendment.point_before, amendment.not_observed_before) == (3, False)
    assert amendment.evidence_before == before_evidence
    assert amendment.amended_by == assignment.assessor
    entry = AuditEntry.objects.get(action="selection.score.amend")
    assert entry.data["competency"] == original.competency.key
    assert entry.data["amendment"] == amendment.pk
    assert entry.data["seal"] == selectors.scores_seal(assignment)


def test_an_amendment_needs_a_reason_and_a_change():
    _vacancy, vacancy_stage, _apps = setup_stage()
    assignment = scored(vacancy_stage.assignments.first())
    locked = assignment.scores.first()
    with pytest.raises(ValidationError) as error:
        services.score_amend(
            score=locked,
            actor=assignment.assessor,
            point=4,
            not_observed=False,
            evidence=locked.evidence,
            reason=" ",
        )
    assert error.value.message_dict == {
        "reason": [gettext("Give the reason for the amendment.")]
    }
    assert refusal(
        services.score_amend,
        score=locked,
        actor=assignment.assessor,
        point=3,
        not_observed=False,
        evidence=f"  {locked.evidence}\n",
        reason="Typo.",
    ) == [
        gettext(
            "Nothing would change: change the score or the evidence, or leave the "
            "score as it is."
        )
    ]
    assert not ScoreAmendment.objects.exists()


def test_only_a_submitted_score_is_amended_and_only_by_its_assessor():
    vacancy, vacancy_stage, _apps = setup_stage()
    assignment = declared(vacancy_stage.assignments.first())
    competency = competencies_of(vacancy_stage)[0]
    services.scores_save(
        assignment=assignment,
        actor=assignment.assessor,
        answers={competency.pk: (3, False, EVIDENCE)},
    )
    draft = assignment.scores.get()
    assert refusal(
        services.score_amend,
        score=draft,
        actor=assignment.assessor,
        point=4,
        not_observed=False,
        evidence=EVIDENCE,
        reason="Better.",
    ) == [gettext("This score is not submitted yet: change it on the assessment page.")]
    with pytest.raises(PermissionDenied):
        services.score_amend(
            score=draft,
            actor=vacancy.chair,
            point=4,
            not_observed=False,
            evidence=EVIDENCE,
            reason="The chair thinks so.",
        )


# Audit -------------------------------------------------------------------------------


def test_the_submission_is_audited_with_a_seal_not_the_points():
    _vacancy, vacancy_stage, _apps = setup_stage(competencies=2)
    assignment = scored(vacancy_stage.assignments.first(), points=[4, None])
    entry = AuditEntry.objects.get(action="selection.score.submit")
    keys = sorted(c.key for c in competencies_of(vacancy_stage))
    assert entry.data == {
        "competencies": keys,
        "seal": selectors.scores_seal(assignment),
    }
    assert entry.actor == assignment.assessor

    # A score changed behind the services' back no longer matches the seal.
    Score.objects.filter(assignment=assignment, point=4).update(point=5)
    assert selectors.scores_seal(assignment) != entry.data["seal"]


# Selectors ----------------------------------------------------------------------------


def test_identical_evidence_is_flagged_for_two_candidates_not_for_one():
    vacancy, vacancy_stage, (first, second) = setup_stage(candidates=2, competencies=2)
    assessor = vacancy_stage.assessors.order_by("pk").first()
    other_assessor = vacancy_stage.assessors.order_by("pk").last()
    mine = {
        a.application_id: declared(a)
        for a in vacancy_stage.assignments.filter(assessor=assessor)
    }
    theirs = declared(
        vacancy_stage.assignments.get(assessor=other_assessor, application=first)
    )
    integrity, empathy = competencies_of(vacancy_stage)
    pasted = "Answered every question calmly and gave concrete examples."
    services.scores_save(
        assignment=mine[first.pk],
        actor=assessor,
        answers={integrity.pk: (4, False, pasted), empathy.pk: (3, False, "Good.")},
    )
    services.scores_save(
        assignment=mine[second.pk],
        actor=assessor,
        answers={
            integrity.pk: (2, False, pasted.upper().replace(" ", "  ")),
            empathy.pk: (3, False, "Good."),
        },
    )
    # Another assessor writing the same words is not the same assessor pasting.
    services.scores_save(
        assignment=theirs,
        actor=other_assessor,
        answers={integrity.pk: (4, False, pasted)},
    )

    flagged = selectors.duplicate_evidence(mine[first.pk])
    pasted_score = mine[first.pk].scores.get(competency=integrity)
    assert flagged == {pasted_score.pk: 2}
    assert selectors.duplicate_evidence(theirs) == {}
    assert selectors.stage_duplicate_evidence(vacancy_stage) == {
        pasted_score.pk: 2,
        mine[second.pk].scores.get(competency=integrity).pk: 2,
    }


def test_evidence_written_once_is_not_flagged():
    _vacancy, vacancy_stage, _apps = setup_stage(candidates=1)
    assignment = scored(vacancy_stage.assignments.first())
    assert selectors.duplicate_evidence(assignment) == {}


def test_an_assessor_with_an_unsubmitted_assessment_of_the_stage_is_pending():
    _vacancy, vacancy_stage, _apps = setup_stage(candidates=2)
    assessor = vacancy_stage.assessors.first()
    first, second = vacancy_stage.assignments.filter(assessor=assessor)
    assert selectors.assessor_has_pending(assessor, vacancy_stage)
    scored(first)
    assert selectors.assessor_has_pending(assessor, vacancy_stage)
    services.assignment_declare(
        assignment=second, actor=assessor, conflict=True, note="My former pupil."
    )
    assert not selectors.assessor_has_pending(assessor, vacancy_stage)
    assert not selectors.assessor_has_pending(UserFactory(), vacancy_stage)


def test_progress_counts_submitted_and_leaves_out_withdrawn():
    _vacancy, vacancy_stage, _apps = setup_stage(assessors=3, candidates=2)
    first, second, *_rest = vacancy_stage.assignments.order_by("pk")
    scored(first)
    services.assignment_declare(
        assignment=second, actor=second.assessor, conflict=True, note="Classmate."
    )
    assert rounds.rounds_progress([vacancy_stage.pk]) == {vacancy_stage.pk: (1, 5)}
    assert rounds.round_progress(vacancy_stage) == (1, 5)


def test_assignments_to_do_leave_out_submitted_withdrawn_and_finished_ones():
    _vacancy, vacancy_stage, _apps = setup_stage(candidates=4)
    assessor = vacancy_stage.assessors.first()
    first, second, third, _fourth = vacancy_stage.assignments.filter(assessor=assessor)
    assert selectors.assignments_to_do(assessor) == 4
    scored(first)
    services.assignment_declare(
        assignment=second, actor=assessor, conflict=True, note="Neighbour."
    )
    declared(third)
    assert selectors.assignments_to_do(assessor) == 2
    vacancy_stage.completed_at = timezone.now()
    vacancy_stage.save(update_fields=["completed_at"])
    assert selectors.assignments_to_do(assessor) == 0


def test_scores_and_assignments_have_no_admin_screens():
    """Nobody, administrators included, reads scores outside the reveal."""
    from django.conf import settings
    from wagtail.admin.viewsets import viewsets
    from wagtail.snippets.models import get_snippet_models

    reverse("wagtailadmin_home")  # the admin's viewsets are registered by now
    models = {getattr(viewset, "model", None) for viewset in viewsets.viewsets}
    models |= set(get_snippet_models())
    assert viewsets.viewsets
    assert not models & {Score, Assignment, ScoreAmendment}
    assert "django.contrib.admin" not in settings.INSTALLED_APPS


def test_the_dashboard_counts_the_assessments_to_do(client):
    _vacancy, vacancy_stage, _apps = setup_stage(candidates=3)
    assessor = vacancy_stage.assessors.first()
    client.force_login(assessor)
    html = client.get("/en/dashboard/").content.decode()
    assert "<strong>3</strong> assessments to do." in html
    assert html.count("My assessments</h2>") == 1
