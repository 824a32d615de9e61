"""Admin actions on vacancies and procedures, each behind a confirmation
page: open a vacancy, start its assessment, close it, name its assessors;
copy a procedure with its stages."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from selection.design import selectors, services
from selection.design.forms import StartAssessmentForm, VacancyAssessorsForm
from selection.models import Procedure, Vacancy
from selection.permissions import user_can_design, user_can_run_vacancies


def _vacancy_for_admin(request, pk: int) -> Vacancy:
    if not user_can_run_vacancies(request.user):
        raise PermissionDenied
    return get_object_or_404(
        Vacancy.objects.select_related("procedure", "office", "chair"), pk=pk
    )


def _edit_url(vacancy: Vacancy) -> str:
    return reverse("selection_vacancies:edit", args=[vacancy.pk])


def vacancy_open(request, pk: int):
    """Who: administrators (selection.change_vacancy). Shows what stops the
    vacancy from opening, or asks to confirm."""
    vacancy = _vacancy_for_admin(request, pk)
    if request.method == "POST":
        try:
            services.vacancy_open(vacancy=vacancy, actor=request.user)
        except ValidationError as error:
            messages.error(request, _("The vacancy cannot open yet."))
            return _vacancy_open_page(request, vacancy, error.messages, status=400)
        messages.success(
            request,
            _("«%(vacancy)s» is open for applications.") % {"vacancy": vacancy},
        )
        return redirect(reverse("selection_vacancies:index"))
    return _vacancy_open_page(request, vacancy, services.vacancy_open_problems(vacancy))


def _vacancy_open_page(request, vacancy, problems, status=200):
    return TemplateResponse(
        request,
        "selection/admin/vacancy_open.html",
        {
            "vacancy": vacancy,
            "problems": problems,
            "stages": selectors.vacancy_stages_with_assessors(vacancy),
            "edit_url": _edit_url(vacancy),
            "assessors_url": reverse("selection_vacancy_assessors", args=[vacancy.pk]),
        },
        status=status,
    )


def vacancy_start_assessment(request, pk: int):
    """Who: administrators (selection.change_vacancy). Before the closing
    date has passed, they tick that applications close early."""
    vacancy = _vacancy_for_admin(request, pk)
    early = services.applications_close_early(vacancy)
    form = StartAssessmentForm(
        request.POST if request.method == "POST" else None, early=early
    )
    if request.method == "POST" and form.is_valid():
        try:
            assignments = services.vacancy_start_assessment(
                vacancy=vacancy,
                actor=request.user,
                force=form.cleaned_data.get("close_early", False),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "Applications to «%(vacancy)s» are closed; the assessors "
                    "have %(count)d assignments."
                )
                % {"vacancy": vacancy, "count": len(assignments)},
            )
            return redirect(reverse("selection_vacancies:index"))
    stages = selectors.vacancy_stages_with_assessors(vacancy)
    return TemplateResponse(
        request,
        "selection/admin/vacancy_start_assessment.html",
        {
            "vacancy": vacancy,
            "form": form,
            "early": early,
            "first_stage": stages[0] if stages else None,
            "candidate_count": services.candidates_waiting(vacancy),
            "edit_url": _edit_url(vacancy),
        },
        status=400 if form.errors else 200,
    )


def vacancy_close(request, pk: int):
    """Who: administrators (selection.change_vacancy)."""
    vacancy = _vacancy_for_admin(request, pk)
    problem = None
    if request.method == "POST":
        try:
            services.vacancy_close(vacancy=vacancy, actor=request.user)
        except ValidationError as error:
            problem = " ".join(error.messages)
        else:
            messages.success(
                request, _("«%(vacancy)s» is closed.") % {"vacancy": vacancy}
            )
            return redirect(reverse("selection_vacancies:index"))
    return TemplateResponse(
        request,
        "selection/admin/vacancy_close.html",
        {
            "vacancy": vacancy,
            "problem": problem,
            "pending": services.candidates_pending(vacancy),
            "edit_url": _edit_url(vacancy),
        },
        status=400 if problem else 200,
    )


def vacancy_assessors(request, pk: int):
    """Who: administrators (selection.change_vacancy). One list of assessors
    per stage, among active assessors and champions."""
    vacancy = _vacancy_for_admin(request, pk)
    stages = selectors.vacancy_stages_with_assessors(vacancy)
    form = VacancyAssessorsForm(
        request.POST if request.method == "POST" else None, vacancy_stages=stages
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.vacancy_assessors_set(
                vacancy=vacancy, assessors=form.assessors(), actor=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The assessors of «%(vacancy)s» are saved.") % {"vacancy": vacancy},
            )
            return redirect(_edit_url(vacancy))
    return TemplateResponse(
        request,
        "selection/admin/vacancy_assessors.html",
        {
            "vacancy": vacancy,
            "form": form,
            "edit_url": _edit_url(vacancy),
        },
        status=400 if form.errors else 200,
    )


def procedure_copy(request, pk: int):
    """Who: champions (selection.change_procedure)."""
    if not (
        user_can_design(request.user)
        and request.user.has_perm("selection.add_procedure")
    ):
        raise PermissionDenied
    procedure = get_object_or_404(Procedure, pk=pk)
    if request.method == "POST":
        copy = services.procedure_copy(procedure=procedure, actor=request.user)
        messages.success(
            request,
            _("«%(copy)s» is a copy of «%(procedure)s», with its stages.")
            % {"copy": copy, "procedure": procedure},
        )
        return redirect(reverse("selection_procedures:edit", args=[copy.pk]))
    return TemplateResponse(
        request,
        "selection/admin/procedure_copy.html",
        {
            "procedure": procedure,
            "edit_url": reverse("selection_procedures:edit", args=[procedure.pk]),
        },
    )
