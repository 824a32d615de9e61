"""Reads of assignments: a course's assignments, an officer's submissions with
their grades, the trainers' grading queue and the officer's My learning
section. Each runs a fixed number of queries, whatever the number of rows."""

from django.db.models import Count, Prefetch, QuerySet

from courses.models import (
    Assignment,
    CoursePage,
    Enrolment,
    Grade,
    Submission,
    SubmissionStatus,
)

RECENT_GRADES = 5


def course_assignments(course_key) -> QuerySet:
    """Assignments of every language version of a course."""
    return Assignment.objects.filter(course__translation_key=course_key).order_by(
        "course__locale_id", "pk"
    )


def submissions_with_grades(*, assignment: Assignment, enrolment) -> list:
    """The officer's submissions of an assignment, newest first, each with its
    files and grades."""
    if enrolment is None:
        return []
    return list(
        Submission.objects.filter(assignment=assignment, enrolment=enrolment)
        .order_by("-number")
        .prefetch_related(
            "files",
            Prefetch("grades", queryset=Grade.objects.select_related("grader")),
        )
    )


def rubric_rows(assignment: Assignment, scores: dict | None = None) -> list[dict]:
    """The rubric's criteria, each with its levels, the level a grade chose
    marked, for showing a grade."""
    scores = scores or {}
    rows = []
    for criterion in assignment.criteria:
        given = scores.get(criterion["id"])
        levels = [
            {**level, "chosen": given is not None and level["points"] == given}
            for level in criterion["levels"]
        ]
        rows.append(
            {
                **criterion,
                "levels": levels,
                "given": given,
                "chosen": next((lv for lv in levels if lv["chosen"]), None),
                "max": max((lv["points"] for lv in levels), default=0),
            }
        )
    return rows


def grading_queue() -> QuerySet:
    """Submissions waiting for a grade, oldest first."""
    return (
        Submission.objects.filter(status=SubmissionStatus.SUBMITTED)
        .select_related("assignment__course", "enrolment__user")
        .annotate(file_count=Count("files"))
        .order_by("submitted_at", "pk")
    )


def _latest_by_assignment(submissions) -> dict:
    latest = {}
    for submission in submissions:
        key = (submission.assignment_id, submission.enrolment_id)
        if key not in latest or submission.number > latest[key].number:
            latest[key] = submission
    return latest


def my_learning(user) -> dict:
    """What this part adds to the officer's My learning page: assignments to
    do, waiting for a grade, to resubmit, and the latest grades."""
    if not user.is_authenticated:
        return {}
    enrolments = list(Enrolment.objects.active().filter(user=user))
    submissions = list(
        Submission.objects.filter(enrolment__user=user).select_related("assignment")
    )
    latest = _latest_by_assignment(submissions)
    assignments = list(
        Assignment.objects.filter(
            course__translation_key__in=[e.course_key for e in enrolments]
        ).select_related("course")
    )
    by_key = {enrolment.course_key: enrolment for enrolment in enrolments}
    to_do = []
    for assignment in assignments:
        enrolment = by_key.get(assignment.course.translation_key)
        if enrolment is not None and (assignment.pk, enrolment.pk) not in latest:
            to_do.append(assignment)
    current = sorted(latest.values(), key=lambda s: s.submitted_at, reverse=True)
    recent = list(
        Grade.objects.filter(submission__enrolment__user=user)
        .select_related("submission__assignment")
        .order_by("-created_at")[:RECENT_GRADES]
    )
    return {
        "to_do": to_do,
        "waiting": [s for s in current if s.status == SubmissionStatus.SUBMITTED],
        "resubmit": [s for s in current if s.status == SubmissionStatus.RESUBMIT],
        "recent_grades": recent,
    }


def course_for(course_id: int) -> CoursePage | None:
    return CoursePage.objects.live().filter(pk=course_id).first()
