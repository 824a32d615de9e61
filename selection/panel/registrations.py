"""What the panel part adds to the core: the "Selection" section of an
officer's development record (their agreed scores at selection, weakest
first), and the link from an appointed candidate to their new account."""

from django.conf import settings
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _

from lms.registry import RecordSection, development_record


def _record_context(officer, viewer) -> dict:
    # The core decides who views a record (the officer, and whoever it lets
    # see theirs); this section adds no access of its own.
    from selection.panel.selectors import selection_profile

    return {"profile": selection_profile(officer)}


development_record.register(
    RecordSection(
        key="selection",
        title=_("Selection"),
        template="selection/record_section.html",
        get_context=_record_context,
        order=5,
    )
)


def _link_appointed_candidate(sender, instance, created, raw=False, **kwargs):
    """A new active account with an appointed candidate's e-mail is theirs."""
    if not created or raw:
        return
    from selection.panel.services import applications_link_new_user

    applications_link_new_user(user=instance)


post_save.connect(
    _link_appointed_candidate,
    sender=settings.AUTH_USER_MODEL,
    dispatch_uid="selection_panel_link_appointed_candidate",
)
