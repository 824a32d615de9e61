"""Reads for a vacancy's reports, in a fixed number of queries whatever the
number of candidates, assessors and scores.

What counts: revealed stages only (an unrevealed stage is named, nothing
more: not its candidates, not its distributions), and of them only the
independent scores of submitted assignments without a conflict of interest,
as they stand after any amendment. Candidates are never named: the figures
are about the panel and the procedure."""

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q, prefetch_related_objects
from django.utils.translation import gettext as _

from lms.models import Competency
from selection.applications.equality import Ethnicity, equality_label
from selection.models import (
    AgeBand,
    Assignment,
    Consensus,
    Decision,
    Disability,
    EqualityResponse,
    Gender,
    Outcome,
    Score,
    StageCompetency,
    StageResult,
    Vacancy,
    VacancyStage,
)
from selection.reports import statistics
from selection.reports.statistics import (
    Distribution,
    Impact,
    Leniency,
    PassRate,
    Reliability,
)
from selection.rounds import stages_in_order


@dataclass(frozen=True)
class CompetencyFigures:
    competency: Competency
    distribution: Distribution | None
    reliability: Reliability


@dataclass(frozen=True)
class StageFigures:
    vacancy_stage: VacancyStage
    pass_rate: PassRate
    reliability: Reliability
    competencies: list[CompetencyFigures]
    scores: int


@dataclass(frozen=True)
class LeniencyRow:
    assessor: object
    figures: Leniency


@dataclass(frozen=True)
class ImpactStep:
    label: str
    rows: list[Impact]


@dataclass(frozen=True)
class ImpactTable:
    key: str
    label: str
    steps: list[ImpactStep]

    @property
    def is_empty(self) -> bool:
        return not any(step.rows for step in self.steps)


@dataclass(frozen=True)
class VacancyReport:
    stages: list[StageFigures]
    not_revealed: list[VacancyStage]
    applicants: int
    decided: int
    appointed: int
    by_competency: list[CompetencyFigures]
    leniency: list[LeniencyRow]
    # None: the viewer may not see equality data.
    equality: list[ImpactTable] | None
    charts: dict

    @property
    def appointed_percent(self) -> float | None:
        if not self.applicants:
            return None
        return round(self.appointed * 100 / self.applicants, 1)

    @property
    def equality_empty(self) -> bool:
        return self.equality is not None and all(
            table.is_empty for table in self.equality
        )


ETHNICITY_KEYS = {value for value, _label in Ethnicity.choices if value}


def _ethnicity_key(text: str) -> str:
    """Ethnicity is chosen from a list (selection.applications.equality); any
    other text is grouped as typed, ignoring case and spacing. An empty answer
    is no group."""
    return " ".join(text.split()).casefold()


def _groups_of(
    responses: Iterable[tuple], breakdown: str
) -> tuple[dict[int, Hashable], dict[Hashable, str]]:
    """{application: group} for one breakdown, and each group's label in
    display order, from `responses` in application order. Candidates who
    preferred not to say are not a group."""
    choices = {"gender": Gender, "age_band": AgeBand, "disability": Disability}
    field = ("gender", "age_band", "disability", "ethnicity").index(breakdown) + 1
    membership = {}
    labels: dict[Hashable, str] = {}
    if breakdown in choices:
        for value, label in choices[breakdown].choices:
            if value:
                labels[value] = str(label)
    spellings: dict[str, Counter] = defaultdict(Counter)
    for response in responses:
        answer = response[field] or ""
        if breakdown == "ethnicity":
            key = _ethnicity_key(answer)
            if key:
                spellings[key][" ".join(answer.split())] += 1
        else:
            key = answer if answer in labels else ""
        if key:
            membership[response[0]] = key
    if breakdown == "ethnicity":
        # Shown as most candidates wrote it; on a tie, as the first did.
        # A key of the form's list reads as its translated label; anything
        # else (answers typed before the list existed) as most wrote it.
        labels = {
            key: equality_label("ethnicity", key)
            if key in ETHNICITY_KEYS
            else counter.most_common(1)[0][0]
            for key, counter in spellings.items()
        }
        labels = dict(sorted(labels.items(), key=lambda item: item[1].casefold()))
    return membership, labels


def _impact_tables(
    responses: list[tuple],
    steps: list[tuple[str, dict[int, bool]]],
) -> list[ImpactTable]:
    """For each breakdown, the adverse-impact rows of each step: a stage
    (passed, of those with a result) and the final decision (appointed, of all
    applicants)."""
    tables = []
    for key, label in (
        ("gender", _("Gender")),
        ("age_band", _("Age")),
        ("disability", _("Disability")),
        ("ethnicity", _("Ethnicity")),
    ):
        membership, labels = _groups_of(responses, key)
        impact_steps = []
        for step_label, outcomes in steps:
            counts = {group: [0, 0] for group in labels}
            for application, selected in outcomes.items():
                group = membership.get(application)
                if group is None:
                    continue
                counts[group][1] += 1
                counts[group][0] += int(selected)
            rows = statistics.adverse_impact(
                {labels[group]: tuple(pair) for group, pair in counts.items()}
            )
            impact_steps.append(ImpactStep(label=step_label, rows=rows))
        tables.append(ImpactTable(key=key, label=label, steps=impact_steps))
    return tables


def _stage_name(vacancy_stage: VacancyStage) -> str:
    return str(vacancy_stage.stage)


def vacancy_report(vacancy: Vacancy, *, with_equality: bool) -> VacancyReport:
    """Every figure of the reports page of `vacancy`."""
    stages = stages_in_order(vacancy)
    prefetch_related_objects(
        stages,
        Prefetch(
            "stage__competencies",
            queryset=StageCompetency.objects.select_related("competency").order_by(
                "sort_order", "pk"
            ),
        ),
    )
    revealed = [stage for stage in stages if stage.is_revealed]
    revealed_ids = [stage.pk for stage in revealed]

    scores: list[tuple] = []
    consensus: dict[tuple, int | None] = {}
    entered: dict[int, set[int]] = {pk: set() for pk in revealed_ids}
    results: dict[int, dict[int, bool]] = {pk: {} for pk in revealed_ids}
    if revealed_ids:
        scores = list(
            Score.objects.filter(
                assignment__vacancy_stage_id__in=revealed_ids,
                assignment__submitted_at__isnull=False,
            )
            .filter(
                Q(assignment__conflict=False) | Q(assignment__conflict__isnull=True)
            )
            .order_by()
            .values_list(
                "assignment__vacancy_stage_id",
                "assignment__application_id",
                "assignment__assessor_id",
                "competency_id",
                "point",
            )
        )
        for stage, application, competency, point in Consensus.objects.filter(
            vacancy_stage_id__in=revealed_ids
        ).values_list("vacancy_stage_id", "application_id", "competency_id", "point"):
            consensus[(stage, application, competency)] = point
        for stage, application in (
            Assignment.objects.filter(vacancy_stage_id__in=revealed_ids)
            .order_by()
            .values_list("vacancy_stage_id", "application_id")
            .distinct()
        ):
            entered[stage].add(application)
        for stage, application, passed in (
            StageResult.objects.filter(vacancy_stage_id__in=revealed_ids)
            .order_by()
            .values_list("vacancy_stage_id", "application_id", "passed")
        ):
            results[stage][application] = passed

    applications = list(vacancy.applications.order_by().values_list("pk", flat=True))
    decisions = dict(
        Decision.objects.filter(application__vacancy=vacancy)
        .order_by()
        .values_list("application_id", "outcome")
    )

    # Competencies: each stage's own, in its order, plus any scored one the
    # stage no longer lists (looked up only then).
    competencies: dict[int, Competency] = {}
    for stage in revealed:
        for assessed in stage.stage.competencies.all():
            competencies.setdefault(assessed.competency_id, assessed.competency)
    missing = {row[3] for row in scores} - set(competencies)
    if missing:
        competencies.update(Competency.objects.in_bulk(missing))
    assessors = (
        get_user_model().objects.in_bulk({row[2] for row in scores}) if scores else {}
    )

    # One stage's ratings: {assessor: {(candidate, competency): point}}.
    stage_ratings: dict[int, dict] = defaultdict(lambda: defaultdict(dict))
    # One stage's competency: {assessor: {candidate: point}}.
    competency_ratings: dict[tuple, dict] = defaultdict(lambda: defaultdict(dict))
    # A competency over every revealed stage: {assessor: {(stage, candidate): point}}.
    across_ratings: dict[int, dict] = defaultdict(lambda: defaultdict(dict))
    points: dict[tuple, list] = defaultdict(list)
    for stage, application, assessor, competency, point in scores:
        stage_ratings[stage][assessor][(application, competency)] = point
        competency_ratings[(stage, competency)][assessor][application] = point
        across_ratings[competency][assessor][(stage, application)] = point
        points[(stage, competency)].append(point)

    rates = {
        rate.stage: rate
        for rate in statistics.pass_rates(
            {pk: entered[pk] for pk in revealed_ids}, results
        )
    }
    stage_figures = []
    for stage in revealed:
        listed = [assessed.competency_id for assessed in stage.stage.competencies.all()]
        scored = {competency for (pk, competency) in points if pk == stage.pk}
        order = listed + sorted(scored - set(listed))
        stage_figures.append(
            StageFigures(
                vacancy_stage=stage,
                pass_rate=rates[stage.pk],
                reliability=statistics.reliability(stage_ratings.get(stage.pk, {})),
                competencies=[
                    CompetencyFigures(
                        competency=competencies[competency],
                        distribution=statistics.distribution(
                            points.get((stage.pk, competency), [])
                        ),
                        reliability=statistics.reliability(
                            competency_ratings.get((stage.pk, competency), {})
                        ),
                    )
                    for competency in order
                ],
                scores=sum(
                    len(points.get((stage.pk, competency), [])) for competency in order
                ),
            )
        )

    by_competency = [
        CompetencyFigures(
            competency=competencies[competency],
            distribution=None,
            reliability=statistics.reliability(across_ratings[competency]),
        )
        for competency in competencies
        if competency in across_ratings
    ]

    lenient = statistics.leniency(
        (
            (assessor, (stage, application, competency), point)
            for stage, application, assessor, competency, point in scores
        ),
        consensus,
    )
    leniency_rows = sorted(
        (
            LeniencyRow(assessor=assessors[pk], figures=figures)
            for pk, figures in lenient.items()
        ),
        key=lambda row: (
            row.figures.mean_difference is None,
            -(row.figures.mean_difference or 0),
            row.assessor.get_full_name(),
        ),
    )

    appointed = sum(1 for outcome in decisions.values() if outcome == Outcome.APPOINT)
    equality = None
    if with_equality:
        responses = list(
            EqualityResponse.objects.filter(application__vacancy=vacancy)
            .order_by("application_id")
            .values_list(
                "application_id", "gender", "age_band", "disability", "ethnicity"
            )
        )
        steps = [
            (_stage_name(stage), results[stage.pk])
            for stage in revealed
            if results[stage.pk]
        ]
        if decisions:
            steps.append(
                (
                    _("Appointed (of all applicants)"),
                    {pk: decisions.get(pk) == Outcome.APPOINT for pk in applications},
                )
            )
        equality = _impact_tables(responses, steps)

    return VacancyReport(
        stages=stage_figures,
        not_revealed=[stage for stage in stages if not stage.is_revealed],
        applicants=len(applications),
        decided=len(decisions),
        appointed=appointed,
        by_competency=by_competency,
        leniency=leniency_rows,
        equality=equality,
        charts=_charts(stage_figures, leniency_rows),
    )


def _charts(stages: list[StageFigures], leniency_rows: list[LeniencyRow]) -> dict:
    """What the charts draw; the page shows the same numbers in tables."""
    return {
        "pass": {
            "labels": [_stage_name(figures.vacancy_stage) for figures in stages],
            "data": [figures.pass_rate.percent for figures in stages],
            "label": _("Passed (share of candidates with a result, %)"),
        },
        "distributions": {
            str(figures.vacancy_stage.pk): {
                "labels": [str(row.competency) for row in figures.competencies],
                "datasets": [
                    {
                        "label": str(point),
                        "data": [
                            row.distribution.counts[point - 1]
                            for row in figures.competencies
                        ],
                    }
                    for point in statistics.SCALE
                ]
                + [
                    {
                        "label": _("Not observed"),
                        "data": [
                            row.distribution.not_observed
                            for row in figures.competencies
                        ],
                    }
                ],
            }
            for figures in stages
        },
        "leniency": {
            "labels": [
                row.assessor.get_full_name()
                for row in leniency_rows
                if row.figures.mean_difference is not None
            ],
            "data": [
                round(row.figures.mean_difference, 2)
                for row in leniency_rows
                if row.figures.mean_difference is not None
            ],
            "label": _("Mean difference from the panel, in points"),
        },
    }
