"""Small intervision data for tests: an office's group with members who agreed
to the pledge, a schedule, and meetings in the past or to come."""

import datetime

from django.utils import timezone

from intervision import services
from intervision.models import (
    Group,
    Meeting,
    Membership,
    Method,
    Participation,
    RoleKind,
    Series,
)
from lms.roles import Role
from tests.lms.factories import OfficeFactory, UserFactory

ALMATY = datetime.timezone(datetime.timedelta(hours=5))


def incident() -> Method:
    """The incident method the migration ships."""
    return Method.objects.get(code="incident")


def office_staff(office, count: int, *, role: Role = Role.OFFICER) -> list:
    return [UserFactory(office=office, roles=[role]) for _ in range(count)]


def group(
    *,
    office=None,
    members: int = 5,
    pledged: bool = True,
    facilitator=None,
    manager=None,
    method: Method | None = None,
) -> Group:
    """A group of `members` officers of one office, run by its manager; the
    facilitator is another officer of the office."""
    office = office or OfficeFactory()
    manager = manager or UserFactory(office=office, roles=[Role.MANAGER])
    people = office_staff(office, members)
    facilitator = facilitator or UserFactory(office=office, roles=[Role.OFFICER])
    made = services.group_create(
        office=office,
        name=f"Группа {office.code}",
        facilitator=facilitator,
        default_method=method or incident(),
        members=people,
        actor=manager,
        location="Зал 2",
    )
    if pledged:
        Membership.objects.filter(group=made).update(pledge_agreed_at=timezone.now())
    made.manager = manager
    return made


def members(group: Group) -> list:
    return [m.user for m in group.memberships.select_related("user")]


def meeting(
    group: Group,
    *,
    days: float = 7,
    hours: float = 2,
    roles: dict | None = None,
) -> Meeting:
    """A one-off meeting `days` from now (negative: in the past), with every
    member invited. Past meetings are written directly: the service refuses
    to plan in the past."""
    starts_at = (timezone.now() + datetime.timedelta(days=days)).replace(
        second=0, microsecond=0
    )
    made = Meeting.objects.create(
        group=group,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=hours),
        method=group.default_method,
        location=group.location,
    )
    Participation.objects.bulk_create(
        [Participation(meeting=made, user=user) for user in members(group)]
    )
    people = members(group)
    services.roles_assign(
        meeting=made,
        roles=roles
        if roles is not None
        else {
            RoleKind.CHAIR: [people[0]],
            RoleKind.MINUTE_TAKER: [people[1]],
            RoleKind.TIMEKEEPER: [people[2]],
            RoleKind.BRINGER: [people[3]],
        },
    )
    return made


def series(group: Group, **fields) -> Series:
    """Every second Tuesday, 14:00–16:00, from next Tuesday."""
    today = timezone.localdate()
    next_tuesday = today + datetime.timedelta(days=(1 - today.weekday()) % 7 or 7)
    values = {
        "frequency": "weekly",
        "interval": 2,
        "weekday": 1,
        "starts_on": next_tuesday,
        "start_time": datetime.time(14, 0),
        "end_time": datetime.time(16, 0),
    } | fields
    return services.series_create(group=group, actor=group.manager, **values)
