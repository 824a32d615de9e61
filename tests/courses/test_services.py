"""The rules of the courses module, through its services: enrolment, progress,
completion, quiz attempts and their grading, certificates and the question bank
import.

Bad input tried: enrolling twice; enrolling with a prerequisite not completed,
and with it completed only on the English page; enrolling in an unpublished
course; marking a lesson done twice; leaving a course twice; starting a quiz
before every lesson is done, after passing it and after the last attempt;
answers arriving twice, arriving out of order, naming an option of another
question, of a matching question with a list where a choice id belongs, with a
number for an option id, for a question not in the attempt; a save after the
time limit; submitting twice; grading a choice question by hand, grading a
written answer before submission, with -1 and more points than the question
has, and twice; revoking with a blank reason and revoking twice; importing the
same bank twice, a malformed XML file, and a bank with a single-choice question
that has two right answers.
"""

import datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from courses import services
from courses.importers import ImportFileError
from courses.models import (
    AttemptStatus,
    Certificate,
    CoursePage,
    Enrolment,
    EnrolmentStatus,
    LessonProgress,
    QuestionKind,
    QuizAttempt,
    QuizQuestion,
)
from courses.selectors import my_learning_context
from lms.models import AuditEntry, Notification
from lms.roles import Role
from tests.courses.factories import (
    catalogue,
    course,
    lessons_of,
    single_question,
    translate,
)

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
ALMATY = ZoneInfo("Asia/Almaty")
T0 = datetime.datetime(2026, 1, 31, 10, 0, tzinfo=ALMATY)


@pytest.fixture(autouse=True)
def _russian():
    """Services speak the active language; officers' default is Russian."""
    with translation.override("ru"):
        yield


@pytest.fixture
def index():
    return catalogue()


def ru(message: str) -> str:
    with translation.override("ru"):
        return gettext(message)


def study(user, page: CoursePage) -> Enrolment:
    """Enrol and mark every lesson done."""
    enrolment = services.enrolment_create(user=user, course=page)
    for lesson in lessons_of(page):
        services.lesson_complete(enrolment=enrolment, lesson=lesson)
    return enrolment


def right(item) -> str:
    return next(oid for oid, key in item.key.items() if key["correct"])


def wrong(item) -> str:
    return next(oid for oid, key in item.key.items() if not key["correct"])


def answer_each(attempt, choose, seq: int = 1) -> None:
    for item in attempt.items.all():
        services.answer_save(
            attempt=attempt,
            position=item.position,
            data={"option": choose(item)},
            seq=seq,
        )


def fail_attempt(enrolment, page) -> QuizAttempt:
    attempt = services.attempt_start(enrolment=enrolment, course=page)
    answer_each(attempt, wrong)
    return services.attempt_submit(attempt=attempt)


def option_ids_by_text(item) -> dict:
    return {option["text"]: option["id"] for option in item.options}


# Enrolment ----------------------------------------------------------------------


def test_enrolling_twice_keeps_one_enrolment(index, officer):
    page = course(index)
    first = services.enrolment_create(user=officer, course=page)
    second = services.enrolment_create(user=officer, course=page)
    assert second.pk == first.pk
    assert Enrolment.objects.filter(user=officer).count() == 1
    assert first.course_key == page.translation_key
    assert first.status == EnrolmentStatus.ACTIVE


def test_an_unpublished_course_takes_no_enrolment(index, officer):
    page = course(index)
    page.unpublish()
    page.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        services.enrolment_create(user=officer, course=page)
    assert caught.value.messages == [ru("This course is not open for enrolment.")]
    assert not Enrolment.objects.exists()


def test_officer_who_leaves_and_enrols_again_keeps_their_progress(index, officer):
    page = course(index)
    first_lesson = lessons_of(page)[0]
    enrolment = services.enrolment_create(user=officer, course=page)
    services.lesson_complete(enrolment=enrolment, lesson=first_lesson)

    services.enrolment_withdraw(enrolment=enrolment)
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.WITHDRAWN
    assert enrolment.withdrawn_at is not None
    with pytest.raises(ValidationError):
        services.enrolment_withdraw(enrolment=enrolment)

    again = services.enrolment_create(user=officer, course=page)
    assert again.pk == enrolment.pk
    assert again.status == EnrolmentStatus.ACTIVE
    assert again.withdrawn_at is None
    assert services.lessons_done_keys(again) == {first_lesson.translation_key}


def test_leaving_closes_the_open_attempt_as_not_passed(index, officer):
    page = course(index, questions=2)
    enrolment = study(officer, page)
    attempt = services.attempt_start(enrolment=enrolment, course=page)
    services.enrolment_withdraw(enrolment=enrolment)
    attempt.refresh_from_db()
    assert not attempt.is_open
    assert attempt.passed is False


def test_prerequisite_must_be_completed_before_enrolling(index, officer):
    basics = course(index, "basics", title="Основы пробации", lessons=1)
    advanced = course(index, "advanced", prerequisites=[basics])

    with pytest.raises(ValidationError) as caught:
        services.enrolment_create(user=officer, course=advanced)
    assert caught.value.messages == [
        ru("Complete these courses before you enrol: %(titles)s.")
        % {"titles": "«Основы пробации»"}
    ]
    assert not Enrolment.objects.filter(course_key=advanced.translation_key).exists()

    enrolment = services.enrolment_create(user=officer, course=basics)
    with pytest.raises(ValidationError):
        services.enrolment_create(user=officer, course=advanced)  # enrolled only

    study(officer, basics)
    enrolment.refresh_from_db()
    assert enrolment.is_complete
    assert services.enrolment_create(user=officer, course=advanced).is_active


def test_prerequisite_completed_on_the_english_page_counts(index, officer):
    """Prerequisites are matched by translation key, not by page."""
    basics = course(index, "basics", lessons=2)
    advanced = course(index, "advanced", prerequisites=[basics])
    translate(index.get_parent(), "en")
    translate(index, "en")
    basics_en = translate(basics, "en", title="Probation basics")
    for lesson in lessons_of(basics):
        translate(lesson, "en")
    basics_en = CoursePage.objects.get(pk=basics_en.pk)
    assert basics_en.pk != basics.pk and basics_en.live

    enrolment = study(officer, basics_en)
    enrolment.refresh_from_db()
    assert enrolment.course == basics_en
    assert enrolment.is_complete

    assert services.missing_prerequisites(user=officer, course=advanced) == []
    assert services.enrolment_create(user=officer, course=advanced).is_active


# Progress -----------------------------------------------------------------------


def test_a_lesson_marked_done_twice_is_recorded_once(index, officer):
    page = course(index)
    lesson = lessons_of(page)[0]
    enrolment = services.enrolment_create(user=officer, course=page)
    first = services.lesson_complete(enrolment=enrolment, lesson=lesson)
    second = services.lesson_complete(enrolment=enrolment, lesson=lesson)
    assert first.pk == second.pk
    assert LessonProgress.objects.filter(enrolment=enrolment).count() == 1


def test_a_withdrawn_officer_cannot_mark_lessons_done(index, officer):
    page = course(index)
    enrolment = services.enrolment_create(user=officer, course=page)
    services.enrolment_withdraw(enrolment=enrolment)
    with pytest.raises(ValidationError):
        services.lesson_complete(enrolment=enrolment, lesson=lessons_of(page)[0])
    assert not LessonProgress.objects.exists()


def test_officer_resumes_at_the_lesson_they_were_reading(index, officer):
    page = course(index, lessons=3)
    first, second, third = lessons_of(page)
    enrolment = services.enrolment_create(user=officer, course=page)

    def resume():
        return my_learning_context(officer)["in_progress"][0]["resume"]

    assert resume() == first
    services.lesson_complete(enrolment=enrolment, lesson=first)
    services.lesson_visit(enrolment=enrolment, lesson=second)
    enrolment.refresh_from_db()
    assert enrolment.last_lesson_key == second.translation_key
    assert resume() == second

    services.lesson_complete(enrolment=enrolment, lesson=second)
    assert resume() == third


# Completion and certificates ----------------------------------------------------


def test_course_without_quiz_completes_on_its_last_lesson_with_one_certificate(
    index, officer, django_capture_on_commit_callbacks
):
    page = course(index, lessons=2, certificate_validity_months=13)
    first, last = lessons_of(page)
    with time_machine.travel(T0, tick=False):
        enrolment = services.enrolment_create(user=officer, course=page)
        services.lesson_complete(enrolment=enrolment, lesson=first)
        enrolment.refresh_from_db()
        assert enrolment.status == EnrolmentStatus.ACTIVE
        assert not Certificate.objects.exists()

        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            services.lesson_complete(enrolment=enrolment, lesson=last)
            services.lesson_complete(enrolment=enrolment, lesson=last)

    enrolment.refresh_from_db()
    assert enrolment.is_complete
    assert enrolment.completed_at == T0
    assert enrolment.cpd_hours == page.cpd_hours
    certificate = Certificate.objects.get()
    assert certificate.enrolment == enrolment and certificate.user == officer
    assert certificate.issued_on == datetime.date(2026, 1, 31)
    assert certificate.valid_until == certificate.issued_on + relativedelta(months=13)
    assert certificate.valid_until == datetime.date(2027, 2, 28)
    assert len(callbacks) >= 1
    certificate.refresh_from_db()
    assert certificate.pdf
    assert certificate.pdf.read().startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="courses.certificate_issued").count() == 1


def test_certificate_pdf_is_drawn_only_once_the_transaction_commits(
    index, officer, django_capture_on_commit_callbacks
):
    page = course(index, lessons=1)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        study(officer, page)
    certificate = Certificate.objects.get()
    assert not certificate.pdf
    for callback in callbacks:
        callback()
    certificate.refresh_from_db()
    assert certificate.pdf
    assert Notification.objects.filter(
        recipient=officer, url=reverse("courses:my_learning")
    ).exists()


def test_certificate_without_validity_never_expires(index, officer):
    page = course(index, lessons=1, certificate_validity_months=None)
    study(officer, page)
    assert Certificate.objects.get().valid_until is None


def test_course_with_quiz_completes_when_lessons_are_done_and_quiz_is_passed(
    index, officer, django_capture_on_commit_callbacks
):
    page = course(index, questions=3, certificate_validity_months=36)
    enrolment = study(officer, page)
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACTIVE, "the quiz is still to pass"
    assert not Certificate.objects.exists()

    attempt = services.attempt_start(enrolment=enrolment, course=page)
    answer_each(attempt, right)
    with django_capture_on_commit_callbacks(execute=True):
        attempt = services.attempt_submit(attempt=attempt)

    assert attempt.passed and attempt.score == Decimal(100)
    enrolment.refresh_from_db()
    assert enrolment.is_complete
    certificate = Certificate.objects.get()
    assert certificate.valid_until == certificate.issued_on + relativedelta(months=36)
    assert certificate.pdf


def test_a_failed_quiz_does_not_complete_the_course(index, officer):
    page = course(index, questions=3, attempt_limit=0)
    enrolment = study(officer, page)
    attempt = fail_attempt(enrolment, page)
    assert attempt.passed is False and attempt.score == Decimal(0)
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACTIVE
    assert not Certificate.objects.exists()


# Drawing questions --------------------------------------------------------------


def test_attempt_draws_the_set_number_of_active_questions_at_random(index, officer):
    inactive = [single_question(n, is_active=False) for n in (7, 8)]
    page = course(
        index,
        lessons=0,
        questions=4,
        quiz_question_count=2,
        attempt_limit=0,
        extra_questions=inactive,
    )
    active = set(page.questions.filter(is_active=True).values_list("pk", flat=True))
    assert len(active) == 4
    enrolment = services.enrolment_create(user=officer, course=page)
    drawn = set()
    for _number in range(20):
        attempt = services.attempt_start(enrolment=enrolment, course=page)
        questions = [item.question_id for item in attempt.items.all()]
        assert len(questions) == 2
        assert set(questions) <= active
        assert attempt.points_possible == 2
        drawn.add(frozenset(questions))
        services.attempt_submit(attempt=attempt)
    # Six pairs are possible; twenty identical draws would be a 1 in 10^15 chance.
    assert len(drawn) > 1


def test_starting_again_returns_the_attempt_already_open(index, officer):
    page = course(index, questions=3)
    enrolment = study(officer, page)
    first = services.attempt_start(enrolment=enrolment, course=page)
    assert services.attempt_start(enrolment=enrolment, course=page).pk == first.pk
    assert QuizAttempt.objects.count() == 1


def test_attempt_keeps_its_questions_after_the_trainer_edits_the_bank(
    index, officer, client
):
    page = course(index, questions=4, quiz_question_count=3)
    enrolment = study(officer, page)
    attempt = services.attempt_start(enrolment=enrolment, course=page)
    items = {item.question_id: item for item in attempt.items.all()}
    edited_pk, deleted_pk, kept_pk = list(items)

    def snapshot():
        return [
            (item.position, item.text, item.options, item.key, item.feedback)
            for item in attempt.items.order_by("position")
        ]

    before = snapshot()

    draft = CoursePage.objects.get(pk=page.pk).get_latest_revision_as_object()
    questions = {question.pk: question for question in draft.questions.all()}
    edited = questions[edited_pk]
    edited.text = "Переписанный вопрос"
    edited.feedback = "Новый отзыв"
    edited.body = [
        ("option", {"text": "Новый верный", "correct": True, "feedback": ""}),
        ("option", {"text": "Новый неверный", "correct": False, "feedback": ""}),
    ]
    draft.questions = [q for pk, q in questions.items() if pk != deleted_pk]
    draft.save_revision().publish()

    assert QuizQuestion.objects.get(pk=edited_pk).text == "Переписанный вопрос"
    assert not QuizQuestion.objects.filter(pk=deleted_pk).exists()
    assert snapshot() == before
    assert set(attempt.items.values_list("question_id", flat=True)) == {
        edited_pk,
        None,
        kept_pk,
    }

    answer_each(attempt, right)
    attempt = services.attempt_submit(attempt=attempt)
    assert attempt.score == Decimal(100), "graded on the key as drawn"
    client.force_login(officer)
    response = client.get(reverse("courses:attempt_review", args=[attempt.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert items[edited_pk].text in content
    assert items[deleted_pk].text in content
    assert "Переписанный вопрос" not in content
    assert "Новый верный" not in content


def test_quiz_cannot_start_before_every_lesson_is_done(index, officer):
    page = course(index, lessons=3, questions=2)
    enrolment = services.enrolment_create(user=officer, course=page)
    for lesson in lessons_of(page)[:2]:
        services.lesson_complete(enrolment=enrolment, lesson=lesson)
    with pytest.raises(ValidationError) as caught:
        services.attempt_start(enrolment=enrolment, course=page)
    assert caught.value.messages == [
        ru("Finish every lesson before you take the quiz.")
    ]
    assert not QuizAttempt.objects.exists()


def test_attempts_stop_at_the_limit(index, officer):
    page = course(index, questions=2, attempt_limit=2)
    enrolment = study(officer, page)
    fail_attempt(enrolment, page)
    assert services.attempts_left(enrolment=enrolment, course=page) == 1
    fail_attempt(enrolment, page)
    assert services.attempts_left(enrolment=enrolment, course=page) == 0
    with pytest.raises(ValidationError) as caught:
        services.attempt_start(enrolment=enrolment, course=page)
    assert caught.value.messages == [
        ru("You have used every attempt this quiz allows.")
    ]
    assert QuizAttempt.objects.count() == 2


def test_a_passed_quiz_cannot_be_taken_again(index, officer):
    page = course(index, questions=2, attempt_limit=0)
    enrolment = study(officer, page)
    attempt = services.attempt_start(enrolment=enrolment, course=page)
    answer_each(attempt, right)
    services.attempt_submit(attempt=attempt)
    with pytest.raises(ValidationError):
        services.attempt_start(enrolment=enrolment, course=page)
    assert QuizAttempt.objects.count() == 1


# Saving answers -----------------------------------------------------------------


@pytest.fixture
def open_attempt(index, officer):
    page = course(index, questions=3)
    enrolment = study(officer, page)
    return services.attempt_start(enrolment=enrolment, course=page)


def test_the_same_save_arriving_twice_is_recorded_once(open_attempt):
    item = open_attempt.items.get(position=1)
    save = {"attempt": open_attempt, "position": 1, "data": {"option": right(item)}}
    with time_machine.travel(T0, tick=False) as clock:
        services.answer_save(**save, seq=1)
        clock.shift(datetime.timedelta(minutes=1))
        services.answer_save(**save, seq=1)
    item.refresh_from_db()
    assert item.response == {"option": right(item)}
    assert item.response_seq == 1
    assert item.answered_at == T0


def test_an_older_save_arriving_after_a_newer_one_changes_nothing(open_attempt):
    item = open_attempt.items.get(position=2)
    services.answer_save(
        attempt=open_attempt, position=2, data={"option": right(item)}, seq=2
    )
    late = services.answer_save(
        attempt=open_attempt, position=2, data={"option": wrong(item)}, seq=1
    )
    item.refresh_from_db()
    assert item.response == late.response == {"option": right(item)}
    assert item.response_seq == 2


@pytest.mark.parametrize(
    "data",
    [
        "other question's option",
        {"option": 3},
        {"option": ["x"]},
        {"options": "x"},
        {},
    ],
)
def test_an_answer_not_of_the_question_is_refused_and_the_saved_one_kept(
    open_attempt, data
):
    first, second = open_attempt.items.all()[:2]
    services.answer_save(
        attempt=open_attempt, position=1, data={"option": right(first)}, seq=1
    )
    if data == "other question's option":
        data = {"option": right(second)}
    with pytest.raises(ValidationError) as caught:
        services.answer_save(attempt=open_attempt, position=1, data=data, seq=2)
    assert caught.value.messages == [
        ru("This answer names an option that is not part of the question.")
    ]
    first.refresh_from_db()
    assert first.response == {"option": right(first)}
    assert first.response_seq == 1


def test_an_answer_to_a_question_not_in_the_attempt_is_refused(open_attempt):
    with pytest.raises(ValidationError) as caught:
        services.answer_save(
            attempt=open_attempt, position=99, data={"option": "x"}, seq=1
        )
    assert caught.value.messages == [ru("This question is not part of your attempt.")]


def test_a_submitted_attempt_takes_no_more_answers(open_attempt):
    item = open_attempt.items.get(position=1)
    services.attempt_submit(attempt=open_attempt)
    with pytest.raises(services.QuizClosed):
        services.answer_save(
            attempt=open_attempt, position=1, data={"option": right(item)}, seq=1
        )
    item.refresh_from_db()
    assert item.response is None


# Grading ------------------------------------------------------------------------


def multiple_question() -> QuizQuestion:
    def option(text, correct):
        return ("option", {"text": text, "correct": correct, "feedback": ""})

    return QuizQuestion(
        kind=QuestionKind.MULTIPLE,
        text="Какие обязанности суд может возложить?",
        points=2,
        body=[
            option("A", True),
            option("B", True),
            option("C", False),
            option("D", False),
        ],
    )


@pytest.mark.parametrize(
    ("chosen", "awarded"),
    [
        ("AB", "2.00"),
        ("A", "1.00"),
        ("ABC", "1.00"),
        ("AC", "0.00"),
        ("CD", "0.00"),
        ("ABCD", "0.00"),
        ("", "0.00"),
    ],
)
def test_multiple_choice_earns_partial_credit(index, officer, chosen, awarded):
    """Each right option earns its share; each wrong one takes a share back,
    never below nothing."""
    page = course(
        index, lessons=0, quiz_question_count=1, extra_questions=[multiple_question()]
    )
    enrolment = services.enrolment_create(user=officer, course=page)
    attempt = services.attempt_start(enrolment=enrolment, course=page)
    item = attempt.items.get()
    ids = option_ids_by_text(item)
    services.answer_save(
        attempt=attempt,
        position=1,
        data={"options": [ids[letter] for letter in chosen]},
        seq=1,
    )
    attempt = services.attempt_submit(attempt=attempt)
    item.refresh_from_db()
    assert item.awarded == Decimal(awarded)
    assert attempt.points_awarded == Decimal(awarded)
    assert attempt.score == Decimal(awarded) * 50


def matching_question() -> QuizQuestion:
    return QuizQuestion(
        kind=QuestionKind.MATCHING,
        text="Сопоставьте меру и срок.",
        points=3,
        body=[
            ("pair", {"prompt": "Постановка на учёт", "match": "10 дней"}),
            ("pair", {"prompt": "Первая беседа", "match": "3 дня"}),
            ("pair", {"prompt": "Отчёт суду", "match": "1 месяц"}),
        ],
    )


def test_matching_earns_a_share_for_each_right_pair(index, officer):
    page = course(
        index, lessons=0, quiz_question_count=1, extra_questions=[matching_question()]
    )
    enrolment = services.enrolment_create(user=officer, course=page)
    attempt = services.attempt_start(enrolment=enrolment, course=page)
    item = attempt.items.get()
    assert sorted(choice["text"] for choice in item.choices) == [
        "1 месяц",
        "10 дней",
        "3 дня",
    ]
    first, second, third = (option["id"] for option in item.options)
    matches = {
        first: item.key[first],
        second: item.key[third],  # swapped: both wrong
        third: item.key[second],
    }
    services.answer_save(attempt=attempt, position=1, data={"matches": matches}, seq=1)
    services.answer_save(
        attempt=attempt,
        position=1,
        data={"matches": {**matches, second: item.key[second], third: ""}},
        seq=2,
    )
    item.refresh_from_db()
    assert item.response == {
        "matches": {first: item.key[first], second: item.key[second]}
    }, "an emptied choice is dropped"
    services.attempt_submit(attempt=attempt)
    item.refresh_from_db()
    assert item.awarded == Decimal("2.00")


@pytest.mark.parametrize(
    "matches", [{"nope": ""}, {"first": "not a choice"}, {"first": ["a"]}, ["x"]]
)
def test_matching_answer_that_is_not_one_of_the_choices_is_refused(
    index, officer, matches
):
    page = course(
        index, lessons=0, quiz_question_count=1, extra_questions=[matching_question()]
    )
    enrolment = services.enrolment_create(user=officer, course=page)
    attempt = services.attempt_start(enrolment=enrolment, course=page)
    item = attempt.items.get()
    if isinstance(matches, dict) and "first" in matches:
        matches = {item.options[0]["id"]: matches["first"]}
    with pytest.raises(ValidationError):
        services.answer_save(
            attempt=attempt, position=1, data={"matches": matches}, seq=1
        )
    item.refresh_from_db()
    assert item.response is None


def test_a_save_after_the_time_limit_submits_the_answers_saved_before(index, officer):
    page = course(index, questions=2, time_limit_minutes=10)
    enrolment = study(officer, page)
    with time_machine.travel(T0, tick=False) as clock:
        attempt = services.attempt_start(enrolment=enrolment, course=page)
        assert attempt.deadline == T0 + datetime.timedelta(minutes=10)
        first, second = attempt.items.all()
        clock.shift(datetime.timedelta(minutes=5))
        services.answer_save(
            attempt=attempt, position=1, data={"option": right(first)}, seq=1
        )
        clock.shift(datetime.timedelta(minutes=6))
        with pytest.raises(services.QuizClosed) as caught:
            services.answer_save(
                attempt=attempt, position=2, data={"option": right(second)}, seq=1
            )
    assert caught.value.messages == [
        ru("The time for this attempt is over. Your saved answers were submitted.")
    ]
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.GRADED
    assert attempt.submitted_at == attempt.deadline
    assert attempt.points_awarded == Decimal(1)
    assert attempt.score == Decimal(50)
    second.refresh_from_db()
    assert second.response is None


def test_closing_expired_attempts_closes_only_those_out_of_time(index, make_user):
    timed = course(index, "timed", questions=1, time_limit_minutes=10)
    untimed = course(index, "untimed", questions=1)
    early, late, relaxed = (make_user(Role.OFFICER) for _ in range(3))
    with time_machine.travel(T0, tick=False) as clock:
        expiring = services.attempt_start(enrolment=study(early, timed), course=timed)
        services.answer_save(
            attempt=expiring,
            position=1,
            data={"option": right(expiring.items.get())},
            seq=1,
        )
        clock.shift(datetime.timedelta(minutes=5))
        running = services.attempt_start(enrolment=study(late, timed), course=timed)
        unlimited = services.attempt_start(
            enrolment=study(relaxed, untimed), course=untimed
        )
        clock.shift(datetime.timedelta(minutes=6))
        assert services.attempts_close_expired() == 1
        assert services.attempts_close_expired() == 0
    expiring.refresh_from_db()
    assert expiring.status == AttemptStatus.GRADED and expiring.passed
    assert expiring.enrolment.certificates.count() == 1
    for attempt in (running, unlimited):
        attempt.refresh_from_db()
        assert attempt.status == AttemptStatus.IN_PROGRESS


def test_submitting_twice_grades_once(index, officer):
    page = course(index, questions=2)
    enrolment = study(officer, page)
    with time_machine.travel(T0, tick=False) as clock:
        attempt = services.attempt_start(enrolment=enrolment, course=page)
        answer_each(attempt, right)
        services.attempt_submit(attempt=attempt)
        clock.shift(datetime.timedelta(hours=1))
        again = services.attempt_submit(attempt=attempt)
    assert again.submitted_at == T0
    assert again.score == Decimal(100) and again.passed
    assert Certificate.objects.count() == 1
    assert AuditEntry.objects.filter(action="courses.certificate_issued").count() == 1


# Written answers ----------------------------------------------------------------


def written_question(**fields) -> QuizQuestion:
    return QuizQuestion(
        kind=QuestionKind.SHORT,
        text="Опишите три шага ресоциализации.",
        feedback="Жильё, работа, социальные связи.",
        points=4,
        **fields,
    )


@pytest.fixture
def written_attempt(index, officer):
    """A submitted attempt: the choice question answered right (1 point), the
    written one (4 points) waiting for a trainer. The pass mark is 50%."""
    page = course(
        index,
        questions=1,
        quiz_question_count=2,
        pass_mark=50,
        extra_questions=[written_question()],
    )
    enrolment = study(officer, page)
    attempt = services.attempt_start(enrolment=enrolment, course=page)
    choice = attempt.items.get(kind=QuestionKind.SINGLE)
    written = attempt.items.get(kind=QuestionKind.SHORT)
    services.answer_save(
        attempt=attempt,
        position=choice.position,
        data={"option": right(choice)},
        seq=1,
    )
    services.answer_save(
        attempt=attempt,
        position=written.position,
        data={"text": "Жильё, работа, семья."},
        seq=1,
    )
    return services.attempt_submit(attempt=attempt)


def test_a_written_answer_waits_for_a_trainer(written_attempt):
    assert written_attempt.status == AttemptStatus.AWAITING_GRADING
    assert written_attempt.score is None
    assert written_attempt.passed is None
    assert written_attempt.submitted_at is not None
    assert AuditEntry.objects.filter(action="courses.attempt_submitted").count() == 1
    assert written_attempt.enrolment.status == EnrolmentStatus.ACTIVE


@pytest.mark.parametrize("points", ["-1", "4.01", "5"])
def test_grade_outside_the_question_points_is_refused(
    written_attempt, make_user, points
):
    trainer = make_user(Role.TRAINER)
    item = written_attempt.items.get(kind=QuestionKind.SHORT)
    with pytest.raises(ValidationError) as caught:
        services.written_answer_grade(
            item=item, points=Decimal(points), comment="", grader=trainer
        )
    assert caught.value.messages == [
        ru("Give between 0 and %(max)s points.") % {"max": 4}
    ]
    item.refresh_from_db()
    assert item.awarded is None and item.graded_at is None
    written_attempt.refresh_from_db()
    assert written_attempt.status == AttemptStatus.AWAITING_GRADING


def test_only_written_answers_are_graded_by_hand(written_attempt, make_user):
    trainer = make_user(Role.TRAINER)
    choice = written_attempt.items.get(kind=QuestionKind.SINGLE)
    with pytest.raises(ValidationError):
        services.written_answer_grade(
            item=choice, points=Decimal(0), comment="", grader=trainer
        )
    choice.refresh_from_db()
    assert choice.awarded == Decimal(1)


def test_a_written_answer_is_not_graded_before_submission(index, officer, make_user):
    page = course(
        index, lessons=0, quiz_question_count=1, extra_questions=[written_question()]
    )
    enrolment = services.enrolment_create(user=officer, course=page)
    attempt = services.attempt_start(enrolment=enrolment, course=page)
    with pytest.raises(ValidationError):
        services.written_answer_grade(
            item=attempt.items.get(),
            points=Decimal(1),
            comment="",
            grader=make_user(Role.TRAINER),
        )
    assert attempt.items.get().graded_at is None


def test_graded_written_answer_scores_the_attempt_and_tells_the_officer(
    written_attempt, officer, make_user
):
    trainer = make_user(Role.TRAINER)
    item = written_attempt.items.get(kind=QuestionKind.SHORT)
    services.written_answer_grade(
        item=item, points=Decimal("1.5"), comment="  Мало конкретики.  ", grader=trainer
    )
    item.refresh_from_db()
    assert item.awarded == Decimal("1.5")
    assert item.grader_comment == "Мало конкретики."
    assert item.graded_by == trainer and item.graded_at is not None
    written_attempt.refresh_from_db()
    assert written_attempt.status == AttemptStatus.GRADED
    assert written_attempt.points_awarded == Decimal("2.5")
    assert written_attempt.score == Decimal(50)
    assert written_attempt.passed is True, "50% meets a pass mark of 50%"

    entry = AuditEntry.objects.get(action="courses.answer_graded")
    assert entry.actor == trainer
    assert entry.object_id == str(written_attempt.pk)
    assert entry.data == {"position": item.position, "points": "1.5"}
    notice = Notification.objects.get(
        recipient=officer,
        url=reverse("courses:attempt_review", args=[written_attempt.pk]),
    )
    with translation.override(officer.preferred_language):
        assert notice.subject == gettext("Your quiz has been graded")
    assert Certificate.objects.filter(user=officer).count() == 1

    with pytest.raises(ValidationError) as caught:
        services.written_answer_grade(
            item=item, points=Decimal(4), comment="", grader=trainer
        )
    assert caught.value.messages == [ru("This answer has been graded already.")]
    item.refresh_from_db()
    assert item.awarded == Decimal("1.5")
    assert AuditEntry.objects.filter(action="courses.answer_graded").count() == 1


def test_low_grade_on_the_written_answer_fails_the_attempt(
    written_attempt, officer, make_user
):
    item = written_attempt.items.get(kind=QuestionKind.SHORT)
    services.written_answer_grade(
        item=item, points=Decimal(1), comment="", grader=make_user(Role.TRAINER)
    )
    written_attempt.refresh_from_db()
    assert written_attempt.status == AttemptStatus.GRADED
    assert written_attempt.score == Decimal(40)
    assert written_attempt.passed is False
    assert not Certificate.objects.exists()
    assert Notification.objects.filter(recipient=officer).count() == 1


def test_an_empty_written_answer_earns_nothing_without_a_trainer(index, officer):
    page = course(
        index, lessons=0, quiz_question_count=1, extra_questions=[written_question()]
    )
    enrolment = services.enrolment_create(user=officer, course=page)
    attempt = services.attempt_start(enrolment=enrolment, course=page)
    services.answer_save(attempt=attempt, position=1, data={"text": "   "}, seq=1)
    attempt = services.attempt_submit(attempt=attempt)
    assert attempt.status == AttemptStatus.GRADED
    assert attempt.score == Decimal(0) and attempt.passed is False


# Revoking certificates ----------------------------------------------------------


@pytest.fixture
def certificate(index, officer):
    study(officer, course(index, lessons=1))
    return Certificate.objects.get()


@pytest.mark.parametrize("reason", ["", "   \n"])
def test_revoking_needs_a_reason(certificate, administrator, reason):
    with pytest.raises(ValidationError) as caught:
        services.certificate_revoke(
            certificate=certificate, by=administrator, reason=reason
        )
    assert caught.value.messages == [ru("Say why the certificate is revoked.")]
    certificate.refresh_from_db()
    assert certificate.revoked_at is None
    assert certificate.state() == Certificate.State.VALID
    assert not AuditEntry.objects.filter(action="courses.certificate_revoked").exists()


def test_revoking_is_audited_and_the_holder_told(certificate, administrator, officer):
    services.certificate_revoke(
        certificate=certificate, by=administrator, reason=" Подложные документы "
    )
    certificate.refresh_from_db()
    assert certificate.state() == Certificate.State.REVOKED
    assert certificate.revoked_by == administrator
    assert certificate.revocation_reason == "Подложные документы"
    assert not Certificate.objects.valid().exists()
    entry = AuditEntry.objects.get(action="courses.certificate_revoked")
    assert entry.actor == administrator
    assert entry.object_id == str(certificate.pk)
    assert entry.data == {"reason": "Подложные документы"}
    assert Notification.objects.filter(
        recipient=officer, url=certificate.get_absolute_url()
    ).exists()

    revoked_at = certificate.revoked_at
    with pytest.raises(ValidationError) as caught:
        services.certificate_revoke(
            certificate=certificate, by=administrator, reason="Ещё раз"
        )
    assert caught.value.messages == [ru("This certificate has been revoked already.")]
    certificate.refresh_from_db()
    assert certificate.revoked_at == revoked_at
    assert certificate.revocation_reason == "Подложные документы"
    assert AuditEntry.objects.filter(action="courses.certificate_revoked").count() == 1


# Question bank import -----------------------------------------------------------


def import_sample(page, filename, user):
    return services.question_bank_import(
        course=page,
        filename=filename,
        data=(DATA / filename).read_bytes(),
        user=user,
    )


@pytest.fixture
def trainer(make_user):
    return make_user(Role.TRAINER)


def test_imported_questions_wait_in_a_draft_until_published(index, trainer):
    page = course(index, questions=1)
    revisions = page.revisions.count()
    report = import_sample(page, "bank.gift", trainer)

    assert [number for number, _question in report.imported] == list(range(1, 11))
    assert [refusal.number for refusal in report.refused] == list(range(11, 17))
    assert all(refusal.reason for refusal in report.refused)
    assert page.revisions.count() == revisions + 1
    assert report.revision == CoursePage.objects.get(pk=page.pk).latest_revision
    assert report.revision.user == trainer
    live = CoursePage.objects.get(pk=page.pk)
    assert live.questions.count() == 1, "not live until published"
    assert live.has_unpublished_changes

    report.revision.publish()
    questions = QuizQuestion.objects.filter(page=page)
    assert questions.count() == 11
    imported = questions.exclude(source="")
    assert set(imported.values_list("source", flat=True)) == {"bank.gift"}
    assert set(imported.values_list("kind", flat=True)) == {
        QuestionKind.SINGLE,
        QuestionKind.MULTIPLE,
        QuestionKind.TRUE_FALSE,
        QuestionKind.MATCHING,
        QuestionKind.SHORT,
    }
    true_false = imported.get(text__startswith="Служба пробации уведомляет")
    assert [option["text"] for option in true_false.options] == [
        ru("True"),
        ru("False"),
    ], "true/false options are labelled in the course's language"
    entry = AuditEntry.objects.get(action="courses.questions_imported")
    assert entry.actor == trainer
    assert entry.data == {"file": "bank.gift", "imported": 10, "refused": 6}


def test_a_question_already_in_the_bank_is_refused_with_a_reason(index, trainer):
    page = course(index, questions=0)
    import_sample(page, "bank.gift", trainer)
    revisions = page.revisions.count()

    report = import_sample(page, "bank.gift", trainer)
    assert report.imported == []
    assert report.revision is None
    assert page.revisions.count() == revisions
    duplicate = ru("The bank has this question already.")
    assert [r.number for r in report.refused if r.reason == duplicate] == list(
        range(1, 11)
    )


def test_a_question_the_bank_refuses_is_reported_and_the_rest_imported(index, trainer):
    """bank.xml holds a single-choice question with two full-mark answers: the
    parser keeps it, the bank's own rules refuse it."""
    page = course(index)
    report = import_sample(page, "bank.xml", trainer)
    assert len(report.imported) == 7
    refused = {refusal.name: refusal.reason for refusal in report.refused}
    assert refused["Два верных ответа"] == ru(
        "Give at least two options and mark exactly one correct."
    )


def test_a_broken_file_is_refused_whole_and_adds_nothing(index, trainer):
    page = course(index, questions=2)
    revisions = page.revisions.count()
    with pytest.raises(ImportFileError):
        import_sample(page, "broken.xml", trainer)
    assert page.revisions.count() == revisions
    draft = CoursePage.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert draft.questions.count() == 2
    assert QuizQuestion.objects.filter(page=page).count() == 2
    assert not AuditEntry.objects.filter(action="courses.questions_imported").exists()
