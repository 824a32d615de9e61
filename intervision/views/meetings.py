"""A meeting: answers, its calendar file, moving or cancelling it, roles,
attendance; and each member's calendar feed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from intervision import forms, permissions, selectors, services
from intervision.calendar import feed_calendar, meeting_calendar
from intervision.models import (
    CalendarToken,
    RoleKind,
)
from intervision.views.base import (
    error_text,
    meeting_for,
)
from lms.forms import form_add_errors


@login_required
def meeting(request, pk: int):
    """Who: the group and the office's managers. Cases, the agenda's action
    points and minutes only for members who agreed to the pledge."""
    meeting = meeting_for(request, pk, content=False)
    context = selectors.meeting_context(meeting, request.user)
    context["respond_form"] = forms.RespondForm()
    return render(request, "intervision/meeting.html", context)


@login_required
@require_POST
def respond(request, pk: int):
    """Who: an invited member."""
    meeting = meeting_for(request, pk, content=False)
    form = forms.RespondForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Answer yes or no."))
        return redirect(meeting)
    try:
        services.participation_respond(
            meeting=meeting, user=request.user, response=form.cleaned_data["response"]
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Your answer is saved."))
    return redirect(meeting)


@login_required
def meeting_ics(request, pk: int):
    """Who: the group and the office's managers. The meeting as an .ics file."""
    meeting = meeting_for(request, pk, content=False)
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
    meeting = meeting_for(request, pk, content=False)
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
            form_add_errors(form, error)
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
    meeting = meeting_for(request, pk, content=False)
    form = forms.CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the meeting is cancelled."))
        return redirect("intervision:meeting_change", pk=meeting.pk)
    try:
        services.meeting_cancel(
            meeting=meeting, actor=request.user, note=form.cleaned_data["note"]
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The meeting is cancelled; members are told."))
    return redirect(meeting)


@login_required
def roles(request, pk: int):
    """Who: the office's manager or the facilitator."""
    meeting = meeting_for(request, pk, content=False)
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
            form_add_errors(form, error)
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


@login_required
def attendance(request, pk: int):
    """Who: the office's manager, the facilitator, the chair or the minute-taker."""
    meeting = meeting_for(request, pk, content=False)
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
            form_add_errors(form, error)
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
