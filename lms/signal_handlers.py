"""Side effects of the core that need no caller to remember them: the audit log
of sign-ins and lockouts, and the user's language on sign-in."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import (
    user_logged_in,
    user_logged_out,
    user_login_failed,
)
from wagtail.signals import published

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
