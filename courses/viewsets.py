"""Admin screens for the records of the courses module: topics, enrolments and
certificates. Courses and lessons themselves are edited as Wagtail pages."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import ListingButton

from courses.models import Certificate, Enrolment, Topic
from courses.permissions import user_can_revoke_certificates
from lms.viewsets import ListingQuerysetMixin


class TopicViewSet(ModelViewSet):
    model = Topic
    name = "topics"
    icon = "tag"
    menu_label = _("Topics")
    form_fields = ["code", "name_kk", "name_ru", "name_en"]
    list_display = ["name", "code"]
    search_fields = ["name_kk", "name_ru", "name_en", "code"]
    copy_view_enabled = False


class EnrolmentViewSet(ListingQuerysetMixin, ModelViewSet):
    model = Enrolment
    name = "enrolments"
    icon = "group"
    menu_label = _("Enrolments")
    list_display = [
        "user",
        "course_title",
        "status",
        "enrolled_at",
        "completed_at",
    ]
    list_filter = ["status"]
    search_fields = ["user__full_name", "user__username", "course_title"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "user",
        "course_title",
        "status",
        "enrolled_at",
        "completed_at",
        "withdrawn_at",
        "cpd_hours",
    ]
    create_view_enabled = False
    copy_view_enabled = False
    form_fields = []

    def get_queryset(self, request):
        return Enrolment.objects.select_related("user")


class CertificateIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.revoked_at is None and user_can_revoke_certificates(
            self.request.user
        ):
            buttons.append(
                ListingButton(
                    _("Revoke"),
                    reverse("courses_certificate_revoke", args=[instance.pk]),
                    icon_name="cross",
                    priority=20,
                )
            )
        return buttons


class CertificateViewSet(ListingQuerysetMixin, ModelViewSet):
    model = Certificate
    index_view_class = CertificateIndexView
    name = "certificates"
    icon = "doc-full-inverse"
    menu_label = _("Certificates")
    list_display = [
        "code",
        "full_name",
        "course_title",
        "issued_on",
        "valid_until",
        Column("state", label=_("State"), accessor="state_label"),
    ]
    search_fields = ["code", "full_name", "course_title"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "code",
        "full_name",
        "user",
        "course_title",
        "cpd_hours",
        "language",
        "issued_on",
        "valid_until",
        "revoked_at",
        "revoked_by",
        "revocation_reason",
    ]
    create_view_enabled = False
    copy_view_enabled = False
    form_fields = []

    def get_queryset(self, request):
        return Certificate.objects.select_related("user", "revoked_by")


class LearningGroup(ViewSetGroup):
    menu_label = _("Learning")
    menu_icon = "clipboard-list"
    menu_order = 250
    items = (EnrolmentViewSet, CertificateViewSet, TopicViewSet)
