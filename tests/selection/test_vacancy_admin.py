"""An administrator runs a vacancy from the Wagtail admin: creates it (its
stages follow the procedure), names the assessors of each stage, opens it,
starts the assessment and closes it once every candidate has an outcome.

Bad inputs tried: a closing date before the opening date, a closing date
already past, a procedure whose weights add up to 90%, a stage without an
assessor, an officer named as an assessor, an assessor with candidates taken
off their stage, the procedure or the retention period of a vacancy changed
after it opened or after someone applied, starting the assessment before the
closing date without confirming, closing while candidates have no decision,
deleting a vacancy with applications, actions on a vacancy in the wrong
status, and every screen opened by a champion, an officer and an assessor.
"""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext, ngettext

from lms.models import AuditEntry
from lms.roles import Role
from selection.design import services
from selection.models import (
    Application,
    ApplicationStatus,
    Assignment,
    Decision,
    Outcome,
    Stage,
    StageCompetency,
    Vacancy,
    VacancyStage,
    VacancyStatus,
)
from tests.lms.factories import OfficeFactory, UserFactory
from tests.selection.factories import (
    ApplicationFactory,
    procedure_with_stages,
    vacancy_with_panel,
)

pytestmark = pytest.mark.django_db

ADMIN_LANGUAGE = "ru"  # the users' admin language (their preferred one)


def in_admin_language(message: str, **values) -> str:
    with translation.override(ADMIN_LANGUAGE):
        text = gettext(message)
    return text % values if values else text


def today() -> datetime.date:
    return timezone.localdate()


def days(n: int) -> datetime.date:
    return today() + datetime.timedelta(days=n)


def draft(**fields) -> Vacancy:
    """A draft vacancy whose every stage has two assessors."""
    return vacancy_with_panel(status=VacancyStatus.DRAFT, **fields)


def vacancy_form(procedure, office, chair, panel=(), **overrides):
    data = {
        "reference": "almaty-2027-1",
        "office": office.pk,
        "title_kk": "Пробация инспекторы",
        "title_ru": "Инспектор пробации",
        "title_en": "Probation officer",
        "description_kk": "",
        "description_ru": "Работа с осуждёнными, состоящими на учёте в Алматы.",
        "description_en": "",
        "posts": "2",
        "opens_on": today().isoformat(),
        "closes_on": days(14).isoformat(),
        "procedure": procedure.pk,
        "chair": chair.pk,
        "panel": [member.pk for member in panel],
        "retention_months": "12",
    }
    data.update(overrides)
    return data


def form_for(vacancy, **overrides):
    """The edit form as the browser posts it, with `overrides` typed in."""
    data = vacancy_form(
        vacancy.procedure,
        vacancy.office,
        vacancy.chair,
        panel=vacancy.panel.all(),
        reference=vacancy.reference,
        opens_on=vacancy.opens_on.isoformat(),
        closes_on=vacancy.closes_on.isoformat(),
        retention_months=str(vacancy.retention_months),
    )
    data.update(overrides)
    return data


# --- who may ----------------------------------------------------------------


def admin_urls(vacancy) -> list[str]:
    return [
        reverse("selection_vacancies:add"),
        reverse("selection_vacancies:edit", args=[vacancy.pk]),
        reverse("selection_vacancy_assessors", args=[vacancy.pk]),
        reverse("selection_vacancy_open", args=[vacancy.pk]),
        reverse("selection_vacancy_start_assessment", args=[vacancy.pk]),
        reverse("selection_vacancy_close", args=[vacancy.pk]),
    ]


def test_administrator_reaches_every_vacancy_screen(client, administrator):
    vacancy = draft()
    client.force_login(administrator)
    for url in [reverse("selection_vacancies:index"), *admin_urls(vacancy)]:
        assert client.get(url).status_code == 200, url


def test_champion_sees_the_vacancies_but_does_not_run_them(client, make_user):
    vacancy = draft()
    client.force_login(make_user(Role.CHAMPION))
    listing = client.get(reverse("selection_vacancies:index"))
    assert listing.status_code == 200
    assert vacancy.reference in listing.content.decode()
    inspect = client.get(reverse("selection_vacancies:inspect", args=[vacancy.pk]))
    assert inspect.status_code == 200
    assert str(vacancy.procedure) in inspect.content.decode()
    assert reverse("selection_vacancy_open", args=[vacancy.pk]) not in (
        listing.content.decode()
    )
    for url in admin_urls(vacancy):
        response = client.get(url)
        assert response.status_code in (302, 403), url
    client.post(reverse("selection_vacancy_open", args=[vacancy.pk]))
    vacancy.refresh_from_db()
    assert vacancy.status == VacancyStatus.DRAFT


@pytest.mark.parametrize("role", [Role.OFFICER, Role.ASSESSOR])
def test_officers_and_assessors_are_kept_out(client, make_user, role):
    vacancy = draft()
    client.force_login(make_user(role))
    for url in [reverse("selection_vacancies:index"), *admin_urls(vacancy)]:
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert vacancy.reference not in response.content.decode()
    client.post(reverse("selection_vacancy_open", args=[vacancy.pk]))
    vacancy.refresh_from_db()
    assert vacancy.status == VacancyStatus.DRAFT


# --- creating and setting up -------------------------------------------------


def test_administrator_creates_a_vacancy_whose_stages_follow_the_procedure(
    client, administrator
):
    procedure = procedure_with_stages()
    chair = UserFactory(roles=[Role.MANAGER])
    member = UserFactory(roles=[Role.ASSESSOR])
    client.force_login(administrator)
    response = client.post(
        reverse("selection_vacancies:add"),
        vacancy_form(procedure, OfficeFactory(), chair, panel=[member]),
    )
    assert response.status_code == 302, response.context["form"].errors
    vacancy = Vacancy.objects.get(reference="almaty-2027-1")
    assert response["Location"] == reverse(
        "selection_vacancy_assessors", args=[vacancy.pk]
    ), "next: the assessors of each stage"
    assert vacancy.status == VacancyStatus.DRAFT
    assert vacancy.created_by == administrator
    assert list(vacancy.panel.all()) == [member]
    assert list(
        VacancyStage.objects.filter(vacancy=vacancy)
        .order_by("stage__sort_order")
        .values_list("stage_id", flat=True)
    ) == list(procedure.stages.order_by("sort_order").values_list("pk", flat=True))


def test_a_closing_date_before_the_opening_date_is_refused(client, administrator):
    procedure = procedure_with_stages()
    client.force_login(administrator)
    response = client.post(
        reverse("selection_vacancies:add"),
        vacancy_form(
            procedure,
            OfficeFactory(),
            UserFactory(roles=[Role.ASSESSOR]),
            opens_on=days(10).isoformat(),
            closes_on=days(5).isoformat(),
        ),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["closes_on"] == [
        in_admin_language("Applications cannot close before they open.")
    ]
    assert not Vacancy.objects.exists()
    assert "Работа с осуждёнными, состоящими на учёте в Алматы." in (
        response.content.decode()
    ), "what was typed is kept"


def test_an_officer_cannot_chair_a_panel(client, administrator):
    procedure = procedure_with_stages()
    client.force_login(administrator)
    response = client.post(
        reverse("selection_vacancies:add"),
        vacancy_form(procedure, OfficeFactory(), UserFactory(roles=[Role.OFFICER])),
    )
    assert response.status_code == 200
    assert "chair" in response.context["form"].errors
    assert not Vacancy.objects.exists()


def test_administrator_names_the_assessors_of_each_stage(client, administrator):
    vacancy = vacancy_with_panel(assessors_per_stage=0, status=VacancyStatus.DRAFT)
    first, second = vacancy.stages.order_by("stage__sort_order")
    assessor = UserFactory(roles=[Role.ASSESSOR])
    champion = UserFactory(roles=[Role.CHAMPION])
    officer = UserFactory(roles=[Role.OFFICER])
    client.force_login(administrator)
    url = reverse("selection_vacancy_assessors", args=[vacancy.pk])
    page = client.get(url).content.decode()
    assert assessor.full_name in page and champion.full_name in page
    assert officer.full_name not in page

    refused = client.post(
        url, {f"stage_{first.pk}": [assessor.pk, officer.pk], f"stage_{second.pk}": []}
    )
    assert refused.status_code == 400
    assert f"stage_{first.pk}" in refused.context["form"].errors
    assert not first.assessors.exists()

    saved = client.post(
        url,
        {
            f"stage_{first.pk}": [assessor.pk],
            f"stage_{second.pk}": [assessor.pk, champion.pk],
        },
    )
    assert saved.status_code == 302
    assert list(first.assessors.all()) == [assessor]
    assert set(second.assessors.all()) == {assessor, champion}
    entry = AuditEntry.objects.get(action="selection.vacancy.assessors")
    assert entry.actor == administrator
    assert entry.data == {
        str(first.stage_id): [assessor.pk],
        str(second.stage_id): sorted([assessor.pk, champion.pk]),
    }
    edit = client.get(reverse("selection_vacancies:edit", args=[vacancy.pk]))
    assert champion.full_name in edit.content.decode()


def test_an_assessor_with_candidates_stays_on_the_stage(administrator):
    vacancy = vacancy_with_panel(closes_on=days(-1))
    ApplicationFactory(vacancy=vacancy)
    services.vacancy_start_assessment(vacancy=vacancy, actor=administrator)
    first = vacancy.stages.order_by("stage__sort_order").first()
    kept, removed = first.assessors.order_by("pk")
    with translation.override("en"):
        with pytest.raises(ValidationError) as refused:
            services.vacancy_assessors_set(
                vacancy=vacancy, assessors={first.pk: [kept]}, actor=administrator
            )
        expected = (
            f"{removed} already assesses candidates at «{first.stage}» and stays on it."
        )
    assert refused.value.messages == [expected]
    assert set(first.assessors.all()) == {kept, removed}


# --- opening -----------------------------------------------------------------


def test_opening_with_weights_adding_up_to_90_is_refused_and_nothing_changes(
    client, administrator
):
    vacancy = draft()
    stage = vacancy.procedure.stages.order_by("sort_order").last()
    row = StageCompetency.objects.filter(stage=stage).order_by("sort_order").first()
    row.weight -= 10
    row.save()
    client.force_login(administrator)
    url = reverse("selection_vacancy_open", args=[vacancy.pk])
    with translation.override(ADMIN_LANGUAGE):
        expected = gettext(
            "The weights of «%(stage)s» add up to %(total)s%%, not 100%%."
        ) % {"stage": stage, "total": 90}
    assert expected in client.get(url).content.decode(), "said before trying"
    response = client.post(url)
    assert response.status_code == 400
    assert expected in response.content.decode()
    vacancy.refresh_from_db()
    assert vacancy.status == VacancyStatus.DRAFT
    assert not AuditEntry.objects.filter(action="selection.vacancy.open").exists()


def test_a_stage_without_assessors_and_a_past_closing_date_stop_the_opening(
    administrator,
):
    vacancy = vacancy_with_panel(
        assessors_per_stage=0,
        status=VacancyStatus.DRAFT,
        opens_on=days(-30),
        closes_on=days(-1),
    )
    first = vacancy.procedure.stages.order_by("sort_order").first()
    with translation.override("en"):
        with pytest.raises(ValidationError) as refused:
            services.vacancy_open(vacancy=vacancy, actor=administrator)
        expected_stage = f"Name at least one assessor for the stage «{first}»."
        expected_date = (
            f"The closing date, {formats.date_format(vacancy.closes_on)}, has passed: "
            "choose a later one."
        )
    assert expected_stage in refused.value.messages
    assert expected_date in refused.value.messages
    vacancy.refresh_from_db()
    assert vacancy.status == VacancyStatus.DRAFT


def test_a_good_vacancy_opens_with_its_chair_on_the_panel(client, administrator):
    vacancy = draft()
    vacancy.panel.remove(vacancy.chair)
    client.force_login(administrator)
    listing = client.get(reverse("selection_vacancies:index")).content.decode()
    assert reverse("selection_vacancy_open", args=[vacancy.pk]) in listing
    response = client.post(reverse("selection_vacancy_open", args=[vacancy.pk]))
    assert response.status_code == 302
    vacancy.refresh_from_db()
    assert vacancy.status == VacancyStatus.OPEN
    assert vacancy.panel.filter(pk=vacancy.chair_id).exists()
    assert vacancy.stages.count() == vacancy.procedure.stages.count()
    assert all(stage.assessors.count() == 2 for stage in vacancy.stages.all())
    entry = AuditEntry.objects.get(action="selection.vacancy.open")
    assert entry.actor == administrator
    assert entry.data["chair_added_to_panel"] is True
    listing = client.get(reverse("selection_vacancies:index")).content.decode()
    with translation.override(ADMIN_LANGUAGE):
        assert str(VacancyStatus.OPEN.label) in listing
    assert reverse("selection_vacancy_start_assessment", args=[vacancy.pk]) in listing
    assert reverse("selection_vacancy_open", args=[vacancy.pk]) not in listing
    again = client.post(reverse("selection_vacancy_open", args=[vacancy.pk]))
    assert again.status_code == 400, "only a draft opens"


def test_the_procedure_of_an_open_vacancy_is_fixed(client, administrator):
    vacancy = vacancy_with_panel()
    other = type(vacancy.procedure).objects.create(
        title_ru="Другая процедура",
        framework_version=vacancy.procedure.framework_version,
    )
    client.force_login(administrator)
    response = client.post(
        reverse("selection_vacancies:edit", args=[vacancy.pk]),
        form_for(vacancy, procedure=other.pk),
    )
    assert response.status_code == 200
    assert (
        in_admin_language(
            "The vacancy is «%(status)s»: candidates are assessed by its procedure, "
            "which can no longer change.",
            status=in_admin_language(VacancyStatus.OPEN.label),
        )
        in response.context["form"].errors["procedure"]
    )
    vacancy.refresh_from_db()
    assert vacancy.procedure != other

    extended = client.post(
        reverse("selection_vacancies:edit", args=[vacancy.pk]),
        form_for(vacancy, closes_on=days(20).isoformat()),
    )
    assert extended.status_code == 302, extended.context["form"].errors
    vacancy.refresh_from_db()
    assert vacancy.closes_on == days(20)


def test_a_draft_may_change_procedure_and_its_stages_follow(client, administrator):
    vacancy = draft()
    old_stage_ids = set(vacancy.stages.values_list("stage_id", flat=True))
    other = type(vacancy.procedure).objects.create(
        title_ru="Другая процедура",
        framework_version=vacancy.procedure.framework_version,
    )
    new_stage = Stage.objects.create(
        procedure=other, kind="interview", name_ru="Собеседование"
    )
    client.force_login(administrator)
    response = client.post(
        reverse("selection_vacancies:edit", args=[vacancy.pk]),
        form_for(vacancy, procedure=other.pk),
    )
    assert response.status_code == 302, response.context["form"].errors
    assert list(vacancy.stages.values_list("stage_id", flat=True)) == [new_stage.pk]
    assert not VacancyStage.objects.filter(stage_id__in=old_stage_ids).exists()


def test_the_retention_period_is_fixed_once_someone_applied(client, administrator):
    vacancy = vacancy_with_panel()
    ApplicationFactory(vacancy=vacancy)
    client.force_login(administrator)
    response = client.post(
        reverse("selection_vacancies:edit", args=[vacancy.pk]),
        form_for(vacancy, retention_months="60"),
    )
    assert response.status_code == 200
    assert "retention_months" in response.context["form"].errors
    vacancy.refresh_from_db()
    assert vacancy.retention_months == 12


# --- starting the assessment ------------------------------------------------


def test_starting_before_the_closing_date_needs_a_confirmation(client, administrator):
    vacancy = vacancy_with_panel(closes_on=days(3))
    applied = [ApplicationFactory(vacancy=vacancy) for _ in range(3)]
    client.force_login(administrator)
    url = reverse("selection_vacancy_start_assessment", args=[vacancy.pk])
    refused = client.post(url, {})
    assert refused.status_code == 400
    assert (
        in_admin_language("Tick the box to confirm that applications close early.")
        in refused.content.decode()
    )
    vacancy.refresh_from_db()
    assert vacancy.status == VacancyStatus.OPEN
    assert not Assignment.objects.exists()

    started = client.post(url, {"close_early": "on"})
    assert started.status_code == 302
    vacancy.refresh_from_db()
    assert vacancy.status == VacancyStatus.ASSESSING
    first = vacancy.stages.order_by("stage__sort_order").first()
    assessors = list(first.assessors.all())
    assert len(assessors) == 2
    assert set(
        Assignment.objects.values_list("application_id", "assessor_id", "vacancy_stage")
    ) == {
        (application.pk, assessor.pk, first.pk)
        for application in applied
        for assessor in assessors
    }
    assert all(
        status == ApplicationStatus.IN_PROGRESS
        for status in Application.objects.values_list("status", flat=True)
    )
    early = AuditEntry.objects.get(action="selection.vacancy.close_applications_early")
    assert early.actor == administrator
    assert AuditEntry.objects.filter(
        action="selection.vacancy.start_assessment"
    ).exists()


def test_after_the_closing_date_the_assessment_starts_without_confirmation(
    administrator,
):
    vacancy = vacancy_with_panel(opens_on=days(-20), closes_on=days(-1))
    applied = ApplicationFactory(vacancy=vacancy)
    withdrawn = ApplicationFactory(vacancy=vacancy, status=ApplicationStatus.WITHDRAWN)
    assignments = services.vacancy_start_assessment(
        vacancy=vacancy, actor=administrator
    )
    assert vacancy.status == VacancyStatus.ASSESSING
    assert {a.application_id for a in assignments} == {applied.pk}
    assert not Assignment.objects.filter(application=withdrawn).exists()
    assert not AuditEntry.objects.filter(
        action="selection.vacancy.close_applications_early"
    ).exists()


def test_only_an_open_vacancy_moves_to_assessment(administrator):
    vacancy = draft(closes_on=days(-1), opens_on=days(-10))
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.vacancy_start_assessment(
            vacancy=vacancy, actor=administrator, force=True
        )
    assert refused.value.messages == [
        "Only a vacancy open for applications can move to assessment."
    ]


# --- closing -----------------------------------------------------------------


def test_closing_waits_for_a_decision_on_every_candidate(client, administrator):
    vacancy = vacancy_with_panel(opens_on=days(-20), closes_on=days(-1))
    candidates = [ApplicationFactory(vacancy=vacancy) for _ in range(3)]
    services.vacancy_start_assessment(vacancy=vacancy, actor=administrator)
    client.force_login(administrator)
    url = reverse("selection_vacancy_close", args=[vacancy.pk])
    refused = client.post(url)
    assert refused.status_code == 400
    with translation.override(ADMIN_LANGUAGE):
        expected = ngettext(
            "%(count)d candidate is still in the procedure without a "
            "decision. Decide on every candidate before closing the vacancy.",
            "%(count)d candidates are still in the procedure without a "
            "decision. Decide on every candidate before closing the vacancy.",
            3,
        ) % {"count": 3}
    assert expected in refused.content.decode()
    vacancy.refresh_from_db()
    assert vacancy.status == VacancyStatus.ASSESSING and vacancy.closed_at is None

    first, second, third = candidates
    Application.objects.filter(pk=first.pk).update(status=ApplicationStatus.NOT_PASSED)
    for application, outcome in ((second, Outcome.APPOINT), (third, Outcome.REJECT)):
        Decision.objects.create(
            application=application,
            outcome=outcome,
            reasons="Решение комиссии.",
            decided_by=vacancy.chair,
        )
    closed = client.post(url)
    assert closed.status_code == 302
    vacancy.refresh_from_db()
    assert vacancy.status == VacancyStatus.CLOSED
    assert vacancy.closed_at is not None
    assert abs(timezone.now() - vacancy.closed_at) < datetime.timedelta(minutes=1)
    entry = AuditEntry.objects.get(action="selection.vacancy.close")
    assert entry.actor == administrator and entry.data["applications"] == 3
    listing = client.get(reverse("selection_vacancies:index")).content.decode()
    assert reverse("selection_vacancy_close", args=[vacancy.pk]) not in listing


def test_an_open_vacancy_nobody_applied_to_can_be_closed(administrator):
    vacancy = vacancy_with_panel()
    services.vacancy_close(vacancy=vacancy, actor=administrator)
    vacancy.refresh_from_db()
    assert vacancy.status == VacancyStatus.CLOSED


def test_a_draft_is_not_closed(administrator):
    vacancy = draft()
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.vacancy_close(vacancy=vacancy, actor=administrator)
    assert refused.value.messages == [
        "A draft vacancy was never opened: there is nothing to close."
    ]


# --- deleting ----------------------------------------------------------------


def test_a_vacancy_with_applications_cannot_be_deleted(client):
    superuser = UserFactory(is_superuser=True)
    vacancy = vacancy_with_panel()
    ApplicationFactory(vacancy=vacancy)
    client.force_login(superuser)
    response = client.post(
        reverse("selection_vacancies:delete", args=[vacancy.pk]), follow=True
    )
    assert (
        in_admin_language(
            "Candidates have applied to this vacancy: it cannot be deleted. Close it "
            "instead; their personal data is anonymised when the retention period ends."
        )
        in response.content.decode()
    )
    assert Vacancy.objects.filter(pk=vacancy.pk).exists()


def test_a_draft_without_applications_can_be_deleted(client):
    superuser = UserFactory(is_superuser=True)
    vacancy = draft()
    client.force_login(superuser)
    client.post(reverse("selection_vacancies:delete", args=[vacancy.pk]))
    assert not Vacancy.objects.filter(pk=vacancy.pk).exists()


# --- the listing -------------------------------------------------------------


def count_queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_the_vacancy_listing_runs_the_same_queries_for_2_and_8_vacancies(
    client, administrator
):
    procedure = procedure_with_stages()

    def add_vacancies(count):
        for _ in range(count):
            vacancy = vacancy_with_panel(procedure=procedure)
            for _ in range(2):
                ApplicationFactory(vacancy=vacancy)

    add_vacancies(2)
    client.force_login(administrator)
    url = reverse("selection_vacancies:index")
    small = count_queries(client, url)
    add_vacancies(6)
    page = client.get(url).content.decode()
    assert len(re.findall(r"<td\s*>\s*2\s*</td>", page)) == 8, "applications counted"
    assert count_queries(client, url) == small


def test_the_procedure_listing_runs_the_same_queries_for_1_and_5_procedures(
    client, make_user
):
    from tests.selection.factories import ProcedureFactory, StageFactory

    version = procedure_with_stages().framework_version
    client.force_login(make_user(Role.CHAMPION))
    url = reverse("selection_procedures:index")
    small = count_queries(client, url)
    for _ in range(4):
        StageFactory(procedure=ProcedureFactory(framework_version=version))
    assert count_queries(client, url) == small
