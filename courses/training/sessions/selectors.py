"""Reads behind the sessions pages and the officer's "My learning" section.
Each runs a fixed number of queries, whatever the number of sessions and
bookings."""

from collections import defaultdict

from django.db.models import Count, Q
from django.utils import timezone
from wagtail.models import Locale

from courses.models import CoursePage
from courses.models.training import Booking, BookingStatus, TrainingSession
from courses.selectors import localized
from courses.training.sessions.permissions import (
    user_can_mark_attendance,
    user_can_schedule_sessions,
    user_can_see_bookings,
)
from courses.training.sessions.services import waiting_position

LIVE = (BookingStatus.BOOKED, BookingStatus.WAITING)


def with_counts(sessions):
    return sessions.select_related("course", "course__locale", "trainer").annotate(
        booked_count=Count("bookings", filter=Q(bookings__status=BookingStatus.BOOKED)),
        waiting_count=Count(
            "bookings", filter=Q(bookings__status=BookingStatus.WAITING)
        ),
    )


def _places_left(session) -> int:
    return max(session.capacity - session.booked_count, 0)


def _positions(session_ids) -> dict[int, int]:
    """Booking id -> place on its session's waiting list (1 is next)."""
    positions, seen = {}, defaultdict(int)
    rows = (
        Booking.objects.filter(session_id__in=session_ids, status=BookingStatus.WAITING)
        .order_by("created_at", "pk")
        .values_list("pk", "session_id")
    )
    for pk, session_id in rows:
        seen[session_id] += 1
        positions[pk] = seen[session_id]
    return positions


def _titles(sessions) -> dict:
    """Course titles in the active language, by translation key."""
    pages = localized(CoursePage, {s.course.translation_key for s in sessions})
    return {key: page.title for key, page in pages.items()}


def _row(session, titles, booking=None, positions=None) -> dict:
    return {
        "session": session,
        "title": titles.get(session.course.translation_key, session.course.title),
        "places_left": _places_left(session),
        "booking": booking,
        "position": (positions or {}).get(booking.pk) if booking else None,
        "is_open": session.registration_deadline >= timezone.now()
        and session.starts_at > timezone.now()
        and not session.cancelled,
    }


def course_sessions_context(course: CoursePage, user) -> dict:
    """The coming sessions of a course, in every language version."""
    sessions = list(
        with_counts(
            TrainingSession.objects.upcoming().filter(
                course__translation_key=course.translation_key
            )
        )
    )
    mine = {
        booking.session_id: booking
        for booking in Booking.objects.filter(
            user=user, session__in=sessions, status__in=LIVE
        )
    }
    positions = _positions(
        [b.session_id for b in mine.values() if b.status == BookingStatus.WAITING]
    )
    titles = {course.translation_key: course.title}
    return {
        "course": course,
        "rows": [
            _row(session, titles, mine.get(session.pk), positions)
            for session in sessions
        ],
        "can_schedule": user_can_schedule_sessions(user),
    }


def session_context(session: TrainingSession, user) -> dict:
    """One session: the officer's booking and, for the trainer and the
    administrators, who booked and who waits."""
    session = with_counts(TrainingSession.objects.filter(pk=session.pk)).get()
    mine = (
        Booking.objects.filter(session=session, user=user)
        .order_by("-created_at", "-pk")
        .first()
    )
    position = waiting_position(mine) if mine is not None else None
    titles = _titles([session])
    context = {
        **_row(session, titles, mine),
        "position": position,
        "started": session.starts_at <= timezone.now(),
        "can_see_bookings": user_can_see_bookings(user, session),
        "can_mark_attendance": user_can_mark_attendance(user, session),
    }
    if context["can_see_bookings"]:
        bookings = list(
            session.bookings.filter(status__in=LIVE)
            .select_related("user", "user__office")
            .order_by("created_at", "pk")
        )
        context["booked"] = [b for b in bookings if b.status == BookingStatus.BOOKED]
        context["waiting"] = [b for b in bookings if b.status == BookingStatus.WAITING]
    return context


def trainer_sessions_context(user) -> dict:
    """The trainer's own sessions, coming first, then the past ones."""
    sessions = list(
        with_counts(TrainingSession.objects.filter(trainer=user)).order_by("-starts_at")
    )
    titles = _titles(sessions)
    now = timezone.now()
    rows = [_row(session, titles) for session in sessions]
    courses = CoursePage.objects.live().filter(locale=Locale.get_active())
    return {
        "upcoming": [r for r in reversed(rows) if r["session"].starts_at > now],
        "past": [r for r in rows if r["session"].starts_at <= now],
        "courses": courses.order_by("title"),
    }


def my_learning(user) -> dict:
    """The officer's coming sessions: those they have a place at and those
    they wait for, with their place on the waiting list."""
    bookings = list(
        Booking.objects.filter(
            user=user,
            status__in=LIVE,
            session__cancelled=False,
            session__ends_at__gt=timezone.now(),
        )
        .select_related("session", "session__course")
        .order_by("session__starts_at")
    )
    positions = _positions(
        [b.session_id for b in bookings if b.status == BookingStatus.WAITING]
    )
    titles = _titles([b.session for b in bookings])
    return {
        "bookings": [
            {
                "booking": booking,
                "session": booking.session,
                "title": titles.get(
                    booking.session.course.translation_key,
                    booking.session.course.title,
                ),
                "position": positions.get(booking.pk),
            }
            for booking in bookings
        ]
    }
