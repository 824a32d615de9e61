"""The edit screens of the design part, panel by panel: a procedure with its
stages in order; a stage with its competencies, questions and role-play
material in tabs; a vacancy with its dates, procedure and panel."""

from django import forms
from django.utils.translation import gettext_lazy
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)

from lms.i18n import translated_panels
from selection.design.forms import ProcedureForm, StageForm, VacancyForm

PROCEDURE_EDIT_HANDLER = ObjectList(
    [
        *translated_panels("title", "description"),
        FieldPanel("framework_version", widget=forms.Select),
        InlinePanel(
            "stages",
            label=gettext_lazy("Stage"),
            heading=gettext_lazy("Stages, in order"),
            help_text=gettext_lazy(
                "Save, then open each stage to choose its competencies, "
                "weights and material."
            ),
            panels=[
                FieldRowPanel([FieldPanel("kind"), FieldPanel("pass_mark")]),
                FieldRowPanel(
                    [
                        FieldPanel("name_kk"),
                        FieldPanel("name_ru"),
                        FieldPanel("name_en"),
                    ]
                ),
            ],
        ),
    ],
    base_form_class=ProcedureForm,
)

STAGE_COMPETENCY_PANELS = [
    FieldPanel("competency", widget=forms.Select),
    FieldRowPanel([FieldPanel("weight"), FieldPanel("minimum")]),
]
QUESTION_PANELS = [
    FieldPanel("competency", widget=forms.Select),
    *[
        FieldRowPanel(
            [FieldPanel(f"question_{code}"), FieldPanel(f"good_answer_{code}")]
        )
        for code in ("kk", "ru", "en")
    ],
]

STAGE_EDIT_HANDLER = TabbedInterface(
    [
        ObjectList(
            [
                FieldRowPanel([FieldPanel("kind"), FieldPanel("pass_mark")]),
                *translated_panels("name", "instructions"),
            ],
            heading=gettext_lazy("Stage"),
        ),
        ObjectList(
            [
                InlinePanel(
                    "competencies",
                    label=gettext_lazy("Assessed competency"),
                    heading=gettext_lazy("Assessed competencies"),
                    help_text=gettext_lazy(
                        "The weights of a stage add up to 100%. A minimum "
                        "score is a knock-out: below it a candidate cannot "
                        "pass, whatever the total."
                    ),
                    panels=STAGE_COMPETENCY_PANELS,
                ),
            ],
            heading=gettext_lazy("Competencies"),
        ),
        ObjectList(
            [
                InlinePanel(
                    "questions",
                    label=gettext_lazy("Question"),
                    heading=gettext_lazy("Questions"),
                    help_text=gettext_lazy(
                        "Questions per competency, with what a good answer "
                        "shows: the assessors see them beside the scale."
                    ),
                    panels=QUESTION_PANELS,
                ),
            ],
            heading=gettext_lazy("Questions"),
        ),
        ObjectList(
            [
                MultiFieldPanel(
                    [FieldPanel(f"scenario_{code}") for code in ("kk", "ru", "en")],
                    heading=gettext_lazy("Scenario"),
                ),
                MultiFieldPanel(
                    [FieldPanel(f"actor_brief_{code}") for code in ("kk", "ru", "en")],
                    heading=gettext_lazy("Actor's brief"),
                ),
            ],
            heading=gettext_lazy("Role-play"),
            help_text=gettext_lazy(
                "For a role-play exercise: what the candidate is told, and "
                "what the actor is told to do."
            ),
        ),
    ],
    base_form_class=StageForm,
)

VACANCY_EDIT_HANDLER = ObjectList(
    [
        FieldRowPanel([FieldPanel("reference"), FieldPanel("office")]),
        *translated_panels("title", "description"),
        FieldRowPanel(
            [
                FieldPanel("posts"),
                FieldPanel("opens_on"),
                FieldPanel("closes_on"),
            ]
        ),
        FieldPanel("procedure", widget=forms.Select),
        MultiFieldPanel(
            [
                FieldPanel("chair", widget=forms.Select),
                FieldPanel("panel", widget=forms.CheckboxSelectMultiple),
            ],
            heading=gettext_lazy("Panel"),
        ),
        FieldPanel("retention_months"),
    ],
    base_form_class=VacancyForm,
)
