"""Factories for selection: a procedure with stages on a current framework, a
vacancy with a panel and assessors, applications, assignments and scores."""

import datetime

import factory
from django.utils import timezone

from lms.models import FrameworkVersion
from lms.roles import Role
from selection.models import (
    Application,
    Assignment,
    Procedure,
    Score,
    Stage,
    StageCompetency,
    StageKind,
    Vacancy,
    VacancyStage,
    VacancyStatus,
)
from selection.models.scoring import evidence_digest
from tests.lms.factories import OfficeFactory, UserFactory, current_framework


class ProcedureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Procedure

    title_kk = "Пробация қызметкерін іріктеу"
    title_ru = "Отбор сотрудников пробации"
    title_en = "Selecting probation officers"
    framework_version = factory.LazyFunction(current_framework)


class StageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stage

    procedure = factory.SubFactory(ProcedureFactory)
    kind = StageKind.INTERVIEW
    name_kk = factory.Sequence(lambda n: f"Кезең {n}")
    name_ru = factory.Sequence(lambda n: f"Этап {n}")
    name_en = factory.Sequence(lambda n: f"Stage {n}")
    sort_order = factory.Sequence(lambda n: n)


def procedure_with_stages(
    kinds=(StageKind.SCREENING, StageKind.INTERVIEW), competencies: int = 3
) -> Procedure:
    """A procedure whose every stage assesses every competency of a current
    framework, with equal weights adding up to 100; the first competency
    (integrity) has a knock-out minimum of 3."""
    # One framework is current at a time: reuse it when a test has one.
    version = FrameworkVersion.objects.current() or current_framework(competencies)
    procedure = ProcedureFactory(framework_version=version)
    competency_list = list(version.competencies.order_by("sort_order"))
    weights = [100 // len(competency_list)] * len(competency_list)
    weights[0] += 100 - sum(weights)
    for order, kind in enumerate(kinds):
        stage = StageFactory(procedure=procedure, kind=kind, sort_order=order)
        for position, (competency, weight) in enumerate(
            zip(competency_list, weights, strict=True)
        ):
            StageCompetency.objects.create(
                stage=stage,
                competency=competency,
                weight=weight,
                minimum=3 if position == 0 else None,
                sort_order=position,
            )
    return procedure


class VacancyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vacancy
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"almaty-2026-{n}")
    title_kk = "Пробация инспекторы"
    title_ru = "Инспектор пробации"
    title_en = "Probation officer"
    description_ru = "Работа с осуждёнными, состоящими на учёте."
    office = factory.SubFactory(OfficeFactory)
    posts = 1
    opens_on = factory.LazyFunction(
        lambda: timezone.localdate() - datetime.timedelta(days=10)
    )
    closes_on = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=10)
    )
    procedure = factory.LazyFunction(procedure_with_stages)
    status = VacancyStatus.OPEN
    chair = factory.SubFactory(UserFactory)


def vacancy_with_panel(assessors_per_stage: int = 2, **fields) -> Vacancy:
    """A vacancy with every stage set up: the same assessors on every stage
    (Assessor role), a chair and one more panel member."""
    chair = UserFactory(roles=[Role.ASSESSOR])
    vacancy = VacancyFactory(chair=chair, **fields)
    vacancy.panel.add(chair, UserFactory(roles=[Role.ASSESSOR]))
    assessors = [UserFactory(roles=[Role.ASSESSOR]) for _ in range(assessors_per_stage)]
    for stage in vacancy.procedure.stages.order_by("sort_order"):
        vacancy_stage = VacancyStage.objects.create(vacancy=vacancy, stage=stage)
        vacancy_stage.assessors.set(assessors)
    return vacancy


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    vacancy = factory.SubFactory(VacancyFactory)
    full_name = factory.Sequence(lambda n: f"Айгерім Нұрланқызы {n}")
    email = factory.Sequence(lambda n: f"candidate{n}@example.kz")
    phone = "+7 701 234 56 78"
    education = "Юридический факультет КазНУ, 2020"
    experience = "Три года в социальной службе"
    motivation = "Хочу помогать людям вернуться к жизни без преступлений."
    language = "ru"
    consent_at = factory.LazyFunction(timezone.now)
    consent_retention_months = 12


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    vacancy_stage = None
    application = None
    assessor = factory.SubFactory(UserFactory, roles=[Role.ASSESSOR])


def score(assignment, competency, point=None, evidence="Привёл конкретный пример."):
    """A score as the scoring service stores it (None: not observed)."""
    return Score.objects.create(
        assignment=assignment,
        competency=competency,
        point=point,
        not_observed=point is None,
        evidence=evidence,
        evidence_digest=evidence_digest(evidence),
    )
