"""Reads behind the catalogue, course, lesson and "My learning" pages. Each runs
a fixed number of queries, whatever the number of courses, lessons, enrolments
and attempts."""

from collections import defaultdict
from datetime import timedelta
from importlib import import_module

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models.functions import Substr
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page

from courses.filters import CourseFilter
from courses.models import (
    Assignment,
    AttemptStatus,
    Certificate,
    CoursePage,
    Enrolment,
    EnrolmentStatus,
    LessonPage,
    LessonProgress,
    QuizAttempt,
    Reflection,
)
from courses.services import attempts_left, course_lessons, lesson_visit

CATALOGUE_PAGE_SIZE = 12
EXPIRY_WARNING = timedelta(days=90)
REFLECTIONS_SHOWN = 20

TRAINING_PARTS = ("paths", "assignments", "sessions", "compliance")


def languages_by_key(keys) -> dict:
    """The languages each course (by translation key) is published in."""
    languages = defaultdict(list)
    rows = (
        Page.objects.live()
        .filter(translation_key__in=keys)
        .values_list("translation_key", "locale__language_code")
        .order_by("locale__language_code")
    )
    for key, code in rows:
        languages[key].append(code)
    return languages


def localized(model, keys, locale: Locale | None = None) -> dict:
    """Pages of `model` in the active language, by translation key."""
    locale = locale or Locale.get_active()
    pages = model.objects.live().filter(translation_key__in=keys, locale=locale)
    return {page.translation_key: page for page in pages}


def enrolments_by_key(user, keys) -> dict:
    if not user.is_authenticated:
        return {}
    return {
        enrolment.course_key: enrolment
        for enrolment in Enrolment.objects.filter(user=user, course_key__in=keys)
    }


def catalogue_context(catalogue, request) -> dict:
    courses = CoursePage.objects.in_catalogue().child_of(catalogue).order_by("path")
    filterset = CourseFilter(request.GET or None, queryset=courses, request=request)
    found = filterset.qs if filterset.is_bound and filterset.is_valid() else courses
    page_obj = Paginator(found, CATALOGUE_PAGE_SIZE).get_page(request.GET.get("page"))
    listed = list(page_obj.object_list)
    keys = [course.translation_key for course in listed]
    path = [step.course for step in catalogue.path_steps.select_related("course")]
    path_pages = localized(CoursePage, [page.translation_key for page in path])
    enrolled = enrolments_by_key(request.user, keys + list(path_pages))
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "filterset": filterset,
        "page_obj": page_obj,
        "courses": listed,
        "languages": languages_by_key(keys),
        "enrolments": enrolled,
        "path": [path_pages.get(p.translation_key, p) for p in path],
        "filtered": bool(request.GET.get("q") or len(query) > 0),
        "querystring": query.urlencode(),
    }


def course_context(course: CoursePage, request) -> dict:
    from courses.services import missing_prerequisites

    user = request.user
    lessons = list(course_lessons(course))
    enrolment = enrolments_by_key(user, [course.translation_key]).get(
        course.translation_key
    )
    done = set()
    attempts, certificate, left = [], None, None
    if enrolment is not None:
        done = set(enrolment.lessons_done.values_list("lesson_key", flat=True))
        attempts = list(enrolment.attempts.all())
        certificate = enrolment.certificates.order_by("-pk").first()
        left = attempts_left(enrolment=enrolment, course=course)
    prerequisites = list(course.prerequisites.all())
    missing = (
        {p.translation_key for p in missing_prerequisites(user=user, course=course)}
        if user.is_authenticated and prerequisites
        else set()
    )
    shown = localized(CoursePage, [p.translation_key for p in prerequisites])
    resume = _resume_lesson(lessons, done, enrolment)
    # Editors read the lessons without enrolling, to check their work.
    can_preview = (
        enrolment is None
        and user.is_authenticated
        and user.has_perm("wagtailadmin.access_admin")
        and course.permissions_for_user(user).can_edit()
    )
    open_attempt = next((a for a in attempts if a.is_open), None)
    return {
        "course": course,
        "lessons": lessons,
        "done": done,
        "enrolment": enrolment,
        "resume": resume,
        "prerequisites": [
            (shown.get(p.translation_key, p), p.translation_key in missing)
            for p in prerequisites
        ],
        "missing_prerequisites": bool(missing),
        "languages": languages_by_key([course.translation_key])[course.translation_key],
        "attempts": attempts,
        "open_attempt": open_attempt,
        "attempts_left": left,
        "passed": any(a.passed for a in attempts),
        "lessons_complete": bool(lessons)
        and all(lesson.translation_key in done for lesson in lessons),
        "certificate": certificate,
        "has_assignments": Assignment.objects.filter(
            course__translation_key=course.translation_key
        ).exists(),
        "can_preview": can_preview,
    }


def _resume_lesson(lessons, done, enrolment):
    if not lessons or enrolment is None:
        return lessons[0] if lessons else None
    last = next(
        (
            i
            for i, lesson in enumerate(lessons)
            if lesson.translation_key == enrolment.last_lesson_key
        ),
        None,
    )
    if last is not None and lessons[last].translation_key not in done:
        return lessons[last]
    start = last or 0
    for lesson in lessons[start:] + lessons[:start]:
        if lesson.translation_key not in done:
            return lesson
    return None


def lesson_gate(lesson: LessonPage, request):
    """Officers read a lesson once enrolled; editors of the course may preview it."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    course = lesson.get_parent().specific
    request._ustaz_course = course
    enrolment = enrolments_by_key(user, [course.translation_key]).get(
        course.translation_key
    )
    if enrolment is not None and enrolment.status != EnrolmentStatus.WITHDRAWN:
        request._ustaz_enrolment = enrolment
        return None
    if course.permissions_for_user(user).can_edit():
        request._ustaz_enrolment = None
        return None
    messages.warning(request, _("Enrol in this course to open its lessons."))
    return redirect(course.get_url(request))


def lesson_context(lesson: LessonPage, request) -> dict:
    course = request._ustaz_course
    enrolment = request._ustaz_enrolment
    lessons = list(course_lessons(course))
    done = set()
    reflections = {}
    if enrolment is not None:
        done = set(enrolment.lessons_done.values_list("lesson_key", flat=True))
        lesson_visit(enrolment=enrolment, lesson=lesson)
        reflections = dict(
            Reflection.objects.filter(
                user=request.user, lesson_key=lesson.translation_key
            ).values_list("block_id", "text")
        )
    index = next((i for i, item in enumerate(lessons) if item.pk == lesson.pk), 0)
    return {
        "course": course,
        "lessons": lessons,
        "done": done,
        "enrolment": enrolment,
        "position": index + 1,
        "previous_lesson": lessons[index - 1] if index > 0 else None,
        "next_lesson": lessons[index + 1] if index + 1 < len(lessons) else None,
        "is_done": lesson.translation_key in done,
        "reflections": reflections,
        "check_feedback": _check_feedback(lesson, request),
    }


def _check_feedback(lesson: LessonPage, request) -> dict:
    """Feedback on a knowledge check answered without JavaScript."""
    block_id, choice = request.GET.get("check", ""), request.GET.get("choice", "")
    option = lesson.check_option(block_id, choice)
    if option is None:
        return {}
    return {
        block_id: {
            "choice": int(choice),
            "correct": option["correct"],
            "feedback": option["feedback"],
        }
    }


def my_learning_context(user) -> dict:
    """Courses in progress and completed, certificates, and what is due."""
    enrolments = list(Enrolment.objects.current().filter(user=user))
    keys = [enrolment.course_key for enrolment in enrolments]
    courses = localized(CoursePage, keys)
    originals = {
        page.translation_key: page
        for page in CoursePage.objects.filter(
            pk__in=[e.course_id for e in enrolments if e.course_id]
        )
    }
    shown = {key: courses.get(key) or originals.get(key) for key in keys}
    pages = [page for page in shown.values() if page]
    # Courses all sit directly under a catalogue, so at one depth of the tree.
    depth = pages[0].depth if pages else 0
    lesson_rows = (
        LessonPage.objects.live()
        .filter(depth=depth + 1)
        .annotate(parent_path=Substr("path", 1, Page.steplen * depth))
        .filter(parent_path__in=[page.path for page in pages])
        .order_by("path")
    )
    lessons = defaultdict(list)
    for lesson in lesson_rows:
        lessons[lesson.parent_path].append(lesson)
    done = defaultdict(set)
    for enrolment_id, key in LessonProgress.objects.filter(
        enrolment__in=enrolments
    ).values_list("enrolment_id", "lesson_key"):
        done[enrolment_id].add(key)
    waiting = set(
        QuizAttempt.objects.filter(
            enrolment__in=enrolments, status=AttemptStatus.AWAITING_GRADING
        ).values_list("enrolment_id", flat=True)
    )
    in_progress, completed = [], []
    for enrolment in enrolments:
        page = shown.get(enrolment.course_key)
        course_lessons_ = lessons.get(page.path, []) if page else []
        finished = sum(
            1
            for lesson in course_lessons_
            if lesson.translation_key in done[enrolment.pk]
        )
        row = {
            "enrolment": enrolment,
            "course": page,
            "lessons": len(course_lessons_),
            "done": finished,
            "percent": round(100 * finished / len(course_lessons_))
            if course_lessons_
            else 0,
            "resume": _resume_lesson(course_lessons_, done[enrolment.pk], enrolment),
            "waiting_for_grading": enrolment.pk in waiting,
        }
        (completed if enrolment.is_complete else in_progress).append(row)
    today = timezone.localdate()
    certificates = list(Certificate.objects.filter(user=user))
    due = [
        certificate
        for certificate in certificates
        if certificate.revoked_at is None
        and certificate.valid_until
        and certificate.valid_until <= today + EXPIRY_WARNING
    ]
    reflections = list(
        Reflection.objects.filter(user=user).order_by("-updated_at")[:REFLECTIONS_SHOWN]
    )
    reflection_lessons = localized(LessonPage, {r.lesson_key for r in reflections})
    return {
        "in_progress": in_progress,
        "completed": completed,
        "certificates": certificates,
        "due": due,
        "today": today,
        "reflections": [
            (reflection, reflection_lessons.get(reflection.lesson_key))
            for reflection in reflections
        ],
        # What the parts of training management add: paths, assignments,
        # sessions, mandatory training.
        "training": {
            part: import_module(f"courses.training.{part}.selectors").my_learning(user)
            for part in TRAINING_PARTS
        },
    }
