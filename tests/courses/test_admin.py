"""Trainers and administrators looking after courses in the Wagtail admin: where
courses and lessons may be created, importing a question bank, the question
bank's own rules, and revoking certificates.

Bad input tried: a lesson under the catalogue, the home page and another
lesson; a course under the home page and under another course; a 3 MB question
file, a malformed XML file, a post without a file; an officer and a trainer
without page permissions on the import page; a revocation without a reason, of
a certificate already revoked, and by a trainer; single-choice and true/false
questions with two right options or none, a true/false question with three
options, a matching question with duplicate matches (differing only in case
and spaces) and with a single pair, choice questions carrying pairs, a written
answer carrying options.
"""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext
from pytest_django.asserts import assertContains, assertNotContains
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from courses import services
from courses.demo import _grant_trainers
from courses.models import (
    Certificate,
    CoursePage,
    LessonPage,
    QuestionKind,
    QuizQuestion,
)
from lms.models import AuditEntry
from lms.roles import Role
from tests.courses.factories import catalogue, course, lessons_of

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"


def ru(message: str) -> str:
    """The admin speaks Russian to these users."""
    with translation.override("ru"):
        return gettext(message)


@pytest.fixture
def index():
    index = catalogue()
    _grant_trainers([index])
    return index


@pytest.fixture
def course_page(index):
    return course(index, questions=2)


@pytest.fixture
def trainer(make_user):
    return make_user(Role.TRAINER)


# Page types ---------------------------------------------------------------------


def test_a_course_is_created_only_in_the_catalogue(index, course_page):
    home = index.get_parent().specific
    assert CoursePage.can_create_at(index)
    assert not CoursePage.can_create_at(home)
    assert not CoursePage.can_create_at(course_page)
    assert not CoursePage.can_create_at(lessons_of(course_page)[0])


def test_a_lesson_is_created_only_in_a_course(index, course_page):
    home = index.get_parent().specific
    assert LessonPage.can_create_at(course_page)
    assert not LessonPage.can_create_at(index)
    assert not LessonPage.can_create_at(home)
    assert not LessonPage.can_create_at(lessons_of(course_page)[0])


def add_url(model, parent) -> str:
    return reverse(
        "wagtailadmin_pages:add", args=["courses", model._meta.model_name, parent.pk]
    )


def test_trainer_adding_to_the_catalogue_is_offered_a_course(client, trainer, index):
    client.force_login(trainer)
    response = client.get(reverse("wagtailadmin_pages:add_subpage", args=[index.pk]))
    assert response["Location"] == add_url(CoursePage, index)
    assert client.get(add_url(CoursePage, index)).status_code == 200


def test_trainer_adding_to_a_course_is_offered_a_lesson(client, trainer, course_page):
    client.force_login(trainer)
    response = client.get(
        reverse("wagtailadmin_pages:add_subpage", args=[course_page.pk])
    )
    assert response["Location"] == add_url(LessonPage, course_page)


def lesson_form(title="Первая встреча"):
    return nested_form_data(
        {
            "title": title,
            "slug": "first-meeting",
            "minutes": "25",
            "body": streamfield([("text", rich_text("<p>Как начать беседу.</p>"))]),
            "action-publish": "publish",
        }
    )


def test_trainer_publishes_a_lesson_in_a_course(client, trainer, course_page):
    client.force_login(trainer)
    response = client.post(add_url(LessonPage, course_page), lesson_form())
    assert response.status_code == 302
    lesson = LessonPage.objects.get(slug="first-meeting")
    assert lesson.live
    assert lesson.get_parent().pk == course_page.pk


def test_a_lesson_cannot_be_added_to_the_catalogue(client, trainer, index):
    client.force_login(trainer)
    response = client.post(add_url(LessonPage, index), lesson_form())
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    assert not LessonPage.objects.filter(slug="first-meeting").exists()


# Importing a question bank ------------------------------------------------------


def import_url(course_page) -> str:
    return reverse("courses_question_import", args=[course_page.pk])


def upload(filename, data=None):
    data = (DATA / filename).read_bytes() if data is None else data
    return {"file": SimpleUploadedFile(filename, data)}


def test_trainer_imports_a_gift_file_and_reads_the_report(client, trainer, course_page):
    client.force_login(trainer)
    assert client.get(import_url(course_page)).status_code == 200
    response = client.post(import_url(course_page), upload("bank.gift"))
    assert response.status_code == 200
    report = response.context["report"]
    assert len(report.imported) == 10
    assert [refusal.number for refusal in report.refused] == list(range(11, 17))
    for _number, question in report.imported:
        assertContains(response, escape(question.text[:40]))
    for refusal in report.refused:
        assertContains(response, escape(f"«{refusal.name}»: {refusal.reason}"))
    assertContains(response, reverse("wagtailadmin_pages:edit", args=[course_page.pk]))
    assert QuizQuestion.objects.filter(page=course_page).count() == 2, (
        "a draft, not live"
    )
    assert CoursePage.objects.get(pk=course_page.pk).has_unpublished_changes

    again = client.post(import_url(course_page), upload("bank.gift"))
    duplicate = ru("The bank has this question already.")
    assert again.context["report"].imported == []
    assert sum(r.reason == duplicate for r in again.context["report"].refused) == 10


def test_the_import_button_is_on_the_course_in_the_page_listing(
    client, trainer, index, course_page
):
    client.force_login(trainer)
    response = client.get(reverse("wagtailadmin_explore", args=[index.pk]))
    assert response.status_code == 200
    assertContains(response, import_url(course_page))


def test_a_file_over_two_megabytes_is_refused_by_the_form(client, trainer, course_page):
    client.force_login(trainer)
    big = b"// " + b"x" * (3 * 1024 * 1024)
    response = client.post(import_url(course_page), upload("bank.gift", big))
    assert response.status_code == 200
    assert response.context["report"] is None
    assert response.context["form"].errors["file"] == [
        ru("The file is larger than 2 MB. Split the bank into smaller files.")
    ]
    assert course_page.revisions.count() == 1


def test_a_broken_file_is_reported_on_the_form(client, trainer, course_page):
    client.force_login(trainer)
    response = client.post(import_url(course_page), upload("broken.xml"))
    assert response.status_code == 200
    assert response.context["report"] is None
    assert response.context["form"].errors["file"] == [
        ru("The file is not well-formed XML (line %(line)s, column %(column)s).")
        % {"line": 14, "column": 2}
    ]
    assert course_page.revisions.count() == 1
    assert not AuditEntry.objects.filter(action="courses.questions_imported").exists()


def test_a_post_without_a_file_imports_nothing(client, trainer, course_page):
    client.force_login(trainer)
    response = client.post(import_url(course_page), {})
    assert response.status_code == 200
    assert response.context["report"] is None
    assert course_page.revisions.count() == 1


def test_officers_cannot_import_questions(client, officer, course_page):
    client.force_login(officer)
    response = client.post(import_url(course_page), upload("bank.gift"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert course_page.revisions.count() == 1


def test_a_trainer_without_rights_on_the_course_cannot_import(client, trainer):
    course_page = course(catalogue(), questions=1)  # no course_page permissions given
    client.force_login(trainer)
    response = client.post(import_url(course_page), upload("bank.gift"))
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    assert course_page.revisions.count() == 1


# The question bank's own rules --------------------------------------------------


def option(text, correct=False):
    return ("option", {"text": text, "correct": correct, "feedback": ""})


def pair(prompt, match):
    return ("pair", {"prompt": prompt, "match": match})


def refusal(kind, body) -> str:
    question = QuizQuestion(kind=kind, text="Вопрос", body=body)
    with pytest.raises(ValidationError) as caught:
        question.clean()
    return caught.value.message_dict["body"][0]


def test_single_choice_with_two_right_options_is_refused():
    body = [option("Раз в месяц", True), option("Раз в неделю", True)]
    with translation.override("ru"):
        assert refusal(QuestionKind.SINGLE, body) == ru(
            "Give at least two options and mark exactly one correct."
        )
        assert refusal(QuestionKind.SINGLE, [option("А"), option("Б")])
        assert refusal(QuestionKind.TRUE_FALSE, body)


def test_true_false_has_exactly_two_options():
    body = [option("Верно", True), option("Неверно"), option("Не знаю")]
    with translation.override("ru"):
        assert refusal(QuestionKind.TRUE_FALSE, body) == ru(
            "A true/false question has exactly two options."
        )


def test_matching_with_duplicate_matches_is_refused():
    body = [pair("Постановка на учёт", "10 дней"), pair("Отчёт", " 10 ДНЕЙ ")]
    with translation.override("ru"):
        assert refusal(QuestionKind.MATCHING, body) == ru(
            "Each pair needs a different match."
        )
        assert refusal(QuestionKind.MATCHING, body[:1]) == ru(
            "A matching question needs at least two pairs."
        )


def test_questions_of_one_kind_carry_no_parts_of_another():
    with translation.override("ru"):
        assert refusal(
            QuestionKind.MULTIPLE, [option("А", True), option("Б"), pair("x", "y")]
        )
        assert refusal(QuestionKind.SHORT, [option("А", True)]) == ru(
            "A short written answer has no options or pairs."
        )


@pytest.mark.parametrize(
    ("kind", "body"),
    [
        (QuestionKind.SINGLE, [option("А", True), option("Б")]),
        (QuestionKind.TRUE_FALSE, [option("Верно"), option("Неверно", True)]),
        (QuestionKind.MULTIPLE, [option("А", True), option("Б", True), option("В")]),
        (QuestionKind.MATCHING, [pair("А", "1"), pair("Б", "2")]),
        (QuestionKind.SHORT, []),
    ],
)
def test_well_formed_questions_pass(kind, body):
    QuizQuestion(kind=kind, text="Вопрос", body=body).clean()


# Certificates -------------------------------------------------------------------


@pytest.fixture
def certificate(index, officer):
    course_page = course(index, "short-course", lessons=1)
    enrolment = services.enrolment_create(user=officer, course=course_page)
    services.lesson_complete(enrolment=enrolment, lesson=lessons_of(course_page)[0])
    return Certificate.objects.get()


def revoke_url(certificate) -> str:
    return reverse("courses_certificate_revoke", args=[certificate.pk])


def test_administrator_sees_certificates_with_a_revoke_button(
    client, administrator, certificate
):
    client.force_login(administrator)
    response = client.get(reverse("certificates:index"))
    assert response.status_code == 200
    assertContains(response, certificate.code)
    assertContains(response, revoke_url(certificate))


def test_revoked_certificate_has_no_revoke_button(client, administrator, certificate):
    services.certificate_revoke(certificate=certificate, by=administrator, reason="x")
    client.force_login(administrator)
    response = client.get(reverse("certificates:index"))
    assertContains(response, certificate.code)
    assertNotContains(response, revoke_url(certificate))


def test_administrator_revokes_a_certificate_with_a_reason(
    client, administrator, certificate
):
    client.force_login(administrator)
    assert client.get(revoke_url(certificate)).status_code == 200
    response = client.post(revoke_url(certificate), {"reason": "Подложный диплом"})
    assert response["Location"] == reverse("certificates:index")
    certificate.refresh_from_db()
    assert certificate.state() == Certificate.State.REVOKED
    assert certificate.revoked_by == administrator
    assert certificate.revocation_reason == "Подложный диплом"
    entry = AuditEntry.objects.get(action="courses.certificate_revoked")
    assert entry.actor == administrator

    again = client.post(revoke_url(certificate), {"reason": "Ещё раз"}, follow=True)
    assertContains(again, escape(ru("This certificate has been revoked already.")))
    certificate.refresh_from_db()
    assert certificate.revocation_reason == "Подложный диплом"


@pytest.mark.parametrize("reason", ["", "   "])
def test_revoking_without_a_reason_shows_a_form_error(
    client, administrator, certificate, reason
):
    client.force_login(administrator)
    response = client.post(revoke_url(certificate), {"reason": reason})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == [
        ru("Say why the certificate is revoked.")
    ]
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


def test_trainers_cannot_revoke_or_list_certificates(client, trainer, certificate):
    client.force_login(trainer)
    response = client.post(revoke_url(certificate), {"reason": "Подложный диплом"})
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    certificate.refresh_from_db()
    assert certificate.revoked_at is None
    response = client.get(reverse("certificates:index"))
    assert response["Location"] == reverse("wagtailadmin_home")


def test_officers_cannot_reach_the_revoke_page(client, officer, certificate):
    client.force_login(officer)
    response = client.post(revoke_url(certificate), {"reason": "Мой"})
    assert response["Location"].startswith(reverse("login"))
    certificate.refresh_from_db()
    assert certificate.revoked_at is None
