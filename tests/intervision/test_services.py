"""Intervision services: groups, schedules and the meetings made from them,
invitations and reminders, fair roles, anonymised cases, minutes and action
points.

Bad inputs tried: a member from another office; a group created by an officer
or by another office's manager; a schedule that ends before it starts, one
that never produces a meeting (no such weekday between its dates), one that
starts in the past, one whose meeting ends before it starts; a monthly
schedule without its week; a one-off meeting and a move into the past; the
planning and reminder tasks run twice; a case with an IIN (saved again
unchanged, then kept on purpose); a case by a member who has not agreed to the
pledge; editing a confirmed case; minutes written by someone who is not the
minute-taker, approved by someone who is not the chair, edited after approval,
amended without a reason or with the same text; an action point for someone
outside the group; attendance for someone not invited.
"""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext

from intervision import selectors, services
from intervision.models import (
    ActionPoint,
    Case,
    Meeting,
    MeetingStatus,
    Minutes,
    Participation,
    Response,
    RoleKind,
)
from lms.models import AuditEntry, Notification
from lms.registry import cpd_hours_for
from lms.roles import Role
from tests.intervision import factories
from tests.lms.factories import OfficeFactory, UserFactory

pytestmark = pytest.mark.django_db

IIN_TEXT = "Клиент (ИИН 850312300123) пропускает встречи."
CLEAN_TEXT = "Клиент, мужчина 34 лет, третий раз пропускает встречи."


def messages_of(error) -> list[str]:
    return error.value.messages


# Groups ------------------------------------------------------------------------


def test_a_member_from_another_office_is_refused_with_their_name():
    group = factories.group()
    stranger = UserFactory(office=OfficeFactory(), roles=[Role.OFFICER])
    with translation.override("ru"), pytest.raises(ValidationError) as error:
        services.group_update(
            group=group,
            actor=group.manager,
            name=group.name,
            facilitator=group.facilitator,
            default_method=group.default_method,
            members=[*factories.members(group), stranger],
            timezone_name=group.timezone,
            location="",
        )
    assert stranger.get_full_name() in error.value.message_dict["members"][0]
    assert group.memberships.count() == 5


def test_only_a_manager_of_the_office_creates_its_groups():
    office = OfficeFactory()
    officer = UserFactory(office=office, roles=[Role.OFFICER])
    other_manager = UserFactory(office=OfficeFactory(), roles=[Role.MANAGER])
    for actor in (officer, other_manager):
        with pytest.raises(PermissionDenied):
            services.group_create(
                office=office,
                name="Группа",
                facilitator=officer,
                default_method=factories.incident(),
                members=[officer],
                actor=actor,
            )


def test_a_member_who_leaves_is_taken_off_coming_meetings_and_keeps_the_past():
    group = factories.group()
    past = factories.meeting(group, days=-7)
    factories.series(group)
    leaving = factories.members(group)[-1]
    services.group_update(
        group=group,
        actor=group.manager,
        name=group.name,
        facilitator=group.facilitator,
        default_method=group.default_method,
        members=[u for u in factories.members(group) if u != leaving],
        timezone_name=group.timezone,
        location="",
    )
    assert past.participations.filter(user=leaving).exists()
    assert not Participation.objects.filter(
        user=leaving, meeting__starts_at__gt=timezone.now()
    ).exists()
    assert group.memberships.get(user=leaving).left_on == timezone.localdate()


# Schedules ---------------------------------------------------------------------


def test_a_schedule_makes_every_second_tuesday_at_14_almaty_time():
    group = factories.group()
    factories.series(group)
    meetings = list(group.meetings.order_by("starts_at"))
    assert 6 <= len(meetings) <= 7  # 91 days ahead, one in two weeks
    for meeting in meetings:
        local = meeting.local_start
        assert (local.weekday(), local.hour, local.minute) == (1, 14, 0)
        assert meeting.starts_at.astimezone(datetime.UTC).hour == 9  # UTC+5
        assert meeting.local_end.hour == 16
    pairs = zip(meetings, meetings[1:], strict=False)
    gaps = {(b.starts_at - a.starts_at).days for a, b in pairs}
    assert gaps == {14}
    first = meetings[0]
    assert set(first.participations.values_list("user_id", flat=True)) == {
        u.pk for u in factories.members(group)
    }
    assert {role.role for role in first.roles.all()} == set(RoleKind.values)


def test_planning_twice_creates_each_meeting_once():
    group = factories.group()
    factories.series(group)
    before = Meeting.objects.count()
    assert services.meetings_plan() == 0
    assert Meeting.objects.count() == before


def test_a_schedule_that_ends_before_it_starts_is_refused():
    group = factories.group()
    today = timezone.localdate()
    with translation.override("ru"), pytest.raises(ValidationError) as error:
        factories.series(
            group,
            starts_on=today + datetime.timedelta(days=10),
            ends_on=today + datetime.timedelta(days=3),
        )
    with translation.override("ru"):
        assert error.value.message_dict["ends_on"] == [
            gettext("The schedule ends before it starts.")
        ]
    assert not group.series.exists()


def test_a_schedule_that_never_produces_a_meeting_is_refused():
    group = factories.group()
    today = timezone.localdate()
    wednesday = today + datetime.timedelta(days=(2 - today.weekday()) % 7 or 7)
    with translation.override("ru"), pytest.raises(ValidationError) as error:
        # Tuesdays, from a Wednesday to the Monday after: none.
        factories.series(
            group,
            starts_on=wednesday,
            ends_on=wednesday + datetime.timedelta(days=5),
            interval=1,
        )
    with translation.override("ru"):
        assert gettext(
            "This schedule never produces a meeting: no such day falls "
            "between its first and last date."
        ) in messages_of(error)
    assert not group.meetings.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"start_time": datetime.time(16), "end_time": datetime.time(14)}, "end_time"),
        ({"frequency": "monthly"}, "week_of_month"),
        ({"interval": 0}, "interval"),
    ],
)
def test_a_schedule_with_impossible_fields_names_the_field(fields, field):
    group = factories.group()
    with pytest.raises(ValidationError) as error:
        factories.series(group, **fields)
    assert field in error.value.message_dict


def test_a_schedule_cannot_start_in_the_past():
    group = factories.group()
    with pytest.raises(ValidationError) as error:
        factories.series(group, starts_on=timezone.localdate() - datetime.timedelta(1))
    assert "starts_on" in error.value.message_dict


def test_a_monthly_schedule_meets_on_the_second_tuesday():
    group = factories.group()
    factories.series(group, frequency="monthly", interval=1, week_of_month=2)
    for meeting in group.meetings.all():
        day = meeting.local_start.date()
        assert day.weekday() == 1 and 8 <= day.day <= 14


def test_a_moved_meeting_keeps_its_series_date_and_is_not_planned_again():
    group = factories.group()
    factories.series(group)
    meeting = group.meetings.order_by("starts_at").first()
    original = meeting.series_date
    new_start = meeting.starts_at + datetime.timedelta(days=1, hours=1)
    services.meeting_change(
        meeting=meeting,
        actor=group.manager,
        starts_at=new_start,
        ends_at=new_start + datetime.timedelta(hours=2),
        method=meeting.method,
        location="Зал 3",
        note="Выездное совещание",
    )
    meeting.refresh_from_db()
    assert meeting.series_date == original
    assert meeting.sequence == 1 and meeting.is_moved
    services.meetings_plan()
    assert group.meetings.filter(series_date=original).count() == 1
    # The members are told, with a link and the date only.
    note = Notification.objects.filter(url=meeting.get_absolute_url()).last()
    assert note is not None and "Выездное" not in note.body


def test_a_cancelled_meeting_stays_cancelled_and_the_series_goes_on():
    group = factories.group()
    factories.series(group)
    first, second = group.meetings.order_by("starts_at")[:2]
    with pytest.raises(ValidationError):
        services.meeting_cancel(meeting=first, actor=group.manager, note="  ")
    services.meeting_cancel(meeting=first, actor=group.manager, note="Праздник")
    services.meetings_plan()
    first.refresh_from_db()
    assert first.status == MeetingStatus.CANCELLED
    assert group.meetings.filter(series_date=first.series_date).count() == 1
    second.refresh_from_db()
    assert second.status == MeetingStatus.SCHEDULED


def test_a_new_schedule_replaces_the_old_one_but_keeps_prepared_meetings():
    group = factories.group()
    old = factories.series(group)
    meetings = list(group.meetings.order_by("starts_at"))
    prepared = meetings[2]
    Case.objects.create(
        meeting=prepared,
        author=factories.members(group)[0],
        question="Как быть?",
        situation=CLEAN_TEXT,
    )
    new = factories.series(
        group, starts_on=meetings[1].series_date, weekday=3, interval=1
    )
    old.refresh_from_db()
    assert old.ends_on == meetings[1].series_date - datetime.timedelta(days=1)
    assert Meeting.objects.filter(pk=prepared.pk).exists()
    assert not Meeting.objects.filter(pk=meetings[3].pk).exists()
    assert new.meetings.exists()
    assert {m.local_start.weekday() for m in new.meetings.all()} == {3}


def test_meetings_cannot_be_planned_or_moved_into_the_past():
    group = factories.group()
    past = timezone.now() - datetime.timedelta(days=1)
    with translation.override("ru"), pytest.raises(ValidationError) as error:
        services.meeting_create(
            group=group,
            actor=group.manager,
            starts_at=past,
            ends_at=past + datetime.timedelta(hours=2),
        )
    with translation.override("ru"):
        assert error.value.message_dict["starts_at"] == [
            gettext("A meeting cannot be planned in the past.")
        ]
    meeting = factories.meeting(group, days=3)
    with pytest.raises(ValidationError):
        services.meeting_change(
            meeting=meeting,
            actor=group.manager,
            starts_at=past,
            ends_at=past + datetime.timedelta(hours=2),
            method=meeting.method,
            location="",
        )
    meeting.refresh_from_db()
    assert meeting.starts_at > timezone.now()


# Invitations and reminders -----------------------------------------------------


def test_members_are_invited_once_to_meetings_of_the_next_three_weeks():
    group = factories.group()
    factories.series(group)
    invited = Participation.objects.filter(invited_at__isnull=False)
    soon = timezone.now() + datetime.timedelta(days=services.INVITE_AHEAD_DAYS)
    assert invited.exists()
    assert not invited.filter(meeting__starts_at__gt=soon).exists()
    count = Notification.objects.count()
    services.invitations_send()
    assert Notification.objects.count() == count


def test_reminders_go_the_day_before_once_and_not_to_who_declined():
    group = factories.group()
    meeting = factories.meeting(group, days=3)
    decliner = factories.members(group)[4]
    services.participation_respond(meeting=meeting, user=decliner, response="no")
    Notification.objects.all().delete()
    day_before = meeting.starts_at - datetime.timedelta(hours=20)
    with time_machine.travel(
        meeting.starts_at - datetime.timedelta(days=2), tick=False
    ):
        assert services.reminders_send() == 0
    with time_machine.travel(day_before, tick=False):
        assert services.reminders_send() == 4
        assert services.reminders_send() == 0
    with time_machine.travel(day_before + datetime.timedelta(hours=1), tick=False):
        assert services.reminders_send() == 0
    reminded = set(Notification.objects.values_list("recipient_id", flat=True))
    assert reminded == {u.pk for u in factories.members(group)} - {decliner.pk}
    assert Notification.objects.count() == 4


def test_an_answer_is_yes_or_no_and_only_before_the_meeting():
    group = factories.group()
    meeting = factories.meeting(group, days=2)
    member = factories.members(group)[0]
    with pytest.raises(ValidationError):
        services.participation_respond(meeting=meeting, user=member, response="maybe")
    services.participation_respond(meeting=meeting, user=member, response="yes")
    assert meeting.participations.get(user=member).response == Response.YES
    past = factories.meeting(group, days=-2)
    with pytest.raises(ValidationError):
        services.participation_respond(meeting=past, user=member, response="no")


# Roles -------------------------------------------------------------------------


def test_roles_rotate_to_who_held_them_least_recently():
    group = factories.group(members=5)
    people = factories.members(group)
    chairs = []
    for days in (-50, -40, -30, -20, -10):
        meeting = factories.meeting(group, days=days, roles={})
        services.roles_assign(
            meeting=meeting, roles=services.roles_propose(meeting=meeting)
        )
        chairs.append(meeting.roles.get(role=RoleKind.CHAIR).user_id)
    assert sorted(chairs) == sorted(u.pk for u in people)
    upcoming = factories.meeting(group, days=5, roles={})
    decliner = next(u for u in people if u.pk != chairs[0])
    services.participation_respond(meeting=upcoming, user=decliner, response="no")
    proposal = services.roles_propose(meeting=upcoming)
    assert [u.pk for u in proposal[RoleKind.CHAIR]] == [chairs[0]]
    holders = [u.pk for users in proposal.values() for u in users]
    assert decliner.pk not in holders
    assert len(holders) == len(set(holders))  # nobody holds two roles


def test_a_role_goes_only_to_an_invited_member():
    group = factories.group()
    meeting = factories.meeting(group, days=3)
    outsider = UserFactory(office=group.office, roles=[Role.OFFICER])
    with pytest.raises(ValidationError):
        services.roles_assign(
            meeting=meeting,
            roles={RoleKind.CHAIR: [outsider]},
            actor=group.manager,
        )
    assert meeting.roles.filter(role=RoleKind.CHAIR).exclude(user=outsider).exists()


# Cases -------------------------------------------------------------------------


def test_a_case_with_an_iin_is_warned_every_time_until_kept_on_purpose():
    group = factories.group()
    meeting = factories.meeting(group, days=3)
    author = factories.members(group)[3]
    for _attempt in range(2):
        with pytest.raises(services.IdentifiersFound) as warning:
            services.case_save(
                meeting=meeting, author=author, question="Как быть?", situation=IIN_TEXT
            )
        assert [f.kind for _field, f in warning.value.findings] == ["iin"]
    assert not Case.objects.exists()
    case = services.case_save(
        meeting=meeting,
        author=author,
        question="Как быть?",
        situation=IIN_TEXT,
        keep_despite_warning=True,
    )
    assert case.warnings_overridden == ["iin"]
    entry = AuditEntry.objects.get(action="intervision.case_warning_overridden")
    assert entry.data["kinds"] == ["iin"]
    assert "850312300123" not in str(entry.data)


def test_the_facilitator_is_asked_to_check_a_case_without_its_content():
    group = factories.group()
    meeting = factories.meeting(group, days=3)
    case = services.case_save(
        meeting=meeting,
        author=factories.members(group)[3],
        question="Как удержать клиента в программе?",
        situation=CLEAN_TEXT,
    )
    notification = Notification.objects.get(recipient=group.facilitator)
    assert "удержать" not in notification.subject + notification.body
    assert not case.is_confirmed
    with pytest.raises(PermissionDenied):
        services.case_confirm(case=case, actor=group.manager)
    services.case_confirm(case=case, actor=group.facilitator)
    with pytest.raises(ValidationError):
        services.case_save(
            meeting=meeting,
            author=case.author,
            question="Другой вопрос",
            situation=CLEAN_TEXT,
            case=case,
        )
    case.refresh_from_db()
    assert case.question == "Как удержать клиента в программе?"


def test_a_member_brings_cases_only_after_agreeing_to_the_pledge():
    group = factories.group(pledged=False)
    meeting = factories.meeting(group, days=3)
    member = factories.members(group)[0]
    with pytest.raises(PermissionDenied):
        services.case_save(
            meeting=meeting, author=member, question="?", situation=CLEAN_TEXT
        )
    services.pledge_agree(group=group, user=member)
    services.case_save(
        meeting=meeting, author=member, question="Как быть?", situation=CLEAN_TEXT
    )
    assert Case.objects.count() == 1


# Minutes -----------------------------------------------------------------------


def held_meeting(group):
    return factories.meeting(group, days=-1)


def test_only_the_minute_taker_or_chair_write_and_only_the_chair_approves():
    group = factories.group()
    meeting = held_meeting(group)
    chair, taker, timekeeper = factories.members(group)[:3]
    with pytest.raises(PermissionDenied):
        services.minutes_save(meeting=meeting, actor=timekeeper, advice="x")
    minutes = services.minutes_save(
        meeting=meeting,
        actor=taker,
        notes={1: "Все действия выполнены."},
        advice="- Звонить",
    )
    with pytest.raises(PermissionDenied):
        services.minutes_approve(minutes=minutes, actor=taker)
    with pytest.raises(PermissionDenied):
        services.minutes_approve(minutes=minutes, actor=group.manager)
    services.minutes_approve(minutes=minutes, actor=chair)
    minutes.refresh_from_db()
    assert minutes.is_approved and minutes.approved_by == chair
    assert AuditEntry.objects.filter(action="intervision.minutes_approve").exists()


def test_empty_minutes_cannot_be_approved():
    group = factories.group()
    meeting = held_meeting(group)
    minutes = services.minutes_for(meeting)
    with pytest.raises(ValidationError):
        services.minutes_approve(minutes=minutes, actor=factories.members(group)[0])


def test_approved_minutes_are_locked_and_corrected_by_amendment_only():
    group = factories.group()
    meeting = held_meeting(group)
    chair, taker = factories.members(group)[:2]
    services.minutes_save(meeting=meeting, actor=taker, advice="- Звонить клиенту")
    minutes = services.minutes_approve(
        minutes=services.minutes_for(meeting), actor=chair
    )
    with translation.override("ru"), pytest.raises(ValidationError) as error:
        services.minutes_save(meeting=meeting, actor=taker, advice="Переписано")
    with translation.override("ru"):
        assert messages_of(error) == [
            gettext(
                "These minutes are approved and locked. Propose an amendment instead."
            )
        ]
    with pytest.raises(ValidationError):
        services.minutes_amend(
            minutes=minutes, actor=taker, part="advice", text="- Писать", reason=" "
        )
    with pytest.raises(ValidationError):
        services.minutes_amend(
            minutes=minutes,
            actor=taker,
            part="advice",
            text="- Звонить клиенту",
            reason="Опечатка",
        )
    minutes.refresh_from_db()
    assert minutes.advice == "- Звонить клиенту"
    amendment = services.minutes_amend(
        minutes=minutes,
        actor=taker,
        part="advice",
        text="- Звонить куратору",
        reason="Ошибка в записи",
    )
    minutes.refresh_from_db()
    assert minutes.advice == "- Звонить куратору"
    assert (amendment.before, amendment.author) == ("- Звонить клиенту", taker)
    assert AuditEntry.objects.filter(action="intervision.minutes_amend").exists()
    outsider = UserFactory(office=group.office, roles=[Role.OFFICER])
    with pytest.raises(PermissionDenied):
        services.minutes_amend(
            minutes=minutes, actor=outsider, part="advice", text="x", reason="y"
        )


def test_open_action_points_come_back_on_the_next_agenda_until_done():
    group = factories.group()
    meeting = held_meeting(group)
    taker, owner = factories.members(group)[1], factories.members(group)[3]
    point = services.action_point_add(
        meeting=meeting,
        actor=taker,
        owner=owner,
        text="Связаться с центром занятости",
        due_on=timezone.localdate() + datetime.timedelta(days=7),
    )
    outsider = UserFactory(office=group.office, roles=[Role.OFFICER])
    with pytest.raises(ValidationError):
        services.action_point_add(
            meeting=meeting, actor=taker, owner=outsider, text="x", due_on=point.due_on
        )
    following = factories.meeting(group, days=10)
    agenda = selectors.meeting_context(following, owner)["agenda"]
    assert [p.pk for p in agenda] == [point.pk]
    services.action_point_done(point=point, actor=owner)
    assert selectors.meeting_context(following, owner)["agenda"] == []
    assert ActionPoint.objects.open().count() == 0


# Attendance --------------------------------------------------------------------


def test_attendance_counts_as_cpd_hours_in_the_development_record():
    group = factories.group()
    meeting = factories.meeting(group, days=-1, hours=2)
    present, absent = factories.members(group)[:2]
    with pytest.raises(ValidationError):
        services.attendance_record(
            meeting=meeting,
            actor=group.manager,
            present=[UserFactory(office=group.office).pk],
        )
    services.attendance_record(
        meeting=meeting, actor=group.manager, present=[present.pk]
    )
    day = meeting.local_start.date()
    assert cpd_hours_for(present, day, day) == 2
    assert cpd_hours_for(absent, day, day) == 0
    with pytest.raises(ValidationError):
        services.attendance_record(
            meeting=factories.meeting(group, days=2), actor=group.manager, present=[]
        )


def test_minutes_of_a_meeting_that_has_not_started_cannot_be_written():
    group = factories.group()
    meeting = factories.meeting(group, days=2)
    with pytest.raises(ValidationError):
        services.minutes_save(
            meeting=meeting, actor=factories.members(group)[1], advice="x"
        )
    assert not Minutes.objects.exists()
