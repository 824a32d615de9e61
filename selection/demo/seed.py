"""Demo selection for `make run`, built on the core's demo (offices, users, the
approved framework 2026.1).

What it makes:
- The procedure «Selecting probation officers (EPR 22)»: application
  screening, a written case analysis, a structured interview and a role-play,
  each with weights adding up to 100, a knock-out minimum on integrity at the
  interview and on respect and humanity at the role-play, every competency
  assessed by two methods at least; interview questions with what a good
  answer shows, the role-play scenario and the actor's brief. The champions
  write these rows in the admin, so they are written directly here.
- astana-2026-07 (Yesil, one post): closed about a month ago, with its
  retention clock running. All four stages were run: one candidate did not
  pass the screening, one the written test, one was knocked out on integrity
  at the interview; of the three left one is appointed, one on the reserve
  list and one rejected.
- almaty-2026-12 (Almaly, two posts): in assessment, its candidates at
  different stages: screening and written test done (five did not pass), the
  interview under way. There one assessor declared a conflict of interest and
  the candidate went to a third assessor, named for the stage meanwhile; the
  chair closed the round early because one assessor had a candidate left, who
  can still be scored (a late score joins what the panel sees); the panel has
  agreed on three candidates, and a disagreement (a spread of 2) waits for it.
- almaty-2026-15 (Bostandyk, one post): open for applications, two so far.
  The issue asks for "one open vacancy in Almaty with candidates at different
  stages", but a vacancy stops taking applications when its assessment starts
  and its candidates move through the stages together; so one Almaty vacancy
  shows the assessment and another the public application form.

Everything a person does goes through the services (vacancy_open,
application_submit with a small PDF CV, assignment_declare, scores_save,
assignment_submit, score_amend, round_close, consensus_record,
stage_complete, decision_record, vacancy_close), so the audit entries,
results, notifications and e-mails are those of real use. The services run
today; afterwards the dates the pages show (the vacancies' dates, when
candidates applied, were assessed and moved on, the decisions, the closing)
are moved back onto a plausible timeline. The audit log is not: it is
append-only and hash-chained, and records when the demo was seeded.

The scores: each candidate has a level per competency (content.json), which
is also the panel's consensus. An assessor's point is that level moved by a
fixed, reproducible wobble; assessor.almaty-region is lenient (about half of
their points one higher), so the reports show a leniency and some
disagreement. A few points are set by hand: a disagreement at each vacancy
and a score that its assessor amends with a reason. The equality answers give
the Almaty screening groups of five and more, so the four-fifths rule has
something to say.

Running it again changes nothing: the procedure is found by its English
title and each vacancy by its reference.
"""

import json
from pathlib import Path

from django.db import transaction
from django.db.models import Count

from lms.demo.framework import VERSION
from lms.models import FrameworkVersion, Office
from selection import rounds
from selection.demo.plans import (
    AGREED_AT_INTERVIEW,
    ALMATY_VACANCY,
    AMENDED,
    ASTANA_VACANCY,
    CONFLICTED,
    JOINS_INTERVIEW,
    PLANS,
    PROCEDURE_TITLE,
    RETENTION_MONTHS,
    UNFINISHED,
)
from selection.demo.procedure import procedure_seed, translated
from selection.demo.run import Run, day
from selection.design.services import (
    vacancy_assessors_set,
    vacancy_close,
    vacancy_open,
    vacancy_stages_sync,
    vacancy_start_assessment,
)
from selection.models import (
    Assignment,
    Outcome,
    Procedure,
    Score,
    Vacancy,
    VacancyStage,
    VacancyStatus,
)
from selection.panel.services import decision_record, stage_complete
from selection.rounds import round_close
from selection.scoring.services import assignment_declare, score_amend

CONTENT = Path(__file__).parent / "content.json"


def load_content() -> dict:
    return json.loads(CONTENT.read_text(encoding="utf-8"))


def seed(stdout) -> None:
    content = load_content()
    version = FrameworkVersion.objects.filter(label=VERSION["label"]).first()
    if version is None:
        stdout.write("Selection demo skipped: the framework 2026.1 is not there.")
        return
    with transaction.atomic():
        procedure = procedure_seed(content=content, version=version)
        for reference, plan in PLANS.items():
            if Vacancy.objects.filter(reference=reference).exists():
                continue
            run = Run.start(content=content, reference=reference, plan=plan)
            run.vacancy = vacancy_seed(run=run, procedure=procedure)
            run.apply()
            if reference == ASTANA_VACANCY:
                run_closed(run)
            elif reference == ALMATY_VACANCY:
                run_in_assessment(run)
            run.move_back()
    summary_write(stdout)


# -- A vacancy ---------------------------------------------------------------


def vacancy_seed(*, run: Run, procedure: Procedure) -> Vacancy:
    """Draft the vacancy as an administrator does, name its assessors and open
    it. Applications are taken today, so it closes today for now."""
    data = run.vacancy_data
    plan = run.plan
    administrator = run.user(plan.administrator)
    vacancy = Vacancy(
        reference=run.reference,
        office=Office.objects.get(code=data["office"]),
        posts=data["posts"],
        opens_on=day(plan.opens),
        closes_on=day(max(plan.closes, 0)),
        procedure=procedure,
        chair=run.user(plan.chair),
        retention_months=RETENTION_MONTHS,
        created_by=administrator,
        **translated("title", data["title"]),
        **translated("description", data["description"]),
    )
    vacancy.full_clean()
    vacancy.save()
    vacancy.panel.set([run.user(plan.chair), *map(run.user, plan.panel)])
    stages = vacancy_stages_sync(vacancy=vacancy)
    vacancy_assessors_set(
        vacancy=vacancy,
        assessors={
            vacancy_stage.pk: [
                run.user(name) for name in plan.assessors[vacancy_stage.stage.kind]
            ]
            for vacancy_stage in stages
        },
        actor=administrator,
    )
    return vacancy_open(vacancy=vacancy, actor=administrator)


# -- The two vacancies in assessment ------------------------------------------


def run_closed(run: Run) -> None:
    """Astana: every stage done, an amended score, the decisions, closed."""
    vacancy = run.vacancy
    vacancy_start_assessment(vacancy=vacancy, actor=run.user(run.plan.administrator))
    for vacancy_stage in rounds.stages_in_order(vacancy):
        run.score(vacancy_stage)
        if vacancy_stage.stage.kind == "written_test":
            _amend(run, vacancy_stage)
        run.agree(vacancy_stage)
        stage_complete(vacancy_stage=vacancy_stage, actor=run.chair)
    for candidate in run.candidates:
        if "decision" not in candidate:
            continue
        decision_record(
            application=run.application(candidate["key"]),
            actor=run.chair,
            outcome=Outcome(candidate["decision"]["outcome"]),
            reasons=candidate["decision"]["reasons"],
        )
    vacancy_close(vacancy=vacancy, actor=run.user(run.plan.administrator))


def _amend(run: Run, vacancy_stage: VacancyStage) -> None:
    assessor_name, key, competency = AMENDED
    assessor = run.user(assessor_name)
    score = Score.objects.get(
        assignment__vacancy_stage=vacancy_stage,
        assignment__assessor=assessor,
        assignment__application=run.application(key),
        competency__key=competency,
    )
    text = run.content["amendment"][
        "kk" if assessor.preferred_language == "kk" else "ru"
    ]
    score_amend(
        score=score,
        actor=assessor,
        point=run.by_key(key)["profile"][competency],
        not_observed=False,
        evidence=text["evidence"],
        reason=text["reason"],
    )


def run_in_assessment(run: Run) -> None:
    """Almaly: screening and written test done; the interview closed early by
    the chair with one candidate left to score, a conflict passed on, and the
    consensus half-way."""
    vacancy = run.vacancy
    administrator = run.user(run.plan.administrator)
    vacancy_start_assessment(vacancy=vacancy, actor=administrator)
    screening, written, interview, _role_play = rounds.stages_in_order(vacancy)
    run.assess(screening)
    run.assess(written)
    interview.refresh_from_db()
    vacancy_assessors_set(
        vacancy=vacancy,
        assessors={
            interview.pk: [*interview.assessors.all(), run.user(JOINS_INTERVIEW)]
        },
        actor=administrator,
    )
    assessor_name, key = CONFLICTED
    language = run.user(assessor_name).preferred_language
    assignment_declare(
        assignment=Assignment.objects.get(
            vacancy_stage=interview,
            assessor=run.user(assessor_name),
            application=run.application(key),
        ),
        actor=run.user(assessor_name),
        conflict=True,
        note=run.content["conflict_note"]["kk" if language == "kk" else "ru"],
    )
    run.score(interview, unfinished=UNFINISHED)
    round_close(vacancy_stage=interview, actor=run.chair)
    run.agree(interview, keys=AGREED_AT_INTERVIEW)


# -- What to tell whoever runs the demo ----------------------------------------


def summary_write(stdout) -> None:
    vacancies = {
        vacancy.reference: vacancy
        for vacancy in Vacancy.objects.filter(reference__in=PLANS)
        .select_related("chair")
        .annotate(candidates=Count("applications"))
    }
    if not vacancies:
        return
    stdout.write(f"Selection: the procedure «{PROCEDURE_TITLE}», four stages.")
    labels = {
        VacancyStatus.OPEN: "open for applications",
        VacancyStatus.ASSESSING: "in assessment",
        VacancyStatus.CLOSED: "closed, with decisions",
    }
    for reference in PLANS:
        vacancy = vacancies.get(reference)
        if vacancy is not None:
            status = labels.get(vacancy.status, vacancy.status)
            stdout.write(
                f"  {reference:<15} {status}: {vacancy.candidates} candidates "
                f"(chair: {vacancy.chair.username})"
            )
    stdout.write(
        f"  Sign in as {PLANS[ALMATY_VACANCY].chair} to agree the interview "
        f"consensus of {ALMATY_VACANCY}, or as {UNFINISHED[0]} to score the "
        "candidate left."
    )
