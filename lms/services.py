"""Writes of the core that touch several rows, send mail or enqueue work.

Views, forms, admin actions, tasks and seed_demo all call these.
"""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import WorkflowState
from wagtail.users.models import UserProfile

from lms.audit import audit_record
from lms.i18n import language_codes
from lms.models import Competency, FrameworkVersion, Notification, Office, User
from lms.roles import Role


def email_enqueue(
    *, subject: str, body: str, to: list[str], html_body: str | None = None
) -> None:
    """Send an e-mail through Celery once the current transaction commits."""
    from lms.tasks import email_send

    subject, body = str(subject), str(body)
    transaction.on_commit(lambda: email_send.delay(subject, body, list(to), html_body))


def email_deliver(
    *, subject: str, body: str, to: list[str], html_body: str | None = None
) -> None:
    message = EmailMultiAlternatives(
        subject=" ".join(subject.splitlines()), body=body, to=to
    )
    if html_body:
        message.attach_alternative(html_body, "text/html")
    message.send()


@transaction.atomic
def notification_send(
    *,
    recipient: User,
    subject: str,
    body: str = "",
    url: str = "",
    email: bool = True,
) -> Notification:
    """Notify one user: an entry in their list, plus an e-mail through Celery.

    `subject` and `body` may be lazy translations: they are rendered in the
    recipient's language. Never put confidential content in them (intervision
    cases, scores): give a link instead.
    """
    with translation.override(recipient.preferred_language):
        notification = Notification(
            recipient=recipient,
            subject=str(subject)[:200],
            body=str(body),
            url=url,
            email_requested=email and bool(recipient.email),
        )
    notification.full_clean()
    notification.save()
    if notification.email_requested:
        from lms.tasks import notification_email_send

        transaction.on_commit(lambda: notification_email_send.delay(notification.pk))
    return notification


@transaction.atomic
def notification_email_deliver(*, notification_id: int) -> None:
    """E-mail a notification once; a retry after success sends nothing."""
    notification = (
        Notification.objects.select_for_update()
        .select_related("recipient")
        .filter(pk=notification_id)
        .first()
    )
    if (
        notification is None
        or notification.emailed_at
        or not notification.email_requested
    ):
        return
    recipient = notification.recipient
    if not recipient.email or not recipient.is_active:
        return
    with translation.override(recipient.preferred_language):
        context = {
            "notification": notification,
            "recipient": recipient,
            "link": _absolute(notification.url),
            "site_url": settings.SITE_URL,
        }
        body = render_to_string("lms/email/notification.txt", context)
    email_deliver(subject=notification.subject, body=body, to=[recipient.email])
    notification.emailed_at = timezone.now()
    notification.save(update_fields=["emailed_at"])


def notifications_mark_read(
    *, user: User, notification_ids: list[int] | None = None
) -> int:
    """Mark the user's notifications read (all of them when no ids are given)."""
    notifications = Notification.objects.for_user(user).unread()
    if notification_ids is not None:
        notifications = notifications.filter(pk__in=notification_ids)
    return notifications.update(read_at=timezone.now())


@transaction.atomic
def user_set_language(*, user: User, language: str) -> None:
    """Remember the user's language for Ustaz and, where Wagtail has it, its admin."""
    if language not in language_codes():
        raise ValidationError(_("This language is not available."), code="invalid")
    if user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
    admin_languages = {
        code for code, _name in settings.WAGTAILADMIN_PERMITTED_LANGUAGES
    }
    profile = UserProfile.get_for_user(user)
    profile_language = (
        language if language in admin_languages else settings.LANGUAGE_CODE
    )
    if profile.preferred_language != profile_language:
        profile.preferred_language = profile_language
        profile.save(update_fields=["preferred_language"])


@transaction.atomic
def framework_version_make_current(*, version: FrameworkVersion, actor: User) -> None:
    """Make a published framework version the one every module uses."""
    version = FrameworkVersion.objects.select_for_update().get(pk=version.pk)
    if not version.live:
        raise ValidationError(
            _("Publish this version before making it current."), code="not_live"
        )
    if version.is_current:
        return
    previous = FrameworkVersion.objects.filter(is_current=True).first()
    FrameworkVersion.objects.filter(is_current=True).update(is_current=False)
    version.is_current = True
    version.made_current_at = timezone.now()
    version.save(update_fields=["is_current", "made_current_at"])
    audit_record(
        action="framework.make_current",
        actor=actor,
        obj=version,
        data={"previous": previous.label if previous else None},
    )


# The fields a successor copies from the version it succeeds.
_VERSION_FIELDS = [
    f"{base}_{code}" for base in ("title", "description") for code in language_codes()
]
_COMPETENCY_FIELDS = [
    "key",
    "domain",
    "sort_order",
    *(f"{base}_{code}" for base in ("name", "definition") for code in language_codes()),
]


@transaction.atomic
def framework_version_draft_successor(
    *, version: FrameworkVersion, actor: User, label: str
) -> FrameworkVersion:
    """Start the next version from what `version` says: a draft with a new label
    and a copy of every competency, which the champions then edit and submit.
    Approved versions are never edited, only succeeded this way."""
    source = version.latest_content()
    successor = FrameworkVersion(
        label=label.strip(),
        live=False,
        has_unpublished_changes=True,
        **{field: getattr(source, field) for field in _VERSION_FIELDS},
    )
    successor.full_clean()
    successor.competencies = [
        Competency(
            **{field: getattr(competency, field) for field in _COMPETENCY_FIELDS},
            indicators=competency.indicators.get_prep_value(),
            scale=competency.scale.get_prep_value(),
        )
        for competency in source.competencies.all()
    ]
    successor.save()
    revision = successor.save_revision(user=actor, log_action=False)
    log(
        instance=successor,
        action="wagtail.create",
        user=actor,
        revision=revision,
        content_changed=True,
    )
    audit_record(
        action="framework.draft_successor",
        actor=actor,
        obj=successor,
        data={"succeeds": version.label},
    )
    return successor


@transaction.atomic
def framework_version_submit(
    *, version: FrameworkVersion, actor: User
) -> WorkflowState:
    """Put a draft before the champions' review (or back before it, after they
    asked for changes). What the admin's "Submit to Champions' review" does."""
    version.check_editable()
    workflow = version.get_workflow()
    if workflow is None:
        raise ValidationError(
            _("No review workflow is assigned to the competency framework."),
            code="no_workflow",
        )
    if version.workflow_in_progress:
        raise ValidationError(_("This version is already in review."), code="in_review")
    if version.latest_revision_id is None:
        version.save_revision(user=actor)
    state = version.current_workflow_state
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        state.resume(user=actor)
        return state
    return workflow.start(version, actor)


@transaction.atomic
def framework_version_review(
    *, version: FrameworkVersion, actor: User, approve: bool, comment: str = ""
) -> None:
    """A reviewer approves the version under review, or asks for changes (with a
    comment). The champion who submitted it cannot do either."""
    task_state = version.current_workflow_task_state
    if task_state is None:
        raise ValidationError(_("This version is not in review."), code="not_in_review")
    task = task_state.task.specific
    action = "approve" if approve else "reject"
    if action not in {
        name for name, _label, _modal in task.get_actions(version, actor)
    }:
        if version.current_workflow_state.requested_by_id == actor.pk:
            raise ValidationError(
                _("You submitted this version: another champion reviews it."),
                code="own_submission",
            )
        raise ValidationError(
            _("Only the reviewers of this version can approve it or ask for changes."),
            code="not_reviewer",
        )
    if not approve and not comment.strip():
        raise ValidationError(
            _("Say what must change before asking for changes."), code="no_comment"
        )
    task.on_action(task_state, actor, action, comment=comment.strip())


def _absolute(url: str) -> str:
    if not url or url.startswith(("http://", "https://")):
        return url
    return f"{settings.SITE_URL}{url}"


@transaction.atomic
def user_create(
    *,
    username: str,
    full_name: str,
    email: str = "",
    roles: Iterable[Role] = (),
    office: Office | None = None,
    hire_date: datetime.date | None = None,
    preferred_language: str = settings.LANGUAGE_CODE,
    password: str | None = None,
) -> User:
    """Create a user with their roles. Without a password the account can only
    be entered after a password reset."""
    user = User(
        username=username,
        full_name=full_name,
        email=email,
        office=office,
        hire_date=hire_date,
        preferred_language=preferred_language,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    user.groups.set(Group.objects.filter(name__in=[role.value for role in roles]))
    return user
