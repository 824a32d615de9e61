"""Reads of the public vacancies pages and of candidates' own data."""

import datetime
import hashlib
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from selection.models import (
    Application,
    Stage,
    StageKind,
    Vacancy,
    VacancyStatus,
)

# Closing dates are days in Almaty, wherever the server runs.
ALMATY = ZoneInfo("Asia/Almaty")

# What a candidate can expect of each kind of stage.
STAGE_EXPLANATIONS = {
    StageKind.SCREENING: gettext_lazy(
        "The panel reads your application against the published criteria."
    ),
    StageKind.WRITTEN_TEST: gettext_lazy(
        "A written task, marked under your candidate code and not your name."
    ),
    StageKind.INTERVIEW: gettext_lazy(
        "Every candidate is asked the same questions about situations from "
        "probation work."
    ),
    StageKind.ROLE_PLAY: gettext_lazy(
        "You talk with an actor playing a client of the probation service, as "
        "you would at work."
    ),
    StageKind.PSYCHOLOGICAL: gettext_lazy(
        "An assessment with a psychologist of how you handle the demands of the work."
    ),
}


def almaty_today() -> datetime.date:
    return timezone.localdate(timezone=ALMATY)


def published_vacancies() -> QuerySet[Vacancy]:
    return Vacancy.objects.published().select_related("office__region")


def public_vacancy_lists(
    today: datetime.date | None = None,
) -> tuple[list[Vacancy], list[Vacancy]]:
    """(open, closed): vacancies still taking (or about to take) applications,
    closing soonest first; then the others, most recent first."""
    today = today or almaty_today()
    taking = Q(status=VacancyStatus.OPEN, closes_on__gte=today)
    open_vacancies = list(
        published_vacancies().filter(taking).order_by("closes_on", "pk")
    )
    closed_vacancies = list(
        published_vacancies().exclude(taking).order_by("-closes_on", "-pk")
    )
    return open_vacancies, closed_vacancies


def public_vacancy(reference: str) -> Vacancy | None:
    return (
        published_vacancies()
        .select_related("procedure")
        .filter(reference=reference)
        .first()
    )


def procedure_stages(vacancy: Vacancy) -> list[Stage]:
    return list(vacancy.procedure.stages.order_by("sort_order", "pk"))


def application_refusal(
    vacancy: Vacancy, today: datetime.date | None = None
) -> str | None:
    """Why this vacancy takes no application today, or None when it does."""
    today = today or almaty_today()
    if vacancy.status != VacancyStatus.OPEN:
        return _("Applications for this vacancy are closed.")
    if today < vacancy.opens_on:
        return _(
            "This vacancy does not take applications yet (they open on %(date)s)."
        ) % {"date": date_format(vacancy.opens_on, "DATE_FORMAT")}
    if today > vacancy.closes_on:
        return _(
            "The closing date of this vacancy (%(date)s) has passed: applications "
            "are no longer accepted."
        ) % {"date": date_format(vacancy.closes_on, "DATE_FORMAT")}
    return None


def retired_token(token: str) -> str:
    """What an access token becomes once the data is deleted: the old link
    can still say so, and the stored value does not give the link back."""
    return "deleted-" + hashlib.sha256(token.encode()).hexdigest()[:56]


def application_for_token(token: str) -> Application | None:
    """The candidate's application, or the anonymised one their old link
    pointed at."""
    if not token or len(token) > 64:
        return None
    queryset = Application.objects.select_related(
        "vacancy__office__region", "current_stage__stage", "decision", "equality"
    )
    return (
        queryset.filter(access_token=token, anonymised_at__isnull=True).first()
        or queryset.filter(
            access_token=retired_token(token), anonymised_at__isnull=False
        ).first()
    )


def application_for_staff(pk: int) -> Application | None:
    """An application as the panel sees it: never with its equality answers."""
    return (
        Application.objects.select_related(
            "vacancy__office__region", "current_stage__stage", "decision"
        )
        .filter(pk=pk)
        .first()
    )
