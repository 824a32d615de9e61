from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class LmsConfig(AppConfig):
    name = "lms"
    verbose_name = _("Ustaz core")
    default = True

    def ready(self):
        from wagtail.permissions import register_permission_policy

        from lms import dashboard, signal_handlers  # noqa: F401
        from lms.models import AuditEntry
        from lms.viewsets import ReadOnlyPermissionPolicy

        signal_handlers.connect()
        register_permission_policy(
            AuditEntry, ReadOnlyPermissionPolicy(AuditEntry), exact_class=True
        )


class UstazUsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's user admin, with the fields Ustaz keeps on a user."""

    user_viewset = "lms.viewsets.UserViewSet"
