import datetime
import secrets
import zoneinfo

from dateutil import rrule
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from intervision.models.methods import Method

# Advice from the experts: fewer members and a case has no audience, more and
# not everyone speaks.
GROUP_SIZE_ADVISED = (4, 8)

TIMEZONES = [
    ("Asia/Almaty", _("Almaty, Astana (Asia/Almaty)")),
    ("Asia/Qostanay", _("Kostanay (Asia/Qostanay)")),
    ("Asia/Aqtobe", _("Aktobe (Asia/Aqtobe)")),
    ("Asia/Aqtau", _("Aktau (Asia/Aqtau)")),
    ("Asia/Atyrau", _("Atyrau (Asia/Atyrau)")),
    ("Asia/Oral", _("Oral (Asia/Oral)")),
    ("Asia/Qyzylorda", _("Kyzylorda (Asia/Qyzylorda)")),
]


class GroupQuerySet(models.QuerySet):
    def active(self) -> "GroupQuerySet":
        return self.filter(is_active=True)

    def of_member(self, user) -> "GroupQuerySet":
        """Groups the user belongs to, or facilitates."""
        return self.filter(
            models.Q(memberships__user=user, memberships__left_on__isnull=True)
            | models.Q(facilitator=user)
        ).distinct()


class Group(models.Model):
    """An office's intervision group: officers who meet regularly to consult on
    their hardest cases, with a facilitator."""

    office = models.ForeignKey(
        "lms.Office",
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        related_name="intervision_groups",
    )
    name = models.CharField(_("name"), max_length=160)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("facilitator"),
        on_delete=models.PROTECT,
        related_name="facilitated_groups",
    )
    default_method = models.ForeignKey(
        Method,
        verbose_name=_("default method"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    timezone = models.CharField(
        _("time zone"), max_length=40, choices=TIMEZONES, default="Asia/Almaty"
    )
    location = models.CharField(
        _("usual place"),
        max_length=255,
        blank=True,
        help_text=_("A room, or a link to the video call."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = GroupQuerySet.as_manager()

    class Meta:
        ordering = ["office__name_ru", "name"]
        verbose_name = _("intervision group")
        verbose_name_plural = _("intervision groups")

    def __str__(self):
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("intervision:group", args=[self.pk])

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)


class Membership(models.Model):
    """An officer's place in a group, and when they agreed to its
    confidentiality pledge."""

    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="intervision_memberships",
    )
    joined_on = models.DateField(_("joined on"), default=datetime.date.today)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    pledge_agreed_at = models.DateTimeField(
        _("agreed to the confidentiality pledge"), null=True, blank=True
    )

    class Meta:
        ordering = ["user__full_name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "user"], name="intervision_membership_once"
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.group}"

    @property
    def is_current(self) -> bool:
        return self.left_on is None


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class WeekOfMonth(models.IntegerChoices):
    FIRST = 1, _("first")
    SECOND = 2, _("second")
    THIRD = 3, _("third")
    FOURTH = 4, _("fourth")
    LAST = -1, _("last")


ICAL_DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


class SeriesQuerySet(models.QuerySet):
    def running(self, on: datetime.date | None = None) -> "SeriesQuerySet":
        on = on or timezone.localdate()
        return self.filter(
            models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=on),
            group__is_active=True,
        )


class Series(models.Model):
    """A group's recurring schedule ("every second Tuesday, 14:00–16:00"). Its
    meetings are created ahead from it; each keeps the date it had in the
    series, so a moved meeting is still the same occurrence."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="series")
    frequency = models.CharField(_("repeats"), max_length=10, choices=Frequency.choices)
    interval = models.PositiveSmallIntegerField(
        _("every"),
        default=1,
        help_text=_("1 for every week or month, 2 for every second one, and so on."),
    )
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    week_of_month = models.SmallIntegerField(
        _("week of the month"),
        choices=WeekOfMonth.choices,
        null=True,
        blank=True,
        help_text=_("For monthly meetings: the first, second... or last such day."),
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    start_time = models.TimeField(_("starts at"))
    end_time = models.TimeField(_("ends at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SeriesQuerySet.as_manager()

    class Meta:
        ordering = ["starts_on"]
        verbose_name = _("schedule")
        verbose_name_plural = _("schedules")

    def __str__(self):
        return f"{self.group} · {self.describe()}"

    def clean(self):
        errors = {}
        if not 1 <= (self.interval or 0) <= 12:
            errors["interval"] = _("Choose an interval from 1 to 12.")
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            errors["end_time"] = _("The meeting must end after it starts.")
        if self.frequency == Frequency.MONTHLY and self.week_of_month is None:
            errors["week_of_month"] = _(
                "Say which week of the month: first, second, third, fourth or last."
            )
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The schedule ends before it starts.")
        if errors:
            raise ValidationError(errors)
        if self.starts_on and self.rule().after(self.first_moment(), inc=True) is None:
            raise ValidationError(
                _(
                    "This schedule never produces a meeting: no such day falls "
                    "between its first and last date."
                )
            )

    def first_moment(self) -> datetime.datetime:
        return datetime.datetime.combine(self.starts_on, self.start_time)

    def rule(self) -> rrule.rrule:
        """The occurrences as naive local date-times in the group's time zone."""
        day = rrule.weekday(self.weekday)
        if self.frequency == Frequency.MONTHLY:
            freq, byweekday = rrule.MONTHLY, day(self.week_of_month)
        else:
            freq, byweekday = rrule.WEEKLY, day
        until = (
            datetime.datetime.combine(self.ends_on, self.start_time)
            if self.ends_on
            else None
        )
        return rrule.rrule(
            freq,
            interval=self.interval,
            byweekday=byweekday,
            dtstart=self.first_moment(),
            until=until,
        )

    def dates_between(
        self, start: datetime.date, end: datetime.date
    ) -> list[datetime.date]:
        """The series dates in [start, end]."""
        found = self.rule().between(
            datetime.datetime.combine(start, datetime.time.min),
            datetime.datetime.combine(end, datetime.time.max),
            inc=True,
        )
        return [moment.date() for moment in found]

    def ical_rule(self) -> dict:
        """The RRULE of this series for a calendar feed."""
        day = ICAL_DAYS[self.weekday]
        rule = {
            "FREQ": "MONTHLY" if self.frequency == Frequency.MONTHLY else "WEEKLY",
            "INTERVAL": self.interval,
            "BYDAY": f"{self.week_of_month}{day}"
            if self.frequency == Frequency.MONTHLY
            else day,
        }
        if self.ends_on:
            # RFC 5545: with a zoned DTSTART, UNTIL is in UTC.
            last = datetime.datetime.combine(
                self.ends_on, self.start_time, tzinfo=self.group.tzinfo
            )
            rule["UNTIL"] = last.astimezone(datetime.UTC)
        return rule

    def starts_at(self, day: datetime.date) -> datetime.datetime:
        return datetime.datetime.combine(day, self.start_time, tzinfo=self.group.tzinfo)

    def ends_at(self, day: datetime.date) -> datetime.datetime:
        return datetime.datetime.combine(day, self.end_time, tzinfo=self.group.tzinfo)

    def describe(self) -> str:
        day = Weekday(self.weekday).label
        if self.frequency == Frequency.MONTHLY:
            every = gettext("the %(week)s %(day)s of every %(n)s month(s)") % {
                "week": WeekOfMonth(self.week_of_month).label,
                "day": day,
                "n": self.interval,
            }
        elif self.interval == 1:
            every = gettext("every %(day)s") % {"day": day}
        else:
            every = gettext("every %(n)s weeks on %(day)s") % {
                "n": self.interval,
                "day": day,
            }
        return gettext("%(every)s, %(start)s–%(end)s") % {
            "every": every,
            "start": time_format(self.start_time, "H:i"),
            "end": time_format(self.end_time, "H:i"),
        } + (
            gettext(", until %(date)s") % {"date": date_format(self.ends_on)}
            if self.ends_on
            else ""
        )


class CalendarToken(models.Model):
    """The secret in a member's personal calendar feed URL. Resetting it makes
    the old URL stop working."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="intervision_calendar",
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return str(self.user)

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)
