"""Forms of the scoring part. They validate what was typed; the services
decide what may be saved."""

from django import forms
from django.utils.translation import gettext_lazy as _

from selection.scoring.selectors import scale_of

NOT_OBSERVED = "not_observed"
EVIDENCE_MAX_LENGTH = 5000


def point_field(competency, *, required: bool) -> forms.ChoiceField:
    """A point of the competency's anchored scale, or "not observed": its own
    answer, never the lowest point."""
    scale = scale_of(competency)
    return forms.ChoiceField(
        label=competency.name,
        required=required,
        choices=[(str(point), str(point)) for point in scale]
        + [(NOT_OBSERVED, _("Not observed"))],
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": _(
                "Choose a point of the scale, %(min)s to %(max)s, or “Not observed”."
            )
            % {"min": scale[0], "max": scale[-1]},
            "required": _("Choose a point of the scale or “Not observed”."),
        },
    )


def evidence_field(*, required: bool) -> forms.CharField:
    return forms.CharField(
        label=_("Evidence"),
        help_text=_(
            "What the candidate said or did. For “Not observed”: what you looked for."
        ),
        required=required,
        max_length=EVIDENCE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _(
                "Write the evidence: what the candidate said or did or, for "
                "“Not observed”, what you looked for."
            )
        },
    )


def answer(choice: str) -> tuple[int | None, bool]:
    """(point, not observed) of a validated choice ("" when unanswered)."""
    if choice == NOT_OBSERVED:
        return None, True
    return (int(choice), False) if choice else (None, False)


class ScoresForm(forms.Form):
    """Every competency a stage assesses: a point or "not observed", and the
    evidence. Any part may be left for later (a draft)."""

    def __init__(self, *args, competencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.competencies = list(competencies)
        for competency in self.competencies:
            self.fields[f"point-{competency.pk}"] = point_field(
                competency, required=False
            )
            self.fields[f"evidence-{competency.pk}"] = evidence_field(required=False)

    def answers(self) -> dict[int, tuple[int | None, bool, str]]:
        """The answers of the competencies that were on the page (a draft
        score is never removed because a request left it out)."""
        result = {}
        for competency in self.competencies:
            if self.add_prefix(f"evidence-{competency.pk}") not in self.data:
                continue
            point, not_observed = answer(self.cleaned_data[f"point-{competency.pk}"])
            evidence = self.cleaned_data[f"evidence-{competency.pk}"]
            result[competency.pk] = (point, not_observed, evidence)
        return result


class DeclareForm(forms.Form):
    conflict = forms.ChoiceField(
        label=_("Conflict of interest"),
        choices=[
            ("no", _("I have no conflict of interest with this candidate")),
            ("yes", _("I have a conflict of interest with this candidate")),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Say whether you have a conflict of interest."),
            "invalid_choice": _("Say whether you have a conflict of interest."),
        },
    )
    note = forms.CharField(
        label=_("What the conflict is"),
        help_text=_(
            "For example: a relative, a friend, a former colleague or a person you "
            "supervised."
        ),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("conflict") == "yes" and not cleaned.get("note"):
            self.add_error("note", _("Say briefly what the conflict of interest is."))
        return cleaned


class AmendForm(forms.Form):
    """A new point (or "not observed") and evidence, with the reason."""

    reason = forms.CharField(
        label=_("Reason for the amendment"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason for the amendment.")},
    )

    def __init__(self, *args, competency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["point"] = point_field(competency, required=True)
        self.fields["evidence"] = evidence_field(required=True)
        self.order_fields(["point", "evidence", "reason"])
