import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from intervision.models.groups import Group, Series
from intervision.models.methods import Method, Theme


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")


class MeetingQuerySet(models.QuerySet):
    def upcoming(self, now: datetime.datetime | None = None) -> "MeetingQuerySet":
        return self.filter(
            ends_at__gte=now or timezone.now(), status=MeetingStatus.SCHEDULED
        ).order_by("starts_at")

    def past(self, now: datetime.datetime | None = None) -> "MeetingQuerySet":
        return self.filter(ends_at__lt=now or timezone.now()).order_by("-starts_at")

    def held(self) -> "MeetingQuerySet":
        return self.filter(status=MeetingStatus.SCHEDULED, ends_at__lt=timezone.now())


class Meeting(models.Model):
    """One intervision meeting of a group: from its schedule, or one-off."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="meetings")
    series = models.ForeignKey(
        Series,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
    )
    # The date the schedule gave this meeting. It stays when the meeting is
    # moved: calendars know the occurrence by it (RECURRENCE-ID).
    series_date = models.DateField(null=True, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=MeetingStatus.choices,
        default=MeetingStatus.SCHEDULED,
    )
    method = models.ForeignKey(
        Method, verbose_name=_("method"), on_delete=models.PROTECT, related_name="+"
    )
    location = models.CharField(_("place"), max_length=255, blank=True)
    change_note = models.CharField(
        _("why it was moved or cancelled"), max_length=255, blank=True
    )
    # iCalendar SEQUENCE: raised on every change so calendar apps take the
    # update instead of keeping the old time.
    sequence = models.PositiveIntegerField(default=0)
    attendance_recorded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("intervision meeting")
        verbose_name_plural = _("intervision meetings")
        constraints = [
            models.UniqueConstraint(
                fields=["series", "series_date"],
                name="intervision_meeting_once_per_series_date",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="intervision_meeting_ends_after_start",
            ),
        ]

    def __str__(self):
        local = timezone.localtime(self.starts_at, self.group.tzinfo)
        return f"{self.group} · {local:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("intervision:meeting", args=[self.pk])

    @property
    def is_cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def is_moved(self) -> bool:
        if self.series_id is None or self.series_date is None:
            return False
        return self.starts_at != self.series.starts_at(self.series_date)

    @property
    def hours(self) -> float:
        return (self.ends_at - self.starts_at).total_seconds() / 3600

    def local(self, moment: datetime.datetime) -> datetime.datetime:
        return timezone.localtime(moment, self.group.tzinfo)

    @property
    def local_start(self) -> datetime.datetime:
        return self.local(self.starts_at)

    @property
    def local_end(self) -> datetime.datetime:
        return self.local(self.ends_at)

    def minutes_state(self) -> str:
        """Whether minutes exist and are approved; never what they say."""
        minutes = getattr(self, "minutes", None)
        return minutes.get_status_display() if minutes else _("None")

    @property
    def ical_uid(self) -> str:
        if self.series_id:
            return f"intervision-series-{self.series_id}@ustaz"
        return f"intervision-meeting-{self.pk}@ustaz"


class Response(models.TextChoices):
    PENDING = "pending", _("Not answered")
    YES = "yes", _("Coming")
    NO = "no", _("Not coming")


class Participation(models.Model):
    """A member's invitation to a meeting, their answer, and whether they came."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="participations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="intervision_participations",
    )
    response = models.CharField(
        _("answer"), max_length=8, choices=Response.choices, default=Response.PENDING
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    invited_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)

    class Meta:
        ordering = ["user__full_name"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"], name="intervision_participation_once"
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.meeting}"


class RoleKind(models.TextChoices):
    CHAIR = "chair", _("Chair")
    BRINGER = "bringer", _("Case-bringer")
    TIMEKEEPER = "timekeeper", _("Timekeeper")
    MINUTE_TAKER = "minute_taker", _("Minute-taker")


SINGLE_ROLES = [RoleKind.CHAIR, RoleKind.TIMEKEEPER, RoleKind.MINUTE_TAKER]


class MeetingRole(models.Model):
    """Who holds a role at a meeting. There may be several case-bringers; the
    other roles are held by one member each."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="roles")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="intervision_roles",
    )
    role = models.CharField(_("role"), max_length=16, choices=RoleKind.choices)

    class Meta:
        ordering = ["role", "user__full_name"]
        verbose_name = _("meeting role")
        verbose_name_plural = _("meeting roles")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "role"],
                condition=~models.Q(role=RoleKind.BRINGER),
                name="intervision_single_role_once",
            ),
            models.UniqueConstraint(
                fields=["meeting", "role", "user"], name="intervision_role_once"
            ),
        ]

    def __str__(self):
        return f"{self.get_role_display()}: {self.user}"


class Case(models.Model):
    """A case an officer brings to a meeting, anonymised: the question for the
    group and the situation. The facilitator confirms it identifies nobody
    before the rest of the group may read it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="cases")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="intervision_cases",
    )
    question = models.CharField(_("your question for the group"), max_length=500)
    situation = models.TextField(
        _("the situation"),
        max_length=4000,
        help_text=_(
            "Describe the situation without anything that identifies the client: "
            "no names, IINs, phone numbers, addresses or dates of birth."
        ),
    )
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), blank=True, related_name="cases"
    )
    competencies = models.ManyToManyField(
        "lms.Competency",
        verbose_name=_("competencies"),
        blank=True,
        related_name="intervision_cases",
    )
    # The kinds of identifier the author was warned about and chose to keep.
    # Only the kinds: the text itself is not copied anywhere.
    warnings_overridden = models.JSONField(default=list, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    chosen = models.BooleanField(_("chosen for discussion"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")

    def __str__(self):
        return self.question

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")


class Minutes(models.Model):
    """The record of a meeting: notes per step, the advice given, the
    case-bringer's conclusions. Drafted by the minute-taker, approved by the
    chair, locked once approved."""

    meeting = models.OneToOneField(
        Meeting, on_delete=models.CASCADE, related_name="minutes"
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=MinutesStatus.choices,
        default=MinutesStatus.DRAFT,
    )
    advice = models.TextField(_("advice given"), blank=True, max_length=8000)
    conclusions = models.TextField(
        _("the case-bringer's conclusions"), blank=True, max_length=4000
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = pgettext_lazy("record of a meeting", "minutes")
        verbose_name_plural = pgettext_lazy("record of a meeting", "minutes")

    def __str__(self):
        return str(self.meeting)

    @property
    def is_approved(self) -> bool:
        return self.status == MinutesStatus.APPROVED


class StepNote(models.Model):
    """The minute-taker's note on one step of the method."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="notes")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=160)
    text = models.TextField(blank=True, max_length=8000)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["minutes", "position"], name="intervision_note_per_step"
            )
        ]

    def __str__(self):
        return self.title


class Amendment(models.Model):
    """A correction of approved minutes: who, when, why, and the text before."""

    minutes = models.ForeignKey(
        Minutes, on_delete=models.CASCADE, related_name="amendments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    part = models.CharField(max_length=40)
    part_label = models.CharField(max_length=200)
    reason = models.CharField(_("why"), max_length=500)
    before = models.TextField(blank=True)
    after = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")

    def __str__(self):
        return f"{self.part_label} · {self.created_at:%Y-%m-%d}"


class ActionPointQuerySet(models.QuerySet):
    def open(self) -> "ActionPointQuerySet":
        return self.filter(done_at__isnull=True)

    def overdue(self, today: datetime.date | None = None) -> "ActionPointQuerySet":
        return self.open().filter(due_on__lt=today or timezone.localdate())


class ActionPoint(models.Model):
    """Something a member undertook to do at a meeting, by a date. Open action
    points come back on the next meeting's agenda until done."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="action_points"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.PROTECT,
        related_name="intervision_action_points",
    )
    text = models.CharField(_("what"), max_length=500)
    due_on = models.DateField(_("by"))
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ActionPointQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("action point")
        verbose_name_plural = _("action points")

    def __str__(self):
        return self.text

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    @property
    def is_overdue(self) -> bool:
        return not self.is_done and self.due_on < timezone.localdate()
