"""Reads for the intervision pages, each in a fixed number of queries whatever
the number of meetings, members and action points."""

import datetime
from collections import Counter, defaultdict

from django.db.models import Count, F, Prefetch, Q
from django.db.models.functions import TruncQuarter
from django.utils import timezone

from intervision import permissions
from intervision.models import (
    ActionPoint,
    Case,
    Group,
    Meeting,
    MeetingRole,
    MeetingStatus,
    Membership,
    Minutes,
    Participation,
    Response,
    RoleKind,
    Series,
    Theme,
)
from lms.models import Competency

# Managers outside a group see themes only counted over at least this many
# cases, so that a count never points at one officer's case.
THEMES_MIN_CASES = 5
PAST_SHOWN = 12


def group_queryset():
    return Group.objects.select_related(
        "office__region", "facilitator", "default_method"
    ).prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("user").order_by(
                "user__full_name"
            ),
        ),
        "series",
    )


def meeting_queryset():
    return Meeting.objects.select_related(
        "group__office", "group__facilitator", "method", "series__group"
    ).prefetch_related(
        Prefetch(
            "group__memberships",
            queryset=Membership.objects.select_related("user"),
        ),
        Prefetch("roles", queryset=MeetingRole.objects.select_related("user")),
    )


def _quarter_label(moment: datetime.date) -> str:
    return f"{moment.year} Q{(moment.month - 1) // 3 + 1}"


def themes_over_time(group: Group) -> dict:
    """Cases per theme and per competency, by quarter, for a chart."""
    cases = Case.objects.filter(
        meeting__group=group, confirmed_at__isnull=False
    ).annotate(quarter=TruncQuarter("meeting__starts_at"))
    theme_rows = (
        Theme.cases.through.objects.filter(case__in=cases.values("pk"))
        .annotate(quarter=TruncQuarter("case__meeting__starts_at"))
        .values("theme_id", "quarter")
        .annotate(n=Count("pk"))
    )
    competency_rows = (
        Case.competencies.through.objects.filter(case__in=cases.values("pk"))
        .annotate(quarter=TruncQuarter("case__meeting__starts_at"))
        .values("competency_id", "quarter")
        .annotate(n=Count("pk"))
    )
    theme_rows, competency_rows = list(theme_rows), list(competency_rows)
    themes = Theme.objects.in_bulk({row["theme_id"] for row in theme_rows})
    competencies = Competency.objects.in_bulk(
        {row["competency_id"] for row in competency_rows}
    )
    quarters = sorted(
        {
            row["quarter"].date() if hasattr(row["quarter"], "date") else row["quarter"]
            for row in theme_rows + competency_rows
        }
    )
    labels = [_quarter_label(quarter) for quarter in quarters]

    def series(rows, key, names):
        counts: dict[int, Counter] = defaultdict(Counter)
        for row in rows:
            quarter = row["quarter"]
            quarter = quarter.date() if hasattr(quarter, "date") else quarter
            counts[row[key]][_quarter_label(quarter)] += row["n"]
        return sorted(
            (
                {
                    "label": str(names[pk]),
                    "data": [counts[pk][label] for label in labels],
                    "total": sum(counts[pk].values()),
                }
                for pk in counts
                if pk in names
            ),
            key=lambda item: (-item["total"], item["label"]),
        )

    return {
        "labels": labels,
        "themes": series(theme_rows, "theme_id", themes),
        "competencies": series(competency_rows, "competency_id", competencies),
        "cases": cases.count(),
    }


def group_context(group: Group, user) -> dict:
    now = timezone.now()
    in_group = permissions.user_is_in_group(user, group)
    reads = in_group and not permissions.pledge_needed(user, group)
    upcoming = list(
        group.meetings.upcoming(now)
        .select_related("method", "series__group")
        .prefetch_related(
            Prefetch("roles", queryset=MeetingRole.objects.select_related("user"))
        )[:6]
    )
    past = list(
        group.meetings.past(now)
        .select_related("method", "minutes")
        .annotate(
            present=Count(
                "participations",
                filter=Q(participations__attended=True),
                distinct=True,
            ),
            case_count=Count(
                "cases", filter=Q(cases__confirmed_at__isnull=False), distinct=True
            ),
        )[:PAST_SHOWN]
    )
    attendance = {
        row["user_id"]: row
        for row in Participation.objects.filter(
            meeting__group=group,
            meeting__ends_at__lt=now,
            meeting__status="scheduled",
        )
        .values("user_id")
        .annotate(
            invited=Count("pk"),
            attended=Count("pk", filter=Q(attended=True)),
            declined=Count("pk", filter=Q(response=Response.NO)),
        )
    }
    members = [
        {
            "membership": membership,
            "invited": attendance.get(membership.user_id, {}).get("invited", 0),
            "attended": attendance.get(membership.user_id, {}).get("attended", 0),
        }
        for membership in group.memberships.all()
    ]
    overdue = list(
        ActionPoint.objects.overdue()
        .filter(meeting__group=group)
        .select_related("owner", "meeting")
    )
    chart = themes_over_time(group)
    return {
        "group": group,
        "in_group": in_group,
        "reads": reads,
        "manages": permissions.user_manages_group(user, group),
        "pledge_needed": in_group and permissions.pledge_needed(user, group),
        "series": [
            s for s in group.series.all() if not s.ends_on or s.ends_on >= now.date()
        ],
        "upcoming": upcoming,
        "past": past,
        "members": members,
        "size_advised": not 4
        <= len([m for m in members if m["membership"].is_current])
        <= 8,
        "overdue": overdue,
        "chart": chart,
        "chart_shown": reads or chart["cases"] >= THEMES_MIN_CASES,
        "themes_min_cases": THEMES_MIN_CASES,
    }


def meeting_context(meeting: Meeting, user) -> dict:
    group = meeting.group
    in_group = permissions.user_is_in_group(user, group)
    reads = in_group and not permissions.pledge_needed(user, group)
    participations = list(meeting.participations.select_related("user"))
    mine = next((p for p in participations if p.user_id == user.pk), None)
    roles: dict[str, list] = defaultdict(list)
    for role in meeting.roles.all():
        roles[role.role].append(role.user)
    context = {
        "meeting": meeting,
        "group": group,
        "in_group": in_group,
        "reads": reads,
        "participations": participations,
        "mine": mine,
        "roles": dict(roles),
        "role_kinds": RoleKind,
        "steps": list(meeting.method.steps.all()),
        "can_plan": permissions.user_can_plan_meeting(user, meeting),
        "can_write": permissions.user_can_write_minutes(user, meeting),
        "can_approve": permissions.user_can_approve_minutes(user, meeting),
        "can_amend": permissions.user_can_amend_minutes(user, meeting),
        "can_confirm": permissions.user_can_confirm_case(user, group),
        "can_attend": permissions.user_can_record_attendance(user, meeting),
        "is_chair": permissions.holds_role(user, meeting, RoleKind.CHAIR),
        "minutes": Minutes.objects.filter(meeting=meeting).first(),
    }
    if not reads:
        return context
    cases = [
        case
        for case in meeting.cases.select_related(
            "author", "confirmed_by"
        ).prefetch_related("themes", "competencies")
        if case.is_confirmed or case.author_id == user.pk or context["can_confirm"]
    ]
    agenda = list(
        ActionPoint.objects.open()
        .filter(meeting__group=group, meeting__starts_at__lt=meeting.starts_at)
        .select_related("owner", "meeting")
    )
    agreed = list(meeting.action_points.select_related("owner"))
    minutes = context["minutes"]
    if minutes is not None:
        minutes = (
            Minutes.objects.filter(pk=minutes.pk)
            .select_related("approved_by")
            .prefetch_related("notes", "amendments__author")
            .get()
        )
    context.update(
        cases=cases,
        agenda=agenda,
        agreed=agreed,
        minutes=minutes,
        notes={note.position: note for note in minutes.notes.all()} if minutes else {},
    )
    return context


def my_meetings(user, *, limit: int = 5) -> list[Meeting]:
    return list(
        Meeting.objects.upcoming()
        .filter(participations__user=user)
        .select_related("group")
        .annotate(
            my_response=Count(
                "participations",
                filter=Q(participations__user=user, participations__response="yes"),
            )
        )[:limit]
    )


def my_action_points(user) -> list[ActionPoint]:
    return list(
        ActionPoint.objects.open().filter(owner=user).select_related("meeting__group")
    )


def feed_querysets(user):
    """What a member's calendar feed is made of: the schedules of the active
    groups they are in or facilitate, and those groups' meetings that a
    calendar cannot derive from a schedule: one-off, changed or cancelled
    ones, and those kept after their schedule ended (a deactivated group no
    longer meets, so its schedule leaves the feed)."""
    groups = Group.objects.active().of_member(user)
    series = Series.objects.filter(group__in=groups).select_related("group")
    meetings = (
        Meeting.objects.filter(group__in=groups)
        .filter(
            Q(series__isnull=True)
            | Q(sequence__gt=0)
            | Q(status=MeetingStatus.CANCELLED)
            | Q(series_date__gt=F("series__ends_on"))
        )
        .select_related("group", "series__group")
    )
    return series, meetings
