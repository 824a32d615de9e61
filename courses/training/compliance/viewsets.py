"""Admin screens of mandatory training: administrators make a course mandatory
for a role or an office (courses.*_mandatoryrule)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, PageChooserPanel
from wagtail.admin.viewsets.model import ModelViewSet

from courses.models import MandatoryRule
from lms.roles import Role
from lms.viewsets import ListingQuerysetMixin


class MandatoryRuleViewSet(ListingQuerysetMixin, ModelViewSet):
    model = MandatoryRule
    name = "mandatory_training"
    icon = "warning"
    menu_label = _("Mandatory training")
    menu_order = 260
    add_to_admin_menu = True
    list_display = ["course", "role", "office", "deadline_days", "validity_months"]
    list_filter = ["role", "office"]
    copy_view_enabled = False
    panels = [
        PageChooserPanel("course", "courses.CoursePage"),
        FieldPanel(
            "role",
            widget=forms.Select(choices=[("", _("Every role")), *Role.choices]),
        ),
        FieldPanel("office"),
        FieldPanel("deadline_days"),
        FieldPanel("validity_months"),
        FieldPanel("renewal_days"),
        PageChooserPanel("refresher", "courses.CoursePage"),
    ]

    def get_queryset(self, request):
        return MandatoryRule.objects.select_related("course", "office")


VIEWSETS: list = [MandatoryRuleViewSet()]
