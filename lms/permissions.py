"""Who may do what in the core. Views and the access-matrix test use these."""


def user_can_make_framework_current(user) -> bool:
    return user.is_active and user.has_perm("lms.publish_frameworkversion")
