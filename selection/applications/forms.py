"""Forms of the public part: the application and the candidate's request to
delete their data. They validate what is posted; the service decides."""

import phonenumbers
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from selection.applications.equality import QUESTIONS, Ethnicity
from selection.applications.uploads import ALLOWED, check_cv
from selection.models import AgeBand, Disability, Gender, Vacancy

PHONE_REGION = "KZ"
TEXT_MAX_LENGTH = 5000


def _required(message) -> dict:
    return {"required": message}


class ApplicationForm(forms.Form):
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages=_required(_("Write your full name.")),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        help_text=_("Your receipt and every message about your application go here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            **_required(_("Write your e-mail address.")),
            "invalid": _("Write a valid e-mail address, such as name@example.kz."),
        },
    )
    phone = forms.CharField(
        label=_("Phone (optional)"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    education = forms.CharField(
        label=_("Education"),
        max_length=TEXT_MAX_LENGTH,
        help_text=_("Where and what you studied, with the years."),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=_required(_("Describe your education.")),
    )
    experience = forms.CharField(
        label=_("Experience"),
        max_length=TEXT_MAX_LENGTH,
        help_text=_(
            "Your work so far, especially with people in difficult situations."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages=_required(_("Describe your experience.")),
    )
    motivation = forms.CharField(
        label=_("Motivation"),
        max_length=TEXT_MAX_LENGTH,
        help_text=_("Why you want to work in the probation service."),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages=_required(_("Tell us why you are applying.")),
    )
    cv = forms.FileField(
        label=_("CV"),
        # The upload check names the file when it is empty.
        allow_empty_file=True,
        widget=forms.FileInput(attrs={"accept": ",".join(sorted(ALLOWED))}),
        error_messages=_required(_("Choose your CV (PDF or DOCX).")),
    )
    consent = forms.BooleanField(
        error_messages=_required(
            _(
                "Tick the box to agree to the processing of your data: without "
                "your consent the application cannot be considered."
            )
        ),
    )
    gender = forms.ChoiceField(
        label=_("Gender"),
        choices=Gender.choices,
        required=False,
        initial=Gender.UNDISCLOSED,
        widget=forms.RadioSelect,
    )
    age_band = forms.ChoiceField(
        label=_("Age"),
        choices=AgeBand.choices,
        required=False,
        initial=AgeBand.UNDISCLOSED,
        widget=forms.RadioSelect,
    )
    disability = forms.ChoiceField(
        label=_("Do you have a disability?"),
        choices=Disability.choices,
        required=False,
        initial=Disability.UNDISCLOSED,
        widget=forms.RadioSelect,
    )
    ethnicity = forms.ChoiceField(
        label=_("Ethnicity"),
        choices=Ethnicity.choices,
        required=False,
        initial=Ethnicity.UNDISCLOSED,
    )
    # A honeypot: hidden from people, filled in by robots.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, vacancy: Vacancy, **kwargs):
        super().__init__(*args, **kwargs)
        self.vacancy = vacancy
        months = vacancy.retention_months
        self.fields["consent"].label = ngettext(
            "I agree that the probation service processes my personal data to "
            "consider this application. It is kept for %(months)d month after "
            "the vacancy closes, then anonymised; I can ask to see or delete it "
            "at any time.",
            "I agree that the probation service processes my personal data to "
            "consider this application. It is kept for %(months)d months after "
            "the vacancy closes, then anonymised; I can ask to see or delete it "
            "at any time.",
            months,
        ) % {"months": months}

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if not phone:
            return ""
        try:
            number = phonenumbers.parse(phone, PHONE_REGION)
        except phonenumbers.NumberParseException:
            number = None
        if number is None or not phonenumbers.is_possible_number(number):
            raise forms.ValidationError(
                _(
                    "Write the phone number with its code, for example "
                    "+7 701 234 56 78, or leave it empty."
                )
            )
        return phone

    def clean_cv(self):
        cv = self.cleaned_data["cv"]
        check_cv(cv)
        return cv

    def clean_website(self):
        if self.cleaned_data["website"]:
            raise forms.ValidationError(_("Leave this field empty."))
        return ""

    def equality(self) -> dict[str, str]:
        return {field: self.cleaned_data.get(field) or "" for field in QUESTIONS}


class DataDeleteForm(forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "I understand: my personal data and CV will be deleted now, and an "
            "application still being considered is withdrawn. This cannot be "
            "undone."
        ),
        error_messages=_required(
            _("Tick the box to confirm that your data should be deleted.")
        ),
    )
