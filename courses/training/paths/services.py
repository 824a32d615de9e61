"""Writes of learning paths: enrolling a cohort.

Rules: a cohort is at least one active officer; a trainer enrols officers of
any office, a manager only those of their own office. Officers already in the
path are reported, never enrolled twice. Each new officer is enrolled in the
path's first course as well, unless its prerequisites or its state refuse them:
that is reported, and they stay in the path. Each new officer is told, in their
own language, with a link. Nothing is written when the cohort is refused.
"""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from courses.models import (
    CoursePage,
    Enrolment,
    EnrolmentStatus,
    LearningPath,
    LearningPathStep,
    PathEnrolment,
)
from courses.services import enrolment_create
from courses.training.paths import selectors
from courses.training.paths.permissions import (
    user_can_enrol_cohort,
    user_can_enrol_office,
    user_can_enrol_officer,
)
from lms.audit import audit_record
from lms.models import Office, User
from lms.roles import Role
from lms.services import notification_send


@dataclass
class CohortReport:
    """What enrolling a cohort did, officer by officer."""

    path: LearningPath
    first_course: CoursePage | None = None
    enrolled: list[User] = field(default_factory=list)
    already: list[User] = field(default_factory=list)
    in_first_course: list[User] = field(default_factory=list)
    # Officers the first course refused (prerequisites missing, course closed).
    blocked: list[tuple[User, str]] = field(default_factory=list)


def _names(users) -> str:
    return ", ".join(user.get_full_name() for user in users)


def _check_cohort(*, officers: list[User], by: User) -> None:
    if not user_can_enrol_cohort(by):
        raise ValidationError(_("You may not enrol officers in learning paths."))
    if not officers:
        raise ValidationError({"officers": _("Choose at least one officer to enrol.")})
    if by.office_id is None and not user_can_enrol_officer(by, officers[0]):
        raise ValidationError(
            _(
                "Your account has no office, so you cannot enrol officers. "
                "Ask an administrator to set your office."
            )
        )
    foreign = [
        officer for officer in officers if not user_can_enrol_officer(by, officer)
    ]
    if foreign:
        raise ValidationError(
            {
                "officers": _(
                    "You may enrol officers of your own office only. Not of your "
                    "office: %(names)s."
                )
                % {"names": _names(foreign)}
            }
        )
    officer_ids = set(
        User.objects.with_role(Role.OFFICER)
        .filter(pk__in=[officer.pk for officer in officers])
        .values_list("pk", flat=True)
    )
    unknown = [officer for officer in officers if officer.pk not in officer_ids]
    if unknown:
        raise ValidationError(
            {
                "officers": _(
                    "Only active officers can be enrolled. Not an active officer: "
                    "%(names)s."
                )
                % {"names": _names(unknown)}
            }
        )


@transaction.atomic
def path_enrol_cohort(
    *, path: LearningPath, officers: list[User], by: User, how: str = "officers"
) -> CohortReport:
    """Enrol chosen officers in a path and in its first course."""
    officers = list({officer.pk: officer for officer in officers}.values())
    _check_cohort(officers=officers, by=by)
    # Two trainers enrolling the same people at once must not collide.
    path = LearningPath.objects.select_for_update().get(pk=path.pk)
    first_step = (
        LearningPathStep.objects.filter(path=path)
        .select_related("course")
        .order_by("sort_order", "pk")
        .first()
    )
    report = CohortReport(path=path, first_course=first_step and first_step.course)
    already_ids = set(
        PathEnrolment.objects.filter(
            path=path, user__in=[o.pk for o in officers]
        ).values_list("user_id", flat=True)
    )
    on_course = set()
    if report.first_course is not None:
        on_course = set(
            Enrolment.objects.filter(
                user__in=[o.pk for o in officers],
                course_key=report.first_course.translation_key,
            )
            .exclude(status=EnrolmentStatus.WITHDRAWN)
            .values_list("user_id", flat=True)
        )
    for officer in officers:
        if officer.pk in already_ids:
            report.already.append(officer)
            continue
        enrolment = PathEnrolment(path=path, user=officer, enrolled_by=by)
        enrolment.full_clean()
        enrolment.save()
        report.enrolled.append(officer)
        if report.first_course is not None and officer.pk not in on_course:
            try:
                enrolment_create(user=officer, course=report.first_course)
            except ValidationError as error:
                report.blocked.append((officer, " ".join(error.messages)))
            else:
                report.in_first_course.append(officer)
        _notify(path=path, officer=officer)
    audit_record(
        action="path.enrol_cohort",
        actor=by,
        obj=path,
        data={
            "how": how,
            "enrolled": [officer.pk for officer in report.enrolled],
            "already": [officer.pk for officer in report.already],
            "in_first_course": [officer.pk for officer in report.in_first_course],
            "blocked": [officer.pk for officer, _reason in report.blocked],
        },
    )
    return report


@transaction.atomic
def path_enrol_office(
    *,
    path: LearningPath,
    office: Office,
    hired_since: date,
    by: User,
    today: date | None = None,
) -> CohortReport:
    """Enrol every active officer of an office hired on or after a date."""
    today = today or timezone.localdate()
    if hired_since > today:
        raise ValidationError(
            {"hired_since": _("The hire date cannot be in the future.")}
        )
    if not user_can_enrol_office(by, office):
        raise ValidationError(
            {"office": _("You may enrol the officers of your own office only.")}
        )
    officers = list(
        selectors.officers_hired_since(office=office, hired_since=hired_since)
    )
    if not officers:
        raise ValidationError(
            {
                "hired_since": _(
                    "No active officer of %(office)s was hired on or after %(date)s."
                )
                % {
                    "office": office.name,
                    "date": formats.date_format(hired_since, "DATE_FORMAT"),
                }
            }
        )
    return path_enrol_cohort(path=path, officers=officers, by=by, how="office")


def _notify(*, path: LearningPath, officer: User) -> None:
    """A link only, in the officer's language."""
    with translation.override(officer.preferred_language):
        subject = _("You are enrolled in the learning path «%(name)s»") % {
            "name": path.name
        }
        url = reverse("courses:path_detail", args=[path.pk])
    notification_send(recipient=officer, subject=subject, url=url)


def path_next_step(user, path: LearningPath) -> LearningPathStep | None:
    """The first course of the path the officer has not completed; None when
    every course is done."""
    row = selectors.path_progress(user, path).next
    return row.step if row else None
