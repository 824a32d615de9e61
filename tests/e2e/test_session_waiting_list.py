"""An officer joins the waiting list of a full classroom session, someone
cancels, and the officer finds they moved up: the session page and My
learning say "Booked", and a notification tells them.

Bad input tried: booking a full session (the officer is put on the waiting
list and told their number, not refused).
"""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from courses.models import Booking, BookingStatus, TrainingSession
from courses.models.training import ALMATY
from courses.training.sessions import services
from lms.roles import Role
from tests.courses.factories import catalogue, course
from tests.e2e.ru import t
from tests.e2e.ru import url as ru
from tests.lms.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def full_session() -> tuple[TrainingSession, Booking]:
    cbt = course(
        catalogue(),
        "cbt-programmes",
        title="Программы КПТ",
        lessons=1,
        format="classroom",
    )
    day = timezone.localdate(timezone=ALMATY) + datetime.timedelta(days=5)
    starts = datetime.datetime.combine(day, datetime.time(10), tzinfo=ALMATY)
    session = TrainingSession.objects.create(
        course=cbt,
        trainer=UserFactory(roles=[Role.TRAINER]),
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=6),
        registration_deadline=starts - datetime.timedelta(days=1),
        capacity=1,
        venue="Астана, Мәңгілік Ел даңғылы, 8, каб. 204",
    )
    colleague = UserFactory(roles=[Role.OFFICER], preferred_language="ru")
    return session, services.booking_create(session=session, user=colleague)


def test_an_officer_on_the_waiting_list_moves_up_when_a_colleague_cancels(
    page: Page, base_url
):
    session, colleague_booking = full_session()
    officer = UserFactory(roles=[Role.OFFICER], preferred_language="ru")

    page.goto(f"{base_url}{ru('login')}")
    page.get_by_label(t("Username")).fill(officer.username)
    page.get_by_label(t("Password")).fill(DEFAULT_PASSWORD)
    page.locator("main").get_by_role("button", name=t("Sign in")).click()

    # The course's sessions: full, so the button offers the waiting list.
    page.goto(f"{base_url}{ru('courses:session_course_list', session.course_id)}")
    expect(page.get_by_role("button", name=t("Book a place"))).to_have_count(0)
    page.get_by_role("button", name=t("Join the waiting list")).click()
    expect(page.locator(".alert").first).to_contain_text(
        t(
            "The session is full, so you are on the waiting list (number "
            "%(position)s). If a place frees up, it is yours and we tell you."
        )
        % {"position": 1}
    )
    mine = page.get_by_role("region", name=t("My booking"))
    expect(mine).to_contain_text(t("On the waiting list"))
    assert Booking.objects.get(user=officer).status == BookingStatus.WAITING

    # The colleague cancels; the place goes to the officer.
    services.booking_cancel(booking=colleague_booking, user=colleague_booking.user)

    page.reload()
    expect(mine).to_contain_text(t("Booked"))
    expect(mine).to_contain_text(t("You have a place at this session."))
    page.get_by_role("link", name=t("My learning")).click()
    section = page.get_by_role("region", name=t("My training sessions"))
    expect(section).to_contain_text("Программы КПТ")
    expect(section).to_contain_text(t("Booked"))

    page.goto(f"{base_url}{ru('notifications')}")
    notice = page.get_by_text(t("A place at a training session is yours"))
    expect(notice.first).to_be_visible()
