"""Who may do what in the core. Views and the access-matrix test use these."""

from lms.roles import Role


def user_can_view_dashboard(user) -> bool:
    return user.is_authenticated and user.is_active


def user_can_view_audit_log(user) -> bool:
    return user.is_active and user.has_perm("lms.view_auditentry")


def user_can_see_office_team(user, office) -> bool:
    """A manager sees the people of their own office; an administrator, every office."""
    if not user.is_authenticated:
        return False
    if user.has_role(Role.ADMINISTRATOR):
        return True
    return (
        user.has_role(Role.MANAGER)
        and office is not None
        and user.office_id == office.pk
    )


def user_can_edit_framework(user) -> bool:
    return user.is_active and user.has_perm("lms.change_frameworkversion")


def user_can_make_framework_current(user) -> bool:
    return user.is_active and user.has_perm("lms.publish_frameworkversion")
