"""Pages run a fixed number of SQL queries whatever the amount of data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lms.roles import Role
from tests.lms.factories import (
    CompetencyFactory,
    NotificationFactory,
    UserFactory,
    current_framework,
)

pytestmark = pytest.mark.django_db


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_dashboard_queries_do_not_grow_with_office_size_or_notifications(
    client, make_user, role
):
    user = make_user(role)
    version = current_framework(competencies=2)
    client.force_login(user)
    small = count_queries(client, "/en/dashboard/")
    UserFactory.create_batch(40, office=user.office, roles=[Role.OFFICER])
    NotificationFactory.create_batch(40, recipient=user)
    CompetencyFactory.create_batch(20, version=version)
    assert count_queries(client, "/en/dashboard/") == small


def test_framework_page_queries_do_not_grow_with_competencies(client):
    version = current_framework(competencies=2)
    small = count_queries(client, "/en/framework/")
    CompetencyFactory.create_batch(30, version=version)
    assert count_queries(client, "/en/framework/") == small


def test_notification_list_queries_do_not_grow(client, officer):
    NotificationFactory.create_batch(3, recipient=officer)
    client.force_login(officer)
    small = count_queries(client, "/en/notifications/")
    NotificationFactory.create_batch(60, recipient=officer)
    assert count_queries(client, "/en/notifications/") == small
