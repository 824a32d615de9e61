"""Intervision home, groups, their schedules and the confidentiality pledge."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from intervision import forms, permissions, selectors, services
from intervision.models import (
    Group,
)
from intervision.views.base import (
    group_for,
)
from lms.forms import form_add_errors


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
            form_add_errors(form, error)
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
    group = group_for(request, pk)
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
            form_add_errors(form, error)
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
    group = group_for(request, pk)
    return render(
        request, "intervision/group.html", selectors.group_context(group, request.user)
    )


@login_required
def schedule(request, pk: int):
    """Who: a manager of the group's office."""
    group = group_for(request, pk)
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
            form_add_errors(form, error)
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
    group = group_for(request, pk)
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
            form_add_errors(form, error)
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
    group = group_for(request, pk)
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
