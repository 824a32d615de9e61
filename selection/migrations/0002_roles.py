"""What the roles may do in selection. Champions design procedures (and see the
reports, to improve the criteria); administrators run vacancies. Equality
answers are for a dedicated group, "Equality monitoring", that no role holds:
an administrator adds the people who need it."""

from functools import partial

from django.db import migrations

from lms.role_permissions import role_permissions_grant, role_permissions_revoke

ROLE_PERMISSIONS = {
    "Champion": [
        "selection.add_procedure",
        "selection.change_procedure",
        "selection.view_procedure",
        "selection.add_stage",
        "selection.change_stage",
        "selection.view_stage",
        "selection.view_vacancy",
        "selection.view_selection_reports",
    ],
    "Administrator": [
        "selection.view_procedure",
        "selection.view_stage",
        "selection.add_vacancy",
        "selection.change_vacancy",
        "selection.view_vacancy",
        "selection.view_application",
        "selection.view_selection_reports",
    ],
    "Equality monitoring": ["selection.view_equality_data"],
}


class Migration(migrations.Migration):
    dependencies = [
        ("selection", "0001_initial"),
        ("lms", "0003_roles"),
    ]

    operations = [
        migrations.RunPython(
            partial(
                role_permissions_grant,
                mapping=ROLE_PERMISSIONS,
                create_for=("selection",),
            ),
            partial(role_permissions_revoke, mapping=ROLE_PERMISSIONS),
        )
    ]
