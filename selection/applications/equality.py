"""The optional equality questions of the application form and how their
answers read. An empty answer always means "prefer not to say".

Ethnicity is stored as a key from a fixed list (not free text) so that the
adverse-impact report can count groups; the list follows the largest groups of
Kazakhstan's 2021 census."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from selection.models import AgeBand, Disability, Gender


class Ethnicity(models.TextChoices):
    KAZAKH = "kazakh", pgettext_lazy("ethnicity", "Kazakh")
    RUSSIAN = "russian", pgettext_lazy("ethnicity", "Russian")
    UZBEK = "uzbek", pgettext_lazy("ethnicity", "Uzbek")
    UKRAINIAN = "ukrainian", pgettext_lazy("ethnicity", "Ukrainian")
    UYGHUR = "uyghur", pgettext_lazy("ethnicity", "Uyghur")
    GERMAN = "german", pgettext_lazy("ethnicity", "German")
    TATAR = "tatar", pgettext_lazy("ethnicity", "Tatar")
    KOREAN = "korean", pgettext_lazy("ethnicity", "Korean")
    OTHER = "other", pgettext_lazy("ethnicity", "Another ethnic group")
    UNDISCLOSED = "", _("Prefer not to say")


# EqualityResponse field -> its choices
QUESTIONS = {
    "gender": Gender,
    "age_band": AgeBand,
    "disability": Disability,
    "ethnicity": Ethnicity,
}


def equality_label(field: str, value: str) -> str:
    """How an answer reads in the active language ("" reads "Prefer not to say")."""
    choices = QUESTIONS[field]
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def equality_disclosed(answers: dict) -> bool:
    """Whether the candidate answered anything other than "prefer not to say"."""
    return any(answers.get(field) for field in QUESTIONS)
