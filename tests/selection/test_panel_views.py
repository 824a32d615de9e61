"""The panel's pages as people use them: who gets in, what they see before and
after the reveal, the side-by-side scores with the disagreement flag, the
consensus and decision forms, moving candidates on, and the number of queries
of the side-by-side page whatever the number of candidates.

Bad inputs tried: every page and every form posted by an anonymous visitor,
an assessor who is not on the panel, an administrator, a superuser and the
chair of another vacancy; the side-by-side page before the reveal and by a
panel member who assesses the stage and has not submitted; a consensus with a
point of 7, no choice and no rationale; moving candidates on with a consensus
missing and by a panel member who is not the chair; closing a round by a panel
member; a decision without reasons and a decision posted by a panel member who
is not the chair.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lms.roles import Role
from selection.models import (
    Assignment,
    Consensus,
    Decision,
    Score,
    ScoreAmendment,
    StageResult,
)
from selection.panel import services
from tests.lms.factories import UserFactory
from tests.selection.factories import VacancyFactory
from tests.selection.test_panel import (
    agree,
    panel_world,
    submit,
    three_candidates,
)

pytestmark = pytest.mark.django_db

EVIDENCE = "Рассказал, как вернул клиента к явкам"
NOT_ON_PANEL = ["anonymous", "assessor", "administrator", "superuser", "other_chair"]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def url(name, *args):
    return reverse(f"selection:{name}", args=args)


def revealed_world(candidates=2, procedure=None):
    """Stage 1 revealed with every consensus recorded; stage 2 not started."""
    world = panel_world(candidates=candidates, procedure=procedure)
    first = world.stages[0]
    submit(
        first,
        {app: [[2, 3, 4], [4, 4, 4]] for app in world.applications},
        evidence=EVIDENCE,
    )
    for application in world.applications:
        agree(world, first, application, [3, 4, 4])
    return world


def people(world):
    return {
        "anonymous": None,
        "assessor": world.assessors[0],
        "administrator": UserFactory(roles=[Role.ADMINISTRATOR]),
        "superuser": UserFactory(is_superuser=True, is_staff=True),
        "other_chair": VacancyFactory(procedure=world.vacancy.procedure).chair,
        "member": world.member,
        "chair": world.chair,
    }


def sign_in(client, user):
    if user is not None:
        client.force_login(user)


@pytest.mark.parametrize("who", [*NOT_ON_PANEL, "member", "chair"])
def test_every_panel_page_with_everyone(client, who):
    world = revealed_world()
    first, second = world.stages
    vacancy = world.vacancy
    application = world.applications[0]
    sign_in(client, people(world)[who])
    pages = {
        url("panel", vacancy.pk): {"member", "chair"},
        url("panel_stage", vacancy.pk, first.pk): {"member", "chair"},
        url("ranking", vacancy.pk): {"member", "chair"},
        url("stage_complete", vacancy.pk, first.pk): {"chair"},
        url("round_close", vacancy.pk, second.pk): {"chair"},
    }
    wrong = []
    for address, allowed in pages.items():
        response = client.get(address)
        if who in allowed:
            if response.status_code != 200:
                wrong.append(f"{address}: {response.status_code}, expected 200")
            continue
        if who == "anonymous":
            if response.status_code != 302 or "/login/" not in response.url:
                wrong.append(f"{address}: {response.status_code}, expected sign-in")
        elif response.status_code != 403:
            wrong.append(f"{address}: {response.status_code}, expected 403")
        content = response.content.decode()
        if application.full_name in content or EVIDENCE in content:
            wrong.append(f"{address}: shows a candidate or their scores")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("who", NOT_ON_PANEL)
def test_nobody_off_the_panel_can_post_anything(client, who):
    world = revealed_world()
    first, second = world.stages
    vacancy = world.vacancy
    application = world.applications[0]
    sign_in(client, people(world)[who])
    before = list(Consensus.objects.values_list("pk", "point"))
    posts = [
        (
            url("consensus", vacancy.pk, first.pk, application.pk),
            {
                f"c{application.pk}-rationale": "Иначе.",
                **points_for(world, application, "5"),
            },
        ),
        (url("stage_complete", vacancy.pk, first.pk), {}),
        (url("round_close", vacancy.pk, second.pk), {}),
        (
            url("decide", vacancy.pk, application.pk),
            {"outcome": "appoint", "reasons": "Да."},
        ),
    ]
    for address, data in posts:
        response = client.post(address, data)
        assert response.status_code in (302, 403), address
        if who == "anonymous":
            assert "/login/" in response.url
    assert list(Consensus.objects.values_list("pk", "point")) == before
    assert not StageResult.objects.exists()
    assert not Decision.objects.exists()
    first.refresh_from_db()
    assert first.completed_at is None


def points_for(world, application, value):
    return {
        f"c{application.pk}-competency_{competency.pk}": value
        for competency in world.competencies
    }


def test_before_the_reveal_the_panel_sees_counts_never_scores(client):
    world = panel_world(candidates=2)
    first = world.stages[0]
    submit(first, {world.applications[0]: [[1, 2, 3], [5, 5, 5]]}, evidence=EVIDENCE)
    client.force_login(world.member)
    response = client.get(url("panel", world.vacancy.pk))
    content = response.content.decode()
    assert "2 of 4 assessments in" in content
    assert EVIDENCE not in content
    assert "Close the round" not in content
    response = client.get(url("panel_stage", world.vacancy.pk, first.pk))
    assert response.status_code == 403
    assert (
        "scores are revealed when all are in or when the chair closes the round"
        in response.content.decode()
    )
    assert EVIDENCE not in response.content.decode()


def test_the_chair_closes_the_round_after_confirming(client):
    world = panel_world(candidates=2)
    first = world.stages[0]
    submit(first, {world.applications[0]: [[3, 3, 3], [4, 4, 4]]})
    client.force_login(world.member)
    assert client.get(url("round_close", world.vacancy.pk, first.pk)).status_code == 403
    assert (
        client.post(url("round_close", world.vacancy.pk, first.pk)).status_code == 403
    )
    client.force_login(world.chair)
    response = client.get(url("panel", world.vacancy.pk))
    assert "Close the round" in response.content.decode()
    response = client.get(url("round_close", world.vacancy.pk, first.pk))
    assert "2 of 4 assessments are in." in response.content.decode()
    first.refresh_from_db()
    assert not first.is_revealed
    response = client.post(url("round_close", world.vacancy.pk, first.pk))
    assert response.url == url("panel_stage", world.vacancy.pk, first.pk)
    first.refresh_from_db()
    assert first.is_revealed and first.closed_early


def test_a_panel_member_who_assesses_the_stage_sees_nothing_before_submitting(client):
    world = panel_world(candidates=1)
    first = world.stages[0]
    (application,) = world.applications
    submit(first, {application: [[3, 3, 3], [4, 4, 4]]}, evidence=EVIDENCE)
    assert first.is_revealed
    # The member assesses the stage too (say, in place of a withdrawn
    # assessor) and has not submitted yet.
    first.assessors.add(world.member)
    Assignment.objects.create(
        vacancy_stage=first, application=application, assessor=world.member
    )
    client.force_login(world.member)
    response = client.get(url("panel_stage", world.vacancy.pk, first.pk))
    assert response.status_code == 403
    assert "submit your own scores first" in response.content.decode()
    assert EVIDENCE not in response.content.decode()
    client.force_login(world.chair)
    assert client.get(url("panel_stage", world.vacancy.pk, first.pk)).status_code == 200


def test_the_side_by_side_page_flags_the_disagreement_in_words(client):
    world = panel_world(candidates=1)
    first = world.stages[0]
    (application,) = world.applications
    submit(first, {application: [[2, 3, None], [4, 4, 4]]}, evidence=EVIDENCE)
    score = Score.objects.filter(assignment__assessor=world.assessors[0]).first()
    ScoreAmendment.objects.create(
        score=score,
        point_before=1,
        evidence_before="Первая запись",
        point=score.point,
        evidence=score.evidence,
        reason="Перепутал кандидатов",
        amended_by=world.assessors[0],
    )
    client.force_login(world.member)
    response = client.get(url("panel_stage", world.vacancy.pk, first.pk))
    content = response.content.decode()
    assert response.status_code == 200
    assert "1 disagreement" in content
    # One flagged row (spread 2), besides the legend; spread 1 is not flagged.
    assert content.count('<tr class="table-warning">') == 1
    assert content.count("Disagreement</span>") == 2
    assert world.assessors[0].get_full_name() in content
    assert world.assessors[1].get_full_name() in content
    assert EVIDENCE in content
    assert "Not observed" in content
    assert "amended" in content and "Перепутал кандидатов" in content
    assert "Record the consensus" in content


def test_a_refused_consensus_comes_back_with_what_was_typed(client):
    world = panel_world(candidates=1)
    first = world.stages[0]
    (application,) = world.applications
    submit(first, {application: [[3, 3, 3], [4, 4, 4]]})
    client.force_login(world.member)
    c1, c2, c3 = world.competencies
    prefix = f"c{application.pk}"
    response = client.post(
        url("consensus", world.vacancy.pk, first.pk, application.pk),
        {
            f"{prefix}-competency_{c1.pk}": "7",
            f"{prefix}-competency_{c2.pk}": "not_observed",
            f"{prefix}-rationale": "   ",
        },
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert (
        _("A consensus score is a point from %(low)s to %(high)s, or not observed.")
        % {"low": 1, "high": 5}
        in content
    )
    assert _("Choose the agreed score.") in content
    assert _("Write the rationale for the consensus.") in content
    assert 'value="not_observed" selected' in content
    assert not Consensus.objects.exists()
    response = client.post(
        url("consensus", world.vacancy.pk, first.pk, application.pk),
        {
            f"{prefix}-competency_{c1.pk}": "3",
            f"{prefix}-competency_{c2.pk}": "not_observed",
            f"{prefix}-competency_{c3.pk}": "4",
            f"{prefix}-rationale": "Согласились после обсуждения.",
        },
    )
    assert response.status_code == 302
    assert dict(Consensus.objects.values_list("competency", "point")) == {
        c1.pk: 3,
        c2.pk: None,
        c3.pk: 4,
    }
    content = client.get(response.url).content.decode()
    assert "Согласились после обсуждения." in content
    assert "Consensus recorded" in content


def test_moving_candidates_on_shows_who_passes_first(client):
    world = panel_world(candidates=2)
    first = world.stages[0]
    a, b = world.applications
    submit(first, {a: [[4, 4, 4], [4, 4, 4]], b: [[2, 4, 4], [2, 4, 4]]})
    agree(world, first, a, [4, 4, 4])
    client.force_login(world.chair)
    address = url("stage_complete", world.vacancy.pk, first.pk)
    content = client.get(address).content.decode()
    assert "The consensus is missing on some competency for:" in content
    assert str(b) in content
    response = client.post(address)
    assert response.status_code == 400
    assert not StageResult.objects.exists()
    agree(world, first, b, [2, 4, 4])
    client.force_login(world.member)
    assert client.post(address).status_code == 403
    client.force_login(world.chair)
    content = client.get(address).content.decode()
    assert "Passes" in content and "Does not continue" in content
    response = client.post(address)
    assert response.url == url("panel", world.vacancy.pk)
    assert set(StageResult.objects.values_list("application", "passed")) == {
        (a.pk, True),
        (b.pk, False),
    }


def test_the_ranking_marks_the_knock_out_and_the_chair_decides(client):
    world = three_candidates()
    a, b, c = world.applications
    client.force_login(world.member)
    content = client.get(url("ranking", world.vacancy.pk)).content.decode()
    assert content.index(str(c)) < content.index(str(a)) < content.index(str(b))
    knocked = world.competencies[0].name
    assert f"Below the {knocked} minimum: cannot be appointed" in content
    assert "4.25" in content and "3.90" in content
    decide = url("decide", world.vacancy.pk, a.pk)
    response = client.get(decide)
    assert response.status_code == 200
    assert "the chair records the decision" in response.content.decode()
    assert (
        client.post(decide, {"outcome": "appoint", "reasons": "Да."}).status_code == 403
    )
    client.force_login(world.chair)
    response = client.post(decide, {"outcome": "appoint", "reasons": "  "})
    assert response.status_code == 400
    assert _("Give the reasons for this decision.") in response.content.decode()
    assert not Decision.objects.exists()
    knocked_out = url("decide", world.vacancy.pk, c.pk)
    content = client.get(knocked_out).content.decode()
    assert f"Below the {knocked} minimum: cannot be appointed, whatever the total." in (
        content
    )
    assert "Record the decision" not in content
    response = client.post(knocked_out, {"outcome": "appoint", "reasons": "Лучший."})
    assert response.status_code == 400
    assert "whatever the total" in response.content.decode()
    assert not Decision.objects.exists()
    response = client.post(
        decide, {"outcome": "appoint", "reasons": "Лучший после отсева."}
    )
    assert response.url == url("ranking", world.vacancy.pk)
    assert Decision.objects.get().application == a
    content = client.get(url("ranking", world.vacancy.pk)).content.decode()
    assert "Create the officer's account" in content
    response = client.post(url("officer_account", world.vacancy.pk, a.pk))
    assert response.url == url("ranking", world.vacancy.pk)
    a.refresh_from_db()
    assert a.user is not None and a.user.username == a.email.lower()


def test_an_administrator_off_the_panel_may_create_the_officers_account(client):
    world = three_candidates()
    a = world.applications[0]
    services.decision_record(
        application=a, actor=world.chair, outcome="appoint", reasons="Да."
    )
    client.force_login(world.assessors[0])
    response = client.post(url("officer_account", world.vacancy.pk, a.pk))
    assert response.status_code == 403
    client.force_login(UserFactory(roles=[Role.ADMINISTRATOR]))
    response = client.post(url("officer_account", world.vacancy.pk, a.pk))
    assert response.url == url("application", a.pk)
    a.refresh_from_db()
    assert a.user is not None


def _count(client, address):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == 200
    return len(queries)


def test_the_panel_pages_run_the_same_queries_for_two_or_six_candidates(client):
    counts, procedure = [], None
    for candidates in (2, 6):
        world = revealed_world(candidates=candidates, procedure=procedure)
        procedure = world.vacancy.procedure
        first = world.stages[0]
        for score in Score.objects.filter(assignment__vacancy_stage=first)[:3]:
            ScoreAmendment.objects.create(
                score=score,
                point_before=1,
                evidence_before="До",
                point=score.point,
                evidence=score.evidence,
                reason="Уточнил",
                amended_by=score.assignment.assessor,
                amended_at=timezone.now(),
            )
        client.force_login(world.member)
        counts.append(
            (
                _count(client, url("panel_stage", world.vacancy.pk, first.pk)),
                _count(client, url("panel", world.vacancy.pk)),
            )
        )
    assert counts[0] == counts[1]


def test_the_ranking_runs_the_same_queries_for_two_or_six_candidates(client):
    counts, procedure = [], None
    for candidates in (2, 6):
        world = panel_world(candidates=candidates, procedure=procedure)
        procedure = world.vacancy.procedure
        first, second = world.stages
        submit(first, {app: [[4, 4, 4], [4, 4, 4]] for app in world.applications})
        for application in world.applications:
            agree(world, first, application, [4, 4, 4])
        services.stage_complete(vacancy_stage=first, actor=world.chair)
        submit(second, {app: [[4, 4, 4], [4, 4, 4]] for app in world.applications})
        for application in world.applications:
            agree(world, second, application, [4, 4, 4])
        services.stage_complete(vacancy_stage=second, actor=world.chair)
        client.force_login(world.chair)
        counts.append(_count(client, url("ranking", world.vacancy.pk)))
    assert counts[0] == counts[1]
