"""One demo vacancy being run through the services: candidates apply, assessors
declare and score, the panel agrees and moves candidates on; then the dates
the pages show are moved back onto the vacancy's timeline."""

import datetime
import hashlib
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile

from lms.models import User
from selection import rounds
from selection.applications.selectors import almaty_today
from selection.applications.services import application_submit
from selection.demo.cv import cv_pdf
from selection.demo.plans import LENIENT, POINTS, UNFINISHED_SAVED, Plan
from selection.models import (
    Application,
    Assignment,
    Consensus,
    Decision,
    Score,
    ScoreAmendment,
    StageCompetency,
    StageResult,
    Vacancy,
    VacancyStage,
)
from selection.panel.services import consensus_record, stage_complete
from selection.scoring.services import (
    assignment_declare,
    assignment_submit,
    scores_save,
)

ALMATY = ZoneInfo("Asia/Almaty")


def day(offset: int) -> datetime.date:
    return almaty_today() + datetime.timedelta(days=offset)


def at(offset: int, minutes: int) -> datetime.datetime:
    """A moment `offset` days from today, `minutes` after 09:00, Almaty time."""
    start = datetime.datetime.combine(day(offset), datetime.time(9), tzinfo=ALMATY)
    return start + datetime.timedelta(minutes=minutes)


def _wobble(*parts: str) -> int:
    """A reproducible number from 0 to 99 for these names."""
    digest = hashlib.sha256(":".join(parts).encode()).digest()
    return int.from_bytes(digest[:4], "big") % 100


def _bucket(point: int) -> str:
    return "high" if point >= 4 else "mid" if point == 3 else "low"


def _clamp(point: int) -> int:
    return max(1, min(5, point))


@dataclass
class Run:
    """One vacancy being run: its content, its plan, the demo users, and which
    candidate of content.json each application is."""

    content: dict
    reference: str
    plan: Plan
    vacancy_data: dict
    candidates: list[dict]
    users: dict[str, User] = field(default_factory=dict)
    vacancy: Vacancy | None = None
    by_application: dict[int, dict] = field(default_factory=dict)

    @classmethod
    def start(cls, *, content: dict, reference: str, plan: Plan) -> "Run":
        return cls(
            content=content,
            reference=reference,
            plan=plan,
            vacancy_data=next(
                v for v in content["vacancies"] if v["reference"] == reference
            ),
            candidates=[c for c in content["candidates"] if c["vacancy"] == reference],
        )

    def user(self, username: str) -> User:
        if username not in self.users:
            self.users[username] = User.objects.get(username=username)
        return self.users[username]

    @property
    def chair(self) -> User:
        return self.user(self.plan.chair)

    def application(self, key: str) -> Application:
        return next(
            Application.objects.get(pk=pk)
            for pk, candidate in self.by_application.items()
            if candidate["key"] == key
        )

    # Applying.

    def apply(self) -> None:
        for candidate in self.candidates:
            headings = self.content["cv"][candidate["language"]]
            stem = candidate["email"].split("@")[0].replace(".", "-")
            application = application_submit(
                vacancy=self.vacancy,
                full_name=candidate["full_name"],
                email=candidate["email"],
                phone=candidate["phone"],
                education=candidate["education"],
                experience=candidate["experience"],
                motivation=candidate["motivation"],
                cv=SimpleUploadedFile(
                    f"cv-{stem}.pdf",
                    cv_pdf(candidate, headings),
                    content_type="application/pdf",
                ),
                consent=True,
                equality=candidate["equality"],
                language=candidate["language"],
            )
            self.by_application[application.pk] = candidate
        if self.plan.closes < 0:
            # Applications closed on their real date: the assessment follows.
            Vacancy.objects.filter(pk=self.vacancy.pk).update(
                closes_on=day(self.plan.closes)
            )
            self.vacancy.refresh_from_db()

    # Scoring.

    def points(
        self, key: str, kind: str, competency: str, assessors: list[str]
    ) -> dict[str, int]:
        """Each assessor's point for one competency of one candidate: the
        candidate's level, wobbled, and always bracketing that level so the
        consensus sits among the independent scores."""
        level = self.by_key(key)["profile"][competency]
        given = dict(POINTS.get((key, kind, competency), {}))
        for assessor in assessors:
            if assessor in given:
                continue
            roll = _wobble(key, kind, competency, assessor)
            if assessor == LENIENT:
                shift = 1 if roll < 55 else -1 if roll >= 95 else 0
            else:
                shift = -1 if roll < 10 else 1 if roll >= 90 else 0
            given[assessor] = _clamp(level + shift)
        chosen = {name: given[name] for name in assessors}
        if chosen and not min(chosen.values()) <= level <= max(chosen.values()):
            steady = next((n for n in assessors if n != LENIENT), assessors[0])
            chosen[steady] = level
        return chosen

    def by_key(self, key: str) -> dict:
        return next(c for c in self.candidates if c["key"] == key)

    def evidence(
        self,
        *,
        kind: str,
        competency: str,
        index: int,
        point: int,
        language: str,
        candidate: dict,
        position: int,
    ) -> str:
        """What the assessor wrote: what they saw at this level, and where (a
        quote of the application, a page of the written work, a time in the
        recording), so no two candidates get the same words."""
        language = "kk" if language == "kk" else "ru"
        text = self.content["evidence"][kind][competency][_bucket(point)][language]
        citation = self.content["citations"][kind][language]
        if kind == "screening":
            source = {
                "communication": candidate["motivation"],
                "self_reflection": candidate["motivation"].split(". ")[-1],
                "teamwork": candidate["experience"],
                "cultural_sensitivity": candidate["experience"].split(": ")[-1],
            }[competency]
            where = citation.format(quote=" ".join(source.split()[:7]).rstrip(".,:;"))
        elif kind == "written_test":
            page = 1 if competency in ("risk_assessment", "accountability") else 2
            where = citation.format(page=page, paragraph=position + 1 + index % 2)
        else:
            spacing = 6 if kind == "interview" else 2
            minute = 2 + spacing * index + position % 3
            second = (17 * position + 11 * index) % 60
            where = citation.format(time=f"{minute:02d}:{second:02d}")
        return f"{text} {where}"

    def stage_positions(self, vacancy_stage: VacancyStage) -> dict[int, int]:
        """Each candidate's place at the stage, in the order of content.json."""
        at_stage = set(
            vacancy_stage.assignments.values_list("application_id", flat=True)
        )
        order = [
            pk
            for pk, _c in sorted(
                self.by_application.items(),
                key=lambda item: self.candidates.index(item[1]),
            )
            if pk in at_stage
        ]
        return {pk: position for position, pk in enumerate(order)}

    def score(
        self, vacancy_stage: VacancyStage, *, unfinished: tuple[str, str] | None = None
    ) -> None:
        """Every active assessment of the stage: no conflict, a point and the
        evidence for each competency, submitted. `unfinished` (assessor,
        candidate) is declared and partly saved, not submitted."""
        kind = vacancy_stage.stage.kind
        material = list(
            StageCompetency.objects.filter(stage_id=vacancy_stage.stage_id)
            .select_related("competency")
            .order_by("sort_order", "pk")
        )
        positions = self.stage_positions(vacancy_stage)
        assignments = list(
            vacancy_stage.assignments.exclude(conflict=True)
            .select_related("assessor")
            .order_by("pk")
        )
        raters: dict[int, list[str]] = {}
        for assignment in assignments:
            raters.setdefault(assignment.application_id, []).append(
                assignment.assessor.username
            )
        for assignment in assignments:
            if assignment.is_submitted:
                continue
            candidate = self.by_application[assignment.application_id]
            assessor = assignment.assessor
            if assignment.conflict is None:
                assignment_declare(
                    assignment=assignment, actor=assessor, conflict=False
                )
            answers = {}
            for index, row in enumerate(material):
                key = row.competency.key
                point = self.points(
                    candidate["key"], kind, key, raters[assignment.application_id]
                )[assessor.username]
                answers[row.competency_id] = (
                    point,
                    False,
                    self.evidence(
                        kind=kind,
                        competency=key,
                        index=index,
                        point=point,
                        language=assessor.preferred_language,
                        candidate=candidate,
                        position=positions[assignment.application_id],
                    ),
                )
            if unfinished == (assessor.username, candidate["key"]):
                draft = dict(list(answers.items())[:UNFINISHED_SAVED])
                scores_save(assignment=assignment, actor=assessor, answers=draft)
                continue
            scores_save(assignment=assignment, actor=assessor, answers=answers)
            assignment_submit(assignment=assignment, actor=assessor)

    # Agreeing and moving on.

    def agree(
        self, vacancy_stage: VacancyStage, keys: tuple[str, ...] | None = None
    ) -> None:
        """The panel's consensus on each candidate (or those of `keys`): their
        levels, with a rationale that answers the largest disagreement."""
        language = "kk" if self.chair.preferred_language == "kk" else "ru"
        material = list(
            StageCompetency.objects.filter(stage_id=vacancy_stage.stage_id)
            .select_related("competency")
            .order_by("sort_order", "pk")
        )
        submitted: dict[tuple[int, int], list[int]] = {}
        for application_id, competency_id, point in Score.objects.filter(
            assignment__vacancy_stage=vacancy_stage,
            assignment__submitted_at__isnull=False,
            assignment__conflict=False,
        ).values_list("assignment__application_id", "competency_id", "point"):
            submitted.setdefault((application_id, competency_id), []).append(point)
        for application_id in self.stage_positions(vacancy_stage):
            candidate = self.by_application[application_id]
            if keys is not None and candidate["key"] not in keys:
                continue
            profile = candidate["profile"]
            points = {
                row.competency_id: profile[row.competency.key] for row in material
            }
            summary = ", ".join(
                f"{getattr(row.competency, f'name_{language}')} — "
                f"{profile[row.competency.key]}"
                for row in material
            )
            widest = max(
                material,
                key=lambda row: _spread(
                    submitted.get((application_id, row.competency_id))
                ),
            )
            scores = sorted(submitted.get((application_id, widest.competency_id), []))
            templates = self.content["rationale"]
            if _spread(scores) >= 2:
                rationale = templates["disagree"][language].format(
                    competency=getattr(widest.competency, f"name_{language}"),
                    points=", ".join(map(str, scores)),
                    point=profile[widest.competency.key],
                    summary=summary,
                )
            else:
                rationale = templates["agree"][language].format(summary=summary)
            consensus_record(
                vacancy_stage=vacancy_stage,
                application=Application.objects.get(pk=application_id),
                actor=self.chair,
                points=points,
                rationale=rationale,
            )

    def assess(self, vacancy_stage: VacancyStage) -> None:
        """A whole stage: scored, agreed and its candidates moved on."""
        self.score(vacancy_stage)
        self.agree(vacancy_stage)
        stage_complete(vacancy_stage=vacancy_stage, actor=self.chair)

    # The timeline.

    def move_back(self) -> None:
        """Put what happened today onto the vacancy's timeline."""
        plan = self.plan
        vacancy = self.vacancy
        Vacancy.objects.filter(pk=vacancy.pk).update(
            opens_on=day(plan.opens), closes_on=day(plan.closes)
        )
        applied_days = max(plan.closes if plan.closes < 0 else 0, plan.opens + 2)
        span = max(applied_days - plan.opens - 1, 1)
        for number, pk in enumerate(sorted(self.by_application)):
            moment = at(
                plan.opens + 1 + number * span // len(self.by_application),
                (number * 97) % 480,
            )
            Application.objects.filter(pk=pk).update(
                submitted_at=moment, consent_at=moment
            )
        for vacancy_stage in rounds.stages_in_order(vacancy):
            days = plan.stage_days.get(vacancy_stage.stage.kind)
            if days is not None:
                _stage_move_back(vacancy_stage, *days)
        if plan.decided is not None:
            moment = at(plan.decided, 120)
            Decision.objects.filter(application__vacancy=vacancy).update(
                decided_at=moment, notified_at=moment
            )
        if plan.closed is not None:
            Vacancy.objects.filter(pk=vacancy.pk).update(closed_at=at(plan.closed, 60))


def _spread(points: list[int] | None) -> int:
    return max(points) - min(points) if points else 0


def _stage_move_back(vacancy_stage: VacancyStage, first: int, last: int) -> None:
    """Assessments from the first day to the day before the last, the reveal
    with the last score (or the chair's early close), consensus and results
    on the last day."""
    span = max(last - first, 1)
    latest = at(first, 0)
    for number, assignment in enumerate(vacancy_stage.assignments.order_by("pk")):
        declared = at(first + number % span, (number * 53) % 420)
        submitted = declared + datetime.timedelta(minutes=45)
        Assignment.objects.filter(pk=assignment.pk).update(
            created_at=at(first, 0),
            declared_at=declared if assignment.declared_at else None,
            submitted_at=submitted if assignment.submitted_at else None,
        )
        moment = submitted if assignment.submitted_at else declared
        Score.objects.filter(assignment=assignment).update(updated_at=moment)
        ScoreAmendment.objects.filter(score__assignment=assignment).update(
            amended_at=at(last, 30)
        )
        if assignment.submitted_at:
            latest = max(latest, submitted)
    if vacancy_stage.revealed_at is not None:
        revealed = at(last - 1, 540) if vacancy_stage.closed_early else latest
        VacancyStage.objects.filter(pk=vacancy_stage.pk).update(revealed_at=revealed)
    Consensus.objects.filter(vacancy_stage=vacancy_stage).update(
        recorded_at=at(last, 90)
    )
    if vacancy_stage.completed_at is not None:
        VacancyStage.objects.filter(pk=vacancy_stage.pk).update(
            completed_at=at(last, 360)
        )
        StageResult.objects.filter(vacancy_stage=vacancy_stage).update(
            decided_at=at(last, 360)
        )
