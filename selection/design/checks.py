"""What Ustaz tells the champions about a procedure they design.

Warnings point at what is probably a mistake but may be a draft in progress:
the procedure is saved all the same. Some of them are also errors: a vacancy
cannot open with a procedure that has any (no stages, a stage without
competencies, weights that do not add up to 100%)."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from lms.models import Competency
from selection.models import (
    WEIGHTS_TOTAL,
    InterviewQuestion,
    Procedure,
    Stage,
    StageCompetency,
    StageKind,
)


@dataclass(frozen=True)
class DesignWarning:
    """One thing to tell the champions. `blocking` ones stop a vacancy from
    opening; `stage_id` says which stage it is about, if it is about one."""

    code: str
    message: str
    stage_id: int | None = None
    blocking: bool = False


def procedure_warnings(procedure: Procedure) -> list[DesignWarning]:
    """Everything worth telling about a procedure, errors included, in the
    order of its stages. A knock-out minimum above the pass mark is a
    deliberate choice, not a warning."""
    stages = _stages(procedure)
    framework = list(
        Competency.objects.filter(version_id=procedure.framework_version_id).order_by(
            "sort_order", "pk"
        )
    )
    in_framework = {competency.pk for competency in framework}
    findings: list[DesignWarning] = []
    if not stages:
        findings.append(
            DesignWarning(
                "no_stages", _("The procedure has no stages yet."), blocking=True
            )
        )
    assessed_at: dict[int, list[Stage]] = defaultdict(list)
    for stage in stages:
        findings.extend(_stage_findings(stage, procedure, in_framework))
        for assessed in stage.competencies.all():
            assessed_at[assessed.competency_id].append(stage)
    for competency in framework:
        at = assessed_at.get(competency.pk, [])
        if not at:
            if stages:
                findings.append(
                    DesignWarning(
                        "never_assessed",
                        _("Never assessed: no stage assesses «%(competency)s».")
                        % {"competency": competency},
                    )
                )
        elif len({stage.kind for stage in at}) == 1:
            findings.append(
                DesignWarning(
                    "single_method",
                    _("Assessed by one method only: «%(competency)s» (%(method)s).")
                    % {"competency": competency, "method": _method(at)},
                )
            )
    return findings


def procedure_errors(procedure: Procedure) -> list[DesignWarning]:
    """What stops a vacancy from opening with this procedure."""
    return [finding for finding in procedure_warnings(procedure) if finding.blocking]


def _stages(procedure: Procedure) -> list[Stage]:
    return list(
        Stage.objects.filter(procedure_id=procedure.pk)
        .order_by("sort_order", "pk")
        .prefetch_related(
            Prefetch(
                "competencies",
                queryset=StageCompetency.objects.select_related("competency").order_by(
                    "sort_order", "pk"
                ),
            ),
            Prefetch(
                "questions",
                queryset=InterviewQuestion.objects.select_related("competency"),
            ),
        )
    )


def _stage_findings(
    stage: Stage, procedure: Procedure, in_framework: set[int]
) -> list[DesignWarning]:
    findings = []
    assessed = list(stage.competencies.all())
    if not assessed:
        findings.append(
            DesignWarning(
                "no_competencies",
                _("«%(stage)s» assesses no competency.") % {"stage": stage},
                stage.pk,
                blocking=True,
            )
        )
    else:
        total = sum(row.weight for row in assessed)
        if total != WEIGHTS_TOTAL:
            findings.append(
                DesignWarning(
                    "weights_total",
                    _("The weights of «%(stage)s» add up to %(total)s%%, not 100%%.")
                    % {"stage": stage, "total": total},
                    stage.pk,
                    blocking=True,
                )
            )
    for row in assessed:
        if row.competency_id not in in_framework:
            findings.append(
                DesignWarning(
                    "other_version",
                    _(
                        "«%(stage)s» assesses «%(competency)s», which is not in "
                        "the framework version of the procedure (%(version)s)."
                    )
                    % {
                        "stage": stage,
                        "competency": row.competency,
                        "version": procedure.framework_version,
                    },
                    stage.pk,
                    blocking=True,
                )
            )
    assessed_ids = {row.competency_id for row in assessed}
    questions = list(stage.questions.all())
    orphans = {
        question.competency_id: question.competency
        for question in questions
        if question.competency_id not in assessed_ids
    }
    for competency in orphans.values():
        findings.append(
            DesignWarning(
                "question_not_assessed",
                _(
                    "«%(stage)s» has questions on «%(competency)s», which it does "
                    "not assess."
                )
                % {"stage": stage, "competency": competency},
                stage.pk,
            )
        )
    if stage.kind == StageKind.INTERVIEW and not questions:
        findings.append(
            DesignWarning(
                "no_questions",
                _("«%(stage)s» is an interview without questions.") % {"stage": stage},
                stage.pk,
            )
        )
    if stage.kind == StageKind.ROLE_PLAY and not (stage.scenario and stage.actor_brief):
        findings.append(
            DesignWarning(
                "no_scenario",
                _("«%(stage)s» is a role-play without its scenario or actor's brief.")
                % {"stage": stage},
                stage.pk,
            )
        )
    return findings


def _method(stages: list[Stage]) -> str:
    """The stages' kind, or their names when the kind is "Other"."""
    stage = stages[0]
    if stage.kind == StageKind.OTHER:
        return ", ".join(str(each) for each in stages)
    return str(stage.get_kind_display())
