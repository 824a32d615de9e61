"""The assessor's pages: "My assessments"; one assessment (declare any
conflict, score each competency, submit, then the locked scores with their
amendments); and the amendment of a locked score.

Blind: these pages show the assessor their own scores only, and of a stage
only how many assessments are done. Written work (screening, written test) is
shown under the candidate's code, never their name."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from lms.forms import form_add_errors
from selection import permissions
from selection.models import Assignment, Score
from selection.scoring import forms, selectors, services


def _assignment_for(request, pk: int) -> tuple[Assignment, object]:
    """The assignment, and a refusal page when the assessor withdrew from it.
    Anybody else, administrators and the panel included, is refused."""
    assignment = get_object_or_404(selectors.assignment_queryset(), pk=pk)
    if assignment.assessor_id == request.user.pk and not assignment.is_active:
        return assignment, render(
            request,
            "selection/scoring/withdrawn.html",
            {"assignment": assignment},
            status=403,
        )
    if not permissions.user_can_score(request.user, assignment):
        raise PermissionDenied(
            _("Only the assessor it is assigned to opens an assessment.")
        )
    return assignment, None


def _add_errors(form, error: ValidationError) -> None:
    """Put each refusal next to the competency it names, if it names one."""
    if hasattr(error, "error_dict"):
        form_add_errors(form, error)
        return
    for item in error.error_list:
        competency_id = (item.params or {}).get("competency_id")
        kind = "evidence" if item.code == "no_evidence" else "point"
        field = f"{kind}-{competency_id}"
        form.add_error(field if field in form.fields else None, item)


def _options(bound_field, competency) -> list[dict]:
    """The radio options of one competency: each point of its anchored scale
    with its label and anchor, then "not observed" on its own."""
    value = str(bound_field.value() or "")
    points = {item["point"]: item for item in competency.scale_points}
    options = []
    for point in selectors.scale_of(competency):
        item = points.get(point, {})
        options.append(
            {
                "value": str(point),
                "point": point,
                "label": item.get("label", ""),
                "anchor": item.get("anchor", ""),
                "checked": value == str(point),
                "id": f"{bound_field.auto_id}_{point}",
            }
        )
    return options


def _initial(scores: dict[int, Score]) -> dict:
    initial = {}
    for competency_id, score in scores.items():
        initial[f"point-{competency_id}"] = (
            forms.NOT_OBSERVED if score.not_observed else str(score.point)
        )
        initial[f"evidence-{competency_id}"] = score.evidence
    return initial


def _page(request, assignment: Assignment, *, form=None, declare_form=None):
    vacancy_stage = assignment.vacancy_stage
    material = selectors.stage_material(vacancy_stage)
    questions = selectors.stage_questions(vacancy_stage)
    scores = selectors.own_scores(assignment)
    duplicates = selectors.duplicate_evidence(assignment)
    is_open = selectors.assignment_is_open(assignment)
    scoring = assignment.conflict is False and not assignment.is_submitted and is_open
    if scoring and form is None:
        form = forms.ScoresForm(
            initial=_initial(scores), competencies=[i.competency for i in material]
        )
    if declare_form is None and not assignment.is_submitted and is_open:
        declare_form = forms.DeclareForm()
    rows = []
    for item in material:
        competency = item.competency
        score = scores.get(competency.pk)
        row = {
            "competency": competency,
            "questions": questions.get(competency.pk, []),
            "score": score,
            "duplicates": duplicates.get(score.pk) if score else None,
            "anchor": competency.anchor_for(score.point)
            if score and score.point
            else None,
        }
        if scoring:
            point = form[f"point-{competency.pk}"]
            row.update(
                point=point,
                evidence=form[f"evidence-{competency.pk}"],
                options=_options(point, competency),
                not_observed_checked=str(point.value() or "") == forms.NOT_OBSERVED,
            )
        rows.append(row)
    return render(
        request,
        "selection/scoring/assignment.html",
        {
            "assignment": assignment,
            "vacancy": vacancy_stage.vacancy,
            "vacancy_stage": vacancy_stage,
            "stage": vacancy_stage.stage,
            "application": assignment.application,
            "written": vacancy_stage.stage.is_written,
            "rows": rows,
            "form": form,
            "declare_form": declare_form,
            "scoring": scoring,
            "is_open": is_open,
            "duplicate_count": len(duplicates),
        },
    )


@login_required
def home(request):
    """Who: assessors and champions, administrators who run vacancies, and
    anyone with an assessment or a seat on a panel. Their assessments by
    vacancy and stage, with how many of each stage are done (never a score),
    and the panels they sit on."""
    vacancies = selectors.my_assessments(request.user)
    panels = list(selectors.panels_of(request.user))
    if not (
        vacancies
        or panels
        or permissions.user_can_assess(request.user)
        or permissions.user_can_run_vacancies(request.user)
    ):
        raise PermissionDenied(
            _("This page is for assessors and the members of selection panels.")
        )
    return render(
        request,
        "selection/scoring/home.html",
        {"vacancies": vacancies, "panels": panels},
    )


def _draft_save(request, assignment):
    """Save the posted scores as the assignment's draft. Returns the form and,
    when something is refused, the page to show again with the errors and
    what was typed."""
    material = selectors.stage_material(assignment.vacancy_stage)
    form = forms.ScoresForm(
        request.POST, competencies=[item.competency for item in material]
    )
    if not form.is_valid():
        return form, _page(request, assignment, form=form)
    try:
        services.scores_save(
            assignment=assignment, actor=request.user, answers=form.answers()
        )
    except ValidationError as error:
        _add_errors(form, error)
        return form, _page(request, assignment, form=form)
    return form, None


@login_required
def assignment(request, pk: int):
    """Who: the assessor the assignment is given to, nobody else (not the
    panel, not administrators). First the declaration of any conflict of
    interest, then the scoring; a POST saves the draft."""
    assignment, refusal = _assignment_for(request, pk)
    if refusal is not None:
        return refusal
    if request.method != "POST":
        return _page(request, assignment)
    form, refused = _draft_save(request, assignment)
    if refused is not None:
        return refused
    messages.success(
        request, _("Your draft is saved. Submit when every competency is scored.")
    )
    return redirect("selection:assignment", assignment.pk)


@login_required
@require_POST
def assignment_declare(request, pk: int):
    """Who: the assigned assessor. "No conflict" opens the scoring; a conflict
    (with what it is) withdraws them, and the candidate goes to another
    assessor."""
    assignment, refusal = _assignment_for(request, pk)
    if refusal is not None:
        return refusal
    form = forms.DeclareForm(request.POST)
    if not form.is_valid():
        return _page(request, assignment, declare_form=form)
    conflict = form.cleaned_data["conflict"] == "yes"
    try:
        services.assignment_declare(
            assignment=assignment,
            actor=request.user,
            conflict=conflict,
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        _add_errors(form, error)
        return _page(request, assignment, declare_form=form)
    if not conflict:
        return redirect("selection:assignment", assignment.pk)
    messages.success(
        request,
        _(
            "You have withdrawn from this assessment. The candidate goes to another "
            "assessor; if none is free, the panel chair is asked to find one."
        ),
    )
    return redirect("selection:home")


@login_required
@require_POST
def assignment_submit(request, pk: int):
    """Who: the assigned assessor. Saves what was typed, then submits: every
    competency needs a point or "not observed", and evidence. The scores are
    then locked."""
    assignment, refusal = _assignment_for(request, pk)
    if refusal is not None:
        return refusal
    if assignment.is_submitted:
        messages.info(request, _("These scores are already submitted and locked."))
        return redirect("selection:assignment", assignment.pk)
    form, refused = _draft_save(request, assignment)
    if refused is not None:
        return refused
    try:
        services.assignment_submit(assignment=assignment, actor=request.user)
    except ValidationError as error:
        _add_errors(form, error)
        messages.info(
            request, _("What you wrote is saved as a draft; nothing is submitted.")
        )
        return _page(request, assignment, form=form)
    messages.success(request, _("Your scores are submitted and locked."))
    flagged = len(selectors.duplicate_evidence(assignment))
    if flagged:
        messages.warning(
            request,
            ngettext(
                "%(n)s piece of evidence is written word for word for other "
                "candidates too: the panel sees it flagged.",
                "%(n)s pieces of evidence are written word for word for other "
                "candidates too: the panel sees them flagged.",
                flagged,
            )
            % {"n": flagged},
        )
    return redirect("selection:assignment", assignment.pk)


@login_required
def score_amend(request, pk: int):
    """Who: the assessor who gave the score, once it is submitted. A new point
    or evidence with the reason; the original stays visible."""
    score = get_object_or_404(
        Score.objects.select_related(
            "competency",
            "assignment__vacancy_stage__stage",
            "assignment__vacancy_stage__vacancy",
            "assignment__application",
        ),
        pk=pk,
    )
    assignment = score.assignment
    if not permissions.user_can_score(request.user, assignment):
        raise PermissionDenied(_("Only the assessor who gave a score amends it."))
    back = reverse("selection:assignment", args=[assignment.pk])
    if not assignment.is_submitted:
        messages.info(
            request,
            _("This score is not submitted yet: change it on the assessment page."),
        )
        return redirect(back)
    if not selectors.assignment_is_open(assignment):
        messages.error(
            request,
            _("The panel has finished this stage: its scores can no longer change."),
        )
        return redirect(back)
    competency = score.competency
    form = forms.AmendForm(
        request.POST or None,
        competency=competency,
        initial={
            "point": forms.NOT_OBSERVED if score.not_observed else str(score.point),
            "evidence": score.evidence,
        },
    )
    if request.method == "POST" and form.is_valid():
        point, not_observed = forms.answer(form.cleaned_data["point"])
        try:
            services.score_amend(
                score=score,
                actor=request.user,
                point=point,
                not_observed=not_observed,
                evidence=form.cleaned_data["evidence"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, _("The score is amended; the original stays visible.")
            )
            return redirect(f"{back}#competency-{competency.pk}")
    vacancy_stage = assignment.vacancy_stage
    return render(
        request,
        "selection/scoring/amend.html",
        {
            "form": form,
            "score": score,
            "competency": competency,
            "assignment": assignment,
            "vacancy": vacancy_stage.vacancy,
            "stage": vacancy_stage.stage,
            "application": assignment.application,
            "written": vacancy_stage.stage.is_written,
            "options": _options(form["point"], competency),
            "not_observed_checked": str(form["point"].value() or "")
            == forms.NOT_OBSERVED,
        },
    )
