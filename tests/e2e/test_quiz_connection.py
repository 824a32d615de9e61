"""A quiz answer given while the connection is down is saved when it comes
back, and is there after the page is reopened.

Bad input tried: the network cut off in the middle of an attempt; the same
page reloaded after the connection returned.
"""

import re

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from courses import services
from courses.models import AttemptQuestion
from lms.roles import Role
from tests.courses.factories import catalogue, course, lessons_of
from tests.e2e.ru import t
from tests.lms.factories import UserFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_an_answer_given_offline_is_saved_when_the_connection_returns(
    page: Page, base_url, client
):
    quiz = course(catalogue(), lessons=1, questions=2, quiz_question_count=2)
    officer = UserFactory(roles=[Role.OFFICER], preferred_language="ru")
    enrolment = services.enrolment_create(user=officer, course=quiz)
    services.lesson_complete(enrolment=enrolment, lesson=lessons_of(quiz)[0])
    attempt = services.attempt_start(enrolment=enrolment, course=quiz)
    client.force_login(officer)
    session = client.cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": session, "url": base_url}])
    with translation.override("ru"):
        page.goto(f"{base_url}{attempt.get_absolute_url()}")

    first = page.locator("fieldset.quiz-question").first
    page.context.set_offline(True)
    first.get_by_label(re.compile("^Right ")).check()
    expect(first.get_by_role("status")).to_have_text(
        t("Not saved yet: no connection. It will be saved when the connection is back.")
    )
    assert AttemptQuestion.objects.get(attempt=attempt, position=1).response is None

    page.context.set_offline(False)
    expect(first.get_by_role("status")).to_have_text(t("Saved"), timeout=10_000)
    saved = AttemptQuestion.objects.get(attempt=attempt, position=1)
    assert saved.key[saved.response["option"]]["correct"] is True

    page.reload()
    expect(
        page.locator("fieldset.quiz-question").first.get_by_label(re.compile("^Right "))
    ).to_be_checked()
