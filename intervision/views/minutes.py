"""Running a meeting step by step, its minutes (draft, approval, amendments,
PDF) and action points."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from intervision import forms, selectors, services
from intervision.minutes_pdf import minutes_pdf
from intervision.models import (
    ActionPoint,
)
from intervision.views.base import (
    error_text,
    form_error_text,
    meeting_for,
    pledge_redirect,
)
from lms.forms import form_add_errors


@login_required
def run(request, pk: int):
    """Who: the group. The current step of the method with its guidance and a
    timer; the minute-taker writes notes step by step."""
    meeting = meeting_for(request, pk)
    if (redirect_to := pledge_redirect(request, meeting.group)) is not None:
        return redirect_to
    context = selectors.meeting_context(meeting, request.user)
    steps = context["steps"]
    if not steps:
        raise Http404(_("This method has no steps."))
    try:
        position = min(max(int(request.GET.get("step", 1)), 1), len(steps))
    except ValueError:
        position = 1
    step = steps[position - 1]
    note = context["notes"].get(position)
    minutes = context["minutes"]
    locked = minutes is not None and minutes.is_approved
    form = forms.NoteForm(
        request.POST or None, initial={"text": note.text if note else ""}
    )
    if request.method == "POST":
        if not context["can_write"]:
            raise PermissionDenied(
                _("The minute-taker and the chair write the minutes.")
            )
        if form.is_valid():
            try:
                services.minutes_save(
                    meeting=meeting,
                    actor=request.user,
                    notes={position: form.cleaned_data["text"]},
                )
            except ValidationError as error:
                messages.error(request, error_text(error))
            else:
                messages.success(request, _("Notes saved."))
                following = request.POST.get("go")
                if following == "next" and position < len(steps):
                    position += 1
                elif following == "minutes":
                    return redirect("intervision:minutes", pk=meeting.pk)
                return redirect(
                    reverse("intervision:run", args=[meeting.pk]) + f"?step={position}"
                )
    context.update(
        step=step,
        position=position,
        form=form,
        locked=locked,
        previous=position - 1 if position > 1 else None,
        following=position + 1 if position < len(steps) else None,
        elapsed_before=sum(s.minutes for s in steps[: position - 1]),
    )
    return render(request, "intervision/run.html", context)


@login_required
def minutes(request, pk: int):
    """Who: the group. The minute-taker and the chair edit the draft; approved
    minutes are read-only and corrected by amendment."""
    meeting = meeting_for(request, pk)
    if (redirect_to := pledge_redirect(request, meeting.group)) is not None:
        return redirect_to
    context = selectors.meeting_context(meeting, request.user)
    record = context["minutes"]
    steps = [(index, step.title) for index, step in enumerate(context["steps"], 1)]
    initial = {}
    if record is not None:
        initial = {"advice": record.advice, "conclusions": record.conclusions}
        initial.update({f"step_{p}": n.text for p, n in context["notes"].items()})
    locked = record is not None and record.is_approved
    form = forms.MinutesForm(request.POST or None, steps=steps, initial=initial)
    if request.method == "POST":
        if locked:
            messages.error(
                request,
                _(
                    "These minutes are approved and locked. Propose an amendment "
                    "instead."
                ),
            )
            return redirect("intervision:minutes", pk=meeting.pk)
        if not context["can_write"]:
            raise PermissionDenied(
                _("The minute-taker and the chair write the minutes.")
            )
        if form.is_valid():
            try:
                services.minutes_save(
                    meeting=meeting,
                    actor=request.user,
                    notes=form.notes(),
                    advice=form.cleaned_data["advice"],
                    conclusions=form.cleaned_data["conclusions"],
                )
            except ValidationError as error:
                form_add_errors(form, error)
            else:
                messages.success(request, _("The draft minutes are saved."))
                return redirect("intervision:minutes", pk=meeting.pk)
    people = [m.user for m in meeting.group.memberships.all() if m.is_current]
    context.update(
        form=form,
        locked=locked,
        action_form=forms.ActionPointForm(people=people),
        amend_form=forms.AmendmentForm(parts=services.minutes_parts(record).values())
        if locked
        else None,
    )
    return render(request, "intervision/minutes.html", context)


@login_required
@require_POST
def minutes_approve(request, pk: int):
    """Who: the meeting's chair."""
    meeting = meeting_for(request, pk)
    record = services.minutes_for(meeting)
    try:
        services.minutes_approve(minutes=record, actor=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The minutes are approved and locked."))
    return redirect("intervision:minutes", pk=meeting.pk)


@login_required
@require_POST
def minutes_amend(request, pk: int):
    """Who: the chair, the minute-taker or the facilitator, on approved minutes."""
    meeting = meeting_for(request, pk)
    record = services.minutes_for(meeting)
    form = forms.AmendmentForm(
        request.POST, parts=services.minutes_parts(record).values()
    )
    if not form.is_valid():
        messages.error(request, form_error_text(form))
        return redirect("intervision:minutes", pk=meeting.pk)
    try:
        services.minutes_amend(minutes=record, actor=request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request, _("The correction is recorded; the original text stays visible.")
        )
    return redirect("intervision:minutes", pk=meeting.pk)


@login_required
def minutes_download(request, pk: int):
    """Who: the group (members who agreed to the pledge). The minutes as PDF."""
    meeting = meeting_for(request, pk)
    if (redirect_to := pledge_redirect(request, meeting.group)) is not None:
        return redirect_to
    context = selectors.meeting_context(meeting, request.user)
    if context["minutes"] is None:
        raise Http404(_("No minutes have been written for this meeting yet."))
    response = HttpResponse(minutes_pdf(context), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="minutes-{meeting.pk}.pdf"'
    return response


@login_required
@require_POST
def action_add(request, pk: int):
    """Who: the minute-taker or the chair, while the minutes are a draft."""
    meeting = meeting_for(request, pk)
    people = [m.user for m in meeting.group.memberships.all() if m.is_current]
    form = forms.ActionPointForm(request.POST, people=people)
    if not form.is_valid():
        messages.error(request, form_error_text(form))
        return redirect("intervision:minutes", pk=meeting.pk)
    owner = next(user for user in people if user.pk == form.cleaned_data["owner"])
    try:
        services.action_point_add(
            meeting=meeting,
            actor=request.user,
            owner=owner,
            text=form.cleaned_data["text"],
            due_on=form.cleaned_data["due_on"],
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The action point is added."))
    return redirect("intervision:minutes", pk=meeting.pk)


@login_required
@require_POST
def action_done(request, pk: int):
    """Who: members of the group."""
    point = get_object_or_404(ActionPoint.objects.select_related("meeting"), pk=pk)
    meeting = meeting_for(request, point.meeting_id)
    services.action_point_done(point=point, actor=request.user)
    messages.success(request, _("The action point is marked done."))
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect(meeting)
