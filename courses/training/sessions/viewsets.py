"""Admin screens of training sessions: a read-only list, so administrators see
every session and how full it is. Sessions are scheduled, booked and marked on
the site, through the services, never typed in the admin."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from courses.models.training import TrainingSession
from courses.training.sessions.selectors import with_counts
from lms.viewsets import ListingQuerysetMixin, ReadOnlyPermissionPolicy

register_permission_policy(
    TrainingSession, ReadOnlyPermissionPolicy(TrainingSession), exact_class=True
)


class TrainingSessionViewSet(ListingQuerysetMixin, ModelViewSet):
    model = TrainingSession
    name = "training_sessions"
    icon = "date"
    menu_label = _("Training sessions")
    menu_order = 260
    add_to_admin_menu = True
    list_display = [
        "course",
        "starts_at",
        "trainer",
        "venue",
        "capacity",
        Column("booked_count", label=_("Booked")),
        Column("waiting_count", label=_("Waiting")),
        "cancelled",
    ]
    list_filter = ["cancelled", "starts_at"]
    search_fields = ["venue", "trainer__full_name", "trainer__username"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "course",
        "trainer",
        "starts_at",
        "ends_at",
        "venue",
        "link",
        "capacity",
        "registration_deadline",
        "cancelled",
        "created_at",
    ]
    create_view_enabled = False
    copy_view_enabled = False
    form_fields = []

    def get_queryset(self, request):
        return with_counts(TrainingSession.objects.all())


VIEWSETS: list = [TrainingSessionViewSet()]
