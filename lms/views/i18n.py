from django.contrib import messages
from django.shortcuts import redirect
from django.urls import translate_url
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms import services
from lms.i18n import language_codes
from lms.views.accounts import set_language_cookie


@require_POST
def set_language(request):
    """Who: anyone. Switches the interface language; for a signed-in user the
    choice is stored on their profile, so it follows them to any device."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    if language not in language_codes():
        # Say it in the language of the page the user goes back to.
        with translation.override(translation.get_language_from_path(next_url)):
            messages.error(
                request,
                _(
                    "“%(code)s” is not a language of Ustaz. "
                    "Choose Қазақша, Русский or English."
                )
                % {"code": language[:16]},
            )
        return redirect(next_url)
    if request.user.is_authenticated:
        services.user_set_language(user=request.user, language=language)
    response = redirect(translate_url(next_url, language))
    set_language_cookie(response, language)
    return response
