"""Training sessions: scheduling in Asia/Almaty, booking and the waiting list,
cancelling and moving up, reminders, attendance and completion, the .ics file,
who may open each page, and the queries each page runs.

Bad inputs tried, each answered with a translated message and nothing saved
or lost:
- the trainer's form: a session ending before (or when) it starts, a
  registration deadline after the start, a start in the past, capacity 0 and
  above the limit, neither venue nor link, a link that is not a URL, no or an
  unknown ?course=; an officer scheduling a session;
- booking: a full session (put on the waiting list, told their number), a
  session that has taken place, booking after the registration deadline, a
  cancelled session, booking twice (a place already, or already waiting);
- cancelling: someone else's booking, after the session started, twice;
- attendance: before the session starts, by an officer, marking someone
  without a place;
- reminders: the task run again and again in the same hour and the next one,
  a waiting officer, a cancelled session, a session two days away;
- every sessions URL requested anonymously, by the officer, another officer,
  the trainer and an administrator; POST-only actions requested with GET.
"""

import datetime
import threading

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from icalendar import Calendar

from courses import services as course_services
from courses.models import (
    Booking,
    BookingStatus,
    Certificate,
    Enrolment,
    EnrolmentStatus,
    TrainingSession,
)
from courses.models.training import ALMATY
from courses.training.sessions import demo, selectors, services, tasks
from lms.models import AuditEntry, Notification, User
from lms.roles import Role
from tests.courses.factories import catalogue, course, lessons_of, translate
from tests.lms.factories import UserFactory

pytestmark = pytest.mark.django_db


def t(message: str) -> str:
    with translation.override("ru"):
        return gettext(message)


def local(days: int, hour: int = 10, minute: int = 0) -> datetime.datetime:
    day = timezone.localdate(timezone=ALMATY) + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=ALMATY)


def make_session(page, trainer, *, days: int = 3, capacity: int = 2, **fields):
    """A session built directly, so that past ones can be made too."""
    starts = local(days)
    values = {
        "starts_at": starts,
        "ends_at": starts + datetime.timedelta(hours=3),
        "registration_deadline": starts - datetime.timedelta(days=1),
        "capacity": capacity,
        "venue": "Астана, Мәңгілік Ел 8, каб. 204",
        **fields,
    }
    return TrainingSession.objects.create(course=page, trainer=trainer, **values)


def officers(n: int, **fields) -> list[User]:
    return [UserFactory(roles=[Role.OFFICER], **fields) for _ in range(n)]


@pytest.fixture
def classroom(db):
    index = catalogue()
    return course(index, "cbt-programmes", lessons=1, format="classroom")


@pytest.fixture
def trainer(make_user):
    return make_user(Role.TRAINER)


@pytest.fixture
def session(classroom, trainer):
    return make_session(classroom, trainer)


# Scheduling ---------------------------------------------------------------------


def form_data(**overrides) -> dict:
    day = local(5).date()
    return {
        "date": day.isoformat(),
        "start_time": "10:00",
        "end_time": "13:30",
        "venue": "Астана, Мәңгілік Ел 8, каб. 204",
        "link": "",
        "capacity": "12",
        "deadline_date": (day - datetime.timedelta(days=1)).isoformat(),
        "deadline_time": "18:00",
        **overrides,
    }


def test_a_trainer_schedules_a_session_in_almaty_time(client, classroom, trainer):
    client.force_login(trainer)
    url = reverse("courses:session_create") + f"?course={classroom.pk}"
    response = client.post(url, form_data())
    created = TrainingSession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == created.get_absolute_url()
    day = local(5).date()
    # Asia/Almaty is UTC+5: 10:00 there is 05:00 UTC.
    assert created.starts_at == datetime.datetime.combine(
        day, datetime.time(5), tzinfo=datetime.UTC
    )
    assert timezone.localtime(created.ends_at, ALMATY).time() == datetime.time(13, 30)
    assert created.trainer == trainer
    assert created.course == classroom
    assert AuditEntry.objects.filter(action="session.create").count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"end_time": "09:00"},
            "end_time",
            "The session must end after it starts.",
        ),
        (
            {"end_time": "10:00"},
            "end_time",
            "The session must end after it starts.",
        ),
        (
            {"deadline_date": local(6).date().isoformat()},
            "deadline_date",
            "Registration must close before the session starts.",
        ),
        (
            {"date": local(-1).date().isoformat()},
            "date",
            "A session cannot start in the past.",
        ),
        ({"capacity": "0"}, "capacity", "A session needs at least one place."),
        ({"capacity": "-3"}, "capacity", "A session needs at least one place."),
        (
            {"capacity": "501"},
            "capacity",
            ("A session has at most %(limit_value)s places.", {"limit_value": 500}),
        ),
        ({"venue": "", "link": ""}, "venue", "Give a venue, an online link, or both."),
        ({"link": "not a link"}, "link", "Enter a valid URL."),
    ],
    ids=[
        "ends-before-start",
        "ends-when-it-starts",
        "deadline-after-start",
        "starts-in-the-past",
        "capacity-0",
        "capacity-negative",
        "capacity-too-large",
        "nowhere",
        "bad-link",
    ],
)
def test_the_trainer_form_refuses_bad_sessions_with_a_message(
    client, classroom, trainer, overrides, field, message
):
    client.force_login(trainer)
    url = reverse("courses:session_create") + f"?course={classroom.pk}"
    with translation.override("ru"):
        response = client.post(url, form_data(**overrides))
    assert response.status_code == 200
    text, values = message if isinstance(message, tuple) else (message, {})
    expected = t(text) % values if values else t(text)
    assert expected in response.context["form"].errors[field]
    assert expected in response.content.decode()
    assert not TrainingSession.objects.exists()


def test_the_service_refuses_the_same_bad_sessions(classroom, trainer):
    starts = local(3)
    with pytest.raises(ValidationError) as error:
        services.session_create(
            trainer=trainer,
            course=classroom,
            starts_at=starts,
            ends_at=starts - datetime.timedelta(hours=1),
            registration_deadline=starts + datetime.timedelta(hours=1),
            capacity=0,
        )
    assert set(error.value.message_dict) == {
        "ends_at",
        "registration_deadline",
        "capacity",
        "venue",
    }
    with pytest.raises(ValidationError) as error:
        services.session_create(
            trainer=trainer,
            course=classroom,
            starts_at=local(-2),
            ends_at=local(-2, 12),
            registration_deadline=local(-3),
            capacity=3,
            link="https://meet.example.kz/cbt",
        )
    assert set(error.value.message_dict) == {"starts_at"}
    assert not TrainingSession.objects.exists()


def test_only_trainers_schedule_sessions(client, classroom, officer):
    with pytest.raises(PermissionDenied):
        services.session_create(
            trainer=officer,
            course=classroom,
            starts_at=local(3),
            ends_at=local(3, 12),
            registration_deadline=local(2),
            capacity=3,
            venue="Астана",
        )
    client.force_login(officer)
    url = reverse("courses:session_create") + f"?course={classroom.pk}"
    assert client.post(url, form_data()).status_code == 403
    assert not TrainingSession.objects.exists()


@pytest.mark.parametrize("query", ["", "?course=", "?course=abc", "?course=999999"])
def test_the_form_needs_a_real_course(client, trainer, classroom, query):
    client.force_login(trainer)
    assert client.get(reverse("courses:session_create") + query).status_code == 404


# Booking and the waiting list ---------------------------------------------------


def test_officers_book_until_full_then_join_the_waiting_list(session):
    first, second, third, fourth = officers(4)
    assert services.booking_create(session=session, user=first).status == "booked"
    assert services.booking_create(session=session, user=second).status == "booked"
    waiting = services.booking_create(session=session, user=third)
    later = services.booking_create(session=session, user=fourth)
    assert waiting.status == BookingStatus.WAITING
    assert services.waiting_position(waiting) == 1
    assert services.waiting_position(later) == 2


def test_booking_a_full_session_through_the_page_says_so(client, session):
    for someone in officers(2):
        services.booking_create(session=session, user=someone)
    me = officers(1)[0]
    client.force_login(me)
    response = client.post(
        reverse("courses:session_book", args=[session.pk]), follow=True
    )
    booking = Booking.objects.get(user=me)
    assert booking.status == BookingStatus.WAITING
    page = response.content.decode()
    assert (
        t(
            "The session is full, so you are on the waiting list (number "
            "%(position)s). If a place frees up, it is yours and we tell you."
        )
        % {"position": 1}
        in page
    )


def test_the_course_page_offers_the_waiting_list_when_full(client, session):
    for someone in officers(2):
        services.booking_create(session=session, user=someone)
    client.force_login(officers(1)[0])
    page = client.get(
        reverse("courses:session_course_list", args=[session.course_id])
    ).content.decode()
    assert t("Join the waiting list") in page
    assert t("Book a place") not in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"days": -1, "capacity": 5},
            "This session has already taken place.",
        ),
        ({"cancelled": True}, "This session is cancelled."),
    ],
    ids=["past", "cancelled"],
)
def test_a_past_or_cancelled_session_cannot_be_booked(
    classroom, trainer, officer, fields, message
):
    closed = make_session(classroom, trainer, **fields)
    with translation.override("ru"), pytest.raises(ValidationError) as error:
        services.booking_create(session=closed, user=officer)
    assert error.value.messages == [t(message)]
    assert not Booking.objects.exists()


def test_booking_after_the_registration_deadline_is_refused(client, session, officer):
    prefix = t("Registration for this session closed on %(date)s.").split("%")[0]
    after = session.registration_deadline + datetime.timedelta(minutes=1)
    with time_machine.travel(after, tick=False):
        with translation.override("ru"), pytest.raises(ValidationError) as error:
            services.booking_create(session=session, user=officer)
        client.force_login(officer)
        with translation.override("ru"):
            response = client.post(
                reverse("courses:session_book", args=[session.pk]), follow=True
            )
    assert error.value.messages[0].startswith(prefix)
    shown = [str(message) for message in response.context["messages"]]
    assert shown[0].startswith(prefix)
    assert not Booking.objects.exists()


def test_booking_twice_is_refused_with_what_the_officer_already_has(session):
    first, second, third = officers(3)
    services.booking_create(session=session, user=first)
    services.booking_create(session=session, user=second)
    services.booking_create(session=session, user=third)
    with translation.override("ru"):
        with pytest.raises(ValidationError) as booked:
            services.booking_create(session=session, user=first)
        with pytest.raises(ValidationError) as waiting:
            services.booking_create(session=session, user=third)
    assert booked.value.messages == [t("You already have a place at this session.")]
    assert waiting.value.messages == [
        t("You are already on the waiting list of this session.")
    ]
    assert session.bookings.count() == 3


def test_booking_locks_the_session_row(session, officer, monkeypatch):
    locked = []
    original = QuerySet.select_for_update

    def spy(self, *args, **kwargs):
        locked.append(self.model)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "select_for_update", spy)
    services.booking_create(session=session, user=officer)
    assert locked[0] is TrainingSession


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_officers_racing_for_the_last_place_get_one_place_and_one_wait(
    classroom, trainer
):
    last_place = make_session(classroom, trainer, capacity=1)
    racers = officers(2)
    barrier = threading.Barrier(2)
    results = []

    def book(user):
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            results.append(
                services.booking_create(session=last_place, user=user).status
            )
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=book, args=(user,)) for user in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [BookingStatus.BOOKED, BookingStatus.WAITING]


# Cancelling and moving up -------------------------------------------------------


def test_a_cancelled_place_goes_to_the_first_who_waited_who_is_told(session):
    holder, other = officers(2)
    first_waiting = UserFactory(roles=[Role.OFFICER], preferred_language="kk")
    second_waiting = officers(1)[0]
    booking = services.booking_create(session=session, user=holder)
    services.booking_create(session=session, user=other)
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=1)):
        services.booking_create(session=session, user=first_waiting)
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=2)):
        services.booking_create(session=session, user=second_waiting)
    Notification.objects.all().delete()

    services.booking_cancel(booking=booking, user=holder)

    statuses = dict(session.bookings.values_list("user_id", "status"))
    assert statuses[holder.pk] == BookingStatus.CANCELLED
    assert statuses[first_waiting.pk] == BookingStatus.BOOKED
    assert statuses[second_waiting.pk] == BookingStatus.WAITING
    moved = session.bookings.get(user=first_waiting)
    assert moved.promoted_at is not None
    notice = Notification.objects.get()
    assert notice.recipient == first_waiting
    with translation.override("kk"):
        assert notice.subject == gettext("A place at a training session is yours")
        assert notice.url == reverse("courses:session", args=[session.pk])
    assert notice.url.startswith("/kk/")
    # A link only: no time, place or name of anyone in the text.
    assert session.venue not in notice.body
    assert holder.get_full_name() not in notice.body


def test_leaving_the_waiting_list_moves_nobody_up(session):
    holders = officers(2)
    for holder in holders:
        services.booking_create(session=session, user=holder)
    waiting_one, waiting_two = officers(2)
    first = services.booking_create(session=session, user=waiting_one)
    second = services.booking_create(session=session, user=waiting_two)
    services.booking_cancel(booking=first, user=waiting_one)
    second.refresh_from_db()
    assert second.status == BookingStatus.WAITING
    assert services.waiting_position(second) == 1
    assert not Notification.objects.filter(recipient=waiting_two).exists()


def test_cancelling_after_the_start_someone_elses_or_twice_is_refused(session):
    holder, stranger = officers(2)
    booking = services.booking_create(session=session, user=holder)
    with pytest.raises(PermissionDenied):
        services.booking_cancel(booking=booking, user=stranger)
    with time_machine.travel(session.starts_at + datetime.timedelta(minutes=5)):
        with translation.override("ru"), pytest.raises(ValidationError) as error:
            services.booking_cancel(booking=booking, user=holder)
    assert error.value.messages == [
        t("The session has started; the booking can no longer be cancelled.")
    ]
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED
    services.booking_cancel(booking=booking, user=holder)
    with translation.override("ru"), pytest.raises(ValidationError) as error:
        services.booking_cancel(booking=booking, user=holder)
    assert error.value.messages == [t("This booking is already cancelled.")]


def test_an_officer_who_cancelled_books_again_at_the_end_of_the_queue(session):
    first, second, waiting = officers(3)
    booking = services.booking_create(session=session, user=first)
    services.booking_create(session=session, user=second)
    services.booking_create(session=session, user=waiting)
    services.booking_cancel(booking=booking, user=first)
    again = services.booking_create(session=session, user=first)
    assert again.pk != booking.pk
    assert again.status == BookingStatus.WAITING
    assert session.bookings.get(user=waiting).status == BookingStatus.BOOKED


# Reminders ----------------------------------------------------------------------


def test_reminders_go_the_day_before_once_per_booking_however_often_it_runs(
    classroom, trainer
):
    session = make_session(classroom, trainer, days=3, capacity=2)
    booked = officers(2)
    waiting = officers(1)[0]
    for user in [*booked, waiting]:
        services.booking_create(session=session, user=user)
    elsewhere = make_session(classroom, trainer, days=3, cancelled=True)
    Booking.objects.create(session=elsewhere, user=waiting, status="booked")
    Notification.objects.all().delete()

    with time_machine.travel(session.starts_at - datetime.timedelta(days=2)):
        assert tasks.session_reminders_send() == 0
    day_before = session.starts_at - datetime.timedelta(hours=20)
    with time_machine.travel(day_before, tick=False):
        assert tasks.session_reminders_send.delay().get() == 2
        assert tasks.session_reminders_send() == 0
    with time_machine.travel(day_before + datetime.timedelta(minutes=30)):
        assert tasks.session_reminders_send() == 0
    with time_machine.travel(day_before + datetime.timedelta(hours=19)):
        assert tasks.session_reminders_send() == 0

    assert sorted(Notification.objects.values_list("recipient_id", flat=True)) == (
        sorted(user.pk for user in booked)
    )
    assert not session.bookings.filter(
        status=BookingStatus.BOOKED, reminded_at__isnull=True
    ).exists()
    notice = Notification.objects.first()
    with translation.override("ru"):
        assert notice.subject == gettext("Your training session is tomorrow")
    assert "10:00" in notice.body


def test_a_place_won_within_the_last_day_is_reminded_once_too(session):
    holder, other, waiting = officers(3)
    services.booking_create(session=session, user=holder)
    services.booking_create(session=session, user=other)
    moved = services.booking_create(session=session, user=waiting)
    with time_machine.travel(session.starts_at - datetime.timedelta(hours=10)):
        assert services.session_reminders_send() == 2
        services.booking_cancel(booking=session.bookings.get(user=holder), user=holder)
        assert services.session_reminders_send() == 1
        assert services.session_reminders_send() == 0
    moved.refresh_from_db()
    assert moved.reminded_at is not None


# Attendance and completion ------------------------------------------------------


def _booked_and_started(session, users):
    """Book, then let the clock pass the session's start."""
    for user in users:
        services.booking_create(session=session, user=user)
    return time_machine.travel(session.starts_at + datetime.timedelta(hours=1))


def test_attendance_is_marked_after_the_start_by_the_trainer_only(session, trainer):
    came, missed = officers(2)
    with translation.override("ru"), pytest.raises(ValidationError) as early:
        services.attendance_record(session=session, by=trainer, present=[came.pk])
    assert early.value.messages == [
        t("Attendance can be marked once the session has started.")
    ]
    with _booked_and_started(session, [came, missed]):
        with pytest.raises(PermissionDenied):
            services.attendance_record(session=session, by=came, present=[came.pk])
        stranger = officers(1)[0]
        with pytest.raises(ValidationError):
            services.attendance_record(
                session=session, by=trainer, present=[stranger.pk]
            )
        services.attendance_record(session=session, by=trainer, present=[came.pk])
    marks = dict(session.bookings.values_list("user_id", "attended"))
    assert marks == {came.pk: True, missed.pk: False}
    entry = AuditEntry.objects.get(action="session.attendance")
    assert entry.actor == trainer
    assert entry.data == {"present": [came.pk], "absent": [missed.pk]}


def test_the_attendance_page_saves_who_came(client, session, trainer):
    came, missed = officers(2)
    with _booked_and_started(session, [came, missed]):
        client.force_login(trainer)
        url = reverse("courses:session_attendance", args=[session.pk])
        page = client.get(url).content.decode()
        assert came.get_full_name() in page
        response = client.post(url, {"present": [str(came.pk)]})
    assert response.status_code == 302
    assert session.bookings.get(user=came).attended is True
    assert session.bookings.get(user=missed).attended is False


def test_the_attendance_page_waits_for_the_start(client, session, trainer):
    client.force_login(trainer)
    response = client.get(
        reverse("courses:session_attendance", args=[session.pk]), follow=True
    )
    assert t("Attendance can be marked once the session has started.") in (
        response.content.decode()
    )


def _finish_lessons(user, page) -> Enrolment:
    enrolment = course_services.enrolment_create(user=user, course=page)
    for lesson in lessons_of(page):
        course_services.lesson_complete(enrolment=enrolment, lesson=lesson)
    enrolment.refresh_from_db()
    return enrolment


def test_a_classroom_course_is_completed_once_the_officer_attended(
    session, trainer, officer, django_capture_on_commit_callbacks
):
    enrolment = _finish_lessons(officer, session.course)
    assert enrolment.status == EnrolmentStatus.ACTIVE
    assert not services.session_attended(enrolment=enrolment)
    with _booked_and_started(session, [officer]):
        services.attendance_record(session=session, by=trainer, present=[officer.pk])
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.COMPLETED
    assert Certificate.objects.filter(enrolment=enrolment).exists()


def test_an_absent_officer_does_not_complete(session, trainer, officer):
    enrolment = _finish_lessons(officer, session.course)
    with _booked_and_started(session, [officer]):
        services.attendance_record(session=session, by=trainer, present=[])
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACTIVE


def test_a_session_of_another_language_version_counts(classroom, trainer, officer):
    index = classroom.get_parent()
    translate(index.get_parent(), "kk")
    translate(index, "kk", title="Курстар")
    kazakh = translate(classroom, "kk", title="КБТ бағдарламалары")
    kazakh_session = make_session(kazakh, trainer)
    with _booked_and_started(kazakh_session, [officer]):
        services.attendance_record(
            session=kazakh_session, by=trainer, present=[officer.pk]
        )
    enrolment = _finish_lessons(officer, classroom)
    assert services.session_attended(enrolment=enrolment)
    assert enrolment.status == EnrolmentStatus.COMPLETED


def test_a_self_paced_online_course_needs_no_session(officer):
    online = course(catalogue(), "psychopathology", lessons=1, format="online")
    enrolment = _finish_lessons(officer, online)
    assert services.session_attended(enrolment=enrolment)
    assert enrolment.status == EnrolmentStatus.COMPLETED


# Calendar file ------------------------------------------------------------------


def _event(client, booking):
    response = client.get(reverse("courses:booking_calendar", args=[booking.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return calendar, events[0]


def test_the_ics_file_has_almaty_times_a_stable_uid_and_follows_cancellation(
    client, session, officer
):
    booking = services.booking_create(session=session, user=officer)
    client.force_login(officer)
    calendar, event = _event(client, booking)
    start = event.decoded("dtstart")
    assert start == session.starts_at
    assert str(start.tzinfo) == "Asia/Almaty"
    assert (start.hour, start.minute) == (10, 0)
    assert event["dtstart"].params["TZID"] == "Asia/Almaty"
    assert event.decoded("dtend").hour == 13
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Almaty"]
    assert str(event["status"]) == "CONFIRMED"
    assert session.venue in str(event["location"])
    uid = str(event["uid"])

    services.booking_cancel(booking=booking, user=officer)
    _calendar, cancelled = _event(client, booking)
    assert str(cancelled["uid"]) == uid
    assert str(cancelled["status"]) == "CANCELLED"
    assert cancelled.decoded("sequence") > event.decoded("sequence")


def test_a_waiting_booking_is_tentative_until_it_moves_up(client, session):
    holder, other, me = officers(3)
    held = services.booking_create(session=session, user=holder)
    services.booking_create(session=session, user=other)
    waiting = services.booking_create(session=session, user=me)
    client.force_login(me)
    _calendar, event = _event(client, waiting)
    assert str(event["status"]) == "TENTATIVE"
    services.booking_cancel(booking=held, user=holder)
    _calendar, moved = _event(client, waiting)
    assert str(moved["status"]) == "CONFIRMED"
    assert str(moved["uid"]) == str(event["uid"])


# Who may open what --------------------------------------------------------------

ANONYMOUS, OFFICER, OTHER, TRAINER, ADMIN = (
    "anonymous",
    "officer",
    "other officer",
    "trainer",
    "administrator",
)
WHO = [ANONYMOUS, OFFICER, OTHER, TRAINER, ADMIN]
SIGNED_IN = {OFFICER, OTHER, TRAINER, ADMIN}


@pytest.fixture
def matrix(classroom, trainer, officer):
    upcoming = make_session(classroom, trainer, capacity=3)
    booking = services.booking_create(session=upcoming, user=officer)
    started = make_session(classroom, trainer, days=-1, capacity=3)
    Booking.objects.create(session=started, user=officer, status="booked")
    people = {
        OFFICER: officer,
        OTHER: UserFactory(roles=[Role.OFFICER]),
        TRAINER: trainer,
        ADMIN: UserFactory(roles=[Role.ADMINISTRATOR]),
    }
    return upcoming, started, booking, people


def get_urls(classroom, upcoming, started, booking) -> dict[str, set]:
    return {
        reverse("courses:session_course_list", args=[classroom.pk]): SIGNED_IN,
        reverse("courses:session", args=[upcoming.pk]): SIGNED_IN,
        reverse("courses:session_list"): {TRAINER},
        reverse("courses:session_create") + f"?course={classroom.pk}": {TRAINER},
        reverse("courses:session_attendance", args=[started.pk]): {TRAINER},
        reverse("courses:booking_calendar", args=[booking.pk]): {OFFICER},
        reverse("training_sessions:index"): {TRAINER, ADMIN},
        reverse("training_sessions:inspect", args=[upcoming.pk]): {TRAINER, ADMIN},
    }


@pytest.mark.parametrize("who", WHO)
def test_every_sessions_page_with_every_role(client, classroom, matrix, who):
    upcoming, started, booking, people = matrix
    if who != ANONYMOUS:
        client.force_login(people[who])
    wrong = []
    for url, allowed in get_urls(classroom, upcoming, started, booking).items():
        response = client.get(url)
        status = response.status_code
        if who in allowed and status != 200:
            wrong.append(f"{url}: {status}, expected 200")
        if who not in allowed:
            refused = status in (403, 404) or (
                status == 302 and "login" in response["Location"]
            )
            if not refused:
                wrong.append(f"{url}: {status}, expected a refusal")
    assert wrong == []


@pytest.mark.parametrize("who", WHO)
def test_every_sessions_action_with_every_role(client, matrix, who):
    upcoming, _started, booking, people = matrix
    if who != ANONYMOUS:
        client.force_login(people[who])
    book = reverse("courses:session_book", args=[upcoming.pk])
    cancel = reverse("courses:booking_cancel", args=[booking.pk])
    for url in (book, cancel):
        assert client.get(url).status_code in (302, 405)
    booked = client.post(book)
    cancelled = client.post(cancel)
    if who == ANONYMOUS:
        assert "/accounts/login/" in booked["Location"]
        assert "/accounts/login/" in cancelled["Location"]
        assert (
            not Booking.objects.filter(session=upcoming).exclude(pk=booking.pk).exists()
        )
    else:
        assert booked["Location"] == upcoming.get_absolute_url()
        expected_cancel = 302 if who == OFFICER else 403
        assert cancelled.status_code == expected_cancel
    booking.refresh_from_db()
    assert booking.status == (
        BookingStatus.CANCELLED if who == OFFICER else BookingStatus.BOOKED
    )


def test_only_the_trainer_and_administrators_see_who_booked(client, matrix):
    upcoming, _started, _booking, people = matrix
    url = reverse("courses:session", args=[upcoming.pk])
    name = people[OFFICER].get_full_name()
    for who in (TRAINER, ADMIN):
        client.force_login(people[who])
        assert name in client.get(url).content.decode()
    client.force_login(people[OTHER])
    assert name not in client.get(url).content.decode()


# Queries ------------------------------------------------------------------------


def count_queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def sessions_with_bookings(page, trainer, n: int, me) -> list[TrainingSession]:
    people = officers(3)
    made = []
    for number in range(n):
        session = make_session(page, trainer, days=2 + number, capacity=2)
        for user in people:
            Booking.objects.create(
                session=session,
                user=user,
                status="booked" if user != people[2] else "waiting",
            )
        if number % 2:
            Booking.objects.create(session=session, user=me, status="waiting")
        made.append(session)
    return made


def test_the_course_session_list_runs_the_same_queries_at_2_and_20(
    client, classroom, trainer, officer
):
    client.force_login(officer)
    url = reverse("courses:session_course_list", args=[classroom.pk])
    sessions_with_bookings(classroom, trainer, 2, officer)
    few = count_queries(client, url)
    sessions_with_bookings(classroom, trainer, 18, officer)
    assert TrainingSession.objects.count() == 20
    assert count_queries(client, url) == few


def test_the_session_page_runs_the_same_queries_at_2_and_20_bookings(
    client, classroom, trainer
):
    session = make_session(classroom, trainer, capacity=10)
    url = reverse("courses:session", args=[session.pk])

    def book(n):
        for user in officers(n):
            Booking.objects.create(
                session=session,
                user=user,
                status="booked" if session.bookings.count() < 10 else "waiting",
            )

    book(2)
    client.force_login(trainer)
    few = count_queries(client, url)
    book(18)
    assert count_queries(client, url) == few
    me = session.bookings.filter(status="waiting").first().user
    client.force_login(me)
    assert count_queries(client, url) <= few


def test_the_trainer_list_and_my_learning_do_not_grow(
    client, classroom, trainer, officer, django_assert_max_num_queries
):
    client.force_login(trainer)
    url = reverse("courses:session_list")
    sessions_with_bookings(classroom, trainer, 2, officer)
    few = count_queries(client, url)
    with CaptureQueriesContext(connection) as first:
        assert len(selectors.my_learning(officer)["bookings"]) == 1
    sessions_with_bookings(classroom, trainer, 18, officer)
    assert count_queries(client, url) == few
    with CaptureQueriesContext(connection) as second:
        assert len(selectors.my_learning(officer)["bookings"]) == 10
    assert len(second) == len(first)


def test_my_learning_shows_booked_and_waiting_sessions(client, session, officer):
    services.booking_create(session=session, user=officer)
    waiting_for = make_session(session.course, session.trainer, days=4, capacity=1)
    services.booking_create(session=waiting_for, user=officers(1)[0])
    services.booking_create(session=waiting_for, user=officer)
    client.force_login(officer)
    with translation.override("ru"):
        page = client.get(reverse("courses:my_learning")).content.decode()
        booked, waiting = gettext("Booked"), gettext("On the waiting list")
    assert t("My training sessions") in page
    assert booked in page
    assert waiting in page
    assert reverse("courses:booking_calendar", args=[session.bookings.get().pk]) in (
        page
    )


# Demo ---------------------------------------------------------------------------


def test_the_demo_sessions_are_made_once(classroom, make_user):
    make_user(Role.TRAINER, username="trainer.astana")
    make_user(Role.OFFICER, username="officer.astana")
    for office in ("astana-yesil", "astana-saryarka"):
        for n in (1, 2, 3):
            make_user(Role.OFFICER, username=f"officer.{office}.{n}")

    class Out:
        def __init__(self):
            self.lines = []

        def write(self, line):
            self.lines.append(line)

    demo.seed(Out())
    demo.seed(Out())
    full, later = TrainingSession.objects.order_by("starts_at")
    assert full.bookings.filter(status="booked").count() == full.capacity
    assert full.bookings.filter(status="waiting").count() == 2
    assert not full.bookings.filter(user__username="officer.astana").exists()
    assert later.bookings.filter(
        user__username="officer.astana", status="booked"
    ).exists()
    assert timezone.localtime(full.starts_at, ALMATY).hour == 10
