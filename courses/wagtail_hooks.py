from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.widgets import ListingButton

from courses import services
from courses.forms import QuestionFileForm, RevokeForm
from courses.importers import ImportFileError
from courses.models import Certificate, CoursePage
from courses.permissions import user_can_revoke_certificates
from courses.viewsets import LearningGroup


@hooks.register("register_admin_viewset")
def register_learning():
    return LearningGroup()


def certificate_revoke(request, pk: int):
    """Who: administrators (courses.revoke_certificate). Revoking is audited and
    the holder is told."""
    if not user_can_revoke_certificates(request.user):
        raise PermissionDenied
    certificate = get_object_or_404(Certificate, pk=pk)
    listing = reverse("certificates:index")
    form = RevokeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.certificate_revoke(
                certificate=certificate,
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Certificate %(code)s is revoked.") % {"code": certificate.code},
            )
        return redirect(listing)
    return TemplateResponse(
        request,
        "courses/admin/certificate_revoke.html",
        {"certificate": certificate, "form": form, "listing": listing},
    )


def question_import(request, page_id: int):
    """Who: whoever may edit the course page (its trainers). Adds the questions
    of a Moodle XML or GIFT file to a new draft of the course."""
    course = get_object_or_404(CoursePage, pk=page_id)
    if not course.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    form = QuestionFileForm(
        *(request.POST, request.FILES) if request.method == "POST" else ()
    )
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = services.question_bank_import(
                course=course,
                filename=upload.name,
                data=upload.read(),
                user=request.user,
            )
        except ImportFileError as error:
            form.add_error("file", str(error))
    return TemplateResponse(
        request,
        "courses/admin/question_import.html",
        {
            "course": course,
            "form": form,
            "report": report,
            "edit_url": reverse("wagtailadmin_pages:edit", args=[course.pk]),
        },
    )


@hooks.register("register_admin_urls")
def register_courses_admin_urls():
    return [
        path(
            "courses/certificates/<int:pk>/revoke/",
            certificate_revoke,
            name="courses_certificate_revoke",
        ),
        path(
            "courses/<int:page_id>/import-questions/",
            question_import,
            name="courses_question_import",
        ),
    ]


@hooks.register("register_page_listing_more_buttons")
def course_listing_buttons(page, user, next_url=None, view_name=None):
    if (
        issubclass(page.specific_class, CoursePage)
        and page.permissions_for_user(user).can_edit()
    ):
        yield ListingButton(
            gettext_lazy("Import questions"),
            reverse("courses_question_import", args=[page.pk]),
            icon_name="upload",
            priority=70,
        )


def _register_training_viewsets() -> None:
    """Each part of training management lists its admin screens in VIEWSETS."""
    from importlib import import_module

    from wagtail.snippets.models import register_snippet
    from wagtail.snippets.views.snippets import SnippetViewSet

    for part in ("assignments", "sessions", "paths", "compliance"):
        for viewset in import_module(f"courses.training.{part}.viewsets").VIEWSETS:
            if isinstance(viewset, type) and issubclass(viewset, SnippetViewSet):
                register_snippet(viewset)
            else:
                hooks.register("register_admin_viewset", lambda v=viewset: v)


_register_training_viewsets()
