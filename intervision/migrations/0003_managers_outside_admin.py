"""Managers run their office's groups in Ustaz itself, where what they see is
limited to their office. Now that managers may enter the admin (to define
learning paths), they must not list every office's groups there."""

from django.db import migrations


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Manager").first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="intervision", codename="view_group"
            )
        )


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Manager").first()
    if group is not None:
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="intervision", codename="view_group"
            )
        )


class Migration(migrations.Migration):
    dependencies = [("intervision", "0002_methods_and_roles")]

    operations = [migrations.RunPython(revoke, grant)]
