"""Meetings: planned ahead from schedules, moved or cancelled one at a time,
invitations and reminders, answers, attendance, roles by fair rotation, and the
secret of each member's calendar feed.

Notifications carry a link and a date, never a case or the minutes: those are
read in Ustaz by the group only."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from intervision import permissions
from intervision.models import (
    SINGLE_ROLES,
    CalendarToken,
    Group,
    Meeting,
    MeetingRole,
    MeetingStatus,
    Method,
    Participation,
    Response,
    RoleKind,
    Series,
)
from lms.audit import audit_record
from lms.services import notification_send

# How far ahead meetings are created from a schedule, and how long before a
# meeting its members are invited.
PLAN_AHEAD_DAYS = 91
INVITE_AHEAD_DAYS = 21


def _local_date_text(meeting: Meeting) -> str:
    return date_format(meeting.local_start, "DATETIME_FORMAT")


def members_notify(users: Iterable, *, subject, meeting: Meeting, body="") -> None:
    """Tell people about a meeting, each in their language, with a link and
    the date only."""
    for user in users:
        with translation.override(user.preferred_language):
            url = meeting.get_absolute_url()
            notification_send(
                recipient=user,
                subject=str(subject) % {"group": meeting.group.name},
                body=str(body) % {"when": _local_date_text(meeting)}
                if body
                else _local_date_text(meeting),
                url=url,
            )


def _participations_create(meeting: Meeting) -> None:
    present = set(meeting.participations.values_list("user_id", flat=True))
    members = meeting.group.memberships.filter(left_on__isnull=True).exclude(
        user_id__in=present
    )
    Participation.objects.bulk_create(
        [Participation(meeting=meeting, user_id=m.user_id) for m in members]
    )


@transaction.atomic
def meetings_plan(
    *, series: Series | None = None, today: datetime.date | None = None
) -> int:
    """Create the meetings of the coming weeks from the schedules, with an
    invitation for each member and proposed roles. Creates each series date
    once: a moved or cancelled meeting is never created again."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=PLAN_AHEAD_DAYS)
    schedules = [series] if series else Series.objects.running(on=today)
    created = 0
    for schedule in schedules:
        schedule = Series.objects.select_related("group").get(pk=schedule.pk)
        known = set(schedule.meetings.values_list("series_date", flat=True))
        for day in schedule.dates_between(max(today, schedule.starts_on), horizon):
            if day in known:
                continue
            starts_at = schedule.starts_at(day)
            if starts_at <= timezone.now():
                continue
            meeting = Meeting(
                group=schedule.group,
                series=schedule,
                series_date=day,
                starts_at=starts_at,
                ends_at=schedule.ends_at(day),
                method=schedule.group.default_method,
                location=schedule.group.location,
            )
            meeting.full_clean()
            meeting.save()
            _participations_create(meeting)
            roles_assign(meeting=meeting, roles=roles_propose(meeting=meeting))
            created += 1
    invitations_send()
    return created


@transaction.atomic
def invitations_send() -> int:
    """Invite members to meetings in the next three weeks, once each."""
    now = timezone.now()
    until = now + datetime.timedelta(days=INVITE_AHEAD_DAYS)
    pending = (
        Participation.objects.filter(
            invited_at__isnull=True,
            meeting__status=MeetingStatus.SCHEDULED,
            meeting__starts_at__gt=now,
            meeting__starts_at__lte=until,
        )
        .select_related("meeting__group", "user")
        .select_for_update(of=("self",))
    )
    sent = 0
    for participation in pending:
        members_notify(
            [participation.user],
            subject=gettext_lazy("Intervision meeting of %(group)s"),
            body=gettext_lazy("You are invited: %(when)s. Please say if you come."),
            meeting=participation.meeting,
        )
        participation.invited_at = now
        participation.save(update_fields=["invited_at"])
        sent += 1
    return sent


@transaction.atomic
def reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Remind members who have not declined, the day before the meeting. Each
    member is reminded once, however often the task runs."""
    now = now or timezone.now()
    pending = (
        Participation.objects.select_for_update(of=("self",))
        .filter(
            reminded_at__isnull=True,
            meeting__status=MeetingStatus.SCHEDULED,
            meeting__starts_at__gt=now,
            meeting__starts_at__lte=now + datetime.timedelta(hours=24),
        )
        .exclude(response=Response.NO)
        .select_related("meeting__group", "user")
    )
    sent = 0
    for participation in pending:
        members_notify(
            [participation.user],
            subject=gettext_lazy("Reminder: intervision meeting of %(group)s"),
            body=gettext_lazy("The meeting is on %(when)s."),
            meeting=participation.meeting,
        )
        participation.reminded_at = now
        participation.save(update_fields=["reminded_at"])
        sent += 1
    return sent


def _refuse_past(starts_at: datetime.datetime) -> None:
    if starts_at <= timezone.now():
        raise ValidationError(
            {"starts_at": _("A meeting cannot be planned in the past.")}
        )


@transaction.atomic
def meeting_create(
    *,
    group: Group,
    actor,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    method: Method | None = None,
    location: str | None = None,
) -> Meeting:
    """A one-off meeting outside the schedule."""
    if not permissions.user_manages_group(actor, group):
        raise PermissionDenied(_("Only a manager of this office can plan meetings."))
    _refuse_past(starts_at)
    meeting = Meeting(
        group=group,
        starts_at=starts_at,
        ends_at=ends_at,
        method=method or group.default_method,
        location=group.location if location is None else location,
    )
    _meeting_clean(meeting)
    meeting.save()
    _participations_create(meeting)
    roles_assign(meeting=meeting, roles=roles_propose(meeting=meeting))
    audit_record(action="intervision.meeting_create", actor=actor, obj=meeting)
    invitations_send()
    return meeting


def _meeting_clean(meeting: Meeting) -> None:
    if meeting.ends_at <= meeting.starts_at:
        raise ValidationError({"ends_at": _("The meeting must end after it starts.")})
    meeting.full_clean()


@transaction.atomic
def meeting_change(
    *,
    meeting: Meeting,
    actor,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    method: Method,
    location: str,
    note: str = "",
) -> Meeting:
    """Move one meeting, or change its method or place, leaving the rest of the
    series as it is. It keeps its series date, so calendars update it."""
    if not permissions.user_can_plan_meeting(actor, meeting):
        raise PermissionDenied(
            _("Only the office's manager or the facilitator can change a meeting.")
        )
    if meeting.is_cancelled:
        raise ValidationError(_("This meeting is cancelled."))
    if meeting.has_started:
        raise ValidationError(
            _("This meeting has already started; it cannot be changed.")
        )
    moved = starts_at != meeting.starts_at or ends_at != meeting.ends_at
    if moved:
        _refuse_past(starts_at)
    meeting.starts_at, meeting.ends_at = starts_at, ends_at
    meeting.method, meeting.location = method, location
    meeting.change_note = note
    meeting.sequence += 1
    _meeting_clean(meeting)
    meeting.save()
    audit_record(
        action="intervision.meeting_change",
        actor=actor,
        obj=meeting,
        data={"moved": moved, "starts_at": starts_at.isoformat()},
    )
    if moved:
        members_notify(
            [p.user for p in meeting.participations.select_related("user")],
            subject=gettext_lazy("Intervision meeting of %(group)s moved"),
            body=gettext_lazy("The meeting is now on %(when)s."),
            meeting=meeting,
        )
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, actor, note: str) -> Meeting:
    """Cancel one meeting; the series goes on."""
    if not permissions.user_can_plan_meeting(actor, meeting):
        raise PermissionDenied(
            _("Only the office's manager or the facilitator can cancel a meeting.")
        )
    if meeting.has_started:
        raise ValidationError(
            _("This meeting has already started; it cannot be cancelled.")
        )
    if not note.strip():
        raise ValidationError({"note": _("Say why the meeting is cancelled.")})
    meeting.status = MeetingStatus.CANCELLED
    meeting.change_note = note
    meeting.sequence += 1
    meeting.save(update_fields=["status", "change_note", "sequence", "updated_at"])
    audit_record(action="intervision.meeting_cancel", actor=actor, obj=meeting)
    members_notify(
        [p.user for p in meeting.participations.select_related("user")],
        subject=gettext_lazy("Intervision meeting of %(group)s cancelled"),
        body=gettext_lazy("The meeting of %(when)s will not take place."),
        meeting=meeting,
    )
    return meeting


@transaction.atomic
def participation_respond(*, meeting: Meeting, user, response: str) -> Participation:
    if response not in (Response.YES, Response.NO):
        raise ValidationError(_("Answer yes or no."))
    if meeting.is_cancelled or meeting.has_started:
        raise ValidationError(_("This meeting no longer takes answers."))
    participation = Participation.objects.filter(meeting=meeting, user=user).first()
    if participation is None:
        raise PermissionDenied(_("You are not invited to this meeting."))
    participation.response = response
    participation.responded_at = timezone.now()
    participation.save(update_fields=["response", "responded_at"])
    return participation


@transaction.atomic
def attendance_record(*, meeting: Meeting, actor, present: Iterable[int]) -> None:
    """Who came. Counts as CPD hours in each attendee's development record."""
    if not permissions.user_can_record_attendance(actor, meeting):
        raise PermissionDenied(_("You cannot record attendance for this meeting."))
    if not meeting.has_started or meeting.is_cancelled:
        raise ValidationError(_("Attendance is recorded once the meeting has started."))
    present = set(present)
    participations = list(meeting.participations.all())
    unknown = present - {p.user_id for p in participations}
    if unknown:
        raise ValidationError(_("Only invited members can be marked present."))
    for participation in participations:
        participation.attended = participation.user_id in present
        participation.save(update_fields=["attended"])
    meeting.attendance_recorded_at = timezone.now()
    meeting.save(update_fields=["attendance_recorded_at", "updated_at"])
    audit_record(
        action="intervision.attendance_record",
        actor=actor,
        obj=meeting,
        data={"present": sorted(present)},
    )


def roles_propose(*, meeting: Meeting) -> dict[str, list]:
    """A fair rotation: for each role, the member who held it least recently
    (never, first), then who held it least often. Nobody gets two roles when
    the group is big enough, and members who said no are left out."""
    participations = list(
        meeting.participations.select_related("user").exclude(response=Response.NO)
    )
    candidates = [p.user for p in participations]
    if not candidates:
        return {}
    history = (
        MeetingRole.objects.filter(
            meeting__group=meeting.group,
            meeting__starts_at__lt=meeting.starts_at,
            meeting__status=MeetingStatus.SCHEDULED,
        )
        .exclude(meeting=meeting)
        .values("user_id", "role")
        .annotate(last=Max("meeting__starts_at"))
    )
    last = {(row["user_id"], row["role"]): row["last"] for row in history}
    counts: dict[tuple[int, str], int] = {}
    for row in MeetingRole.objects.filter(
        meeting__group=meeting.group,
        meeting__starts_at__lt=meeting.starts_at,
        meeting__status=MeetingStatus.SCHEDULED,
    ).values_list("user_id", "role"):
        counts[row] = counts.get(row, 0) + 1
    never = datetime.datetime.min.replace(tzinfo=datetime.UTC)
    taken: set[int] = set()
    proposal: dict[str, list] = {}
    for role in (
        RoleKind.CHAIR,
        RoleKind.MINUTE_TAKER,
        RoleKind.TIMEKEEPER,
        RoleKind.BRINGER,
    ):
        pool = [user for user in candidates if user.pk not in taken] or candidates
        chosen = min(
            pool,
            key=lambda user, role=role: (
                last.get((user.pk, role), never),
                counts.get((user.pk, role), 0),
                user.get_full_name(),
            ),
        )
        taken.add(chosen.pk)
        proposal[role] = [chosen]
    return proposal


@transaction.atomic
def roles_assign(*, meeting: Meeting, roles: dict[str, list], actor=None) -> None:
    """Set the meeting's roles. Holders must be members invited to it."""
    if actor is not None and not permissions.user_can_plan_meeting(actor, meeting):
        raise PermissionDenied(
            _("Only the office's manager or the facilitator can change roles.")
        )
    invited = set(meeting.participations.values_list("user_id", flat=True))
    for role, users in roles.items():
        if role in SINGLE_ROLES and len(users) > 1:
            raise ValidationError({role: _("One member holds this role.")})
        for user in users:
            if user.pk not in invited:
                raise ValidationError(
                    {
                        role: _("%(name)s is not a member invited to this meeting.")
                        % {"name": user.get_full_name()}
                    }
                )
    meeting.roles.all().delete()
    MeetingRole.objects.bulk_create(
        [
            MeetingRole(meeting=meeting, user=user, role=role)
            for role, users in roles.items()
            for user in users
        ]
    )
    if actor is not None:
        audit_record(
            action="intervision.roles_assign",
            actor=actor,
            obj=meeting,
            data={role: [u.pk for u in users] for role, users in roles.items()},
        )


def calendar_token_for(user) -> CalendarToken:
    token, _created = CalendarToken.objects.get_or_create(
        user=user, defaults={"token": CalendarToken.new_token()}
    )
    return token


@transaction.atomic
def calendar_token_reset(*, user) -> CalendarToken:
    """A new secret URL; the old one stops working at once."""
    token = calendar_token_for(user)
    token.token = CalendarToken.new_token()
    token.save(update_fields=["token", "created_at"])
    audit_record(action="intervision.calendar_reset", actor=user, obj=token)
    return token
