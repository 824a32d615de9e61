"""Reads of the scoring part: an assessor's assignments, a stage's progress
(counts, never scores), identical evidence, and the seal of a set of scores.

For the panel part:
- `assessor_has_pending(user, vacancy_stage)`: the side-by-side page refuses a
  panel member who still has their own assessment of that stage to submit.
- `stage_duplicate_evidence(vacancy_stage)`: {score id: number of candidates}
  for every score of the stage whose evidence its assessor wrote word for word
  for several candidates of the vacancy, to flag on the side-by-side view (two
  queries for the whole stage). `duplicate_evidence(assignment)` is the same
  for one assessment.
"""

import hashlib
import json
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet, prefetch_related_objects

from selection import rounds
from selection.models import (
    SCALE_MAX,
    SCALE_MIN,
    Assignment,
    InterviewQuestion,
    Score,
    ScoreAmendment,
    StageCompetency,
    Vacancy,
    VacancyStage,
    VacancyStatus,
)

# Shorter evidence ("Good.", "As above") is too short to tell anything by being
# repeated; it is not flagged.
DUPLICATE_MIN_LENGTH = 20


def scale_of(competency) -> list[int]:
    """The points an assessor may give a competency: its anchored scale,
    within the 1-5 of selection."""
    points = [
        value["point"]
        for value in competency.scale_points
        if SCALE_MIN <= value["point"] <= SCALE_MAX
    ]
    return points or list(range(SCALE_MIN, SCALE_MAX + 1))


def assignment_queryset() -> QuerySet[Assignment]:
    return Assignment.objects.select_related(
        "vacancy_stage__stage", "vacancy_stage__vacancy", "application"
    )


def assignment_is_open(assignment: Assignment) -> bool:
    """Scores may still be given or amended: the vacancy is not closed and the
    panel has not moved the candidates on from the stage."""
    vacancy_stage = assignment.vacancy_stage
    return (
        vacancy_stage.completed_at is None
        and vacancy_stage.vacancy.status != VacancyStatus.CLOSED
    )


def state_of(assignment: Assignment) -> str:
    """Where an assessment stands, for the assessor's list: "withdrawn" (a
    conflict), "submitted", "closed" (the panel finished the stage without
    it), "declare" (conflict not declared yet) or "to_score"."""
    if assignment.conflict is True:
        return "withdrawn"
    if assignment.is_submitted:
        return "submitted"
    if not assignment_is_open(assignment):
        return "closed"
    return "declare" if assignment.conflict is None else "to_score"


def _active_to_do(queryset: QuerySet[Assignment]) -> QuerySet[Assignment]:
    return queryset.filter(
        ~Q(conflict=True),
        submitted_at__isnull=True,
        vacancy_stage__completed_at__isnull=True,
    ).exclude(vacancy_stage__vacancy__status=VacancyStatus.CLOSED)


def assignments_to_do(user) -> int:
    """How many assessments the user still has to declare or score."""
    return _active_to_do(Assignment.objects.filter(assessor=user)).count()


def assessor_has_pending(user, vacancy_stage: VacancyStage) -> bool:
    """The user has an assessment of this stage that is theirs (not withdrawn
    for a conflict) and not yet submitted. Such a user must not see anybody's
    scores of the stage, even on the panel and even after the reveal."""
    return (
        Assignment.objects.filter(
            vacancy_stage=vacancy_stage, assessor_id=user.pk, submitted_at__isnull=True
        )
        .exclude(conflict=True)
        .exists()
    )


@dataclass
class StageGroup:
    vacancy_stage: VacancyStage
    submitted: int
    expected: int
    assignments: list[Assignment] = field(default_factory=list)


@dataclass
class VacancyGroup:
    vacancy: Vacancy
    stages: list[StageGroup] = field(default_factory=list)


def my_assessments(user) -> list[VacancyGroup]:
    """The user's assignments by vacancy (latest first) and stage (in order),
    with each stage's progress count. Three queries whatever the number."""
    assignments = list(
        assignment_queryset()
        .filter(assessor=user)
        .order_by(
            "-vacancy_stage__vacancy__opens_on",
            "-vacancy_stage__vacancy_id",
            "vacancy_stage__stage__sort_order",
            "application__code",
        )
    )
    progress = rounds.rounds_progress({a.vacancy_stage_id for a in assignments})
    vacancies: dict[int, VacancyGroup] = {}
    stages: dict[int, StageGroup] = {}
    for assignment in assignments:
        vacancy_stage = assignment.vacancy_stage
        group = vacancies.setdefault(
            vacancy_stage.vacancy_id, VacancyGroup(vacancy_stage.vacancy)
        )
        if vacancy_stage.pk not in stages:
            stages[vacancy_stage.pk] = StageGroup(
                vacancy_stage, *progress.get(vacancy_stage.pk, (0, 0))
            )
            group.stages.append(stages[vacancy_stage.pk])
        assignment.state = state_of(assignment)
        stages[vacancy_stage.pk].assignments.append(assignment)
    return list(vacancies.values())


def panels_of(user) -> QuerySet[Vacancy]:
    """Vacancies where the user chairs or sits on the panel."""
    return (
        Vacancy.objects.exclude(status=VacancyStatus.DRAFT)
        .filter(Q(chair=user) | Q(panel=user))
        .distinct()
        .order_by("-opens_on", "-pk")
    )


def stage_material(vacancy_stage: VacancyStage) -> list[StageCompetency]:
    """What a stage assesses, in order, with each competency loaded."""
    return list(
        StageCompetency.objects.filter(stage_id=vacancy_stage.stage_id)
        .select_related("competency")
        .order_by("sort_order", "pk")
    )


def stage_questions(vacancy_stage: VacancyStage) -> dict[int, list[InterviewQuestion]]:
    """The stage's interview questions by competency id."""
    questions: dict[int, list[InterviewQuestion]] = {}
    for question in InterviewQuestion.objects.filter(
        stage_id=vacancy_stage.stage_id
    ).order_by("sort_order", "pk"):
        questions.setdefault(question.competency_id, []).append(question)
    return questions


def own_scores(assignment: Assignment) -> dict[int, Score]:
    """The assessor's scores of one assignment by competency id, with their
    amendments (and who made them). They stay on the assignment, so that
    `duplicate_evidence(assignment)` reads them again without a query."""
    prefetch_related_objects(
        [assignment],
        Prefetch(
            "scores",
            queryset=Score.objects.prefetch_related(
                Prefetch(
                    "amendments",
                    queryset=ScoreAmendment.objects.select_related(
                        "amended_by"
                    ).order_by("amended_at", "pk"),
                )
            ),
        ),
    )
    return {score.competency_id: score for score in assignment.scores.all()}


def _normalised_length(text: str) -> int:
    return len(" ".join(text.split()))


def _duplicates(scores: list[Score], vacancy_id: int) -> dict[int, int]:
    scores = [
        s for s in scores if _normalised_length(s.evidence) >= DUPLICATE_MIN_LENGTH
    ]
    if not scores:
        return {}
    counts = {
        (row["assignment__assessor_id"], row["evidence_digest"]): row["candidates"]
        for row in Score.objects.filter(
            assignment__vacancy_stage__vacancy_id=vacancy_id,
            assignment__assessor_id__in={s.assignment.assessor_id for s in scores},
            evidence_digest__in={s.evidence_digest for s in scores},
        )
        .values("assignment__assessor_id", "evidence_digest")
        .annotate(candidates=Count("assignment__application_id", distinct=True))
    }
    flagged = {}
    for score in scores:
        candidates = counts.get(
            (score.assignment.assessor_id, score.evidence_digest), 0
        )
        if candidates > 1:
            flagged[score.pk] = candidates
    return flagged


def duplicate_evidence(assignment: Assignment) -> dict[int, int]:
    """{score id: number of candidates} for this assignment's scores whose
    evidence the same assessor wrote identically (whatever its spacing or
    case) for more than one candidate of the vacancy. Evidence under 20
    characters is not flagged."""
    scores = list(assignment.scores.all())
    for score in scores:
        score.assignment = assignment
    return _duplicates(scores, assignment.vacancy_stage.vacancy_id)


def stage_duplicate_evidence(vacancy_stage: VacancyStage) -> dict[int, int]:
    """The same as `duplicate_evidence`, for every score of a stage."""
    scores = list(
        Score.objects.filter(assignment__vacancy_stage=vacancy_stage).select_related(
            "assignment"
        )
    )
    return _duplicates(scores, vacancy_stage.vacancy_id)


def scores_seal(assignment: Assignment) -> str:
    """A SHA-256 over the assignment's scores as they stand (competency, point,
    not observed, evidence digest). The audit log keeps it at each submission
    and amendment instead of the points themselves, which the administrators
    who read the log must not see before the reveal; recomputing it shows
    whether a score was changed outside the services."""
    content = [
        assignment.pk,
        sorted(
            [
                score.competency.key,
                score.point,
                score.not_observed,
                score.evidence_digest,
            ]
            for score in assignment.scores.select_related("competency")
        ),
    ]
    return hashlib.sha256(
        json.dumps(content, separators=(",", ":")).encode()
    ).hexdigest()
