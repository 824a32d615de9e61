"""What the intervision module adds to the core's registries: attendance as
CPD hours in the development record (attendance only: nothing said in a group
reaches a record or an appraisal), dashboard panels, and its demo data."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from intervision.models import Participation
from lms.registry import (
    DashboardPanel,
    DemoSeeder,
    RecordSection,
    dashboard_panels,
    demo_seeders,
    development_record,
)
from lms.roles import Role


def _attended(officer):
    return Participation.objects.filter(
        user=officer, attended=True, meeting__status="scheduled"
    )


def _hours(rows) -> Decimal:
    seconds = sum((end - start).total_seconds() for start, end in rows)
    return (Decimal(seconds) / 3600).quantize(Decimal("0.1"))


def _record_context(officer, viewer) -> dict:
    rows = list(
        _attended(officer).values_list("meeting__starts_at", "meeting__ends_at")
    )
    return {"meetings": len(rows), "hours": _hours(rows)}


def _cpd_hours(officer, start, end) -> Decimal:
    return _hours(
        _attended(officer)
        .filter(meeting__starts_at__date__gte=start, meeting__starts_at__date__lte=end)
        .values_list("meeting__starts_at", "meeting__ends_at")
    )


def _next_meetings(request) -> dict:
    from intervision.models import ActionPoint
    from intervision.selectors import my_meetings

    return {
        "meetings": my_meetings(request.user, limit=3),
        "open_points": ActionPoint.objects.open().filter(owner=request.user).count(),
    }


def _office_groups(request) -> dict:
    from intervision.models import Group

    office_id = request.user.office_id
    return {
        "groups": list(Group.objects.active().filter(office_id=office_id))
        if office_id
        else []
    }


development_record.register(
    RecordSection(
        key="intervision",
        title=_("Intervision"),
        template="intervision/record_section.html",
        get_context=_record_context,
        cpd_hours=_cpd_hours,
        order=30,
    )
)

dashboard_panels.register(
    DashboardPanel(
        key="intervision_next",
        title=_("Intervision"),
        template="intervision/dashboard/next.html",
        roles=frozenset({Role.OFFICER, Role.MANAGER, Role.TRAINER}),
        get_context=_next_meetings,
        order=40,
    )
)

dashboard_panels.register(
    DashboardPanel(
        key="intervision_office",
        title=_("Your office's intervision groups"),
        template="intervision/dashboard/office.html",
        roles=frozenset({Role.MANAGER}),
        get_context=_office_groups,
        order=41,
    )
)


def _seed_demo(stdout) -> None:
    from intervision import demo

    demo.seed(stdout)


demo_seeders.register(DemoSeeder(key="intervision", seed=_seed_demo, order=30))
