"""The champions' procedure of the demo, written as the admin would write it:
its stages, the competencies each assesses with weights and minimums, the
interview questions and the role-play material, from content.json."""

from decimal import Decimal

from lms.models import Competency, FrameworkVersion, User
from selection.demo.plans import DESIGNER, PROCEDURE_TITLE
from selection.models import InterviewQuestion, Procedure, Stage, StageCompetency

LANGUAGES = ("kk", "ru", "en")


def translated(prefix: str, texts: dict) -> dict:
    return {f"{prefix}_{code}": texts.get(code, "") for code in LANGUAGES}


def procedure_seed(*, content: dict, version: FrameworkVersion) -> Procedure:
    """The procedure, unless it is there already (found by its English title)."""
    existing = Procedure.objects.filter(title_en=PROCEDURE_TITLE).first()
    if existing is not None:
        return existing
    data = content["procedure"]
    competencies = {c.key: c for c in Competency.objects.filter(version=version)}
    procedure = Procedure(
        framework_version=version,
        created_by=User.objects.get(username=DESIGNER),
        **translated("title", data["title"]),
        **translated("description", data["description"]),
    )
    procedure.full_clean()
    procedure.save()
    for order, stage_data in enumerate(data["stages"]):
        stage = Stage(
            procedure=procedure,
            sort_order=order,
            kind=stage_data["kind"],
            pass_mark=Decimal(stage_data["pass_mark"]),
            **translated("name", stage_data["name"]),
            **translated("instructions", stage_data["instructions"]),
            **translated("scenario", stage_data.get("scenario", {})),
            **translated("actor_brief", stage_data.get("actor_brief", {})),
        )
        stage.full_clean()
        stage.save()
        for position, row in enumerate(stage_data["competencies"]):
            StageCompetency.objects.create(
                stage=stage,
                competency=competencies[row["key"]],
                weight=row["weight"],
                minimum=row["minimum"],
                sort_order=position,
            )
        for position, question in enumerate(stage_data.get("questions", [])):
            InterviewQuestion.objects.create(
                stage=stage,
                competency=competencies[question["competency"]],
                sort_order=position,
                **translated("question", question["question"]),
                **translated("good_answer", question["good_answer"]),
            )
    return procedure
