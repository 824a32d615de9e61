from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")

    def ready(self):
        from wagtail.permissions import register_permission_policy

        from courses import registrations  # noqa: F401

        # Celery finds `courses.tasks`; the training parts keep their own.
        for part in ("assignments", "sessions", "paths", "compliance"):
            import_module(f"courses.training.{part}.tasks")
        from courses.models import Certificate, Enrolment
        from lms.viewsets import ReadOnlyPermissionPolicy

        # Enrolments and certificates are made by learning, not typed in the
        # admin; revoking a certificate is its own audited action.
        for model in (Enrolment, Certificate):
            register_permission_policy(
                model, ReadOnlyPermissionPolicy(model), exact_class=True
            )
