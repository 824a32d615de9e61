"""Learning paths and CPD records in Ustaz (paths themselves are defined in the
Wagtail admin). Each view says who may use it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from courses.models import LearningPath, PathEnrolment
from courses.training.paths import cpd, selectors, services
from courses.training.paths.forms import CohortForm
from courses.training.paths.permissions import (
    user_can_enrol_cohort,
    user_can_see_cpd_record,
    user_can_see_path,
)
from lms.models import User
from lms.roles import Role


@login_required
def path_list(request):
    """Who: any signed-in user. Officers see the paths they are in; trainers and
    managers also see every path, to enrol cohorts."""
    can_enrol = user_can_enrol_cohort(request.user)
    return render(
        request,
        "courses/paths/path_list.html",
        {
            "my_paths": selectors.user_paths(request.user),
            "managed": selectors.managed_paths(request.user) if can_enrol else [],
            "can_enrol": can_enrol,
            # Paths are defined in the Wagtail admin.
            "can_add": request.user.has_perms(
                ["courses.add_learningpath", "wagtailadmin.access_admin"]
            ),
        },
    )


@login_required
def path_detail(request, pk: int):
    """Who: the officers enrolled in the path (their own progress), and
    trainers and managers (everyone's progress; a manager's own office only)."""
    path = get_object_or_404(LearningPath, pk=pk)
    enrolled = PathEnrolment.objects.filter(path=path, user=request.user).exists()
    if not user_can_see_path(request.user, path, enrolled=enrolled):
        raise PermissionDenied
    can_enrol = user_can_enrol_cohort(request.user)
    context = {
        "path": path,
        "progress": (selectors.path_progress(request.user, path) if enrolled else None),
        "can_enrol": can_enrol,
    }
    if can_enrol:
        context["overview"] = selectors.path_overview(path, request.user)
    return render(request, "courses/paths/path_detail.html", context)


@login_required
def path_enrol(request, pk: int):
    """Who: trainers (officers of any office) and managers (their own office's
    officers). Enrol chosen officers, or everyone of an office hired on or
    after a date."""
    if not user_can_enrol_cohort(request.user):
        raise PermissionDenied
    path = get_object_or_404(LearningPath, pk=pk)
    form = CohortForm(
        request.POST if request.method == "POST" else None, viewer=request.user
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["how"] == CohortForm.OFFICE:
                report = services.path_enrol_office(
                    path=path,
                    office=data["office"],
                    hired_since=data["hired_since"],
                    by=request.user,
                )
            else:
                report = services.path_enrol_cohort(
                    path=path, officers=list(data["officers"]), by=request.user
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            _report_messages(request, report)
            return redirect("courses:path_detail", pk=path.pk)
    return render(
        request, "courses/paths/path_enrol.html", {"path": path, "form": form}
    )


def _names(users) -> str:
    return ", ".join(user.get_full_name() for user in users)


def _report_messages(request, report: services.CohortReport) -> None:
    if report.enrolled:
        count = len(report.enrolled)
        messages.success(
            request,
            ngettext(
                "%(count)s officer is enrolled in the path: %(names)s.",
                "%(count)s officers are enrolled in the path: %(names)s.",
                count,
            )
            % {"count": count, "names": _names(report.enrolled)},
        )
    if report.already:
        messages.info(
            request,
            _("Already in the path, left as they were: %(names)s.")
            % {"names": _names(report.already)},
        )
    for officer, reason in report.blocked:
        messages.warning(
            request,
            _("%(name)s is in the path but not in its first course: %(reason)s")
            % {"name": officer.get_full_name(), "reason": reason},
        )


# CPD record -------------------------------------------------------------------------


def _officer(request, user_id: int | None) -> User:
    if user_id is None or user_id == request.user.pk:
        return request.user
    # Refused before the lookup, so that nobody learns who exists.
    if not (request.user.has_role(Role.MANAGER) and request.user.office_id):
        raise PermissionDenied
    officer = get_object_or_404(User.objects.select_related("office"), pk=user_id)
    if not user_can_see_cpd_record(request.user, officer):
        raise PermissionDenied
    return officer


@login_required
def cpd_record(request, user_id: int | None = None):
    """Who: the officer, for their own record; managers, for the officers of
    their own office. Nobody else."""
    officer = _officer(request, user_id)
    record = cpd.cpd_record(officer)
    return render(
        request,
        "courses/cpd/record.html",
        {
            "record": record,
            "officer": officer,
            "own": officer.pk == request.user.pk,
            "rows": [
                (row, list(zip(record.sections, row.hours, strict=True)))
                for row in record.years
            ],
        },
    )


@login_required
def cpd_pdf(request, user_id: int | None = None):
    """Who: as the CPD record page. The record as a PDF in the officer's
    language."""
    officer = _officer(request, user_id)
    data = cpd.cpd_pdf(cpd.cpd_record(officer))
    name = slugify(officer.username) or "officer"
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="ustaz-cpd-{name}.pdf"'
    return response
