"""Reads of learning paths: an officer's progress and next step, the paths a
trainer or manager follows, and the table of a cohort's progress. Each runs a
fixed number of queries, whatever the number of paths, steps and officers."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse

from courses.models import (
    CoursePage,
    Enrolment,
    EnrolmentStatus,
    LearningPath,
    LearningPathStep,
    PathEnrolment,
)
from courses.selectors import localized
from courses.training.paths.permissions import (
    user_can_enrol_cohort,
    user_cohort_office_id,
)
from lms.models import Office, User
from lms.roles import Role

COMPLETED = EnrolmentStatus.COMPLETED
ACTIVE = EnrolmentStatus.ACTIVE


@dataclass
class StepRow:
    """One course of a path as one officer stands with it."""

    step: LearningPathStep
    course: CoursePage  # in the active language when translated
    status: str | None  # an EnrolmentStatus, None when not enrolled
    is_next: bool = False

    @property
    def is_complete(self) -> bool:
        return self.status == COMPLETED

    @property
    def is_active(self) -> bool:
        return self.status == ACTIVE


@dataclass
class PathProgress:
    path: LearningPath
    steps: list[StepRow] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.steps)

    @property
    def done(self) -> int:
        return sum(1 for row in self.steps if row.is_complete)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def next(self) -> StepRow | None:
        return next((row for row in self.steps if row.is_next), None)

    @property
    def is_complete(self) -> bool:
        return self.total > 0 and self.done == self.total


def _steps_queryset() -> QuerySet:
    return LearningPathStep.objects.select_related("course").order_by(
        "sort_order", "pk"
    )


def _shown_pages(steps) -> dict:
    """Each step's course in the active language, else the page the step names."""
    keys = {step.course.translation_key for step in steps}
    pages = localized(CoursePage, keys)
    return {
        step.pk: pages.get(step.course.translation_key, step.course) for step in steps
    }


def _progress(path, steps, statuses: dict, pages: dict) -> PathProgress:
    """The next step is the first course of the path not completed yet."""
    progress = PathProgress(path=path)
    next_found = False
    for step in steps:
        status = statuses.get(step.course.translation_key)
        if status == EnrolmentStatus.WITHDRAWN:
            status = None
        row = StepRow(step=step, course=pages[step.pk], status=status)
        if not next_found and status != COMPLETED:
            row.is_next = next_found = True
        progress.steps.append(row)
    return progress


def _statuses(user, steps) -> dict:
    keys = {step.course.translation_key for step in steps}
    if not keys:
        return {}
    return dict(
        Enrolment.objects.filter(user=user, course_key__in=keys).values_list(
            "course_key", "status"
        )
    )


def user_paths(user) -> list[PathProgress]:
    """The paths the officer is enrolled in, with their progress. Four queries."""
    if not user.is_authenticated:
        return []
    enrolments = list(
        PathEnrolment.objects.filter(user=user)
        .select_related("path")
        .prefetch_related(Prefetch("path__steps", queryset=_steps_queryset()))
        .order_by("enrolled_at", "pk")
    )
    steps = [step for e in enrolments for step in e.path.steps.all()]
    statuses = _statuses(user, steps)
    pages = _shown_pages(steps)
    return [
        _progress(e.path, list(e.path.steps.all()), statuses, pages) for e in enrolments
    ]


def path_progress(user, path: LearningPath) -> PathProgress:
    """One officer's progress in one path."""
    steps = list(_steps_queryset().filter(path=path))
    return _progress(path, steps, _statuses(user, steps), _shown_pages(steps))


def my_learning(user) -> dict:
    """What learning paths add to the officer's My learning page."""
    return {
        "paths": user_paths(user),
        "can_enrol_cohort": user_can_enrol_cohort(user),
        "cpd_url": reverse("courses:cpd_record"),
        "paths_url": reverse("courses:path_list"),
    }


def managed_paths(viewer) -> list[LearningPath]:
    """Every path, for those who enrol cohorts, with its number of courses and
    of officers (a manager counts those of their own office)."""
    office_id = user_cohort_office_id(viewer)
    in_scope = Q() if office_id is None else Q(enrolments__user__office_id=office_id)
    paths = LearningPath.objects.annotate(
        step_count=Count("steps", distinct=True),
        officer_count=Count("enrolments", filter=in_scope, distinct=True),
    )
    return sorted(paths, key=lambda path: (str(path).casefold(), path.pk))


@dataclass
class CohortRow:
    enrolment: PathEnrolment
    progress: PathProgress


def path_overview(path: LearningPath, viewer) -> dict:
    """The steps of a path and every enrolled officer's status in each: the
    officers of the viewer's office for a manager, every officer for a
    trainer. Four queries, whatever the number of officers and steps."""
    steps = list(_steps_queryset().filter(path=path))
    pages = _shown_pages(steps)
    office_id = user_cohort_office_id(viewer)
    enrolments = PathEnrolment.objects.filter(path=path).select_related(
        "user__office", "enrolled_by"
    )
    if office_id is not None:
        enrolments = enrolments.filter(user__office_id=office_id)
    enrolments = list(enrolments.order_by("user__full_name", "user__username"))
    keys = {step.course.translation_key for step in steps}
    statuses = defaultdict(dict)
    if keys and enrolments:
        rows = Enrolment.objects.filter(
            course_key__in=keys,
            user__path_enrolments__path=path,
        )
        if office_id is not None:
            rows = rows.filter(user__office_id=office_id)
        for user_id, key, status in rows.values_list("user_id", "course_key", "status"):
            statuses[user_id][key] = status
    cohort = [
        CohortRow(e, _progress(path, steps, statuses[e.user_id], pages))
        for e in enrolments
    ]
    return {
        "steps": [(step, pages[step.pk]) for step in steps],
        "cohort": cohort,
        "completed_count": sum(1 for row in cohort if row.progress.is_complete),
        "office_only": office_id is not None,
    }


def cohort_candidates(viewer) -> QuerySet:
    """The active officers a trainer or manager may tick on the cohort form."""
    officers = User.objects.with_role(Role.OFFICER).select_related("office")
    office_id = user_cohort_office_id(viewer)
    if office_id is not None:
        officers = officers.filter(office_id=office_id)
    return officers.order_by("full_name", "username")


def cohort_offices(viewer) -> QuerySet:
    offices = Office.objects.with_region()
    office_id = user_cohort_office_id(viewer)
    if office_id is not None:
        offices = offices.filter(pk=office_id)
    return offices.order_by("region__code", "code")


def officers_hired_since(*, office: Office, hired_since: date) -> QuerySet:
    return (
        User.objects.with_role(Role.OFFICER)
        .filter(office=office, hire_date__gte=hired_since)
        .order_by("full_name", "username")
    )
