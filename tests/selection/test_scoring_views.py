"""The assessor's pages as assessors use them: "My assessments", declaring a
conflict, scoring with drafts, submitting, the locked scores and their
amendments; who may open them; what they never show (another assessor's
scores, any average, a written candidate's name); and their query counts.

Bad inputs tried: points 0, 6 and "x" posted (as a draft and on submission);
submitting with a competency's evidence missing; a conflict without a note (at
step 1 and while scoring); no answer to the conflict question; a draft posted
after submitting; an amendment without a reason or changing nothing, and one
asked for before submitting; someone else's assessment opened (and posted to)
by another assessor, an administrator, a superuser, a panel member and an
anonymous visitor; a withdrawn assessment opened by its assessor.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from lms.models import AuditEntry, FrameworkVersion, Notification
from lms.roles import Role
from selection import rounds
from selection.models import (
    InterviewQuestion,
    ScoreAmendment,
    StageKind,
    VacancyStatus,
)
from selection.scoring import selectors, services
from tests.lms.factories import UserFactory
from tests.selection.factories import (
    ApplicationFactory,
    procedure_with_stages,
    vacancy_with_panel,
)

pytestmark = pytest.mark.django_db

EVIDENCE = "Told how he kept a client on the programme after a relapse."


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def setup_stage(
    *, kinds=(StageKind.INTERVIEW,), competencies=3, assessors=2, candidates=1
):
    # One current framework at a time: a test measuring two sizes builds twice.
    FrameworkVersion.objects.update(is_current=False)
    vacancy = vacancy_with_panel(
        assessors,
        procedure=procedure_with_stages(kinds, competencies),
        status=VacancyStatus.ASSESSING,
    )
    vacancy_stage = rounds.stages_in_order(vacancy)[0]
    applications = [
        ApplicationFactory(vacancy=vacancy, full_name=f"Ерлан Жандосов {n}")
        for n in range(candidates)
    ]
    rounds.candidates_enter_stage(
        vacancy_stage=vacancy_stage, applications=applications
    )
    return vacancy, vacancy_stage, applications


def competencies_of(vacancy_stage):
    return [item.competency for item in selectors.stage_material(vacancy_stage)]


def url(name, *args) -> str:
    return reverse(f"selection:{name}", args=args)


def html_of(response) -> str:
    return response.content.decode()


def answers(vacancy_stage, points, evidence=EVIDENCE) -> dict:
    data = {}
    for competency, point in zip(competencies_of(vacancy_stage), points, strict=True):
        data[f"point-{competency.pk}"] = "" if point is None else str(point)
        data[f"evidence-{competency.pk}"] = evidence
    return data


def declare_no_conflict(client, assignment):
    response = client.post(url("assignment_declare", assignment.pk), {"conflict": "no"})
    assert response.status_code == 302


# The whole flow ------------------------------------------------------------------


def test_an_assessor_declares_drafts_submits_and_amends(client):
    _vacancy, vacancy_stage, (candidate,) = setup_stage(competencies=2)
    assignment = vacancy_stage.assignments.order_by("pk").first()
    first, second = competencies_of(vacancy_stage)
    client.force_login(assignment.assessor)

    # Step 1: the declaration comes first; no scale is shown yet.
    html = html_of(client.get(url("assignment", assignment.pk)))
    assert gettext("Step 1: conflict of interest") in html
    assert f'name="point-{first.pk}"' not in html
    declare_no_conflict(client, assignment)

    # Step 2: the anchored scale and "not observed" as its own answer.
    html = html_of(client.get(url("assignment", assignment.pk)))
    assert candidate.full_name in html
    assert 'value="not_observed"' in html
    assert "Anchor 5" in html
    assert f'name="evidence-{first.pk}"' in html

    # A partial draft.
    response = client.post(
        url("assignment", assignment.pk),
        {
            f"point-{first.pk}": "4",
            f"evidence-{first.pk}": "",
            f"evidence-{second.pk}": "",
        },
    )
    assert response.status_code == 302
    html = html_of(client.get(url("assignment", assignment.pk)))
    assert re.search(r'value="4"\s+checked', html)

    # Submit: the rest is typed and submitted in one go.
    response = client.post(
        url("assignment_submit", assignment.pk),
        {
            f"point-{first.pk}": "4",
            f"evidence-{first.pk}": EVIDENCE,
            f"point-{second.pk}": "not_observed",
            f"evidence-{second.pk}": "Looked for any mention of the victim.",
        },
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.is_submitted

    # Locked: the scores are shown, no form to change them, an Amend link each.
    html = html_of(client.get(url("assignment", assignment.pk)))
    assert f'name="point-{first.pk}"' not in html
    assert EVIDENCE in html
    score = assignment.scores.get(competency=first)
    assert url("score_amend", score.pk) in html

    # A draft posted from a stale page is refused; nothing changes.
    response = client.post(
        url("assignment", assignment.pk), answers(vacancy_stage, [1, 1])
    )
    assert gettext("This score is locked; amend it with a reason.") in html_of(response)
    score.refresh_from_db()
    assert score.point == 4

    # The amendment, with a reason; the original stays visible.
    response = client.post(
        url("score_amend", score.pk),
        {
            "point": "3",
            "evidence": "Told how he kept a client on the programme, with help.",
            "reason": "I overlooked that his supervisor did most of it.",
        },
    )
    assert response.status_code == 302
    score.refresh_from_db()
    assert score.point == 3
    html = html_of(client.get(url("assignment", assignment.pk)))
    assert gettext("Original score:") in html
    assert EVIDENCE in html
    assert "I overlooked that his supervisor did most of it." in html
    assert "Amended on" in html
    assert assignment.assessor.get_full_name() in html
    assert set(
        AuditEntry.objects.filter(action__startswith="selection.").values_list(
            "action", flat=True
        )
    ) >= {
        "selection.conflict.declare",
        "selection.score.submit",
        "selection.score.amend",
    }


def test_an_amendment_without_a_reason_or_a_change_is_refused_and_keeps_what_was_typed(
    client,
):
    _vacancy, vacancy_stage, _apps = setup_stage(competencies=1)
    assignment = vacancy_stage.assignments.first()
    client.force_login(assignment.assessor)
    declare_no_conflict(client, assignment)
    client.post(url("assignment_submit", assignment.pk), answers(vacancy_stage, [2]))
    score = assignment.scores.get()

    response = client.post(
        url("score_amend", score.pk), {"point": "5", "evidence": "New evidence here."}
    )
    html = html_of(response)
    assert gettext("Give the reason for the amendment.") in html
    assert "New evidence here." in html
    assert re.search(r'value="5"\s+checked', html)

    response = client.post(
        url("score_amend", score.pk),
        {"point": "2", "evidence": EVIDENCE, "reason": "Just checking."},
    )
    assert gettext(
        "Nothing would change: change the score or the evidence, or leave the score as "
        "it is."
    ) in html_of(response)
    assert not ScoreAmendment.objects.exists()


def test_an_amendment_before_submitting_is_sent_back_to_the_assessment(client):
    _vacancy, vacancy_stage, _apps = setup_stage(competencies=1)
    assignment = vacancy_stage.assignments.first()
    client.force_login(assignment.assessor)
    declare_no_conflict(client, assignment)
    client.post(url("assignment", assignment.pk), answers(vacancy_stage, [2]))
    score = assignment.scores.get()
    response = client.get(url("score_amend", score.pk), follow=True)
    assert response.redirect_chain[-1][0] == url("assignment", assignment.pk)
    assert gettext(
        "This score is not submitted yet: change it on the assessment page."
    ) in html_of(response)


# Bad scores ----------------------------------------------------------------------


@pytest.mark.parametrize("point", ["0", "6", "x"])
@pytest.mark.parametrize("action", ["assignment", "assignment_submit"])
def test_a_point_outside_the_scale_is_refused_and_nothing_is_lost(
    client, point, action
):
    _vacancy, vacancy_stage, _apps = setup_stage(competencies=2)
    assignment = vacancy_stage.assignments.first()
    first, second = competencies_of(vacancy_stage)
    client.force_login(assignment.assessor)
    declare_no_conflict(client, assignment)
    client.post(url("assignment", assignment.pk), answers(vacancy_stage, [2, 2]))

    response = client.post(
        url(action, assignment.pk),
        {
            f"point-{first.pk}": point,
            f"evidence-{first.pk}": "Typed again, not to be lost.",
            f"point-{second.pk}": "5",
            f"evidence-{second.pk}": "A second answer, not to be lost.",
        },
    )

    assert response.status_code == 200
    html = html_of(response)
    assert (
        gettext("Choose a point of the scale, %(min)s to %(max)s, or “Not observed”.")
        % {"min": 1, "max": 5}
        in html
    )
    assert "Typed again, not to be lost." in html
    assert "A second answer, not to be lost." in html
    assert re.search(r'value="5"\s+checked', html)
    assignment.refresh_from_db()
    assert not assignment.is_submitted
    assert sorted(assignment.scores.values_list("point", "evidence")) == [
        (2, EVIDENCE),
        (2, EVIDENCE),
    ]


def test_submitting_without_evidence_names_the_competency_and_keeps_the_draft(client):
    _vacancy, vacancy_stage, _apps = setup_stage(competencies=2)
    assignment = vacancy_stage.assignments.first()
    first, second = competencies_of(vacancy_stage)
    client.force_login(assignment.assessor)
    declare_no_conflict(client, assignment)

    response = client.post(
        url("assignment_submit", assignment.pk),
        {
            f"point-{first.pk}": "4",
            f"evidence-{first.pk}": EVIDENCE,
            f"point-{second.pk}": "3",
            f"evidence-{second.pk}": "",
        },
    )

    assert response.status_code == 200
    html = html_of(response)
    assert (
        gettext(
            "Write the evidence for «%(competency)s» before submitting: what the "
            "candidate said or did or, for “Not observed”, what you looked for."
        )
        % {"competency": second.name}
        in html
    )
    assignment.refresh_from_db()
    assert not assignment.is_submitted
    assert assignment.scores.count() == 2


def test_a_stage_the_panel_has_finished_offers_no_form(client):
    _vacancy, vacancy_stage, _apps = setup_stage(competencies=1)
    assignment = vacancy_stage.assignments.first()
    competency = competencies_of(vacancy_stage)[0]
    client.force_login(assignment.assessor)
    declare_no_conflict(client, assignment)
    vacancy_stage.completed_at = timezone.now()
    vacancy_stage.save(update_fields=["completed_at"])
    finished = gettext(
        "The panel has finished this stage: its scores can no longer change."
    )

    html = html_of(client.get(url("assignment", assignment.pk)))
    assert f'name="point-{competency.pk}"' not in html
    assert gettext("Not scored.") in html
    response = client.post(
        url("assignment", assignment.pk), answers(vacancy_stage, [3])
    )
    assert finished in html_of(response)
    assert not assignment.scores.exists()


# Conflicts -----------------------------------------------------------------------


def test_a_conflict_withdraws_the_assessor_and_the_page_then_says_so(client):
    _vacancy, vacancy_stage, (candidate,) = setup_stage()
    assignment = vacancy_stage.assignments.first()
    substitute = UserFactory(roles=[Role.ASSESSOR])
    vacancy_stage.assessors.add(substitute)
    client.force_login(assignment.assessor)

    response = client.post(
        url("assignment_declare", assignment.pk), {"conflict": "yes"}
    )
    assert gettext("Say briefly what the conflict of interest is.") in html_of(response)
    assignment.refresh_from_db()
    assert assignment.conflict is None

    response = client.post(
        url("assignment_declare", assignment.pk),
        {"conflict": "yes", "note": "He is my wife's cousin."},
    )
    assert response.status_code == 302
    assert response.url == url("home")

    response = client.get(url("assignment", assignment.pk))
    assert response.status_code == 403
    assert gettext("You withdrew from this assessment") in html_of(response)
    assert candidate.full_name not in html_of(response)

    notice = Notification.objects.get(recipient=substitute)
    replacement = vacancy_stage.assignments.get(assessor=substitute)
    assert notice.url.endswith(f"/selection/assignments/{replacement.pk}/")
    client.force_login(substitute)
    assert client.get(url("assignment", replacement.pk)).status_code == 200


def test_no_answer_to_the_conflict_question_is_refused(client):
    _vacancy, vacancy_stage, _apps = setup_stage()
    assignment = vacancy_stage.assignments.first()
    client.force_login(assignment.assessor)
    response = client.post(
        url("assignment_declare", assignment.pk), {"conflict": "maybe"}
    )
    assert gettext("Say whether you have a conflict of interest.") in html_of(response)
    assignment.refresh_from_db()
    assert assignment.conflict is None


def test_a_conflict_found_while_scoring_needs_its_note_too(client):
    _vacancy, vacancy_stage, _apps = setup_stage()
    assignment = vacancy_stage.assignments.first()
    client.force_login(assignment.assessor)
    declare_no_conflict(client, assignment)
    response = client.post(
        url("assignment_declare", assignment.pk), {"conflict": "yes", "note": ""}
    )
    html = html_of(response)
    assert gettext("Say briefly what the conflict of interest is.") in html
    assert '<details class="mb-4" open>' in html
    assignment.refresh_from_db()
    assert assignment.conflict is False


# Who may open an assessment --------------------------------------------------------


@pytest.mark.parametrize(
    "who", ["other_assessor", "administrator", "superuser", "panel_member", "chair"]
)
def test_nobody_but_the_assessor_opens_or_posts_to_an_assessment(client, who):
    vacancy, vacancy_stage, _apps = setup_stage()
    mine, theirs = vacancy_stage.assignments.order_by("pk")
    client.force_login(mine.assessor)
    declare_no_conflict(client, mine)
    client.post(url("assignment_submit", mine.pk), answers(vacancy_stage, [4, 4, 4]))
    score = mine.scores.first()
    visitor = {
        "other_assessor": theirs.assessor,
        "administrator": UserFactory(roles=[Role.ADMINISTRATOR]),
        "superuser": UserFactory(is_superuser=True, is_staff=True),
        "panel_member": vacancy.panel.exclude(pk=vacancy.chair_id).get(),
        "chair": vacancy.chair,
    }[who]
    client.force_login(visitor)
    assert client.get(url("assignment", mine.pk)).status_code == 403
    assert client.post(url("assignment", mine.pk), {}).status_code == 403
    assert (
        client.post(
            url("assignment_declare", mine.pk), {"conflict": "yes", "note": "x"}
        )
    ).status_code == 403
    assert client.post(url("assignment_submit", mine.pk), {}).status_code == 403
    assert client.get(url("score_amend", score.pk)).status_code == 403
    assert (
        client.post(
            url("score_amend", score.pk), {"point": "1", "evidence": "x", "reason": "y"}
        ).status_code
        == 403
    )
    score.refresh_from_db()
    assert score.point == 4


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    _vacancy, vacancy_stage, _apps = setup_stage()
    assignment = vacancy_stage.assignments.first()
    for address in (url("home"), url("assignment", assignment.pk)):
        response = client.get(address)
        assert response.status_code == 302
        assert "/accounts/login/" in response.url


def test_the_landing_page_is_for_assessors_champions_and_panels(client, make_user):
    client.force_login(make_user(Role.OFFICER))
    assert client.get(url("home")).status_code == 403
    client.force_login(make_user(Role.CHAMPION))
    assert client.get(url("home")).status_code == 200
    client.force_login(make_user(Role.ADMINISTRATOR))
    assert client.get(url("home")).status_code == 200


# Blindness -----------------------------------------------------------------------


def test_my_assessments_shows_counts_and_panels_never_scores(client):
    vacancy, vacancy_stage, (candidate, other) = setup_stage(candidates=2)
    assessor_a, assessor_b = vacancy_stage.assessors.order_by("pk")
    done = vacancy_stage.assignments.get(assessor=assessor_a, application=candidate)
    client.force_login(assessor_a)
    declare_no_conflict(client, done)
    client.post(
        url("assignment_submit", done.pk),
        answers(vacancy_stage, [5, 1, 2], evidence="Distinctive evidence of A."),
    )
    vacancy.panel.add(assessor_b)

    client.force_login(assessor_b)
    html = html_of(client.get(url("home")))
    assert gettext("%(done)s of %(total)s done") % {"done": 1, "total": 4} in html
    assert "Distinctive evidence of A." not in html
    assert "average" not in html.lower() and "mean" not in html.lower()
    assert candidate.full_name in html and other.full_name in html
    assert gettext("Declare any conflict of interest") in html
    assert url("panel", vacancy.pk) in html
    assert gettext("Panels I sit on") in html
    # Assessor B's own assessment page shows nothing of A's.
    theirs = vacancy_stage.assignments.get(assessor=assessor_b, application=candidate)
    declare_no_conflict(client, theirs)
    assert "Distinctive evidence of A." not in html_of(
        client.get(url("assignment", theirs.pk))
    )


@pytest.mark.parametrize("kind", [StageKind.WRITTEN_TEST, StageKind.SCREENING])
def test_written_work_never_shows_the_candidates_name(client, kind):
    _vacancy, vacancy_stage, (candidate,) = setup_stage(kinds=(kind,), competencies=1)
    assignment = vacancy_stage.assignments.first()
    client.force_login(assignment.assessor)
    secrets = (candidate.full_name, candidate.email, candidate.phone)

    pages = [
        html_of(client.get(url("home"))),
        html_of(client.get(url("assignment", assignment.pk))),
    ]
    declare_no_conflict(client, assignment)
    pages.append(html_of(client.get(url("assignment", assignment.pk))))
    client.post(url("assignment_submit", assignment.pk), answers(vacancy_stage, [3]))
    pages.append(html_of(client.get(url("assignment", assignment.pk))))
    pages.append(html_of(client.get(url("score_amend", assignment.scores.get().pk))))

    for html in pages:
        assert candidate.code in html
        for secret in secrets:
            assert secret not in html
    if kind == StageKind.SCREENING:
        assert candidate.motivation in pages[2]


def test_a_face_to_face_stage_shows_the_material_and_the_name(client):
    _vacancy, vacancy_stage, (candidate,) = setup_stage(
        kinds=(StageKind.ROLE_PLAY,), competencies=1
    )
    stage = vacancy_stage.stage
    stage.instructions_en = "Play the first ten minutes of a supervision meeting."
    stage.scenario_en = "The client arrives late and angry."
    stage.actor_brief_en = "You lost your job yesterday."
    stage.save()
    competency = competencies_of(vacancy_stage)[0]
    InterviewQuestion.objects.create(
        stage=stage,
        competency=competency,
        question_en="How do you respond to his anger?",
        good_answer_en="Reflects the feeling before setting limits.",
    )
    assignment = vacancy_stage.assignments.first()
    client.force_login(assignment.assessor)
    declare_no_conflict(client, assignment)
    html = html_of(client.get(url("assignment", assignment.pk)))
    for text in (
        candidate.full_name,
        "Play the first ten minutes of a supervision meeting.",
        "The client arrives late and angry.",
        "You lost your job yesterday.",
        "How do you respond to his anger?",
        "Reflects the feeling before setting limits.",
        "Tells the truth",
        "Acts honestly and consistently.",
    ):
        assert text in html
    assert candidate.email not in html


def test_identical_evidence_is_flagged_on_the_page_for_two_candidates_not_one(client):
    _vacancy, vacancy_stage, (first, second) = setup_stage(candidates=2, competencies=1)
    assessor = vacancy_stage.assessors.order_by("pk").first()
    one = vacancy_stage.assignments.get(assessor=assessor, application=first)
    two = vacancy_stage.assignments.get(assessor=assessor, application=second)
    client.force_login(assessor)
    declare_no_conflict(client, one)
    declare_no_conflict(client, two)
    warning = (
        "The same evidence is written for 2 candidates: describe what this "
        "candidate did."
    )

    client.post(url("assignment", one.pk), answers(vacancy_stage, [4]))
    assert warning not in html_of(client.get(url("assignment", one.pk)))

    client.post(url("assignment", two.pk), answers(vacancy_stage, [3]))
    assert warning in html_of(client.get(url("assignment", one.pk)))

    # Submitting is allowed, with a warning.
    response = client.post(
        url("assignment_submit", two.pk), answers(vacancy_stage, [3]), follow=True
    )
    html = html_of(response)
    assert gettext("Your scores are submitted and locked.") in html
    assert "written word for word for other candidates too" in html
    assert warning in html


# Query counts ----------------------------------------------------------------------


def count_queries(client, address) -> int:
    client.get(address)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == 200, address
    return len(queries)


def home_queries(client, candidates: int) -> int:
    vacancy, vacancy_stage, _apps = setup_stage(candidates=candidates)
    assessor = vacancy_stage.assessors.order_by("pk").first()
    vacancy.panel.add(assessor)
    mine = list(vacancy_stage.assignments.filter(assessor=assessor))
    services.assignment_declare(assignment=mine[0], actor=assessor, conflict=False)
    services.assignment_declare(
        assignment=mine[1], actor=assessor, conflict=True, note="Known to me."
    )
    client.force_login(assessor)
    return count_queries(client, url("home"))


def test_my_assessments_runs_the_same_queries_for_2_and_6_candidates(client):
    assert home_queries(client, 2) == home_queries(client, 6)


def assignment_queries(client, competencies: int, submitted: bool) -> int:
    _vacancy, vacancy_stage, _apps = setup_stage(
        competencies=competencies, candidates=2
    )
    for competency in competencies_of(vacancy_stage):
        InterviewQuestion.objects.create(
            stage=vacancy_stage.stage, competency=competency, question_en="Why?"
        )
    assessor = vacancy_stage.assessors.order_by("pk").first()
    one, two = vacancy_stage.assignments.filter(assessor=assessor)
    client.force_login(assessor)
    for assignment in (one, two):
        declare_no_conflict(client, assignment)
        client.post(
            url("assignment", assignment.pk),
            answers(
                vacancy_stage, [3] * competencies, evidence="Same for everybody here."
            ),
        )
    if submitted:
        client.post(
            url("assignment_submit", one.pk),
            answers(
                vacancy_stage, [3] * competencies, evidence="Same for everybody here."
            ),
        )
        for score in one.scores.all():
            services.score_amend(
                score=score,
                actor=assessor,
                point=4,
                not_observed=False,
                evidence="Better evidence after all.",
                reason="Re-read my notes.",
            )
    return count_queries(client, url("assignment", one.pk))


@pytest.mark.parametrize("submitted", [False, True], ids=["scoring", "locked"])
def test_the_assessment_page_runs_the_same_queries_for_2_and_6_competencies(
    client, submitted
):
    assert assignment_queries(client, 2, submitted) == assignment_queries(
        client, 6, submitted
    )
