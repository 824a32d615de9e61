"""Admin screens of the intervision module. Administrators keep the methods
and the case themes, in three languages, and see which groups exist and which
meetings have minutes: never the cases or the minutes themselves."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.views.snippets import SnippetViewSet

from intervision.models import Group, Meeting, Method, Theme
from lms.viewsets import ListingQuerysetMixin


class MethodViewSet(SnippetViewSet):
    model = Method
    icon = "list-ol"
    menu_label = _("Intervision methods")
    list_display = ["name", "code", BooleanColumn("is_active", label=_("Offered"))]
    search_fields = ["name_kk", "name_ru", "name_en", "code"]
    copy_view_enabled = False


class ThemeViewSet(ModelViewSet):
    model = Theme
    name = "intervision_themes"
    icon = "tag"
    menu_label = _("Case themes")
    form_fields = ["code", "name_kk", "name_ru", "name_en"]
    list_display = ["name", "code"]
    search_fields = ["name_kk", "name_ru", "name_en", "code"]
    copy_view_enabled = False


class GroupViewSet(ListingQuerysetMixin, ModelViewSet):
    model = Group
    name = "intervision_groups"
    icon = "group"
    menu_label = _("Groups")
    list_display = [
        "name",
        "office",
        "facilitator",
        Column("member_count", label=_("Members")),
        BooleanColumn("is_active", label=_("Active")),
    ]
    list_filter = ["office__region", "is_active"]
    search_fields = ["name"]
    form_fields = []
    create_view_enabled = False
    copy_view_enabled = False

    def get_queryset(self, request):
        return Group.objects.select_related("office", "facilitator").annotate(
            member_count=Count("memberships", filter=Q(memberships__left_on=None))
        )


class MeetingViewSet(ListingQuerysetMixin, ModelViewSet):
    """That meetings took place and whether their minutes are approved."""

    model = Meeting
    name = "intervision_meetings"
    icon = "date"
    menu_label = _("Meetings")
    list_display = [
        "group",
        DateColumn("starts_at", label=_("Date")),
        "status",
        Column("minutes_state", label=_("Minutes")),
    ]
    list_filter = ["status", "group__office__region"]
    form_fields = []
    create_view_enabled = False
    copy_view_enabled = False

    def get_queryset(self, request):
        return Meeting.objects.select_related("group", "minutes")


class IntervisionGroup(ViewSetGroup):
    menu_label = _("Intervision")
    menu_icon = "group"
    menu_order = 270
    items = (ThemeViewSet, GroupViewSet, MeetingViewSet)
