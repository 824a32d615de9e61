"""Officers' actions on courses (enrol, study, take quizzes, get certificates),
trainers' grading, and the public certificate check. Each view says who may use
it; the course, catalogue and lesson pages themselves are Wagtail pages."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from wagtail.models import Locale

from courses import services
from courses.forms import GradeForm, ReflectionForm, VerifyForm
from courses.models import (
    AttemptQuestion,
    AttemptStatus,
    Certificate,
    CourseIndexPage,
    CoursePage,
    Enrolment,
    EnrolmentStatus,
    LessonPage,
    QuestionKind,
    QuizAttempt,
)
from courses.permissions import user_can_download_certificate, user_can_grade
from courses.selectors import my_learning_context


def _first_error(error: ValidationError) -> str:
    return error.messages[0]


def _course(pk: int) -> CoursePage:
    return get_object_or_404(CoursePage.objects.live(), pk=pk)


def _enrolment(user, course: CoursePage) -> Enrolment | None:
    return Enrolment.objects.filter(
        user=user, course_key=course.translation_key
    ).first()


def catalogue(request):
    """Who: anyone. The catalogue page in the visitor's language."""
    index = (
        CourseIndexPage.objects.live().filter(locale=Locale.get_active()).first()
        or CourseIndexPage.objects.live().first()
    )
    if index is None:
        raise Http404(_("The course catalogue has not been set up yet."))
    return redirect(index.get_url(request))


@login_required
def my_learning(request):
    """Who: the signed-in officer, for their own learning only."""
    return render(
        request, "courses/my_learning.html", my_learning_context(request.user)
    )


@login_required
@require_POST
def enrol(request, course_id: int):
    """Who: any signed-in user whose prerequisites are complete."""
    course = _course(course_id)
    try:
        enrolment = services.enrolment_create(user=request.user, course=course)
    except ValidationError as error:
        messages.error(request, _first_error(error))
        return redirect(course.get_url(request))
    messages.success(
        request, _("You are enrolled in «%(title)s».") % {"title": course.title}
    )
    first = services.course_lessons(course).first()
    if first is not None and not enrolment.lessons_done.exists():
        return redirect(first.get_url(request))
    return redirect(course.get_url(request))


@login_required
@require_POST
def withdraw(request, course_id: int):
    """Who: the enrolled officer. Progress is kept in case they come back."""
    course = _course(course_id)
    enrolment = _enrolment(request.user, course)
    if enrolment is None:
        messages.error(request, _("You are not enrolled in this course."))
        return redirect(course.get_url(request))
    try:
        services.enrolment_withdraw(enrolment=enrolment)
    except ValidationError as error:
        messages.error(request, _first_error(error))
    else:
        messages.info(
            request,
            _("You left the course. Your progress is kept if you enrol again."),
        )
    return redirect(course.get_url(request))


def _lesson_and_enrolment(request, lesson_id: int):
    lesson = get_object_or_404(LessonPage.objects.live(), pk=lesson_id)
    course = lesson.get_parent().specific
    enrolment = _enrolment(request.user, course)
    if enrolment is None or enrolment.status == EnrolmentStatus.WITHDRAWN:
        raise PermissionDenied(_("Enrol in this course to open its lessons."))
    return lesson, course, enrolment


@login_required
@require_POST
def lesson_done(request, lesson_id: int):
    """Who: an officer enrolled in the lesson's course."""
    lesson, course, enrolment = _lesson_and_enrolment(request, lesson_id)
    try:
        services.lesson_complete(enrolment=enrolment, lesson=lesson)
    except ValidationError as error:
        messages.error(request, _first_error(error))
        return redirect(lesson.get_url(request))
    following = services.course_lessons(course).filter(path__gt=lesson.path).first()
    if following is not None:
        return redirect(following.get_url(request))
    enrolment.refresh_from_db()
    if enrolment.is_complete:
        messages.success(request, _("You have completed the course."))
    elif course.has_quiz:
        messages.success(request, _("Every lesson is done. You can take the quiz now."))
    return redirect(course.get_url(request))


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@login_required
@require_POST
def reflection_save(request, lesson_id: int, block_id: str):
    """Who: an officer enrolled in the course; the answer is theirs alone."""
    lesson, _course_page, _enrolment_ = _lesson_and_enrolment(request, lesson_id)
    form = ReflectionForm(request.POST)
    error = None
    if form.is_valid():
        try:
            services.reflection_save(
                user=request.user,
                lesson=lesson,
                block_id=block_id,
                text=form.cleaned_data["text"],
            )
        except ValidationError as exc:
            error = _first_error(exc)
    else:
        error = next(iter(form.errors.values()))[0]
    if _wants_json(request):
        if error:
            return JsonResponse({"saved": False, "error": error}, status=400)
        return JsonResponse({"saved": True, "message": _("Your answer is saved.")})
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Your answer is saved."))
    return redirect(f"{lesson.get_url(request)}#block-{block_id}")


@login_required
@require_POST
def knowledge_check(request, lesson_id: int, block_id: str):
    """Who: an officer enrolled in the course. Not graded, nothing is stored."""
    lesson, _course_page, _enrolment_ = _lesson_and_enrolment(request, lesson_id)
    choice = request.POST.get("choice", "")
    if lesson.block(block_id, "check") is None:
        raise Http404(_("This question is not on the lesson."))
    option = lesson.check_option(block_id, choice)
    if option is None:
        message = _("Choose one of the options.")
        if _wants_json(request):
            return JsonResponse({"error": message}, status=400)
        messages.error(request, message)
        return redirect(f"{lesson.get_url(request)}#block-{block_id}")
    if _wants_json(request):
        return JsonResponse(
            {
                "correct": option["correct"],
                "verdict": _("Right.") if option["correct"] else _("Not quite."),
                "feedback": option["feedback"],
            }
        )
    return redirect(
        f"{lesson.get_url(request)}?check={block_id}&choice={choice}#block-{block_id}"
    )


# Quizzes ------------------------------------------------------------------------


@login_required
@require_POST
def quiz_start(request, course_id: int):
    """Who: an officer enrolled in the course who has done every lesson."""
    course = _course(course_id)
    enrolment = _enrolment(request.user, course)
    if enrolment is None:
        messages.error(request, _("Enrol in this course to take its quiz."))
        return redirect(course.get_url(request))
    try:
        attempt = services.attempt_start(enrolment=enrolment, course=course)
    except ValidationError as error:
        messages.error(request, _first_error(error))
        return redirect(course.get_url(request))
    return redirect(attempt)


def _own_attempt(request, pk: int) -> QuizAttempt:
    attempt = get_object_or_404(
        QuizAttempt.objects.select_related("enrolment", "course"), pk=pk
    )
    services.require_own_attempt(attempt=attempt, user=request.user)
    return attempt


def _items(attempt: QuizAttempt) -> list[AttemptQuestion]:
    return list(attempt.items.all())


@never_cache
@login_required
def attempt(request, pk: int):
    """Who: the officer whose attempt it is. Shows the questions as drawn, with
    every answer saved so far."""
    attempt = _own_attempt(request, pk)
    if attempt.is_open and attempt.time_is_up():
        services.attempt_submit(attempt=attempt)
        messages.warning(
            request,
            _("The time for this attempt is over. Your saved answers were submitted."),
        )
        return redirect("courses:attempt_review", pk=attempt.pk)
    if not attempt.is_open:
        return redirect("courses:attempt_review", pk=attempt.pk)
    return render(
        request,
        "courses/attempt.html",
        {"attempt": attempt, "items": _items(attempt), "course": attempt.course},
    )


def _answer_from_post(item: AttemptQuestion, post) -> dict | None:
    """The answer a plain form (no JavaScript) carries for one question."""
    name = f"q{item.position}"
    if item.kind == QuestionKind.MULTIPLE:
        if f"{name}-shown" not in post:
            return None
        return {"options": post.getlist(name)}
    if item.kind == QuestionKind.MATCHING:
        matches = {
            option["id"]: post.get(f"{name}-{option['id']}", "")
            for option in item.options
        }
        return {"matches": matches} if any(matches.values()) else None
    if item.kind == QuestionKind.SHORT:
        return {"text": post[name]} if name in post else None
    return {"option": post[name]} if name in post else None


@login_required
@require_POST
def answer_save(request, pk: int, position: int):
    """Who: the officer whose attempt it is. Saves one answer as it is given;
    the page calls it on every change. Body: {"seq": n, "answer": {...}}."""
    try:
        attempt = _own_attempt(request, pk)
    except PermissionDenied as error:
        return JsonResponse({"saved": False, "error": str(error)}, status=403)
    try:
        payload = json.loads(request.body or b"{}")
        seq = int(payload["seq"])
        answer = payload["answer"]
        if not isinstance(answer, dict) or not 1 <= seq < 2**31:
            raise ValueError
    except (ValueError, KeyError, TypeError):
        return JsonResponse(
            {"saved": False, "error": _("The answer could not be read. Try again.")},
            status=400,
        )
    try:
        item = services.answer_save(
            attempt=attempt, position=position, data=answer, seq=seq
        )
    except services.QuizClosed as error:
        return JsonResponse(
            {
                "saved": False,
                "closed": True,
                "error": _first_error(error),
                "review": reverse("courses:attempt_review", args=[attempt.pk]),
            },
            status=409,
        )
    except ValidationError as error:
        return JsonResponse({"saved": False, "error": _first_error(error)}, status=400)
    return JsonResponse({"saved": True, "seq": item.response_seq})


@login_required
@require_POST
def attempt_submit(request, pk: int):
    """Who: the officer whose attempt it is. Answers in the form are saved first,
    so that the quiz also works without JavaScript. Any score in the form is
    ignored: grading happens here, on the server."""
    attempt = _own_attempt(request, pk)
    if attempt.is_open:
        try:
            for item in _items(attempt):
                answer = _answer_from_post(item, request.POST)
                if answer is not None:
                    services.answer_save(
                        attempt=attempt,
                        position=item.position,
                        data=answer,
                        seq=item.response_seq + 1,
                    )
        except services.QuizClosed as error:
            messages.warning(request, _first_error(error))
            return redirect("courses:attempt_review", pk=attempt.pk)
        except ValidationError as error:
            messages.error(request, _first_error(error))
            return redirect(attempt)
        if "save" in request.POST:
            messages.success(request, _("Your answers are saved."))
            return redirect(attempt)
    services.attempt_submit(attempt=attempt)
    return redirect("courses:attempt_review", pk=attempt.pk)


@login_required
def attempt_review(request, pk: int):
    """Who: the officer whose attempt it is. What was right and wrong, with the
    feedback; correct answers are shown once passed or out of attempts."""
    attempt = _own_attempt(request, pk)
    if attempt.is_open:
        return redirect(attempt)
    course = attempt.course
    left = (
        services.attempts_left(enrolment=attempt.enrolment, course=course)
        if course
        else 0
    )
    reveal = bool(attempt.passed) or left == 0
    return render(
        request,
        "courses/attempt_review.html",
        {
            "attempt": attempt,
            "items": _items(attempt),
            "course": course,
            "attempts_left": left,
            "reveal": reveal,
        },
    )


# Grading ------------------------------------------------------------------------


@login_required
def grading_list(request):
    """Who: trainers. Written answers waiting for a grade."""
    if not user_can_grade(request.user):
        raise PermissionDenied
    attempts = (
        QuizAttempt.objects.awaiting_grading()
        .select_related("enrolment__user")
        .order_by("submitted_at")
    )
    return render(request, "courses/grading_list.html", {"attempts": attempts})


@login_required
def grading_attempt(request, pk: int):
    """Who: trainers. Grade each written answer of one attempt, in the range
    the question allows."""
    if not user_can_grade(request.user):
        raise PermissionDenied
    attempt = get_object_or_404(
        QuizAttempt.objects.select_related(
            "enrolment__user", "course"
        ).prefetch_related(
            Prefetch("items", queryset=AttemptQuestion.objects.order_by("position"))
        ),
        pk=pk,
    )
    written = [item for item in attempt.items.all() if item.kind == QuestionKind.SHORT]
    forms = {
        item.pk: GradeForm(
            request.POST if request.POST.get("item") == str(item.pk) else None,
            max_points=item.points,
            prefix=f"item{item.pk}",
        )
        for item in written
    }
    if request.method == "POST":
        item = next((i for i in written if str(i.pk) == request.POST.get("item")), None)
        if item is None:
            messages.error(request, _("This answer is not part of the attempt."))
            return redirect("courses:grading_attempt", pk=attempt.pk)
        form = forms[item.pk]
        if form.is_valid():
            try:
                services.written_answer_grade(
                    item=item,
                    points=form.cleaned_data["points"],
                    comment=form.cleaned_data["comment"],
                    grader=request.user,
                )
            except ValidationError as error:
                messages.error(request, _first_error(error))
            else:
                messages.success(request, _("The grade is saved."))
                return redirect("courses:grading_attempt", pk=attempt.pk)
    return render(
        request,
        "courses/grading_attempt.html",
        {
            "attempt": attempt,
            "rows": [(item, forms[item.pk]) for item in written],
            "awaiting": attempt.status == AttemptStatus.AWAITING_GRADING,
        },
    )


# Certificates -------------------------------------------------------------------


@login_required
def certificate_download(request, code: str):
    """Who: the certificate's holder, and administrators."""
    certificate = Certificate.objects.filter(code=code.upper()).first()
    if certificate is None:
        raise Http404(_("There is no certificate with this code."))
    if not user_can_download_certificate(request.user, certificate):
        raise PermissionDenied
    if not certificate.pdf:
        messages.info(
            request,
            _("Your certificate is being prepared. Try again in a minute."),
        )
        return redirect("courses:my_learning")
    return FileResponse(
        certificate.pdf.open("rb"),
        as_attachment=True,
        filename=f"ustaz-{certificate.code}.pdf",
        content_type="application/pdf",
    )


def certificate_check(request):
    """Who: anyone. Type a certificate's code to check it."""
    form = VerifyForm(request.GET or None)
    if form.is_valid():
        return redirect("courses:certificate_verify", code=form.cleaned_data["code"])
    return render(request, "courses/certificate_check.html", {"form": form})


def certificate_verify(request, code: str):
    """Who: anyone holding the code. Shows whether the certificate is valid,
    expired or revoked, and nothing more about the officer than it carries."""
    certificate = Certificate.objects.filter(code=code.strip().upper()).first()
    if certificate is None:
        form = VerifyForm(initial={"code": code})
        return render(
            request,
            "courses/certificate_check.html",
            {
                "form": form,
                "not_found": _("There is no certificate with the code %(code)s.")
                % {"code": code[:40]},
            },
            status=404,
        )
    course = (
        CoursePage.objects.live()
        .filter(translation_key=certificate.course_key, locale=Locale.get_active())
        .first()
    )
    return render(
        request,
        "courses/certificate_verify.html",
        {
            "certificate": certificate,
            "state": certificate.state(),
            "course_title": course.title if course else certificate.course_title,
        },
    )
