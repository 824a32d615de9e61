"""Forms of the intervision module. They validate; the services decide."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from intervision.models import (
    Frequency,
    Method,
    Series,
    Theme,
)
from intervision.models.groups import TIMEZONES
from lms.forms import DateInput, TimeInput
from lms.models import Competency, User


def _people(users) -> list[tuple[int, str]]:
    return [(user.pk, user.get_full_name()) for user in users]


class GroupForm(forms.Form):
    name = forms.CharField(label=_("Name of the group"), max_length=160)
    facilitator = forms.ModelChoiceField(
        label=_("Facilitator"),
        queryset=User.objects.filter(is_active=True),
        help_text=_("Leads the method and checks that cases are anonymised."),
    )
    members = forms.ModelMultipleChoiceField(
        label=_("Members"),
        queryset=User.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Staff of the office. Four to eight members is the advice."),
    )
    default_method = forms.ModelChoiceField(
        label=_("Usual method"), queryset=Method.objects.filter(is_active=True)
    )
    timezone = forms.ChoiceField(label=_("Time zone"), choices=TIMEZONES)
    location = forms.CharField(
        label=_("Usual place"),
        max_length=255,
        required=False,
        help_text=_("A room, or a link to the video call."),
    )

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        staff = list(office.staff.filter(is_active=True).order_by("full_name"))
        # Offer the office's staff; anyone else posted is refused by the
        # service with a message that says why.
        self.fields["members"].widget.choices = _people(staff)
        self.fields["facilitator"].choices = [("", "---------"), *_people(staff)]


class SeriesForm(forms.ModelForm):
    class Meta:
        model = Series
        fields = [
            "frequency",
            "interval",
            "weekday",
            "week_of_month",
            "starts_on",
            "ends_on",
            "start_time",
            "end_time",
        ]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "start_time": TimeInput(),
            "end_time": TimeInput(),
        }

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.group = group
        self.fields["frequency"].initial = Frequency.WEEKLY


class MeetingForm(forms.Form):
    """A meeting's date and times, in the group's time zone."""

    date = forms.DateField(label=_("Date"), widget=DateInput())
    start_time = forms.TimeField(label=_("Starts at"), widget=TimeInput())
    end_time = forms.TimeField(label=_("Ends at"), widget=TimeInput())
    method = forms.ModelChoiceField(
        label=_("Method"), queryset=Method.objects.filter(is_active=True)
    )
    location = forms.CharField(label=_("Place"), max_length=255, required=False)

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        self.group = group

    def clean(self):
        data = super().clean()
        if {"date", "start_time", "end_time"} <= data.keys():
            tz = self.group.tzinfo
            data["starts_at"] = datetime.datetime.combine(
                data["date"], data["start_time"], tzinfo=tz
            )
            data["ends_at"] = datetime.datetime.combine(
                data["date"], data["end_time"], tzinfo=tz
            )
            if data["ends_at"] <= data["starts_at"]:
                self.add_error("end_time", _("The meeting must end after it starts."))
        return data


class MeetingChangeForm(MeetingForm):
    note = forms.CharField(
        label=_("Why (told to the members)"), max_length=255, required=False
    )


class CancelForm(forms.Form):
    note = forms.CharField(label=_("Why is it cancelled?"), max_length=255)


class RolesForm(forms.Form):
    chair = forms.TypedChoiceField(label=_("Chair"), coerce=int)
    minute_taker = forms.TypedChoiceField(label=_("Minute-taker"), coerce=int)
    timekeeper = forms.TypedChoiceField(label=_("Timekeeper"), coerce=int)
    bringer = forms.TypedMultipleChoiceField(
        label=_("Case-bringers"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        choices = _people(people)
        for name in ("chair", "minute_taker", "timekeeper"):
            self.fields[name].choices = [("", "---------"), *choices]
        self.fields["bringer"].choices = choices


class RespondForm(forms.Form):
    response = forms.ChoiceField(
        choices=[("yes", _("Coming")), ("no", _("Not coming"))]
    )


class CaseForm(forms.Form):
    question = forms.CharField(
        label=_("Your question for the group"),
        max_length=500,
        help_text=_("What do you want the group to help you with?"),
    )
    situation = forms.CharField(
        label=_("The situation"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Describe the situation without anything that identifies the client: "
            "no names, IINs, phone numbers, addresses or dates of birth."
        ),
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    competencies = forms.ModelMultipleChoiceField(
        label=_("Competencies"),
        queryset=Competency.objects.current(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    keep_despite_warning = forms.BooleanField(
        label=_(
            "I have checked the marked text: it does not identify the client or "
            "anyone else. Save it as it is."
        ),
        required=False,
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Notes on this step"),
        required=False,
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )


class MinutesForm(forms.Form):
    advice = forms.CharField(
        label=_("Advice given"),
        required=False,
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    conclusions = forms.CharField(
        label=_("The case-bringer's conclusions"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, steps, **kwargs):
        super().__init__(*args, **kwargs)
        for position, title in steps:
            self.fields[f"step_{position}"] = forms.CharField(
                label=f"{position}. {title}",
                required=False,
                max_length=8000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def notes(self) -> dict[int, str]:
        return {
            int(name[5:]): value
            for name, value in self.cleaned_data.items()
            if name.startswith("step_")
        }


class AmendmentForm(forms.Form):
    part = forms.ChoiceField(label=_("Part to correct"))
    text = forms.CharField(
        label=_("Corrected text"),
        max_length=8000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    reason = forms.CharField(label=_("Why is it corrected?"), max_length=500)

    def __init__(self, *args, parts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["part"].choices = [(part.key, part.label) for part in parts]


class ActionPointForm(forms.Form):
    owner = forms.TypedChoiceField(label=_("Who"), coerce=int)
    text = forms.CharField(label=_("What"), max_length=500)
    due_on = forms.DateField(label=_("By"), widget=DateInput())

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "---------"), *_people(people)]


class AttendanceForm(forms.Form):
    present = forms.TypedMultipleChoiceField(
        label=_("Who came"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = _people(people)
