"""What a candidate sends: an application with a CV and consent, optional
equality answers kept apart, and requests to see or delete their data."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from selection.models.vacancies import Vacancy, VacancyStage

CODE_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY3479"


def candidate_code() -> str:
    """A code written work is marked under: short, unambiguous when read aloud."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))


def access_token() -> str:
    return secrets.token_urlsafe(32)


def cv_path(instance, filename: str) -> str:
    # A random folder: the CV is private and served only through a checked view.
    return f"selection/cv/{secrets.token_hex(16)}/{filename}"


class ApplicationStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    IN_PROGRESS = "in_progress", _("In assessment")
    NOT_PASSED = "not_passed", _("Did not pass a stage")
    APPOINTED = "appointed", _("Appointed")
    RESERVE = "reserve", _("Reserve list")
    REJECTED = "rejected", _("Not appointed")
    WITHDRAWN = "withdrawn", pgettext_lazy("application", "Withdrawn")


class ApplicationQuerySet(models.QuerySet):
    def not_anonymised(self) -> "ApplicationQuerySet":
        return self.filter(anonymised_at__isnull=True)


class Application(models.Model):
    vacancy = models.ForeignKey(
        Vacancy, on_delete=models.PROTECT, related_name="applications"
    )
    code = models.CharField(_("candidate code"), max_length=12, default=candidate_code)
    # Personal data: blanked when anonymised.
    full_name = models.CharField(_("full name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    education = models.TextField(_("education"))
    experience = models.TextField(_("experience"))
    motivation = models.TextField(_("motivation"))
    cv = models.FileField(_("CV"), upload_to=cv_path, blank=True)
    cv_name = models.CharField(max_length=255, blank=True)
    cv_content_type = models.CharField(max_length=100, blank=True)
    language = models.CharField(
        _("language"), max_length=8, default=settings.LANGUAGE_CODE
    )
    consent_at = models.DateTimeField(_("consent given at"))
    consent_retention_months = models.PositiveSmallIntegerField(
        _("retention stated at consent (months)")
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.APPLIED,
    )
    current_stage = models.ForeignKey(
        VacancyStage,
        verbose_name=_("current stage"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The candidate's own link to see or delete their data.
    access_token = models.CharField(max_length=64, unique=True, default=access_token)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    # Set when an appointed candidate becomes a user of Ustaz.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="selection_applications",
    )

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["vacancy", "submitted_at"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(
                "vacancy",
                Lower("email"),
                condition=models.Q(anonymised_at__isnull=True),
                name="selection_one_application_per_email",
            ),
            models.UniqueConstraint(
                fields=["vacancy", "code"], name="selection_code_once_per_vacancy"
            ),
        ]

    def __str__(self):
        # The code only: the audit log names applications by this, and the log
        # outlives anonymisation.
        return self.code


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    UNDISCLOSED = "", _("Prefer not to say")


class AgeBand(models.TextChoices):
    UNDER_30 = "under_30", _("Under 30")
    FROM_30_TO_44 = "30_44", _("30 to 44")
    FROM_45 = "45_plus", _("45 or older")
    UNDISCLOSED = "", _("Prefer not to say")


class Disability(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNDISCLOSED = "", _("Prefer not to say")


class EqualityResponse(models.Model):
    """Optional answers a candidate chose to give, kept apart from the
    application and seen only with selection.view_equality_data. An empty
    answer means the candidate preferred not to say."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="equality"
    )
    gender = models.CharField(
        _("gender"), max_length=12, choices=Gender.choices, blank=True
    )
    age_band = models.CharField(
        _("age"), max_length=12, choices=AgeBand.choices, blank=True
    )
    disability = models.CharField(
        _("disability"), max_length=12, choices=Disability.choices, blank=True
    )
    ethnicity = models.CharField(_("ethnicity"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("equality answers")
        verbose_name_plural = _("equality answers")

    def __str__(self):
        return str(self.application_id)


class DataRequestKind(models.TextChoices):
    SEE = "see", _("See my data")
    DELETE = "delete", _("Delete my data")


class DataRequest(models.Model):
    """A candidate asked to see or delete their data: kept as a record of
    having done it, never with the data itself."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="data_requests"
    )
    kind = models.CharField(max_length=8, choices=DataRequestKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    fulfilled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("data request")
        verbose_name_plural = _("data requests")

    def __str__(self):
        return f"{self.get_kind_display()} · {self.application_id}"
