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
from wagtail.users.models import UserProfile

from lms.audit import audit_record
from lms.i18n import language_codes
from lms.models import FrameworkVersion, Notification, Office, User
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
