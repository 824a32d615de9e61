"""The panel's forms: a consensus per candidate and a decision. They only
validate the shape of what is posted; the services hold the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from selection.models import SCALE_MAX, SCALE_MIN, Outcome
from selection.panel import services

NOT_OBSERVED = "not_observed"


class ConsensusForm(forms.Form):
    """One candidate at one stage: for each competency a point or "not
    observed", and one rationale. Prefixed by the candidate, so every
    candidate's form can sit on the same page."""

    def __init__(self, *args, competencies, rows=None, **kwargs):
        super().__init__(*args, **kwargs)
        point_error = services.point_error()
        choices = [
            ("", _("Choose…")),
            *((str(point), str(point)) for point in range(SCALE_MIN, SCALE_MAX + 1)),
            (NOT_OBSERVED, _("Not observed")),
        ]
        self.competency_fields = []
        for row in rows or []:
            if row.consensus is not None and not self.is_bound:
                self.initial[self.field_name(row.competency)] = (
                    NOT_OBSERVED
                    if row.consensus.point is None
                    else str(row.consensus.point)
                )
        for stage_competency in competencies:
            competency = stage_competency.competency
            name = self.field_name(competency)
            self.fields[name] = forms.ChoiceField(
                label=competency.name,
                choices=choices,
                error_messages={
                    "required": _("Choose the agreed score."),
                    "invalid_choice": point_error,
                },
            )
            self.competency_fields.append((competency, name))
        self.fields["rationale"] = forms.CharField(
            label=_("Rationale"),
            max_length=5000,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=_(
                "Why the panel agreed these scores; say how each flagged "
                "disagreement was resolved."
            ),
            error_messages={"required": _("Write the rationale for the consensus.")},
        )
        if not self.is_bound and rows and rows[0].consensus is not None:
            self.initial["rationale"] = rows[0].consensus.rationale

    @staticmethod
    def field_name(competency) -> str:
        return f"competency_{competency.pk}"

    def clean_rationale(self):
        rationale = self.cleaned_data["rationale"].strip()
        if not rationale:
            raise forms.ValidationError(_("Write the rationale for the consensus."))
        return rationale

    def points(self) -> dict[int, int | None]:
        return {
            competency.pk: (
                None
                if self.cleaned_data[name] == NOT_OBSERVED
                else int(self.cleaned_data[name])
            )
            for competency, name in self.competency_fields
        }


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose appoint, reserve list or reject.")},
    )
    reasons = forms.CharField(
        label=_("Reasons"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "The reasons are kept with the decision in the audit log. The "
            "candidate's letter does not quote them."
        ),
        error_messages={"required": _("Give the reasons for this decision.")},
    )

    def clean_reasons(self):
        reasons = self.cleaned_data["reasons"].strip()
        if not reasons:
            raise forms.ValidationError(_("Give the reasons for this decision."))
        return reasons
