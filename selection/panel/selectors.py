"""Reads of the panel's pages: a vacancy's stages and candidates, the revealed
scores of a stage side by side, what completing a stage would decide, the
ranking, and an officer's scores at selection. Each runs a fixed number of
queries, whatever the number of candidates."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from lms.models import Competency
from selection import rounds
from selection.models import (
    Application,
    ApplicationStatus,
    Assignment,
    Consensus,
    Score,
    StageCompetency,
    StageResult,
    Vacancy,
    VacancyStage,
)
from selection.panel import scoring_math
from selection.panel.scoring_math import Point
from selection.scoring.selectors import stage_duplicate_evidence

RECORD_TARGETS = 2


def panel_vacancy(pk: int) -> QuerySet:
    return (
        Vacancy.objects.filter(pk=pk)
        .select_related("office", "procedure", "chair")
        .prefetch_related("panel")
    )


def vacancy_stage_of(vacancy: Vacancy, stage_pk: int) -> QuerySet:
    return VacancyStage.objects.filter(pk=stage_pk, vacancy=vacancy).select_related(
        "stage", "vacancy"
    )


def stage_progress(vacancy: Vacancy) -> list[tuple[VacancyStage, int, int]]:
    """Each stage in order with (submitted, expected) assignments: counts only,
    which is all anyone sees before the reveal."""
    stages = rounds.stages_in_order(vacancy)
    progress = rounds.rounds_progress(stage.pk for stage in stages)
    return [(stage, *progress.get(stage.pk, (0, 0))) for stage in stages]


def vacancy_candidates(vacancy: Vacancy) -> QuerySet:
    return (
        vacancy.applications.select_related("current_stage__stage", "decision")
        .exclude(status=ApplicationStatus.WITHDRAWN)
        .order_by("submitted_at", "pk")
    )


def stage_candidates(vacancy_stage: VacancyStage) -> QuerySet:
    """Everyone who entered the stage (and has not withdrawn), by code."""
    return (
        Application.objects.filter(
            pk__in=Assignment.objects.filter(vacancy_stage=vacancy_stage).values(
                "application_id"
            )
        )
        .exclude(status=ApplicationStatus.WITHDRAWN)
        .order_by("code", "pk")
    )


def stage_competencies(vacancy_stage: VacancyStage) -> list[StageCompetency]:
    return list(
        StageCompetency.objects.filter(stage_id=vacancy_stage.stage_id)
        .select_related("competency")
        .order_by("sort_order", "pk")
    )


def submitted_points(
    vacancy_stage: VacancyStage, application_ids=None
) -> dict[tuple[int, int], list[Point]]:
    """The independent points of a stage, by (application, competency): from
    submitted assignments that are still the assessor's (no conflict)."""
    scores = Score.objects.filter(
        assignment__vacancy_stage=vacancy_stage,
        assignment__submitted_at__isnull=False,
    ).exclude(assignment__conflict=True)
    if application_ids is not None:
        scores = scores.filter(assignment__application_id__in=application_ids)
    points = defaultdict(list)
    for application_id, competency_id, point in scores.values_list(
        "assignment__application_id", "competency_id", "point"
    ):
        points[application_id, competency_id].append(point)
    return points


# The side-by-side board of a revealed stage.


@dataclass
class CompetencyRow:
    stage_competency: StageCompetency
    cells: list[Score | None]
    mean: Decimal | None
    spread: int | None
    consensus: Consensus | None

    @property
    def competency(self):
        return self.stage_competency.competency

    @property
    def disagreement(self) -> bool:
        return scoring_math.is_disagreement(self.spread)


@dataclass
class CandidateBoard:
    application: Application
    assessors: list
    rows: list[CompetencyRow]
    not_submitted: list
    result: StageResult | None = None
    form: object = None

    @property
    def has_consensus(self) -> bool:
        return all(row.consensus is not None for row in self.rows)

    @property
    def rationale(self) -> str:
        return next((r.consensus.rationale for r in self.rows if r.consensus), "")

    @property
    def disagreements(self) -> int:
        return sum(row.disagreement for row in self.rows)


def stage_board(vacancy_stage: VacancyStage) -> list[CandidateBoard]:
    """For each candidate of a revealed stage: every competency with each
    assessor's submitted score (with its amendments, and flagged when its
    evidence was pasted for several candidates), the independent mean, the
    spread and the consensus, if recorded."""
    competencies = stage_competencies(vacancy_stage)
    candidates = list(stage_candidates(vacancy_stage))
    assignments = (
        Assignment.objects.filter(vacancy_stage=vacancy_stage)
        .exclude(conflict=True)
        .select_related("assessor")
        .prefetch_related(
            Prefetch(
                "scores",
                queryset=Score.objects.prefetch_related("amendments"),
            )
        )
        .order_by("assessor__full_name", "assessor__username", "pk")
    )
    by_application = defaultdict(list)
    for assignment in assignments:
        by_application[assignment.application_id].append(assignment)
    consensus = {
        (row.application_id, row.competency_id): row
        for row in Consensus.objects.filter(vacancy_stage=vacancy_stage)
    }
    results = {
        result.application_id: result
        for result in StageResult.objects.filter(vacancy_stage=vacancy_stage)
    }
    duplicates = stage_duplicate_evidence(vacancy_stage)
    boards = []
    for application in candidates:
        submitted = [a for a in by_application[application.pk] if a.is_submitted]
        scores = [
            {score.competency_id: score for score in assignment.scores.all()}
            for assignment in submitted
        ]
        for by_competency in scores:
            for score in by_competency.values():
                # Evidence its assessor wrote word for word for this many candidates.
                score.same_evidence_for = duplicates.get(score.pk)
        rows = []
        for stage_competency in competencies:
            cells = [
                by_competency.get(stage_competency.competency_id)
                for by_competency in scores
            ]
            points = [cell.point for cell in cells if cell is not None]
            rows.append(
                CompetencyRow(
                    stage_competency=stage_competency,
                    cells=cells,
                    mean=scoring_math.independent_mean(points),
                    spread=scoring_math.spread(points),
                    consensus=consensus.get(
                        (application.pk, stage_competency.competency_id)
                    ),
                )
            )
        boards.append(
            CandidateBoard(
                application=application,
                assessors=[assignment.assessor for assignment in submitted],
                rows=rows,
                not_submitted=[
                    a.assessor
                    for a in by_application[application.pk]
                    if not a.is_submitted
                ],
                result=results.get(application.pk),
            )
        )
    return boards


# What completing a stage decides.


@dataclass
class StageOutcome:
    application: Application
    points: dict[str, Point]
    total: Decimal | None
    knocked_out_on: list[str]
    knocked_out_names: list[str]
    passed: bool
    rank: int | None = None


def stage_outcomes(
    vacancy_stage: VacancyStage,
) -> tuple[list[StageOutcome], list[Application]]:
    """The result each candidate of the stage would get from the consensus
    scores, best first, and the candidates still missing a consensus on some
    competency (nothing is decided for anyone while one is missing)."""
    competencies = stage_competencies(vacancy_stage)
    weights = {sc.competency.key: sc.weight for sc in competencies}
    minimums = {sc.competency.key: sc.minimum for sc in competencies}
    names = {sc.competency.key: sc.competency.name for sc in competencies}
    key_of = {sc.competency_id: sc.competency.key for sc in competencies}
    agreed = defaultdict(dict)
    for application_id, competency_id, point in Consensus.objects.filter(
        vacancy_stage=vacancy_stage
    ).values_list("application_id", "competency_id", "point"):
        if competency_id in key_of:
            agreed[application_id][key_of[competency_id]] = point
    outcomes, missing = [], []
    for application in stage_candidates(vacancy_stage):
        points = agreed.get(application.pk, {})
        if len(points) < len(competencies):
            missing.append(application)
            continue
        total = scoring_math.weighted_total(points, weights)
        knocked = scoring_math.knock_outs(points, minimums)
        outcomes.append(
            StageOutcome(
                application=application,
                points=points,
                total=total,
                knocked_out_on=knocked,
                knocked_out_names=[names[key] for key in knocked],
                passed=scoring_math.stage_passed(
                    total, knocked, vacancy_stage.stage.pass_mark
                ),
            )
        )
    ranks = scoring_math.ranks({o.application.pk: o.total for o in outcomes})
    for outcome in outcomes:
        outcome.rank = ranks[outcome.application.pk]
    outcomes.sort(key=_by_rank)
    return outcomes, missing


def _by_rank(row) -> tuple:
    return (row.rank is None, row.rank or 0, row.application.code)


# The ranking after the last stage.


@dataclass
class RankingRow:
    application: Application
    totals: list[Decimal | None]
    overall: Decimal | None
    knocked_out_names: list[str]
    passed_last: bool
    rank: int | None = None
    decision: object = None

    @property
    def knocked_out(self) -> bool:
        return bool(self.knocked_out_names)

    @property
    def awaits_decision(self) -> bool:
        return (
            self.decision is None
            and self.passed_last
            and self.application.status == ApplicationStatus.IN_PROGRESS
        )


def ranking(vacancy: Vacancy) -> tuple[list[VacancyStage], list[RankingRow]]:
    """Candidates with a result at the vacancy's last stage, ranked by their
    overall score (the mean of their stage totals), each stage's total, any
    knock-out on the way, and their decision."""
    stages = rounds.stages_in_order(vacancy)
    if not stages:
        return stages, []
    last = stages[-1]
    results = (
        StageResult.objects.filter(
            vacancy_stage__vacancy=vacancy,
            application__in=StageResult.objects.filter(vacancy_stage=last).values(
                "application_id"
            ),
        )
        .select_related("application__decision")
        .order_by("application_id")
    )
    by_application = defaultdict(dict)
    applications = {}
    for result in results:
        by_application[result.application_id][result.vacancy_stage_id] = result
        applications[result.application_id] = result.application
    names = competency_names(vacancy)
    rows = []
    for application_id, by_stage in by_application.items():
        stage_results = [by_stage.get(stage.pk) for stage in stages]
        totals = [r.weighted_total if r else None for r in stage_results]
        knocked = list(
            dict.fromkeys(
                key for r in stage_results if r for key in (r.knocked_out_on or [])
            )
        )
        application = applications[application_id]
        rows.append(
            RankingRow(
                application=application,
                totals=totals,
                overall=scoring_math.overall_score(totals),
                knocked_out_names=[names.get(key, key) for key in knocked],
                passed_last=by_stage[last.pk].passed,
                decision=getattr(application, "decision", None),
            )
        )
    ranks = scoring_math.ranks({row.application.pk: row.overall for row in rows})
    for row in rows:
        row.rank = ranks[row.application.pk]
    rows.sort(key=_by_rank)
    return stages, rows


def competency_names(vacancy: Vacancy) -> dict[str, str]:
    """Names of the procedure's competencies, by key, in the active language."""
    return {
        competency.key: competency.name
        for competency in Competency.objects.filter(
            version_id=vacancy.procedure.framework_version_id
        )
    }


# From candidate to officer.


@dataclass(frozen=True)
class CompetencyAtSelection:
    key: str
    name: str
    mean: Decimal


@dataclass
class SelectionProfile:
    competencies: list[CompetencyAtSelection] = field(default_factory=list)

    @property
    def weakest(self) -> list[CompetencyAtSelection]:
        return self.competencies[:RECORD_TARGETS]


def selection_profile(officer) -> SelectionProfile:
    """An appointed officer's consensus scores at selection, per competency
    (the mean over the stages that assessed it), weakest first. Only agreed
    scores: no evidence, no assessor, no other candidate."""
    if officer is None or not officer.pk:
        return SelectionProfile()
    points = defaultdict(list)
    competencies = {}
    for row in (
        Consensus.objects.filter(
            application__user=officer,
            application__status=ApplicationStatus.APPOINTED,
            point__isnull=False,
        )
        .select_related("competency")
        .order_by("competency__sort_order", "pk")
    ):
        points[row.competency.key].append(row.point)
        competencies.setdefault(row.competency.key, row.competency)
    profile = [
        CompetencyAtSelection(
            key=key,
            name=competencies[key].name,
            mean=scoring_math.independent_mean(values),
        )
        for key, values in points.items()
    ]
    order = {key: position for position, key in enumerate(points)}
    profile.sort(key=lambda item: (item.mean, order[item.key]))
    return SelectionProfile(competencies=profile)
