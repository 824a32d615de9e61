"""The selection demo that `seed_demo` writes: a procedure with four stages on
the approved framework, a closed vacancy with its decisions, a vacancy in
assessment with its candidates at different stages, and one open for
applications, all made through the services a user's actions call.

The demo takes a while to build, so it is built once for the module (inside
a transaction rolled back at the end) and each test reads it in its own.

Bad inputs tried: seed_demo run a second time (nothing is added, not even an
audit entry); the seed run without the core's framework version (it says so
and writes nothing); every score's evidence checked for text pasted for
several candidates (none); the procedure checked by the champions' design
warnings (none).
"""

import datetime
import io
import re
from collections import Counter

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import TestCase
from django.utils import timezone, translation

import selection.demo  # noqa: F401  (registers the seeder, as selection.apps will)
from lms.audit import audit_chain_breaks
from lms.models import AuditEntry, User
from lms.registry import demo_seeders
from selection.applications.selectors import almaty_today, application_refusal
from selection.applications.services import application_retention_ends
from selection.demo import seed as demo
from selection.design.checks import procedure_warnings
from selection.models import (
    Application,
    ApplicationStatus,
    Assignment,
    Consensus,
    Decision,
    EqualityResponse,
    InterviewQuestion,
    Outcome,
    Procedure,
    Score,
    ScoreAmendment,
    Stage,
    StageCompetency,
    StageKind,
    StageResult,
    Vacancy,
    VacancyStage,
    VacancyStatus,
)
from selection.panel import scoring_math
from selection.reports.selectors import vacancy_report
from selection.reports.statistics import Impact
from selection.scoring.selectors import assignment_is_open, stage_duplicate_evidence

pytestmark = pytest.mark.django_db

KAZAKH_LETTERS = re.compile("[әғқңөұүһі]", re.IGNORECASE)
COUNTED = (
    Procedure,
    Stage,
    StageCompetency,
    InterviewQuestion,
    Vacancy,
    VacancyStage,
    Application,
    EqualityResponse,
    Assignment,
    Score,
    ScoreAmendment,
    Consensus,
    StageResult,
    Decision,
    AuditEntry,
)


def only_selection_seeder(monkeypatch) -> None:
    """seed_demo with the core and this module's seeder only: the course pages
    are slow and not needed here."""
    monkeypatch.setattr(
        demo_seeders,
        "_items",
        {seeder.key: seeder for seeder in demo_seeders if seeder.key == "selection"},
    )


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """seed_demo on an empty database, once for the module: its output and the
    e-mails it sent (tasks run eagerly once the seed's transaction commits)."""
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as monkeypatch:
        only_selection_seeder(monkeypatch)
        outer = transaction.atomic()
        outer.__enter__()
        try:
            mail.outbox = []
            out = io.StringIO()
            with TestCase.captureOnCommitCallbacks(execute=True):
                call_command("seed_demo", stdout=out)
            yield {"output": out.getvalue(), "mail": list(mail.outbox)}
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def vacancy(reference: str) -> Vacancy:
    return Vacancy.objects.get(reference=reference)


def stage(reference: str, kind: str) -> VacancyStage:
    return VacancyStage.objects.get(vacancy__reference=reference, stage__kind=kind)


def test_seed_demo_says_what_it_made_and_who_to_sign_in_as(seeded):
    output = seeded["output"]
    for reference in ("astana-2026-07", "almaty-2026-12", "almaty-2026-15"):
        assert reference in output
    assert "champion.almaty" in output
    assert "assessor.almaty" in output


def test_running_seed_demo_again_adds_nothing(seeded, monkeypatch):
    only_selection_seeder(monkeypatch)
    before = counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert counts() == before


def test_without_the_framework_the_seed_says_so_and_writes_nothing(seeded, monkeypatch):
    monkeypatch.setattr(demo, "VERSION", {"label": "1999.1"})
    before = counts()
    out = io.StringIO()
    demo.seed(out)
    assert "skipped" in out.getvalue()
    assert counts() == before


def test_the_procedure_has_four_stages_weighing_100_each_and_no_warning(seeded):
    procedure = Procedure.objects.get(title_en=demo.PROCEDURE_TITLE)
    assert procedure.framework_version.label == "2026.1"
    stages = list(procedure.stages.order_by("sort_order"))
    assert [s.kind for s in stages] == [
        StageKind.SCREENING,
        StageKind.WRITTEN_TEST,
        StageKind.INTERVIEW,
        StageKind.ROLE_PLAY,
    ]
    for each in stages:
        assert sum(row.weight for row in each.competencies.all()) == 100
        assert all(getattr(each, f"name_{code}") for code in ("kk", "ru", "en"))
        assert all(getattr(each, f"instructions_{code}") for code in ("kk", "ru", "en"))
    assert procedure_warnings(procedure) == []
    minimums = {
        (row.stage.kind, row.competency.key): row.minimum
        for row in StageCompetency.objects.filter(
            stage__procedure=procedure, minimum__isnull=False
        ).select_related("stage", "competency")
    }
    assert minimums == {
        (StageKind.INTERVIEW, "integrity"): 3,
        (StageKind.ROLE_PLAY, "respect_humanity"): 3,
    }
    interview, role_play = stages[2], stages[3]
    assessed = set(interview.competencies.values_list("competency_id", flat=True))
    asked = set(interview.questions.values_list("competency_id", flat=True))
    assert asked == assessed
    for question in interview.questions.all():
        for code in ("kk", "ru", "en"):
            assert getattr(question, f"question_{code}")
            assert getattr(question, f"good_answer_{code}")
    for code in ("kk", "ru", "en"):
        assert getattr(role_play, f"scenario_{code}")
        assert getattr(role_play, f"actor_brief_{code}")


def test_the_open_vacancy_is_on_the_public_page_and_takes_applications(
    seeded, client, lang_url
):
    open_vacancy = vacancy("almaty-2026-15")
    assert open_vacancy.status == VacancyStatus.OPEN
    assert application_refusal(open_vacancy) is None
    assert open_vacancy.opens_on < almaty_today() < open_vacancy.closes_on
    assert open_vacancy.applications.count() == 2
    listing = client.get(lang_url("selection:vacancies", "en"))
    assert listing.status_code == 200
    assert "Probation officer (Bostandyk district, young people)" in listing.text
    apply_url = lang_url(
        "selection:apply", "en", kwargs={"reference": "almaty-2026-15"}
    )
    assert client.get(apply_url).status_code == 200


def test_almaty_candidates_are_at_different_stages(seeded):
    almaty = vacancy("almaty-2026-12")
    assert almaty.status == VacancyStatus.ASSESSING
    where = Counter(
        (application.current_stage.stage.kind, application.status)
        for application in almaty.applications.select_related("current_stage__stage")
    )
    assert where == {
        (StageKind.SCREENING, ApplicationStatus.NOT_PASSED): 3,
        (StageKind.WRITTEN_TEST, ApplicationStatus.NOT_PASSED): 2,
        (StageKind.INTERVIEW, ApplicationStatus.IN_PROGRESS): 6,
    }


def test_the_demo_assessor_finds_the_candidate_left_to_score(seeded, client, lang_url):
    assessor = User.objects.get(username="assessor.almaty")
    unfinished = Assignment.objects.get(
        assessor=assessor, submitted_at__isnull=True, conflict=False
    )
    client.force_login(assessor)
    home = client.get(lang_url("selection:home", "kk"))
    assert home.status_code == 200
    page_url = lang_url("selection:assignment", "kk", kwargs={"pk": unfinished.pk})
    assert page_url in home.text
    assert client.get(page_url).status_code == 200


def test_the_demo_chair_sees_the_interview_scores_and_the_reports(
    seeded, client, lang_url
):
    interview = stage("almaty-2026-12", StageKind.INTERVIEW)
    client.force_login(interview.vacancy.chair)
    for name, kwargs in (
        ("selection:panel", {"pk": interview.vacancy_id}),
        (
            "selection:panel_stage",
            {"pk": interview.vacancy_id, "stage_pk": interview.pk},
        ),
        ("selection:ranking", {"pk": interview.vacancy_id}),
        ("selection:reports", {"pk": interview.vacancy_id}),
    ):
        assert client.get(lang_url(name, "ru", kwargs=kwargs)).status_code == 200, name


def test_almaty_interview_has_a_conflict_an_early_close_and_a_disagreement(seeded):
    interview = stage("almaty-2026-12", StageKind.INTERVIEW)
    assert interview.is_revealed and interview.closed_early
    assert interview.completed_at is None
    conflict = Assignment.objects.get(vacancy_stage=interview, conflict=True)
    assert conflict.assessor.username == "assessor.almaty"
    assert conflict.conflict_note
    raters = set(
        Assignment.objects.filter(
            vacancy_stage=interview, application=conflict.application
        )
        .exclude(conflict=True)
        .values_list("assessor__username", flat=True)
    )
    assert raters == {"assessor.almaty-region", "assessor.astana"}
    unfinished = Assignment.objects.get(
        vacancy_stage=interview, submitted_at__isnull=True, conflict=False
    )
    assert unfinished.assessor.username == "assessor.almaty"
    assert assignment_is_open(unfinished)
    assert 0 < unfinished.scores.count() < interview.stage.competencies.count()
    agreed = set(
        Consensus.objects.filter(vacancy_stage=interview).values_list(
            "application_id", flat=True
        )
    )
    assert len(agreed) == 3
    spreads = {}
    for application_id, key, point in Score.objects.filter(
        assignment__vacancy_stage=interview, assignment__submitted_at__isnull=False
    ).values_list("assignment__application_id", "competency__key", "point"):
        spreads.setdefault((application_id, key), []).append(point)
    waiting = [
        pair
        for pair, points in spreads.items()
        if scoring_math.is_disagreement(scoring_math.spread(points))
        and pair[0] not in agreed
    ]
    assert waiting, "a disagreement waits for the panel"


def test_the_closed_vacancy_has_its_decisions_and_its_retention_running(seeded):
    closed = vacancy("astana-2026-07")
    assert closed.status == VacancyStatus.CLOSED
    days_ago = (timezone.now() - closed.closed_at).days
    assert 25 <= days_ago <= 35
    outcomes = sorted(
        Decision.objects.filter(application__vacancy=closed).values_list(
            "outcome", flat=True
        )
    )
    assert outcomes == sorted([Outcome.APPOINT, Outcome.RESERVE, Outcome.REJECT])
    assert all(d.reasons for d in Decision.objects.filter(application__vacancy=closed))
    statuses = sorted(closed.applications.values_list("status", flat=True))
    assert statuses == sorted(
        [
            ApplicationStatus.APPOINTED,
            ApplicationStatus.RESERVE,
            ApplicationStatus.REJECTED,
            *[ApplicationStatus.NOT_PASSED] * 3,
        ]
    )
    (knocked_out,) = [
        result
        for result in StageResult.objects.filter(vacancy_stage__vacancy=closed)
        if result.knocked_out_on
    ]
    assert knocked_out.knocked_out_on == ["integrity"]
    assert knocked_out.vacancy_stage.stage.kind == StageKind.INTERVIEW
    assert not knocked_out.passed
    amendment = ScoreAmendment.objects.get(
        score__assignment__vacancy_stage__vacancy=closed
    )
    assert amendment.reason and amendment.point_before != amendment.point
    ends = application_retention_ends(closed.applications.first())
    assert ends - timezone.now() > datetime.timedelta(days=300)


def test_the_timeline_is_plausible(seeded):
    for reference in ("astana-2026-07", "almaty-2026-12", "almaty-2026-15"):
        each = vacancy(reference)
        assert each.opens_on < each.closes_on
        for application in each.applications.all():
            assert each.opens_on <= timezone.localdate(application.submitted_at)
            assert timezone.localdate(application.submitted_at) <= each.closes_on
        previous = each.closes_on
        for vacancy_stage in each.stages.filter(revealed_at__isnull=False).order_by(
            "stage__sort_order"
        ):
            revealed = timezone.localdate(vacancy_stage.revealed_at)
            assert previous <= revealed <= almaty_today()
            previous = revealed
    closed = vacancy("astana-2026-07")
    decided = Decision.objects.filter(application__vacancy=closed).first().decided_at
    assert decided < closed.closed_at < timezone.now()


def test_no_evidence_is_flagged_as_pasted_for_several_candidates(seeded):
    for vacancy_stage in VacancyStage.objects.filter(assignments__isnull=False):
        assert stage_duplicate_evidence(vacancy_stage) == {}


def test_assessors_write_their_evidence_in_their_own_language(seeded):
    for language, assessor in (("kk", "assessor.almaty"), ("ru", "assessor.astana")):
        assert User.objects.get(username=assessor).preferred_language == language
        evidence = list(
            Score.objects.filter(assignment__assessor__username=assessor).values_list(
                "evidence", flat=True
            )
        )
        assert evidence
        kazakh = [bool(KAZAKH_LETTERS.search(text)) for text in evidence]
        if language == "kk":
            assert all(kazakh)
        else:
            # Screening evidence may quote a Kazakh application.
            assert sum(kazakh) < len(kazakh) / 4


def test_the_reports_show_a_lenient_assessor_and_an_adverse_impact_check(seeded):
    report = vacancy_report(vacancy("almaty-2026-12"), with_equality=True)
    leniency = {row.assessor.username: row.figures for row in report.leniency}
    lenient = leniency.pop("assessor.almaty-region")
    assert lenient.mean_difference > 0.3
    assert all(
        other.mean_difference < lenient.mean_difference - 0.3
        for other in leniency.values()
    )
    gender = next(table for table in report.equality if table.key == "gender")
    screening = gender.steps[0]
    findings = {str(row.group): row.finding for row in screening.rows}
    assert findings == {"Woman": Impact.NOT_ADVERSE, "Man": Impact.ADVERSE}


def test_every_candidate_got_the_emails_real_use_sends(seeded):
    sent = seeded["mail"]

    def to(application):
        return [m for m in sent if m.to == [application.email]]

    applications = list(Application.objects.select_related("vacancy"))
    assert len(applications) == 19
    for application in applications:
        receipts = [m for m in to(application) if application.access_token in m.body]
        assert len(receipts) == 1, application.email
        assert application.code in receipts[0].body
    told = Application.objects.filter(
        status__in=[
            ApplicationStatus.NOT_PASSED,
            ApplicationStatus.APPOINTED,
            ApplicationStatus.RESERVE,
            ApplicationStatus.REJECTED,
        ]
    )
    assert told.count() == 3 + 5 + 3
    for application in told:
        assert len(to(application)) == 2, application.email
    assert all(d.notified_at for d in Decision.objects.all())


def test_the_audit_chain_is_intact_and_holds_every_decision(seeded):
    assert list(audit_chain_breaks()) == []
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "selection.application.submit",
        "selection.conflict.declare",
        "selection.score.submit",
        "selection.score.amend",
        "selection.round.close",
        "selection.consensus.record",
        "selection.stage.complete",
        "selection.decision.record",
        "selection.vacancy.close",
    } <= actions
