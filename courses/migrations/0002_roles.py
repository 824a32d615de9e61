"""What the roles may do in the courses module. Trainers write courses (page
permissions on the catalogue are given where the catalogue is created), grade
written answers and look after topics; administrators revoke certificates."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {
    "Trainer": [
        "courses.grade_quizattempt",
        "courses.view_quizattempt",
        "courses.view_enrolment",
        "courses.add_topic",
        "courses.change_topic",
        "courses.view_topic",
        "wagtail_localize.submit_translation",
    ],
    "Administrator": [
        "courses.view_enrolment",
        "courses.view_quizattempt",
        "courses.view_certificate",
        "courses.revoke_certificate",
        "courses.add_topic",
        "courses.change_topic",
        "courses.delete_topic",
        "courses.view_topic",
        "wagtail_localize.submit_translation",
    ],
}


def grant(apps, schema_editor):
    for label in ("courses", "wagtail_localize"):
        app_config = global_apps.get_app_config(label)
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
        ("courses", "0001_initial"),
        ("lms", "0003_roles"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
