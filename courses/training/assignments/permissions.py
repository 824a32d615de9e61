"""Who may do what with assignments. Views and the access-matrix test use
these: trainers grade, officers submit for their own enrolment, administrators
may look."""

from lms.roles import Role


def user_can_grade_submissions(user) -> bool:
    return user.is_active and user.has_perm("courses.grade_submission")


def user_can_view_submissions(user) -> bool:
    """Everyone's submissions: trainers, and administrators (read only)."""
    return user.is_active and (
        user_can_grade_submissions(user)
        or user.has_perm("courses.view_submission")
        or user.has_role(Role.ADMINISTRATOR)
    )


def user_can_view_submission(user, submission) -> bool:
    return user.is_active and (
        submission.enrolment.user_id == user.pk or user_can_view_submissions(user)
    )
