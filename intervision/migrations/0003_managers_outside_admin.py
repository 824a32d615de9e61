"""Managers run their office's groups in Ustaz itself, where what they see is
limited to their office. Now that managers may enter the admin (to define
learning paths), they must not list every office's groups there."""

from functools import partial

from django.db import migrations

from lms.role_permissions import role_permissions_grant, role_permissions_revoke

ROLE_PERMISSIONS = {"Manager": ["intervision.view_group"]}


class Migration(migrations.Migration):
    dependencies = [("intervision", "0002_methods_and_roles")]

    operations = [
        migrations.RunPython(
            partial(role_permissions_revoke, mapping=ROLE_PERMISSIONS),
            partial(role_permissions_grant, mapping=ROLE_PERMISSIONS),
        )
    ]
