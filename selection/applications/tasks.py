"""Celery tasks of this part. Each calls one service and can run twice
without harm."""

from celery import shared_task

from selection.applications import services


@shared_task(name="selection.applications.tasks.applications_anonymise_expired")
def applications_anonymise_expired() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): anonymise the applications whose
    retention period after the vacancy closed is over."""
    return services.applications_anonymise_expired()
