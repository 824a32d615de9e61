"""Cases: brought by members, warned about identifiers, confirmed by the
facilitator, chosen by the chair."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from intervision import forms, permissions, services
from intervision.models import (
    Case,
    Meeting,
)
from intervision.views.base import (
    error_text,
    meeting_for,
    pledge_redirect,
)
from lms.forms import form_add_errors


def _case_form_response(request, meeting, form, case=None, findings=None):
    return render(
        request,
        "intervision/case_form.html",
        {"form": form, "meeting": meeting, "case": case, "findings": findings},
    )


def _case_submit(request, meeting: Meeting, case: Case | None):
    initial = {}
    if case is not None:
        initial = {
            "question": case.question,
            "situation": case.situation,
            "themes": list(case.themes.all()),
            "competencies": list(case.competencies.all()),
        }
    form = forms.CaseForm(request.POST or None, initial=initial)
    if request.method != "POST" or not form.is_valid():
        return _case_form_response(request, meeting, form, case)
    data = form.cleaned_data
    try:
        case = services.case_save(
            meeting=meeting,
            author=request.user,
            question=data["question"],
            situation=data["situation"],
            themes=data["themes"],
            competencies=data["competencies"],
            keep_despite_warning=data["keep_despite_warning"],
            case=case,
        )
    except services.IdentifiersFound as warning:
        # Shown again each time until the text changes or the author confirms;
        # the box is never ticked for them.
        form = forms.CaseForm(request.POST.copy(), initial=initial)
        form.data["keep_despite_warning"] = ""
        form.is_valid()
        form.add_error(None, warning)
        return _case_form_response(request, meeting, form, case, warning.findings)
    except ValidationError as error:
        form_add_errors(form, error)
        return _case_form_response(request, meeting, form, case)
    messages.success(
        request,
        _(
            "Your case is saved. The facilitator checks it is anonymised before the "
            "group reads it."
        ),
    )
    return redirect(meeting)


@login_required
def case_create(request, pk: int):
    """Who: a member of the group who agreed to the pledge."""
    meeting = meeting_for(request, pk)
    if (redirect_to := pledge_redirect(request, meeting.group)) is not None:
        return redirect_to
    return _case_submit(request, meeting, None)


@login_required
def case_edit(request, pk: int):
    """Who: the case's author, until the facilitator confirms it."""
    case = get_object_or_404(Case, pk=pk)
    meeting = meeting_for(request, case.meeting_id)
    if case.author_id != request.user.pk:
        raise PermissionDenied(_("Only its author changes a case."))
    return _case_submit(request, meeting, case)


@login_required
def case_confirm(request, pk: int):
    """Who: the group's facilitator. Reads the case and confirms it identifies
    nobody; then the group may read it."""
    case = get_object_or_404(
        Case.objects.select_related("author").prefetch_related(
            "themes", "competencies"
        ),
        pk=pk,
    )
    meeting = meeting_for(request, case.meeting_id)
    if not permissions.user_can_confirm_case(request.user, meeting.group):
        raise PermissionDenied(_("Only the group's facilitator confirms cases."))
    if request.method == "POST":
        services.case_confirm(case=case, actor=request.user)
        messages.success(request, _("The case is confirmed; the group can read it."))
        return redirect(meeting)
    return render(
        request,
        "intervision/case_confirm.html",
        {
            "case": case,
            "meeting": meeting,
            "findings": services.case_identifiers(
                question=case.question, situation=case.situation
            ),
        },
    )


@login_required
@require_POST
def case_choose(request, pk: int):
    """Who: the meeting's chair."""
    case = get_object_or_404(Case, pk=pk)
    meeting = meeting_for(request, case.meeting_id)
    try:
        services.case_choose(case=case, actor=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    return redirect(reverse("intervision:run", args=[meeting.pk]) + "?step=4")
