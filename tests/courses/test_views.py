"""Officers, trainers and the public using the courses module through the
browser, by the Django test client.

Bad input tried: enrolling with a prerequisite not completed; opening a lesson
of a course one is not enrolled in, and signed out; saving an answer to someone
else's attempt, with malformed JSON, a body without "seq", a seq of 0, an
"answer" that is a list, an option of another question, after submission and
after the time limit; a submit form carrying a forged score, pass and points; a
knowledge check choice out of range and not a number; a blank reflection;
downloading another officer's certificate; checking a code that does not exist
and a malformed one; officers on the grading pages; grading with -1 and more
points than the question has.
"""

import datetime
import json
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext
from pytest_django.asserts import assertContains, assertNotContains

from courses import services
from courses.models import (
    AttemptStatus,
    Certificate,
    Enrolment,
    EnrolmentStatus,
    QuestionKind,
    QuizAttempt,
    QuizQuestion,
    Reflection,
)
from lms.roles import Role
from tests.courses.factories import catalogue, course, lessons_of

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Almaty"))


def ru(message: str) -> str:
    with translation.override("ru"):
        return gettext(message)


def url(name: str, *args) -> str:
    with translation.override("ru"):
        return reverse(f"courses:{name}", args=args)


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def right(item) -> str:
    return next(oid for oid, key in item.key.items() if key["correct"])


def wrong(item) -> str:
    return next(oid for oid, key in item.key.items() if not key["correct"])


def study(user, course_page) -> Enrolment:
    enrolment = services.enrolment_create(user=user, course=course_page)
    for lesson in lessons_of(course_page):
        services.lesson_complete(enrolment=enrolment, lesson=lesson)
    return enrolment


@pytest.fixture
def index():
    return catalogue()


@pytest.fixture
def course_page(index):
    return course(index, questions=3, attempt_limit=2)


@pytest.fixture
def attempt(course_page, officer):
    return services.attempt_start(
        enrolment=study(officer, course_page), course=course_page
    )


@pytest.fixture
def signed_in(client, officer):
    client.force_login(officer)
    return client


# Enrolling and studying ---------------------------------------------------------


def test_officer_enrols_and_lands_on_the_first_lesson(signed_in, officer, course_page):
    response = signed_in.post(url("enrol", course_page.pk))
    assert response.status_code == 302
    assert response["Location"] == lessons_of(course_page)[0].url
    enrolment = Enrolment.objects.get(user=officer)
    assert enrolment.course_key == course_page.translation_key
    assert enrolment.status == EnrolmentStatus.ACTIVE
    assert messages_of(response) == [
        ru("You are enrolled in «%(title)s».") % {"title": course_page.title}
    ]
    assert signed_in.get(response["Location"]).status_code == 200


def test_enrolling_is_a_post(signed_in, course_page):
    assert signed_in.get(url("enrol", course_page.pk)).status_code == 405
    assert not Enrolment.objects.exists()


def test_enrolling_without_the_prerequisite_is_refused_with_its_title(signed_in, index):
    basics = course(index, "basics", title="Основы пробации", lessons=1)
    advanced = course(index, "advanced", prerequisites=[basics])
    response = signed_in.post(url("enrol", advanced.pk))
    assert response.status_code == 302
    assert response["Location"] == advanced.url
    assert messages_of(response) == [
        ru("Complete these courses before you enrol: %(titles)s.")
        % {"titles": "«Основы пробации»"}
    ]
    assert not Enrolment.objects.exists()


def test_lesson_of_a_course_not_enrolled_in_sends_the_officer_to_the_course(
    signed_in, course_page
):
    response = signed_in.get(lessons_of(course_page)[1].url)
    assert response.status_code == 302
    assert response["Location"] == course_page.url
    assert messages_of(response) == [ru("Enrol in this course to open its lessons.")]


def test_lesson_of_a_course_left_sends_the_officer_to_the_course(
    signed_in, officer, course_page
):
    enrolment = services.enrolment_create(user=officer, course=course_page)
    services.enrolment_withdraw(enrolment=enrolment)
    response = signed_in.get(lessons_of(course_page)[0].url)
    assert response.status_code == 302
    assert response["Location"] == course_page.url


@pytest.mark.parametrize("method", ["get", "post"])
def test_signed_out_visitor_is_asked_to_sign_in(client, course_page, method):
    lesson = lessons_of(course_page)[0]
    targets = {
        "get": [lesson.url, url("my_learning")],
        "post": [url("enrol", course_page.pk), url("lesson_done", lesson.pk)],
    }[method]
    for target in targets:
        response = getattr(client, method)(target)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login")), target
    assert not Enrolment.objects.exists()


def test_course_page_offers_to_resume_at_the_lesson_last_read(
    signed_in, officer, course_page
):
    first, second, _third = lessons_of(course_page)
    enrolment = services.enrolment_create(user=officer, course=course_page)
    services.lesson_complete(enrolment=enrolment, lesson=first)
    assert signed_in.get(second.url).status_code == 200
    response = signed_in.get(course_page.url)
    assert response.context["resume"] == second
    assertContains(response, second.url)


def test_marking_the_last_lesson_done_completes_a_course_without_quiz(
    signed_in, officer, index, django_capture_on_commit_callbacks
):
    course_page = course(index, lessons=2)
    first, last = lessons_of(course_page)
    services.enrolment_create(user=officer, course=course_page)
    response = signed_in.post(url("lesson_done", first.pk))
    assert response["Location"] == last.url
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(url("lesson_done", last.pk))
    assert response["Location"] == course_page.url
    assert messages_of(response) == [ru("You have completed the course.")]
    assert Certificate.objects.get(user=officer).pdf


# Saving answers -----------------------------------------------------------------


def save(client, attempt, position, body):
    return client.post(
        url("answer_save", attempt.pk, position),
        data=body if isinstance(body, str) else json.dumps(body),
        content_type="application/json",
    )


def test_answer_is_saved_as_json(signed_in, attempt):
    item = attempt.items.get(position=1)
    response = save(
        signed_in, attempt, 1, {"seq": 1, "answer": {"option": right(item)}}
    )
    assert response.status_code == 200
    assert response.json() == {"saved": True, "seq": 1}
    item.refresh_from_db()
    assert item.response == {"option": right(item)}


def test_answer_to_someone_elses_attempt_is_forbidden(client, make_user, attempt):
    client.force_login(make_user(Role.OFFICER))
    item = attempt.items.get(position=1)
    response = save(client, attempt, 1, {"seq": 1, "answer": {"option": right(item)}})
    assert response.status_code == 403
    assert response.json()["saved"] is False
    item.refresh_from_db()
    assert item.response is None and item.response_seq == 0


@pytest.mark.parametrize(
    "body",
    [
        "{not json",
        "",
        {"answer": {"option": "x"}},
        {"seq": 0, "answer": {"option": "x"}},
        {"seq": "two", "answer": {"option": "x"}},
        {"seq": 1, "answer": ["x"]},
        {"seq": 1},
        [1, 2],
    ],
)
def test_an_answer_that_cannot_be_read_is_refused(signed_in, attempt, body):
    response = save(signed_in, attempt, 1, body)
    assert response.status_code == 400
    assert response.json() == {
        "saved": False,
        "error": ru("The answer could not be read. Try again."),
    }
    assert not attempt.items.filter(response__isnull=False).exists()


def test_an_option_of_another_question_is_refused(signed_in, attempt):
    first, second = attempt.items.all()[:2]
    response = save(
        signed_in, attempt, 1, {"seq": 1, "answer": {"option": right(second)}}
    )
    assert response.status_code == 400
    assert response.json()["error"] == ru(
        "This answer names an option that is not part of the question."
    )
    first.refresh_from_db()
    assert first.response is None


def test_a_matching_answer_with_a_list_for_a_choice_is_refused(
    signed_in, officer, index
):
    matching = QuizQuestion(
        kind=QuestionKind.MATCHING,
        text="Сопоставьте меру и срок.",
        body=[
            ("pair", {"prompt": "Постановка на учёт", "match": "10 дней"}),
            ("pair", {"prompt": "Первая беседа", "match": "3 дня"}),
        ],
    )
    course_page = course(
        index, lessons=0, quiz_question_count=1, extra_questions=[matching]
    )
    enrolment = services.enrolment_create(user=officer, course=course_page)
    attempt = services.attempt_start(enrolment=enrolment, course=course_page)
    item = attempt.items.get()
    answer = {"matches": {item.options[0]["id"]: [item.choices[0]["id"]]}}
    response = save(signed_in, attempt, 1, {"seq": 1, "answer": answer})
    assert response.status_code == 400
    assert response.json()["error"] == ru(
        "This answer names an option that is not part of the question."
    )
    item.refresh_from_db()
    assert item.response is None


def test_the_quiz_page_never_shows_the_answer_key(signed_in, attempt):
    response = signed_in.get(url("attempt", attempt.pk))
    assert response.status_code == 200
    for item in attempt.items.all():
        assertContains(response, escape(item.text))
        for option in item.options:
            assertContains(response, option["id"])
        for key in item.key.values():
            assertNotContains(response, escape(key["feedback"]))
        assertNotContains(response, escape(item.feedback))
    assertNotContains(response, "correct")


def test_a_submitted_attempt_takes_no_more_answers(signed_in, attempt):
    services.attempt_submit(attempt=attempt)
    item = attempt.items.get(position=1)
    response = save(
        signed_in, attempt, 1, {"seq": 1, "answer": {"option": right(item)}}
    )
    assert response.status_code == 409
    body = response.json()
    assert body["closed"] is True and body["saved"] is False
    assert body["review"] == url("attempt_review", attempt.pk)
    item.refresh_from_db()
    assert item.response is None


def test_an_answer_after_the_time_limit_is_refused_and_the_attempt_submitted(
    signed_in, officer, index
):
    course_page = course(index, questions=2, time_limit_minutes=15)
    enrolment = study(officer, course_page)
    with time_machine.travel(T0, tick=False) as clock:
        attempt = services.attempt_start(enrolment=enrolment, course=course_page)
        first, second = attempt.items.all()
        assert (
            save(
                signed_in, attempt, 1, {"seq": 1, "answer": {"option": right(first)}}
            ).status_code
            == 200
        )
        clock.shift(datetime.timedelta(minutes=16))
        response = save(
            signed_in, attempt, 2, {"seq": 1, "answer": {"option": right(second)}}
        )
    assert response.status_code == 409
    assert response.json()["closed"] is True
    assert response.json()["error"] == ru(
        "The time for this attempt is over. Your saved answers were submitted."
    )
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.GRADED
    assert attempt.score == Decimal(50)


# Submitting without JavaScript --------------------------------------------------


def test_quiz_form_is_saved_and_graded_without_javascript(signed_in, attempt):
    items = list(attempt.items.all())
    form = {f"q{item.position}": right(item) for item in items}
    response = signed_in.post(url("attempt_submit", attempt.pk), {**form, "save": "1"})
    assert response["Location"] == url("attempt", attempt.pk)
    attempt.refresh_from_db()
    assert attempt.is_open, "saving keeps the attempt open"
    assert all(item.response for item in attempt.items.all())

    response = signed_in.post(url("attempt_submit", attempt.pk), form)
    assert response["Location"] == url("attempt_review", attempt.pk)
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.GRADED
    assert attempt.score == Decimal(100) and attempt.passed


def test_a_forged_score_in_the_form_is_ignored(signed_in, attempt):
    form = {f"q{item.position}": wrong(item) for item in attempt.items.all()}
    forged = {"score": "100", "passed": "true", "points_awarded": "3", "submit": "1"}
    response = signed_in.post(url("attempt_submit", attempt.pk), {**form, **forged})
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.score == Decimal(0)
    assert attempt.points_awarded == Decimal(0)
    assert attempt.passed is False
    assert not attempt.enrolment.certificates.exists()


def test_a_form_with_an_option_of_another_question_saves_nothing(signed_in, attempt):
    first, second = attempt.items.all()[:2]
    response = signed_in.post(
        url("attempt_submit", attempt.pk), {"q1": right(second), "submit": "1"}
    )
    assert response["Location"] == url("attempt", attempt.pk)
    assert messages_of(response) == [
        ru("This answer names an option that is not part of the question.")
    ]
    attempt.refresh_from_db()
    assert attempt.is_open
    first.refresh_from_db()
    assert first.response is None


# Reviewing ----------------------------------------------------------------------


def submit_wrong(client, attempt):
    form = {f"q{item.position}": wrong(item) for item in attempt.items.all()}
    client.post(url("attempt_submit", attempt.pk), form)
    return client.get(url("attempt_review", attempt.pk))


def option_text(item, option_id) -> str:
    return next(o["text"] for o in item.options if o["id"] == option_id)


def test_review_shows_feedback_but_hides_right_answers_while_attempts_remain(
    signed_in, attempt
):
    response = submit_wrong(signed_in, attempt)
    assert response.status_code == 200
    assert response.context["attempts_left"] == 1
    assert response.context["reveal"] is False
    for item in attempt.items.all():
        assertContains(response, escape(item.key[wrong(item)]["feedback"]))
        assertContains(response, escape(option_text(item, wrong(item))))
        assertNotContains(response, escape(option_text(item, right(item))))
        assertContains(response, escape(item.feedback))
    assertNotContains(response, escape(ru("Right answer you did not choose:")))


def test_review_shows_right_answers_once_out_of_attempts(
    signed_in, officer, course_page, attempt
):
    submit_wrong(signed_in, attempt)
    second = services.attempt_start(
        enrolment=Enrolment.objects.get(user=officer), course=course_page
    )
    response = submit_wrong(signed_in, second)
    assert response.context["attempts_left"] == 0
    assert response.context["reveal"] is True
    for item in second.items.all():
        assertContains(response, escape(option_text(item, right(item))))
    assertContains(response, escape(ru("Right answer you did not choose:")))


def test_review_shows_right_answers_once_passed(signed_in, officer, index):
    course_page = course(index, questions=2, pass_mark=50, attempt_limit=3)
    attempt = services.attempt_start(
        enrolment=study(officer, course_page), course=course_page
    )
    first, second = attempt.items.all()
    form = {"q1": right(first), "q2": wrong(second)}
    signed_in.post(url("attempt_submit", attempt.pk), form)
    response = signed_in.get(url("attempt_review", attempt.pk))
    assert response.context["attempt"].passed
    assert response.context["reveal"] is True
    assertContains(response, escape(option_text(second, right(second))))


def test_review_of_someone_elses_attempt_is_forbidden(client, make_user, attempt):
    services.attempt_submit(attempt=attempt)
    client.force_login(make_user(Role.OFFICER))
    assert client.get(url("attempt_review", attempt.pk)).status_code == 403
    assert client.get(url("attempt", attempt.pk)).status_code == 403


# Knowledge checks and reflections -----------------------------------------------


def block_of(lesson, block_type):
    return next(block for block in lesson.body if block.block_type == block_type)


def test_knowledge_check_answers_as_json(signed_in, officer, course_page):
    services.enrolment_create(user=officer, course=course_page)
    lesson = lessons_of(course_page)[0]
    check = block_of(lesson, "check")
    target = url("knowledge_check", lesson.pk, check.id)
    accept = {"HTTP_ACCEPT": "application/json"}

    response = signed_in.post(target, {"choice": "0"}, **accept)
    assert response.json() == {
        "correct": True,
        "verdict": ru("Right."),
        "feedback": "Yes.",
    }
    response = signed_in.post(target, {"choice": "1"}, **accept)
    assert response.json()["correct"] is False
    assert response.json()["verdict"] == ru("Not quite.")
    for choice in ("2", "-1", "x", ""):
        response = signed_in.post(target, {"choice": choice}, **accept)
        assert response.status_code == 400
        assert response.json() == {"error": ru("Choose one of the options.")}


def test_knowledge_check_without_javascript_shows_feedback_on_the_lesson(
    signed_in, officer, course_page
):
    services.enrolment_create(user=officer, course=course_page)
    lesson = lessons_of(course_page)[0]
    check = block_of(lesson, "check")
    response = signed_in.post(
        url("knowledge_check", lesson.pk, check.id), {"choice": "1"}
    )
    assert response.status_code == 302
    assert response["Location"] == (
        f"{lesson.url}?check={check.id}&choice=1#block-{check.id}"
    )
    shown = signed_in.get(response["Location"])
    assert shown.context["check_feedback"] == {
        check.id: {"choice": 1, "correct": False, "feedback": "No."}
    }
    assertContains(shown, escape(ru("Not quite.")))


def test_knowledge_check_of_a_course_not_enrolled_in_is_forbidden(
    signed_in, course_page
):
    lesson = lessons_of(course_page)[0]
    check = block_of(lesson, "check")
    response = signed_in.post(
        url("knowledge_check", lesson.pk, check.id), {"choice": "0"}
    )
    assert response.status_code == 403


def test_reflection_is_kept_private_to_its_author(
    client, officer, make_user, course_page
):
    other = make_user(Role.OFFICER)
    for user in (officer, other):
        services.enrolment_create(user=user, course=course_page)
    lesson = lessons_of(course_page)[0]
    reflection = block_of(lesson, "reflection")
    target = url("reflection_save", lesson.pk, reflection.id)
    text = "Мне мешает спешка на первой встрече."

    client.force_login(officer)
    response = client.post(target, {"text": text}, HTTP_ACCEPT="application/json")
    assert response.json() == {"saved": True, "message": ru("Your answer is saved.")}
    saved = Reflection.objects.get()
    assert (saved.user, saved.text, saved.block_id) == (officer, text, reflection.id)
    assertContains(client.get(lesson.url), escape(text))

    client.force_login(other)
    response = client.get(lesson.url)
    assert response.context["reflections"] == {}
    assertNotContains(response, escape(text))


def test_a_blank_reflection_is_refused(signed_in, officer, course_page):
    services.enrolment_create(user=officer, course=course_page)
    lesson = lessons_of(course_page)[0]
    reflection = block_of(lesson, "reflection")
    target = url("reflection_save", lesson.pk, reflection.id)
    response = signed_in.post(target, {"text": "  "}, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert response.json()["error"] == ru("Write your answer before saving it.")
    response = signed_in.post(target, {"text": ""})
    assert response["Location"] == f"{lesson.url}#block-{reflection.id}"
    assert messages_of(response) == [ru("Write your answer before saving it.")]
    assert not Reflection.objects.exists()


# Certificates -------------------------------------------------------------------


@pytest.fixture
def certificate(index, officer, django_capture_on_commit_callbacks):
    course_page = course(index, lessons=1, certificate_validity_months=12)
    with time_machine.travel(T0, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            study(officer, course_page)
    return Certificate.objects.get()


def test_holder_downloads_their_certificate(signed_in, certificate):
    response = signed_in.get(url("certificate_download", certificate.code))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"ustaz-{certificate.code}.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_another_officer_cannot_download_the_certificate(
    client, make_user, certificate
):
    client.force_login(make_user(Role.OFFICER))
    response = client.get(url("certificate_download", certificate.code))
    assert response.status_code == 403


def test_administrator_downloads_any_certificate(client, administrator, certificate):
    client.force_login(administrator)
    response = client.get(url("certificate_download", certificate.code))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_verification_page_shows_a_valid_certificate(client, certificate):
    response = client.get(url("certificate_verify", certificate.code.lower()))
    assert response.status_code == 200
    assert response.context["state"] == Certificate.State.VALID
    assertContains(response, escape(ru("Valid.")))
    assertContains(response, escape(certificate.full_name))


def test_verification_page_shows_an_expired_certificate(client, certificate):
    assert certificate.valid_until == datetime.date(2027, 3, 2)
    with time_machine.travel(T0 + datetime.timedelta(days=366), tick=False):
        response = client.get(url("certificate_verify", certificate.code))
    assert response.context["state"] == Certificate.State.EXPIRED
    assertContains(response, escape(ru("Expired.")))
    assertNotContains(response, escape(ru("Valid.")))


def test_verification_page_shows_a_revoked_certificate(
    client, certificate, administrator
):
    services.certificate_revoke(
        certificate=certificate, by=administrator, reason="Ошибка в данных"
    )
    response = client.get(url("certificate_verify", certificate.code))
    assert response.context["state"] == Certificate.State.REVOKED
    assertContains(response, escape(ru("Revoked.")))
    assertNotContains(response, "Ошибка в данных")


def test_verification_of_a_code_that_does_not_exist_is_not_found(client):
    response = client.get(url("certificate_verify", "UZ-AAAA-BBBB"))
    assert response.status_code == 404
    expected = ru("There is no certificate with the code %(code)s.") % {
        "code": "UZ-AAAA-BBBB"
    }
    assertContains(response, escape(expected), status_code=404)


def test_check_form_refuses_a_malformed_code(client, certificate):
    response = client.get(url("certificate_check"), {"code": "UZ-12"})
    assert response.status_code == 200
    assert response.context["form"].errors["code"] == [
        ru("A certificate code looks like UZ-7K3M-9QX2. Check it and try again.")
    ]
    response = client.get(
        url("certificate_check"), {"code": f" {certificate.code.lower()} "}
    )
    assert response["Location"] == url("certificate_verify", certificate.code)


# Grading ------------------------------------------------------------------------


@pytest.fixture
def awaiting(index, officer):
    """A submitted attempt whose written answer (3 points) waits for a trainer."""
    written = QuizQuestion(
        kind=QuestionKind.SHORT, text="Опишите первую встречу.", points=3
    )
    course_page = course(
        index, lessons=1, quiz_question_count=1, extra_questions=[written]
    )
    attempt = services.attempt_start(
        enrolment=study(officer, course_page), course=course_page
    )
    services.answer_save(
        attempt=attempt, position=1, data={"text": "Знакомство и правила."}, seq=1
    )
    return services.attempt_submit(attempt=attempt)


def test_officers_cannot_open_the_grading_pages(signed_in, awaiting):
    assert signed_in.get(url("grading_list")).status_code == 403
    assert signed_in.get(url("grading_attempt", awaiting.pk)).status_code == 403
    item = awaiting.items.get()
    response = signed_in.post(
        url("grading_attempt", awaiting.pk),
        {"item": item.pk, f"item{item.pk}-points": "3"},
    )
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.awarded is None


def test_trainer_grades_a_written_answer(client, make_user, awaiting):
    trainer = make_user(Role.TRAINER)
    client.force_login(trainer)
    listing = client.get(url("grading_list"))
    assert list(listing.context["attempts"]) == [awaiting]
    item = awaiting.items.get()
    response = client.post(
        url("grading_attempt", awaiting.pk),
        {
            "item": item.pk,
            f"item{item.pk}-points": "2.5",
            f"item{item.pk}-comment": "Хорошо.",
        },
    )
    assert response["Location"] == url("grading_attempt", awaiting.pk)
    assert messages_of(response) == [ru("The grade is saved.")]
    item.refresh_from_db()
    assert item.awarded == Decimal("2.5") and item.graded_by == trainer
    awaiting.refresh_from_db()
    assert awaiting.status == AttemptStatus.GRADED
    assert awaiting.passed is True
    assert list(client.get(url("grading_list")).context["attempts"]) == []


@pytest.mark.parametrize("points", ["-1", "3.5", "abc", ""])
def test_points_out_of_range_show_a_form_error_and_save_nothing(
    client, make_user, awaiting, points
):
    client.force_login(make_user(Role.TRAINER))
    item = awaiting.items.get()
    response = client.post(
        url("grading_attempt", awaiting.pk),
        {"item": item.pk, f"item{item.pk}-points": points},
    )
    assert response.status_code == 200
    ((_item, form),) = response.context["rows"]
    assert form.errors["points"]
    item.refresh_from_db()
    assert item.awarded is None and item.graded_at is None
    assert QuizAttempt.objects.get(pk=awaiting.pk).status == (
        AttemptStatus.AWAITING_GRADING
    )


def test_an_editor_reads_the_lessons_without_enrolling(
    client, make_user, index, course_page
):
    from courses.demo import _grant_trainers

    _grant_trainers([index])
    client.force_login(make_user(Role.TRAINER))
    lesson = lessons_of(course_page)[0]
    assertContains(client.get(course_page.url), f'href="{lesson.url}"')
    response = client.get(lesson.url)
    assert response.status_code == 200
    assertContains(response, ru("You are previewing this lesson as an editor."))


def test_an_officer_not_enrolled_sees_the_lessons_without_links(signed_in, course_page):
    lesson = lessons_of(course_page)[0]
    response = signed_in.get(course_page.url)
    assertContains(response, lesson.title)
    assertNotContains(response, f'href="{lesson.url}"')


def test_my_learning_keeps_ones_own_reflections_only(
    signed_in, officer, make_user, course_page
):
    lesson = lessons_of(course_page)[0]
    block_id = next(b.id for b in lesson.body if b.block_type == "reflection")
    for user, text in (
        (officer, "Мой ответ"),
        (make_user(Role.OFFICER), "Чужой ответ"),
    ):
        services.reflection_save(user=user, lesson=lesson, block_id=block_id, text=text)
    response = signed_in.get(reverse("courses:my_learning"))
    assertContains(response, "Мой ответ")
    assertNotContains(response, "Чужой ответ")
    assertContains(response, f"{lesson.url}#block-{block_id}")
