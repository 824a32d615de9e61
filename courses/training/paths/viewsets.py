"""Admin screens of learning paths: trainers and managers define a path (its
names and descriptions in three languages, and its courses in order) as a
snippet. Enrolling cohorts happens in Ustaz itself (learning/paths/)."""

from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.snippets import CreateView, SnippetViewSet

from courses.models import LearningPath


class LearningPathCreateView(CreateView):
    def save_instance(self):
        self.form.instance.created_by = self.request.user
        return super().save_instance()


class LearningPathViewSet(SnippetViewSet):
    model = LearningPath
    icon = "list-ol"
    menu_label = _("Learning paths")
    add_to_admin_menu = True
    menu_order = 320
    add_view_class = LearningPathCreateView
    copy_view_enabled = False
    list_display = [
        "name",
        Column("step_count", label=_("Courses")),
        Column("officer_count", label=_("Officers enrolled")),
    ]
    search_fields = ["name_kk", "name_ru", "name_en"]

    def get_queryset(self, request):
        return LearningPath.objects.annotate(
            step_count=Count("steps", distinct=True),
            officer_count=Count("enrolments", distinct=True),
        ).order_by("name_ru", "pk")


VIEWSETS: list = [LearningPathViewSet]
