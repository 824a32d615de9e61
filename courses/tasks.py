"""Celery tasks of the courses module. Each takes ids, calls one service and can
run twice without harm."""

from celery import shared_task

from courses import services


@shared_task(autoretry_for=(OSError,), retry_backoff=10, max_retries=5)
def certificate_render(certificate_id: int) -> None:
    services.certificate_render(certificate_id=certificate_id)


@shared_task
def attempts_close_expired() -> int:
    return services.attempts_close_expired()
