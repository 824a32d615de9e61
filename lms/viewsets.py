"""Admin screens of the core, all inside Wagtail's admin."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn, UpdatedAtColumn
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views.snippets import SnippetViewSet
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from lms.models import AuditEntry, FrameworkVersion, Office, Region

USER_FIELDS = [
    "username",
    "email",
    "full_name",
    "preferred_language",
    "office",
    "hire_date",
    "is_superuser",
    "groups",
]


class UstazUserCreationForm(UserCreationForm):
    first_name = None
    last_name = None

    class Meta(UserCreationForm.Meta):
        fields = USER_FIELDS
        widgets = {
            "groups": forms.CheckboxSelectMultiple,
            "hire_date": forms.DateInput(attrs={"type": "date"}),
        }


class UstazUserEditForm(UserEditForm):
    first_name = None
    last_name = None

    class Meta(UserEditForm.Meta):
        fields = [*USER_FIELDS, "is_active"]
        widgets = UstazUserCreationForm.Meta.widgets


class UserViewSet(WagtailUserViewSet):
    """Wagtail's user admin with full name, language, office and hire date."""

    def get_form_class(self, for_update=False):
        return UstazUserEditForm if for_update else UstazUserCreationForm


class RegionViewSet(ModelViewSet):
    model = Region
    name = "regions"
    icon = "site"
    menu_label = _("Regions")
    add_to_admin_menu = False
    form_fields = ["code", "name_kk", "name_ru", "name_en"]
    list_display = ["name", "code"]
    search_fields = ["name_kk", "name_ru", "name_en", "code"]
    copy_view_enabled = False


class OfficeViewSet(ModelViewSet):
    model = Office
    name = "offices"
    icon = "home"
    menu_label = _("Offices")
    add_to_admin_menu = False
    list_display = ["name", "region", "code", "address"]
    list_filter = ["region"]
    search_fields = ["name_kk", "name_ru", "name_en", "code", "address"]
    copy_view_enabled = False

    def get_queryset(self, request):
        return Office.objects.with_region()


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Nobody, superusers included, adds, changes or deletes through the admin."""

    def user_has_permission(self, user, action):
        if action != "view":
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return "view" in actions and self.user_has_permission(user, "view")


class AuditEntryViewSet(ModelViewSet):
    """The audit log: read-only, for administrators (lms.view_auditentry)."""

    model = AuditEntry
    name = "audit_log"
    icon = "history"
    menu_label = _("Audit log")
    add_to_admin_menu = False
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        DateColumn("created_at", label=_("When")),
        Column("actor_repr", label=_("Who")),
        Column("action", label=_("Action")),
        Column("object_repr", label=_("Object")),
    ]
    list_filter = ["action", "content_type"]
    search_fields = ["actor_repr", "action", "object_repr"]
    inspect_view_fields = [
        "created_at",
        "actor_repr",
        "action",
        "content_type",
        "object_id",
        "object_repr",
        "data",
    ]
    form_fields = []


class OrganisationGroup(ViewSetGroup):
    menu_label = _("Organisation")
    menu_icon = "group"
    menu_order = 250
    items = (RegionViewSet, OfficeViewSet, AuditEntryViewSet)


class FrameworkVersionViewSet(SnippetViewSet):
    model = FrameworkVersion
    icon = "tasks"
    menu_label = _("Competency framework")
    add_to_admin_menu = True
    menu_order = 240
    list_display = [
        "label",
        "title",
        BooleanColumn("is_current", label=_("Current")),
        "status_string",
        UpdatedAtColumn(),
    ]
    search_fields = ["label", "title_ru", "title_kk", "title_en"]
    copy_view_enabled = True
