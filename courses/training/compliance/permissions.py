"""Who sees training compliance, and of which offices. Views, exports and the
access-matrix test use these.

A manager (courses.view_office_compliance) sees their own office. Whoever holds
courses.view_region_compliance sees every office of their own office's region:
administrators, and the "regional heads" (in the demo, the Almaty region's
manager holds the permission on their account). A superuser without an office
sees every office.
"""

from django.db.models import QuerySet

from lms.models import Office

OFFICE_PERMISSION = "courses.view_office_compliance"
REGION_PERMISSION = "courses.view_region_compliance"


def user_can_view_compliance(user) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and (user.has_perm(OFFICE_PERMISSION) or user.has_perm(REGION_PERMISSION))
    )


def user_sees_region(user) -> bool:
    return user_can_view_compliance(user) and user.has_perm(REGION_PERMISSION)


def compliance_offices(user) -> QuerySet[Office]:
    """The offices whose compliance the user may see (none when they may not)."""
    offices = Office.objects.with_region()
    if not user_can_view_compliance(user):
        return offices.none()
    if user_sees_region(user):
        if user.office_id is None:
            return offices if user.is_superuser else offices.none()
        return offices.filter(region__offices=user.office_id)
    if user.office_id is None:
        return offices.none()
    return offices.filter(pk=user.office_id)


def user_can_view_export(user, export) -> bool:
    """Only the person who asked for an export downloads it, while they still
    may see compliance."""
    return user_can_view_compliance(user) and export.requested_by_id == user.pk
