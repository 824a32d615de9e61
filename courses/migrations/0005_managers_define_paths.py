"""Managers define learning paths as trainers do, in the admin: they get into
it (they already hold add/change on learning paths and nothing else there)."""

from django.db import migrations


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name="Manager")
    group.permissions.add(
        Permission.objects.get(
            content_type__app_label="wagtailadmin", codename="access_admin"
        )
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Manager").first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="wagtailadmin", codename="access_admin"
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0004_training_roles"),
        ("lms", "0003_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
