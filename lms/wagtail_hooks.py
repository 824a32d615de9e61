from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.widgets import ListingButton
from wagtail.snippets.models import register_snippet

from lms import services
from lms.audit import audit_record
from lms.models import FrameworkVersion
from lms.permissions import user_can_make_framework_current
from lms.viewsets import FrameworkVersionViewSet, OrganisationGroup

register_snippet(FrameworkVersionViewSet)


@hooks.register("register_admin_viewset")
def register_organisation():
    return OrganisationGroup()


def framework_make_current(request, pk: int):
    """Who: users with lms.publish_frameworkversion (champions, administrators)."""
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


@hooks.register("register_admin_urls")
def register_framework_urls():
    return [
        path(
            "framework/<int:pk>/make-current/",
            framework_make_current,
            name="lms_framework_make_current",
        )
    ]


@hooks.register("register_snippet_listing_buttons")
def framework_listing_buttons(snippet, user, next_url=None):
    if (
        isinstance(snippet, FrameworkVersion)
        and snippet.live
        and not snippet.is_current
        and user_can_make_framework_current(user)
    ):
        yield ListingButton(
            gettext_lazy("Make current"),
            reverse("lms_framework_make_current", args=[snippet.pk]),
            icon_name="success",
            priority=5,
        )


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
