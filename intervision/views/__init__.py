"""Intervision pages. Each view says who may use it. Cases, minutes and action
points are shown to the group's members and its facilitator only; the office's
managers plan and count; the calendar feed answers to its secret token."""

from intervision.views.cases import (
    case_choose,
    case_confirm,
    case_create,
    case_edit,
)
from intervision.views.groups import (
    group,
    group_create,
    group_edit,
    home,
    meeting_create,
    pledge,
    schedule,
)
from intervision.views.meetings import (
    attendance,
    calendar,
    feed,
    meeting,
    meeting_cancel,
    meeting_change,
    meeting_ics,
    respond,
    roles,
)
from intervision.views.minutes import (
    action_add,
    action_done,
    minutes,
    minutes_amend,
    minutes_approve,
    minutes_download,
    run,
)

__all__ = [
    "action_add",
    "action_done",
    "attendance",
    "calendar",
    "case_choose",
    "case_confirm",
    "case_create",
    "case_edit",
    "feed",
    "group",
    "group_create",
    "group_edit",
    "home",
    "meeting",
    "meeting_cancel",
    "meeting_change",
    "meeting_create",
    "meeting_ics",
    "minutes",
    "minutes_amend",
    "minutes_approve",
    "minutes_download",
    "pledge",
    "respond",
    "roles",
    "run",
    "schedule",
]
