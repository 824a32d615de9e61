"""Forms of training sessions. They validate; the services decide. Dates and
times are typed in Asia/Almaty, whatever the browser's time zone."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models.training import ALMATY
from lms.forms import DateInput, TimeInput

MAX_PLACES = 500


class SessionForm(forms.Form):
    """A session's date, times, place and places. The service's errors come
    back on these fields (see FIELD_OF)."""

    date = forms.DateField(label=_("Date"), widget=DateInput())
    start_time = forms.TimeField(label=_("Starts at"), widget=TimeInput())
    end_time = forms.TimeField(label=_("Ends at"), widget=TimeInput())
    venue = forms.CharField(
        label=_("Venue"),
        max_length=255,
        required=False,
        help_text=_("Address and room, for a classroom session."),
    )
    link = forms.URLField(
        label=_("Online link"),
        max_length=200,
        required=False,
        assume_scheme="https",
        help_text=_("The video call, for an online session."),
    )
    capacity = forms.IntegerField(
        label=_("Places"),
        min_value=1,
        max_value=MAX_PLACES,
        error_messages={
            "min_value": _("A session needs at least one place."),
            "max_value": _("A session has at most %(limit_value)s places."),
        },
    )
    deadline_date = forms.DateField(label=_("Book by (date)"), widget=DateInput())
    deadline_time = forms.TimeField(
        label=_("Book by (time)"), widget=TimeInput(), initial=datetime.time(18, 0)
    )

    # Where each of the service's errors belongs in this form.
    FIELD_OF = {
        "starts_at": "date",
        "ends_at": "end_time",
        "registration_deadline": "deadline_date",
        "venue": "venue",
        "link": "link",
        "capacity": "capacity",
    }

    @staticmethod
    def _at(day: datetime.date, time: datetime.time) -> datetime.datetime:
        return datetime.datetime.combine(day, time, tzinfo=ALMATY)

    def clean(self):
        data = super().clean()
        if {"date", "start_time", "end_time"} <= data.keys():
            data["starts_at"] = self._at(data["date"], data["start_time"])
            data["ends_at"] = self._at(data["date"], data["end_time"])
            if data["starts_at"] <= timezone.now():
                self.add_error("date", _("A session cannot start in the past."))
            if data["ends_at"] <= data["starts_at"]:
                self.add_error("end_time", _("The session must end after it starts."))
        if {"deadline_date", "deadline_time"} <= data.keys():
            data["registration_deadline"] = self._at(
                data["deadline_date"], data["deadline_time"]
            )
            starts_at = data.get("starts_at")
            if starts_at and data["registration_deadline"] > starts_at:
                self.add_error(
                    "deadline_date",
                    _("Registration must close before the session starts."),
                )
        if not data.get("venue", "").strip() and not data.get("link", "").strip():
            if "venue" not in self.errors and "link" not in self.errors:
                self.add_error("venue", _("Give a venue, an online link, or both."))
        return data


class AttendanceForm(forms.Form):
    present = forms.TypedMultipleChoiceField(
        label=_("Who came"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, bookings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [
            (booking.user_id, booking.user.get_full_name()) for booking in bookings
        ]
