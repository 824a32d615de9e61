"""The catalogue, course, lesson and "My learning" pages run a fixed number of SQL
queries whatever the number of courses, lessons, enrolments and attempts: the
same count at 10 and at 200 courses."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses import services
from courses.models import (
    AttemptStatus,
    Certificate,
    CoursePage,
    LessonPage,
    PathStep,
    QuizAttempt,
    Reflection,
    Topic,
)
from lms.roles import Role
from tests.courses.factories import catalogue, course, lessons_of
from tests.lms.factories import CompetencyFactory, current_framework

pytestmark = pytest.mark.django_db


def count_queries(client, url) -> int:
    """Queries of one request, once per-site caches (root paths) are warm."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def bare_courses(index, first: int, last: int, topic, competency, lessons: int = 1):
    """Published courses with lessons, without revisions, to keep the test fast."""
    pages = []
    for number in range(first, last):
        page = CoursePage(
            title=f"Course {number}",
            slug=f"course-{number}",
            locale=index.locale,
            summary="Summary",
            duration_hours=Decimal(number % 20 + 1),
        )
        index.add_child(instance=page)
        page.topics.add(topic)
        page.competencies.add(competency)
        page.save()
        for lesson_number in range(lessons):
            page.add_child(
                instance=LessonPage(
                    title=f"Lesson {lesson_number}",
                    slug=f"lesson-{lesson_number}",
                    locale=index.locale,
                    body=[("text", "<p>Text</p>")],
                )
            )
        pages.append(page)
    return pages


def learn(user, pages):
    """Enrol in each course, finish a lesson, and leave a certificate."""
    for page in pages:
        enrolment = services.enrolment_create(user=user, course=page)
        lesson = LessonPage.objects.child_of(page).first()
        services.lesson_complete(enrolment=enrolment, lesson=lesson)
        enrolment.attempts.create(
            course=page,
            number=1,
            language="ru",
            pass_mark=70,
            status=AttemptStatus.GRADED,
            passed=False,
        )


def reflect(user, pages):
    Reflection.objects.bulk_create(
        Reflection(
            user=user,
            lesson_key=LessonPage.objects.child_of(page).first().translation_key,
            block_id=f"block-{page.pk}",
            prompt="What did you notice?",
            text="Я слишком часто перебивал.",
        )
        for page in pages
    )


@pytest.fixture
def world(db):
    version = current_framework(competencies=1)
    competency = CompetencyFactory(version=version)
    topic = Topic.objects.create(
        code="communication", name_kk="Қарым", name_ru="Общение", name_en="Comm"
    )
    return catalogue(), topic, competency


def test_catalogue_queries_are_the_same_at_10_and_200_courses(client, make_user, world):
    index, topic, competency = world
    officer = make_user(Role.OFFICER)
    pages = bare_courses(index, 0, 10, topic, competency)
    index.path_steps = [
        PathStep(course=page, sort_order=n) for n, page in enumerate(pages[:3])
    ]
    index.save()
    learn(officer, pages[:5])
    client.force_login(officer)
    urls = [
        index.url,
        f"{index.url}?topic=communication&format=online&length=medium",
        f"{index.url}?language=ru&competency={competency.key}&page=2",
        f"{index.url}?q=Course",
    ]
    small = [count_queries(client, url) for url in urls]
    more = bare_courses(index, 10, 200, topic, competency)
    index.path_steps = [
        PathStep(course=page, sort_order=n) for n, page in enumerate(more[:30])
    ]
    index.save()
    learn(officer, more[:100])
    assert [count_queries(client, url) for url in urls] == small


def test_course_and_lesson_pages_do_not_grow_with_lessons_and_attempts(
    client, make_user, world
):
    index, topic, competency = world
    officer = make_user(Role.OFFICER)
    prerequisite = course(index, "prerequisite", lessons=1)
    few = course(index, "few", lessons=2)
    many = course(index, "many", lessons=40)
    for page in (few, many):
        page.prerequisites.add(prerequisite)
        page.save_revision().publish()
    services.lesson_complete(
        enrolment=services.enrolment_create(user=officer, course=prerequisite),
        lesson=lessons_of(prerequisite)[0],
    )
    for page, attempts in ((few, 1), (many, 30)):
        enrolment = services.enrolment_create(user=officer, course=page)
        for lesson in lessons_of(page)[:-1]:
            services.lesson_complete(enrolment=enrolment, lesson=lesson)
        QuizAttempt.objects.bulk_create(
            QuizAttempt(
                enrolment=enrolment,
                course=page,
                number=n,
                language="ru",
                pass_mark=70,
                status=AttemptStatus.GRADED,
                passed=False,
            )
            for n in range(1, attempts + 1)
        )
    client.force_login(officer)
    assert count_queries(client, many.url) == count_queries(client, few.url)
    assert count_queries(client, lessons_of(many)[20].url) == count_queries(
        client, lessons_of(few)[1].url
    )


def test_my_learning_queries_are_the_same_at_10_and_200_courses(
    client, make_user, world
):
    index, topic, competency = world
    officer = make_user(Role.OFFICER)
    pages = bare_courses(index, 0, 10, topic, competency, lessons=2)
    learn(officer, pages)
    reflect(officer, pages[:1])
    client.force_login(officer)
    small = count_queries(client, "/ru/learning/")
    more = bare_courses(index, 10, 200, topic, competency, lessons=2)
    learn(officer, more)
    enrolments = officer.enrolments.all()[:50]
    Certificate.objects.bulk_create(
        Certificate(
            enrolment=enrolment,
            user=officer,
            full_name="Әйгерім Сейітқали",
            course_key=enrolment.course_key,
            course_title=enrolment.course_title,
            cpd_hours=Decimal(4),
            language="ru",
            code=f"UZ-{n:04d}-TEST",
        )
        for n, enrolment in enumerate(enrolments)
    )
    reflect(officer, more[:40])
    assert officer.enrolments.count() == 200
    assert count_queries(client, "/ru/learning/") == small
