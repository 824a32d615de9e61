"""Celery tasks of the core. Each takes ids or plain values, calls one service and
can run twice without harm."""

from celery import shared_task
from django.core import management

from lms import services

# SMTP errors, refused connections and timeouts are all OSErrors: retry them,
# backing off, for about two hours.
EMAIL_RETRY = {
    "autoretry_for": (OSError,),
    "retry_backoff": 30,
    "retry_jitter": True,
    "max_retries": 8,
}


@shared_task(**EMAIL_RETRY)
def email_send(
    subject: str, body: str, to: list[str], html_body: str | None = None
) -> None:
    services.email_deliver(subject=subject, body=body, to=to, html_body=html_body)


@shared_task(**EMAIL_RETRY)
def notification_email_send(notification_id: int) -> None:
    services.notification_email_deliver(notification_id=notification_id)


@shared_task
def sessions_clear() -> None:
    management.call_command("clearsessions")
