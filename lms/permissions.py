"""Who may do what in the core. Views and the access-matrix test use these."""


def user_can_make_framework_current(user) -> bool:
    """Making an earlier approved version current again, without a new review:
    administrators, to roll back. Approval makes a version current by itself."""
    return user.is_active and user.has_perm("lms.make_current_frameworkversion")


def user_can_draft_framework(user) -> bool:
    """Drafting versions and successors: champions and administrators."""
    return user.is_active and user.has_perm("lms.add_frameworkversion")


def user_can_see_framework_drafts(user) -> bool:
    """Comparing drafts, not only approved versions: whoever works on them."""
    return user.is_active and user.has_perm("lms.change_frameworkversion")
