from django.contrib import messages
from django.shortcuts import redirect
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import i18n as django_i18n
from django.views.decorators.http import require_POST

from lms import services
from lms.i18n import language_codes


@require_POST
def set_language(request):
    """Who: anyone. Switches the interface language; for a signed-in user the
    choice is stored on their profile, so it follows them to any device.

    Django's own view does the switch (safe `next`, translated URL, cookie); it
    ignores an unknown code silently, so that case is answered here."""
    language = request.POST.get("language", "")
    if language not in language_codes():
        next_url = request.POST.get("next") or "/"
        if not url_has_allowed_host_and_scheme(
            next_url,
            allowed_hosts={request.get_host()},
            require_https=request.is_secure(),
        ):
            next_url = "/"
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
    return django_i18n.set_language(request)
