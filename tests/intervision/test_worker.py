"""The beat tasks of intervision, run by a real Celery worker: planning the
coming meetings from a schedule and reminding members the day before.

Runs where REDIS_URL is set: CI starts Redis and `celery -A lms worker` against
the test database. Bad input tried: the reminder task sent twice (the second
run reminds nobody again).
"""

import datetime

import pytest
from django.utils import timezone

from intervision import tasks
from intervision.models import Meeting, Participation, Series
from lms.models import Notification
from tests.intervision import factories

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_worker_plans_meetings_and_reminds_members_once(real_broker):
    assert real_broker.control.ping(timeout=5), "no Celery worker answered"
    group = factories.group(members=4)
    # Weekly, the first meeting a few hours from now (and ending the same day).
    start = (timezone.localtime() + datetime.timedelta(hours=3)).replace(
        second=0, microsecond=0
    )
    if start.hour >= 22:
        start = start.replace(hour=22, minute=0)
    # Written directly, so that only the worker plans its meetings.
    Series.objects.create(
        group=group,
        frequency="weekly",
        interval=1,
        weekday=start.weekday(),
        starts_on=start.date(),
        start_time=start.time(),
        end_time=(start + datetime.timedelta(hours=1)).time(),
    )
    assert tasks.meetings_plan.delay().get(timeout=60) >= 13
    first = Meeting.objects.filter(group=group).order_by("starts_at").first()
    assert first.local_start == start
    assert Participation.objects.filter(meeting=first).count() == 4

    # The reminders go to the coming meeting once, however often beat runs.
    Notification.objects.all().delete()
    assert tasks.reminders_send.delay().get(timeout=60) == 4
    assert tasks.reminders_send.delay().get(timeout=60) == 0
    assert Notification.objects.count() == 4
