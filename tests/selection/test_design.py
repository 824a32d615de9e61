"""Champions design a selection procedure in the Wagtail admin: its stages on
the procedure's screen, each stage's competencies, weights, minimums,
questions and role-play material on the stage's own screen. Ustaz warns
about weights that do not add up and competencies assessed by one method
only; a procedure a running vacancy uses keeps its rules.

Bad inputs tried: weights adding up to 90%, a weight of 0 and of 150, the
same competency twice in a stage, a competency of another framework version,
a draft framework version, a procedure without a title, a stage's weight
changed while an open vacancy uses the procedure, a new framework version for
a procedure whose stages already assess competencies, a stage removed while a
draft vacancy is set up with it, deleting a procedure a vacancy uses.
"""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from lms.models import AuditEntry, FrameworkVersion
from lms.roles import Role
from selection.design.checks import procedure_errors, procedure_warnings
from selection.models import (
    InterviewQuestion,
    Procedure,
    Stage,
    StageCompetency,
    StageKind,
    VacancyStage,
    VacancyStatus,
)
from tests.lms.factories import (
    CompetencyFactory,
    FrameworkVersionFactory,
    UserFactory,
)
from tests.selection.factories import (
    ProcedureFactory,
    StageFactory,
    VacancyFactory,
    procedure_with_stages,
    vacancy_with_panel,
)

pytestmark = pytest.mark.django_db

ADMIN_LANGUAGE = "ru"  # the users' admin language (their preferred one)


def in_admin_language(message: str, **values) -> str:
    with translation.override(ADMIN_LANGUAGE):
        text = gettext(message)
    return text % values if values else text


def codes(findings) -> list[str]:
    return [finding.code for finding in findings]


@pytest.fixture
def champion(make_user):
    return make_user(Role.CHAMPION)


# --- forms as the admin posts them ------------------------------------------


def procedure_form(version, stages=(), initial=0, **overrides):
    data = {
        "title_kk": "Пробация инспекторларын іріктеу, 2027",
        "title_ru": "Отбор инспекторов пробации, 2027",
        "title_en": "Selecting probation inspectors, 2027",
        "description_kk": "",
        "description_ru": "Четыре этапа, по правилу 22 ЕПП.",
        "description_en": "",
        "framework_version": version.pk,
        "stages": inline_formset(list(stages), initial=initial),
    }
    data.update(overrides)
    return nested_form_data(data)


def stage_row(kind="interview", name="Собеседование", pass_mark="3.00", **extra):
    return {
        "kind": kind,
        "pass_mark": pass_mark,
        "name_kk": "",
        "name_ru": name,
        "name_en": "",
        **extra,
    }


def stage_form(stage, competencies=(), questions=(), **overrides):
    """The stage's edit form, as the browser posts it: every existing
    competency and question row first (with its id), then the new ones."""
    existing_competencies = list(stage.competencies.order_by("sort_order"))
    existing_questions = list(stage.questions.order_by("sort_order"))
    data = {
        "kind": stage.kind,
        "pass_mark": str(stage.pass_mark),
        "name_kk": stage.name_kk,
        "name_ru": stage.name_ru,
        "name_en": stage.name_en,
        "instructions_kk": "",
        "instructions_ru": "Задайте каждый вопрос и уточняющие вопросы.",
        "instructions_en": "",
        "scenario_kk": "",
        "scenario_ru": stage.scenario_ru,
        "scenario_en": "",
        "actor_brief_kk": "",
        "actor_brief_ru": stage.actor_brief_ru,
        "actor_brief_en": "",
        "competencies": inline_formset(
            list(competencies), initial=len(existing_competencies)
        ),
        "questions": inline_formset(list(questions), initial=len(existing_questions)),
    }
    data.update(overrides)
    return nested_form_data(data)


def competency_row(competency, weight, minimum="", row=None):
    return {
        **({"id": row.pk} if row else {}),
        "competency": competency.pk,
        "weight": str(weight),
        "minimum": str(minimum),
    }


def existing_rows(stage):
    return [
        competency_row(row.competency, row.weight, row.minimum or "", row=row)
        for row in stage.competencies.order_by("sort_order")
    ]


def question_row(competency, question="Расскажите о трудном выборе на работе."):
    return {
        "competency": competency.pk,
        "question_kk": "",
        "question_ru": question,
        "question_en": "",
        "good_answer_kk": "",
        "good_answer_ru": "Признаёт ошибку и говорит, что сделал потом.",
        "good_answer_en": "",
    }


# --- who may ----------------------------------------------------------------


def test_champion_reaches_the_design_screens(client, champion):
    procedure = procedure_with_stages()
    stage = procedure.stages.first()
    client.force_login(champion)
    for url in (
        reverse("selection_procedures:index"),
        reverse("selection_procedures:add"),
        reverse("selection_procedures:edit", args=[procedure.pk]),
        reverse("selection_stages:index") + f"?procedure={procedure.pk}",
        reverse("selection_stages:edit", args=[stage.pk]),
        reverse("selection_procedure_copy", args=[procedure.pk]),
    ):
        assert client.get(url).status_code == 200, url


def test_administrator_reads_procedures_without_changing_them(client, administrator):
    procedure = procedure_with_stages()
    stage = procedure.stages.first()
    client.force_login(administrator)
    for url in (
        reverse("selection_procedures:index"),
        reverse("selection_procedures:inspect", args=[procedure.pk]),
        reverse("selection_stages:inspect", args=[stage.pk]),
    ):
        assert client.get(url).status_code == 200, url
    inspect = client.get(reverse("selection_procedures:inspect", args=[procedure.pk]))
    assert reverse("selection_stages:inspect", args=[stage.pk]) in (
        inspect.content.decode()
    )
    for url in (
        reverse("selection_procedures:add"),
        reverse("selection_procedures:edit", args=[procedure.pk]),
        reverse("selection_stages:edit", args=[stage.pk]),
        reverse("selection_procedure_copy", args=[procedure.pk]),
    ):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert "w-editor-form" not in response.content.decode()
    before = procedure.title_ru
    client.post(
        reverse("selection_procedures:edit", args=[procedure.pk]),
        procedure_form(procedure.framework_version, title_ru="Изменено"),
    )
    procedure.refresh_from_db()
    assert procedure.title_ru == before


@pytest.mark.parametrize("role", [Role.OFFICER, Role.ASSESSOR])
def test_officers_and_assessors_are_kept_out_of_the_design_screens(
    client, make_user, role
):
    procedure = procedure_with_stages()
    stage = procedure.stages.first()
    client.force_login(make_user(role))
    for url in (
        reverse("selection_procedures:index"),
        reverse("selection_procedures:edit", args=[procedure.pk]),
        reverse("selection_procedures:inspect", args=[procedure.pk]),
        reverse("selection_stages:edit", args=[stage.pk]),
        reverse("selection_procedure_copy", args=[procedure.pk]),
    ):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert str(procedure) not in response.content.decode()
    response = client.post(reverse("selection_procedure_copy", args=[procedure.pk]))
    assert response.status_code in (302, 403)
    assert Procedure.objects.count() == 1


# --- designing through the admin ---------------------------------------------


def test_champion_creates_a_procedure_with_its_stages(client, champion):
    version = procedure_with_stages().framework_version
    client.force_login(champion)
    form = client.get(reverse("selection_procedures:add"))
    assert form.context["form"].initial["framework_version"] == version.pk
    response = client.post(
        reverse("selection_procedures:add"),
        procedure_form(
            version,
            stages=[
                stage_row("screening", "Отбор анкет", "2.50"),
                stage_row("interview", "Структурированное собеседование"),
            ],
        ),
    )
    assert response.status_code == 302, response.context["form"].errors
    procedure = Procedure.objects.get(title_en="Selecting probation inspectors, 2027")
    assert response["Location"] == reverse(
        "selection_procedures:edit", args=[procedure.pk]
    )
    assert procedure.created_by == champion
    assert procedure.framework_version == version
    stages = list(procedure.stages.order_by("sort_order"))
    assert [(s.kind, s.name_ru, str(s.pass_mark)) for s in stages] == [
        ("screening", "Отбор анкет", "2.50"),
        ("interview", "Структурированное собеседование", "3.00"),
    ]
    page = client.get(response["Location"]).content.decode()
    for stage in stages:
        assert reverse("selection_stages:edit", args=[stage.pk]) in page
    assert (
        in_admin_language("«%(stage)s» assesses no competency.", stage=stages[0])
        in page
    )


def test_a_draft_framework_version_and_a_missing_title_are_refused(client, champion):
    procedure_with_stages()
    draft = FrameworkVersionFactory(label="2027.draft", live=False)
    client.force_login(champion)
    response = client.post(
        reverse("selection_procedures:add"),
        procedure_form(draft, title_kk="", title_ru="", title_en=""),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "framework_version" in errors
    assert errors["title_ru"] == [
        in_admin_language("Give the title in at least one language.")
    ]
    assert Procedure.objects.count() == 1
    # What was typed is still there.
    assert "Четыре этапа, по правилу 22 ЕПП." in response.content.decode()


def test_champion_chooses_a_stage_competencies_weights_and_questions(client, champion):
    version = procedure_with_stages(competencies=3).framework_version
    integrity, empathy, _third = version.competencies.order_by("sort_order")
    procedure = ProcedureFactory(framework_version=version)
    stage = StageFactory(procedure=procedure, kind=StageKind.INTERVIEW)
    client.force_login(champion)
    response = client.post(
        reverse("selection_stages:edit", args=[stage.pk]),
        stage_form(
            stage,
            competencies=[
                competency_row(integrity, 60, minimum=3),
                competency_row(empathy, 40),
            ],
            questions=[question_row(integrity)],
        ),
    )
    assert response.status_code == 302, response.context["form"].errors
    assert response["Location"] == reverse(
        "selection_procedures:edit", args=[procedure.pk]
    )
    rows = list(stage.competencies.order_by("sort_order"))
    assert [(r.competency, r.weight, r.minimum) for r in rows] == [
        (integrity, 60, 3),
        (empathy, 40, None),
    ]
    question = InterviewQuestion.objects.get(stage=stage)
    assert question.competency == integrity
    assert question.good_answer_ru.startswith("Признаёт ошибку")
    assert not any(
        finding.code == "weights_total" for finding in procedure_warnings(procedure)
    )


def test_weights_adding_up_to_90_are_kept_and_warned(client, champion):
    version = procedure_with_stages(competencies=2).framework_version
    integrity, empathy = version.competencies.order_by("sort_order")
    procedure = ProcedureFactory(framework_version=version)
    stage = StageFactory(procedure=procedure, name_ru="Собеседование")
    client.force_login(champion)
    response = client.post(
        reverse("selection_stages:edit", args=[stage.pk]),
        stage_form(
            stage,
            competencies=[
                competency_row(integrity, 50),
                competency_row(empathy, 40),
            ],
        ),
        follow=True,
    )
    assert sorted(stage.competencies.values_list("weight", flat=True)) == [40, 50]
    expected = in_admin_language(
        "The weights of «%(stage)s» add up to %(total)s%%, not 100%%.",
        stage=stage,
        total=90,
    )
    page = response.content.decode()
    assert expected in page, "shown on the procedure's screen after saving"
    assert (
        in_admin_language(
            "Saved, with %(count)d warnings: they are listed at the top.",
            count=len(procedure_warnings(procedure)),
        )
        in page
    )
    stage_page = client.get(reverse("selection_stages:edit", args=[stage.pk]))
    assert expected in stage_page.content.decode(), "and on the stage's own screen"
    assert codes(procedure_errors(procedure)) == ["weights_total"]


@pytest.mark.parametrize("weight", [0, 150])
def test_a_weight_outside_1_to_100_is_refused(client, champion, weight):
    version = procedure_with_stages(competencies=1).framework_version
    (integrity,) = version.competencies.all()
    stage = StageFactory(procedure=ProcedureFactory(framework_version=version))
    client.force_login(champion)
    response = client.post(
        reverse("selection_stages:edit", args=[stage.pk]),
        stage_form(stage, competencies=[competency_row(integrity, weight)]),
    )
    assert response.status_code == 200
    row_errors = response.context["form"].formsets["competencies"].forms[0].errors
    assert "weight" in row_errors
    assert not stage.competencies.exists()


def test_the_same_competency_twice_in_a_stage_is_refused(client, champion):
    version = procedure_with_stages(competencies=1).framework_version
    (integrity,) = version.competencies.all()
    stage = StageFactory(procedure=ProcedureFactory(framework_version=version))
    client.force_login(champion)
    response = client.post(
        reverse("selection_stages:edit", args=[stage.pk]),
        stage_form(
            stage,
            competencies=[
                competency_row(integrity, 50),
                competency_row(integrity, 50),
            ],
        ),
    )
    assert response.status_code == 200
    assert response.context["form"].formsets["competencies"].non_form_errors()
    assert not stage.competencies.exists()


def test_only_competencies_of_the_procedures_framework_version_are_offered(
    client, champion
):
    version = procedure_with_stages(competencies=1).framework_version
    (integrity,) = version.competencies.all()
    other = CompetencyFactory(
        version=FrameworkVersionFactory(label="2020.1"), name_ru="Старая"
    )
    stage = StageFactory(procedure=ProcedureFactory(framework_version=version))
    client.force_login(champion)
    page = client.get(reverse("selection_stages:edit", args=[stage.pk]))
    html = page.content.decode()
    assert f'value="{integrity.pk}"' in html
    assert "Старая" not in html
    response = client.post(
        reverse("selection_stages:edit", args=[stage.pk]),
        stage_form(stage, competencies=[competency_row(other, 100)]),
    )
    assert response.status_code == 200
    row_errors = response.context["form"].formsets["competencies"].forms[0].errors
    assert "competency" in row_errors
    assert not stage.competencies.exists()


def test_a_competency_assessed_by_one_method_only_is_warned(client, champion):
    procedure = procedure_with_stages(
        kinds=(StageKind.SCREENING, StageKind.INTERVIEW), competencies=2
    )
    screening, interview = procedure.stages.order_by("sort_order")
    integrity, empathy = procedure.framework_version.competencies.order_by("sort_order")
    # Empathy only at the interview (integrity gets all of the screening).
    screening.competencies.filter(competency=empathy).delete()
    screening.competencies.filter(competency=integrity).update(weight=100)
    warnings = procedure_warnings(procedure)
    single = [w for w in warnings if w.code == "single_method"]
    with translation.override("en"):
        assert f"Assessed by one method only: «{empathy}» (Structured interview)." in [
            w.message for w in procedure_warnings(procedure)
        ]
    assert len(single) == 1 and not single[0].blocking
    client.force_login(champion)
    page = client.get(reverse("selection_procedures:edit", args=[procedure.pk]))
    with translation.override(ADMIN_LANGUAGE):
        expected = gettext(
            "Assessed by one method only: «%(competency)s» (%(method)s)."
        ) % {"competency": empathy, "method": StageKind.INTERVIEW.label}
    assert expected in page.content.decode()
    assert not procedure_errors(procedure), "a warning, not an error"


# --- what the checks find ----------------------------------------------------


def test_checks_of_a_well_designed_procedure_find_nothing_to_block():
    procedure = procedure_with_stages(
        kinds=(StageKind.SCREENING, StageKind.INTERVIEW), competencies=3
    )
    interview = procedure.stages.get(kind=StageKind.INTERVIEW)
    for row in interview.competencies.all():
        InterviewQuestion.objects.create(
            stage=interview, competency=row.competency, question_ru="Вопрос"
        )
    # A knock-out minimum above the pass mark is deliberate.
    interview.competencies.update(minimum=5)
    assert procedure_warnings(procedure) == []
    assert procedure_errors(procedure) == []


def test_checks_name_each_problem_and_which_ones_block():
    version = procedure_with_stages(competencies=3).framework_version
    integrity, empathy, never = version.competencies.order_by("sort_order")
    procedure = ProcedureFactory(framework_version=version)
    assert codes(procedure_errors(procedure)) == ["no_stages"]
    empty = StageFactory(procedure=procedure, kind=StageKind.SCREENING, sort_order=0)
    interview = StageFactory(
        procedure=procedure, kind=StageKind.INTERVIEW, sort_order=1
    )
    role_play = StageFactory(
        procedure=procedure, kind=StageKind.ROLE_PLAY, sort_order=2
    )
    StageCompetency.objects.create(stage=interview, competency=integrity, weight=100)
    StageCompetency.objects.create(stage=role_play, competency=integrity, weight=100)
    InterviewQuestion.objects.create(
        stage=interview, competency=empathy, question_ru="Вопрос"
    )
    other_version = CompetencyFactory(version=FrameworkVersionFactory(label="2019.1"))
    StageCompetency.objects.create(stage=role_play, competency=other_version, weight=1)
    findings = procedure_warnings(procedure)
    by_code = {finding.code: finding for finding in findings}
    assert set(by_code) == {
        "no_competencies",
        "question_not_assessed",
        "no_scenario",
        "other_version",
        "weights_total",
        "never_assessed",
    }
    assert by_code["no_competencies"].stage_id == empty.pk
    assert by_code["question_not_assessed"].stage_id == interview.pk
    assert by_code["weights_total"].stage_id == role_play.pk
    with translation.override("en"):
        messages = [finding.message for finding in procedure_warnings(procedure)]
        assert (
            f"«{interview}» has questions on «{empathy}», which it does not assess."
            in messages
        )
        assert f"The weights of «{role_play}» add up to 101%, not 100%." in messages
    assert sorted(codes(procedure_errors(procedure))) == [
        "no_competencies",
        "other_version",
        "weights_total",
    ]
    # Integrity is assessed by an interview and a role-play: two methods.
    assert "single_method" not in by_code
    # Empathy has questions but is not assessed; the third never appears.
    never_messages = [f.message for f in findings if f.code == "never_assessed"]
    assert len(never_messages) == 2
    assert any(str(never) in message for message in never_messages)


# --- a procedure in use keeps its rules --------------------------------------


def test_an_open_vacancy_keeps_the_weights_of_its_procedure_but_texts_can_change(
    client, champion
):
    vacancy = vacancy_with_panel()
    stage = vacancy.procedure.stages.order_by("sort_order").first()
    client.force_login(champion)
    rows = existing_rows(stage)
    rows[0]["weight"] = str(int(rows[0]["weight"]) + 10)
    rows[1]["weight"] = str(int(rows[1]["weight"]) - 10)
    before = sorted(stage.competencies.values_list("weight", flat=True))
    response = client.post(
        reverse("selection_stages:edit", args=[stage.pk]),
        stage_form(stage, competencies=rows),
    )
    assert response.status_code == 200
    [error] = response.context["form"].non_field_errors()
    assert f"«{vacancy}»" in error
    assert error in response.content.decode(), "the champion sees why"
    assert sorted(stage.competencies.values_list("weight", flat=True)) == before
    assert "Задайте каждый вопрос" in response.content.decode(), "nothing typed lost"

    fixed_typo = client.post(
        reverse("selection_stages:edit", args=[stage.pk]),
        stage_form(stage, competencies=existing_rows(stage), name_ru="Собеседование"),
    )
    assert fixed_typo.status_code == 302
    stage.refresh_from_db()
    assert stage.name_ru == "Собеседование"


def test_an_open_vacancy_keeps_the_stages_of_its_procedure(client, champion):
    vacancy = vacancy_with_panel()
    procedure = vacancy.procedure
    stages = list(procedure.stages.order_by("sort_order"))
    client.force_login(champion)
    rows = [
        stage_row(s.kind, s.name_ru, str(s.pass_mark), id=s.pk, name_kk=s.name_kk)
        for s in stages
    ]
    rows[-1]["DELETE"] = "1"
    response = client.post(
        reverse("selection_procedures:edit", args=[procedure.pk]),
        procedure_form(procedure.framework_version, stages=rows, initial=len(stages)),
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert procedure.stages.count() == len(stages)
    assert VacancyStage.objects.filter(vacancy=vacancy).count() == len(stages)


def test_draft_vacancies_follow_the_stages_of_their_procedure(client, champion):
    vacancy = vacancy_with_panel(status=VacancyStatus.DRAFT)
    procedure = vacancy.procedure
    first, second = procedure.stages.order_by("sort_order")
    client.force_login(champion)
    rows = [
        stage_row(s.kind, s.name_ru, str(s.pass_mark), id=s.pk) for s in (first, second)
    ]
    rows[1]["DELETE"] = "1"
    response = client.post(
        reverse("selection_procedures:edit", args=[procedure.pk]),
        procedure_form(procedure.framework_version, stages=rows, initial=2),
    )
    assert response.status_code == 302, response.context["form"].errors
    assert list(procedure.stages.all()) == [first]
    assert list(vacancy.stages.values_list("stage_id", flat=True)) == [first.pk]

    rows = [stage_row(first.kind, first.name_ru, str(first.pass_mark), id=first.pk)]
    rows.append(stage_row("role_play", "Ролевая игра"))
    added = client.post(
        reverse("selection_procedures:edit", args=[procedure.pk]),
        procedure_form(procedure.framework_version, stages=rows, initial=1),
    )
    assert added.status_code == 302, added.context["form"].errors
    role_play = procedure.stages.get(kind=StageKind.ROLE_PLAY)
    assert set(vacancy.stages.values_list("stage_id", flat=True)) == {
        first.pk,
        role_play.pk,
    }, "the draft vacancy follows, ready for the new stage's assessors"


def test_a_new_framework_version_is_refused_once_stages_assess_competencies(
    client, champion
):
    procedure = procedure_with_stages()
    newer = FrameworkVersionFactory(label="2030.1")
    client.force_login(champion)
    rows = [
        stage_row(s.kind, s.name_ru, str(s.pass_mark), id=s.pk)
        for s in procedure.stages.order_by("sort_order")
    ]
    response = client.post(
        reverse("selection_procedures:edit", args=[procedure.pk]),
        procedure_form(newer, stages=rows, initial=len(rows)),
    )
    assert response.status_code == 200
    assert "framework_version" in response.context["form"].errors
    procedure.refresh_from_db()
    assert procedure.framework_version != newer


def test_a_copy_has_every_stage_and_rule_and_is_free_to_change(client, champion):
    vacancy = vacancy_with_panel()
    procedure = vacancy.procedure
    interview = procedure.stages.get(kind=StageKind.INTERVIEW)
    integrity = interview.competencies.order_by("sort_order").first().competency
    InterviewQuestion.objects.create(
        stage=interview, competency=integrity, question_ru="Вопрос о честности"
    )
    client.force_login(champion)
    response = client.post(reverse("selection_procedure_copy", args=[procedure.pk]))
    copy = Procedure.objects.exclude(pk=procedure.pk).get()
    assert response["Location"] == reverse("selection_procedures:edit", args=[copy.pk])
    assert copy.title_ru == in_admin_language(
        "%(title)s (copy)", title=procedure.title_ru
    )
    assert copy.created_by == champion

    def shape(of):
        return [
            (
                stage.kind,
                stage.name_ru,
                stage.pass_mark,
                [
                    (row.competency_id, row.weight, row.minimum)
                    for row in stage.competencies.order_by("sort_order")
                ],
                [q.question_ru for q in stage.questions.all()],
            )
            for stage in of.stages.order_by("sort_order")
        ]

    assert shape(copy) == shape(procedure)
    assert (
        not Stage.objects.filter(procedure=copy)
        .filter(pk__in=procedure.stages.values("pk"))
        .exists()
    )
    entry = AuditEntry.objects.get(action="selection.procedure.copy")
    assert entry.data == {"from": procedure.pk} and entry.actor == champion


def test_deleting_a_procedure_a_vacancy_uses_is_refused(client):
    superuser = UserFactory(is_superuser=True)
    procedure = procedure_with_stages()
    VacancyFactory(procedure=procedure, status=VacancyStatus.DRAFT)
    client.force_login(superuser)
    response = client.post(
        reverse("selection_procedures:delete", args=[procedure.pk]), follow=True
    )
    assert (
        in_admin_language("Vacancies use this procedure: it cannot be deleted.")
        in response.content.decode()
    )
    assert Procedure.objects.filter(pk=procedure.pk).exists()


def test_framework_choices_are_the_published_versions():
    from selection.design.forms import ProcedureForm
    from selection.design.viewsets import ProcedureViewSet

    current = procedure_with_stages().framework_version
    FrameworkVersionFactory(label="draft", live=False)
    form_class = ProcedureViewSet().get_form_class()
    assert issubclass(form_class, ProcedureForm)
    form = form_class(instance=Procedure())
    assert list(form.fields["framework_version"].queryset) == list(
        FrameworkVersion.objects.filter(live=True)
    )
    assert form.initial["framework_version"] == current.pk
