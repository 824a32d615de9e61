"""Demo data of mandatory training.

Motivational interviewing and the European Probation Rules are mandatory for
officers: 90 days from the hire date, certificates valid 24 months, renewal
opening 60 days before expiry. So that the matrix shows every colour, the first
extra officer of each office holds a fresh certificate of both courses, the
second one a certificate of MI that expires within weeks; the others are
overdue (the demo officers were hired in 2024 and 2025).

The regional head: the Almaty region's demo manager (manager.almaty-region)
holds courses.view_region_compliance on their account and sees every office of
the region; the other demo managers see their own office, and the demo
administrators (who hold it through their role) see their region.
"""

import datetime

from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale

from courses import services as course_services
from courses.models import (
    Certificate,
    CoursePage,
    Enrolment,
    EnrolmentStatus,
    MandatoryRule,
)
from lms.models import User
from lms.roles import Role

MANDATORY = ("motivational-interviewing", "european-probation-rules")
REGIONAL_HEAD = "manager.almaty-region"


def seed(stdout) -> None:
    """Idempotent."""
    locale = Locale.objects.filter(language_code="ru").first()
    pages = {
        page.slug: page
        for page in CoursePage.objects.live().filter(locale=locale, slug__in=MANDATORY)
    }
    created = 0
    for slug in MANDATORY:
        page = pages.get(slug)
        if page is None:
            continue
        _rule, made = MandatoryRule.objects.get_or_create(
            course=page,
            role=Role.OFFICER.value,
            office=None,
            defaults={"deadline_days": 90, "validity_months": 24, "renewal_days": 60},
        )
        created += made
    _grant_regional_head()
    if created:
        _seed_certificates([pages[slug] for slug in MANDATORY if slug in pages])
    stdout.write(f"Demo mandatory training: {len(pages)} courses ({created} new).")


def _grant_regional_head() -> None:
    head = User.objects.filter(username=REGIONAL_HEAD).first()
    if head is None:
        return
    head.user_permissions.add(
        Permission.objects.get(
            content_type__app_label="courses", codename="view_region_compliance"
        )
    )


@transaction.atomic
def _seed_certificates(pages: list[CoursePage]) -> None:
    today = timezone.localdate()
    for officer in User.objects.filter(username__regex=r"^officer\.[^.]+\.[12]$"):
        fresh = officer.username.endswith(".1")
        for page in pages if fresh else pages[:1]:
            issued = (
                today - datetime.timedelta(days=40)
                if fresh
                else today - relativedelta(months=24) + datetime.timedelta(days=20)
            )
            _certify(officer, page, issued)


def _certify(officer: User, page: CoursePage, issued: datetime.date) -> None:
    if Certificate.objects.filter(
        user=officer, course_key=page.translation_key
    ).exists():
        return
    # Past learning, recorded as it ended: prerequisites were met back then.
    enrolment, _created = Enrolment.objects.get_or_create(
        user=officer,
        course_key=page.translation_key,
        defaults={
            "course": page,
            "course_title": page.title,
            "status": EnrolmentStatus.COMPLETED,
            "enrolled_at": _moment(issued - datetime.timedelta(days=30)),
            "completed_at": _moment(issued),
            "cpd_hours": page.cpd_hours,
        },
    )
    certificate = course_services.certificate_issue(enrolment=enrolment)
    certificate.issued_on = issued
    certificate.valid_until = issued + relativedelta(months=24)
    certificate.save(update_fields=["issued_on", "valid_until"])


def _moment(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
