"""The group page and the meeting page run a fixed number of queries whatever
the number of past meetings, members, cases and action points (the calendar
feed is checked in test_calendar)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from intervision import services
from intervision.models import Case, Theme
from lms.models import Competency
from tests.intervision import factories
from tests.lms.factories import current_framework

pytestmark = pytest.mark.django_db


def count_queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def history(group, meetings: int) -> None:
    """Held meetings with attendance, confirmed cases with themes and
    competencies, minutes and overdue action points."""
    people = factories.members(group)
    themes = list(Theme.objects.all()[:3])
    competencies = list(Competency.objects.all()[:2])
    for number in range(meetings):
        meeting = factories.meeting(group, days=-7 * (number + 1))
        services.attendance_record(
            meeting=meeting, actor=group.manager, present=[u.pk for u in people[:3]]
        )
        case = Case.objects.create(
            meeting=meeting,
            author=people[0],
            question=f"Вопрос {number}",
            situation="Клиент пропускает встречи.",
            confirmed_at=timezone.now(),
            confirmed_by=group.facilitator,
        )
        case.themes.set(themes)
        case.competencies.set(competencies)
        services.minutes_save(meeting=meeting, actor=people[1], advice="- Совет")
        services.action_point_add(
            meeting=meeting,
            actor=people[1],
            owner=people[number % len(people)],
            text=f"Действие {number}",
            due_on=timezone.localdate() - datetime.timedelta(days=1),
        )


def sizes(client, build) -> tuple[int, int]:
    small = count_queries(client, build(members=4, meetings=2))
    large = count_queries(client, build(members=8, meetings=14))
    return small, large


@pytest.fixture
def competencies(db):
    current_framework(2)


def test_group_page_queries_do_not_grow(client, competencies):
    def build(members, meetings):
        group = factories.group(members=members)
        history(group, meetings)
        factories.series(group)
        client.force_login(factories.members(group)[0])
        return reverse("intervision:group", args=[group.pk])

    small, large = sizes(client, build)
    assert small == large


def test_group_page_for_a_manager_outside_the_group_does_not_grow(client, competencies):
    def build(members, meetings):
        group = factories.group(members=members)
        history(group, meetings)
        client.force_login(group.manager)
        return reverse("intervision:group", args=[group.pk])

    small, large = sizes(client, build)
    assert small == large


@pytest.mark.parametrize("view_name", ["meeting", "minutes", "run"])
def test_meeting_pages_queries_do_not_grow(client, competencies, view_name):
    def build(members, meetings):
        group = factories.group(members=members)
        history(group, meetings)
        meeting = group.meetings.order_by("-starts_at").first()
        for number in range(meetings):
            Case.objects.create(
                meeting=meeting,
                author=factories.members(group)[number % members],
                question=f"Ещё вопрос {number}",
                situation="Клиент пропускает встречи.",
                confirmed_at=timezone.now(),
                confirmed_by=group.facilitator,
            ).themes.set(Theme.objects.all()[:2])
        client.force_login(factories.members(group)[1])
        return reverse(f"intervision:{view_name}", args=[meeting.pk])

    small, large = sizes(client, build)
    assert small == large
