"""A task really goes through Redis to a running Celery worker.

Runs where REDIS_URL is set: CI starts Redis and `celery -A lms worker` against
the test database. Bad input tried: none; this proves the plumbing.
"""

import time

import pytest

from lms import services
from lms.models import Notification
from tests.lms.factories import UserFactory

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_notification_email_is_sent_by_the_worker(real_broker):
    replies = real_broker.control.ping(timeout=5)
    assert replies, "no Celery worker answered on the broker"
    user = UserFactory(email="worker-check@example.kz")
    notification = services.notification_send(
        recipient=user, subject="Through the worker"
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        notification.refresh_from_db()
        if notification.emailed_at:
            break
        time.sleep(0.5)
    assert notification.emailed_at is not None, "the worker did not deliver the e-mail"
    assert Notification.objects.get(pk=notification.pk).email_requested
