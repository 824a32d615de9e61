"""A practical assignment from submission to pass: the officer submits a
transcript and a small PDF; the trainer opens the work from the grading queue,
downloads the PDF, grades each criterion of the rubric and asks for a
resubmission; the officer reads the grade and feedback and resubmits; the
trainer passes it; the officer sees both grades and feedback in the history.

Bad input tried: the trainer first saves the grade without a level for one
criterion and without feedback: refused with the reasons, nothing saved; the
officer first attaches a text file named .pdf: refused, the text typed is
still in the form.
"""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from courses import services as course_services
from courses.models import Assignment, Grade, Submission
from lms.roles import Role
from tests.courses.factories import catalogue, course
from tests.e2e.ru import t
from tests.lms.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
OFFICER_NAME = "Айгүл Қанатқызы Серікова"
TRANSCRIPT = "Сотрудник: Что для вас сейчас важно? (О)"
FIRST_FEEDBACK = "Рефлексий мало: добавьте хотя бы по две на каждый вопрос."
SECOND_FEEDBACK = "Теперь рефлексий достаточно, хорошие резюме."


def my_learning_link(tab: Page):
    menu = tab.get_by_role("navigation", name=t("Main menu"))
    return menu.get_by_role("link", name=t("My learning"))


def sign_in(tab: Page, base_url: str, user) -> None:
    tab.goto(f"{base_url}/ru/accounts/login/")
    tab.get_by_label(t("Username")).fill(user.username)
    tab.get_by_label(t("Password")).fill(DEFAULT_PASSWORD)
    tab.locator("main").get_by_role("button", name=t("Sign in")).click()
    expect(my_learning_link(tab)).to_be_visible()


@pytest.fixture
def open_as(browser: Browser, base_url):
    """A fresh browser context per person, signed in; closed after the test."""
    contexts = []

    def opener(user) -> Page:
        context = browser.new_context()
        contexts.append(context)
        tab = context.new_page()
        sign_in(tab, base_url, user)
        return tab

    yield opener
    for context in contexts:
        context.close()


def rubric() -> list:
    def criterion(name, low, middle, high):
        return (
            "criterion",
            {
                "name": name,
                "levels": [
                    {"descriptor": low, "points": 0},
                    {"descriptor": middle, "points": 1},
                    {"descriptor": high, "points": 2},
                ],
            },
        )

    return [
        criterion("Открытые вопросы", "Нет", "Иногда", "Преобладают"),
        criterion("Рефлексии", "Почти нет", "Простые", "Сложные"),
    ]


def choose(tab: Page, criterion: str, level: str) -> None:
    tab.get_by_role("group", name=criterion).get_by_role(
        "radio", name=re.compile(f"^{level} ")
    ).check()


def grade_from_queue(tab: Page, base_url: str) -> None:
    tab.goto(f"{base_url}/ru/learning/assignments/grading/")
    tab.get_by_role("row", name=re.compile(OFFICER_NAME)).get_by_role("link").click()
    expect(tab.get_by_role("heading", level=1)).to_have_text("Беседа с клиентом")


def test_trainer_asks_for_a_resubmission_then_passes_it(open_as, base_url):
    index = catalogue()
    page_ = course(index, title="Мотивационное интервьюирование", lessons=1)
    assignment = Assignment(
        course=page_,
        title="Беседа с клиентом",
        brief="Запишите 10-минутную беседу и отметьте рефлексии.",
        rubric=rubric(),
        pass_mark=3,
    )
    assignment.full_clean()
    assignment.save()
    officer = UserFactory(
        roles=[Role.OFFICER], preferred_language="ru", full_name=OFFICER_NAME
    )
    trainer = UserFactory(roles=[Role.TRAINER], preferred_language="ru")
    course_services.enrolment_create(user=officer, course=page_)

    # The officer finds the assignment in My learning and submits; a text file
    # named .pdf is refused and the typed work is kept.
    officer_tab = open_as(officer)
    my_learning_link(officer_tab).click()
    officer_tab.get_by_role("link", name="Беседа с клиентом").click()
    expect(officer_tab.get_by_role("heading", level=1)).to_have_text(
        "Беседа с клиентом"
    )
    work = officer_tab.get_by_role("textbox", name=t("Your work"))
    work.fill(TRANSCRIPT)
    files = officer_tab.get_by_label(t("Files"), exact=True)
    files.set_input_files(
        {"name": "fake.pdf", "mimeType": "application/pdf", "buffer": b"plain text"}
    )
    officer_tab.get_by_role("button", name=t("Submit for grading")).click()
    expect(officer_tab.get_by_text(re.compile("«fake.pdf»"))).to_be_visible()
    expect(work).to_have_value(TRANSCRIPT)
    assert Submission.objects.count() == 0
    officer_tab.get_by_label(t("Files"), exact=True).set_input_files(
        {"name": "беседа.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    officer_tab.get_by_role("button", name=t("Submit for grading")).click()
    expect(officer_tab.locator(".submission-refusal")).to_have_text(
        t("Your work is waiting for the trainer's grade.")
    )

    # The trainer grades from the queue: an incomplete grade is refused.
    trainer_tab = open_as(trainer)
    grade_from_queue(trainer_tab, base_url)
    with trainer_tab.expect_download() as download:
        trainer_tab.get_by_role("link", name="беседа.pdf").click()
    assert download.value.path().read_bytes() == PDF
    expect(trainer_tab.get_by_text(TRANSCRIPT)).to_be_visible()
    choose(trainer_tab, "Открытые вопросы", "Иногда")
    trainer_tab.get_by_label(t("Ask for a resubmission")).check()
    trainer_tab.get_by_role("button", name=t("Save the grade")).click()
    expect(
        trainer_tab.get_by_text(
            t("Choose a level for «%(name)s».") % {"name": "Рефлексии"}
        ).first
    ).to_be_visible()
    expect(
        trainer_tab.get_by_text(t("Write feedback for the officer.")).first
    ).to_be_visible()
    assert Grade.objects.count() == 0
    choose(trainer_tab, "Открытые вопросы", "Иногда")
    choose(trainer_tab, "Рефлексии", "Почти нет")
    trainer_tab.get_by_role("textbox", name=t("Feedback for the officer")).fill(
        FIRST_FEEDBACK
    )
    trainer_tab.get_by_label(t("Ask for a resubmission")).check()
    trainer_tab.get_by_role("button", name=t("Save the grade")).click()
    expect(trainer_tab.locator(".grade").first).to_contain_text(FIRST_FEEDBACK)

    # The officer reads the grade and feedback, and resubmits.
    officer_tab.reload()
    expect(officer_tab.locator(".grade").first).to_contain_text(FIRST_FEEDBACK)
    expect(officer_tab.locator(".submission").first).to_contain_text(
        t("Resubmission asked")
    )
    officer_tab.get_by_role("textbox", name=t("Your work")).fill(
        TRANSCRIPT + "\nКлиент: ... (Р)"
    )
    officer_tab.get_by_role("button", name=t("Submit for grading")).click()
    expect(officer_tab.locator(".submission")).to_have_count(2)

    # The trainer passes it.
    grade_from_queue(trainer_tab, base_url)
    choose(trainer_tab, "Открытые вопросы", "Преобладают")
    choose(trainer_tab, "Рефлексии", "Простые")
    trainer_tab.get_by_role("textbox", name=t("Feedback for the officer")).fill(
        SECOND_FEEDBACK
    )
    trainer_tab.get_by_label(t("Passed"), exact=True).check()
    trainer_tab.get_by_role("button", name=t("Save the grade")).click()
    expect(trainer_tab.locator(".grade").first).to_contain_text(SECOND_FEEDBACK)
    assert [g.total for g in Grade.objects.order_by("created_at")] == [1, 3]

    # The officer sees the pass, both grades and feedback, and My learning.
    officer_tab.reload()
    history = officer_tab.locator(".submission")
    expect(history.first).to_contain_text(t("Passed"))
    expect(history.first).to_contain_text(SECOND_FEEDBACK)
    expect(history.nth(1)).to_contain_text(FIRST_FEEDBACK)
    expect(officer_tab.locator(".submission-refusal")).to_have_text(
        t("You have passed this assignment already.")
    )
    my_learning_link(officer_tab).click()
    expect(officer_tab.get_by_text(t("Recent grades"))).to_be_visible()
