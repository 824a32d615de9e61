"""Admin screens of selection, in one "Selection" menu: champions design
procedures and their stages; administrators run vacancies.

A procedure's edit screen lists its stages (kind, names, pass mark, order);
each stage's competencies, weights, minimums, questions and role-play
material are edited on the stage's own screen, because nested inline panels
are not reliable in Wagtail. Both screens show what Ustaz warns about."""

from django.contrib import messages
from django.db import transaction
from django.db.models import ProtectedError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.tables import Column, UpdatedAtColumn
from wagtail.admin.views.generic import models as generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button, ListingButton

from selection.design import panels, selectors, services
from selection.design.checks import procedure_warnings
from selection.models import Procedure, Stage, Vacancy, VacancyStatus
from selection.permissions import user_can_design, user_can_run_vacancies

# --- shared ---------------------------------------------------------------


def _warn_after_save(request, procedure: Procedure) -> None:
    warnings = procedure_warnings(procedure)
    if warnings:
        messages.warning(
            request,
            _("Saved, with %(count)d warnings: they are listed at the top.")
            % {"count": len(warnings)},
        )


class ProtectedDeleteView(generic.DeleteView):
    """Refuses, with a translated message, what the database protects."""

    def protected_message(self) -> str | None:
        return None

    def refuse(self, message: str):
        messages.error(self.request, message)
        return redirect(reverse(self.index_url_name))

    def get(self, request, *args, **kwargs):
        if message := self.protected_message():
            return self.refuse(message)
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        if message := self.protected_message():
            return self.refuse(message)
        try:
            return super().form_valid(form)
        except ProtectedError:
            return self.refuse(
                _("Other records use this %(name)s: it cannot be deleted.")
                % {"name": self.object._meta.verbose_name}
            )


# --- procedures -----------------------------------------------------------


def procedure_edit_url(procedure: Procedure) -> str:
    return reverse("selection_procedures:edit", args=[procedure.pk])


def stage_rows(procedure: Procedure) -> list[Stage]:
    return list(
        selectors.stages_for_admin()
        .filter(procedure_id=procedure.pk)
        .order_by("sort_order", "pk")
    )


class ProcedureIndexView(generic.IndexView):
    def get_base_queryset(self):
        return selectors.procedures_for_admin()


class ProcedureCreateView(generic.CreateView):
    def save_instance(self):
        self.form.instance.created_by = self.request.user
        return super().save_instance()

    def get_success_url(self):
        return procedure_edit_url(self.object)

    def save_action(self):
        response = super().save_action()
        _warn_after_save(self.request, self.object)
        return response


class ProcedureDesignContextMixin:
    """The procedure's warnings and its stages, with links to edit each."""

    def design_context(self, procedure: Procedure) -> dict:
        return {
            "design_warnings": procedure_warnings(procedure),
            "stage_rows": stage_rows(procedure),
            "holding_vacancies": list(selectors.vacancies_holding(procedure)),
            "can_design": user_can_design(self.request.user),
        }


class ProcedureEditView(ProcedureDesignContextMixin, generic.EditView):
    def save_instance(self):
        # Stages removed from the procedure leave the draft vacancies that
        # were set up with them; the form refuses it for running vacancies.
        services.stages_release_from_drafts(stages=self.form.deleted_stages())
        procedure = super().save_instance()
        services.procedure_drafts_sync(procedure=procedure)
        return procedure

    def get_success_url(self):
        return procedure_edit_url(self.object)

    def save_action(self):
        response = super().save_action()
        _warn_after_save(self.request, self.object)
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.design_context(self.object))
        return context

    @property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        buttons.append(
            Button(
                gettext_lazy("Stages"),
                url=reverse("selection_stages:index") + f"?procedure={self.object.pk}",
                icon_name="list-ol",
                priority=40,
            )
        )
        if user_can_design(self.request.user):
            buttons.append(
                Button(
                    gettext_lazy("Copy with its stages"),
                    url=reverse("selection_procedure_copy", args=[self.object.pk]),
                    icon_name="copy",
                    priority=50,
                )
            )
        return buttons


class ProcedureInspectView(ProcedureDesignContextMixin, generic.InspectView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.design_context(self.object))
        return context


class ProcedureDeleteView(ProtectedDeleteView):
    def protected_message(self):
        if self.object.vacancies.exists():
            return _("Vacancies use this procedure: it cannot be deleted.")
        return None


class ProcedureViewSet(ModelViewSet):
    model = Procedure
    name = "selection_procedures"
    url_prefix = "selection/procedures"
    icon = "tasks"
    menu_label = gettext_lazy("Procedures")
    index_view_class = ProcedureIndexView
    add_view_class = ProcedureCreateView
    edit_view_class = ProcedureEditView
    inspect_view_class = ProcedureInspectView
    delete_view_class = ProcedureDeleteView
    edit_template_name = "selection/admin/procedure_edit.html"
    inspect_template_name = "selection/admin/procedure_inspect.html"
    inspect_view_enabled = True
    inspect_view_fields = [
        "title_kk",
        "title_ru",
        "title_en",
        "description_kk",
        "description_ru",
        "description_en",
        "framework_version",
    ]
    copy_view_enabled = False
    list_display = [
        "__str__",
        "framework_version",
        Column("stage_count", label=gettext_lazy("Stages")),
        Column("vacancy_count", label=gettext_lazy("Vacancies")),
        UpdatedAtColumn(),
    ]
    search_fields = ["title_kk", "title_ru", "title_en"]
    edit_handler = panels.PROCEDURE_EDIT_HANDLER


# --- stages ---------------------------------------------------------------


class StageIndexView(generic.IndexView):
    def get_base_queryset(self):
        return selectors.stages_for_admin()


class StageEditView(generic.EditView):
    def get_success_url(self):
        return procedure_edit_url(self.object.procedure)

    def save_action(self):
        response = super().save_action()
        _warn_after_save(self.request, self.object.procedure)
        return response

    def get_breadcrumbs_items(self):
        procedure = self.object.procedure
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse("selection_procedures:index"),
                "label": Procedure._meta.verbose_name_plural.capitalize(),
            },
            {"url": procedure_edit_url(procedure), "label": str(procedure)},
            {"url": "", "label": str(self.object)},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        procedure = self.object.procedure
        warnings = procedure_warnings(procedure)
        context["stage_warnings"] = [
            warning for warning in warnings if warning.stage_id == self.object.pk
        ]
        context["other_warnings"] = [
            warning for warning in warnings if warning.stage_id != self.object.pk
        ]
        context["procedure"] = procedure
        context["procedure_url"] = procedure_edit_url(procedure)
        context["holding_vacancies"] = list(selectors.vacancies_holding(procedure))
        return context


class StageInspectView(generic.InspectView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["assessed"] = self.object.competencies.select_related("competency")
        context["questions"] = self.object.questions.select_related("competency")
        return context


class StageDeleteView(ProtectedDeleteView):
    def protected_message(self):
        if selectors.vacancies_holding(self.object.procedure).exists():
            return _("A vacancy runs this stage: it cannot be deleted.")
        return None

    def delete_action(self):
        with transaction.atomic():
            services.stages_release_from_drafts(stages=[self.object])
            super().delete_action()


class StageViewSet(ModelViewSet):
    """Stages are added on their procedure's screen, then edited here."""

    model = Stage
    name = "selection_stages"
    url_prefix = "selection/stages"
    icon = "list-ol"
    menu_label = gettext_lazy("Stages")
    create_view_enabled = False
    copy_view_enabled = False
    index_view_class = StageIndexView
    edit_view_class = StageEditView
    inspect_view_class = StageInspectView
    delete_view_class = StageDeleteView
    edit_template_name = "selection/admin/stage_edit.html"
    inspect_template_name = "selection/admin/stage_inspect.html"
    inspect_view_enabled = True
    inspect_view_fields = [
        "procedure",
        "kind",
        "name_kk",
        "name_ru",
        "name_en",
        "pass_mark",
        "instructions_kk",
        "instructions_ru",
        "instructions_en",
        "scenario_kk",
        "scenario_ru",
        "scenario_en",
        "actor_brief_kk",
        "actor_brief_ru",
        "actor_brief_en",
    ]
    list_display = [
        "__str__",
        "procedure",
        "kind",
        "pass_mark",
        Column("competency_count", label=gettext_lazy("Competencies")),
        Column("weights_total", label=gettext_lazy("Weights (%)")),
    ]
    list_filter = ["procedure", "kind"]
    search_fields = ["name_kk", "name_ru", "name_en"]
    ordering = ["procedure", "sort_order"]
    edit_handler = panels.STAGE_EDIT_HANDLER


# --- vacancies ------------------------------------------------------------


def vacancy_action_buttons(vacancy: Vacancy, user) -> list[tuple[str, str, str]]:
    """(label, url, icon) of what can be done next with the vacancy."""
    if not user_can_run_vacancies(user):
        return []
    actions = []
    if vacancy.status != VacancyStatus.CLOSED:
        actions.append(
            (
                _("Assessors"),
                reverse("selection_vacancy_assessors", args=[vacancy.pk]),
                "group",
            )
        )
    if vacancy.status == VacancyStatus.DRAFT:
        actions.append(
            (
                _("Open the vacancy for applications"),
                reverse("selection_vacancy_open", args=[vacancy.pk]),
                "success",
            )
        )
    if vacancy.status == VacancyStatus.OPEN:
        actions.append(
            (
                _("Start the assessment"),
                reverse("selection_vacancy_start_assessment", args=[vacancy.pk]),
                "resubmit",
            )
        )
    if vacancy.status in (VacancyStatus.OPEN, VacancyStatus.ASSESSING):
        actions.append(
            (
                _("Close the vacancy"),
                reverse("selection_vacancy_close", args=[vacancy.pk]),
                "lock",
            )
        )
    return actions


class VacancyIndexView(generic.IndexView):
    def get_base_queryset(self):
        return selectors.vacancies_for_admin()

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        for priority, (label, url, icon) in enumerate(
            vacancy_action_buttons(instance, self.request.user), start=40
        ):
            buttons.append(ListingButton(label, url, icon_name=icon, priority=priority))
        return buttons


class VacancyCreateView(generic.CreateView):
    def save_instance(self):
        self.form.instance.created_by = self.request.user
        vacancy = super().save_instance()
        services.vacancy_stages_sync(vacancy=vacancy)
        return vacancy

    def get_success_url(self):
        # The next step: who assesses each stage.
        return reverse("selection_vacancy_assessors", args=[self.object.pk])


class VacancyEditView(generic.EditView):
    def save_instance(self):
        vacancy = super().save_instance()
        services.vacancy_stages_sync(vacancy=vacancy)
        return vacancy

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        vacancy = self.object
        context["vacancy_stages"] = selectors.vacancy_stages_with_assessors(vacancy)
        context["vacancy_actions"] = vacancy_action_buttons(vacancy, self.request.user)
        context["application_count"] = vacancy.applications.count()
        if vacancy.status == VacancyStatus.DRAFT:
            context["open_problems"] = services.vacancy_open_problems(vacancy)
        return context


class VacancyDeleteView(ProtectedDeleteView):
    def protected_message(self):
        if self.object.applications.exists():
            return _(
                "Candidates have applied to this vacancy: it cannot be deleted. "
                "Close it instead; their personal data is anonymised when the "
                "retention period ends."
            )
        return None


class VacancyViewSet(ModelViewSet):
    model = Vacancy
    name = "selection_vacancies"
    url_prefix = "selection/vacancies"
    icon = "doc-full"
    menu_label = gettext_lazy("Vacancies")
    index_view_class = VacancyIndexView
    add_view_class = VacancyCreateView
    edit_view_class = VacancyEditView
    delete_view_class = VacancyDeleteView
    edit_template_name = "selection/admin/vacancy_edit.html"
    copy_view_enabled = False
    # Champions hold selection.view_vacancy: they read vacancies here.
    inspect_view_enabled = True
    inspect_view_fields = [
        "reference",
        "title_kk",
        "title_ru",
        "title_en",
        "office",
        "posts",
        "opens_on",
        "closes_on",
        "procedure",
        "status",
        "chair",
        "retention_months",
        "closed_at",
    ]
    list_display = [
        "reference",
        Column("title", label=gettext_lazy("Title")),
        "office",
        "status",
        "opens_on",
        "closes_on",
        Column("application_count", label=gettext_lazy("Applications")),
        Column("in_progress_count", label=gettext_lazy("In assessment")),
    ]
    list_filter = ["status", "office"]
    search_fields = ["reference", "title_kk", "title_ru", "title_en"]
    edit_handler = panels.VACANCY_EDIT_HANDLER


class SelectionGroup(ViewSetGroup):
    menu_label = gettext_lazy("Selection")
    menu_icon = "user"
    menu_order = 245
    items = (ProcedureViewSet, StageViewSet, VacancyViewSet)
