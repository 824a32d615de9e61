"""Intervision pages. Each view says who may use it. Cases, minutes and action
points are shown to the group's members and its facilitator only; the office's
managers plan and count; the calendar feed answers to its secret token."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from intervision import forms, permissions, selectors, services
from intervision.calendar import feed_calendar, meeting_calendar
from intervision.minutes_pdf import minutes_pdf
from intervision.models import (
    ActionPoint,
    CalendarToken,
    Case,
    Group,
    Meeting,
    RoleKind,
)


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _group(request, pk: int) -> Group:
    group = get_object_or_404(selectors.group_queryset(), pk=pk)
    if not permissions.user_can_see_group(request.user, group):
        raise PermissionDenied(
            _("This group's page is open to its members and the office's managers.")
        )
    return group


def _meeting(request, pk: int, *, content: bool = True) -> Meeting:
    """The meeting, if the user may see it. With `content`, only for members who
    agreed to the pledge (others get the pledge page first)."""
    meeting = get_object_or_404(selectors.meeting_queryset(), pk=pk)
    group = meeting.group
    if content:
        if not permissions.user_can_read_content(request.user, group):
            raise PermissionDenied(
                _("Cases and minutes are confidential to the group's members.")
            )
    elif not permissions.user_can_see_group(request.user, group):
        raise PermissionDenied(
            _("This meeting is open to the group and the office's managers.")
        )
    return meeting


def _pledge_redirect(request, group: Group):
    if permissions.user_is_in_group(request.user, group) and permissions.pledge_needed(
        request.user, group
    ):
        messages.info(
            request,
            _("Please read and agree to the group's confidentiality pledge first."),
        )
        return redirect(
            reverse("intervision:pledge", args=[group.pk]) + "?next=" + request.path
        )
    return None


@login_required
def home(request):
    """Who: anyone signed in. Their groups, next meetings and action points;
    for managers, the groups of their office."""
    user = request.user
    member_of = list(Group.objects.active().of_member(user).select_related("office"))
    office_groups = []
    if user.office_id and permissions.user_can_create_group(user):
        office_groups = list(
            Group.objects.active()
            .filter(office_id=user.office_id)
            .select_related("office")
        )
    return render(
        request,
        "intervision/home.html",
        {
            "member_of": member_of,
            "office_groups": [g for g in office_groups if g not in member_of],
            "can_create": permissions.user_can_create_group(user),
            "meetings": selectors.my_meetings(user),
            "action_points": selectors.my_action_points(user),
        },
    )


@login_required
def group_create(request):
    """Who: a manager, for their own office."""
    user = request.user
    if not permissions.user_can_create_group(user):
        raise PermissionDenied(
            _("Only an office's manager creates intervision groups.")
        )
    office = user.office
    form = forms.GroupForm(request.POST or None, office=office)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            group = services.group_create(
                office=office,
                name=data["name"],
                facilitator=data["facilitator"],
                default_method=data["default_method"],
                members=data["members"],
                actor=user,
                timezone_name=data["timezone"],
                location=data["location"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            _size_warning(request, len(data["members"]))
            messages.success(request, _("The group is created. Now set its schedule."))
            return redirect("intervision:schedule", pk=group.pk)
    return render(
        request,
        "intervision/group_form.html",
        {"form": form, "office": office, "heading": _("New intervision group")},
    )


def _size_warning(request, size: int) -> None:
    if not 4 <= size <= 8:
        messages.warning(
            request,
            _(
                "The group has %(n)s members; four to eight is the advice, so that "
                "there is an audience and everyone gets to speak."
            )
            % {"n": size},
        )


@login_required
def group_edit(request, pk: int):
    """Who: a manager of the group's office."""
    group = _group(request, pk)
    if not permissions.user_manages_group(request.user, group):
        raise PermissionDenied(_("Only a manager of this office can change the group."))
    initial = {
        "name": group.name,
        "facilitator": group.facilitator,
        "members": [m.user for m in group.memberships.all() if m.is_current],
        "default_method": group.default_method,
        "timezone": group.timezone,
        "location": group.location,
    }
    form = forms.GroupForm(request.POST or None, office=group.office, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.group_update(
                group=group,
                actor=request.user,
                name=data["name"],
                facilitator=data["facilitator"],
                default_method=data["default_method"],
                members=data["members"],
                timezone_name=data["timezone"],
                location=data["location"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            _size_warning(request, len(data["members"]))
            messages.success(request, _("The group is saved."))
            return redirect(group)
    return render(
        request,
        "intervision/group_form.html",
        {
            "form": form,
            "office": group.office,
            "group": group,
            "heading": _("Change the group"),
        },
    )


@login_required
def group(request, pk: int):
    """Who: the group's members and facilitator, and the office's managers.
    Managers outside the group see schedule, attendance and counted themes."""
    group = _group(request, pk)
    return render(
        request, "intervision/group.html", selectors.group_context(group, request.user)
    )


@login_required
def schedule(request, pk: int):
    """Who: a manager of the group's office."""
    group = _group(request, pk)
    if not permissions.user_manages_group(request.user, group):
        raise PermissionDenied(_("Only a manager of this office can set the schedule."))
    running = [
        s
        for s in group.series.all()
        if not s.ends_on or s.ends_on >= timezone.localdate()
    ]
    form = forms.SeriesForm(request.POST or None, group=group)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.series_create(group=group, actor=request.user, **data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, _("The schedule is saved and its meetings are planned.")
            )
            return redirect(group)
    return render(
        request,
        "intervision/schedule_form.html",
        {
            "form": form,
            "group": group,
            "running": running,
            "heading": _("Schedule of %(group)s") % {"group": group.name},
        },
    )


@login_required
def meeting_create(request, pk: int):
    """Who: a manager of the group's office. A meeting outside the schedule."""
    group = _group(request, pk)
    if not permissions.user_manages_group(request.user, group):
        raise PermissionDenied(_("Only a manager of this office can plan meetings."))
    form = forms.MeetingForm(
        request.POST or None,
        group=group,
        initial={"method": group.default_method, "location": group.location},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.meeting_create(
                group=group,
                actor=request.user,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                method=data["method"],
                location=data["location"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, _("The meeting is planned and the members invited.")
            )
            return redirect(meeting)
    return render(
        request,
        "intervision/form_page.html",
        {"form": form, "group": group, "heading": _("Extra meeting")},
    )


@login_required
def pledge(request, pk: int):
    """Who: a member of the group."""
    group = _group(request, pk)
    if not permissions.user_is_in_group(request.user, group):
        raise PermissionDenied(_("Only members of the group agree to its pledge."))
    next_url = (
        request.POST.get("next") or request.GET.get("next") or group.get_absolute_url()
    )
    if not next_url.startswith("/") or next_url.startswith("//"):
        next_url = group.get_absolute_url()
    if request.method == "POST":
        services.pledge_agree(group=group, user=request.user)
        messages.success(
            request, _("Thank you. You can now read the group's cases and minutes.")
        )
        return redirect(next_url)
    return render(
        request,
        "intervision/pledge.html",
        {
            "group": group,
            "next": next_url,
            "agreed": not permissions.pledge_needed(request.user, group),
        },
    )


@login_required
def meeting(request, pk: int):
    """Who: the group and the office's managers. Cases, the agenda's action
    points and minutes only for members who agreed to the pledge."""
    meeting = _meeting(request, pk, content=False)
    context = selectors.meeting_context(meeting, request.user)
    context["respond_form"] = forms.RespondForm()
    return render(request, "intervision/meeting.html", context)


@login_required
@require_POST
def respond(request, pk: int):
    """Who: an invited member."""
    meeting = _meeting(request, pk, content=False)
    form = forms.RespondForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Answer yes or no."))
        return redirect(meeting)
    try:
        services.participation_respond(
            meeting=meeting, user=request.user, response=form.cleaned_data["response"]
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Your answer is saved."))
    return redirect(meeting)


@login_required
def meeting_ics(request, pk: int):
    """Who: the group and the office's managers. The meeting as an .ics file."""
    meeting = _meeting(request, pk, content=False)
    response = HttpResponse(
        meeting_calendar(meeting), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="intervision-{meeting.pk}.ics"'
    )
    return response


@login_required
def meeting_change(request, pk: int):
    """Who: the office's manager or the facilitator. Move one meeting, or
    change its method or place; the series is left as it is."""
    meeting = _meeting(request, pk, content=False)
    if not permissions.user_can_plan_meeting(request.user, meeting):
        raise PermissionDenied(
            _("Only the office's manager or the facilitator can change a meeting.")
        )
    initial = {
        "date": meeting.local_start.date(),
        "start_time": meeting.local_start.time(),
        "end_time": meeting.local_end.time(),
        "method": meeting.method,
        "location": meeting.location,
    }
    form = forms.MeetingChangeForm(
        request.POST or None, group=meeting.group, initial=initial
    )
    cancel_form = forms.CancelForm()
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.meeting_change(
                meeting=meeting,
                actor=request.user,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                method=data["method"],
                location=data["location"],
                note=data["note"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The meeting is changed; members are told."))
            return redirect(meeting)
    return render(
        request,
        "intervision/meeting_change.html",
        {
            "form": form,
            "cancel_form": cancel_form,
            "meeting": meeting,
            "group": meeting.group,
            "heading": _("Move or change this meeting"),
        },
    )


@login_required
@require_POST
def meeting_cancel(request, pk: int):
    """Who: the office's manager or the facilitator."""
    meeting = _meeting(request, pk, content=False)
    form = forms.CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the meeting is cancelled."))
        return redirect("intervision:meeting_change", pk=meeting.pk)
    try:
        services.meeting_cancel(
            meeting=meeting, actor=request.user, note=form.cleaned_data["note"]
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("The meeting is cancelled; members are told."))
    return redirect(meeting)


@login_required
def roles(request, pk: int):
    """Who: the office's manager or the facilitator."""
    meeting = _meeting(request, pk, content=False)
    if not permissions.user_can_plan_meeting(request.user, meeting):
        raise PermissionDenied(
            _("Only the office's manager or the facilitator can change roles.")
        )
    people = [p.user for p in meeting.participations.select_related("user")]
    current = {}
    for role in meeting.roles.all():
        current.setdefault(role.role, []).append(role.user_id)
    proposal = services.roles_propose(meeting=meeting)
    initial = {
        name: (current.get(name) or [u.pk for u in proposal.get(name, [])] or [None])[0]
        for name in ("chair", "minute_taker", "timekeeper")
    }
    initial["bringer"] = current.get("bringer") or [
        u.pk for u in proposal.get("bringer", [])
    ]
    form = forms.RolesForm(request.POST or None, people=people, initial=initial)
    if request.method == "POST" and form.is_valid():
        by_pk = {user.pk: user for user in people}
        data = form.cleaned_data
        chosen = {
            RoleKind.CHAIR: [by_pk[data["chair"]]],
            RoleKind.MINUTE_TAKER: [by_pk[data["minute_taker"]]],
            RoleKind.TIMEKEEPER: [by_pk[data["timekeeper"]]],
            RoleKind.BRINGER: [by_pk[pk] for pk in data["bringer"]],
        }
        try:
            services.roles_assign(meeting=meeting, roles=chosen, actor=request.user)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The roles are saved."))
            return redirect(meeting)
    return render(
        request,
        "intervision/roles_form.html",
        {
            "form": form,
            "meeting": meeting,
            "group": meeting.group,
            "proposal": [
                (RoleKind(role).label, ", ".join(u.get_full_name() for u in users))
                for role, users in proposal.items()
            ],
            "heading": _("Roles at this meeting"),
        },
    )


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
        _add_errors(form, error)
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
    meeting = _meeting(request, pk)
    if (redirect_to := _pledge_redirect(request, meeting.group)) is not None:
        return redirect_to
    return _case_submit(request, meeting, None)


@login_required
def case_edit(request, pk: int):
    """Who: the case's author, until the facilitator confirms it."""
    case = get_object_or_404(Case, pk=pk)
    meeting = _meeting(request, case.meeting_id)
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
    meeting = _meeting(request, case.meeting_id)
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
    meeting = _meeting(request, case.meeting_id)
    try:
        services.case_choose(case=case, actor=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    return redirect(reverse("intervision:run", args=[meeting.pk]) + "?step=4")


@login_required
def run(request, pk: int):
    """Who: the group. The current step of the method with its guidance and a
    timer; the minute-taker writes notes step by step."""
    meeting = _meeting(request, pk)
    if (redirect_to := _pledge_redirect(request, meeting.group)) is not None:
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
                messages.error(request, _error_text(error))
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
    meeting = _meeting(request, pk)
    if (redirect_to := _pledge_redirect(request, meeting.group)) is not None:
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
                _add_errors(form, error)
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
    meeting = _meeting(request, pk)
    record = services.minutes_for(meeting)
    try:
        services.minutes_approve(minutes=record, actor=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("The minutes are approved and locked."))
    return redirect("intervision:minutes", pk=meeting.pk)


@login_required
@require_POST
def minutes_amend(request, pk: int):
    """Who: the chair, the minute-taker or the facilitator, on approved minutes."""
    meeting = _meeting(request, pk)
    record = services.minutes_for(meeting)
    form = forms.AmendmentForm(
        request.POST, parts=services.minutes_parts(record).values()
    )
    if not form.is_valid():
        messages.error(
            request, " ".join(e for errors in form.errors.values() for e in errors)
        )
        return redirect("intervision:minutes", pk=meeting.pk)
    try:
        services.minutes_amend(minutes=record, actor=request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request, _("The correction is recorded; the original text stays visible.")
        )
    return redirect("intervision:minutes", pk=meeting.pk)


@login_required
def minutes_download(request, pk: int):
    """Who: the group (members who agreed to the pledge). The minutes as PDF."""
    meeting = _meeting(request, pk)
    if (redirect_to := _pledge_redirect(request, meeting.group)) is not None:
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
    meeting = _meeting(request, pk)
    people = [m.user for m in meeting.group.memberships.all() if m.is_current]
    form = forms.ActionPointForm(request.POST, people=people)
    if not form.is_valid():
        messages.error(
            request, " ".join(e for errors in form.errors.values() for e in errors)
        )
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
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("The action point is added."))
    return redirect("intervision:minutes", pk=meeting.pk)


@login_required
@require_POST
def action_done(request, pk: int):
    """Who: members of the group."""
    point = get_object_or_404(ActionPoint.objects.select_related("meeting"), pk=pk)
    meeting = _meeting(request, point.meeting_id)
    services.action_point_done(point=point, actor=request.user)
    messages.success(request, _("The action point is marked done."))
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect(meeting)


@login_required
def attendance(request, pk: int):
    """Who: the office's manager, the facilitator, the chair or the minute-taker."""
    meeting = _meeting(request, pk, content=False)
    if not permissions.user_can_record_attendance(request.user, meeting):
        raise PermissionDenied(_("You cannot record attendance for this meeting."))
    participations = list(meeting.participations.select_related("user"))
    form = forms.AttendanceForm(
        request.POST or None,
        people=[p.user for p in participations],
        initial={
            "present": [
                p.user_id
                for p in participations
                if p.attended or (p.attended is None and p.response == "yes")
            ]
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_record(
                meeting=meeting,
                actor=request.user,
                present=form.cleaned_data["present"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Attendance is recorded."))
            return redirect(meeting)
    return render(
        request,
        "intervision/form_page.html",
        {
            "form": form,
            "meeting": meeting,
            "group": meeting.group,
            "heading": _("Who came"),
        },
    )


@login_required
def calendar(request):
    """Who: anyone signed in. Their personal calendar feed and its reset."""
    token = services.calendar_token_for(request.user)
    if request.method == "POST":
        token = services.calendar_token_reset(user=request.user)
        messages.success(
            request, _("A new address is made; the old one no longer works.")
        )
        return redirect("intervision:calendar")
    feed_url = request.build_absolute_uri(
        reverse("intervision_feed", args=[token.token])
    )
    return render(
        request,
        "intervision/calendar.html",
        {"feed_url": feed_url, "webcal_url": "webcal://" + feed_url.split("://", 1)[1]},
    )


@never_cache
def feed(request, token: str):
    """Who: whoever holds the secret token (a calendar app). No sign-in."""
    found = CalendarToken.objects.select_related("user").filter(token=token).first()
    if found is None or not found.user.is_active:
        with translation.override(
            request.LANGUAGE_CODE if hasattr(request, "LANGUAGE_CODE") else None
        ):
            return HttpResponse(
                _(
                    "This calendar address is not valid: it may have been reset. Copy "
                    "the new one from Ustaz."
                ),
                status=404,
                content_type="text/plain; charset=utf-8",
            )
    user = found.user
    series, meetings = selectors.feed_querysets(user)
    with translation.override(user.preferred_language):
        body = feed_calendar(
            name=_("Intervision · Ustaz"), series=series, meetings=meetings
        )
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")
