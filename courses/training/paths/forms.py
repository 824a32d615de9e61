from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from courses.training.paths import selectors
from lms.forms import DateInput
from lms.models import Office, User
from lms.roles import Role


class CohortForm(forms.Form):
    """Who to enrol: officers ticked one by one, or everyone of an office hired
    on or after a date. The rules (own office, dates, empty cohorts) are the
    services'; this form checks that the answer is complete."""

    OFFICERS = "officers"
    OFFICE = "office"

    how = forms.ChoiceField(
        label=_("Whom to enrol"),
        choices=[
            (OFFICERS, _("The officers I choose")),
            (OFFICE, _("Everyone in an office hired on or after a date")),
        ],
        initial=OFFICERS,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose whom to enrol."),
            "invalid_choice": _("Choose whom to enrol."),
        },
    )
    officers = forms.ModelMultipleChoiceField(
        label=_("Officers"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _(
                "An officer you chose is unknown or no longer active. "
                "Reload the page and choose again."
            ),
            "invalid_pk_value": _(
                "An officer you chose is unknown. Reload the page and choose again."
            ),
        },
    )
    office = forms.ModelChoiceField(
        label=_("Office"),
        queryset=Office.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("This office is unknown.")},
    )
    hired_since = forms.DateField(
        label=_("Hired on or after"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Enter the date as year-month-day.")},
    )

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        # Any active officer and any office are accepted here, so that one out
        # of the viewer's reach gets the services' clear refusal rather than
        # "not a valid choice"; only those within reach are offered.
        officers = self.fields["officers"]
        officers.queryset = User.objects.with_role(Role.OFFICER)
        officers.widget.choices = [
            (officer.pk, self._officer_label(officer))
            for officer in selectors.cohort_candidates(viewer)
        ]
        if not officers.widget.choices:
            officers.help_text = _("There is no active officer you can enrol.")
        offices = self.fields["office"]
        offices.queryset = Office.objects.all()
        shown = list(selectors.cohort_offices(viewer))
        offices.widget.choices = [("", "---------")] + [
            (office.pk, str(office)) for office in shown
        ]
        if len(shown) == 1:
            offices.initial = shown[0].pk

    @staticmethod
    def _officer_label(officer) -> str:
        parts = [officer.get_full_name()]
        if officer.office_id:
            parts.append(str(officer.office))
        if officer.hire_date:
            hired = formats.date_format(officer.hire_date, "SHORT_DATE_FORMAT")
            parts.append(str(_("hired %(date)s") % {"date": hired}))
        return " · ".join(parts)

    def clean(self):
        data = super().clean()
        if data.get("how") == self.OFFICERS:
            if not data.get("officers") and "officers" not in self.errors:
                self.add_error("officers", _("Choose at least one officer to enrol."))
        elif data.get("how") == self.OFFICE:
            if not data.get("office") and "office" not in self.errors:
                self.add_error("office", _("Choose the office."))
            if not data.get("hired_since") and "hired_since" not in self.errors:
                self.add_error(
                    "hired_since", _("Enter the first hire date to include.")
                )
        return data
