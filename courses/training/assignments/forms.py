"""Forms of assignments: the officer's submission and the trainer's grade.
They only validate the shape of what is posted; the services check the files'
content and the rubric."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from courses.models import SubmissionStatus
from courses.training.assignments.uploads import ALLOWED


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            single = super().clean
            return [single(item, initial) for item in data]
        if data:
            return [super().clean(data, initial)]
        return []


class SubmissionForm(forms.Form):
    text = forms.CharField(
        label=_("Your work"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    files = MultipleFileField(
        label=_("Files"),
        required=False,
        widget=MultipleFileInput(
            attrs={"accept": ",".join(sorted(ALLOWED)), "multiple": True}
        ),
    )

    def __init__(self, *args, max_files: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_files = max_files
        self.fields["files"].help_text = ngettext_lazy(
            "Up to %(count)d file: PDF, DOCX, TXT, MP3, M4A, OGG, JPEG or PNG.",
            "Up to %(count)d files: PDF, DOCX, TXT, MP3, M4A, OGG, JPEG or PNG.",
            "count",
        ) % {"count": max_files}

    def clean_files(self):
        files = self.cleaned_data.get("files") or []
        if len(files) > self.max_files:
            raise forms.ValidationError(
                ngettext_lazy(
                    "Attach at most %(count)d file.",
                    "Attach at most %(count)d files.",
                    "count",
                )
                % {"count": self.max_files}
            )
        return files


class GradeForm(forms.Form):
    """One level for each criterion of the rubric, feedback and a decision.
    The total is never posted: the service adds it up."""

    feedback = forms.CharField(
        label=_("Feedback for the officer"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Write feedback for the officer.")},
    )
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[
            (SubmissionStatus.PASSED, _("Passed")),
            (SubmissionStatus.RESUBMIT, _("Ask for a resubmission")),
            (SubmissionStatus.FAILED, _("Not passed")),
        ],
        error_messages={"required": _("Choose a decision.")},
    )

    def __init__(self, *args, criteria: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        fields = {}
        for criterion in criteria:
            fields[self.field_name(criterion)] = forms.ChoiceField(
                label=criterion["name"],
                widget=forms.RadioSelect,
                choices=[
                    (
                        str(level["points"]),
                        _("%(descriptor)s (%(points)s points)")
                        % {
                            "descriptor": level["descriptor"],
                            "points": level["points"],
                        },
                    )
                    for level in criterion["levels"]
                ],
                error_messages={
                    "required": _("Choose a level for «%(name)s».")
                    % {"name": criterion["name"]},
                    "invalid_choice": _("«%(name)s» has no such level.")
                    % {"name": criterion["name"]},
                },
            )
        self.fields = {**fields, **self.fields}

    @staticmethod
    def field_name(criterion: dict) -> str:
        return f"criterion-{criterion['id']}"

    def scores(self) -> dict:
        return {
            criterion["id"]: self.cleaned_data[self.field_name(criterion)]
            for criterion in self.criteria
        }
