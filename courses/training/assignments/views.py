"""Officers' and trainers' pages of assignments. Each view says who may use it;
the writes are the services'."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from courses.models import (
    Assignment,
    Enrolment,
    EnrolmentStatus,
    Submission,
    SubmissionFile,
    SubmissionStatus,
)
from courses.training.assignments import selectors, services
from courses.training.assignments.forms import GradeForm, SubmissionForm
from courses.training.assignments.permissions import (
    user_can_grade_submissions,
    user_can_view_submission,
    user_can_view_submissions,
)
from courses.training.assignments.uploads import max_bytes


def _enrolment(user, course_key) -> Enrolment | None:
    enrolment = Enrolment.objects.filter(user=user, course_key=course_key).first()
    if enrolment is None or enrolment.status == EnrolmentStatus.WITHDRAWN:
        return None
    return enrolment


def _require_reader(user, enrolment) -> None:
    if enrolment is None and not user_can_view_submissions(user):
        raise PermissionDenied(_("Enrol in this course to see its assignments."))


@login_required
def assignment_list(request, course_id: int):
    """Who: officers enrolled in the course; trainers and administrators."""
    course = selectors.course_for(course_id)
    if course is None:
        raise Http404(_("There is no such course."))
    enrolment = _enrolment(request.user, course.translation_key)
    _require_reader(request.user, enrolment)
    assignments = list(selectors.course_assignments(course.translation_key))
    status = {}
    if enrolment is not None:
        latest = {}
        for submission in Submission.objects.filter(enrolment=enrolment).order_by(
            "number"
        ):
            latest[submission.assignment_id] = submission
        status = latest
    return render(
        request,
        "courses/assignments/assignment_list.html",
        {
            "course": course,
            "enrolment": enrolment,
            "rows": [(a, status.get(a.pk)) for a in assignments],
        },
    )


@login_required
def assignment_detail(request, pk: int):
    """Who: officers enrolled in the assignment's course, for their own work;
    trainers and administrators read the brief and the rubric. GET shows the
    brief, the rubric, the officer's submissions with grades and feedback;
    POST submits work (text and files)."""
    assignment = get_object_or_404(Assignment.objects.select_related("course"), pk=pk)
    enrolment = _enrolment(request.user, assignment.course.translation_key)
    _require_reader(request.user, enrolment)
    refusal = (
        services.submission_refusal(assignment=assignment, enrolment=enrolment)
        if enrolment is not None
        else None
    )
    form = None
    if enrolment is not None:
        form = SubmissionForm(
            request.POST or None,
            request.FILES or None,
            max_files=assignment.max_files,
        )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("Enrol in this course to submit its assignments."))
        if refusal is not None:
            messages.error(request, refusal)
            return redirect("courses:assignment_detail", pk=assignment.pk)
        if form.is_valid():
            try:
                services.submission_create(
                    assignment=assignment,
                    enrolment=enrolment,
                    text=form.cleaned_data["text"],
                    files=form.cleaned_data["files"],
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(
                    request, _("Your work is submitted. The trainer will grade it.")
                )
                return redirect("courses:assignment_detail", pk=assignment.pk)
        messages.error(
            request,
            _("Your work was not submitted. Correct what is marked and try again."),
        )
    submissions = selectors.submissions_with_grades(
        assignment=assignment, enrolment=enrolment
    )
    return render(
        request,
        "courses/assignments/assignment_detail.html",
        {
            "assignment": assignment,
            "course": assignment.course,
            "enrolment": enrolment,
            "rubric": selectors.rubric_rows(assignment),
            "form": form if refusal is None else None,
            "refusal": refusal,
            "history": [
                (
                    submission,
                    [
                        (grade, selectors.rubric_rows(assignment, grade.scores))
                        for grade in submission.grades.all()
                    ],
                )
                for submission in submissions
            ],
            "max_bytes": max_bytes(),
            "status": SubmissionStatus,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def grading_queue(request):
    """Who: trainers; administrators may look. Submissions waiting for a
    grade, oldest first."""
    if not user_can_view_submissions(request.user):
        raise PermissionDenied
    return render(
        request,
        "courses/assignments/grading_queue.html",
        {
            "submissions": selectors.grading_queue(),
            "can_grade": user_can_grade_submissions(request.user),
        },
    )


@login_required
def submission_grade(request, pk: int):
    """Who: trainers grade (one level per criterion, feedback, decision);
    administrators may look. Shows the work, its files and earlier
    submissions of the same officer with their grades."""
    if not user_can_view_submissions(request.user):
        raise PermissionDenied
    submission = get_object_or_404(
        Submission.objects.select_related(
            "assignment__course", "enrolment__user"
        ).prefetch_related("files"),
        pk=pk,
    )
    assignment = submission.assignment
    can_grade = (
        user_can_grade_submissions(request.user)
        and submission.status == SubmissionStatus.SUBMITTED
        and submission.enrolment.user_id != request.user.pk
    )
    form = None
    if can_grade:
        form = GradeForm(request.POST or None, criteria=assignment.criteria)
    if request.method == "POST":
        if form is None:
            # Administrators look only; nobody grades their own work.
            if (
                not user_can_grade_submissions(request.user)
                or submission.status == SubmissionStatus.SUBMITTED
            ):
                raise PermissionDenied
            messages.error(request, _("This submission has been graded already."))
            return redirect("courses:submission_grade", pk=submission.pk)
        if form.is_valid():
            try:
                grade = services.submission_grade(
                    submission=submission,
                    grader=request.user,
                    scores=form.scores(),
                    feedback=form.cleaned_data["feedback"],
                    decision=form.cleaned_data["decision"],
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(
                    request,
                    _("The grade is saved: %(total)s of %(max)s points. %(decision)s.")
                    % {
                        "total": grade.total,
                        "max": assignment.max_points,
                        "decision": grade.get_decision_display(),
                    },
                )
                return redirect("courses:submission_grade", pk=submission.pk)
        messages.error(request, _("The grade was not saved. Correct what is marked."))
    history = [
        (
            item,
            [
                (grade, selectors.rubric_rows(assignment, grade.scores))
                for grade in item.grades.all()
            ],
        )
        for item in selectors.submissions_with_grades(
            assignment=assignment, enrolment=submission.enrolment
        )
    ]
    current = next((grades for item, grades in history if item.pk == pk), [])
    return render(
        request,
        "courses/assignments/submission_grade.html",
        {
            "submission": submission,
            "assignment": assignment,
            "officer": submission.enrolment.user,
            "form": form,
            "rubric": selectors.rubric_rows(assignment),
            "grades": current,
            "history": [row for row in history if row[0].pk != pk],
            "status": SubmissionStatus,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def submission_file(request, pk: int):
    """Who: the officer whose work it is, trainers and administrators. Files
    are private: they are sent by this view, never from a media URL."""
    stored = get_object_or_404(
        SubmissionFile.objects.select_related("submission__enrolment"), pk=pk
    )
    if not user_can_view_submission(request.user, stored.submission):
        raise PermissionDenied
    try:
        handle = stored.file.open("rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404(_("This file is no longer available.")) from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=stored.name,
        content_type=stored.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
