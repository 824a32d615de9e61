"""What the courses module adds to the core's registries: its part of an
officer's development record, and dashboard panels for officers and trainers."""

from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from courses.models import Certificate, Enrolment, QuizAttempt
from lms.registry import (
    DashboardPanel,
    DemoSeeder,
    RecordSection,
    dashboard_panels,
    demo_seeders,
    development_record,
)
from lms.roles import Role


def _record_context(officer, viewer) -> dict:
    return {
        "completed": list(
            Enrolment.objects.completed()
            .filter(user=officer)
            .order_by("-completed_at")[:10]
        ),
        "in_progress": Enrolment.objects.active().filter(user=officer).count(),
        "certificates": Certificate.objects.valid().filter(user=officer).count(),
    }


def _cpd_hours(officer, start, end) -> Decimal:
    total = (
        Enrolment.objects.completed()
        .filter(
            user=officer, completed_at__date__gte=start, completed_at__date__lte=end
        )
        .aggregate(total=Sum("cpd_hours"))["total"]
    )
    return total or Decimal(0)


def _grading_context(request) -> dict:
    return {"waiting": QuizAttempt.objects.awaiting_grading().count()}


development_record.register(
    RecordSection(
        key="courses",
        title=_("Courses"),
        template="courses/record_section.html",
        get_context=_record_context,
        cpd_hours=_cpd_hours,
        order=10,
    )
)

dashboard_panels.register(
    DashboardPanel(
        key="grading",
        title=_("Written answers to grade"),
        template="courses/dashboard/grading.html",
        roles=frozenset({Role.TRAINER}),
        get_context=_grading_context,
        order=25,
    )
)


def _seed_demo(stdout) -> None:
    from importlib import import_module

    from courses import demo

    demo.seed(stdout)
    for part in ("assignments", "sessions", "paths", "compliance"):
        import_module(f"courses.training.{part}.demo").seed(stdout)


demo_seeders.register(DemoSeeder(key="courses", seed=_seed_demo, order=10))
