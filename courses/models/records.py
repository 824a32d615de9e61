"""What officers create by learning: enrolments, lesson progress, private
reflections, quiz attempts and certificates. Plain models, never page revisions.

A course is known by its Wagtail translation key, so an officer who enrolled on
the Russian page is enrolled in the Kazakh and English pages of the same course.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EnrolmentStatus(models.TextChoices):
    ACTIVE = "active", _("In progress")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class EnrolmentQuerySet(models.QuerySet):
    def active(self) -> "EnrolmentQuerySet":
        return self.filter(status=EnrolmentStatus.ACTIVE)

    def completed(self) -> "EnrolmentQuerySet":
        return self.filter(status=EnrolmentStatus.COMPLETED)

    def current(self) -> "EnrolmentQuerySet":
        return self.exclude(status=EnrolmentStatus.WITHDRAWN)


class Enrolment(models.Model):
    """An officer's place on a course, from enrolment to completion."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer"),
        on_delete=models.CASCADE,
        related_name="enrolments",
    )
    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="enrolments",
    )
    course_key = models.UUIDField(_("course key"), editable=False)
    course_title = models.CharField(_("course title"), max_length=255)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=EnrolmentStatus,
        default=EnrolmentStatus.ACTIVE,
    )
    enrolled_at = models.DateTimeField(_("enrolled"), default=timezone.now)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    last_lesson_key = models.UUIDField(null=True, blank=True, editable=False)
    cpd_hours = models.DecimalField(
        _("CPD hours earned"), max_digits=5, decimal_places=1, null=True, blank=True
    )

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["-enrolled_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course_key"], name="courses_one_enrolment_per_course"
            )
        ]

    def __str__(self):
        return f"{self.user} — {self.course_title}"

    @property
    def is_active(self) -> bool:
        return self.status == EnrolmentStatus.ACTIVE

    @property
    def is_complete(self) -> bool:
        return self.status == EnrolmentStatus.COMPLETED


class LessonProgress(models.Model):
    """A lesson an officer marked done."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="lessons_done"
    )
    lesson_key = models.UUIDField()
    completed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("lesson done")
        verbose_name_plural = _("lessons done")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "lesson_key"], name="courses_lesson_done_once"
            )
        ]

    def __str__(self):
        return f"{self.enrolment} — {self.lesson_key}"


class Reflection(models.Model):
    """An officer's private written answer to a lesson's reflection prompt."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reflections"
    )
    lesson_key = models.UUIDField()
    block_id = models.CharField(max_length=64)
    prompt = models.TextField(_("question"))
    text = models.TextField(_("your answer"), max_length=10000)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("reflection")
        verbose_name_plural = _("reflections")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "lesson_key", "block_id"],
                name="courses_one_reflection_per_prompt",
            )
        ]

    def __str__(self):
        return self.prompt[:80]


class AttemptStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    AWAITING_GRADING = "awaiting_grading", _("Waiting for a trainer")
    GRADED = "graded", _("Graded")


class QuizAttemptQuerySet(models.QuerySet):
    def finished(self) -> "QuizAttemptQuerySet":
        return self.exclude(status=AttemptStatus.IN_PROGRESS)

    def awaiting_grading(self) -> "QuizAttemptQuerySet":
        return self.filter(status=AttemptStatus.AWAITING_GRADING)

    def expired(self, now=None) -> "QuizAttemptQuerySet":
        return self.filter(
            status=AttemptStatus.IN_PROGRESS, deadline__lt=now or timezone.now()
        )


class QuizAttempt(models.Model):
    """One sitting of a course's quiz. It keeps the questions as they were drawn,
    and is graded on the server only."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="attempts"
    )
    course = models.ForeignKey(
        "courses.CoursePage", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    number = models.PositiveSmallIntegerField(_("attempt"))
    language = models.CharField(max_length=8)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    deadline = models.DateTimeField(_("time limit ends"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AttemptStatus,
        default=AttemptStatus.IN_PROGRESS,
    )
    pass_mark = models.PositiveSmallIntegerField(_("pass mark (%)"))
    points_possible = models.DecimalField(max_digits=7, decimal_places=2, default=0)
    points_awarded = models.DecimalField(
        max_digits=7, decimal_places=2, null=True, blank=True
    )
    score = models.DecimalField(
        _("score (%)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    passed = models.BooleanField(_("passed"), null=True, blank=True)

    objects = QuizAttemptQuerySet.as_manager()

    class Meta:
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        permissions = [("grade_quizattempt", _("Can grade written answers"))]
        ordering = ["enrolment", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "number"], name="courses_attempt_number_once"
            ),
            models.UniqueConstraint(
                fields=["enrolment"],
                condition=Q(status="in_progress"),
                name="courses_one_open_attempt",
            ),
        ]

    def __str__(self):
        return f"{self.enrolment} #{self.number}"

    def get_absolute_url(self):
        return reverse("courses:attempt", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == AttemptStatus.IN_PROGRESS

    def time_is_up(self, now=None) -> bool:
        return self.deadline is not None and (now or timezone.now()) >= self.deadline


class AttemptQuestion(models.Model):
    """A question as it was drawn for one attempt: its text, options in the order
    shown, and the officer's answer. The answer key never leaves the server."""

    attempt = models.ForeignKey(
        QuizAttempt, on_delete=models.CASCADE, related_name="items"
    )
    position = models.PositiveSmallIntegerField()
    question = models.ForeignKey(
        "courses.QuizQuestion", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=20)
    text = models.TextField()
    points = models.PositiveSmallIntegerField()
    # [{"id", "text"}] in the order shown; for matching, the items to match.
    options = models.JSONField(default=list)
    # Matching only: the answers to choose from, in the order shown.
    choices = models.JSONField(default=list)
    # {"option id": {"correct": bool, "feedback": str}} or {"item id": "choice id"}.
    key = models.JSONField(default=dict)
    feedback = models.TextField(blank=True)
    response = models.JSONField(null=True, blank=True)
    # The client numbers its saves; an older save arriving late changes nothing.
    response_seq = models.PositiveIntegerField(default=0)
    answered_at = models.DateTimeField(null=True, blank=True)
    awarded = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    grader_comment = models.TextField(_("comment"), blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    graded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "position"], name="courses_attempt_position_once"
            )
        ]

    def __str__(self):
        return f"{self.attempt} · {self.position}"


def certificate_code() -> str:
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    raw = "".join(secrets.choice(alphabet) for _ in range(8))
    return f"UZ-{raw[:4]}-{raw[4:]}"


class CertificateQuerySet(models.QuerySet):
    def valid(self, today=None) -> "CertificateQuerySet":
        today = today or timezone.localdate()
        return self.filter(revoked_at__isnull=True).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=today)
        )


class Certificate(models.Model):
    """Proof that an officer completed a course, checkable by anyone holding its
    code on the public verification page."""

    class State(models.TextChoices):
        VALID = "valid", _("Valid")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")

    code = models.CharField(
        _("verification code"), max_length=20, unique=True, default=certificate_code
    )
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.PROTECT, related_name="certificates"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    full_name = models.CharField(_("name on the certificate"), max_length=255)
    course_key = models.UUIDField(editable=False)
    course_title = models.CharField(_("course"), max_length=255)
    cpd_hours = models.DecimalField(_("CPD hours"), max_digits=5, decimal_places=1)
    language = models.CharField(_("language"), max_length=8)
    issued_on = models.DateField(_("issued"), default=timezone.localdate)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    pdf = models.FileField(_("PDF"), upload_to="certificates/", blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revocation_reason = models.TextField(_("reason for revoking"), blank=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        permissions = [("revoke_certificate", _("Can revoke certificates"))]
        ordering = ["-issued_on", "-pk"]

    def __str__(self):
        return f"{self.code} — {self.full_name}"

    def get_absolute_url(self):
        return reverse("courses:certificate_verify", args=[self.code])

    @property
    def state_label(self) -> str:
        return self.state().label

    def state(self, today=None) -> "Certificate.State":
        if self.revoked_at:
            return self.State.REVOKED
        if self.valid_until and self.valid_until < (today or timezone.localdate()):
            return self.State.EXPIRED
        return self.State.VALID
