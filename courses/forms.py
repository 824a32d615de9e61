import re
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

CODE_PATTERN = re.compile(r"^UZ-[0-9A-Z]{4}-[0-9A-Z]{4}$")


class ReflectionForm(forms.Form):
    text = forms.CharField(
        label=_("Your answer"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write your answer before saving it.")},
    )


class GradeForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment for the officer"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, max_points: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["points"] = forms.DecimalField(
            label=_("Points"),
            min_value=Decimal(0),
            max_value=Decimal(max_points),
            max_digits=6,
            decimal_places=2,
            help_text=_("From 0 to %(max)s.") % {"max": max_points},
            widget=forms.NumberInput(attrs={"step": "0.5"}),
        )
        self.order_fields(["points", "comment"])


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Certificate code"),
        max_length=20,
        help_text=_("As printed on the certificate, for example UZ-7K3M-9QX2."),
    )

    def clean_code(self):
        code = self.cleaned_data["code"].strip().upper()
        if not CODE_PATTERN.match(code):
            raise forms.ValidationError(
                _("A certificate code looks like UZ-7K3M-9QX2. Check it and try again.")
            )
        return code


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the certificate revoked?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why the certificate is revoked.")},
    )


class QuestionFileForm(forms.Form):
    file = forms.FileField(
        label=_("Question bank file"),
        help_text=_("Moodle XML (.xml) or GIFT (.txt, .gift), up to 2 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xml,.txt,.gift"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 2 * 1024 * 1024:
            raise forms.ValidationError(
                _("The file is larger than 2 MB. Split the bank into smaller files.")
            )
        return upload
