"""Small course data for tests: a catalogue, courses with lessons and a question
bank, built through the same page tree Wagtail uses."""

from decimal import Decimal

from wagtail.models import Locale

from courses.models import (
    CourseIndexPage,
    CoursePage,
    LessonPage,
    QuestionKind,
    QuizQuestion,
)
from tests.lms.factories import home_page


def catalogue(home=None, **fields) -> CourseIndexPage:
    home = home or home_page()
    index = CourseIndexPage(
        title=fields.pop("title", "Курсы"),
        slug="courses",
        locale=home.locale,
        **fields,
    )
    home.add_child(instance=index)
    index.save_revision().publish()
    return index


def _option(text, correct=False, feedback=""):
    return ("option", {"text": text, "correct": correct, "feedback": feedback})


def single_question(number: int, **fields) -> QuizQuestion:
    return QuizQuestion(
        kind=QuestionKind.SINGLE,
        text=fields.pop("text", f"Question {number}: which answer is right?"),
        feedback=fields.pop("feedback", f"General feedback {number}"),
        body=[
            _option(f"Right {number}", True, f"Yes, right {number}"),
            _option(f"Wrong {number}", False, f"No, wrong {number}"),
            _option(f"Also wrong {number}", False, f"No, also wrong {number}"),
        ],
        **fields,
    )


def course(
    index: CourseIndexPage,
    slug: str = "motivational-interviewing",
    *,
    lessons: int = 3,
    questions: int = 0,
    quiz_question_count: int | None = None,
    extra_questions=(),
    **fields,
) -> CoursePage:
    """A published course with `lessons` published lessons and a bank of
    `questions` single-choice questions (plus `extra_questions`)."""
    page = CoursePage(
        title=fields.pop("title", slug.replace("-", " ").title()),
        slug=slug,
        locale=index.locale,
        summary=fields.pop("summary", "What the course teaches."),
        duration_hours=fields.pop("duration_hours", Decimal(8)),
        cpd_hours=fields.pop("cpd_hours", Decimal(8)),
        quiz_question_count=(
            quiz_question_count if quiz_question_count is not None else questions
        ),
        **fields,
    )
    bank = [single_question(n) for n in range(1, questions + 1)]
    bank += list(extra_questions)
    for question in bank:
        question.locale = index.locale
    page.questions = bank
    index.add_child(instance=page)
    page.save_revision().publish()
    for number in range(1, lessons + 1):
        lesson = LessonPage(
            title=f"Lesson {number}",
            slug=f"lesson-{number}",
            locale=index.locale,
            minutes=20,
            body=[
                ("text", f"<p>Text of lesson {number}</p>"),
                ("reflection", {"prompt": "What did you notice?", "guidance": ""}),
                (
                    "check",
                    {
                        "question": "Which is right?",
                        "options": [
                            {"text": "This", "correct": True, "feedback": "Yes."},
                            {"text": "That", "correct": False, "feedback": "No."},
                        ],
                    },
                ),
            ],
        )
        page.add_child(instance=lesson)
        lesson.save_revision().publish()
    return page


def lessons_of(page: CoursePage) -> list[LessonPage]:
    return list(LessonPage.objects.live().child_of(page).order_by("path"))


def translate(page, language: str, **fields):
    """A published translation of `page` (its parent must be translated)."""
    locale, _created = Locale.objects.get_or_create(language_code=language)
    translation = page.copy_for_translation(locale)
    for field, value in fields.items():
        setattr(translation, field, value)
    translation.save_revision().publish()
    return translation
