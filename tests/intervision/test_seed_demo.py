"""The intervision demo: a group per pilot region with three months of history
(approved Russian minutes, anonymised cases, action points) and planned
meetings to come, one moved and one cancelled.

Bad inputs tried: running the seed twice; a trainer working in another office
(a colleague facilitates instead); running it on a meeting day while the
meeting is under way (a series date neither past nor to come) and just after
it ended; every demo case passed through the identifier check.
"""

import datetime
import io
import re
import zoneinfo

import pytest
import time_machine
from django.utils import timezone

from intervision import demo
from intervision.anonymity import identifiers_find
from intervision.models import (
    ActionPoint,
    Case,
    Group,
    Meeting,
    MeetingRole,
    MeetingStatus,
    Membership,
    Minutes,
    MinutesStatus,
    Participation,
    RoleKind,
    StepNote,
)
from lms.demo import REGIONS, demo_username
from lms.management.commands.seed_demo import Command
from lms.models import User
from lms.roles import Role

pytestmark = pytest.mark.django_db

CYRILLIC = re.compile("[А-Яа-яЁё]")
ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")


def core_seed() -> None:
    """The core demo (regions, offices, users, the framework) without the
    modules' seeders: the course pages are slow and not needed here."""
    command = Command(stdout=io.StringIO())
    offices = command.seed_places()
    users = command.seed_users(offices)
    command.seed_framework(
        champion=users[demo_username(Role.CHAMPION, "astana")],
        reviewer=users[demo_username(Role.CHAMPION, "almaty")],
    )


def seed() -> str:
    out = io.StringIO()
    demo.seed(out)
    return out.getvalue()


def counts() -> tuple:
    return tuple(
        model.objects.count()
        for model in (
            Group,
            Membership,
            Meeting,
            Participation,
            MeetingRole,
            Case,
            Minutes,
            StepNote,
            ActionPoint,
        )
    )


@pytest.fixture
def seeded(mailoutbox):
    core_seed()
    output = seed()
    return output


def demo_groups() -> dict[str, Group]:
    groups = {}
    for region in REGIONS:
        manager = User.objects.get(username=demo_username(Role.MANAGER, region["code"]))
        groups[region["code"]] = Group.objects.get(
            office=manager.office, name=demo.group_name(manager.office)
        )
    return groups


def test_each_pilot_region_gets_a_group_with_history_and_meetings_to_come(seeded):
    assert "Intervision: 3 groups (3 new)" in seeded
    groups = demo_groups()
    assert Group.objects.count() == 3
    now = timezone.now()
    for region_code, group in groups.items():
        manager = User.objects.get(username=demo_username(Role.MANAGER, region_code))
        assert group.office == manager.office
        assert group.name.startswith("Интервизионная группа — ")
        assert group.facilitator.username == demo_username(Role.TRAINER, region_code)
        memberships = list(group.memberships.select_related("user"))
        usernames = {m.user.username for m in memberships}
        assert {
            demo_username(Role.OFFICER, region_code),
            manager.username,
        } <= usernames
        assert 4 <= len(memberships) <= 6
        assert all(m.user.office_id == group.office_id for m in memberships)
        assert all(m.pledge_agreed_at for m in memberships)

        past = list(group.meetings.past(now=now))
        assert len(past) >= 5
        for meeting in past:
            minutes = meeting.minutes
            assert minutes.status == MinutesStatus.APPROVED
            assert minutes.approved_at > meeting.ends_at
            assert meeting.roles.filter(
                role=RoleKind.CHAIR, user=minutes.approved_by
            ).exists()
            notes = list(minutes.notes.all())
            assert [n.position for n in notes] == list(range(1, 8))
            assert all(CYRILLIC.search(n.text) and n.title for n in notes)
            assert CYRILLIC.search(minutes.advice)
            case = meeting.cases.get()
            assert case.chosen and case.confirmed_by == group.facilitator
            assert meeting.roles.filter(role=RoleKind.BRINGER, user=case.author)
            assert case.themes.exists() and case.competencies.exists()
            assert meeting.attendance_recorded_at is not None
            assert meeting.participations.filter(attended=True).count() >= 4
            assert meeting.action_points.filter(owner=case.author).count() == 2

        coming = group.meetings.upcoming(now=now)
        assert coming.count() >= 4
        assert all(m.participations.count() == len(memberships) for m in coming)
        assert all(m.roles.filter(role=RoleKind.CHAIR).exists() for m in coming)


def test_past_roles_rotate_among_the_members(seeded):
    for group in demo_groups().values():
        chairs = [
            meeting.roles.get(role=RoleKind.CHAIR).user_id
            for meeting in group.meetings.past().order_by("starts_at")
        ]
        assert len(set(chairs)) >= min(len(chairs), 4)


def test_action_points_older_done_latest_open_one_overdue(seeded):
    today = timezone.localdate()
    overdue = ActionPoint.objects.overdue(today=today)
    assert overdue.count() == 1
    assert overdue.get().meeting.group == demo_groups()[demo.OVERDUE_REGION]
    for group in demo_groups().values():
        past = list(group.meetings.past())
        latest = past[0]
        assert not latest.action_points.filter(done_at__isnull=False).exists()
        older_open = ActionPoint.objects.open().filter(meeting__in=past[1:])
        assert older_open.count() == (
            1 if group == demo_groups()[demo.OVERDUE_REGION] else 0
        )


def test_every_demo_case_identifies_nobody(seeded):
    cases = list(Case.objects.all())
    assert cases
    for case in cases:
        assert identifiers_find(case.question) == []
        assert identifiers_find(case.situation) == []
    for story in demo.load_stories():
        assert identifiers_find(story["question"]) == []
        assert identifiers_find(story["situation"]) == []


def test_seeding_twice_creates_nothing_new(seeded):
    before = counts()
    output = seed()
    assert counts() == before
    assert "3 groups (0 new)" in output


def test_a_coming_meeting_is_moved_within_its_day_and_another_cancelled(seeded):
    group = demo_groups()[demo.EXCEPTIONS_REGION]
    moved = group.meetings.get(change_note=demo.MOVE_NOTE)
    assert moved.status == MeetingStatus.SCHEDULED
    assert moved.is_moved
    assert moved.local_start.date() == moved.series_date
    assert moved.local_start.time() == datetime.time(15, 0)
    assert moved.local_end.time() == datetime.time(17, 0)
    assert moved.sequence == 1

    cancelled = group.meetings.get(status=MeetingStatus.CANCELLED)
    assert cancelled.change_note == demo.CANCEL_NOTE
    assert cancelled.series_date > moved.series_date
    assert Meeting.objects.filter(change_note__gt="").count() == 2


@pytest.mark.parametrize(
    "local_time", [datetime.time(15, 0), datetime.time(16, 30)], ids=str
)
def test_seeding_on_a_meeting_day_leaves_no_gap_in_the_series(local_time, mailoutbox):
    core_seed()
    # A Tuesday the series falls on, with the meeting under way or just over.
    when = datetime.datetime.combine(
        datetime.date(2026, 3, 10), local_time, tzinfo=ALMATY
    )
    with time_machine.travel(when, tick=False):
        seed()
        for group in demo_groups().values():
            series = group.series.get()
            dates = set(group.meetings.values_list("series_date", flat=True))
            assert when.date() in series.dates_between(series.starts_on, when.date())
            assert when.date() in dates
            today_meeting = group.meetings.get(series_date=when.date())
            if local_time < datetime.time(16, 0):
                assert not hasattr(today_meeting, "minutes")
                assert today_meeting.attendance_recorded_at is None
            else:
                assert today_meeting.minutes.is_approved
            assert group.meetings.upcoming().filter(starts_at__gt=when).exists()


def test_a_colleague_facilitates_when_the_trainer_works_elsewhere(mailoutbox):
    core_seed()
    trainer = User.objects.get(username=demo_username(Role.TRAINER, "astana"))
    User.objects.filter(pk=trainer.pk).update(
        office=User.objects.get(username="officer.astana-saryarka.1").office
    )
    seed()
    group = demo_groups()["astana"]
    assert group.facilitator.username == "officer.astana-yesil.1"
    assert group.facilitator.office_id == group.office_id
    assert not group.memberships.filter(user=group.facilitator).exists()
    assert group.meetings.past().count() >= 5
