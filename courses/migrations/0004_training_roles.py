"""What the roles may do in training management: trainers write assignments,
sessions and learning paths and grade submissions; managers enrol cohorts and
see their office's compliance; administrators make courses mandatory."""

from functools import partial

from django.db import migrations

from lms.role_permissions import role_permissions_grant, role_permissions_revoke

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


class Migration(migrations.Migration):
    dependencies = [("courses", "0003_training")]

    operations = [
        migrations.RunPython(
            partial(
                role_permissions_grant,
                mapping=ROLE_PERMISSIONS,
                create_for=("courses",),
            ),
            partial(role_permissions_revoke, mapping=ROLE_PERMISSIONS),
        )
    ]
