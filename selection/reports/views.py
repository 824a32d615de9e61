"""A vacancy's reports: pass rates, score distributions, inter-rater
reliability, each assessor's leniency and, for those allowed, adverse
impact; as a page and as a CSV file."""

import csv
import io

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from selection import permissions
from selection.models import Vacancy
from selection.reports import selectors
from selection.reports.statistics import (
    ALPHA_GOOD,
    ALPHA_TENTATIVE,
    MIN_GROUP,
    SCALE,
    Impact,
)

READINGS = {
    None: gettext_lazy("Not enough data"),
    "good": gettext_lazy("Good: the scores can be relied on"),
    "tentative": gettext_lazy("Tentative conclusions only"),
    "unreliable": gettext_lazy("Unreliable"),
}
FINDINGS = {
    Impact.ADVERSE: gettext_lazy("Adverse impact: below four-fifths"),
    Impact.NOT_ADVERSE: gettext_lazy("No adverse impact"),
    Impact.TOO_FEW: gettext_lazy("Too few to say"),
    Impact.NONE_SELECTED: gettext_lazy("Nobody selected"),
}


def _vacancy_for(request, pk: int) -> Vacancy:
    vacancy = get_object_or_404(
        Vacancy.objects.select_related("office").prefetch_related("panel"), pk=pk
    )
    if not permissions.user_can_see_reports(request.user, vacancy):
        raise PermissionDenied(
            _(
                "A vacancy's reports are for its panel, the champions and the "
                "administrators."
            )
        )
    return vacancy


@login_required
def vacancy_reports(request, pk: int):
    """Who: the vacancy's panel (chair and members) and holders of
    selection.view_selection_reports (champions, administrators); the
    adverse-impact section only with selection.view_equality_data. Only
    revealed stages count."""
    vacancy = _vacancy_for(request, pk)
    with_equality = permissions.user_can_see_equality_data(request.user)
    report = selectors.vacancy_report(vacancy, with_equality=with_equality)
    return render(
        request,
        "selection/reports/vacancy.html",
        {
            "vacancy": vacancy,
            "report": report,
            "on_panel": permissions.user_is_on_panel(request.user, vacancy),
            "scale": SCALE,
            "alpha_good": ALPHA_GOOD,
            "alpha_tentative": ALPHA_TENTATIVE,
            "min_group": MIN_GROUP,
        },
    )


def _text(value) -> str:
    """Keep a spreadsheet from reading text as a formula (CSV injection):
    names and free-text answers come from people."""
    value = str(value)
    if value and value[0] in "=+-@\t\r":
        return "'" + value
    return value


def _number(value, digits: int) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def _csv_rows(report: selectors.VacancyReport):
    yield [_("Pass rates by stage")]
    yield [
        _("Stage"),
        _("Entered"),
        _("With a result"),
        pgettext("selection", "Passed"),
        _("Pass rate, %"),
    ]
    for figures in report.stages:
        rate = figures.pass_rate
        yield [
            _text(figures.vacancy_stage.stage),
            rate.entered,
            rate.decided,
            rate.passed,
            _number(rate.percent, 1),
        ]
    yield [_("Appointed"), report.applicants, report.decided, report.appointed, ""]
    yield []
    yield [_("Score distributions (independent scores)")]
    yield [
        _("Stage"),
        _("Competency"),
        *[str(point) for point in SCALE],
        _("Not observed"),
    ]
    for figures in report.stages:
        for row in figures.competencies:
            yield [
                _text(figures.vacancy_stage.stage),
                _text(row.competency),
                *row.distribution.counts,
                row.distribution.not_observed,
            ]
    yield []
    yield [_("Inter-rater reliability (Krippendorff's alpha, ordinal)")]
    yield [
        _("Stage"),
        _("Competency"),
        _("Alpha"),
        _("Units"),
        _("Assessors"),
        _("Reading"),
    ]
    for figures in report.stages:
        rows = [(_("All competencies"), figures.reliability)] + [
            (row.competency, row.reliability) for row in figures.competencies
        ]
        for competency, reliability in rows:
            yield [
                _text(figures.vacancy_stage.stage),
                _text(competency),
                _number(reliability.alpha, 3),
                reliability.units,
                reliability.raters,
                READINGS[reliability.reading],
            ]
    for row in report.by_competency:
        yield [
            _("All revealed stages"),
            _text(row.competency),
            _number(row.reliability.alpha, 3),
            row.reliability.units,
            row.reliability.raters,
            READINGS[row.reliability.reading],
        ]
    yield []
    yield [_("Leniency against the panel")]
    yield [
        _("Assessor"),
        _("Mean difference, points"),
        _("Scores compared"),
        _("Of them with the consensus"),
    ]
    for row in report.leniency:
        yield [
            _text(row.assessor.get_full_name()),
            _number(row.figures.mean_difference, 2),
            row.figures.pairs,
            row.figures.against_consensus,
        ]
    if report.equality is None:
        return
    yield []
    yield [_("Adverse impact (four-fifths rule)")]
    yield [
        _("Breakdown"),
        _("Step"),
        _("Group"),
        _("Selected"),
        _("Of"),
        _("Selection rate, %"),
        _("Impact ratio"),
        _("Finding"),
    ]
    for table in report.equality:
        for step in table.steps:
            for impact in step.rows:
                yield [
                    table.label,
                    _text(step.label),
                    _text(impact.group),
                    impact.selected,
                    impact.applicants,
                    _number(impact.rate_percent, 1),
                    _number(impact.ratio_value, 2),
                    FINDINGS[impact.finding],
                ]


@login_required
def vacancy_reports_csv(request, pk: int):
    """Who: as the reports page; the adverse-impact rows only with
    selection.view_equality_data."""
    vacancy = _vacancy_for(request, pk)
    report = selectors.vacancy_report(
        vacancy,
        with_equality=permissions.user_can_see_equality_data(request.user),
    )
    buffer = io.StringIO()
    # A byte-order mark, so that Excel reads Kazakh and Russian letters right.
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerows(_csv_rows(report))
    response = HttpResponse(
        buffer.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="selection-report-{vacancy.reference}.csv"'
    )
    return response
