"""Forms of the design screens. They validate; the services and the admin
views do the rest.

A procedure used by a vacancy past its draft keeps its rules (stages and
their order, kinds, pass marks, competencies, weights, minimums, framework
version): the candidates of that vacancy are scored by them. Its texts can
still be corrected."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from lms.models import Competency, FrameworkVersion
from selection.design.selectors import (
    eligible_assessors,
    eligible_panel_members,
    vacancies_holding,
)
from selection.models import StageCompetency, VacancyStatus

STAGE_RULE_FIELDS = {"kind", "pass_mark"}
COMPETENCY_RULE_FIELDS = {"competency", "weight", "minimum"}


def _rules_held_message(vacancies) -> str:
    return _(
        "This procedure is in use by %(vacancies)s, already open or further "
        "along: its stages and their order, kinds, pass marks, assessed "
        "competencies, weights and minimums can no longer change. Texts can "
        "still be corrected; for other changes, copy the procedure."
    ) % {"vacancies": ", ".join(f"«{vacancy}»" for vacancy in vacancies)}


def _title_required(form, base: str) -> None:
    if not any(form.cleaned_data.get(f"{base}_{code}") for code in ("kk", "ru", "en")):
        form.add_error(f"{base}_ru", _("Give the title in at least one language."))


def _formset_rules_changed(formset, rule_fields: set[str]) -> bool:
    """A row was added or removed, or one of its rule fields changed.
    Only meaningful once the formset is valid."""
    deleted = set(formset.deleted_forms)
    for form in formset.forms:
        if form in deleted:
            if form.instance.pk is not None:
                return True
            continue
        if form.instance.pk is None:
            if form.has_changed():
                return True
            continue
        if rule_fields & set(form.changed_data):
            return True
    return False


def _formset_reordered(formset) -> bool:
    """The existing rows come in another order than before."""
    kept = [
        form.instance.pk
        for form in (formset.ordered_forms if formset.can_order else formset.forms)
        if form.instance.pk is not None and form not in formset.deleted_forms
    ]
    before = [
        form.instance.pk
        for form in formset.initial_forms
        if form.instance.pk in set(kept)
    ]
    return kept != before


def _limit_competencies(formset, queryset) -> None:
    """Offer only the competencies of the procedure's framework version, in
    every row of the formset, the empty row the browser copies included.

    Django builds each row (and the empty one) through add_fields; the
    formset class is shared between requests, so the queryset is set on this
    formset instance rather than on its class."""
    add_fields = formset.add_fields

    def limited_add_fields(form, index):
        add_fields(form, index)
        form.fields["competency"].queryset = queryset

    formset.add_fields = limited_add_fields


class ProcedureForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["framework_version"]
        field.queryset = FrameworkVersion.objects.filter(live=True)
        field.help_text = _(
            "Only published versions can be chosen; the current one is proposed."
        )
        if self.instance.pk is None and not self.is_bound:
            current = FrameworkVersion.objects.current()
            if current is not None:
                self.initial["framework_version"] = current.pk

    def clean(self):
        cleaned_data = super().clean()
        _title_required(self, "title")
        version = cleaned_data.get("framework_version")
        if (
            self.instance.pk is not None
            and version is not None
            and "framework_version" in self.changed_data
            and StageCompetency.objects.filter(stage__procedure=self.instance)
            .exclude(competency__version=version)
            .exists()
        ):
            self.add_error(
                "framework_version",
                _(
                    "The stages already assess competencies of another version. "
                    "Copy the procedure to build one on this version."
                ),
            )
        return cleaned_data

    def is_valid(self):
        valid = super().is_valid()
        if valid and self.instance.pk is not None:
            held = list(vacancies_holding(self.instance))
            stages = self.formsets["stages"]
            if held and (
                "framework_version" in self.changed_data
                or _formset_rules_changed(stages, STAGE_RULE_FIELDS)
                or _formset_reordered(stages)
            ):
                self.add_error(None, _rules_held_message(held))
                valid = False
        return valid

    def deleted_stages(self) -> list:
        """Stages the champion removed; valid forms only."""
        stages = self.formsets["stages"]
        return [
            form.instance
            for form in stages.deleted_forms
            if form.instance.pk is not None
        ]


class StageForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        procedure = self.instance.procedure
        competencies = Competency.objects.filter(
            version_id=procedure.framework_version_id
        ).order_by("sort_order", "pk")
        for name in ("competencies", "questions"):
            _limit_competencies(self.formsets[name], competencies)

    def is_valid(self):
        valid = super().is_valid()
        if valid:
            held = list(vacancies_holding(self.instance.procedure))
            if held and (
                STAGE_RULE_FIELDS & set(self.changed_data)
                or _formset_rules_changed(
                    self.formsets["competencies"], COMPETENCY_RULE_FIELDS
                )
            ):
                self.add_error(None, _rules_held_message(held))
                valid = False
        return valid


class VacancyForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        vacancy = self.instance
        chair = [vacancy.chair_id] if vacancy.chair_id else []
        panel = list(vacancy.panel.all()) if vacancy.pk else []
        self.fields["chair"].queryset = eligible_panel_members(also=chair)
        self.fields["panel"].queryset = eligible_panel_members(also=panel)
        self.fields["chair"].help_text = _(
            "Assessors, champions and managers can sit on a panel. The chair "
            "joins the panel when the vacancy opens."
        )
        if vacancy.pk and vacancy.status != VacancyStatus.DRAFT:
            self.fields["procedure"].help_text = _(
                "The vacancy is past its draft: its procedure is fixed."
            )

    def clean(self):
        cleaned_data = super().clean()
        _title_required(self, "title")
        opens_on = cleaned_data.get("opens_on")
        closes_on = cleaned_data.get("closes_on")
        if opens_on and closes_on and closes_on < opens_on:
            self.add_error(
                "closes_on",
                _("Applications cannot close before they open."),
            )
        vacancy = self.instance
        if vacancy.pk is None:
            return cleaned_data
        if "procedure" in self.changed_data and vacancy.status != VacancyStatus.DRAFT:
            self.add_error(
                "procedure",
                _(
                    "The vacancy is «%(status)s»: candidates are assessed by its "
                    "procedure, which can no longer change."
                )
                % {"status": vacancy.get_status_display()},
            )
        if "retention_months" in self.changed_data and vacancy.applications.exists():
            self.add_error(
                "retention_months",
                _(
                    "Candidates have applied having been told this retention "
                    "period: it can no longer change."
                ),
            )
        return cleaned_data


class VacancyAssessorsForm(forms.Form):
    """One list of assessors per stage of the vacancy."""

    def __init__(self, *args, vacancy_stages, **kwargs):
        super().__init__(*args, **kwargs)
        self.vacancy_stages = vacancy_stages
        for vacancy_stage in vacancy_stages:
            current = list(vacancy_stage.assessors.all())
            self.fields[self.field_name(vacancy_stage)] = (
                forms.ModelMultipleChoiceField(
                    label=str(vacancy_stage.stage),
                    queryset=eligible_assessors(also=current),
                    required=False,
                    initial=[user.pk for user in current],
                    widget=forms.CheckboxSelectMultiple,
                )
            )

    @staticmethod
    def field_name(vacancy_stage) -> str:
        return f"stage_{vacancy_stage.pk}"

    def assessors(self) -> dict[int, list]:
        return {
            vacancy_stage.pk: list(self.cleaned_data[self.field_name(vacancy_stage)])
            for vacancy_stage in self.vacancy_stages
        }


class StartAssessmentForm(forms.Form):
    """Before the closing date has passed, the administrator confirms that
    applications close early."""

    close_early = forms.BooleanField(
        label=_("Close applications now, before the closing date"),
        required=False,
    )

    def __init__(self, *args, early: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.early = early
        if not early:
            del self.fields["close_early"]
        else:
            self.fields["close_early"].required = True
            self.fields["close_early"].error_messages["required"] = _(
                "Tick the box to confirm that applications close early."
            )
