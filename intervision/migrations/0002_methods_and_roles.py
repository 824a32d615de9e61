"""The methods and case themes Ustaz ships with (the incident method, the
"gossip" method, the Balint group), in three languages, and what the roles may
do: managers run their office's groups, administrators keep the methods and
themes and see that groups and minutes exist."""

import json
from pathlib import Path

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

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


def grant(apps, schema_editor):
    app_config = global_apps.get_app_config("intervision")
    models_module = app_config.models_module
    app_config.models_module = models_module or True
    try:
        create_permissions(app_config, apps=apps, verbosity=0)
    finally:
        app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, dotted_names in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        for dotted in dotted_names:
            app_label, codename = dotted.split(".")
            group.permissions.add(
                Permission.objects.get(
                    content_type__app_label=app_label, codename=codename
                )
            )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, dotted_names in ROLE_PERMISSIONS.items():
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


class Migration(migrations.Migration):
    dependencies = [
        ("intervision", "0001_initial"),
        ("lms", "0003_roles"),
    ]

    operations = [
        migrations.RunPython(load_content, migrations.RunPython.noop),
        migrations.RunPython(grant, revoke),
    ]
