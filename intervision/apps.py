from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntervisionConfig(AppConfig):
    name = "intervision"
    verbose_name = _("Intervision")

    def ready(self):
        from wagtail.permissions import register_permission_policy

        from intervision import registrations  # noqa: F401
        from intervision.models import Group, Meeting
        from lms.viewsets import ReadOnlyPermissionPolicy

        # Groups are run by their office's managers in Ustaz itself; the admin
        # only shows that they and their meetings exist.
        for model in (Group, Meeting):
            register_permission_policy(
                model, ReadOnlyPermissionPolicy(model), exact_class=True
            )
