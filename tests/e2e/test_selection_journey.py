"""Selection from the approved criteria to a decided candidate, in the browser.

A champion submits a new version of the competency framework for review;
another champion approves it in the Wagtail admin and it becomes current. A
candidate finds the vacancy on the public page and applies without an account,
with a CV and consent, and receives a receipt. Two assessors each declare no
conflict and score the candidate blind: while one score is missing the chair is
refused the scores; once both are in, the panel sees them side by side with the
disagreement flagged, records a consensus, moves the candidate on, and the
chair appoints them with reasons. The candidate is told by e-mail, in Russian.

Bad input tried:
- the second assessor opening the first assessor's assignment: refused (403),
  no score of the first on the page;
- the chair opening the stage's scores before every score is in: refused,
  nothing of the scores on the page;
- the chair recording a decision without reasons: refused with the translated
  error, no decision saved.
"""

import re

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import Page, expect

from lms.models import AuditEntry, FrameworkVersion
from lms.roles import Role
from selection import rounds
from selection.models import (
    Application,
    ApplicationStatus,
    Assignment,
    Decision,
    Outcome,
    StageKind,
)
from tests.e2e.ru import label, t, url
from tests.lms.factories import (
    DEFAULT_PASSWORD,
    CompetencyFactory,
    FrameworkVersionFactory,
    UserFactory,
)
from tests.selection.factories import procedure_with_stages, vacancy_with_panel

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CANDIDATE = "Жанар Болатқызы Омарова"
EMAIL = "zhanar.omarova@example.kz"
REASONS = "Лучший результат на интервью, уверенно проходит пороги."


def sign_in(tab: Page, live_url: str, user) -> None:
    tab.context.clear_cookies()
    tab.goto(f"{live_url}{url('login')}")
    tab.get_by_label(t("Username")).fill(user.username)
    tab.get_by_label(t("Password")).fill(DEFAULT_PASSWORD)
    tab.locator("main form button[type=submit]").click()
    tab.wait_for_load_state()


def pdf_file(tmp_path):
    cv = tmp_path / "cv.pdf"
    cv.write_bytes(
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n"
        b"%%EOF\n"
    )
    return cv


def score_everything(tab: Page, points: dict, evidence: str) -> None:
    """Declare no conflict, then choose a point and write evidence for each
    competency (`points` by competency name), and submit."""
    tab.get_by_label(t("I have no conflict of interest with this candidate")).check()
    tab.get_by_role("button", name=t("Confirm")).click()
    for name, point in points.items():
        section = tab.locator("section.card").filter(
            has=tab.get_by_role("heading", name=name, exact=True)
        )
        section.locator(f"input[type=radio][value='{point}']").check()
        section.locator("textarea").fill(f"{evidence} ({name})")
    tab.get_by_role("button", name=t("Submit and lock my scores")).click()
    tab.wait_for_load_state()


def test_from_approved_criteria_to_an_appointed_candidate(
    live_server, page: Page, tmp_path
):
    tab = page
    live = live_server.url
    # The criteria: version 2026.1 is current; a champion drafts 2027.1.
    procedure = procedure_with_stages(kinds=(StageKind.INTERVIEW,), competencies=2)
    competencies = list(procedure.framework_version.competencies.order_by("sort_order"))
    author = UserFactory(roles=[Role.CHAMPION], preferred_language="ru")
    reviewer = UserFactory(roles=[Role.CHAMPION], preferred_language="ru")
    draft = FrameworkVersionFactory(label="2027.1", live=False)
    CompetencyFactory(version=draft, key="integrity", name_ru="Неподкупность")
    draft.save_revision(user=author)

    # A champion submits the draft for the champions' review.
    sign_in(tab, live, author)
    tab.goto(
        f"{live}{reverse('wagtailsnippets_lms_frameworkversion:edit', args=[draft.pk])}"
    )
    submit = tab.get_by_role("button", name=re.compile("Champions' review"))
    if not submit.is_visible():
        tab.locator("footer").get_by_role(
            "button", name=re.compile("More actions|Больше")
        ).click()
    submit.click()
    tab.wait_for_load_state()
    draft.refresh_from_db()
    assert draft.workflow_in_progress and not draft.live

    # Another champion approves it; it becomes the current version.
    sign_in(tab, live, reviewer)
    tab.goto(
        f"{live}{reverse('wagtailsnippets_lms_frameworkversion:edit', args=[draft.pk])}"
    )
    approve = (
        tab.locator("[data-workflow-action-name='approve']")
        .filter(has_not_text=re.compile("comment|коммент", re.I))
        .first
    )
    if not approve.is_visible():
        tab.locator("footer").get_by_role(
            "button", name=re.compile("More actions|Больше")
        ).click()
    approve.click()
    tab.wait_for_load_state()
    draft.refresh_from_db()
    assert draft.live and draft.is_current
    assert FrameworkVersion.objects.current() == draft
    tab.goto(f"{live}{url('framework')}")
    expect(tab.locator("main")).to_contain_text("2027.1")

    # A candidate applies on the public page, without an account.
    vacancy = vacancy_with_panel(assessors_per_stage=2, procedure=procedure)
    chair = vacancy.chair
    first, second = vacancy.stages.get().assessors.order_by("pk")
    tab.context.clear_cookies()
    tab.goto(f"{live}{url('selection:vacancies')}")
    tab.get_by_role("link", name=vacancy.title_ru).first.click()
    tab.get_by_role("link", name=t("Apply for this vacancy")).click()
    tab.get_by_label(t("Full name")).fill(CANDIDATE)
    tab.get_by_label(t("E-mail")).fill(EMAIL)
    tab.get_by_label(t("Education")).fill("КазНУ им. аль-Фараби, право, 2021")
    tab.get_by_label(t("Experience")).fill("Два года социальным работником в акимате")
    tab.get_by_label(t("Motivation")).fill("Хочу помогать людям не вернуться в тюрьму.")
    tab.get_by_label(t("CV")).set_input_files(str(pdf_file(tmp_path)))
    tab.locator("input[type=checkbox][name=consent]").check()
    tab.get_by_role("button", name=t("Send my application")).click()
    tab.wait_for_load_state()
    application = Application.objects.get(vacancy=vacancy)
    expect(tab.get_by_role("heading", level=1)).to_have_text(
        t("Thank you: your application has been received")
    )
    receipt = [message for message in mail.outbox if EMAIL in message.to]
    assert len(receipt) == 1 and application.code in receipt[0].body

    # Applications close; the candidate enters the interview.
    rounds.vacancy_start_assessment(vacancy=vacancy, actor=chair)
    assignment_of = {
        assessor.pk: Assignment.objects.get(application=application, assessor=assessor)
        for assessor in (first, second)
    }
    names = [competency.name_ru for competency in competencies]

    # The first assessor scores; the second cannot see those scores.
    sign_in(tab, live, first)
    tab.goto(f"{live}{url('selection:home')}")
    tab.get_by_role("link", name=re.compile(re.escape(CANDIDATE))).first.click()
    score_everything(tab, {names[0]: 4, names[1]: 4}, "Рассказала о случае с клиентом")
    assert Assignment.objects.get(pk=assignment_of[first.pk].pk).submitted_at

    sign_in(tab, live, second)
    response = tab.goto(
        f"{live}{url('selection:assignment', assignment_of[first.pk].pk)}"
    )
    assert response.status == 403
    expect(tab.locator("body")).not_to_contain_text("Рассказала о случае")

    # The chair is refused the scores while one is missing.
    sign_in(tab, live, chair)
    stage = vacancy.stages.get()
    response = tab.goto(f"{live}{url('selection:panel_stage', vacancy.pk, stage.pk)}")
    assert response.status == 403
    expect(tab.locator("body")).not_to_contain_text("Рассказала о случае")

    # The second assessor scores two points lower on the first competency.
    sign_in(tab, live, second)
    tab.goto(f"{live}{url('selection:home')}")
    tab.get_by_role("link", name=re.compile(re.escape(CANDIDATE))).first.click()
    score_everything(tab, {names[0]: 2, names[1]: 4}, "Ответ общий, без примеров")
    stage.refresh_from_db()
    assert stage.is_revealed

    # The panel sees both side by side, the disagreement flagged, and agrees.
    sign_in(tab, live, chair)
    tab.goto(f"{live}{url('selection:panel', vacancy.pk)}")
    tab.get_by_role("link", name=re.compile(t("Revealed"))).first.click()
    main = tab.locator("main")
    expect(main).to_contain_text(first.get_full_name())
    expect(main).to_contain_text(second.get_full_name())
    expect(main.locator(".badge", has_text=t("Disagreement")).first).to_be_visible()
    tab.get_by_label(label(names[0])).select_option("3")
    tab.get_by_label(label(names[1])).select_option("4")
    tab.get_by_label(label(t("Rationale"))).fill(
        "Обсудили пример: поступок честный, но без рефлексии — 3."
    )
    tab.get_by_role("button", name=t("Record the consensus")).click()
    tab.wait_for_load_state()
    tab.get_by_role("link", name=t("Move the candidates on")).click()
    tab.get_by_role("button", name=t("Move the candidates on")).click()
    tab.wait_for_load_state()

    # The chair decides: first without reasons (refused), then with them.
    tab.goto(f"{live}{url('selection:ranking', vacancy.pk)}")
    tab.locator(
        f"a[href='{url('selection:decide', vacancy.pk, application.pk)}']"
    ).click()
    tab.get_by_label(t("Appoint")).check()
    tab.get_by_role("button", name=t("Record the decision")).click()
    expect(tab.locator("main")).to_contain_text(
        t("Give the reasons for this decision.")
    )
    assert not Decision.objects.exists()
    tab.get_by_label(label(t("Reasons"))).fill(REASONS)
    tab.get_by_role("button", name=t("Record the decision")).click()
    tab.wait_for_load_state()

    decision = Decision.objects.get(application=application)
    assert decision.outcome == Outcome.APPOINT and decision.reasons == REASONS
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPOINTED
    letters = [message for message in mail.outbox if EMAIL in message.to]
    assert len(letters) == 2, [message.subject for message in letters]
    assert decision.notified_at is not None
    assert re.search("[а-яА-Я]", letters[-1].subject), "the letter is in Russian"
    logged = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "framework.approve",
        "selection.application.submit",
        "selection.score.submit",
        "selection.consensus.record",
        "selection.stage.complete",
        "selection.decision.record",
    } <= logged
