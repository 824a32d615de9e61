"""What the roles may do in the courses module. Trainers write courses (page
permissions on the catalogue are given where the catalogue is created), grade
written answers and look after topics; administrators revoke certificates."""

from functools import partial

from django.db import migrations

from lms.role_permissions import role_permissions_grant, role_permissions_revoke

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


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0001_initial"),
        ("lms", "0003_roles"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
    ]

    operations = [
        migrations.RunPython(
            partial(
                role_permissions_grant,
                mapping=ROLE_PERMISSIONS,
                create_for=("courses", "wagtail_localize"),
            ),
            partial(role_permissions_revoke, mapping=ROLE_PERMISSIONS),
        )
    ]
