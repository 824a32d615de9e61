"""Who may do what in the courses module. Views and the access-matrix test use
these."""


def user_can_grade(user) -> bool:
    return user.is_active and user.has_perm("courses.grade_quizattempt")


def user_can_revoke_certificates(user) -> bool:
    return user.is_active and user.has_perm("courses.revoke_certificate")


def user_can_download_certificate(user, certificate) -> bool:
    return user.is_active and (
        certificate.user_id == user.pk or user.has_perm("courses.view_certificate")
    )
