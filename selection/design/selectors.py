"""Reads the design screens share: who may sit on a panel or assess a stage,
the admin listings with their counts, and which vacancies hold a procedure."""

from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from lms.roles import Role
from selection.models import (
    ApplicationStatus,
    Procedure,
    Stage,
    Vacancy,
    VacancyStage,
    VacancyStatus,
)

ASSESSOR_ROLES = (Role.ASSESSOR, Role.CHAMPION)
PANEL_ROLES = (Role.ASSESSOR, Role.CHAMPION, Role.MANAGER)


def users_with_roles(roles, *, also=()) -> QuerySet:
    """Active users holding any of the roles, plus `also` (the people already
    chosen, so that a lost role never drops them silently from a form)."""
    also_ids = [user.pk if hasattr(user, "pk") else user for user in also]
    return (
        get_user_model()
        .objects.filter(
            Q(is_active=True, groups__name__in=[role.value for role in roles])
            | Q(pk__in=also_ids)
        )
        .distinct()
        .order_by("full_name", "username")
    )


def eligible_assessors(*, also=()) -> QuerySet:
    return users_with_roles(ASSESSOR_ROLES, also=also)


def eligible_panel_members(*, also=()) -> QuerySet:
    return users_with_roles(PANEL_ROLES, also=also)


def vacancies_holding(procedure: Procedure) -> QuerySet:
    """Vacancies past their draft that use the procedure: its rules are
    theirs now and can no longer change."""
    if procedure.pk is None:
        return Vacancy.objects.none()
    return Vacancy.objects.filter(procedure_id=procedure.pk).exclude(
        status=VacancyStatus.DRAFT
    )


def procedures_for_admin() -> QuerySet:
    return Procedure.objects.select_related("framework_version").annotate(
        stage_count=Count("stages", distinct=True),
        vacancy_count=Count("vacancies", distinct=True),
    )


def stages_for_admin() -> QuerySet:
    return Stage.objects.select_related("procedure").annotate(
        competency_count=Count("competencies"),
        weights_total=Coalesce(Sum("competencies__weight"), 0),
    )


def vacancies_for_admin() -> QuerySet:
    return Vacancy.objects.select_related("office", "procedure").annotate(
        application_count=Count("applications", distinct=True),
        in_progress_count=Count(
            "applications",
            filter=Q(applications__status=ApplicationStatus.IN_PROGRESS),
            distinct=True,
        ),
    )


def vacancy_stages_with_assessors(vacancy: Vacancy) -> list[VacancyStage]:
    get_user = get_user_model()
    return list(
        vacancy.stages.select_related("stage")
        .prefetch_related(
            Prefetch(
                "assessors",
                queryset=get_user.objects.order_by("full_name", "username"),
            )
        )
        .order_by("stage__sort_order", "pk")
    )
