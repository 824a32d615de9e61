"""Writes of mandatory training: the daily compliance check (reminders and
refresher enrolment), re-opening a completed course for renewal, and exports of
the compliance matrix.

Renewal by the same course: an officer has one enrolment per course (unique
user + course key), so renewing re-opens it: its status goes back to "in
progress" and its lesson progress is cleared, so the lessons are studied again.
The earlier completion stays on record as the certificate it earned (and in the
audit log); completing again issues a new certificate. Quiz attempts and
assignment submissions are graded records and are kept, so a quiz passed before
is not taken again: when a quiz must be retaken, give the rule a separate
refresher course.
"""

import datetime
import logging

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courses.models import (
    ComplianceExport,
    ComplianceReminder,
    CoursePage,
    Enrolment,
    EnrolmentStatus,
    ExportStatus,
    LessonProgress,
    MandatoryRule,
    ReminderKind,
)
from courses.services import enrolment_create
from courses.training.compliance import exports, selectors
from courses.training.compliance.permissions import compliance_offices
from lms.audit import audit_record
from lms.models import User
from lms.roles import Role
from lms.services import notification_send

logger = logging.getLogger(__name__)

REMIND_DAYS_BEFORE = 30
SMALL_EXPORT_ROWS = 500
PROGRESS_EVERY = 500


class ExportAlreadyRunning(Exception):
    """The same export is being prepared for the same person."""

    def __init__(self, export: ComplianceExport):
        super().__init__(export.pk)
        self.export = export


# Renewal --------------------------------------------------------------------------


def _course_for(user: User, course: CoursePage) -> CoursePage:
    """The course page in the officer's language when it is published in it."""
    return (
        CoursePage.objects.live()
        .filter(
            translation_key=course.translation_key,
            locale__language_code=user.preferred_language,
        )
        .first()
        or course
    )


@transaction.atomic
def enrolment_renew(*, user: User, course: CoursePage) -> Enrolment:
    """Enrol the officer in a course to renew a certificate. A first enrolment
    is an ordinary one; a course in progress stays as it is; a completed course
    is re-opened, its lessons to be studied again (see the module docstring)."""
    enrolment = (
        Enrolment.objects.select_for_update()
        .filter(user=user, course_key=course.translation_key)
        .first()
    )
    if enrolment is None or enrolment.status == EnrolmentStatus.WITHDRAWN:
        return enrolment_create(user=user, course=_course_for(user, course))
    if enrolment.status == EnrolmentStatus.ACTIVE:
        return enrolment
    previous = enrolment.completed_at
    LessonProgress.objects.filter(enrolment=enrolment).delete()
    enrolment.status = EnrolmentStatus.ACTIVE
    enrolment.enrolled_at = timezone.now()
    enrolment.completed_at = None
    enrolment.last_lesson_key = None
    enrolment.full_clean()
    enrolment.save(
        update_fields=["status", "enrolled_at", "completed_at", "last_lesson_key"]
    )
    audit_record(
        action="courses.enrolment_renewed",
        obj=enrolment,
        data={"completed_before": previous.isoformat() if previous else None},
    )
    return enrolment


# The daily check ------------------------------------------------------------------


def _record_once(
    rule: MandatoryRule, user: User, kind: str, due_on: datetime.date
) -> bool:
    """Record that a reminder is sent; False when it was sent already (also
    when another run recorded it a moment ago)."""
    try:
        with transaction.atomic():
            _reminder, created = ComplianceReminder.objects.get_or_create(
                rule=rule, user=user, kind=kind, due_on=due_on
            )
    except IntegrityError:
        return False
    return created


def _managers_by_office(office_ids) -> dict:
    managers = {}
    for manager in User.objects.with_role(Role.MANAGER).filter(
        office_id__in=office_ids
    ):
        managers.setdefault(manager.office_id, []).append(manager)
    return managers


def _title_of(course: CoursePage, language: str, titles: dict) -> str:
    """The course's title in a language, looked up once per course and language."""
    if (course.pk, language) not in titles:
        page = (
            CoursePage.objects.filter(
                translation_key=course.translation_key, locale__language_code=language
            )
            .only("title")
            .first()
        )
        titles[course.pk, language] = page.title if page else course.title
    return titles[course.pk, language]


def _in_language(user: User, make):
    with translation.override(user.preferred_language):
        return make()


def compliance_check(*, today: datetime.date | None = None) -> dict:
    """Run once a day (Celery beat); safe to run any number of times.

    For every officer and every rule that applies to them:
    - up to REMIND_DAYS_BEFORE days before the due date (first deadline or the
      certificate's expiry), remind the officer;
    - after it, remind the officer, and tell the managers of their office;
    - once renewal opens (expiry - renewal_days), enrol them in the refresher
      (or re-open the course) and tell them.
    Each is sent once per rule, officer, kind and due date (ComplianceReminder).
    Returns how many of each were sent."""
    today = today or timezone.localdate()
    rules = list(selectors.rules_with_courses())
    sent = dict.fromkeys(ReminderKind.values, 0)
    if not rules:
        return sent
    officers = list(
        User.objects.filter(is_active=True)
        .exclude(office__isnull=True)
        .select_related("office")
    )
    cells = selectors.compliance_cells(officers, rules, today=today)
    officers_by_pk = {officer.pk: officer for officer in officers}
    rules_by_pk = {rule.pk: rule for rule in rules}
    managers = None
    titles = {}
    for (officer_id, rule_id), cell in cells.items():
        officer, rule = officers_by_pk[officer_id], rules_by_pk[rule_id]
        if cell.due_on is None:
            continue
        renewal_open = cell.renewal_opens is not None and today >= cell.renewal_opens
        # A certificate that expired before renewal was ever opened (a rule
        # made late) opens renewal as well.
        expired = cell.has_certificate and cell.state == selectors.CellState.OVERDUE
        if renewal_open or expired:
            sent[ReminderKind.REFRESHER] += _refresher(rule, officer, cell, titles)
        if cell.state == selectors.CellState.OVERDUE:
            sent[ReminderKind.OVERDUE] += _remind(
                rule,
                officer,
                cell,
                ReminderKind.OVERDUE,
                gettext_lazy("Mandatory training is overdue"),
                lambda title, date: (
                    _("«%(title)s» was due on %(date)s. Please complete it now.")
                    % {"title": title, "date": date}
                ),
                titles,
            )
            if managers is None:
                managers = _managers_by_office({o.office_id for o in officers})
            sent[ReminderKind.MANAGER_OVERDUE] += _tell_managers(
                rule, officer, cell, managers.get(officer.office_id, []), titles
            )
        elif 0 <= (cell.due_on - today).days <= REMIND_DAYS_BEFORE:
            sent[ReminderKind.DUE_SOON] += _remind(
                rule,
                officer,
                cell,
                ReminderKind.DUE_SOON,
                gettext_lazy("Mandatory training is due soon"),
                lambda title, date: (
                    _("Complete «%(title)s» by %(date)s.")
                    % {"title": title, "date": date}
                ),
                titles,
            )
    return sent


@transaction.atomic
def _remind(rule, officer, cell, kind, subject, make_body, titles) -> int:
    if not _record_once(rule, officer, kind, cell.due_on):
        return 0
    title = _title_of(rule.course, officer.preferred_language, titles)
    notification_send(
        recipient=officer,
        subject=subject,
        body=_in_language(officer, lambda: make_body(title, _date(cell.due_on))),
        url=reverse("courses:my_learning"),
    )
    return 1


def _date(value: datetime.date) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def _tell_managers(rule, officer, cell, managers, titles) -> int:
    """The office's managers hear once that an officer is overdue; with no
    manager in the office nothing is recorded, so a new manager hears of it."""
    if not managers:
        return 0
    with transaction.atomic():
        if not _record_once(rule, officer, ReminderKind.MANAGER_OVERDUE, cell.due_on):
            return 0
        url = reverse("courses:compliance_matrix") + "?state=overdue"
        for manager in managers:
            title = _title_of(rule.course, manager.preferred_language, titles)
            body = _in_language(
                manager,
                lambda title=title: (
                    _(
                        "%(officer)s has not completed the mandatory course "
                        "«%(title)s», due on %(date)s."
                    )
                    % {
                        "officer": officer.get_full_name(),
                        "title": title,
                        "date": _date(cell.due_on),
                    }
                ),
            )
            notification_send(
                recipient=manager,
                subject=gettext_lazy("An officer is overdue with mandatory training"),
                body=body,
                url=url,
            )
    return 1


def _refresher(rule, officer, cell, titles) -> int:
    """Enrol the officer in the refresher once renewal opens, and tell them."""
    course = rule.refresher or rule.course
    with transaction.atomic():
        if not _record_once(rule, officer, ReminderKind.REFRESHER, cell.due_on):
            return 0
        try:
            with transaction.atomic():
                enrolment_renew(user=officer, course=course)
        except ValidationError as error:
            # Not open for enrolment (unpublished, prerequisites): they are
            # still told, and the matrix shows the course as due.
            logger.warning(
                "Refresher enrolment refused for user %s, rule %s: %s",
                officer.pk,
                rule.pk,
                "; ".join(error.messages),
            )
        title = _title_of(course, officer.preferred_language, titles)
        notification_send(
            recipient=officer,
            subject=gettext_lazy("Renew your mandatory training"),
            body=_in_language(
                officer,
                lambda: (
                    _(
                        "Your certificate expires on %(date)s. You are enrolled in "
                        "«%(title)s» to renew it."
                    )
                    % {"date": _date(cell.due_on), "title": title}
                ),
            ),
            url=reverse("courses:my_learning"),
        )
    return 1


# Exports ------------------------------------------------------------------------


def normalise_filters(filters: dict) -> dict:
    """The filters an export keeps: every key, in one order, plain values."""
    return {
        "office": filters.get("office") or None,
        "course": filters.get("course") or None,
        "state": filters.get("state") or "",
        "q": (filters.get("q") or "").strip(),
    }


def matrix_for(user: User, filters: dict, *, history: bool = False) -> dict:
    """The matrix a user may see with the given (normalised) filters; offices
    outside their scope are ignored, never shown."""
    offices = compliance_offices(user)
    office = offices.filter(pk=filters["office"]).first() if filters["office"] else None
    if filters["office"] and office is None:
        return selectors.compliance_matrix(offices=offices.none(), history=history)
    course = (
        CoursePage.objects.filter(pk=filters["course"]).first()
        if filters["course"]
        else None
    )
    return selectors.compliance_matrix(
        offices=offices,
        office=office,
        course=course,
        state=filters["state"],
        search=filters["q"],
        history=history,
    )


@transaction.atomic
def compliance_export_request(
    *, user: User, format: str, filters: dict
) -> ComplianceExport:
    """Ask for a large export, prepared by a Celery task. The same export
    (format and filters) asked again while it is being prepared is refused with
    ExportAlreadyRunning, which names the export already under way."""
    filters = normalise_filters(filters)
    # One request at a time per person: two clicks cannot both pass the check.
    User.objects.select_for_update().filter(pk=user.pk).first()
    for running in ComplianceExport.objects.filter(
        requested_by=user, status__in=[ExportStatus.PENDING, ExportStatus.RUNNING]
    ):
        if running.format == format and normalise_filters(running.filters) == filters:
            raise ExportAlreadyRunning(running)
    export = ComplianceExport(requested_by=user, format=format, filters=filters)
    export.full_clean()
    export.save()
    audit_record(
        action="courses.compliance_export_requested",
        actor=user,
        obj=export,
        data={"format": format, "filters": filters},
    )
    from courses.training.compliance.tasks import compliance_export_build

    transaction.on_commit(lambda: compliance_export_build.delay(export.pk))
    return export


def _progress(export_id: int, percent: int) -> None:
    ComplianceExport.objects.filter(pk=export_id).update(progress=min(percent, 99))


def compliance_export_build(*, export_id: int) -> None:
    """Write the file of an export, updating its progress as it goes; a retry
    of an export already done does nothing. Progress is saved outside any
    transaction, so the waiting page sees it move."""
    with transaction.atomic():
        export = (
            ComplianceExport.objects.select_for_update()
            .select_related("requested_by")
            .filter(pk=export_id)
            .first()
        )
        if export is None or export.status == ExportStatus.DONE:
            return
        export.status = ExportStatus.RUNNING
        export.progress = 0
        export.save(update_fields=["status", "progress"])
    user = export.requested_by
    try:
        with translation.override(user.preferred_language):
            matrix = matrix_for(user, normalise_filters(export.filters))
            total = selectors.export_row_count(matrix) or 1
            _progress(export.pk, 5)

            def rows():
                for number, row in enumerate(selectors.export_rows(matrix), 1):
                    if number % PROGRESS_EVERY == 0:
                        _progress(export.pk, 5 + 90 * number // total)
                    yield row

            content = exports.write(export.format, rows())
    except Exception:
        logger.exception("Compliance export %s failed", export.pk)
        ComplianceExport.objects.filter(pk=export.pk).update(
            status=ExportStatus.FAILED, finished_at=timezone.now()
        )
        raise
    with transaction.atomic():
        export = ComplianceExport.objects.select_for_update().get(pk=export.pk)
        export.file.save(
            exports.filename(export.format, export.created_at),
            ContentFile(content),
            save=False,
        )
        export.status = ExportStatus.DONE
        export.progress = 100
        export.finished_at = timezone.now()
        export.save(update_fields=["file", "status", "progress", "finished_at"])
        notification_send(
            recipient=user,
            subject=gettext_lazy("Your compliance export is ready"),
            url=reverse("courses:compliance_export_detail", args=[export.pk]),
            email=False,
        )
