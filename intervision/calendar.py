"""iCalendar for intervision: one file per meeting, and a member's personal
feed that calendar apps subscribe to.

A schedule is one recurring event (RRULE). A cancelled meeting is an EXDATE of
it; a moved or changed one is an override with the same UID and the date it
had in the series as RECURRENCE-ID, so calendar apps move the occurrence
instead of adding a second one. One-off meetings are events of their own.
Events carry the group's name, the place and a link: never cases or minutes.
"""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from intervision.models import Group, Meeting, Series

PRODID = "-//Ustaz//Intervision//EN"


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    return calendar


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _summary(group: Group) -> str:
    return _("Intervision: %(group)s") % {"group": group.name}


def _event(meeting: Meeting, *, dtstamp: datetime.datetime) -> Event:
    tz = meeting.group.tzinfo
    event = Event()
    event.add("uid", meeting.ical_uid)
    event.add("dtstamp", dtstamp)
    event.add("sequence", meeting.sequence)
    event.add("summary", _summary(meeting.group))
    event.add("dtstart", meeting.starts_at.astimezone(tz))
    event.add("dtend", meeting.ends_at.astimezone(tz))
    if meeting.location:
        event.add("location", meeting.location)
    event.add("url", _absolute(meeting.get_absolute_url()))
    event.add("description", _absolute(meeting.get_absolute_url()))
    if meeting.series_id and meeting.series_date:
        event.add("recurrence-id", meeting.series.starts_at(meeting.series_date))
    event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    return event


def _series_event(
    series: Series, meetings: list[Meeting], *, dtstamp: datetime.datetime
) -> list[Event]:
    group = series.group
    first = series.rule().after(series.first_moment(), inc=True)
    master = Event()
    master.add("uid", f"intervision-series-{series.pk}@ustaz")
    master.add("dtstamp", dtstamp)
    master.add("summary", _summary(group))
    master.add("dtstart", first.replace(tzinfo=group.tzinfo))
    master.add(
        "dtend",
        datetime.datetime.combine(first.date(), series.end_time, tzinfo=group.tzinfo),
    )
    master.add("rrule", series.ical_rule())
    if group.location:
        master.add("location", group.location)
    master.add("url", _absolute(group.get_absolute_url()))
    cancelled = [
        series.starts_at(meeting.series_date)
        for meeting in meetings
        if meeting.is_cancelled
    ]
    if cancelled:
        master.add("exdate", cancelled)
    # Meetings kept after the schedule ended (something was prepared for
    # them) are outside the RRULE: RDATE puts their slot back in the series.
    kept = [
        series.starts_at(meeting.series_date)
        for meeting in meetings
        if not meeting.is_cancelled
        and series.ends_on
        and meeting.series_date > series.ends_on
    ]
    if kept:
        master.add("rdate", kept)
    overrides = [
        _event(meeting, dtstamp=dtstamp)
        for meeting in meetings
        if not meeting.is_cancelled and meeting.sequence > 0
    ]
    return [master, *overrides]


def meeting_calendar(meeting: Meeting) -> bytes:
    """The .ics file of one meeting."""
    calendar = _calendar(_summary(meeting.group))
    calendar.add("method", "PUBLISH")
    calendar.add_component(_event(meeting, dtstamp=timezone.now()))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def feed_calendar(
    *, name: str, series: Iterable[Series], meetings: Iterable[Meeting]
) -> bytes:
    """A personal feed: the schedules of the member's groups, with their
    exceptions, and their one-off meetings. `meetings` holds every meeting of
    those groups that differs from its schedule or has none."""
    dtstamp = timezone.now()
    calendar = _calendar(name)
    by_series: dict[int, list[Meeting]] = {}
    one_off = []
    for meeting in meetings:
        if meeting.series_id and meeting.series_date:
            by_series.setdefault(meeting.series_id, []).append(meeting)
        else:
            one_off.append(meeting)
    for schedule in series:
        for event in _series_event(
            schedule, by_series.get(schedule.pk, []), dtstamp=dtstamp
        ):
            calendar.add_component(event)
    for meeting in one_off:
        calendar.add_component(_event(meeting, dtstamp=dtstamp))
    calendar.add_missing_timezones()
    return calendar.to_ical()
