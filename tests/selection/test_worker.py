"""The retention clean-up really runs in a Celery worker through Redis.

Runs where REDIS_URL is set: CI starts Redis and `celery -A lms worker` against
the test database (and greps the worker's log for the task's name).
Bad input tried: an application of a vacancy that never closed, which the task
must leave alone.
"""

import datetime

import pytest
from django.utils import timezone

from selection.applications.tasks import applications_anonymise_expired
from selection.models import Application, VacancyStatus
from tests.selection.factories import ApplicationFactory, VacancyFactory

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_worker_anonymises_applications_past_their_retention(real_broker):
    assert real_broker.control.ping(timeout=5), "no Celery worker answered"
    closed = VacancyFactory(
        status=VacancyStatus.CLOSED,
        closed_at=timezone.now() - datetime.timedelta(days=800),
        retention_months=12,
    )
    expired = ApplicationFactory(vacancy=closed, full_name="Дана Ерланқызы")
    still_open = ApplicationFactory(full_name="Марат Серікұлы")

    assert applications_anonymise_expired.delay().get(timeout=60) == 1

    expired = Application.objects.get(pk=expired.pk)
    assert expired.anonymised_at is not None
    assert expired.full_name == ""
    assert expired.email == ""
    untouched = Application.objects.get(pk=still_open.pk)
    assert untouched.anonymised_at is None
    assert untouched.full_name == "Марат Серікұлы"
