"""Demo intervision for `make run`: in each pilot region, a group in the first
office (the office of the region's demo manager) that has met every second
Tuesday for about three months, and the meetings of the coming three months.

The history is written directly, as the services refuse to plan in the past:
each past meeting has its invitations and answers, attendance, roles rotated
fairly (`services.roles_propose`), a confirmed case, approved minutes with a
note per step of the incident method, and action points, the older ones done.
The stories are the anonymised Russian cases of content/demo.json. The meetings
to come are planned by `services.meetings_plan`, which invites the members; in
one region a meeting is moved and another cancelled, to show exceptions.

Running it again changes nothing: a region whose group exists is skipped.
"""

import datetime
import json
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from intervision import services
from intervision.models import (
    ActionPoint,
    Case,
    Frequency,
    Group,
    Meeting,
    Membership,
    Method,
    Minutes,
    MinutesStatus,
    Participation,
    Response,
    RoleKind,
    Series,
    StepNote,
    Theme,
    Weekday,
)
from lms.demo import REGIONS, demo_username
from lms.models import Competency, Office, User
from lms.roles import Role

CONTENT = Path(__file__).parent / "content"

GROUP_NAME = "Интервизионная группа — %s"
GROUP_SIZE = 6
# Fewer and the roles of a meeting (chair, case-bringer...) cannot rotate.
MIN_MEMBERS = 3
LOCATION = "Кабинет 214"
METHOD_CODE = "incident"
# Every second Tuesday, 14:00–16:00, for about twelve weeks already.
SERIES_WEEKS_AGO = 12
START_TIME = datetime.time(14, 0)
END_TIME = datetime.time(16, 0)
ACTION_POINT_DAYS = 14
# The region whose coming meetings show a move and a cancellation, and the one
# with an overdue action point.
EXCEPTIONS_REGION = "almaty"
OVERDUE_REGION = "astana"
MOVE_NOTE = "Перенос из-за выездного совещания"
MOVED_START, MOVED_END = datetime.time(15, 0), datetime.time(17, 0)
CANCEL_NOTE = "Праздничный день"


def load_stories() -> list[dict]:
    data = json.loads((CONTENT / "demo.json").read_text(encoding="utf-8"))
    return data["stories"]


def group_name(office: Office) -> str:
    return (GROUP_NAME % office.name_ru)[:160]


def seed(stdout) -> None:
    method = Method.objects.get(code=METHOD_CODE)
    stories = load_stories()
    story_index = 0
    groups = []
    created = 0
    for region in REGIONS:
        manager = User.objects.filter(
            username=demo_username(Role.MANAGER, region["code"])
        ).first()
        if manager is None or manager.office is None:
            continue
        office = manager.office
        existing = Group.objects.filter(office=office, name=group_name(office)).first()
        if existing is not None:
            groups.append(existing)
            continue
        with transaction.atomic():
            group, story_index = _seed_group(
                region_code=region["code"],
                manager=manager,
                method=method,
                stories=stories,
                story_index=story_index,
            )
        if group is None:
            stdout.write(f"Intervision: too few demo staff in {office}, skipped.")
            continue
        groups.append(group)
        created += 1
    meetings = Meeting.objects.filter(group__in=groups)
    now = timezone.now()
    stdout.write(
        f"Intervision: {len(groups)} groups ({created} new), "
        f"{meetings.filter(ends_at__lt=now).count()} past meetings, "
        f"{meetings.upcoming(now=now).count()} coming meetings."
    )


def _people(region_code: str, manager) -> tuple:
    """The facilitator and the members: the region's demo officer, its manager
    and their colleagues in the office, six at most."""
    office = manager.office
    trainer = User.objects.filter(
        username=demo_username(Role.TRAINER, region_code)
    ).first()
    officer = User.objects.filter(
        username=demo_username(Role.OFFICER, region_code)
    ).first()
    colleagues = list(
        User.objects.filter(
            office=office, username__startswith=f"officer.{office.code}."
        ).order_by("username")
    )
    if trainer is not None and trainer.office_id == office.pk:
        facilitator = trainer
    else:
        # The core demo puts the trainer in this office; should it move, a
        # colleague facilitates instead.
        facilitator = colleagues.pop(0) if colleagues else manager
    members = []
    for user in [officer, manager, *colleagues]:
        if (
            user is not None
            and user.office_id == office.pk
            and user.pk != facilitator.pk
            and user not in members
        ):
            members.append(user)
    return facilitator, members[:GROUP_SIZE]


def _seed_group(
    *, region_code: str, manager, method: Method, stories: list, story_index: int
) -> tuple[Group | None, int]:
    office = manager.office
    facilitator, members = _people(region_code, manager)
    if len(members) < MIN_MEMBERS:
        return None, story_index

    today = timezone.localdate()
    starts_on = today - datetime.timedelta(weeks=SERIES_WEEKS_AGO)
    starts_on -= datetime.timedelta(days=(starts_on.weekday() - Weekday.TUESDAY) % 7)
    founded = datetime.datetime.combine(
        starts_on - datetime.timedelta(days=7),
        datetime.time(10, 0),
        tzinfo=timezone.get_current_timezone(),
    )

    group = services.group_create(
        office=office,
        name=group_name(office),
        facilitator=facilitator,
        default_method=method,
        members=members,
        actor=manager,
        location=LOCATION,
    )
    Group.objects.filter(pk=group.pk).update(created_at=founded)
    Membership.objects.filter(group=group).update(
        joined_on=founded.date(), pledge_agreed_at=founded
    )

    series = Series(
        group=group,
        frequency=Frequency.WEEKLY,
        interval=2,
        weekday=Weekday.TUESDAY,
        starts_on=starts_on,
        start_time=START_TIME,
        end_time=END_TIME,
        created_by=manager,
    )
    series.full_clean()
    series.save()
    Series.objects.filter(pk=series.pk).update(created_at=founded)

    now = timezone.now()
    past = []
    for number, day in enumerate(series.dates_between(starts_on, today)):
        if series.starts_at(day) > now:
            continue
        meeting = _past_meeting(series=series, day=day, members=members, number=number)
        if meeting.ends_at < now:
            _hold(meeting, story=stories[story_index % len(stories)])
            story_index += 1
            past.append(meeting)
    _action_points_settle(past, overdue=region_code == OVERDUE_REGION)

    services.meetings_plan(series=series)
    if region_code == EXCEPTIONS_REGION:
        _exceptions_show(series=series, manager=manager)
    return group, story_index


def _past_meeting(
    *, series: Series, day: datetime.date, members: list, number: int
) -> Meeting:
    """A meeting of the schedule that has started: everyone invited, one member
    declining now and then, roles by the fair rotation."""
    group = series.group
    starts_at, ends_at = series.starts_at(day), series.ends_at(day)
    held = ends_at < timezone.now()
    meeting = Meeting(
        group=group,
        series=series,
        series_date=day,
        starts_at=starts_at,
        ends_at=ends_at,
        method=group.default_method,
        location=group.location,
        attendance_recorded_at=ends_at + datetime.timedelta(minutes=15)
        if held
        else None,
    )
    meeting.full_clean()
    meeting.save()
    declining = members[(number // 3 + 1) % len(members)] if number % 3 == 2 else None
    Participation.objects.bulk_create(
        [
            Participation(
                meeting=meeting,
                user=user,
                response=Response.NO if user == declining else Response.YES,
                invited_at=starts_at - datetime.timedelta(days=21),
                responded_at=starts_at - datetime.timedelta(days=3 + index),
                reminded_at=None
                if user == declining
                else starts_at - datetime.timedelta(days=1),
                attended=(user != declining) if held else None,
            )
            for index, user in enumerate(members)
        ]
    )
    services.roles_assign(
        meeting=meeting, roles=services.roles_propose(meeting=meeting)
    )
    return meeting


def _hold(meeting: Meeting, *, story: dict) -> None:
    """The case brought to a past meeting and its approved minutes."""
    roles = {role.role: role.user for role in meeting.roles.select_related("user")}
    bringer, chair = roles[RoleKind.BRINGER], roles[RoleKind.CHAIR]
    facilitator = meeting.group.facilitator
    case = Case(
        meeting=meeting,
        author=bringer,
        question=story["question"],
        situation=story["situation"],
        confirmed_at=meeting.starts_at - datetime.timedelta(days=1),
        confirmed_by=facilitator,
        chosen=True,
    )
    case.full_clean()
    case.save()
    Case.objects.filter(pk=case.pk).update(
        created_at=meeting.starts_at - datetime.timedelta(days=4)
    )
    case.themes.set(Theme.objects.filter(code__in=story["theme_codes"]))
    case.competencies.set(
        Competency.objects.current().filter(key__in=story["competency_keys"])
    )

    minutes = Minutes(
        meeting=meeting,
        status=MinutesStatus.APPROVED,
        advice=story["advice"],
        conclusions=story["conclusions"],
        approved_by=chair,
        approved_at=min(meeting.ends_at + datetime.timedelta(days=1), timezone.now()),
    )
    minutes.full_clean()
    minutes.save()
    steps = list(meeting.method.steps.all())
    StepNote.objects.bulk_create(
        [
            StepNote(
                minutes=minutes, position=position, title=step.title_ru[:160], text=text
            )
            for position, (step, text) in enumerate(
                zip(steps, story["notes"], strict=False), start=1
            )
        ]
    )
    due_on = meeting.local_start.date() + datetime.timedelta(days=ACTION_POINT_DAYS)
    for text in story["action_points"]:
        point = ActionPoint(meeting=meeting, owner=bringer, text=text, due_on=due_on)
        point.full_clean()
        point.save()
        ActionPoint.objects.filter(pk=point.pk).update(created_at=meeting.ends_at)


def _action_points_settle(past: list[Meeting], *, overdue: bool) -> None:
    """The action points of older meetings are done, the latest meeting's are
    open; with `overdue`, the latest one already due stays open too."""
    if not past:
        return
    now = timezone.now()
    older = ActionPoint.objects.filter(meeting__in=past[:-1]).select_related("meeting")
    late = None
    if overdue:
        late = older.filter(due_on__lt=timezone.localdate()).order_by("-due_on").first()
    for point in older:
        if late is not None and point.pk == late.pk:
            continue
        point.done_at = min(point.meeting.ends_at + datetime.timedelta(days=10), now)
        point.done_by_id = point.owner_id
        point.save(update_fields=["done_at", "done_by"])


def _exceptions_show(*, series: Series, manager) -> None:
    """Move the second coming meeting to 15:00–17:00 the same day and cancel
    the third."""
    coming = list(series.meetings.upcoming().filter(starts_at__gt=timezone.now())[:3])
    if len(coming) < 2:
        return
    moved = coming[1]
    tzinfo = series.group.tzinfo
    services.meeting_change(
        meeting=moved,
        actor=manager,
        starts_at=datetime.datetime.combine(
            moved.series_date, MOVED_START, tzinfo=tzinfo
        ),
        ends_at=datetime.datetime.combine(moved.series_date, MOVED_END, tzinfo=tzinfo),
        method=moved.method,
        location=moved.location,
        note=MOVE_NOTE,
    )
    if len(coming) >= 3:
        services.meeting_cancel(meeting=coming[2], actor=manager, note=CANCEL_NOTE)
