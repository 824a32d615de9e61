"""The compliance matrix of a manager's office or a regional head's region, its
exports, and their progress. Each view says who may use it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from courses.models import ComplianceExport, CoursePage, ExportStatus
from courses.training.compliance import exports, selectors, services
from courses.training.compliance.forms import ComplianceFilterForm, ExportForm
from courses.training.compliance.permissions import (
    compliance_offices,
    user_can_view_compliance,
    user_can_view_export,
    user_sees_region,
)

PAGE_SIZE = 50


def _refuse(request, message: str):
    return render(
        request, "courses/compliance/forbidden.html", {"message": message}, status=403
    )


def _not_allowed(request):
    return _refuse(
        request,
        _("Training compliance is shown to office managers and regional heads only."),
    )


def _outside_scope(request):
    if user_sees_region(request.user):
        message = _(
            "You can see the training compliance of the offices of your own "
            "region only."
        )
    else:
        message = _("You can see the training compliance of your own office only.")
    return _refuse(request, message)


def _office_outside_scope(data, offices) -> bool:
    """An office asked for by id that the user may not see. Text that is not
    an id is left to the form, which answers with a validation error."""
    raw = (data.get("office") or "").strip()
    if not raw.isdigit():
        return False
    return int(raw) not in {office.pk for office in offices}


def _courses(offices) -> list[CoursePage]:
    return list(
        CoursePage.objects.filter(
            Q(mandatory_rules__office__isnull=True)
            | Q(mandatory_rules__office__in=offices)
        )
        .distinct()
        .order_by("title")
    )


def _filter_form(form_class, data, offices):
    return form_class(data or None, offices=offices, courses=_courses(offices))


@login_required
@require_GET
def matrix(request):
    """Who: a manager (courses.view_office_compliance) for their own office; a
    regional head or administrator (courses.view_region_compliance) for every
    office of their region. Another office by id: 403."""
    user = request.user
    if not user_can_view_compliance(user):
        return _not_allowed(request)
    offices = list(compliance_offices(user))
    if _office_outside_scope(request.GET, offices):
        return _outside_scope(request)
    form = _filter_form(ComplianceFilterForm, request.GET, offices)
    form.is_valid()
    filters = services.normalise_filters(form.filters() if form.is_bound else {})
    office = next((o for o in offices if o.pk == filters["office"]), None)
    course = next(
        (c for c in form.fields["course"].choices if c[0] == filters["course"]), None
    )
    data = selectors.compliance_matrix(
        offices=offices,
        office=office,
        course=CoursePage(pk=course[0]) if course else None,
        state=filters["state"],
        search=filters["q"],
    )
    page_obj = Paginator(data["rows"], PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "courses/compliance/matrix.html",
        {
            **data,
            "form": form,
            "filters": filters,
            "page_obj": page_obj,
            "querystring": query.urlencode(),
            "chart": {
                "offices": {
                    "labels": [str(row["office"]) for row in data["summary"]],
                    "data": [row["percent"] or 0 for row in data["summary"]],
                },
                "history": data["history"],
            },
            "sees_region": user_sees_region(user),
            "states": selectors.CellState,
            "small_export": services.SMALL_EXPORT_ROWS,
        },
    )


@login_required
@require_POST
def export(request):
    """Who: as for the matrix. Up to SMALL_EXPORT_ROWS rows are downloaded at
    once; more are prepared by a Celery task, whose progress page follows."""
    user = request.user
    if not user_can_view_compliance(user):
        return _not_allowed(request)
    offices = list(compliance_offices(user))
    if _office_outside_scope(request.POST, offices):
        return _outside_scope(request)
    form = _filter_form(ExportForm, request.POST, offices)
    if not form.is_valid():
        messages.error(
            request, _("The export could not be made: check the filters and format.")
        )
        return redirect("courses:compliance_matrix")
    format = form.cleaned_data["format"]
    filters = services.normalise_filters(form.filters())
    matrix_data = services.matrix_for(user, filters)
    if selectors.export_row_count(matrix_data) <= services.SMALL_EXPORT_ROWS:
        content = exports.write(format, selectors.export_rows(matrix_data))
        response = HttpResponse(content, content_type=exports.CONTENT_TYPES[format])
        response["Content-Disposition"] = (
            f'attachment; filename="{exports.filename(format)}"'
        )
        return response
    try:
        job = services.compliance_export_request(
            user=user, format=format, filters=filters
        )
    except services.ExportAlreadyRunning as running:
        messages.info(
            request,
            _(
                "This export is already being prepared. Follow it here; it will "
                "not be started twice."
            ),
        )
        return redirect("courses:compliance_export_detail", pk=running.export.pk)
    messages.success(
        request, _("The export is being prepared. You can leave this page.")
    )
    return redirect("courses:compliance_export_detail", pk=job.pk)


def _export_for(request, pk: int) -> ComplianceExport | None:
    job = get_object_or_404(ComplianceExport, pk=pk)
    return job if user_can_view_export(request.user, job) else None


def _status(job: ComplianceExport) -> dict:
    return {
        "status": job.status,
        "label": str(job.get_status_display()),
        "progress": job.progress,
        "download": reverse("courses:compliance_export_download", args=[job.pk])
        if job.status == ExportStatus.DONE
        else "",
    }


@login_required
@require_GET
def export_detail(request, pk: int):
    """Who: the person who asked for the export."""
    job = _export_for(request, pk)
    if job is None:
        return _refuse(request, _("This export was asked for by someone else."))
    filters = services.normalise_filters(job.filters)
    back = reverse("courses:compliance_matrix")
    query = {key: value for key, value in filters.items() if value}
    return render(
        request,
        "courses/compliance/export_detail.html",
        {
            "job": job,
            "status": _status(job),
            "back": f"{back}?{urlencode(query)}" if query else back,
        },
    )


@never_cache
@login_required
@require_GET
def export_status(request, pk: int):
    """Who: the person who asked for the export. Polled by its progress page."""
    job = _export_for(request, pk)
    if job is None:
        return JsonResponse(
            {"error": _("This export was asked for by someone else.")}, status=403
        )
    return JsonResponse(_status(job))


@login_required
@require_GET
def export_download(request, pk: int):
    """Who: the person who asked for the export, while they may see compliance."""
    job = _export_for(request, pk)
    if job is None:
        return _refuse(request, _("This export was asked for by someone else."))
    if job.status != ExportStatus.DONE or not job.file:
        messages.info(request, _("The export is not ready yet."))
        return redirect("courses:compliance_export_detail", pk=job.pk)
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=exports.filename(job.format, job.created_at),
        content_type=exports.CONTENT_TYPES[job.format],
    )
