"""Side effects of the core that need no caller to remember them: the audit log
of sign-ins and lockouts and of the champions' review of the framework, the
user's language on sign-in, and the approved framework version made current."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import (
    user_logged_in,
    user_logged_out,
    user_login_failed,
)
from django.contrib.contenttypes.models import ContentType
from wagtail.models import WorkflowState
from wagtail.signals import published, task_approved, task_rejected, task_submitted

from lms import services
from lms.audit import audit_record
from lms.models import FrameworkVersion


def on_logged_in(sender, request, user, **kwargs):
    audit_record(action="auth.login", actor=user, obj=user)


def on_logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit_record(action="auth.logout", actor=user, obj=user)


def on_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    audit_record(action="auth.login_failed", data={"username": username})


def on_locked_out(sender, request, username=None, ip_address=None, **kwargs):
    audit_record(
        action="auth.locked_out",
        data={"username": str(username or "")[:150], "ip_address": ip_address},
    )


def on_framework_published(sender, instance, revision=None, **kwargs):
    actor = getattr(revision, "user", None)
    audit_record(action="framework.publish", actor=actor, obj=instance)


def _reviewed_version(task_state) -> FrameworkVersion | None:
    """The framework version a workflow task is about, if it is about one."""
    workflow_state = task_state.workflow_state
    framework_type = ContentType.objects.get_for_model(FrameworkVersion)
    if workflow_state.base_content_type_id != framework_type.pk:
        return None
    return FrameworkVersion.objects.filter(pk=workflow_state.object_id).first()


def _review_data(task_state, **extra) -> dict:
    return {
        "workflow": task_state.workflow_state.workflow.name,
        "task": task_state.task.name,
        "revision": task_state.revision_id,
        **extra,
    }


def on_framework_task_submitted(sender, instance, user=None, **kwargs):
    version = _reviewed_version(instance)
    if version is not None:
        audit_record(
            action="framework.submit",
            actor=user,
            obj=version,
            data=_review_data(instance),
        )


def on_framework_task_approved(sender, instance, user=None, **kwargs):
    version = _reviewed_version(instance)
    if version is None:
        return
    audit_record(
        action="framework.approve",
        actor=user,
        obj=version,
        data=_review_data(instance, comment=instance.comment),
    )
    # The last approval ends the workflow, and Wagtail has just published the
    # version: it becomes the one every module uses.
    finished = WorkflowState.objects.filter(
        pk=instance.workflow_state_id, status=WorkflowState.STATUS_APPROVED
    ).exists()
    if finished and version.live:
        services.framework_version_make_current(version=version, actor=user)


def on_framework_task_rejected(sender, instance, user=None, **kwargs):
    version = _reviewed_version(instance)
    if version is not None:
        audit_record(
            action="framework.reject",
            actor=user,
            obj=version,
            data=_review_data(instance, comment=instance.comment),
        )


def connect():
    user_logged_in.connect(on_logged_in, dispatch_uid="lms.audit.login")
    user_logged_out.connect(on_logged_out, dispatch_uid="lms.audit.logout")
    user_login_failed.connect(on_login_failed, dispatch_uid="lms.audit.login_failed")
    user_locked_out.connect(on_locked_out, dispatch_uid="lms.audit.locked_out")
    published.connect(
        on_framework_published,
        sender=FrameworkVersion,
        dispatch_uid="lms.audit.framework_published",
    )
    task_submitted.connect(
        on_framework_task_submitted, dispatch_uid="lms.framework.task_submitted"
    )
    task_approved.connect(
        on_framework_task_approved, dispatch_uid="lms.framework.task_approved"
    )
    task_rejected.connect(
        on_framework_task_rejected, dispatch_uid="lms.framework.task_rejected"
    )
