"""Admin screens of the core, all inside Wagtail's admin."""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import quote
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn, UpdatedAtColumn
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views.snippets import (
    CreateView,
    EditView,
    SnippetViewSet,
    UnpublishView,
)
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from lms.models import AuditEntry, FrameworkVersion, Office, Region
from lms.models.framework import ApprovedVersionLock

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


class ListingQuerysetMixin:
    """For a ModelViewSet with `get_queryset(request)`: Wagtail 8 calls that
    hook on snippet viewsets only, so a ModelViewSet's listing would ignore it
    (and its annotated columns would stay empty). This passes it to the index
    view, which calls it with the request, as snippet index views do."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.index_view_class = type(
            self.index_view_class.__name__,
            (_RequestQuerysetIndexMixin, self.index_view_class),
            {},
        )

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(queryset=self.get_queryset, **kwargs)

    def get_queryset(self, request):
        return None


class _RequestQuerysetIndexMixin:
    def get_base_queryset(self):
        if callable(self.queryset):
            self.queryset = self.queryset(self.request)
        return super().get_base_queryset()


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


class OfficeViewSet(ListingQuerysetMixin, ModelViewSet):
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


class WithoutDirectPublishMixin:
    """A framework version goes live only when the champions' review approves
    it: no "Publish" that skips the review, for anyone (superusers included)."""

    def get_available_actions(self):
        return [
            action for action in super().get_available_actions() if action != "publish"
        ]


class FrameworkVersionCreateView(WithoutDirectPublishMixin, CreateView):
    pass


class FrameworkVersionEditView(WithoutDirectPublishMixin, EditView):
    """Drafts are edited and submitted here; an approved version shows read-only
    (ApprovedVersionLock) and a save is refused with the data typed kept."""

    def is_valid(self, form):
        valid = super().is_valid(form)
        if (
            not valid
            and self.locked_for_user
            and isinstance(self.lock, ApprovedVersionLock)
        ):
            self.produced_error_message = gettext(
                "Version %(label)s is approved: approved versions are never edited. "
                "Nothing was saved. Draft a successor to propose changes."
            ) % {"label": self.live_object.label}
        return valid


class FrameworkVersionUnpublishView(UnpublishView):
    """Who: nobody. Every live version was approved; a successor replaces it,
    nothing withdraws it."""

    def get(self, request, *args, **kwargs):
        return self.refuse()

    def post(self, request, *args, **kwargs):
        return self.refuse()

    def refuse(self):
        messages.error(
            self.request,
            gettext(
                "An approved version is never unpublished: the champions approve a "
                "successor, which replaces it."
            ),
        )
        return redirect(self.edit_url_name, quote(self.object.pk))


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
    add_view_class = FrameworkVersionCreateView
    edit_view_class = FrameworkVersionEditView
    unpublish_view_class = FrameworkVersionUnpublishView
    # Wagtail's copy posts the competencies' ids to the create view, which drops
    # them; "Draft a successor" (lms.wagtail_hooks) copies them instead.
    copy_view_enabled = False

    def get_queryset(self, request):
        return FrameworkVersion.objects.with_listing_state()
