"""Cases brought to a meeting: anonymised before saving, confirmed by the
facilitator before the group reads them, chosen at the meeting."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from intervision import permissions
from intervision.anonymity import Finding, identifiers_find
from intervision.models import (
    Case,
    Meeting,
    MeetingRole,
    RoleKind,
)
from lms.audit import audit_record
from lms.services import notification_send


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


def case_identifiers(*, question: str, situation: str) -> list[tuple[str, Finding]]:
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
    findings = case_identifiers(question=question, situation=situation)
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
