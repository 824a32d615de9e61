"""Demo courses for `make run`: the catalogue in three languages, the courses the
experts named with real curricula (content/*.json), their question banks, the
induction path, and some progress for the demo officers.

Running it again changes nothing that is already there.
"""

import json
import uuid
from decimal import Decimal
from pathlib import Path

from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission, Locale

from courses import services
from courses.models import (
    CourseIndexPage,
    CoursePage,
    LessonPage,
    PathStep,
    QuizQuestion,
    Topic,
)
from lms.models import Competency, HomePage, User
from lms.roles import Role

CONTENT = Path(__file__).parent / "content"
ID_NAMESPACE = uuid.UUID("5b0e1c2a-3f7d-4e59-9a51-6d0c2c8f1a11")

TOPICS = {
    "probation-practice": (
        "Пробация тәжірибесі",
        "Практика пробации",
        "Probation practice",
    ),
    "communication": ("Қарым-қатынас", "Общение", "Communication"),
    "mental-health": ("Психикалық денсаулық", "Психическое здоровье", "Mental health"),
    "behaviour-change": (
        "Мінез-құлықты өзгерту",
        "Изменение поведения",
        "Behaviour change",
    ),
    "risk-assessment": ("Тәуекелді бағалау", "Оценка рисков", "Risk assessment"),
    "victims-and-safety": (
        "Жәбірленушілер және қауіпсіздік",
        "Потерпевшие и безопасность",
        "Victims and safety",
    ),
    "substance-use": (
        "Психобелсенді заттарды қолдану",
        "Употребление психоактивных веществ",
        "Substance use",
    ),
    "law-and-standards": (
        "Құқық және стандарттар",
        "Право и стандарты",
        "Law and standards",
    ),
}

CATALOGUE = {
    "kk": {
        "title": "Курстар",
        "intro": "<p>Пробация қызметкерлеріне арналған курстар: бастапқы оқу мен біліктілікті арттыру.</p>",
        "path_title": "Пробацияның жаңа қызметкерлеріне арналған бастапқы оқу",
        "path_intro": "Жұмыстың алғашқы айларында курстарды осы ретпен өтіңіз.",
    },
    "ru": {
        "title": "Курсы",
        "intro": "<p>Курсы для сотрудников пробации: начальное обучение и поддержание квалификации на протяжении всей карьеры.</p>",
        "path_title": "Введение в профессию для новых сотрудников пробации",
        "path_intro": "В первые месяцы работы проходите курсы в этом порядке.",
    },
    "en": {
        "title": "Courses",
        "intro": "<p>Courses for probation officers: initial training, and maintenance training throughout the career.</p>",
        "path_title": "Induction for new probation officers",
        "path_intro": "In your first months, take the courses in this order.",
    },
}
INDUCTION_PATH = [
    "introduction-to-probation",
    "communication-skills",
    "motivational-interviewing",
    "psychopathology",
    "risk-needs-assessment",
    "european-probation-rules",
]
TRAINER_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page"]


def load_courses() -> list[dict]:
    return [
        json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(CONTENT.glob("*.json"))
    ]


def _block_id(*parts) -> str:
    """The same block id in every language, so an officer's reflection follows
    them from one language of a lesson to another."""
    return str(uuid.uuid5(ID_NAMESPACE, "/".join(str(part) for part in parts)))


def lesson_body(course_slug: str, lesson: dict) -> list[dict]:
    body = []
    for index, block in enumerate(lesson["blocks"]):
        kind = block["type"]
        if kind == "text":
            value = block["html"]
        elif kind in ("callout", "vignette"):
            value = {"title": block["title"], "text": block["text"]}
        elif kind == "reflection":
            value = {"prompt": block["prompt"], "guidance": block.get("guidance", "")}
        else:
            value = {
                "question": block["question"],
                "options": [
                    {
                        "type": "item",
                        "value": {
                            "text": o["text"],
                            "correct": o["correct"],
                            "feedback": o["feedback"],
                        },
                        "id": _block_id(course_slug, lesson["slug"], index, n),
                    }
                    for n, o in enumerate(block["options"])
                ],
            }
        body.append(
            {
                "type": kind,
                "value": value,
                "id": _block_id(course_slug, lesson["slug"], index),
            }
        )
    return body


def question_body(course_slug: str, number: int, question: dict) -> list[dict]:
    options = [
        {
            "type": "option",
            "value": {
                "text": o["text"],
                "correct": o["correct"],
                "feedback": o.get("feedback", ""),
            },
            "id": _block_id(course_slug, "q", number, n),
        }
        for n, o in enumerate(question.get("options", []))
    ]
    pairs = [
        {
            "type": "pair",
            "value": {"prompt": p["prompt"], "match": p["match"]},
            "id": _block_id(course_slug, "q", number, "p", n),
        }
        for n, p in enumerate(question.get("pairs", []))
    ]
    return options + pairs


def course_fields(data: dict, content: dict) -> dict:
    quiz = data.get("quiz") or {}
    return {
        "title": content["title"],
        "summary": content["summary"],
        "audience": content["audience"],
        "search_description": content["summary"][:255],
        "outcomes": [("outcome", outcome) for outcome in content["outcomes"]],
        "format": data["format"],
        "duration_hours": Decimal(str(data["duration_hours"])),
        "cpd_hours": Decimal(str(data["cpd_hours"])),
        "certificate_validity_months": data["certificate_validity_months"],
        "quiz_question_count": quiz.get("question_count", 0),
        "pass_mark": quiz.get("pass_mark", 70),
        "attempt_limit": quiz.get("attempt_limit", 3),
        "time_limit_minutes": quiz.get("time_limit_minutes"),
    }


def _fill_questions(page: CoursePage, data: dict, content: dict) -> None:
    existing = list(page.questions.all())
    added = []
    for number, question in enumerate(content["questions"]):
        values = {
            "kind": question["kind"],
            "text": question["text"],
            "feedback": question.get("feedback", ""),
            "body": question_body(data["slug"], number, question),
            "sort_order": number,
        }
        if number < len(existing):
            for field, value in values.items():
                setattr(existing[number], field, value)
        else:
            added.append(QuizQuestion(locale=page.locale, **values))
    # Assigning a list keeps the edits in memory, so the revision carries them.
    page.questions = existing + added


def _catalogue(language: str, source: CourseIndexPage | None) -> CourseIndexPage:
    locale, _created = Locale.objects.get_or_create(language_code=language)
    catalogue = CourseIndexPage.objects.filter(locale=locale).first()
    if catalogue is not None:
        return catalogue
    fields = CATALOGUE[language]
    if source is None:
        home = HomePage.objects.get(locale=locale)
        catalogue = CourseIndexPage(slug="courses", locale=locale, **fields)
        home.add_child(instance=catalogue)
    else:
        catalogue = source.copy_for_translation(locale)
        for field, value in fields.items():
            setattr(catalogue, field, value)
    catalogue.save_revision().publish()
    return catalogue


def _publish(page) -> None:
    page.save_revision().publish()


def seed(stdout) -> None:
    for code, (kk, ru, en) in TOPICS.items():
        Topic.objects.get_or_create(
            code=code, defaults={"name_kk": kk, "name_ru": ru, "name_en": en}
        )
    source = _catalogue("ru", None)
    catalogues = {"ru": source}
    for language in ("kk", "en"):
        catalogues[language] = _catalogue(language, source)
    _grant_trainers(catalogues.values())

    courses = load_courses()
    created = 0
    for data in courses:
        if _seed_course(data, catalogues):
            created += 1
    _link_courses(courses, catalogues)
    _seed_path(catalogues)
    _seed_progress()
    stdout.write(f"Demo courses: {len(courses)} ({created} new).")


def _seed_course(data: dict, catalogues: dict) -> bool:
    source_catalogue = catalogues["ru"]
    if CoursePage.objects.child_of(source_catalogue).filter(slug=data["slug"]).exists():
        return False
    content = data["translations"]["ru"]
    course = CoursePage(
        slug=data["slug"],
        locale=source_catalogue.locale,
        **course_fields(data, content),
    )
    _fill_questions(course, data, content)
    source_catalogue.add_child(instance=course)
    _publish(course)
    lessons = []
    for lesson_data in content["lessons"]:
        lesson = LessonPage(
            slug=lesson_data["slug"],
            title=lesson_data["title"],
            minutes=lesson_data["minutes"],
            body=lesson_body(data["slug"], lesson_data),
        )
        course.add_child(instance=lesson)
        _publish(lesson)
        lessons.append(lesson)
    for language, content in data["translations"].items():
        if language == "ru":
            continue
        locale = Locale.objects.get(language_code=language)
        translation = course.copy_for_translation(locale)
        for field, value in course_fields(data, content).items():
            setattr(translation, field, value)
        _fill_questions(translation, data, content)
        _publish(translation)
        for lesson, lesson_data in zip(lessons, content["lessons"], strict=True):
            lesson_translation = lesson.copy_for_translation(locale)
            lesson_translation.title = lesson_data["title"]
            lesson_translation.body = lesson_body(data["slug"], lesson_data)
            _publish(lesson_translation)
    return True


def _link_courses(courses: list[dict], catalogues: dict) -> None:
    """Topics, competencies and prerequisites, once every course exists."""
    competencies = {c.key: c for c in Competency.objects.current()}
    topics = {topic.code: topic for topic in Topic.objects.all()}
    source = {p.slug: p for p in CoursePage.objects.child_of(catalogues["ru"])}
    for catalogue in catalogues.values():
        # A course not translated yet is still required, in its Russian original.
        pages = {
            **source,
            **{page.slug: page for page in CoursePage.objects.child_of(catalogue)},
        }
        for data in courses:
            page = pages.get(data["slug"])
            if page is None or page.locale_id != catalogue.locale_id:
                continue
            if page.topics.exists():
                continue
            page.topics.set([topics[code] for code in data["topics"]])
            page.competencies.set(
                [competencies[k] for k in data["competencies"] if k in competencies]
            )
            page.prerequisites.set(
                [pages[slug] for slug in data["prerequisites"] if slug in pages]
            )
            _publish(page)


def _seed_path(catalogues: dict) -> None:
    for catalogue in catalogues.values():
        # Publishing writes the tree fields of the object in hand: take fresh
        # ones, now that the courses are its children.
        catalogue.refresh_from_db()
        if catalogue.path_steps.exists():
            continue
        pages = {page.slug: page for page in CoursePage.objects.child_of(catalogue)}
        catalogue.path_steps = [
            PathStep(course=pages[slug], sort_order=order)
            for order, slug in enumerate(INDUCTION_PATH)
            if slug in pages
        ]
        _publish(catalogue)


def _grant_trainers(catalogues) -> None:
    group = Group.objects.get(name=Role.TRAINER)
    permissions = Permission.objects.filter(
        content_type__app_label="wagtailcore", codename__in=TRAINER_PAGE_PERMISSIONS
    )
    for catalogue in catalogues:
        for permission in permissions:
            GroupPagePermission.objects.get_or_create(
                group=group, page=catalogue, permission=permission
            )


def _seed_progress() -> None:
    """The Astana demo officer has completed the introduction and is halfway
    through motivational interviewing, so that "My learning" has something to
    show."""
    officer = User.objects.filter(username="officer.astana").first()
    ru = Locale.objects.get(language_code="ru")
    pages = {page.slug: page for page in CoursePage.objects.live().filter(locale=ru)}
    if officer is None or officer.enrolments.exists() or not pages:
        return
    intro = pages.get("introduction-to-probation")
    if intro is not None:
        enrolment = services.enrolment_create(user=officer, course=intro)
        for lesson in services.course_lessons(intro):
            services.lesson_complete(enrolment=enrolment, lesson=lesson)
    mi = pages.get("motivational-interviewing")
    if mi is not None:
        enrolment = services.enrolment_create(user=officer, course=mi)
        lessons = list(services.course_lessons(mi))
        for lesson in lessons[:2]:
            services.lesson_complete(enrolment=enrolment, lesson=lesson)
            services.lesson_visit(enrolment=enrolment, lesson=lesson)
