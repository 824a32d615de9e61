"""From candidate to officer: when an appointed candidate becomes a user, the
scores the panel agreed at selection start their development record, weakest
first, so their first training can target them.

The candidate below is agreed, per competency, at the two stages:
    first competency   4 then 4 -> 4.00
    second             3 then 2 -> 2.50
    third              5 then 2 -> 3.50
so the weakest two are the second, then the third.

Bad inputs tried: another officer (not a candidate) opening their own
record; the scores of other candidates and the assessors' evidence, which
must not reach the record; a competency "not observed" at one stage (left out
of its mean).
"""

from decimal import Decimal

import pytest
from django.utils import translation

from lms.registry import record_sections_for
from lms.roles import Role
from selection.models import Outcome
from selection.panel import selectors, services
from tests.lms.factories import UserFactory
from tests.selection.test_panel import panel_world, run_stage

pytestmark = pytest.mark.django_db

# What run_stage has the assessors write.
EVIDENCE = "Говорил о клиенте уважительно."


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def appointed_candidate():
    world = panel_world(candidates=2, posts=1)
    chosen, other = world.applications
    run_stage(world, 0, {chosen: [4, 3, 5], other: [5, 5, 5]})
    run_stage(world, 1, {chosen: [4, 2, 2], other: [5, 5, None]})
    services.decision_record(
        application=chosen, actor=world.chair, outcome=Outcome.APPOINT, reasons="Да."
    )
    return world, chosen, other


def test_the_profile_is_the_mean_of_the_agreed_scores_weakest_first():
    world, chosen, other = appointed_candidate()
    officer = UserFactory(email=chosen.email, roles=[Role.OFFICER])
    profile = selectors.selection_profile(officer)
    first, second, third = world.competencies
    assert [(item.key, item.mean) for item in profile.competencies] == [
        (second.key, Decimal("2.50")),
        (third.key, Decimal("3.50")),
        (first.key, Decimal("4.00")),
    ]
    assert [item.key for item in profile.weakest] == [second.key, third.key]


def test_a_new_officer_with_the_candidates_email_sees_the_weakest_competencies(
    client, lang_url
):
    world, chosen, other = appointed_candidate()
    officer = UserFactory(email=chosen.email.title(), roles=[Role.OFFICER])
    client.force_login(officer)
    response = client.get(lang_url("dashboard", "en"))
    content = response.content.decode()
    first, second, third = world.competencies
    assert "Selection" in content
    assert (
        f"First training can target: <strong>{second.name}, {third.name}</strong>"
        in (content)
    )
    assert f"{second.name}: 2.5" in content
    # Nobody else's scores, and no evidence.
    assert other.full_name not in content
    assert other.code not in content
    assert EVIDENCE not in content
    assert "Пример из практики" not in content


def test_an_officer_who_was_not_a_candidate_has_no_selection_scores(client, lang_url):
    appointed_candidate()
    officer = UserFactory(roles=[Role.OFFICER])
    client.force_login(officer)
    content = client.get(lang_url("dashboard", "en")).content.decode()
    assert "No scores from a selection in Ustaz." in content
    assert "First training can target" not in content


def test_the_section_gives_the_registry_only_the_officers_own_scores():
    world, chosen, other = appointed_candidate()
    officer = UserFactory(email=chosen.email, roles=[Role.OFFICER])
    sections = {
        section.key: context
        for section, context in record_sections_for(officer, officer)
    }
    profile = sections["selection"]["profile"]
    assert len(profile.competencies) == 3
    stranger = UserFactory(roles=[Role.OFFICER])
    sections = {
        section.key: context
        for section, context in record_sections_for(stranger, stranger)
    }
    assert sections["selection"]["profile"].competencies == []
