"""Admin screens of this part of training management: trainers write
assignments and their rubrics in the Wagtail admin (the panels are on the
model)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet

from courses.models import Assignment
from lms.viewsets import ListingQuerysetMixin


class AssignmentViewSet(ListingQuerysetMixin, ModelViewSet):
    model = Assignment
    name = "assignments"
    icon = "tasks"
    menu_label = _("Assignments")
    add_to_admin_menu = True
    menu_order = 260
    list_display = ["title", "course", "pass_mark", "max_files", "created_at"]
    search_fields = ["title", "brief"]
    copy_view_enabled = False
    inspect_view_enabled = True

    def get_queryset(self, request):
        return Assignment.objects.select_related("course")


VIEWSETS: list = [AssignmentViewSet()]
