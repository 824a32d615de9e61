"""Minutes: drafted by the minute-taker, approved and locked by the chair,
corrected by amendment; and the action points agreed at a meeting."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from intervision import permissions
from intervision.models import (
    ActionPoint,
    Amendment,
    Meeting,
    Minutes,
    MinutesStatus,
    StepNote,
)
from intervision.services.meetings import members_notify
from lms.audit import audit_record


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
    members_notify(
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
