"""Applying without an account, and the candidate's privacy: the receipt,
seeing and deleting one's data, anonymisation when the retention period is
over. Views, tasks and seed_demo call these."""

import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lms.audit import audit_record
from lms.i18n import language_codes
from lms.services import email_enqueue
from selection.applications import selectors
from selection.applications.equality import QUESTIONS, equality_disclosed
from selection.applications.uploads import check_cv
from selection.models import (
    Application,
    ApplicationStatus,
    Assignment,
    Consensus,
    DataRequest,
    DataRequestKind,
    Decision,
    EqualityResponse,
    Score,
    ScoreAmendment,
    Vacancy,
    VacancyStatus,
)
from selection.models.applications import candidate_code

REASON_RETENTION = "retention"
REASON_CANDIDATE_REQUEST = "candidate_request"
ANONYMISE_REASONS = (REASON_RETENTION, REASON_CANDIDATE_REQUEST)
CODE_ATTEMPTS = 5


def duplicate_message() -> str:
    return _(
        "An application with this e-mail has already been received for this "
        "vacancy. If you need to change it, use the link in your receipt."
    )


class _ByCode:
    """What the audit log names: an application by its candidate code. The
    log is append-only and outlives anonymisation, so it never holds a name
    (Application.__str__ has one)."""

    _meta = Application._meta

    def __init__(self, application: Application):
        self.pk = application.pk
        self.code = application.code

    def __str__(self):
        return self.code


def _duplicate_exists(vacancy: Vacancy, email: str) -> bool:
    return vacancy.applications.not_anonymised().filter(email__iexact=email).exists()


def _equality_answers(equality: dict | None) -> dict[str, str]:
    answers = {field: (equality or {}).get(field) or "" for field in QUESTIONS}
    for field, value in answers.items():
        if value not in QUESTIONS[field].values:
            raise ValidationError(
                {field: _("Choose one of the answers, or «Prefer not to say».")}
            )
    return answers


@transaction.atomic
def application_submit(
    *,
    vacancy: Vacancy,
    full_name: str,
    email: str,
    phone: str = "",
    education: str,
    experience: str,
    motivation: str,
    cv,
    consent: bool,
    equality: dict | None = None,
    language: str | None = None,
) -> Application:
    """A candidate applies, without an account. Refused while the vacancy
    takes no applications (not open, or today in Almaty is outside its
    dates), without consent, without a CV that passes the content checks, and
    when this e-mail (in any case) has applied already: the refusal says
    nothing else about the first application. Consent is stored with the
    retention period it stated. Equality answers are stored, apart, only if
    the candidate disclosed something. The candidate gets an e-mail receipt
    with their link to see or delete their data."""
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    refusal = selectors.application_refusal(vacancy)
    if refusal:
        raise ValidationError(refusal, code="closed")
    email = (email or "").strip()
    answers = _equality_answers(equality)
    errors: dict[str, list] = {}
    if not consent:
        errors["consent"] = [
            _(
                "Tick the box to agree to the processing of your data: without "
                "your consent the application cannot be considered."
            )
        ]
    if email and _duplicate_exists(vacancy, email):
        errors["email"] = [duplicate_message()]
    checked = None
    if not cv:
        errors["cv"] = [_("Choose your CV (PDF or DOCX).")]
    else:
        try:
            checked = check_cv(cv)
        except ValidationError as error:
            errors["cv"] = error.messages
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    if language not in language_codes():
        language = settings.LANGUAGE_CODE
    now = timezone.now()
    application = Application(
        vacancy=vacancy,
        full_name=(full_name or "").strip(),
        email=email,
        phone=(phone or "").strip(),
        education=(education or "").strip(),
        experience=(experience or "").strip(),
        motivation=(motivation or "").strip(),
        language=language,
        consent_at=now,
        consent_retention_months=vacancy.retention_months,
    )
    try:
        # Uniqueness is checked above and by the database below.
        application.full_clean(
            exclude=["code", "access_token", "cv"], validate_constraints=False
        )
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    _insert(application)
    application.cv.save(checked.name, ContentFile(checked.data), save=False)
    try:
        application.cv_name = checked.name
        application.cv_content_type = checked.content_type
        application.save(update_fields=["cv", "cv_name", "cv_content_type"])
        if equality_disclosed(answers):
            response = EqualityResponse(application=application, **answers)
            response.full_clean()
            response.save()
        audit_record(
            action="selection.application.submit",
            obj=_ByCode(application),
            data={"code": application.code},
        )
        application_receipt_send(application=application)
    except Exception:
        # The rows go with the transaction; the file must not stay behind.
        application.cv.storage.delete(application.cv.name)
        raise
    return application


def _insert(application: Application) -> None:
    """Save a new application; a rare clash of candidate codes draws another."""
    for attempt in range(CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                application.save(force_insert=True)
            return
        except IntegrityError:
            if _duplicate_exists(application.vacancy, application.email):
                # Another request with the same e-mail won the race.
                raise ValidationError({"email": [duplicate_message()]}) from None
            if attempt == CODE_ATTEMPTS - 1:
                raise
            application.pk = None
            application.code = candidate_code()


def my_data_url(application: Application) -> str:
    """The candidate's link to their data, absolute, in their language."""
    with translation.override(application.language):
        path = reverse("selection:my_data", kwargs={"token": application.access_token})
    return settings.SITE_URL + path


def application_receipt_send(*, application: Application) -> None:
    """The e-mail receipt, in the language the candidate applied in."""
    vacancy = application.vacancy
    with translation.override(application.language):
        context = {
            "application": application,
            "vacancy": vacancy,
            "vacancy_title": vacancy.title,
            "office": vacancy.office.name,
            "stages": selectors.procedure_stages(vacancy),
            "my_data_url": my_data_url(application),
            "months": application.consent_retention_months,
            "site_url": settings.SITE_URL,
        }
        subject = _("Your application for «%(vacancy)s» has been received") % {
            "vacancy": vacancy.title
        }
        body = render_to_string("selection/email/application_received.txt", context)
    email_enqueue(subject=subject, body=body, to=[application.email])


@transaction.atomic
def application_anonymise(
    *, application: Application, actor=None, reason: str
) -> Application:
    """Remove a candidate's personal data and keep what the statistics need.

    Blanked: name, e-mail, phone, education, experience, motivation, the CV
    (deleted from storage), and the free text others wrote about the person
    (score evidence, amendments, consensus rationale, decision reasons,
    conflict notes). Kept: the candidate code, scores, consensus points,
    results, the decision's outcome, and the equality answers, which identify
    nobody once the application is anonymous. The link to a user account
    stays only for an appointed candidate, whose development record starts
    from their scores. Anonymising twice changes nothing more."""
    if reason not in ANONYMISE_REASONS:
        raise ValueError(f"Unknown reason {reason!r}")
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.anonymised_at is not None:
        return application
    if application.cv:
        application.cv.storage.delete(application.cv.name)
    application.full_name = ""
    application.email = ""
    application.phone = ""
    application.education = ""
    application.experience = ""
    application.motivation = ""
    application.cv = ""
    application.cv_name = ""
    application.cv_content_type = ""
    application.access_token = selectors.retired_token(application.access_token)
    if application.status != ApplicationStatus.APPOINTED:
        application.user = None
    application.anonymised_at = timezone.now()
    # No full_clean: blank personal fields are the point.
    application.save(
        update_fields=[
            "full_name",
            "email",
            "phone",
            "education",
            "experience",
            "motivation",
            "cv",
            "cv_name",
            "cv_content_type",
            "access_token",
            "user",
            "anonymised_at",
        ]
    )
    Score.objects.filter(assignment__application=application).update(evidence="")
    ScoreAmendment.objects.filter(score__assignment__application=application).update(
        evidence="", evidence_before="", reason=""
    )
    Consensus.objects.filter(application=application).update(rationale="")
    Decision.objects.filter(application=application).update(reasons="")
    Assignment.objects.filter(application=application).update(conflict_note="")
    audit_record(
        action="selection.application.anonymise",
        actor=actor,
        obj=_ByCode(application),
        data={"code": application.code, "reason": reason},
    )
    return application


@transaction.atomic
def data_request_see(*, application: Application) -> DataRequest | None:
    """Record that the candidate looked at their data, once a day at most."""
    if application.anonymised_at is not None:
        return None
    start_of_day = datetime.datetime.combine(
        selectors.almaty_today(), datetime.time.min, tzinfo=selectors.ALMATY
    )
    if application.data_requests.filter(
        kind=DataRequestKind.SEE, created_at__gte=start_of_day
    ).exists():
        return None
    return DataRequest.objects.create(
        application=application, kind=DataRequestKind.SEE, fulfilled_at=timezone.now()
    )


@transaction.atomic
def data_request_delete(*, application: Application) -> DataRequest:
    """The candidate asks to delete their data: it is anonymised now, as the
    retention period would. An application still being considered is
    withdrawn first: the panel cannot appoint someone it cannot name."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.anonymised_at is not None:
        raise ValidationError(
            _("Your data has already been deleted."), code="anonymised"
        )
    request = DataRequest.objects.create(
        application=application, kind=DataRequestKind.DELETE
    )
    audit_record(
        action="selection.application.delete_request",
        obj=_ByCode(application),
        data={"code": application.code},
    )
    if application.status in (ApplicationStatus.APPLIED, ApplicationStatus.IN_PROGRESS):
        application.status = ApplicationStatus.WITHDRAWN
        application.save(update_fields=["status"])
    application_anonymise(application=application, reason=REASON_CANDIDATE_REQUEST)
    request.fulfilled_at = timezone.now()
    request.save(update_fields=["fulfilled_at"])
    return request


def application_retention_ends(application: Application) -> datetime.datetime | None:
    """When the application's personal data is due for anonymisation: the
    shorter of the period stated at consent and the vacancy's, counted from
    when the vacancy closed. None while the vacancy is not closed."""
    vacancy = application.vacancy
    if vacancy.status != VacancyStatus.CLOSED or vacancy.closed_at is None:
        return None
    months = min(vacancy.retention_months, application.consent_retention_months)
    return vacancy.closed_at + relativedelta(months=months)


def applications_anonymise_expired(*, now: datetime.datetime | None = None) -> int:
    """Anonymise every application whose retention period is over; return how
    many. Each one is its own transaction, so one failure stops nothing else;
    running again finds nothing more to do."""
    now = now or timezone.now()
    due = (
        Application.objects.not_anonymised()
        .filter(
            vacancy__status=VacancyStatus.CLOSED,
            vacancy__closed_at__isnull=False,
            vacancy__closed_at__lt=now,
        )
        .select_related("vacancy")
    )
    count = 0
    for application in list(due):
        ends = application_retention_ends(application)
        if ends is not None and ends < now:
            application_anonymise(application=application, reason=REASON_RETENTION)
            count += 1
    return count
