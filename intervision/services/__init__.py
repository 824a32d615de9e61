"""Writes of the intervision module: groups and their schedules, meetings and
invitations, roles, cases, minutes and action points. Views, tasks and
seed_demo all call these."""

from intervision.services.cases import (
    IdentifiersFound,
    case_choose,
    case_confirm,
    case_identifiers,
    case_save,
)
from intervision.services.groups import (
    group_create,
    group_update,
    pledge_agree,
    series_create,
    series_end,
)
from intervision.services.meetings import (
    INVITE_AHEAD_DAYS,
    PLAN_AHEAD_DAYS,
    attendance_record,
    calendar_token_for,
    calendar_token_reset,
    invitations_send,
    meeting_cancel,
    meeting_change,
    meeting_create,
    meetings_plan,
    participation_respond,
    reminders_send,
    roles_assign,
    roles_propose,
)
from intervision.services.minutes import (
    MinutesPart,
    action_point_add,
    action_point_done,
    minutes_amend,
    minutes_approve,
    minutes_for,
    minutes_parts,
    minutes_save,
)

__all__ = [
    "INVITE_AHEAD_DAYS",
    "IdentifiersFound",
    "MinutesPart",
    "PLAN_AHEAD_DAYS",
    "action_point_add",
    "action_point_done",
    "attendance_record",
    "calendar_token_for",
    "calendar_token_reset",
    "case_choose",
    "case_confirm",
    "case_identifiers",
    "case_save",
    "group_create",
    "group_update",
    "invitations_send",
    "meeting_cancel",
    "meeting_change",
    "meeting_create",
    "meetings_plan",
    "minutes_amend",
    "minutes_approve",
    "minutes_for",
    "minutes_parts",
    "minutes_save",
    "participation_respond",
    "pledge_agree",
    "reminders_send",
    "roles_assign",
    "roles_propose",
    "series_create",
    "series_end",
]
