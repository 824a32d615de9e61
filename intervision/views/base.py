"""What every intervision view checks first: may this person see this group or
this meeting, and has a member agreed to the pledge."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from intervision import permissions, selectors
from intervision.models import (
    Group,
    Meeting,
)


def error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def form_error_text(form) -> str:
    """A refused form's errors in one message, for views that redirect."""
    return " ".join(error for errors in form.errors.values() for error in errors)


def group_for(request, pk: int) -> Group:
    group = get_object_or_404(selectors.group_queryset(), pk=pk)
    if not permissions.user_can_see_group(request.user, group):
        raise PermissionDenied(
            _("This group's page is open to its members and the office's managers.")
        )
    return group


def meeting_for(request, pk: int, *, content: bool = True) -> Meeting:
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


def pledge_redirect(request, group: Group):
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
