"""Giving roles permissions in data migrations. Each module's migration keeps
its own frozen mapping ({"Trainer": ["courses.grade_submission", ...]}) and
passes it here:

    operations = [
        migrations.RunPython(
            partial(role_permissions_grant, mapping=ROLE_PERMISSIONS,
                    create_for=("courses",)),
            partial(role_permissions_revoke, mapping=ROLE_PERMISSIONS),
        )
    ]

Only historical models (`apps`) are used, so a migration keeps working when
the models change later.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions


def _permissions_create(apps, app_labels) -> None:
    """Django creates permissions after all migrations; the roles need these
    ones now."""
    for label in app_labels:
        app_config = global_apps.get_app_config(label)
        models_module = app_config.models_module
        app_config.models_module = models_module or True
        try:
            create_permissions(app_config, apps=apps, verbosity=0)
        finally:
            app_config.models_module = models_module


def _permissions(apps, dotted_names):
    Permission = apps.get_model("auth", "Permission")
    for dotted in dotted_names:
        app_label, codename = dotted.split(".")
        yield Permission.objects.get(
            content_type__app_label=app_label, codename=codename
        )


def role_permissions_grant(apps, schema_editor, *, mapping, create_for=()) -> None:
    _permissions_create(apps, create_for)
    Group = apps.get_model("auth", "Group")
    for name, dotted_names in mapping.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(*_permissions(apps, dotted_names))


def role_permissions_revoke(apps, schema_editor, *, mapping) -> None:
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, dotted_names in mapping.items():
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        for dotted in dotted_names:
            app_label, codename = dotted.split(".")
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label=app_label, codename=codename
                )
            )
