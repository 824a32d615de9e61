"""A framework version becomes current only through the champions' review: a
workflow "Champions' review" with one task, "Champions approve", for the
Champion group, assigned to framework versions.

Champions keep the publish permission because Wagtail publishes the approved
version as the champion who approves it; the admin offers no direct "Publish"
(lms.viewsets). Administrators no longer publish; they may make an earlier
approved version current again."""

from django.db import migrations

from lms.role_permissions import role_permissions_grant, role_permissions_revoke

WORKFLOW_NAME = "Champions' review"
TASK_NAME = "Champions approve"
GRANTED = {"Administrator": ["lms.make_current_frameworkversion"]}
REVOKED = {"Administrator": ["lms.publish_frameworkversion"]}


def _content_type(apps, model):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label="lms", model=model)[0]


def create_review(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    ChampionsApprovalTask = apps.get_model("lms", "ChampionsApprovalTask")

    task = ChampionsApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = ChampionsApprovalTask.objects.create(
            name=TASK_NAME,
            active=True,
            content_type=_content_type(apps, "championsapprovaltask"),
        )
    task.groups.add(Group.objects.get_or_create(name="Champion")[0])
    workflow, _created = Workflow.objects.get_or_create(
        name=WORKFLOW_NAME, defaults={"active": True}
    )
    WorkflowTask.objects.get_or_create(
        workflow=workflow, task_id=task.pk, defaults={"sort_order": 0}
    )
    WorkflowContentType.objects.update_or_create(
        content_type=_content_type(apps, "frameworkversion"),
        defaults={"workflow": workflow},
    )
    role_permissions_grant(apps, schema_editor, mapping=GRANTED, create_for=("lms",))
    role_permissions_revoke(apps, schema_editor, mapping=REVOKED)


def remove_review(apps, schema_editor):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    ChampionsApprovalTask = apps.get_model("lms", "ChampionsApprovalTask")
    Workflow.objects.filter(name=WORKFLOW_NAME).delete()
    ChampionsApprovalTask.objects.filter(name=TASK_NAME).delete()
    role_permissions_revoke(apps, schema_editor, mapping=GRANTED)
    role_permissions_grant(apps, schema_editor, mapping=REVOKED)


class Migration(migrations.Migration):
    dependencies = [
        ("lms", "0006_champions_approval_task"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_review, remove_review)]
