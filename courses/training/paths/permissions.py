"""Who may do what with learning paths and CPD records. Views and the
access-matrix test use these.

Trainers and managers enrol cohorts (courses.enrol_cohort). A trainer enrols
officers of any office; a manager only those of their own office, and sees the
progress of their own office only. A CPD record is its officer's; their
office's managers may read and print it too.
"""

from lms.roles import Role


def user_can_enrol_cohort(user) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and user.has_perm("courses.enrol_cohort")
    )


def user_enrols_any_office(user) -> bool:
    """Trainers (and superusers) work across offices; managers do not."""
    return user_can_enrol_cohort(user) and (
        user.is_superuser or user.has_role(Role.TRAINER)
    )


def user_cohort_office_id(user) -> int | None:
    """The only office whose officers the user may enrol and follow; None when
    any office will do. A manager without an office gets 0, which no office has."""
    if user_enrols_any_office(user):
        return None
    return user.office_id or 0


def user_can_enrol_officer(user, officer) -> bool:
    if not user_can_enrol_cohort(user):
        return False
    office_id = user_cohort_office_id(user)
    return office_id is None or officer.office_id == office_id


def user_can_enrol_office(user, office) -> bool:
    if not user_can_enrol_cohort(user):
        return False
    office_id = user_cohort_office_id(user)
    return office_id is None or office.pk == office_id


def user_can_see_path(user, path, *, enrolled: bool) -> bool:
    """Those who enrol cohorts see every path; officers the paths they are in."""
    return user.is_authenticated and (enrolled or user_can_enrol_cohort(user))


def user_can_see_cpd_record(user, officer) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.pk == officer.pk:
        return True
    return (
        user.has_role(Role.MANAGER)
        and user.office_id is not None
        and user.office_id == officer.office_id
    )
