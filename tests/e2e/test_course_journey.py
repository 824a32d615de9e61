"""A new officer's first week: catalogue, enrol, lessons, a failed quiz, review,
retake, pass, the certificate PDF and its public verification page.

Bad input tried: none typed on purpose; the failed first attempt is the
officer's wrong answers, and the resumed attempt shows that answers saved
before leaving the page are still there.
"""

import io
import re

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from courses.models import Certificate
from lms.roles import Role
from tests.courses.factories import catalogue, course
from tests.e2e.ru import t
from tests.lms.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

KAZAKH_NAME = "Әйгерім Нұрланқызы Сейітқали"


def answer_every_question(page: Page, prefix: str) -> None:
    for fieldset in page.locator("fieldset.quiz-question").all():
        fieldset.get_by_label(re.compile(f"^{prefix} ")).check()
        expect(fieldset.get_by_role("status")).to_have_text(t("Saved"))


def test_new_officer_goes_from_catalogue_to_verified_certificate(page: Page, base_url):
    index = catalogue()
    course(
        index,
        "motivational-interviewing",
        title="Мотивационное интервьюирование",
        lessons=2,
        questions=3,
        quiz_question_count=2,
        pass_mark=100,
        attempt_limit=3,
        certificate_validity_months=24,
    )
    course(index, "psychopathology", title="Психопатология", lessons=1)
    officer = UserFactory(
        roles=[Role.OFFICER], preferred_language="ru", full_name=KAZAKH_NAME
    )

    page.goto(f"{base_url}/ru/accounts/login/")
    page.get_by_label(t("Username")).fill(officer.username)
    page.get_by_label(t("Password")).fill(DEFAULT_PASSWORD)
    page.locator("main").get_by_role("button", name=t("Sign in")).click()

    # The catalogue: search, then open the course.
    page.get_by_role("link", name=t("Courses"), exact=True).first.click()
    page.get_by_role("searchbox").fill("Мотивационное")
    page.locator("main").get_by_role("button", name=t("Show courses")).click()
    expect(page.get_by_role("link", name="Психопатология")).to_have_count(0)
    page.get_by_role("link", name="Мотивационное интервьюирование").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Мотивационное интервьюирование"
    )

    # Enrol and study the lessons in order; the reflection is saved privately.
    page.locator("main").get_by_role("button", name=t("Enrol"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lesson 1")
    reflection = page.locator("form.js-reflection").first
    reflection.get_by_role("textbox").fill("Я слишком часто давал советы.")
    reflection.get_by_role("button").click()
    expect(reflection.get_by_role("status")).to_have_text(t("Your answer is saved."))
    page.get_by_role("button", name=t("Mark as done and go on")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lesson 2")
    page.get_by_role("button", name=t("Mark as done"), exact=True).click()

    # First attempt: wrong answers, saved as given; leave and come back.
    page.get_by_role("button", name=t("Start the quiz")).click()
    answer_every_question(page, "Wrong")
    page.reload()
    for fieldset in page.locator("fieldset.quiz-question").all():
        expect(fieldset.get_by_label(re.compile("^Wrong "))).to_be_checked()
    page.get_by_role("button", name=t("Submit my answers")).click()
    expect(page.get_by_role("status").first).to_contain_text("0%")
    expect(page.get_by_text(re.compile(r"^No, wrong \d")).first).to_be_visible()
    expect(page.get_by_text(t("Right answer you did not choose:"))).to_have_count(0)

    # Retake and pass.
    page.get_by_role("link", name=t("Back to the course")).click()
    page.get_by_role("button", name=t("Retake the quiz")).click()
    answer_every_question(page, "Right")
    page.get_by_role("button", name=t("Submit my answers")).click()
    expect(page.get_by_role("status").first).to_contain_text("100%")

    # The certificate, from My learning.
    page.get_by_role("link", name=t("My learning")).click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name=t("Download PDF")).click()
    pdf = PdfReader(io.BytesIO(download_info.value.path().read_bytes()))
    text = "".join(p.extract_text() for p in pdf.pages)
    certificate = Certificate.objects.get(user=officer)
    assert KAZAKH_NAME in text
    assert certificate.code in text

    # Anyone holding the code checks it on the public page.
    page.context.clear_cookies()
    page.goto(f"{base_url}/ru/certificates/")
    page.get_by_label(t("Certificate code")).fill(certificate.code.lower())
    page.locator("main").get_by_role("button", name=t("Check")).click()
    expect(page.get_by_role("status")).to_contain_text(t("Valid."))
    expect(page.get_by_text(KAZAKH_NAME)).to_be_visible()
