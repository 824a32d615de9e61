from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.widgets import ListingButton
from wagtail.snippets.action_menu import ActionMenuItem
from wagtail.snippets.models import register_snippet

from lms import services
from lms.audit import audit_record
from lms.models import FrameworkVersion
from lms.models.framework import successor_label
from lms.permissions import (
    user_can_draft_framework,
    user_can_make_framework_current,
    user_can_see_framework_drafts,
)
from lms.viewsets import FrameworkVersionViewSet, OrganisationGroup

register_snippet(FrameworkVersionViewSet)


@hooks.register("register_admin_viewset")
def register_organisation():
    return OrganisationGroup()


def framework_make_current(request, pk: int):
    """Who: administrators (lms.make_current_frameworkversion), to make an
    earlier approved version current again. Approval by the champions makes a
    version current by itself; this is only the way back."""
    if not user_can_make_framework_current(request.user):
        raise PermissionDenied
    version = get_object_or_404(FrameworkVersion, pk=pk)
    listing = reverse(FrameworkVersionViewSet().get_url_name("list"))
    if request.method == "POST":
        try:
            services.framework_version_make_current(version=version, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Version %(label)s is now current.") % {"label": version.label},
            )
        return redirect(listing)
    return TemplateResponse(
        request,
        "lms/admin/framework_make_current.html",
        {"version": version, "listing": listing},
    )


class SuccessorForm(forms.Form):
    label = forms.CharField(
        label=gettext_lazy("Label of the new version"),
        max_length=FrameworkVersion._meta.get_field("label").max_length,
        help_text=gettext_lazy("For example 2026.2"),
    )


def framework_draft_successor(request, pk: int):
    """Who: champions and administrators (lms.add_frameworkversion). Starts a
    draft from a version, copying its competencies, under a new label."""
    if not user_can_draft_framework(request.user):
        raise PermissionDenied
    version = get_object_or_404(FrameworkVersion, pk=pk)
    viewset = FrameworkVersionViewSet()
    form = SuccessorForm(
        request.POST or None, initial={"label": successor_label(version.label)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            successor = services.framework_version_draft_successor(
                version=version, actor=request.user, label=form.cleaned_data["label"]
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, field_errors in error.message_dict.items():
                    form.add_error(
                        field if field in form.fields else None, field_errors
                    )
            else:
                form.add_error(None, error.messages)
        else:
            messages.success(
                request,
                _(
                    "Version %(label)s is a draft copied from %(source)s: edit it, "
                    "then submit it to the champions' review."
                )
                % {"label": successor.label, "source": version.label},
            )
            return redirect(viewset.get_url_name("edit"), successor.pk)
    return TemplateResponse(
        request,
        "lms/admin/framework_successor.html",
        {
            "version": version,
            "form": form,
            "listing": reverse(viewset.get_url_name("list")),
        },
    )


@hooks.register("register_admin_urls")
def register_framework_urls():
    return [
        path(
            "framework/<int:pk>/make-current/",
            framework_make_current,
            name="lms_framework_make_current",
        ),
        path(
            "framework/<int:pk>/successor/",
            framework_draft_successor,
            name="lms_framework_draft_successor",
        ),
    ]


def _compare_with_current_url(version: FrameworkVersion) -> str:
    # The compare page takes the current version as the other side by default.
    return f"{reverse('framework_compare')}?{urlencode({'b': version.label})}"


@hooks.register("register_snippet_listing_buttons")
def framework_listing_buttons(snippet, user, next_url=None):
    if not isinstance(snippet, FrameworkVersion):
        return
    if snippet.is_approved and user_can_draft_framework(user):
        yield ListingButton(
            gettext_lazy("Draft a successor"),
            reverse("lms_framework_draft_successor", args=[snippet.pk]),
            icon_name="copy",
            priority=4,
        )
    if not snippet.is_current and user_can_see_framework_drafts(user):
        yield ListingButton(
            gettext_lazy("Compare with current"),
            _compare_with_current_url(snippet),
            icon_name="doc-empty-inverse",
            priority=6,
        )
    if (
        snippet.live
        and not snippet.is_current
        and user_can_make_framework_current(user)
    ):
        yield ListingButton(
            gettext_lazy("Make current again"),
            reverse("lms_framework_make_current", args=[snippet.pk]),
            icon_name="success",
            priority=8,
        )


class DraftSuccessorMenuItem(ActionMenuItem):
    """On an approved version, the way forward: a successor to edit."""

    label = gettext_lazy("Draft a successor")
    name = "action-draft-successor"
    icon_name = "copy"
    order = 5

    def is_shown(self, context):
        instance = context.get("instance")
        return (
            context["view"] == "edit"
            and isinstance(instance, FrameworkVersion)
            and instance.is_approved
            and user_can_draft_framework(context["request"].user)
        )

    def get_url(self, parent_context):
        return reverse(
            "lms_framework_draft_successor", args=[parent_context["instance"].pk]
        )


@hooks.register("register_snippet_action_menu_item")
def framework_successor_menu_item(model):
    if model is FrameworkVersion:
        return DraftSuccessorMenuItem()
    return None


@hooks.register("construct_snippet_action_menu")
def framework_without_direct_publish(menu_items, request, context):
    """Only the champions' approval publishes a version (see lms.viewsets)."""
    if context.get("model") is FrameworkVersion:
        menu_items[:] = [
            item
            for item in menu_items
            if item.name not in ("action-publish", "action-unpublish")
        ]


@hooks.register("before_delete_snippet")
def framework_keep_approved_versions(request, instances):
    """Approved versions stay in the history; only drafts may be deleted."""
    approved = [
        instance
        for instance in instances
        if isinstance(instance, FrameworkVersion) and instance.is_approved
    ]
    if approved:
        messages.error(
            request,
            _(
                "Approved versions are kept in the history and cannot be deleted: "
                "%(labels)s."
            )
            % {"labels": ", ".join(version.label for version in approved)},
        )
        return redirect(FrameworkVersionViewSet().get_url_name("list"))
    return None


def _audit_user(action):
    def handler(request, user):
        audit_record(
            action=action,
            actor=request.user,
            obj=user,
            data={"roles": sorted(group.name for group in user.groups.all())}
            if user.pk
            else {},
        )

    return handler


hooks.register("after_create_user", _audit_user("user.create"))
hooks.register("after_edit_user", _audit_user("user.edit"))


@hooks.register("before_delete_user")
def audit_user_delete(request, user):
    if request.method == "POST":
        audit_record(action="user.delete", actor=request.user, obj=user)
