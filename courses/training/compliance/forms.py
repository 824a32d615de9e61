"""Forms of the compliance pages. They only validate; the views check that an
office asked for is within what the user may see."""

from django import forms
from django.utils.translation import gettext_lazy as _

from courses.training.compliance.selectors import CellState

FORMATS = [("csv", "CSV"), ("xlsx", "XLSX")]


class ComplianceFilterForm(forms.Form):
    office = forms.TypedChoiceField(
        label=_("Office"), required=False, coerce=int, empty_value=None
    )
    course = forms.TypedChoiceField(
        label=_("Mandatory course"), required=False, coerce=int, empty_value=None
    )
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("Any state")), *CellState.choices],
    )
    q = forms.CharField(
        label=_("Officer's name"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )

    def __init__(self, *args, offices=(), courses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].choices = [("", _("Every office I see"))] + [
            (office.pk, str(office)) for office in offices
        ]
        self.fields["course"].choices = [("", _("Every mandatory course"))] + [
            (page.pk, page.title) for page in courses
        ]
        if len(self.fields["office"].choices) <= 2:
            self.fields["office"].widget = forms.HiddenInput()

    def filters(self) -> dict:
        """The valid filters, as an export keeps them; invalid ones are dropped."""
        data = self.cleaned_data if self.is_bound else {}
        return {
            "office": data.get("office") if "office" not in self.errors else None,
            "course": data.get("course") if "course" not in self.errors else None,
            "state": data.get("state", "") if "state" not in self.errors else "",
            "q": data.get("q", "").strip() if "q" not in self.errors else "",
        }


class ExportForm(ComplianceFilterForm):
    format = forms.ChoiceField(label=_("Format"), choices=FORMATS)
