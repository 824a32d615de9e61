"""Admin screens of selection (placeholder until the design part lands)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.base import ViewSetGroup


class SelectionGroup(ViewSetGroup):
    menu_label = _("Selection")
    menu_icon = "user"
    menu_order = 245
    items = ()
