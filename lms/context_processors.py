def ustaz(request):
    """What the base layout needs on every page: the unread notification count."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Lazy: counted only when a template shows it.
    return {"unread_notifications": lambda: user.notifications.unread().count()}
