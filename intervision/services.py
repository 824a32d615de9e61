"""Writes of the intervision module: groups and their schedules, meetings and
invitations, roles, cases, minutes and action points. Views, tasks and
seed_demo all call these.

Notifications carry a link and a date, never a case or the minutes: those are
read in Ustaz by the group only.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from intervision import permissions
from intervision.anonymity import Finding, identifiers_find
from intervision.models import (
    SINGLE_ROLES,
    ActionPoint,
    Amendment,
    CalendarToken,
    Case,
    Group,
    Meeting,
    MeetingRole,
    MeetingStatus,
    Membership,
    Method,
    Minutes,
    MinutesStatus,
    Participation,
    Response,
    RoleKind,
    Series,
    StepNote,
)
from lms.audit import audit_record
from lms.services import notification_send

# How far ahead meetings are created from a schedule, and how long before a
# meeting its members are invited.
PLAN_AHEAD_DAYS = 91
INVITE_AHEAD_DAYS = 21


class IdentifiersFound(ValidationError):
    """The case text looks like it identifies someone. The author is asked to
    replace it, or to confirm that it identifies nobody."""

    def __init__(self, findings: list[tuple[str, Finding]]):
        self.findings = findings
        super().__init__(
            _(
                "This text looks like it may identify a person. Replace what is "
                "marked, or confirm that it identifies nobody."
            ),
            code="identifiers",
        )


def _local_date_text(meeting: Meeting) -> str:
    return date_format(meeting.local_start, "DATETIME_FORMAT")


def _notify(users: Iterable, *, subject, meeting: Meeting, body="") -> None:
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


# Groups and members -------------------------------------------------------------


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
    group.timezone, group.location = timezone_name, location
    group.full_clean()
    group.save()
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


# Schedules and meetings ---------------------------------------------------------


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
        _notify(
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
        _notify(
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
        _notify(
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
    _notify(
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


# Roles --------------------------------------------------------------------------


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


# Cases --------------------------------------------------------------------------


def _identifiers(*, question: str, situation: str) -> list[tuple[str, Finding]]:
    return [("question", f) for f in identifiers_find(question)] + [
        ("situation", f) for f in identifiers_find(situation)
    ]


@transaction.atomic
def case_save(
    *,
    meeting: Meeting,
    author,
    question: str,
    situation: str,
    themes: Iterable = (),
    competencies: Iterable = (),
    keep_despite_warning: bool = False,
    case: Case | None = None,
) -> Case:
    """Bring a case to a meeting, or edit it before it is confirmed.

    Text that looks like a personal identifier raises IdentifiersFound, every
    time, until it is replaced or the author confirms it identifies nobody;
    that confirmation is recorded (which kinds, not the text)."""
    group = meeting.group
    if not permissions.user_is_in_group(author, group) or permissions.pledge_needed(
        author, group
    ):
        raise PermissionDenied(_("Only members who agreed to the pledge bring cases."))
    if case is not None and (
        case.author_id != author.pk or case.meeting_id != meeting.pk
    ):
        raise PermissionDenied(_("Only its author changes a case."))
    if case is not None and case.is_confirmed:
        raise ValidationError(
            _(
                "This case has been confirmed and is read by the group; "
                "it can no longer be changed."
            )
        )
    if meeting.is_cancelled or meeting.is_past:
        raise ValidationError(
            _("Cases are brought to meetings that are still to come.")
        )
    findings = _identifiers(question=question, situation=situation)
    if findings and not keep_despite_warning:
        raise IdentifiersFound(findings)
    case = case or Case(meeting=meeting, author=author)
    case.question, case.situation = question, situation
    case.warnings_overridden = sorted({str(f.kind) for _field, f in findings})
    case.full_clean()
    case.save()
    case.themes.set(themes)
    case.competencies.set(competencies)
    if findings:
        audit_record(
            action="intervision.case_warning_overridden",
            actor=author,
            obj=meeting,
            data={"case": case.pk, "kinds": case.warnings_overridden},
        )
    if group.facilitator_id != author.pk:
        facilitator = group.facilitator
        with translation.override(facilitator.preferred_language):
            notification_send(
                recipient=facilitator,
                subject=gettext_lazy("A case to check before the group reads it"),
                url=reverse("intervision:case_confirm", args=[case.pk]),
            )
    return case


@transaction.atomic
def case_confirm(*, case: Case, actor) -> Case:
    """The facilitator confirms the case identifies nobody; the group may read it."""
    if not permissions.user_can_confirm_case(actor, case.meeting.group):
        raise PermissionDenied(_("Only the group's facilitator confirms cases."))
    if not case.is_confirmed:
        case.confirmed_at, case.confirmed_by = timezone.now(), actor
        case.save(update_fields=["confirmed_at", "confirmed_by", "updated_at"])
        audit_record(
            action="intervision.case_confirm",
            actor=actor,
            obj=case.meeting,
            data={"case": case.pk},
        )
    return case


@transaction.atomic
def case_choose(*, case: Case, actor) -> Case:
    """The case the group takes at the meeting (incident method: one)."""
    meeting = case.meeting
    if not (
        permissions.holds_role(actor, meeting, RoleKind.CHAIR)
        or permissions.user_can_plan_meeting(actor, meeting)
    ):
        raise PermissionDenied(_("The chair chooses the case."))
    if not case.is_confirmed:
        raise ValidationError(_("The facilitator has not confirmed this case yet."))
    case.chosen = True
    case.save(update_fields=["chosen", "updated_at"])
    if not meeting.roles.filter(role=RoleKind.BRINGER, user=case.author).exists():
        MeetingRole.objects.create(
            meeting=meeting, user=case.author, role=RoleKind.BRINGER
        )
    return case


# Minutes ------------------------------------------------------------------------


@dataclass(frozen=True)
class MinutesPart:
    key: str
    label: str
    text: str


def minutes_for(meeting: Meeting) -> Minutes:
    minutes, _created = Minutes.objects.get_or_create(meeting=meeting)
    return minutes


@transaction.atomic
def minutes_save(
    *,
    meeting: Meeting,
    actor,
    notes: dict[int, str] | None = None,
    advice: str | None = None,
    conclusions: str | None = None,
) -> Minutes:
    """The minute-taker's draft: notes per step, advice, conclusions."""
    if not permissions.user_can_write_minutes(actor, meeting):
        raise PermissionDenied(_("The minute-taker and the chair write the minutes."))
    if not meeting.has_started:
        raise ValidationError(_("Minutes are written once the meeting has started."))
    minutes = Minutes.objects.select_for_update().get(pk=minutes_for(meeting).pk)
    if minutes.is_approved:
        raise ValidationError(
            _("These minutes are approved and locked. Propose an amendment instead.")
        )
    steps = dict(enumerate(meeting.method.steps.all(), 1))
    for position, text in (notes or {}).items():
        step = steps.get(position)
        if step is None:
            raise ValidationError(_("The method has no step %(n)s.") % {"n": position})
        StepNote.objects.update_or_create(
            minutes=minutes,
            position=position,
            defaults={"title": step.title[:160], "text": text},
        )
    if advice is not None:
        minutes.advice = advice
    if conclusions is not None:
        minutes.conclusions = conclusions
    minutes.full_clean()
    minutes.save()
    return minutes


@transaction.atomic
def minutes_approve(*, minutes: Minutes, actor) -> Minutes:
    """The chair approves the minutes; from then on they are locked."""
    meeting = minutes.meeting
    if not permissions.user_can_approve_minutes(actor, meeting):
        raise PermissionDenied(_("Only the meeting's chair approves the minutes."))
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    if minutes.is_approved:
        raise ValidationError(_("These minutes are already approved."))
    if not (
        minutes.advice.strip()
        or minutes.conclusions.strip()
        or minutes.notes.exclude(text="").exists()
    ):
        raise ValidationError(_("The minutes are empty: write them before approving."))
    minutes.status = MinutesStatus.APPROVED
    minutes.approved_at, minutes.approved_by = timezone.now(), actor
    minutes.save(update_fields=["status", "approved_at", "approved_by", "updated_at"])
    audit_record(action="intervision.minutes_approve", actor=actor, obj=meeting)
    recipients = [
        m.user
        for m in meeting.group.memberships.filter(left_on__isnull=True).select_related(
            "user"
        )
        if m.user_id != actor.pk
    ]
    _notify(
        recipients,
        subject=gettext_lazy("Minutes approved: %(group)s"),
        body=gettext_lazy("The minutes of the meeting of %(when)s are approved."),
        meeting=meeting,
    )
    return minutes


def minutes_parts(minutes: Minutes) -> dict[str, MinutesPart]:
    parts = {
        f"step-{note.position}": MinutesPart(
            f"step-{note.position}", note.title, note.text
        )
        for note in minutes.notes.all()
    }
    parts["advice"] = MinutesPart(
        "advice", str(Minutes._meta.get_field("advice").verbose_name), minutes.advice
    )
    parts["conclusions"] = MinutesPart(
        "conclusions",
        str(Minutes._meta.get_field("conclusions").verbose_name),
        minutes.conclusions,
    )
    return parts


@transaction.atomic
def minutes_amend(
    *, minutes: Minutes, actor, part: str, text: str, reason: str
) -> Amendment:
    """Correct approved minutes. The original text stays, with who, when and why."""
    meeting = minutes.meeting
    if not permissions.user_can_amend_minutes(actor, meeting):
        raise PermissionDenied(
            _("The chair, the minute-taker or the facilitator amend minutes.")
        )
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    if not minutes.is_approved:
        raise ValidationError(
            _("Draft minutes are edited directly; amendments are for approved minutes.")
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the minutes are corrected.")})
    current = minutes_parts(minutes).get(part)
    if current is None:
        raise ValidationError({"part": _("Choose a part of the minutes to correct.")})
    if current.text == text:
        raise ValidationError({"text": _("The corrected text is the same as before.")})
    amendment = Amendment(
        minutes=minutes,
        author=actor,
        part=part,
        part_label=current.label[:200],
        reason=reason.strip(),
        before=current.text,
        after=text,
    )
    amendment.full_clean()
    amendment.save()
    if part.startswith("step-"):
        StepNote.objects.filter(minutes=minutes, position=int(part[5:])).update(
            text=text
        )
    else:
        setattr(minutes, part, text)
        minutes.save(update_fields=[part, "updated_at"])
    audit_record(
        action="intervision.minutes_amend",
        actor=actor,
        obj=meeting,
        data={"part": part, "amendment": amendment.pk},
    )
    return amendment


# Action points ------------------------------------------------------------------


@transaction.atomic
def action_point_add(
    *, meeting: Meeting, actor, owner, text: str, due_on: datetime.date
) -> ActionPoint:
    if not permissions.user_can_write_minutes(actor, meeting):
        raise PermissionDenied(
            _("The minute-taker and the chair record action points.")
        )
    if not permissions.user_is_in_group(owner, meeting.group):
        raise ValidationError(
            {"owner": _("Action points are taken by members of the group.")}
        )
    if hasattr(meeting, "minutes") and meeting.minutes.is_approved:
        raise ValidationError(
            _("These minutes are approved and locked. Propose an amendment instead.")
        )
    point = ActionPoint(meeting=meeting, owner=owner, text=text, due_on=due_on)
    point.full_clean()
    point.save()
    return point


@transaction.atomic
def action_point_done(*, point: ActionPoint, actor) -> ActionPoint:
    group = point.meeting.group
    if not (point.owner_id == actor.pk or permissions.user_is_in_group(actor, group)):
        raise PermissionDenied(
            _("Only members of the group mark its action points done.")
        )
    if point.done_at is None:
        point.done_at, point.done_by = timezone.now(), actor
        point.save(update_fields=["done_at", "done_by"])
    return point


# Calendar feed ------------------------------------------------------------------


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
