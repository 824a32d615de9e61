"""Training management: practical assignments graded against rubrics,
classroom and online sessions with bookings and a waiting list, learning paths
for cohorts, and mandatory training that expires and is renewed.

Trainers write assignments, sessions and paths; officers' submissions, grades
and bookings are plain records. Courses are referred to by their Wagtail
translation key where records must follow a course across its languages.
"""

import datetime
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, InlinePanel, PageChooserPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable

from lms.i18n import TranslatedField, translated_panels

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")


# Assignments ---------------------------------------------------------------------


class RubricLevelBlock(blocks.StructBlock):
    descriptor = blocks.TextBlock(label=_("descriptor"))
    points = blocks.IntegerBlock(label=_("points"), min_value=0, max_value=100)

    class Meta:
        icon = "list-ol"
        label = _("level")


class RubricCriterionBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("criterion"), max_length=200)
    levels = blocks.ListBlock(RubricLevelBlock(), min_num=2, label=_("levels"))

    class Meta:
        icon = "tasks"
        label = _("criterion")


class Assignment(models.Model):
    """A practical task of a course ("record a 10-minute conversation and mark
    your reflections"), graded by a trainer against a rubric of criteria and
    levels."""

    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    title = models.CharField(_("title"), max_length=255)
    brief = models.TextField(_("what the officer does"))
    rubric = StreamField(
        [("criterion", RubricCriterionBlock())],
        verbose_name=_("rubric"),
        min_num=1,
    )
    pass_mark = models.PositiveSmallIntegerField(_("points needed to pass"), default=0)
    max_files = models.PositiveSmallIntegerField(
        _("files allowed"), default=3, validators=[MaxValueValidator(10)]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        PageChooserPanel("course", "courses.CoursePage"),
        FieldPanel("title"),
        FieldPanel("brief"),
        FieldPanel("rubric"),
        FieldPanel("pass_mark"),
        FieldPanel("max_files"),
    ]

    class Meta:
        ordering = ["course", "pk"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")

    def __str__(self):
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("courses:assignment_detail", args=[self.pk])

    def clean(self):
        # An assignment nobody can pass would block the course's completion.
        if self.rubric and self.pass_mark > self.max_points:
            raise ValidationError(
                {
                    "pass_mark": _(
                        "The rubric gives at most %(max)s points; the points "
                        "needed to pass cannot be more."
                    )
                    % {"max": self.max_points}
                }
            )

    @property
    def criteria(self) -> list[dict]:
        """[{"id", "name", "levels": [{"descriptor", "points"}]}] in order."""
        return [
            {
                "id": block.id,
                "name": block.value["name"],
                "levels": [dict(level) for level in block.value["levels"]],
            }
            for block in self.rubric
        ]

    @property
    def max_points(self) -> int:
        return sum(
            max((level["points"] for level in c["levels"]), default=0)
            for c in self.criteria
        )


class SubmissionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for the trainer")
    RESUBMIT = "resubmit", _("Resubmission asked")
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Not passed")


class Submission(models.Model):
    """An officer's work for an assignment: text and files. A resubmission is a
    new submission; earlier ones and their grades stay."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="submissions"
    )
    enrolment = models.ForeignKey(
        "courses.Enrolment", on_delete=models.CASCADE, related_name="submissions"
    )
    text = models.TextField(_("your work"), blank=True, max_length=20000)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=SubmissionStatus.choices,
        default=SubmissionStatus.SUBMITTED,
    )
    number = models.PositiveSmallIntegerField(default=1)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        permissions = [("grade_submission", "Can grade assignment submissions")]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "enrolment", "number"],
                name="courses_submission_number_once",
            )
        ]

    def __str__(self):
        return f"{self.assignment} · {self.enrolment.user} · {self.number}"


def submission_path(instance, filename: str) -> str:
    return f"submissions/{instance.submission_id}/{filename}"


class SubmissionFile(models.Model):
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(upload_to=submission_path)
    name = models.CharField(max_length=255)
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=100)

    def __str__(self):
        return self.name


class Grade(models.Model):
    """A trainer's grade of one submission: points per criterion, feedback and
    the decision. Every grade is kept, so the history shows each one."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="grades"
    )
    grader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    scores = models.JSONField(default=dict)  # criterion block id -> points
    total = models.PositiveSmallIntegerField()
    feedback = models.TextField(_("feedback"), max_length=8000)
    decision = models.CharField(max_length=12, choices=SubmissionStatus.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("grade")
        verbose_name_plural = _("grades")

    def __str__(self):
        return f"{self.submission} · {self.total}"


# Sessions ------------------------------------------------------------------------


class SessionQuerySet(models.QuerySet):
    def upcoming(self) -> "SessionQuerySet":
        return self.filter(starts_at__gt=timezone.now(), cancelled=False).order_by(
            "starts_at"
        )


class TrainingSession(models.Model):
    """A classroom or online session of a course, with a capacity and a
    registration deadline. Times are kept in UTC and shown in Asia/Almaty."""

    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        on_delete=models.CASCADE,
        related_name="sessions",
    )
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainer"),
        on_delete=models.PROTECT,
        related_name="training_sessions",
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    venue = models.CharField(_("venue"), max_length=255, blank=True)
    link = models.URLField(_("online link"), blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("places"), validators=[MinValueValidator(1)]
    )
    registration_deadline = models.DateTimeField(_("book by"))
    cancelled = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="courses_session_ends_after_start",
            )
        ]

    def __str__(self):
        local = timezone.localtime(self.starts_at, ALMATY)
        return f"{self.course.title} · {local:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("courses:session", args=[self.pk])

    @property
    def hours(self) -> float:
        return (self.ends_at - self.starts_at).total_seconds() / 3600


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class Booking(models.Model):
    """An officer's place at a session, or their place on its waiting list
    (first come, first moved up)."""

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="bookings"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bookings"
    )
    status = models.CharField(max_length=10, choices=BookingStatus.choices)
    created_at = models.DateTimeField(default=timezone.now)
    promoted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=~models.Q(status="cancelled"),
                name="courses_one_live_booking_per_session",
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.session}"


# Learning paths ------------------------------------------------------------------


class LearningPath(ClusterableModel):
    """An ordered set of courses for a cohort ("Induction for new probation
    officers"). Officers enrolled in it see the path and their next step."""

    name_kk = models.CharField(_("name (Kazakh)"), max_length=200, blank=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description_kk = models.TextField(_("description (Kazakh)"), blank=True)
    description_ru = models.TextField(_("description (Russian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    name = TranslatedField("name")
    description = TranslatedField("description")

    panels = [
        *translated_panels("name", "description"),
        InlinePanel(
            "steps", heading=_("Courses in order"), label=_("Course"), min_num=1
        ),
    ]

    class Meta:
        verbose_name = _("learning path")
        verbose_name_plural = _("learning paths")
        permissions = [("enrol_cohort", "Can enrol a cohort in a learning path")]

    def __str__(self):
        return self.name


class LearningPathStep(Orderable):
    path = ParentalKey(LearningPath, on_delete=models.CASCADE, related_name="steps")
    course = models.ForeignKey(
        "courses.CoursePage", verbose_name=_("course"), on_delete=models.CASCADE
    )

    panels = [PageChooserPanel("course", "courses.CoursePage")]

    class Meta(Orderable.Meta):
        verbose_name = _("course of the path")


class PathEnrolment(models.Model):
    """An officer in a learning path, enrolled alone or with a cohort."""

    path = models.ForeignKey(
        LearningPath, on_delete=models.CASCADE, related_name="enrolments"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="path_enrolments",
    )
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    enrolled_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("path enrolment")
        verbose_name_plural = _("path enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["path", "user"], name="courses_one_path_enrolment"
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.path}"


# Mandatory training --------------------------------------------------------------


class MandatoryRule(models.Model):
    """A course everyone in a role (or an office, or both) must complete within
    a deadline from their hire date, and renew when its certificate expires."""

    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        on_delete=models.CASCADE,
        related_name="mandatory_rules",
    )
    role = models.CharField(
        _("for the role"),
        max_length=32,
        blank=True,
        help_text=_("Leave empty for every role."),
    )
    office = models.ForeignKey(
        "lms.Office",
        verbose_name=_("for the office"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        help_text=_("Leave empty for every office."),
    )
    deadline_days = models.PositiveSmallIntegerField(
        _("days from the hire date"), default=90
    )
    validity_months = models.PositiveSmallIntegerField(
        _("valid for (months)"),
        null=True,
        blank=True,
        help_text=_("Leave empty when it never has to be renewed."),
    )
    renewal_days = models.PositiveSmallIntegerField(
        _("renewal opens (days before expiry)"), default=60
    )
    refresher = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("refresher course"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Leave empty to renew by taking the same course again."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        PageChooserPanel("course", "courses.CoursePage"),
        FieldPanel("role"),
        FieldPanel("office"),
        FieldPanel("deadline_days"),
        FieldPanel("validity_months"),
        FieldPanel("renewal_days"),
        PageChooserPanel("refresher", "courses.CoursePage"),
    ]

    class Meta:
        verbose_name = _("mandatory training")
        verbose_name_plural = _("mandatory training")
        permissions = [
            ("view_office_compliance", "Can see the training compliance of own office"),
            ("view_region_compliance", "Can see the training compliance of own region"),
        ]

    def __str__(self):
        return str(self.course)


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")
    MANAGER_OVERDUE = "manager_overdue", _("Overdue, told to the manager")
    REFRESHER = "refresher", _("Enrolled in the refresher")


class ComplianceReminder(models.Model):
    """That a reminder about one due date was sent: each is sent once."""

    rule = models.ForeignKey(
        MandatoryRule, on_delete=models.CASCADE, related_name="reminders"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    due_on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "user", "kind", "due_on"],
                name="courses_reminder_once",
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.get_kind_display()} · {self.due_on}"


class ExportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Being prepared")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ComplianceExport(models.Model):
    """A compliance matrix export prepared by a Celery task, with its progress."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    format = models.CharField(max_length=4, choices=[("csv", "CSV"), ("xlsx", "XLSX")])
    filters = models.JSONField(default=dict)
    status = models.CharField(
        max_length=10, choices=ExportStatus.choices, default=ExportStatus.PENDING
    )
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    file = models.FileField(upload_to="exports/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.requested_by} · {self.format} · {self.created_at:%Y-%m-%d}"


def local_date(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment, ALMATY).date()
