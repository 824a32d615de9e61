"""Managers define learning paths as trainers do, in the admin: they get into
it (they already hold add/change on learning paths and nothing else there)."""

from functools import partial

from django.db import migrations

from lms.role_permissions import role_permissions_grant, role_permissions_revoke

ROLE_PERMISSIONS = {"Manager": ["wagtailadmin.access_admin"]}


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0004_training_roles"),
        ("lms", "0003_roles"),
    ]

    operations = [
        migrations.RunPython(
            partial(role_permissions_grant, mapping=ROLE_PERMISSIONS),
            partial(role_permissions_revoke, mapping=ROLE_PERMISSIONS),
        )
    ]
