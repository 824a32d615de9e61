"""Assignments: submissions, grading against the rubric, resubmission.

An officer submits text and files for an assignment of a course they are
enrolled in; a trainer grades each criterion of the rubric at one of its
levels, writes feedback and decides: passed, resubmission asked, or not
passed. A resubmission is a new submission; every submission and every grade
stays, so the history shows each one.
"""

import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courses.models import (
    Assignment,
    Enrolment,
    EnrolmentStatus,
    Grade,
    Submission,
    SubmissionFile,
    SubmissionStatus,
)
from courses.training.assignments.permissions import user_can_grade_submissions
from courses.training.assignments.uploads import CheckedFile, check_upload
from lms.audit import audit_record
from lms.services import notification_send

DECISIONS = (
    SubmissionStatus.PASSED,
    SubmissionStatus.RESUBMIT,
    SubmissionStatus.FAILED,
)


def assignments_passed(*, enrolment) -> bool:
    """Whether every assignment of the enrolment's course has a passed
    submission (True when the course has none). Assignments of every language
    version of the course count."""
    passed = Submission.objects.filter(
        enrolment=enrolment, status=SubmissionStatus.PASSED
    ).values("assignment_id")
    return (
        not Assignment.objects.filter(course__translation_key=enrolment.course_key)
        .exclude(pk__in=passed)
        .exists()
    )


def latest_submission(*, assignment: Assignment, enrolment) -> Submission | None:
    return (
        Submission.objects.filter(assignment=assignment, enrolment=enrolment)
        .order_by("-number")
        .first()
    )


def submission_refusal(*, assignment: Assignment, enrolment) -> str | None:
    """Why the officer may not submit now, or None when they may."""
    if enrolment is None or enrolment.status == EnrolmentStatus.WITHDRAWN:
        return _("Enrol in this course to submit its assignments.")
    if assignment.course.translation_key != enrolment.course_key:
        return _("This assignment belongs to another course.")
    latest = latest_submission(assignment=assignment, enrolment=enrolment)
    if latest is not None:
        if latest.status == SubmissionStatus.SUBMITTED:
            return _("Your work is waiting for the trainer's grade.")
        if latest.status == SubmissionStatus.PASSED:
            return _("You have passed this assignment already.")
        if latest.status == SubmissionStatus.FAILED:
            return _("The trainer marked this assignment as not passed.")
    if enrolment.status != EnrolmentStatus.ACTIVE:
        return _("This course is complete; it takes no more submissions.")
    return None


def _check_files(*, assignment: Assignment, files) -> list[CheckedFile]:
    files = list(files or [])
    if len(files) > assignment.max_files:
        raise ValidationError(
            _("Attach at most %(count)s files.") % {"count": assignment.max_files}
        )
    checked, errors = [], []
    for uploaded in files:
        try:
            checked.append(check_upload(uploaded))
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError(errors)
    return checked


@transaction.atomic
def submission_create(
    *, assignment: Assignment, enrolment: Enrolment, text: str, files=()
) -> Submission:
    """Submit the officer's work: text, files, or both. Refused while earlier
    work waits for a grade, once passed or marked not passed, and when the
    officer is not enrolled. Every file is checked by its content before
    anything is saved, so a refusal saves nothing."""
    if enrolment is not None:
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    refusal = submission_refusal(assignment=assignment, enrolment=enrolment)
    if refusal:
        raise ValidationError(refusal)
    text = (text or "").strip()
    checked = _check_files(assignment=assignment, files=files)
    if not text and not checked:
        raise ValidationError(_("Write your work or attach a file before submitting."))
    latest = latest_submission(assignment=assignment, enrolment=enrolment)
    submission = Submission(
        assignment=assignment,
        enrolment=enrolment,
        text=text,
        number=latest.number + 1 if latest else 1,
        submitted_at=timezone.now(),
    )
    submission.full_clean()
    submission.save()
    for item in checked:
        stored = SubmissionFile(
            submission=submission,
            name=item.name,
            size=item.size,
            content_type=item.content_type,
        )
        # A random stored name: the file is private, and its path must not be
        # guessed from the submission's number and the officer's file name.
        stored.file.save(
            f"{secrets.token_hex(16)}{item.extension}",
            ContentFile(item.data),
            save=False,
        )
        stored.full_clean()
        stored.save()
    audit_record(
        action="assignment.submit",
        actor=enrolment.user,
        obj=submission,
        data={"number": submission.number, "files": len(checked)},
    )
    return submission


def _whole_number(value) -> int | None:
    """Points as posted by a form ("2") or given by code (2); nothing else."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def grade_total(*, assignment: Assignment, scores: dict) -> int:
    """Check the points given per criterion against the rubric and add them
    up. Every criterion needs one of its own levels' points."""
    if not isinstance(scores, dict):
        raise ValidationError(_("Choose a level for every criterion."))
    criteria = assignment.criteria
    known = {criterion["id"] for criterion in criteria}
    if set(scores) - known:
        raise ValidationError(
            _("This grade names a criterion that is not in the rubric.")
        )
    total, errors = 0, []
    for criterion in criteria:
        points = scores.get(criterion["id"])
        if points is None or points == "":
            errors.append(
                _("Choose a level for «%(name)s».") % {"name": criterion["name"]}
            )
            continue
        allowed = {level["points"] for level in criterion["levels"]}
        value = _whole_number(points)
        if value not in allowed:
            errors.append(
                _("«%(name)s» has no level worth %(points)s points.")
                % {"name": criterion["name"], "points": str(points)[:20]}
            )
            continue
        total += value
    if errors:
        raise ValidationError(errors)
    return total


@transaction.atomic
def submission_grade(
    *, submission: Submission, grader, scores: dict, feedback: str, decision: str
) -> Grade:
    """A trainer grades a submission waiting for a grade: one level for each
    criterion, feedback, and a decision. The total is added up here from the
    rubric, whatever a form may carry. Passing needs the assignment's pass
    mark. The officer is told, in their language; a pass may complete the
    course."""
    if not user_can_grade_submissions(grader):
        raise PermissionDenied(_("Only trainers grade assignments."))
    submission = (
        Submission.objects.select_for_update()
        .select_related("assignment", "enrolment__user")
        .get(pk=submission.pk)
    )
    enrolment = submission.enrolment
    if enrolment.user_id == grader.pk:
        raise PermissionDenied(_("You cannot grade your own work."))
    if submission.status != SubmissionStatus.SUBMITTED:
        raise ValidationError(_("This submission has been graded already."))
    assignment = submission.assignment
    total = grade_total(assignment=assignment, scores=scores)
    feedback = (feedback or "").strip()
    if not feedback:
        raise ValidationError(_("Write feedback for the officer."))
    if decision not in DECISIONS:
        raise ValidationError(_("Choose a decision."))
    if decision == SubmissionStatus.PASSED and total < assignment.pass_mark:
        raise ValidationError(
            _(
                "%(total)s points are not enough to pass: %(mark)s are needed. "
                "Ask for a resubmission or mark it as not passed."
            )
            % {"total": total, "mark": assignment.pass_mark}
        )
    grade = Grade(
        submission=submission,
        grader=grader,
        scores={key: _whole_number(value) for key, value in scores.items()},
        total=total,
        feedback=feedback,
        decision=decision,
    )
    grade.full_clean()
    grade.save()
    submission.status = decision
    submission.save(update_fields=["status"])
    audit_record(
        action="assignment.grade",
        actor=grader,
        obj=submission,
        data={"total": total, "decision": decision, "scores": grade.scores},
    )
    officer = enrolment.user
    with translation.override(officer.preferred_language or settings.LANGUAGE_CODE):
        url = reverse("courses:assignment_detail", args=[assignment.pk])
    notification_send(
        recipient=officer,
        subject=gettext_lazy("Your assignment has been graded"),
        body=gettext_lazy("Read the trainer's grade and feedback."),
        url=url,
    )
    if decision == SubmissionStatus.PASSED:
        from courses.services import enrolment_check_completion

        enrolment_check_completion(enrolment=enrolment)
    return grade
