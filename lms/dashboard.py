"""The core's own dashboard panels. Other modules register theirs the same way."""

import datetime

from django.db.models import Count, Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lms.models import (
    AuditEntry,
    Competency,
    Domain,
    FrameworkVersion,
    Office,
    Region,
    User,
)
from lms.registry import (
    DashboardPanel,
    cpd_hours_for,
    dashboard_panels,
    record_sections_for,
)
from lms.roles import Role

EVERYONE = frozenset(Role)


def _record_context(request) -> dict:
    today = timezone.localdate()
    start = datetime.date(today.year, 1, 1)
    return {
        "sections": record_sections_for(request.user, request.user),
        "cpd_hours": cpd_hours_for(request.user, start, today),
        "year": today.year,
    }


def _framework_context(request) -> dict:
    version = FrameworkVersion.objects.current()
    by_domain = []
    if version is not None:
        counts = dict(
            Competency.objects.filter(version=version)
            .values_list("domain")
            .annotate(count=Count("pk"))
        )
        by_domain = [
            (domain.label, counts[domain.value])
            for domain in Domain
            if domain in counts
        ]
    return {"version": version, "by_domain": by_domain}


def _champion_context(request) -> dict:
    versions = FrameworkVersion.objects.annotate(
        competency_count=Count("competencies")
    ).order_by("-created_at")[:6]
    return {"versions": versions}


def _team_context(request) -> dict:
    office = request.user.office
    if office is None:
        return {"office": None, "team": []}
    team = (
        User.objects.filter(office=office, is_active=True)
        .prefetch_related(Prefetch("groups"))
        .order_by("full_name")
    )
    return {"office": office, "team": team}


def _admin_context(request) -> dict:
    return {
        "counts": {
            "users": User.objects.filter(is_active=True).count(),
            "offices": Office.objects.count(),
            "regions": Region.objects.count(),
        },
        "recent_audit": AuditEntry.objects.all()[:8],
    }


def _notifications_context(request) -> dict:
    return {"latest": request.user.notifications.all()[:5]}


for panel in (
    DashboardPanel(
        key="profile",
        title=_("My profile"),
        template="lms/dashboard/profile.html",
        roles=EVERYONE,
        order=0,
    ),
    DashboardPanel(
        key="notifications",
        title=_("Notifications"),
        template="lms/dashboard/notifications.html",
        roles=EVERYONE,
        get_context=_notifications_context,
        order=5,
    ),
    DashboardPanel(
        key="development_record",
        title=_("My development record"),
        template="lms/dashboard/record.html",
        roles=frozenset({Role.OFFICER}),
        get_context=_record_context,
        order=10,
    ),
    DashboardPanel(
        key="team",
        title=_("My office"),
        template="lms/dashboard/team.html",
        roles=frozenset({Role.MANAGER}),
        get_context=_team_context,
        order=20,
    ),
    DashboardPanel(
        key="framework_versions",
        title=_("Competency framework versions"),
        template="lms/dashboard/framework_versions.html",
        roles=frozenset({Role.CHAMPION}),
        get_context=_champion_context,
        order=20,
    ),
    DashboardPanel(
        key="authoring",
        title=_("Course authoring"),
        template="lms/dashboard/authoring.html",
        roles=frozenset({Role.TRAINER}),
        order=20,
    ),
    DashboardPanel(
        key="administration",
        title=_("Administration"),
        template="lms/dashboard/administration.html",
        roles=frozenset({Role.ADMINISTRATOR}),
        get_context=_admin_context,
        order=20,
    ),
    DashboardPanel(
        key="framework",
        title=_("Competency framework"),
        template="lms/dashboard/framework.html",
        roles=frozenset({Role.OFFICER, Role.TRAINER, Role.ASSESSOR, Role.CHAMPION}),
        get_context=_framework_context,
        order=30,
    ),
):
    dashboard_panels.register(panel)
