from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lms.templatetags.ustaz_tags import lookup

register = template.Library()


register.filter("lookup", lookup)


@register.filter
def hours(value) -> str:
    """A length in hours, without a needless ".0"."""
    if value is None:
        return ""
    number = f"{value:f}".rstrip("0").rstrip(".")
    return ngettext(
        "%(n)s hour", "%(n)s hours", int(value) if value == int(value) else 2
    ) % {"n": number}


@register.simple_tag
def language_name(code: str) -> str:
    names = {"kk": "Қазақша", "ru": "Русский", "en": "English"}
    return names.get(code, code)


@register.filter
def minutes(value) -> str:
    return _("%(n)s min") % {"n": value}
