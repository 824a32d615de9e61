"""Celery tasks of training sessions. Each calls one service and can run twice
without harm."""

from celery import shared_task

from courses.training.sessions import services


@shared_task
def session_reminders_send() -> int:
    """Scheduled by CELERY_BEAT_SCHEDULE every 30 minutes."""
    return services.session_reminders_send()
