"""Fields stored once per interface language (name_kk, name_ru, name_en).

Records that every module points at by key (regions, offices, competencies) keep
their three languages on one row, so a score or a tag never has to choose which
translation it belongs to. Wagtail pages are translated with wagtail-localize.
"""

from django.conf import settings
from django.utils import translation
from wagtail.admin.panels import FieldPanel, MultiFieldPanel


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def language_fallbacks(language: str | None = None) -> list[str]:
    """The active language first, then the default, then the others."""
    active = (language or translation.get_language() or settings.LANGUAGE_CODE)[:2]
    order = [active, settings.LANGUAGE_CODE, *language_codes()]
    return list(dict.fromkeys(code for code in order if code in language_codes()))


class TranslatedField:
    """Read `<base>_<language>` for the active language, falling back to the others
    when a translation is still empty."""

    def __init__(self, base: str):
        self.base = base

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        for code in language_fallbacks():
            value = getattr(instance, f"{self.base}_{code}", "")
            if value:
                return value
        return ""


def translated_panels(*bases: str) -> list[MultiFieldPanel]:
    """One collapsible group of fields per language, headed by the language name."""
    return [
        MultiFieldPanel(
            [FieldPanel(f"{base}_{code}") for base in bases],
            heading=name,
            classname="collapsible",
        )
        for code, name in settings.LANGUAGES
    ]
