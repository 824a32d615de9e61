from django import template
from django.conf import settings
from django.utils import translation
from wagtail.models import Page

from lms.roles import Role

register = template.Library()


@register.simple_tag(takes_context=True)
def language_options(context) -> list[dict]:
    """Each interface language with where switching to it should lead: the
    translation of the current Wagtail page when there is one, else this page."""
    request = context.get("request")
    path = request.get_full_path() if request is not None else "/"
    translated_urls = {}
    page = context.get("page")
    if isinstance(page, Page) and page.pk:
        for translation_page in (
            page.get_translations(inclusive=True).live().select_related("locale")
        ):
            url = translation_page.get_url(request)
            if url:
                translated_urls[translation_page.locale.language_code] = url
    current = translation.get_language()
    return [
        {
            "code": code,
            "name": name,
            "next": translated_urls.get(code, path),
            "current": code == current,
        }
        for code, name in settings.LANGUAGES
    ]


@register.filter
def user_roles(user) -> list[str]:
    return [str(role.label) for role in Role if role in user.roles]


@register.simple_tag
def lockout_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


@register.filter
def lookup(mapping, key):
    """`mapping[key]`, or None: for dicts keyed by ids, codes or translation keys."""
    if not mapping:
        return None
    return mapping.get(key)
