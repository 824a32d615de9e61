"""The public vacancies pages, the application form, the candidate's own
data, and the application as the panel sees it. Each view says who may use
it; the writes are the services'."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from lms.forms import form_add_errors
from selection.applications import selectors, services
from selection.applications.equality import QUESTIONS, equality_label
from selection.applications.forms import ApplicationForm, DataDeleteForm
from selection.applications.uploads import max_bytes
from selection.permissions import user_can_see_application


def _vacancy_or_404(reference: str):
    vacancy = selectors.public_vacancy(reference)
    if vacancy is None:
        raise Http404(_("There is no such vacancy."))
    return vacancy


def _related(application, name: str):
    try:
        return getattr(application, name)
    except ObjectDoesNotExist:
        return None


def vacancy_list(request):
    """Who: anyone, without signing in. Vacancies taking applications first,
    then the closed ones."""
    open_vacancies, closed_vacancies = selectors.public_vacancy_lists()
    return render(
        request,
        "selection/public/vacancy_list.html",
        {
            "open_vacancies": open_vacancies,
            "closed_vacancies": closed_vacancies,
            "today": selectors.almaty_today(),
        },
    )


def vacancy_detail(request, reference: str):
    """Who: anyone, without signing in. Drafts do not exist for the public."""
    vacancy = _vacancy_or_404(reference)
    return render(
        request,
        "selection/public/vacancy_detail.html",
        {
            "vacancy": vacancy,
            "stages": [
                (stage, selectors.STAGE_EXPLANATIONS.get(stage.kind))
                for stage in selectors.procedure_stages(vacancy)
            ],
            "refusal": selectors.application_refusal(vacancy),
        },
    )


@require_http_methods(["GET", "POST"])
def apply(request, reference: str):
    """Who: anyone, without an account, while the vacancy takes applications.
    A refused application comes back with everything typed, except the CV,
    which browsers never send back."""
    vacancy = _vacancy_or_404(reference)
    refusal = selectors.application_refusal(vacancy)
    if request.method == "GET":
        form = None if refusal else ApplicationForm(vacancy=vacancy)
        return render(
            request,
            "selection/public/apply.html",
            {"vacancy": vacancy, "form": form, "refusal": refusal, **_limits()},
        )
    form = ApplicationForm(request.POST, request.FILES, vacancy=vacancy)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.application_submit(
                vacancy=vacancy,
                full_name=data["full_name"],
                email=data["email"],
                phone=data["phone"],
                education=data["education"],
                experience=data["experience"],
                motivation=data["motivation"],
                cv=data["cv"],
                consent=data["consent"],
                equality=form.equality(),
                language=request.LANGUAGE_CODE,
            )
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            return redirect("selection:applied", reference=vacancy.reference)
    elif refusal:
        form.add_error(None, refusal)
    return render(
        request,
        "selection/public/apply.html",
        {"vacancy": vacancy, "form": form, "refusal": None, **_limits()},
        status=400,
    )


def _limits() -> dict:
    return {"max_bytes": max_bytes()}


def applied(request, reference: str):
    """Who: anyone; the page after a successful application."""
    vacancy = _vacancy_or_404(reference)
    return render(request, "selection/public/applied.html", {"vacancy": vacancy})


def _private(response):
    # The token is in the address: it must not leak to other sites, nor stay
    # in a shared computer's cache.
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def my_data(request, token: str):
    """Who: whoever holds the candidate's personal link. GET shows everything
    stored about them; POST (with a confirmation) deletes it."""
    application = selectors.application_for_token(token)
    if application is None:
        raise Http404(_("This link is not valid."))
    if application.anonymised_at is not None:
        return _private(
            render(
                request,
                "selection/public/my_data.html",
                {"application": application, "deleted": True},
            )
        )
    form = DataDeleteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.data_request_delete(application=application)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your personal data has been deleted."))
                return redirect("selection:my_data", token=token)
    else:
        services.data_request_see(application=application)
    equality = _related(application, "equality")
    return _private(
        render(
            request,
            "selection/public/my_data.html",
            {
                "application": application,
                "deleted": False,
                "vacancy": application.vacancy,
                "decision": _related(application, "decision"),
                "equality": [
                    (
                        equality._meta.get_field(field).verbose_name,
                        equality_label(field, getattr(equality, field)),
                    )
                    for field in QUESTIONS
                ]
                if equality
                else [],
                "form": form,
            },
            status=400 if request.method == "POST" else 200,
        )
    )


def _application_for(request, pk: int):
    application = selectors.application_for_staff(pk)
    if application is None:
        raise Http404(_("There is no such application."))
    if not user_can_see_application(request.user, application):
        raise PermissionDenied(
            _(
                "A candidate's application is open to the vacancy's panel and "
                "to the administrators who run vacancies."
            )
        )
    return application


@login_required
def application_detail(request, pk: int):
    """Who: the vacancy's panel (chair and members) and administrators who
    run vacancies. Never shows the equality answers: those appear only in
    aggregate, in the reports."""
    application = _application_for(request, pk)
    return render(
        request,
        "selection/application.html",
        {
            "application": application,
            "vacancy": application.vacancy,
            "decision": _related(application, "decision"),
        },
    )


@login_required
def application_cv(request, pk: int):
    """Who: as the application page. CVs are private: sent by this view as a
    download, never from a media address."""
    application = _application_for(request, pk)
    if not application.cv:
        raise Http404(_("This application has no CV."))
    try:
        handle = application.cv.open("rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404(_("This file is no longer available.")) from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=application.cv_name or "cv",
        content_type=application.cv_content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
