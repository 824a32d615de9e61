"""Groups, their members and the confidentiality pledge, and the schedules
meetings are made from."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from intervision import permissions
from intervision.models import (
    Group,
    Membership,
    Method,
    Participation,
    Series,
)
from intervision.services.meetings import _participations_create, meetings_plan
from lms.audit import audit_record


def _check_office(group: Group, users: Iterable) -> None:
    outside = [user for user in users if user.office_id != group.office_id]
    if outside:
        raise ValidationError(
            {
                "members": _(
                    "Only staff of %(office)s can be invited to this group: "
                    "%(names)s work in another office."
                )
                % {
                    "office": group.office,
                    "names": ", ".join(user.get_full_name() for user in outside),
                }
            }
        )


@transaction.atomic
def group_create(
    *,
    office,
    name: str,
    facilitator,
    default_method: Method,
    members: Iterable,
    actor,
    timezone_name: str = "Asia/Almaty",
    location: str = "",
) -> Group:
    """An office's new group. Members must work in the office; the facilitator
    may come from elsewhere."""
    if not permissions.user_can_create_group(actor) or actor.office_id != office.pk:
        raise PermissionDenied(
            _("Only a manager of this office can create its groups.")
        )
    group = Group(
        office=office,
        name=name,
        facilitator=facilitator,
        default_method=default_method,
        timezone=timezone_name,
        location=location,
        created_by=actor,
    )
    group.full_clean()
    members = list(members)
    _check_office(group, members)
    group.save()
    for user in members:
        Membership.objects.create(group=group, user=user)
    audit_record(
        action="intervision.group_create",
        actor=actor,
        obj=group,
        data={"members": [user.pk for user in members]},
    )
    return group


@transaction.atomic
def group_update(
    *,
    group: Group,
    actor,
    name: str,
    facilitator,
    default_method: Method,
    members: Iterable,
    timezone_name: str,
    location: str,
) -> Group:
    """Change a group. A member who leaves keeps their past record; they are
    taken off the meetings to come."""
    if not permissions.user_manages_group(actor, group):
        raise PermissionDenied(_("Only a manager of this office can change the group."))
    members = list(members)
    _check_office(group, members)
    group.name, group.facilitator, group.default_method = (
        name,
        facilitator,
        default_method,
    )
    moved_zone = timezone_name != group.timezone
    group.timezone, group.location = timezone_name, location
    group.full_clean()
    group.save()
    if moved_zone:
        _meetings_follow_time_zone(group)
    wanted = {user.pk for user in members}
    today = timezone.localdate()
    current = {m.user_id: m for m in group.memberships.all()}
    for user in members:
        membership = current.get(user.pk)
        if membership is None:
            Membership.objects.create(group=group, user=user)
        elif membership.left_on is not None:
            membership.left_on = None
            membership.save(update_fields=["left_on"])
    leaving = [
        m for m in current.values() if m.user_id not in wanted and m.left_on is None
    ]
    for membership in leaving:
        membership.left_on = today
        membership.save(update_fields=["left_on"])
    Participation.objects.filter(
        meeting__group=group,
        meeting__starts_at__gt=timezone.now(),
        user_id__in=[m.user_id for m in leaving],
    ).delete()
    for meeting in group.meetings.upcoming().filter(starts_at__gt=timezone.now()):
        _participations_create(meeting)
    audit_record(
        action="intervision.group_update",
        actor=actor,
        obj=group,
        data={"members": sorted(wanted)},
    )
    return group


def _meetings_follow_time_zone(group: Group) -> None:
    """Coming meetings that still keep their schedule's time keep it on the
    clock of the group's new time zone; moved ones keep what they were given."""
    for meeting in group.meetings.upcoming().filter(
        series__isnull=False, sequence=0, starts_at__gt=timezone.now()
    ):
        series = meeting.series
        tz = group.tzinfo
        meeting.starts_at = datetime.datetime.combine(
            meeting.series_date, series.start_time, tzinfo=tz
        )
        meeting.ends_at = datetime.datetime.combine(
            meeting.series_date, series.end_time, tzinfo=tz
        )
        meeting.save(update_fields=["starts_at", "ends_at", "updated_at"])


@transaction.atomic
def pledge_agree(*, group: Group, user) -> Membership:
    """A member agrees to keep what the group discusses confidential."""
    membership = (
        Membership.objects.select_for_update()
        .filter(group=group, user=user, left_on__isnull=True)
        .first()
    )
    if membership is None:
        raise PermissionDenied(_("Only members of the group agree to its pledge."))
    if membership.pledge_agreed_at is None:
        membership.pledge_agreed_at = timezone.now()
        membership.save(update_fields=["pledge_agreed_at"])
        audit_record(action="intervision.pledge_agree", actor=user, obj=group)
    return membership


@transaction.atomic
def series_create(
    *,
    group: Group,
    actor,
    frequency: str,
    interval: int,
    weekday: int,
    starts_on: datetime.date,
    start_time: datetime.time,
    end_time: datetime.time,
    week_of_month: int | None = None,
    ends_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> Series:
    """A new recurring schedule. A running schedule of the group ends the day
    before the new one starts; its meetings after that are removed unless
    something was already prepared for them (cases, minutes), which are kept."""
    if not permissions.user_manages_group(actor, group):
        raise PermissionDenied(_("Only a manager of this office can set the schedule."))
    today = today or timezone.localdate()
    series = Series(
        group=group,
        frequency=frequency,
        interval=interval,
        weekday=weekday,
        week_of_month=week_of_month,
        starts_on=starts_on,
        ends_on=ends_on,
        start_time=start_time,
        end_time=end_time,
        created_by=actor,
    )
    series.full_clean()
    if starts_on < today:
        raise ValidationError({"starts_on": _("A schedule cannot start in the past.")})
    for running in group.series.running(on=starts_on):
        series_end(series=running, ends_on=starts_on - datetime.timedelta(days=1))
    series.save()
    audit_record(
        action="intervision.series_create",
        actor=actor,
        obj=group,
        data={"series": series.pk, "rule": series.ical_rule() | {"UNTIL": None}},
    )
    meetings_plan(series=series, today=today)
    return series


def series_end(*, series: Series, ends_on: datetime.date) -> None:
    series.ends_on = ends_on
    series.save(update_fields=["ends_on"])
    later = series.meetings.filter(series_date__gt=ends_on)
    later.filter(cases__isnull=True, minutes__isnull=True).delete()
