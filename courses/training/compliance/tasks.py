"""Celery tasks of mandatory training. Each takes ids, calls one service and can
run twice without harm."""

from celery import shared_task

from courses.training.compliance import services


@shared_task(name="courses.training.compliance.tasks.compliance_check")
def compliance_check() -> dict:
    """Daily (CELERY_BEAT_SCHEDULE): reminders and refresher enrolment."""
    return services.compliance_check()


@shared_task(name="courses.training.compliance.tasks.compliance_export_build")
def compliance_export_build(export_id: int) -> None:
    services.compliance_export_build(export_id=export_id)
