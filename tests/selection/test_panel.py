"""The panel agrees and decides: the arithmetic against figures computed by
hand, the consensus, moving candidates on, the ranking and the decision, with
their audit entries and the candidates' e-mails in their own language.

The three-candidate fixture (weights 50/30/20, integrity first with a
knock-out minimum of 3, pass mark 3.00), consensus points per competency:

    stage 1     A 4 4 3 -> 3.80    B 3 5 5 -> 4.00    C 5 5 5 -> 5.00
    stage 2     A 4 - 4 -> 4.00    B 3 3 2 -> 2.80    C 2 5 5 -> 3.50, knocked out
    overall     A 3.90             B 3.40             C 4.25
    ("-": not observed; A's stage 2 total is (50x4 + 20x4) / 70)

Bad inputs tried: a consensus before the reveal, by someone off the panel,
with a point of 0, 6 or text, without a rationale, with a competency missing,
after the candidates moved on; completing a stage with a consensus missing,
twice, or as a panel member who is not the chair; a decision without reasons,
with an unknown outcome, appointing a candidate below the integrity minimum
with the highest total, appointing more candidates than posts, a second
decision, a decision by a panel member who is not the chair, a decision on a
candidate who did not pass; linking an application that was not appointed.
"""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lms.models import AuditEntry, Notification
from lms.roles import Role
from selection import rounds
from selection.models import (
    Application,
    ApplicationStatus,
    Assignment,
    Consensus,
    Decision,
    Outcome,
    StageKind,
    StageResult,
)
from selection.panel import scoring_math, selectors, services
from tests.lms.factories import UserFactory
from tests.selection.factories import (
    ApplicationFactory,
    procedure_with_stages,
    score,
    vacancy_with_panel,
)

pytestmark = pytest.mark.django_db

WEIGHTS = (50, 30, 20)
D = Decimal


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


# Helpers, shared with test_panel_views and test_record.


def panel_world(
    kinds=(StageKind.SCREENING, StageKind.INTERVIEW),
    candidates: int = 3,
    posts: int = 1,
    languages=("ru",),
    procedure=None,
):
    """A vacancy with weights 50/30/20 on every stage, a chair, a panel
    member, two assessors, and candidates in the first stage. Pass the
    procedure of an earlier world for a second vacancy in the same test."""
    if procedure is None:
        procedure = procedure_with_stages(kinds=kinds, competencies=3)
        for stage in procedure.stages.all():
            for stage_competency, weight in zip(
                stage.competencies.order_by("sort_order"), WEIGHTS, strict=True
            ):
                stage_competency.weight = weight
                stage_competency.save(update_fields=["weight"])
    vacancy = vacancy_with_panel(2, procedure=procedure, posts=posts)
    applications = [
        ApplicationFactory(vacancy=vacancy, language=languages[n % len(languages)])
        for n in range(candidates)
    ]
    rounds.vacancy_start_assessment(vacancy=vacancy, actor=vacancy.chair)
    stages = rounds.stages_in_order(vacancy)
    return SimpleNamespace(
        vacancy=vacancy,
        chair=vacancy.chair,
        member=vacancy.panel.exclude(pk=vacancy.chair_id).get(),
        assessors=list(stages[0].assessors.order_by("pk")),
        stages=stages,
        competencies=[sc.competency for sc in selectors.stage_competencies(stages[0])],
        applications=applications,
    )


def submit(vacancy_stage, points: dict, evidence="Говорил о клиенте уважительно."):
    """Each assessor (in pk order) submits their points for each candidate:
    points[application] is one list of three points per assessor."""
    assessors = list(vacancy_stage.assessors.order_by("pk"))
    competencies = [sc.competency for sc in selectors.stage_competencies(vacancy_stage)]
    for application, per_assessor in points.items():
        for assessor, competency_points in zip(assessors, per_assessor, strict=True):
            assignment = Assignment.objects.get(
                vacancy_stage=vacancy_stage, application=application, assessor=assessor
            )
            for competency, point in zip(competencies, competency_points, strict=True):
                score(assignment, competency, point, f"{evidence} {application.code}")
            assignment.conflict = False
            assignment.submitted_at = timezone.now()
            assignment.save(update_fields=["conflict", "submitted_at"])
    rounds.round_reveal_if_complete(vacancy_stage=vacancy_stage)
    vacancy_stage.refresh_from_db()


def agree(world, vacancy_stage, application, points, actor=None, rationale=None):
    return services.consensus_record(
        vacancy_stage=vacancy_stage,
        application=application,
        actor=actor or world.chair,
        points={
            competency.pk: point
            for competency, point in zip(world.competencies, points, strict=True)
        },
        rationale=rationale or "Пример из практики убедил всех.",
    )


def run_stage(world, index: int, consensus: dict):
    """Both assessors score what the panel then agrees; the chair moves on."""
    vacancy_stage = world.stages[index]
    submit(vacancy_stage, {app: [points, points] for app, points in consensus.items()})
    for application, points in consensus.items():
        agree(world, vacancy_stage, application, points)
    return services.stage_complete(vacancy_stage=vacancy_stage, actor=world.chair)


def three_candidates(capture=None, languages=("ru",)):
    """The fixture of the module docstring, through both stages."""
    world = panel_world(languages=languages)
    a, b, c = world.applications
    run_stage(world, 0, {a: [4, 4, 3], b: [3, 5, 5], c: [5, 5, 5]})
    run_stage(world, 1, {a: [4, None, 4], b: [3, 3, 2], c: [2, 5, 5]})
    return world


def audit_actions(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("pk"))


# The arithmetic.


def test_the_independent_mean_leaves_out_not_observed():
    assert scoring_math.independent_mean([4, None, 2]) == D("3.00")
    assert scoring_math.independent_mean([2, 3, 3]) == D("2.67")
    assert scoring_math.independent_mean([None, None]) is None


def test_the_spread_is_highest_minus_lowest_observed_and_two_is_a_disagreement():
    assert scoring_math.spread([2, 4, None]) == 2
    assert scoring_math.is_disagreement(scoring_math.spread([2, 4]))
    assert scoring_math.spread([3, 4]) == 1
    assert not scoring_math.is_disagreement(1)
    assert scoring_math.spread([None]) is None
    assert not scoring_math.is_disagreement(None)


def test_weighted_total_renormalises_the_weights_over_observed_competencies():
    weights = {"integrity": 50, "communication": 30, "capacity": 20}
    points = {"integrity": 4, "communication": 4, "capacity": 3}
    assert scoring_math.weighted_total(points, weights) == D("3.80")
    # (50x5 + 20x2) / 70 = 4.142...
    points = {"integrity": 5, "communication": None, "capacity": 2}
    assert scoring_math.weighted_total(points, weights) == D("4.14")
    nothing = dict.fromkeys(weights)
    assert scoring_math.weighted_total(nothing, weights) is None


def test_knock_outs_below_the_minimum_or_not_observed():
    minimums = {"integrity": 3, "communication": None}
    assert scoring_math.knock_outs({"integrity": 3, "communication": 1}, minimums) == []
    assert scoring_math.knock_outs({"integrity": 2, "communication": 5}, minimums) == [
        "integrity"
    ]
    assert scoring_math.knock_outs(
        {"integrity": None, "communication": 5}, minimums
    ) == ["integrity"]
    assert not scoring_math.stage_passed(D("4.50"), ["integrity"], D("3.00"))
    assert scoring_math.stage_passed(D("3.00"), [], D("3.00"))
    assert not scoring_math.stage_passed(D("2.99"), [], D("3.00"))


def test_overall_score_is_the_mean_of_stage_totals_and_equal_totals_share_a_rank():
    assert scoring_math.overall_score([D("3.80"), D("4.00")]) == D("3.90")
    assert scoring_math.overall_score([D("5.00"), None]) == D("5.00")
    assert scoring_math.ranks(
        {"a": D("4.00"), "b": D("4.50"), "c": D("4.00"), "d": D("3.00"), "e": None}
    ) == {"a": 2, "b": 1, "c": 2, "d": 4, "e": None}


# The consensus.


def test_a_spread_of_two_is_flagged_and_a_spread_of_one_is_not():
    world = panel_world(candidates=1)
    (application,) = world.applications
    vacancy_stage = world.stages[0]
    submit(vacancy_stage, {application: [[2, 3, None], [4, 4, 4]]})
    board = selectors.stage_board(vacancy_stage)[0]
    integrity, communication, capacity = board.rows
    assert (integrity.spread, integrity.disagreement) == (2, True)
    assert (communication.spread, communication.disagreement) == (1, False)
    # Not observed is left out of the mean and the spread.
    assert (capacity.mean, capacity.spread, capacity.disagreement) == (
        D("4.00"),
        0,
        False,
    )
    assert board.disagreements == 1
    agree(world, vacancy_stage, application, [3, 4, None])
    stored = {
        row.competency_id: row
        for row in Consensus.objects.filter(application=application)
    }
    first, second, third = (stored[c.pk] for c in world.competencies)
    assert (first.independent_mean, first.spread, first.point) == (D("3.00"), 2, 3)
    assert (second.independent_mean, second.spread) == (D("3.50"), 1)
    assert (third.independent_mean, third.point, third.not_observed) == (
        D("4.00"),
        None,
        True,
    )


def test_recording_the_consensus_again_replaces_it_and_both_are_audited():
    world = panel_world(candidates=1)
    (application,) = world.applications
    vacancy_stage = world.stages[0]
    submit(vacancy_stage, {application: [[3, 3, 3], [4, 4, 4]]})
    agree(world, vacancy_stage, application, [3, 3, 3], actor=world.member)
    agree(world, vacancy_stage, application, [4, 4, 3], rationale="Пересмотрели.")
    rows = Consensus.objects.filter(application=application)
    assert sorted(rows.values_list("point", flat=True)) == [3, 4, 4]
    assert set(rows.values_list("rationale", flat=True)) == {"Пересмотрели."}
    assert set(rows.values_list("recorded_by", flat=True)) == {world.chair.pk}
    first, second = audit_actions("selection.consensus.record")
    assert first.actor == world.member
    assert first.data["replaced"] is None
    assert second.data["replaced"] == {c.key: 3 for c in world.competencies}
    assert second.data["points"] == dict(
        zip([c.key for c in world.competencies], [4, 4, 3], strict=True)
    )


def test_a_consensus_before_the_reveal_is_refused():
    world = panel_world(candidates=2)
    first, second = world.applications
    vacancy_stage = world.stages[0]
    submit(vacancy_stage, {first: [[3, 3, 3], [3, 3, 3]]})
    assert not vacancy_stage.is_revealed
    with pytest.raises(ValidationError) as refusal:
        agree(world, vacancy_stage, first, [3, 3, 3])
    assert "not revealed yet" in refusal.value.messages[0]
    assert not Consensus.objects.exists()


@pytest.mark.parametrize("bad_point", [0, 6, "4", True])
def test_a_consensus_point_outside_the_scale_is_refused(bad_point):
    world = panel_world(candidates=1)
    (application,) = world.applications
    vacancy_stage = world.stages[0]
    submit(vacancy_stage, {application: [[3, 3, 3], [3, 3, 3]]})
    with pytest.raises(ValidationError) as refusal:
        agree(world, vacancy_stage, application, [3, bad_point, 3])
    assert refusal.value.messages == [
        _("A consensus score is a point from %(low)s to %(high)s, or not observed.")
        % {"low": 1, "high": 5}
    ]
    assert not Consensus.objects.exists()


def test_a_consensus_without_rationale_or_with_a_competency_missing_is_refused():
    world = panel_world(candidates=1)
    (application,) = world.applications
    vacancy_stage = world.stages[0]
    submit(vacancy_stage, {application: [[3, 3, 3], [3, 3, 3]]})
    with pytest.raises(ValidationError) as refusal:
        agree(world, vacancy_stage, application, [3, 3, 3], rationale="   ")
    assert refusal.value.message_dict == {
        "rationale": [_("Write the rationale for the consensus.")]
    }
    with pytest.raises(ValidationError) as refusal:
        services.consensus_record(
            vacancy_stage=vacancy_stage,
            application=application,
            actor=world.chair,
            points={world.competencies[0].pk: 3},
            rationale="Согласовано.",
        )
    assert world.competencies[1].name in refusal.value.messages[0]
    assert not Consensus.objects.exists()


@pytest.mark.parametrize("who", ["assessor", "administrator", "superuser"])
def test_only_the_panel_records_a_consensus(who):
    world = panel_world(candidates=1)
    (application,) = world.applications
    vacancy_stage = world.stages[0]
    submit(vacancy_stage, {application: [[3, 3, 3], [3, 3, 3]]})
    actor = {
        "assessor": world.assessors[0],
        "administrator": UserFactory(roles=[Role.ADMINISTRATOR]),
        "superuser": UserFactory(is_superuser=True, is_staff=True),
    }[who]
    with pytest.raises(PermissionDenied):
        agree(world, vacancy_stage, application, [3, 3, 3], actor=actor)
    assert not Consensus.objects.exists()


# Moving candidates on.


def test_completing_a_stage_is_refused_until_every_candidate_has_a_consensus():
    world = panel_world(candidates=2)
    first, second = world.applications
    vacancy_stage = world.stages[0]
    submit(vacancy_stage, {app: [[3, 3, 3], [3, 3, 3]] for app in world.applications})
    agree(world, vacancy_stage, first, [3, 3, 3])
    with pytest.raises(PermissionDenied):
        services.stage_complete(vacancy_stage=vacancy_stage, actor=world.member)
    with pytest.raises(ValidationError) as refusal:
        services.stage_complete(vacancy_stage=vacancy_stage, actor=world.chair)
    assert str(second) in refusal.value.messages[0]
    assert str(first) not in refusal.value.messages[0]
    assert not StageResult.objects.exists()
    vacancy_stage.refresh_from_db()
    assert vacancy_stage.completed_at is None


def test_completing_a_stage_moves_the_passed_on_and_tells_the_others(
    django_capture_on_commit_callbacks,
):
    world = panel_world(languages=("ru", "ru", "kk"))
    a, b, c = world.applications
    first, second = world.stages
    with django_capture_on_commit_callbacks(execute=True):
        run_stage(world, 0, {a: [4, 4, 3], b: [3, 5, 5], c: [2, 5, 5]})
    results = {
        r.application_id: r for r in StageResult.objects.filter(vacancy_stage=first)
    }
    assert {pk: (r.weighted_total, r.passed, r.rank) for pk, r in results.items()} == {
        a.pk: (D("3.80"), True, 2),
        b.pk: (D("4.00"), True, 1),
        c.pk: (D("3.50"), False, 3),
    }
    assert results[c.pk].knocked_out_on == [world.competencies[0].key]
    # The passed candidates are in the next stage, with its assessors' work.
    for application in (a, b):
        application.refresh_from_db()
        assert application.current_stage == second
        assert application.status == ApplicationStatus.IN_PROGRESS
        assert set(
            Assignment.objects.filter(
                vacancy_stage=second, application=application
            ).values_list("assessor", flat=True)
        ) == {assessor.pk for assessor in world.assessors}
    c.refresh_from_db()
    assert c.status == ApplicationStatus.NOT_PASSED
    assert c.current_stage == first
    assert not Assignment.objects.filter(vacancy_stage=second, application=c).exists()
    for assessor in world.assessors:
        notice = Notification.objects.get(recipient=assessor, url="/ru/selection/")
        assert "2" in notice.subject
    # The candidate who did not continue is told, in Kazakh, without scores.
    (letter,) = [m for m in mail.outbox if m.to == [c.email]]
    assert "Пробация инспекторы" in letter.subject
    assert "Инспектор пробации" not in letter.subject
    with translation.override("kk"):
        assert letter.subject == _("Your application for %(vacancy)s") % {
            "vacancy": "Пробация инспекторы"
        }
    assert c.full_name in letter.body
    assert "3.50" not in letter.body and "3,50" not in letter.body
    assert not [m for m in mail.outbox if m.to in ([a.email], [b.email])]
    (entry,) = audit_actions("selection.stage.complete")
    assert entry.actor == world.chair
    assert entry.data == {
        "passed": [b.code, a.code],
        "not_passed": [c.code],
        "next_stage": second.pk,
    }
    with pytest.raises(ValidationError):
        services.stage_complete(vacancy_stage=first, actor=world.chair)


def test_after_the_last_stage_the_passed_wait_for_the_decision():
    world = three_candidates()
    a, b, c = world.applications
    last = world.stages[-1]
    a.refresh_from_db()
    assert (a.status, a.current_stage) == (ApplicationStatus.IN_PROGRESS, last)
    b.refresh_from_db()
    c.refresh_from_db()
    assert b.status == c.status == ApplicationStatus.NOT_PASSED
    last.refresh_from_db()
    assert last.completed_at is not None
    with pytest.raises(ValidationError) as refusal:
        agree(world, last, a, [5, 5, 5])
    assert "moved on" in refusal.value.messages[0]


def test_the_ranking_matches_the_totals_computed_by_hand():
    world = three_candidates()
    a, b, c = world.applications
    stages, rows = selectors.ranking(world.vacancy)
    assert [
        (row.application, row.totals, row.overall, row.rank, row.knocked_out)
        for row in rows
    ] == [
        (c, [D("5.00"), D("3.50")], D("4.25"), 1, True),
        (a, [D("3.80"), D("4.00")], D("3.90"), 2, False),
        (b, [D("4.00"), D("2.80")], D("3.40"), 3, False),
    ]
    assert rows[0].knocked_out_names == [world.competencies[0].name]
    assert [row.awaits_decision for row in rows] == [False, True, False]
    last_ranks = dict(
        StageResult.objects.filter(vacancy_stage=world.stages[-1]).values_list(
            "application", "rank"
        )
    )
    assert last_ranks == {a.pk: 1, c.pk: 2, b.pk: 3}


# The decision.


def test_below_the_integrity_minimum_with_the_highest_total_cannot_be_appointed():
    world = three_candidates()
    a, b, c = world.applications
    for outcome in (Outcome.APPOINT, Outcome.RESERVE):
        with pytest.raises(ValidationError) as refusal:
            services.decision_record(
                application=c,
                actor=world.chair,
                outcome=outcome,
                reasons="Лучший балл.",
            )
        assert "whatever the total" in refusal.value.messages[0]
        assert world.competencies[0].name in refusal.value.messages[0]
    assert not Decision.objects.exists()
    c.refresh_from_db()
    assert c.status == ApplicationStatus.NOT_PASSED


def test_a_decision_without_reasons_is_refused():
    world = three_candidates()
    a = world.applications[0]
    for reasons in ("", "   \n"):
        with pytest.raises(ValidationError) as refusal:
            services.decision_record(
                application=a,
                actor=world.chair,
                outcome=Outcome.APPOINT,
                reasons=reasons,
            )
        assert refusal.value.message_dict == {
            "reasons": [_("Give the reasons for this decision.")]
        }
    with pytest.raises(ValidationError):
        services.decision_record(
            application=a, actor=world.chair, outcome="hire", reasons="Хорошо."
        )
    assert not Decision.objects.exists()


def test_only_the_chair_records_a_decision_and_only_for_who_passed_the_last_stage():
    world = three_candidates()
    a, b, c = world.applications
    with pytest.raises(PermissionDenied):
        services.decision_record(
            application=a, actor=world.member, outcome=Outcome.APPOINT, reasons="Да."
        )
    with pytest.raises(ValidationError) as refusal:
        services.decision_record(
            application=b, actor=world.chair, outcome=Outcome.RESERVE, reasons="Да."
        )
    assert "passed the last stage" in refusal.value.messages[0]
    assert not Decision.objects.exists()


def one_stage_world(candidates: int, posts: int, languages=("ru",)):
    world = panel_world(
        kinds=(StageKind.INTERVIEW,),
        candidates=candidates,
        posts=posts,
        languages=languages,
    )
    run_stage(world, 0, {app: [4, 4, 4] for app in world.applications})
    return world


def test_no_more_candidates_are_appointed_than_the_vacancy_has_posts():
    world = one_stage_world(candidates=3, posts=2)
    first, second, third = world.applications
    for application in (first, second):
        services.decision_record(
            application=application,
            actor=world.chair,
            outcome=Outcome.APPOINT,
            reasons="Сильное интервью.",
        )
    with pytest.raises(ValidationError) as refusal:
        services.decision_record(
            application=third,
            actor=world.chair,
            outcome=Outcome.APPOINT,
            reasons="Тоже сильный.",
        )
    assert refusal.value.messages == [
        _(
            "This vacancy has %(posts)s posts, and they are all filled: nobody else "
            "can be appointed. Put the candidate on the reserve list instead."
        )
        % {"posts": 2}
    ]
    decision = services.decision_record(
        application=third, actor=world.chair, outcome=Outcome.RESERVE, reasons="Резерв."
    )
    third.refresh_from_db()
    assert third.status == ApplicationStatus.RESERVE
    assert decision.overall_score == D("4.00")
    assert decision.rank == 1


def test_a_decision_is_final():
    world = one_stage_world(candidates=1, posts=1)
    (application,) = world.applications
    services.decision_record(
        application=application,
        actor=world.chair,
        outcome=Outcome.REJECT,
        reasons="Нет.",
    )
    with pytest.raises(ValidationError) as refusal:
        services.decision_record(
            application=application,
            actor=world.chair,
            outcome=Outcome.APPOINT,
            reasons="Передумали.",
        )
    assert "final" in refusal.value.messages[0]
    decision = Decision.objects.get()
    assert (decision.outcome, decision.reasons) == (Outcome.REJECT, "Нет.")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED


@pytest.mark.parametrize(
    ("language", "title", "other_title"),
    [
        ("kk", "Пробация инспекторы", "Инспектор пробации"),
        ("ru", "Инспектор пробации", "Пробация инспекторы"),
    ],
)
def test_the_decision_letter_is_in_the_candidates_language(
    django_capture_on_commit_callbacks, language, title, other_title
):
    world = one_stage_world(candidates=1, posts=1, languages=(language,))
    (application,) = world.applications
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decision = services.decision_record(
            application=application,
            actor=world.chair,
            outcome=Outcome.APPOINT,
            reasons="Лучший по всем компетенциям; честность 4.",
        )
    (letter,) = mail.outbox
    assert letter.to == [application.email]
    with translation.override(language):
        assert letter.subject == _("%(vacancy)s: you are offered the post") % {
            "vacancy": title
        }
        office = world.vacancy.office.name
    assert other_title not in letter.subject
    assert office in letter.body
    assert application.full_name in letter.body
    # The panel's reasons and the scores stay with the panel.
    assert "Лучший по всем" not in letter.body
    assert "4.00" not in letter.body and "4,00" not in letter.body
    decision.refresh_from_db()
    assert decision.notified_at is not None
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPOINTED
    (entry,) = audit_actions("selection.decision.record")
    assert entry.actor == world.chair
    assert entry.data["outcome"] == "appoint"
    assert entry.data["reasons"] == "Лучший по всем компетенциям; честность 4."
    assert entry.data["code"] == application.code
    assert application.full_name not in entry.object_repr


# From candidate to officer.


def appointed(world=None):
    world = world or one_stage_world(candidates=1, posts=1)
    application = world.applications[0]
    services.decision_record(
        application=application,
        actor=world.chair,
        outcome=Outcome.APPOINT,
        reasons="Да.",
    )
    application.refresh_from_db()
    return world, application


def test_a_new_account_with_the_appointed_candidates_email_is_linked():
    world, application = appointed()
    officer = UserFactory(email=application.email.upper(), roles=[Role.OFFICER])
    application.refresh_from_db()
    assert application.user == officer
    (entry,) = audit_actions("selection.application.link_user")
    assert entry.data["code"] == application.code


def test_accounts_of_candidates_not_appointed_inactive_or_anonymised_are_not_linked():
    world = one_stage_world(candidates=3, posts=1)
    rejected, anonymised, inactive = world.applications
    services.decision_record(
        application=rejected, actor=world.chair, outcome=Outcome.REJECT, reasons="Нет."
    )
    for application in (anonymised, inactive):
        services.decision_record(
            application=application,
            actor=world.chair,
            outcome=Outcome.RESERVE,
            reasons="Резерв.",
        )
    Application.objects.filter(pk__in=[anonymised.pk, inactive.pk]).update(
        status=ApplicationStatus.APPOINTED
    )
    Application.objects.filter(pk=anonymised.pk).update(anonymised_at=timezone.now())
    UserFactory(email=rejected.email)
    UserFactory(email=anonymised.email)
    UserFactory(email=inactive.email, is_active=False)
    assert not Application.objects.filter(user__isnull=False).exists()
    rejected.refresh_from_db()
    with pytest.raises(ValidationError):
        services.application_link_user(
            application=rejected, user=UserFactory(), actor=world.chair
        )


def test_the_chair_creates_the_officers_account_in_the_vacancys_office():
    world, application = appointed()
    user, created = services.officer_account_create(
        application=application, actor=world.chair
    )
    assert created
    application.refresh_from_db()
    assert application.user == user
    assert user.has_role(Role.OFFICER)
    assert (user.office, user.hire_date, user.email, user.full_name) == (
        world.vacancy.office,
        timezone.localdate(),
        application.email,
        application.full_name,
    )
    assert user.username == application.email.lower()
    assert not user.has_usable_password()
    (entry,) = audit_actions("selection.officer.create")
    assert entry.actor == world.chair
    with pytest.raises(ValidationError):
        services.officer_account_create(application=application, actor=world.chair)
    with pytest.raises(PermissionDenied):
        services.officer_account_create(application=application, actor=world.member)
