"""The intervision calendar: the personal feed a calendar app subscribes to,
and the .ics file of one meeting. The feed is read back with `icalendar` and
its recurrence expanded with dateutil (DTSTART, RRULE, RDATE, EXDATE, and the
overrides that share the schedule's UID with a RECURRENCE-ID), the way a
calendar app does, and compared with the meetings Ustaz planned.

Bad inputs tried: a token that does not exist; the valid token with its case
swapped, cut short by one character and with one character added; a token
written like SQL (`' OR '1'='1`) and one of 2 000 characters; the old token
after a reset; the token of a deactivated user (each gives the same 404, in
text/plain, in the language the request asks for: Kazakh, Russian, English).
A member of another group downloading this group's meeting, a visitor who is
not signed in, and a meeting that does not exist. A cancelled meeting, a moved
one, a cancelled one-off meeting, a monthly schedule on the second and on the
last Tuesday, a schedule with an end date on a meeting day and one between
meeting days, a meeting kept after its schedule ended (a case was already
prepared for it), a deactivated group, a member who left, and a member with
ten times as many meetings, groups and exceptions (same number of queries).
Case questions, situations and minutes never reach the feed, even when the
feed's lines are folded.
"""

import datetime
import zoneinfo
from dataclasses import dataclass

import pytest
from dateutil.rrule import rruleset, rrulestr
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from icalendar import Calendar, Event

from intervision import services
from intervision.models import Case, Meeting, MeetingStatus, Membership, Minutes
from tests.intervision import factories

pytestmark = pytest.mark.django_db

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
UTC = datetime.UTC
TWO_HOURS = datetime.timedelta(hours=2)
INVALID = (
    "This calendar address is not valid: it may have been reset. Copy the new one "
    "from Ustaz."
)

# Distinctive text that must never leave Ustaz through a calendar.
SECRET_QUESTION = "КАКЖЕПОСТУПИТЬСЭТИМКЛИЕНТОМ-7731"
SECRET_SITUATION = "СИТУАЦИЯСОСТОРОЖНЫМИПОДРОБНОСТЯМИ-7732"
SECRET_ADVICE = "СОВЕТГРУППЫВПРОТОКОЛЕ-7733"


@dataclass(frozen=True)
class Occurrence:
    uid: str
    start: datetime.datetime
    end: datetime.datetime
    # The slot in the schedule this occurrence replaces (overrides only).
    recurrence_id: datetime.datetime | None = None


def feed_response(client, user):
    token = services.calendar_token_for(user).token
    return client.get(reverse("intervision_feed", args=[token]))


def feed_of(user) -> Calendar:
    """The member's feed, fetched by a client that never signed in."""
    response = feed_response(Client(), user)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def meeting_ics(client, meeting) -> Event:
    response = client.get(reverse("intervision:meeting_ics", args=[meeting.pk]))
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Almaty"]
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return events[0]


def masters(calendar: Calendar) -> list[Event]:
    return [e for e in calendar.walk("VEVENT") if "RRULE" in e]


def recurrence_set(event: Event) -> rruleset:
    """The start times a recurring event stands for: RRULE and RDATE from its
    DTSTART, without EXDATE. A naive UNTIL with a zoned DTSTART makes dateutil
    refuse the rule, as RFC 5545 does."""
    dtstart = event.decoded("DTSTART")
    assert dtstart.tzinfo is not None, "DTSTART must be zoned"
    starts = rruleset()
    starts.rrule(rrulestr(event["RRULE"].to_ical().decode(), dtstart=dtstart))
    starts.rdate(dtstart)
    for start, _end in event.rdates:
        starts.rdate(start)
    for start in event.exdates:
        assert start.tzinfo is not None, "EXDATE must be zoned"
        starts.exdate(start)
    return starts


def expand(
    calendar: Calendar, start: datetime.datetime, end: datetime.datetime
) -> list[Occurrence]:
    """The occurrences that start in [start, end), as a calendar app shows
    them: each schedule's recurrence set with the overrides (same UID, and the
    replaced slot as RECURRENCE-ID) in place of their slot, and the events of
    their own. Cancelled events are not shown. An override whose slot is not
    in its schedule fails: calendar apps would show it twice or not at all."""
    events = calendar.walk("VEVENT")
    sets = {str(e["UID"]): (e, recurrence_set(e)) for e in events if "RRULE" in e}
    overrides: dict[tuple[str, datetime.datetime], Event] = {}
    found = []
    for event in events:
        uid = str(event["UID"])
        if "RECURRENCE-ID" in event:
            slot = event.decoded("RECURRENCE-ID")
            assert uid in sets, f"override of an unknown schedule {uid}"
            assert slot in sets[uid][1], f"{uid} has no occurrence at {slot}"
            assert (uid, slot) not in overrides, f"two overrides of {uid} {slot}"
            overrides[uid, slot] = event
        elif "RRULE" not in event and event.get("STATUS") != "CANCELLED":
            found.append(
                Occurrence(uid, event.decoded("DTSTART"), event.decoded("DTEND"))
            )
    margin = datetime.timedelta(days=92)
    for uid, (master, starts) in sets.items():
        duration = master.decoded("DTEND") - master.decoded("DTSTART")
        for slot in starts.between(start - margin, end + margin, inc=True):
            override = overrides.get((uid, slot))
            if override is None:
                found.append(Occurrence(uid, slot, slot + duration))
            elif override.get("STATUS") != "CANCELLED":
                found.append(
                    Occurrence(
                        uid,
                        override.decoded("DTSTART"),
                        override.decoded("DTEND"),
                        slot,
                    )
                )
    return sorted(
        (o for o in found if start <= o.start < end), key=lambda o: (o.start, o.uid)
    )


def planned(group, start, end) -> list[tuple]:
    """What Ustaz has planned: (UID, start, end) of the group's meetings that
    take place and start in [start, end)."""
    meetings = group.meetings.filter(
        status=MeetingStatus.SCHEDULED, starts_at__gte=start, starts_at__lt=end
    )
    return sorted(
        ((m.ical_uid, m.starts_at, m.ends_at) for m in meetings),
        key=lambda row: (row[1], row[0]),
    )


def shown(occurrences: list[Occurrence]) -> list[tuple]:
    return [(o.uid, o.start, o.end) for o in occurrences]


def next_tuesday() -> datetime.date:
    """The day factories.series starts on."""
    today = timezone.localdate()
    return today + datetime.timedelta(days=(1 - today.weekday()) % 7 or 7)


def move(meeting: Meeting, actor, starts_at: datetime.datetime, hours: float = 2):
    return services.meeting_change(
        meeting=meeting,
        actor=actor,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=hours),
        method=meeting.method,
        location=meeting.location,
        note="Зал занят",
    )


def unfolded(content: bytes) -> str:
    """The feed's text with folded lines joined again (RFC 5545 §3.1), so that
    a long value is not missed because a line break fell inside it."""
    return content.replace(b"\r\n ", b"").replace(b"\r\n\t", b"").decode()


# --- The personal feed ----------------------------------------------------------


def test_feed_imported_with_icalendar_gives_the_planned_meetings_and_exceptions():
    group = factories.group()
    manager = group.manager
    schedule = factories.series(group)
    meetings = list(schedule.meetings.order_by("series_date"))
    assert len(meetings) >= 5
    first, moved, cancelled = meetings[:3]
    original_slot = moved.starts_at
    # Moved from Tuesday 14:00 to Wednesday 15:00–17:00.
    new_start = moved.local_start + datetime.timedelta(days=1, hours=1)
    move(moved, manager, new_start)
    services.meeting_cancel(meeting=cancelled, actor=manager, note="Праздник")
    extra_start = first.local_start + datetime.timedelta(days=3)  # Friday 14:00
    one_off = services.meeting_create(
        group=group,
        actor=manager,
        starts_at=extra_start,
        ends_at=extra_start + datetime.timedelta(minutes=90),
    )
    dropped = services.meeting_create(
        group=group,
        actor=manager,
        starts_at=extra_start + datetime.timedelta(days=7),
        ends_at=extra_start + datetime.timedelta(days=7, hours=1),
    )
    services.meeting_cancel(meeting=dropped, actor=manager, note="Не нужно")
    member = factories.members(group)[0]
    past = factories.meeting(group, days=-14)
    # Cases on the meetings the feed carries as events of their own.
    Case.objects.create(
        meeting=moved, author=member, question=SECRET_QUESTION, situation="Ситуация"
    )
    Case.objects.create(
        meeting=one_off, author=member, question="Вопрос", situation=SECRET_SITUATION
    )
    Minutes.objects.create(meeting=past, advice=SECRET_ADVICE)

    member.preferred_language = "en"  # the site's default is Russian
    member.save(update_fields=["preferred_language"])
    token = services.calendar_token_for(member).token
    url = reverse("intervision_feed", args=[token])
    assert url == f"/intervision/feed/{token}.ics"  # no language prefix
    response = Client().get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)

    # The schedule: one master event, every second Tuesday 14:00 in Almaty.
    [master] = masters(calendar)
    uid = f"intervision-series-{schedule.pk}@ustaz"
    assert str(master["UID"]) == uid
    assert master["DTSTART"].params["TZID"] == "Asia/Almaty"
    assert master.decoded("DTSTART") == datetime.datetime.combine(
        schedule.starts_on, datetime.time(14), ALMATY
    )
    assert master.decoded("DTSTART").astimezone(UTC).time() == datetime.time(9)
    assert master["RRULE"].to_ical() == b"FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"
    assert master.exdates == [cancelled.starts_at]
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Almaty"]
    # In the member's language, whoever fetches the feed.
    assert calendar["X-WR-CALNAME"] == "Intervision · Ustaz"
    assert master["SUMMARY"] == f"Intervision: {group.name}"
    with translation.override("ru"):
        assert gettext("Intervision · Ustaz") != "Intervision · Ustaz"

    now = timezone.now()
    window_end = now + datetime.timedelta(weeks=10)
    occurrences = expand(calendar, now, window_end)
    assert shown(occurrences) == planned(group, now, window_end)
    assert len(occurrences) >= 5

    starts = [o.start for o in occurrences]
    assert cancelled.starts_at not in starts
    assert original_slot not in starts
    assert starts.count(new_start) == 1
    [override] = [o for o in occurrences if o.recurrence_id]
    assert override == Occurrence(uid, new_start, new_start + TWO_HOURS, original_slot)
    assert override.start.astimezone(ALMATY).time() == datetime.time(15)
    [override_event] = [e for e in calendar.walk("VEVENT") if "RECURRENCE-ID" in e]
    assert override_event["DTSTART"].params["TZID"] == "Asia/Almaty"
    assert override_event["RECURRENCE-ID"].params["TZID"] == "Asia/Almaty"
    assert override_event.decoded("SEQUENCE") > 0

    for occurrence in occurrences:
        assert occurrence.start.tzinfo is not None
        if occurrence.uid == uid and occurrence.recurrence_id is None:
            local = occurrence.start.astimezone(ALMATY)
            assert (local.weekday(), local.time()) == (1, datetime.time(14))
            assert occurrence.start.astimezone(UTC).time() == datetime.time(9)
            assert occurrence.end - occurrence.start == TWO_HOURS

    assert [o for o in occurrences if o.uid != uid] == [
        Occurrence(
            f"intervision-meeting-{one_off.pk}@ustaz",
            extra_start,
            extra_start + datetime.timedelta(minutes=90),
        )
    ]
    [dropped_event] = [
        e for e in calendar.walk("VEVENT") if e.get("STATUS") == "CANCELLED"
    ]
    assert str(dropped_event["UID"]) == f"intervision-meeting-{dropped.pk}@ustaz"

    text = unfolded(response.content)
    for secret in (SECRET_QUESTION, SECRET_SITUATION, SECRET_ADVICE):
        assert secret not in text
    assert group.name in text  # the text is readable: the check above means it


@pytest.mark.parametrize(("week", "byday"), [(2, "2TU"), (-1, "-1TU")])
def test_monthly_schedule_repeats_on_that_tuesday_of_each_month(week, byday):
    group = factories.group()
    schedule = factories.series(
        group, frequency="monthly", interval=1, week_of_month=week
    )
    calendar = feed_of(factories.members(group)[0])

    [master] = masters(calendar)
    assert (
        master["RRULE"].to_ical() == f"FREQ=MONTHLY;INTERVAL=1;BYDAY={byday}".encode()
    )
    now = timezone.now()
    year = expand(calendar, now, now + datetime.timedelta(days=400))
    assert len(year) >= 12
    months = [o.start.year * 12 + o.start.month for o in year]
    assert months == list(range(months[0], months[0] + len(year)))
    for occurrence in year:
        local = occurrence.start.astimezone(ALMATY)
        assert (local.weekday(), local.time()) == (1, datetime.time(14))
        if week == 2:
            assert 8 <= local.day <= 14
        else:
            assert (local + datetime.timedelta(days=7)).month != local.month
    horizon = now + datetime.timedelta(days=services.PLAN_AHEAD_DAYS - 1)
    assert shown(expand(calendar, now, horizon)) == planned(group, now, horizon)
    assert schedule.meetings.exists()


@pytest.mark.parametrize("extra_days", [0, 5])
def test_schedule_with_an_end_date_ends_in_utc_until_and_has_no_later_meeting(
    extra_days,
):
    """The end date falls on the last meeting (which still counts) or five
    days after it."""
    group = factories.group()
    starts_on = next_tuesday()
    last_day = starts_on + datetime.timedelta(weeks=4)
    ends_on = last_day + datetime.timedelta(days=extra_days)
    factories.series(group, starts_on=starts_on, ends_on=ends_on)
    response = feed_response(Client(), factories.members(group)[0])
    calendar = Calendar.from_ical(response.content)

    [master] = masters(calendar)
    until = master["RRULE"]["UNTIL"][0]
    assert until == datetime.datetime.combine(ends_on, datetime.time(9), UTC)
    assert until.utcoffset() == datetime.timedelta(0)
    assert f"UNTIL={ends_on:%Y%m%d}T090000Z" in unfolded(response.content)

    now = timezone.now()
    occurrences = expand(calendar, now, now + datetime.timedelta(days=365))
    assert [o.start.astimezone(ALMATY).date() for o in occurrences] == [
        starts_on,
        starts_on + datetime.timedelta(weeks=2),
        last_day,
    ]
    assert shown(occurrences) == planned(group, now, now + datetime.timedelta(days=365))


def test_meeting_kept_after_its_schedule_ended_is_still_in_the_feed():
    """A new schedule ends the old one; a meeting of the old one that a case
    was already prepared for is kept, so it must stay in the calendar too."""
    group = factories.group()
    old = factories.series(group)
    meetings = list(old.meetings.order_by("series_date"))
    kept = meetings[2]
    member = factories.members(group)[0]
    Case.objects.create(
        meeting=kept, author=member, question=SECRET_QUESTION, situation="Ситуация"
    )
    moved_kept = meetings[3]
    Case.objects.create(
        meeting=moved_kept, author=member, question="Второй", situation="Ситуация"
    )
    move(moved_kept, group.manager, moved_kept.starts_at + datetime.timedelta(hours=1))
    # From the day after the second meeting: Thursdays, weekly.
    factories.series(
        group,
        interval=1,
        weekday=3,
        starts_on=meetings[1].series_date + datetime.timedelta(days=1),
    )
    old.refresh_from_db()
    assert old.ends_on == meetings[1].series_date
    assert set(old.meetings.all()) == {meetings[0], meetings[1], kept, moved_kept}

    calendar = feed_of(member)
    now = timezone.now()
    window_end = now + datetime.timedelta(weeks=10)
    occurrences = expand(calendar, now, window_end)
    assert shown(occurrences) == planned(group, now, window_end)
    old_uid = f"intervision-series-{old.pk}@ustaz"
    assert [o.start for o in occurrences if o.uid == old_uid] == [
        meetings[0].starts_at,
        meetings[1].starts_at,
        kept.starts_at,
        moved_kept.starts_at,
    ]


def test_feed_leaves_out_deactivated_groups_and_groups_the_member_left():
    staying = factories.group()
    factories.series(staying)
    member = factories.members(staying)[0]
    closed = factories.group(facilitator=member)
    factories.series(closed, weekday=3)
    left = factories.group()
    factories.series(left, weekday=4)
    Membership.objects.create(group=left, user=member, left_on=timezone.localdate())
    closed.is_active = False
    closed.save(update_fields=["is_active"])

    calendar = feed_of(member)
    uids = {str(e["UID"]) for e in calendar.walk("VEVENT")}
    assert uids == {f"intervision-series-{staying.series.get().pk}@ustaz"}


# --- One meeting's .ics ---------------------------------------------------------


def test_meeting_ics_has_the_schedule_uid_and_a_higher_sequence_after_a_move(client):
    group = factories.group()
    schedule = factories.series(group)
    meeting = schedule.meetings.order_by("series_date")[1]
    slot = meeting.starts_at
    client.force_login(factories.members(group)[0])

    before = meeting_ics(client, meeting)
    uid = f"intervision-series-{schedule.pk}@ustaz"
    assert str(before["UID"]) == uid
    assert before.decoded("RECURRENCE-ID") == slot
    assert before.decoded("DTSTART") == slot
    assert before["DTSTART"].params["TZID"] == "Asia/Almaty"
    assert "RRULE" not in before

    new_start = meeting.local_start + datetime.timedelta(days=2, hours=-4)
    move(meeting, group.manager, new_start, hours=3)
    after = meeting_ics(client, meeting)
    assert str(after["UID"]) == uid
    assert after.decoded("RECURRENCE-ID") == slot
    assert after.decoded("SEQUENCE") > before.decoded("SEQUENCE", 0)
    assert after.decoded("DTSTART") == new_start
    assert after.decoded("DTEND") == new_start + datetime.timedelta(hours=3)

    services.meeting_cancel(meeting=meeting, actor=group.manager, note="Праздник")
    cancelled = meeting_ics(client, meeting)
    assert str(cancelled["UID"]) == uid
    assert cancelled["STATUS"] == "CANCELLED"
    assert cancelled.decoded("SEQUENCE") > after.decoded("SEQUENCE")


def test_one_off_meeting_ics_has_its_own_uid_and_no_recurrence_id(client):
    group = factories.group()
    factories.series(group)
    meeting = factories.meeting(group, days=10)
    client.force_login(group.facilitator)
    event = meeting_ics(client, meeting)
    assert str(event["UID"]) == f"intervision-meeting-{meeting.pk}@ustaz"
    assert "RECURRENCE-ID" not in event
    assert event.decoded("DTSTART") == meeting.starts_at


def test_meeting_ics_is_refused_outside_the_group(client):
    group = factories.group()
    meeting = factories.series(group).meetings.first()
    url = reverse("intervision:meeting_ics", args=[meeting.pk])

    response = client.get(url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]

    client.force_login(factories.members(factories.group())[0])
    response = client.get(url)
    assert response.status_code == 403
    assert b"BEGIN:VCALENDAR" not in response.content

    client.force_login(factories.members(group)[0])
    missing = reverse("intervision:meeting_ics", args=[meeting.pk + 10_000])
    assert client.get(missing).status_code == 404


# --- Bad tokens -----------------------------------------------------------------


def assert_invalid(response, language: str) -> None:
    assert response.status_code == 404
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    with translation.override(language):
        expected = gettext(INVALID)
    assert (expected == INVALID) == (language == "en"), "not translated"
    assert response.content.decode() == expected
    assert b"BEGIN:VCALENDAR" not in response.content


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_wrong_token_gives_a_clear_404_in_the_language_asked_for(language):
    group = factories.group()
    factories.series(group)
    token = services.calendar_token_for(factories.members(group)[0]).token
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    assert client.get(reverse("intervision_feed", args=[token])).status_code == 200
    for wrong in [
        "nope",
        token.swapcase(),
        token[:-1],
        token + "A",
        "' OR '1'='1",
        "x" * 2000,
    ]:
        assert wrong != token
        assert_invalid(client.get(reverse("intervision_feed", args=[wrong])), language)


def test_reset_token_stops_the_old_address_and_the_new_one_works():
    group = factories.group()
    schedule = factories.series(group)
    member = factories.members(group)[0]
    old = services.calendar_token_for(member).token
    client = Client()
    assert client.get(reverse("intervision_feed", args=[old])).status_code == 200

    new = services.calendar_token_reset(user=member).token
    assert new != old
    assert_invalid(client.get(reverse("intervision_feed", args=[old])), "ru")
    response = client.get(reverse("intervision_feed", args=[new]))
    assert response.status_code == 200
    [master] = masters(Calendar.from_ical(response.content))
    assert str(master["UID"]) == f"intervision-series-{schedule.pk}@ustaz"


def test_token_of_a_deactivated_user_gives_404():
    group = factories.group()
    factories.series(group)
    member = factories.members(group)[0]
    url = reverse("intervision_feed", args=[services.calendar_token_for(member).token])
    client = Client()
    assert client.get(url).status_code == 200
    member.is_active = False
    member.save(update_fields=["is_active"])
    assert_invalid(client.get(url), "ru")


# --- Queries --------------------------------------------------------------------


def feed_queries(user) -> tuple[int, int]:
    """Queries of one feed request once caches are warm, and its events."""
    client = Client()
    token = services.calendar_token_for(user).token
    url = reverse("intervision_feed", args=[token])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), len(Calendar.from_ical(response.content).walk("VEVENT"))


def busy_group(member, *, weekday: int) -> None:
    """A group the member facilitates: a weekly schedule with three meetings
    moved and three cancelled, and one-off meetings past and to come."""
    group = factories.group(facilitator=member)
    meetings = list(
        factories.series(group, interval=1, weekday=weekday)
        .meetings.order_by("series_date")
        .all()
    )
    for meeting in meetings[:3]:
        move(meeting, group.manager, meeting.starts_at + datetime.timedelta(hours=2))
    for meeting in meetings[3:6]:
        services.meeting_cancel(meeting=meeting, actor=group.manager, note="Отпуск")
    for days in (-30, -20, 20, 30):
        factories.meeting(group, days=days)


def test_feed_queries_do_not_grow_with_meetings_groups_and_exceptions():
    group = factories.group()
    member = factories.members(group)[0]
    starts_on = next_tuesday()
    schedule = factories.series(
        group, starts_on=starts_on, ends_on=starts_on + datetime.timedelta(weeks=2)
    )
    first = schedule.meetings.order_by("series_date").first()
    move(first, group.manager, first.starts_at + datetime.timedelta(hours=1))
    factories.meeting(group, days=-7)
    assert Meeting.objects.filter(group__memberships__user=member).count() == 3
    few, few_events = feed_queries(member)

    busy_group(member, weekday=3)
    busy_group(member, weekday=4)
    assert (
        Meeting.objects.filter(group__in=member.facilitated_groups.all()).count() > 30
    )
    many, many_events = feed_queries(member)
    assert many_events >= few_events + 14
    assert many == few
