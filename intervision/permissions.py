"""Who may do what in intervision. Views and the access-matrix test use these.

Confidentiality is the rule of the module: a meeting's cases, minutes and
action points are read by the group's members and its facilitator, nobody else.
The office's managers run the group (members, schedule, roles, attendance) and
see counts, not content. Administrators see that groups and minutes exist.
"""

from lms.roles import Role


def user_is_in_group(user, group) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if group.facilitator_id == user.pk:
        return True
    return any(
        membership.user_id == user.pk and membership.is_current
        for membership in group.memberships.all()
    )


def user_manages_group(user, group) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and user.has_role(Role.MANAGER)
        and user.office_id is not None
        and user.office_id == group.office_id
    )


def user_can_create_group(user) -> bool:
    return (
        user.is_authenticated
        and user.has_role(Role.MANAGER)
        and user.office_id is not None
        and user.has_perm("intervision.add_group")
    )


def user_can_see_group(user, group) -> bool:
    """The group page: schedule, members, attendance and counted themes."""
    return user_is_in_group(user, group) or user_manages_group(user, group)


def user_can_read_content(user, group) -> bool:
    """Cases, minutes and action points. Members read them once they have agreed
    to the confidentiality pledge; see `pledge_needed`."""
    return user_is_in_group(user, group)


def pledge_needed(user, group) -> bool:
    if group.facilitator_id == user.pk:
        return False
    return not any(
        membership.user_id == user.pk and membership.pledge_agreed_at
        for membership in group.memberships.all()
    )


def holds_role(user, meeting, *roles: str) -> bool:
    return any(
        role.user_id == user.pk and role.role in roles for role in meeting.roles.all()
    )


def user_can_plan_meeting(user, meeting) -> bool:
    """Move or cancel it, change its roles."""
    return user_manages_group(user, meeting.group) or (
        meeting.group.facilitator_id == user.pk
    )


def user_can_write_minutes(user, meeting) -> bool:
    return user_is_in_group(user, meeting.group) and (
        holds_role(user, meeting, "minute_taker", "chair")
    )


def user_can_approve_minutes(user, meeting) -> bool:
    return user_is_in_group(user, meeting.group) and holds_role(user, meeting, "chair")


def user_can_amend_minutes(user, meeting) -> bool:
    return user_is_in_group(user, meeting.group) and (
        holds_role(user, meeting, "chair", "minute_taker")
        or meeting.group.facilitator_id == user.pk
    )


def user_can_confirm_case(user, group) -> bool:
    return user.is_authenticated and group.facilitator_id == user.pk


def user_can_record_attendance(user, meeting) -> bool:
    return user_can_plan_meeting(user, meeting) or (
        user_is_in_group(user, meeting.group)
        and holds_role(user, meeting, "chair", "minute_taker")
    )
