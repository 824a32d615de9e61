from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

PARTS = ("design", "applications", "scoring", "panel", "reports")


class SelectionConfig(AppConfig):
    name = "selection"
    verbose_name = _("Selection")

    def ready(self):
        # Each part registers what it adds to the core (record sections,
        # dashboard panels, demo data) and its Celery tasks.
        for part in PARTS:
            import_module(f"selection.{part}.registrations")
            import_module(f"selection.{part}.tasks")
        import_module("selection.demo")
