"""The panel's pages: a vacancy's overview, the revealed scores of a stage side
by side with the consensus, moving candidates on, the ranking and the
decisions. Each view says who may use it; the writes are the services'.

Only the vacancy's panel (its chair and members) gets in; administrators are
not an exception. Anyone else gets a 403 page that says why."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms.forms import form_add_errors
from selection import rounds
from selection.models import Application, Outcome
from selection.panel import selectors, services
from selection.panel.forms import ConsensusForm, DecisionForm
from selection.permissions import (
    user_can_run_vacancies,
    user_is_chair,
    user_is_on_panel,
)
from selection.scoring.selectors import assessor_has_pending


class Refused(Exception):
    """A panel member may not do this here and now; the message says why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _refuse(request, message: str, vacancy=None):
    return render(
        request,
        "selection/panel/refused.html",
        {"message": message, "vacancy": vacancy},
        status=403,
    )


def panel_view(view):
    """Load the vacancy and let only its panel in."""

    @login_required
    @wraps(view)
    def wrapped(request, pk: int, **kwargs):
        vacancy = get_object_or_404(selectors.panel_vacancy(pk))
        if not user_is_on_panel(request.user, vacancy):
            return _refuse(
                request,
                _("This page is for the vacancy's panel: its chair and members."),
            )
        try:
            return view(request, vacancy, **kwargs)
        except Refused as refusal:
            return _refuse(request, refusal.message, vacancy=vacancy)

    return wrapped


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _require_chair(request, vacancy, message: str) -> None:
    if not user_is_chair(request.user, vacancy):
        raise Refused(message)


def _revealed_stage(request, vacancy, stage_pk: int):
    """The stage, if its scores are revealed and the user has no score of it
    still to submit."""
    vacancy_stage = get_object_or_404(selectors.vacancy_stage_of(vacancy, stage_pk))
    if not vacancy_stage.is_revealed:
        raise Refused(
            _(
                "The scores of this stage are not revealed yet: scores are revealed "
                "when all are in or when the chair closes the round."
            )
        )
    if assessor_has_pending(request.user, vacancy_stage):
        raise Refused(
            _(
                "You assess this stage: submit your own scores first. You see the "
                "others' scores once yours are in."
            )
        )
    return vacancy_stage


@panel_view
def panel(request, vacancy):
    """Who: the vacancy's panel. Its stages in order with their progress
    (counts only before the reveal), and the candidates with their stage and
    status."""
    is_chair = user_is_chair(request.user, vacancy)
    return render(
        request,
        "selection/panel/panel.html",
        {
            "vacancy": vacancy,
            "stages": selectors.stage_progress(vacancy),
            "candidates": selectors.vacancy_candidates(vacancy),
            "is_chair": is_chair,
        },
    )


def _stage_page(request, vacancy, vacancy_stage, bound=None, status=200):
    boards = selectors.stage_board(vacancy_stage)
    competencies = [row.stage_competency for row in boards[0].rows] if boards else []
    open_for_consensus = vacancy_stage.completed_at is None
    for board in boards:
        if not open_for_consensus:
            continue
        if bound is not None and bound.prefix == _prefix(board.application):
            board.form = bound
        else:
            board.form = ConsensusForm(
                prefix=_prefix(board.application),
                competencies=competencies,
                rows=board.rows,
            )
    return render(
        request,
        "selection/panel/stage.html",
        {
            "vacancy": vacancy,
            "vacancy_stage": vacancy_stage,
            "stage": vacancy_stage.stage,
            "competencies": competencies,
            "boards": boards,
            "is_chair": user_is_chair(request.user, vacancy),
            "ready": bool(boards) and all(board.has_consensus for board in boards),
        },
        status=status,
    )


def _prefix(application) -> str:
    return f"c{application.pk}"


@panel_view
def panel_stage(request, vacancy, stage_pk: int):
    """Who: the vacancy's panel, once the stage's scores are revealed, and not
    an assessor of the stage whose own scores are not submitted. Every
    candidate's scores side by side, disagreements flagged, and a consensus
    form per candidate."""
    vacancy_stage = _revealed_stage(request, vacancy, stage_pk)
    return _stage_page(request, vacancy, vacancy_stage)


@require_POST
@panel_view
def consensus(request, vacancy, stage_pk: int, application_pk: int):
    """Who: the vacancy's panel, after the reveal and before the candidates
    move on. Records (or replaces) the consensus on one candidate."""
    vacancy_stage = _revealed_stage(request, vacancy, stage_pk)
    application = get_object_or_404(Application, pk=application_pk, vacancy=vacancy)
    form = ConsensusForm(
        request.POST,
        prefix=_prefix(application),
        competencies=selectors.stage_competencies(vacancy_stage),
    )
    if form.is_valid():
        try:
            services.consensus_record(
                vacancy_stage=vacancy_stage,
                application=application,
                actor=request.user,
                points=form.points(),
                rationale=form.cleaned_data["rationale"],
            )
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(
                request,
                _("The consensus on %(candidate)s is recorded.")
                % {"candidate": services.candidate_label(application)},
            )
            return redirect(
                reverse("selection:panel_stage", args=[vacancy.pk, vacancy_stage.pk])
                + f"#candidate-{application.pk}"
            )
    messages.error(
        request,
        _("The consensus was not recorded. Correct what is marked and try again."),
    )
    return _stage_page(request, vacancy, vacancy_stage, bound=form, status=400)


@panel_view
def round_close(request, vacancy, stage_pk: int):
    """Who: the panel chair. GET asks for confirmation; POST closes the round
    before every score is in: what was submitted is revealed."""
    _require_chair(request, vacancy, _("Only the panel chair can close a round."))
    vacancy_stage = get_object_or_404(selectors.vacancy_stage_of(vacancy, stage_pk))
    if vacancy_stage.is_revealed:
        messages.info(request, _("The scores of this stage are revealed already."))
        return redirect("selection:panel", pk=vacancy.pk)
    if request.method == "POST":
        try:
            rounds.round_close(vacancy_stage=vacancy_stage, actor=request.user)
        except ValidationError as error:
            messages.error(request, _error_text(error))
            return redirect("selection:panel", pk=vacancy.pk)
        messages.success(
            request,
            _("The round is closed: the submitted scores are revealed to the panel."),
        )
        return redirect(
            "selection:panel_stage", pk=vacancy.pk, stage_pk=vacancy_stage.pk
        )
    submitted, expected = rounds.round_progress(vacancy_stage)
    return render(
        request,
        "selection/panel/round_close.html",
        {
            "vacancy": vacancy,
            "vacancy_stage": vacancy_stage,
            "submitted": submitted,
            "expected": expected,
        },
    )


@panel_view
def stage_complete(request, vacancy, stage_pk: int):
    """Who: the panel chair. GET previews who passes and who does not, from
    the consensus scores; POST moves the candidates on."""
    _require_chair(request, vacancy, _("Only the panel chair moves candidates on."))
    vacancy_stage = _revealed_stage(request, vacancy, stage_pk)
    if vacancy_stage.completed_at is not None:
        messages.info(request, _("The candidates have moved on from this stage."))
        return redirect("selection:panel_stage", pk=vacancy.pk, stage_pk=stage_pk)
    status = 200
    if request.method == "POST":
        try:
            services.stage_complete(vacancy_stage=vacancy_stage, actor=request.user)
        except ValidationError as error:
            messages.error(request, _error_text(error))
            status = 400
        else:
            messages.success(
                request, _("The candidates have moved on. Their results are kept.")
            )
            return redirect("selection:panel", pk=vacancy.pk)
    outcomes, missing = selectors.stage_outcomes(vacancy_stage)
    return render(
        request,
        "selection/panel/stage_complete.html",
        {
            "vacancy": vacancy,
            "vacancy_stage": vacancy_stage,
            "outcomes": outcomes,
            "missing": missing,
            "following": rounds.next_stage(vacancy_stage),
        },
        status=status,
    )


def _can_create_accounts(user, vacancy) -> bool:
    return user_is_chair(user, vacancy) or user_can_run_vacancies(user)


@panel_view
def ranking(request, vacancy):
    """Who: the vacancy's panel. Candidates who completed the last stage,
    ranked by their overall score, with each stage's total, knock-outs and
    decisions."""
    stages, rows = selectors.ranking(vacancy)
    return render(
        request,
        "selection/panel/ranking.html",
        {
            "vacancy": vacancy,
            "stages": stages,
            "rows": rows,
            "is_chair": user_is_chair(request.user, vacancy),
            "can_create_accounts": _can_create_accounts(request.user, vacancy),
            "appointed": sum(
                1
                for row in rows
                if row.decision is not None and row.decision.outcome == Outcome.APPOINT
            ),
        },
    )


@panel_view
def decide(request, vacancy, application_pk: int):
    """Who: the vacancy's panel sees the candidate's standing; the chair
    records the decision the panel agreed (appoint, reserve list, reject)
    with its reasons. A decision is final."""
    application = get_object_or_404(Application, pk=application_pk, vacancy=vacancy)
    stages, rows = selectors.ranking(vacancy)
    row = next((r for r in rows if r.application.pk == application.pk), None)
    if row is None:
        raise Refused(
            _("Only a candidate who completed the last stage waits for a decision.")
        )
    is_chair = user_is_chair(request.user, vacancy)
    form = DecisionForm(request.POST or None) if is_chair else None
    if request.method != "POST" and not row.awaits_decision:
        form = None
    status = 200
    if request.method == "POST":
        _require_chair(
            request,
            vacancy,
            _("The panel chair records the decision the panel agreed."),
        )
        if form.is_valid():
            try:
                services.decision_record(
                    application=application,
                    actor=request.user,
                    outcome=form.cleaned_data["outcome"],
                    reasons=form.cleaned_data["reasons"],
                )
            except ValidationError as error:
                form_add_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The decision is recorded and the candidate is told by e-mail."),
                )
                return redirect("selection:ranking", pk=vacancy.pk)
        messages.error(
            request,
            _("The decision was not recorded. Correct what is marked and try again."),
        )
        status = 400
    return render(
        request,
        "selection/panel/decide.html",
        {
            "vacancy": vacancy,
            "stage_totals": list(zip(stages, row.totals, strict=True)),
            "row": row,
            "application": application,
            "candidate": services.candidate_label(application),
            # The form is for a candidate waiting for the decision, or comes
            # back with the refusal when one was tried anyway.
            "form": form,
            "is_chair": is_chair,
        },
        status=status,
    )


@require_POST
@login_required
def officer_account(request, pk: int, application_pk: int):
    """Who: the panel chair and administrators who run vacancies. Creates the
    appointed candidate's officer account (or links the account that has their
    e-mail) so their scores start their development record."""
    vacancy = get_object_or_404(selectors.panel_vacancy(pk))
    application = get_object_or_404(Application, pk=application_pk, vacancy=vacancy)
    if not _can_create_accounts(request.user, vacancy):
        return _refuse(
            request,
            _("The panel chair or an administrator creates the officer's account."),
        )
    try:
        user, created = services.officer_account_create(
            application=application, actor=request.user
        )
    except PermissionDenied:
        return _refuse(
            request,
            _("The panel chair or an administrator creates the officer's account."),
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        if created:
            messages.success(
                request,
                _(
                    "The officer's account «%(username)s» is created. It has no "
                    "password yet: an administrator sends the officer their "
                    "sign-in."
                )
                % {"username": user.username},
            )
        else:
            messages.success(
                request,
                _(
                    "An account with this e-mail exists already («%(username)s»): "
                    "the application is now linked to it."
                )
                % {"username": user.username},
            )
    if user_is_on_panel(request.user, vacancy):
        return redirect("selection:ranking", pk=vacancy.pk)
    return redirect("selection:application", pk=application.pk)
