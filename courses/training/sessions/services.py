"""Sessions: scheduling, booking, the waiting list, reminders and attendance.

A session's row is locked (select_for_update) by every write that counts its
places, so two officers can never both take the last one, and a cancellation
and a booking arriving together move the waiting list in order.
"""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from courses.models import CourseFormat, CoursePage, Enrolment
from courses.models.training import ALMATY, Booking, BookingStatus, TrainingSession
from courses.training.sessions.permissions import (
    user_can_mark_attendance,
    user_can_schedule_sessions,
)
from lms.audit import audit_record
from lms.services import notification_send

REMIND_AHEAD = datetime.timedelta(hours=24)
LIVE = (BookingStatus.BOOKED, BookingStatus.WAITING)


def _local(moment: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(moment, ALMATY)


def _when(session: TrainingSession) -> str:
    """ "12 May 2026, 10:00" in Asia/Almaty, in the active language."""
    start = _local(session.starts_at)
    return f"{date_format(start, 'DATE_FORMAT')}, {start:%H:%M}"


# Scheduling ---------------------------------------------------------------------


def _schedule_errors(
    *,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    registration_deadline: datetime.datetime,
    venue: str,
    link: str,
    capacity: int,
) -> dict[str, str]:
    errors = {}
    if starts_at <= timezone.now():
        errors["starts_at"] = _("A session cannot start in the past.")
    if ends_at <= starts_at:
        errors["ends_at"] = _("The session must end after it starts.")
    if registration_deadline > starts_at:
        errors["registration_deadline"] = _(
            "Registration must close before the session starts."
        )
    if not venue.strip() and not link.strip():
        errors["venue"] = _("Give a venue, an online link, or both.")
    if capacity is None or capacity < 1:
        errors["capacity"] = _("A session needs at least one place.")
    return errors


@transaction.atomic
def session_create(
    *,
    trainer,
    course: CoursePage,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    registration_deadline: datetime.datetime,
    capacity: int,
    venue: str = "",
    link: str = "",
) -> TrainingSession:
    """Schedule a session of a course. It starts in the future, ends after it
    starts, closes registration no later than its start, has at least one
    place, and says where it happens (a venue, an online link, or both)."""
    if not user_can_schedule_sessions(trainer):
        raise PermissionDenied(_("Only trainers can schedule sessions."))
    errors = _schedule_errors(
        starts_at=starts_at,
        ends_at=ends_at,
        registration_deadline=registration_deadline,
        venue=venue,
        link=link,
        capacity=capacity,
    )
    if errors:
        raise ValidationError(errors)
    session = TrainingSession(
        course=course,
        trainer=trainer,
        starts_at=starts_at,
        ends_at=ends_at,
        registration_deadline=registration_deadline,
        capacity=capacity,
        venue=venue.strip(),
        link=link.strip(),
    )
    session.full_clean()
    session.save()
    audit_record(action="session.create", actor=trainer, obj=session)
    return session


# Booking and the waiting list ---------------------------------------------------


def _locked(session: TrainingSession) -> TrainingSession:
    return (
        TrainingSession.objects.select_for_update()
        .select_related("course")
        .get(pk=session.pk)
    )


def _session_url(session: TrainingSession, language: str) -> str:
    with translation.override(language):
        return reverse("courses:session", args=[session.pk])


def _tell_promoted(booking: Booking) -> None:
    """A link only, in the officer's language."""
    user = booking.user
    language = user.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        subject = _("A place at a training session is yours")
        body = _(
            "Someone cancelled, and you have moved up from the waiting list. "
            "Open the session for the details and its calendar file."
        )
    notification_send(
        recipient=user,
        subject=subject,
        body=body,
        url=_session_url(booking.session, language),
    )


def _fill_places(session: TrainingSession) -> list[Booking]:
    """Give free places to the waiting list, first come first moved up. The
    caller holds the session's lock."""
    booked = session.bookings.filter(status=BookingStatus.BOOKED).count()
    free = session.capacity - booked
    if free <= 0:
        return []
    promoted = list(
        session.bookings.filter(status=BookingStatus.WAITING)
        .select_related("user")
        .order_by("created_at", "pk")[:free]
    )
    now = timezone.now()
    for booking in promoted:
        booking.status = BookingStatus.BOOKED
        booking.promoted_at = now
        booking.session = session
        booking.save(update_fields=["status", "promoted_at"])
        _tell_promoted(booking)
    return promoted


@transaction.atomic
def booking_create(*, session: TrainingSession, user) -> Booking:
    """Book a place, or join the waiting list when the session is full (the
    returned booking's status says which). Refused once the session has
    started or registration has closed, for a cancelled session, and when the
    officer already has a place or is already waiting."""
    session = _locked(session)
    now = timezone.now()
    if session.cancelled:
        raise ValidationError(_("This session is cancelled."))
    if session.starts_at <= now:
        raise ValidationError(_("This session has already taken place."))
    if session.registration_deadline < now:
        raise ValidationError(
            _("Registration for this session closed on %(date)s.")
            % {
                "date": date_format(
                    _local(session.registration_deadline), "DATETIME_FORMAT"
                )
            }
        )
    existing = session.bookings.filter(user=user, status__in=LIVE).first()
    if existing is not None:
        if existing.status == BookingStatus.BOOKED:
            raise ValidationError(_("You already have a place at this session."))
        raise ValidationError(_("You are already on the waiting list of this session."))
    _fill_places(session)
    booked = session.bookings.filter(status=BookingStatus.BOOKED).count()
    booking = Booking(
        session=session,
        user=user,
        status=(
            BookingStatus.BOOKED if booked < session.capacity else BookingStatus.WAITING
        ),
        created_at=now,
    )
    booking.full_clean()
    booking.save()
    return booking


@transaction.atomic
def booking_cancel(*, booking: Booking, user) -> Booking:
    """Cancel one's own booking or place on the waiting list, up to the start
    of the session. A freed place goes to the first officer waiting, who is
    told."""
    if booking.user_id != user.pk:
        raise PermissionDenied(_("This booking belongs to someone else."))
    # Lock the session first, in the same order as booking_create.
    session = _locked(booking.session)
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.status == BookingStatus.CANCELLED:
        raise ValidationError(_("This booking is already cancelled."))
    if session.starts_at <= timezone.now():
        raise ValidationError(
            _("The session has started; the booking can no longer be cancelled.")
        )
    was_booked = booking.status == BookingStatus.BOOKED
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at = timezone.now()
    booking.save(update_fields=["status", "cancelled_at"])
    if was_booked:
        _fill_places(session)
    booking.session = session
    return booking


def waiting_position(booking: Booking) -> int | None:
    """1 for the first officer on the waiting list."""
    if booking.status != BookingStatus.WAITING:
        return None
    earlier = Q(created_at__lt=booking.created_at) | Q(
        created_at=booking.created_at, pk__lt=booking.pk
    )
    waiting = Booking.objects.filter(
        session_id=booking.session_id, status=BookingStatus.WAITING
    )
    return waiting.filter(earlier).count() + 1


# Reminders ----------------------------------------------------------------------


def _remind(booking: Booking) -> None:
    user = booking.user
    session = booking.session
    language = user.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        subject = _("Your training session is tomorrow")
        body = _("It starts on %(when)s (Astana time).") % {"when": _when(session)}
    notification_send(
        recipient=user,
        subject=subject,
        body=body,
        url=_session_url(session, language),
    )


@transaction.atomic
def session_reminders_send() -> int:
    """Remind each officer with a place the day before (within 24 hours of the
    start), once per booking however often it runs. Returns how many were
    reminded."""
    now = timezone.now()
    due = (
        Booking.objects.filter(
            status=BookingStatus.BOOKED,
            reminded_at__isnull=True,
            session__cancelled=False,
            session__starts_at__gt=now,
            session__starts_at__lte=now + REMIND_AHEAD,
        )
        .select_related("user", "session")
        .order_by("pk")
    )
    sent = 0
    for booking in due:
        # Claimed by a conditional update: a run overlapping this one finds
        # reminded_at set and sends nothing.
        claimed = Booking.objects.filter(
            pk=booking.pk, reminded_at__isnull=True
        ).update(reminded_at=now)
        if claimed:
            _remind(booking)
            sent += 1
    return sent


# Attendance ---------------------------------------------------------------------


@transaction.atomic
def attendance_record(
    *, session: TrainingSession, by, present: Iterable[int]
) -> list[Booking]:
    """The trainer of the session (or whoever may change sessions) marks who
    came, once the session has started. Every officer with a place is marked
    present or absent; attending counts toward completing the course. Each
    marking is audited."""
    if not user_can_mark_attendance(by, session):
        raise PermissionDenied(_("Only the session's trainer can mark attendance."))
    session = _locked(session)
    if session.cancelled:
        raise ValidationError(_("This session is cancelled."))
    if session.starts_at > timezone.now():
        raise ValidationError(
            _("Attendance can be marked once the session has started.")
        )
    present = set(present)
    bookings = list(
        session.bookings.filter(status=BookingStatus.BOOKED).select_related("user")
    )
    unknown = present - {booking.user_id for booking in bookings}
    if unknown:
        raise ValidationError(_("Only officers with a place can be marked present."))
    newly_present = []
    for booking in bookings:
        attended = booking.user_id in present
        if booking.attended is not attended:
            if attended:
                newly_present.append(booking)
            booking.attended = attended
            booking.save(update_fields=["attended"])
    audit_record(
        action="session.attendance",
        actor=by,
        obj=session,
        data={
            "present": sorted(present),
            "absent": sorted(b.user_id for b in bookings if b.user_id not in present),
        },
    )
    # courses.services imports this module for session_attended.
    from courses.services import enrolment_check_completion

    enrolments = Enrolment.objects.filter(
        course_key=session.course.translation_key,
        user_id__in=[booking.user_id for booking in newly_present],
    )
    for enrolment in enrolments:
        enrolment_check_completion(enrolment=enrolment)
    return bookings


def session_attended(*, enrolment) -> bool:
    """Whether the officer attended a session of the course, when the course is
    taught in a classroom or blended (True for self-paced online courses). A
    session of any language version of the course counts."""
    course = enrolment.course
    if course is None:
        course = CoursePage.objects.filter(translation_key=enrolment.course_key).first()
    if course is None or course.format == CourseFormat.ONLINE:
        return True
    return Booking.objects.filter(
        user_id=enrolment.user_id,
        status=BookingStatus.BOOKED,
        attended=True,
        session__course__translation_key=enrolment.course_key,
    ).exists()
