"""A completed course's certificate is drawn by a real Celery worker.

Runs where REDIS_URL is set: CI starts Redis and `celery -A lms worker` against
the test database. Bad input tried: none; this proves the plumbing.
"""

import time

import pytest

from courses import services
from courses.models import Certificate
from lms.roles import Role
from tests.courses.factories import catalogue, course, lessons_of
from tests.lms.factories import UserFactory

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_worker_draws_the_certificate_pdf(real_broker):
    assert real_broker.control.ping(timeout=5), "no Celery worker answered"
    page = course(catalogue(), lessons=1)
    officer = UserFactory(roles=[Role.OFFICER], full_name="Нұрлан Әбенұлы Серікбаев")
    enrolment = services.enrolment_create(user=officer, course=page)
    services.lesson_complete(enrolment=enrolment, lesson=lessons_of(page)[0])
    certificate = Certificate.objects.get(enrolment=enrolment)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not certificate.pdf:
        time.sleep(0.5)
        certificate.refresh_from_db()
    assert certificate.pdf.name == f"certificates/{certificate.code}.pdf"
