"""What the roles may do in training management: trainers write assignments,
sessions and learning paths and grade submissions; managers enrol cohorts and
see their office's compliance; administrators make courses mandatory."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {
    "Trainer": [
        "courses.add_assignment",
        "courses.change_assignment",
        "courses.delete_assignment",
        "courses.view_assignment",
        "courses.grade_submission",
        "courses.view_submission",
        "courses.add_trainingsession",
        "courses.change_trainingsession",
        "courses.view_trainingsession",
        "courses.add_learningpath",
        "courses.change_learningpath",
        "courses.view_learningpath",
        "courses.enrol_cohort",
    ],
    "Manager": [
        "courses.view_learningpath",
        "courses.add_learningpath",
        "courses.change_learningpath",
        "courses.enrol_cohort",
        "courses.view_office_compliance",
    ],
    "Administrator": [
        "courses.add_mandatoryrule",
        "courses.change_mandatoryrule",
        "courses.delete_mandatoryrule",
        "courses.view_mandatoryrule",
        "courses.view_learningpath",
        "courses.view_trainingsession",
        "courses.view_assignment",
        "courses.view_region_compliance",
    ],
}


def grant(apps, schema_editor):
    app_config = global_apps.get_app_config("courses")
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
    dependencies = [("courses", "0003_training")]

    operations = [migrations.RunPython(grant, revoke)]
