"""Celery tasks of the intervision module. Each calls one service and is safe
to run again: meetings are created once per series date, invitations and
reminders are sent once per member."""

from celery import shared_task

from intervision import services


@shared_task
def meetings_plan() -> int:
    """Create the coming meetings from every running schedule and invite."""
    return services.meetings_plan()


@shared_task
def reminders_send() -> int:
    """Remind members the day before a meeting."""
    return services.reminders_send()
