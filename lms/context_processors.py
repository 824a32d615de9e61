from django.conf import settings


def ustaz(request):
    """What the base layout needs on every page: languages and the unread count."""
    user = getattr(request, "user", None)
    context = {
        "USTAZ_DEMO_MODE": settings.USTAZ_DEMO_MODE,
        "ustaz_languages": settings.LANGUAGES,
    }
    if user is not None and user.is_authenticated:
        # Lazy: counted only when a template shows it.
        context["unread_notifications"] = lambda: user.notifications.unread().count()
    return context
