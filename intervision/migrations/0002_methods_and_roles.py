"""The methods and case themes Ustaz ships with (the incident method, the
"gossip" method, the Balint group), in three languages, and what the roles may
do: managers run their office's groups, administrators keep the methods and
themes and see that groups and minutes exist."""

import json
from functools import partial
from pathlib import Path

from django.db import migrations

from lms.role_permissions import role_permissions_grant, role_permissions_revoke

CONTENT = Path(__file__).resolve().parent.parent / "content"

ROLE_PERMISSIONS = {
    "Manager": [
        "intervision.add_group",
        "intervision.change_group",
        "intervision.view_group",
    ],
    "Administrator": [
        "intervision.add_method",
        "intervision.change_method",
        "intervision.view_method",
        "intervision.add_theme",
        "intervision.change_theme",
        "intervision.view_theme",
        "intervision.view_group",
        "intervision.view_meeting",
    ],
}

LANGUAGES = ("kk", "ru", "en")


def _translated(base: str, texts: dict) -> dict:
    return {f"{base}_{code}": texts.get(code, "") for code in LANGUAGES}


def load_content(apps, schema_editor):
    Method = apps.get_model("intervision", "Method")
    MethodStep = apps.get_model("intervision", "MethodStep")
    Theme = apps.get_model("intervision", "Theme")
    for data in json.loads((CONTENT / "methods.json").read_text("utf-8")):
        method, created = Method.objects.get_or_create(
            code=data["code"],
            defaults=_translated("name", data["name"])
            | _translated("summary", data["summary"]),
        )
        if not created:
            continue
        for order, step in enumerate(data["steps"]):
            MethodStep.objects.create(
                method=method,
                sort_order=order,
                minutes=step["minutes"],
                speaks=step["speaks"],
                silent=step["silent"],
                bringer=step["bringer"],
                **_translated("title", step["title"]),
                **_translated("guidance", step["guidance"]),
                **_translated("produces", step["produces"]),
            )
    for data in json.loads((CONTENT / "themes.json").read_text("utf-8")):
        Theme.objects.get_or_create(
            code=data["code"], defaults=_translated("name", data["name"])
        )


class Migration(migrations.Migration):
    dependencies = [
        ("intervision", "0001_initial"),
        ("lms", "0003_roles"),
    ]

    operations = [
        migrations.RunPython(load_content, migrations.RunPython.noop),
        migrations.RunPython(
            partial(
                role_permissions_grant,
                mapping=ROLE_PERMISSIONS,
                create_for=("intervision",),
            ),
            partial(role_permissions_revoke, mapping=ROLE_PERMISSIONS),
        ),
    ]
