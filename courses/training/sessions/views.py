"""Training sessions: officers find a course's sessions, book a place or join
the waiting list, cancel, and download the calendar file; trainers schedule
sessions, see who booked and mark attendance. Each view says who may use it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from courses.models import CoursePage
from courses.models.training import Booking, BookingStatus, TrainingSession
from courses.selectors import localized
from courses.training.sessions import permissions, selectors, services
from courses.training.sessions.calendar import booking_calendar
from courses.training.sessions.forms import AttendanceForm, SessionForm


def _first_error(error: ValidationError) -> str:
    return error.messages[0]


def _session(pk: int) -> TrainingSession:
    return get_object_or_404(TrainingSession.objects.select_related("course"), pk=pk)


@login_required
def course_sessions(request, course_id: int):
    """Who: anyone signed in. The course's coming sessions (every language
    version), with places left and the officer's own bookings."""
    course = get_object_or_404(CoursePage.objects.live(), pk=course_id)
    return render(
        request,
        "courses/sessions/course_sessions.html",
        selectors.course_sessions_context(course, request.user),
    )


@never_cache
@login_required
def session(request, pk: int):
    """Who: anyone signed in. The officer sees their booking; the trainer and
    the administrators also see who booked and who waits."""
    return render(
        request,
        "courses/sessions/session.html",
        selectors.session_context(_session(pk), request.user),
    )


@login_required
@require_POST
def session_book(request, pk: int):
    """Who: anyone signed in. Books a place, or the waiting list when full."""
    training_session = _session(pk)
    if not permissions.user_can_book(request.user):
        raise PermissionDenied
    try:
        booking = services.booking_create(session=training_session, user=request.user)
    except ValidationError as error:
        messages.error(request, _first_error(error))
        return redirect(training_session)
    if booking.status == BookingStatus.BOOKED:
        messages.success(
            request,
            _("Your place is booked. Add the session to your calendar below."),
        )
    else:
        messages.warning(
            request,
            _(
                "The session is full, so you are on the waiting list (number "
                "%(position)s). If a place frees up, it is yours and we tell you."
            )
            % {"position": services.waiting_position(booking)},
        )
    return redirect(training_session)


def _own_booking(request, pk: int) -> Booking:
    booking = get_object_or_404(
        Booking.objects.select_related("session", "session__course"), pk=pk
    )
    if not permissions.user_owns_booking(request.user, booking):
        raise PermissionDenied(_("This booking belongs to someone else."))
    return booking


@login_required
@require_POST
def booking_cancel(request, pk: int):
    """Who: the officer whose booking it is, until the session starts."""
    booking = _own_booking(request, pk)
    try:
        services.booking_cancel(booking=booking, user=request.user)
    except ValidationError as error:
        messages.error(request, _first_error(error))
    else:
        messages.info(
            request,
            _(
                "Your booking is cancelled. Download the calendar file again to "
                "remove the session from your calendar."
            ),
        )
    return redirect(booking.session)


@login_required
def booking_calendar_file(request, pk: int):
    """Who: the officer whose booking it is. The session as an .ics file."""
    booking = _own_booking(request, pk)
    course = booking.session.course
    page = localized(CoursePage, [course.translation_key]).get(course.translation_key)
    response = HttpResponse(
        booking_calendar(booking, title=(page or course).title),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="training-session-{booking.session_id}.ics"'
    )
    return response


# Trainers -----------------------------------------------------------------------


def _require_trainer(request) -> None:
    if not permissions.user_can_schedule_sessions(request.user):
        raise PermissionDenied(_("Only trainers can schedule sessions."))


@login_required
def session_list(request):
    """Who: trainers. Their own sessions, and where to schedule a new one."""
    _require_trainer(request)
    return render(
        request,
        "courses/sessions/session_list.html",
        selectors.trainer_sessions_context(request.user),
    )


@login_required
def session_create(request):
    """Who: trainers. Schedules a session of the course given as ?course=."""
    _require_trainer(request)
    try:
        course_id = int(request.GET.get("course", ""))
    except ValueError:
        raise Http404(_("Choose the course of the session.")) from None
    course = get_object_or_404(CoursePage.objects.live(), pk=course_id)
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.session_create(
                trainer=request.user,
                course=course,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                registration_deadline=data["registration_deadline"],
                capacity=data["capacity"],
                venue=data["venue"],
                link=data["link"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(SessionForm.FIELD_OF.get(field), errors)
        else:
            messages.success(request, _("The session is scheduled."))
            return redirect(created)
    return render(
        request,
        "courses/sessions/session_form.html",
        {"form": form, "course": course},
    )


@login_required
def session_attendance(request, pk: int):
    """Who: the trainer of the session, or whoever may change sessions; once
    the session has started."""
    training_session = _session(pk)
    if not permissions.user_can_mark_attendance(request.user, training_session):
        raise PermissionDenied(_("Only the session's trainer can mark attendance."))
    if training_session.starts_at > timezone.now():
        messages.info(
            request, _("Attendance can be marked once the session has started.")
        )
        return redirect(training_session)
    bookings = list(
        training_session.bookings.filter(status=BookingStatus.BOOKED)
        .select_related("user")
        .order_by("user__full_name")
    )
    form = AttendanceForm(
        request.POST or None,
        bookings=bookings,
        initial={"present": [b.user_id for b in bookings if b.attended]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_record(
                session=training_session,
                by=request.user,
                present=form.cleaned_data["present"],
            )
        except ValidationError as error:
            messages.error(request, _first_error(error))
        else:
            messages.success(request, _("Attendance is saved."))
        return redirect(training_session)
    return render(
        request,
        "courses/sessions/attendance.html",
        {"form": form, "session": training_session, "bookings": bookings},
    )
