"""Notifications: the service, the e-mail task, the list and the unread count.

Bad input tried: opening another user's notification, a notification whose link
points off-site, a recipient with no e-mail, running the e-mail task twice, a
GET to the POST-only actions.
"""

import pytest
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext_lazy

from lms import services
from lms.models import Notification
from lms.tasks import notification_email_send
from tests.lms.factories import NotificationFactory

pytestmark = pytest.mark.django_db


def test_notify_creates_an_entry_and_emails_through_a_task(
    make_user, django_capture_on_commit_callbacks
):
    user = make_user(email="dana@example.kz", preferred_language="en")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = services.notification_send(
            recipient=user, subject="Your certificate is ready", url="/en/dashboard/"
        )
    assert len(callbacks) == 1
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Your certificate is ready"
    assert "http://127.0.0.1:8000/en/dashboard/" in mail.outbox[0].body


def test_subject_is_rendered_in_the_recipients_language(make_user):
    user = make_user(preferred_language="kk")
    with translation.override("en"):
        notification = services.notification_send(
            recipient=user, subject=gettext_lazy("Notifications"), email=False
        )
    with translation.override("kk"):
        assert notification.subject == str(gettext_lazy("Notifications"))


def test_email_task_is_idempotent(make_user, django_capture_on_commit_callbacks):
    user = make_user(email="erlan@example.kz")
    with django_capture_on_commit_callbacks(execute=True):
        notification = services.notification_send(recipient=user, subject="Hello")
    notification_email_send.delay(notification.pk)
    notification_email_send.delay(notification.pk)
    assert len(mail.outbox) == 1


def test_recipient_without_email_gets_only_the_in_app_entry(
    make_user, django_capture_on_commit_callbacks
):
    user = make_user(email="")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.notification_send(recipient=user, subject="Hello")
    assert callbacks == []
    assert mail.outbox == []
    assert user.notifications.count() == 1


def test_unread_count_is_shown_and_cleared(client, officer):
    NotificationFactory.create_batch(3, recipient=officer)
    client.force_login(officer)
    html = client.get("/en/notifications/").content.decode()
    assert '3<span class="visually-hidden"> unread</span>' in html
    client.post("/en/notifications/read-all/")
    html = client.get("/en/notifications/").content.decode()
    assert "unread</span>" not in html
    assert officer.notifications.unread().count() == 0


def test_opening_marks_read_and_follows_the_link(client, officer):
    notification = NotificationFactory(recipient=officer, url="/en/framework/")
    client.force_login(officer)
    response = client.post(f"/en/notifications/{notification.pk}/open/")
    assert response["Location"] == "/en/framework/"
    notification.refresh_from_db()
    assert notification.is_read


def test_off_site_link_is_not_followed(client, officer):
    notification = NotificationFactory(recipient=officer, url="https://evil.example/")
    client.force_login(officer)
    response = client.post(f"/en/notifications/{notification.pk}/open/")
    assert response["Location"] == "/en/notifications/"


def test_another_users_notification_is_not_found_and_stays_unread(
    client, officer, make_user
):
    other = NotificationFactory(recipient=make_user())
    client.force_login(officer)
    assert client.post(f"/en/notifications/{other.pk}/open/").status_code == 404
    other.refresh_from_db()
    assert not other.is_read
    assert other.subject not in client.get("/en/notifications/").content.decode()


def test_post_only_actions_refuse_get(client, officer):
    notification = NotificationFactory(recipient=officer)
    client.force_login(officer)
    assert client.get(f"/en/notifications/{notification.pk}/open/").status_code == 405
    assert client.get("/en/notifications/read-all/").status_code == 405
    assert Notification.objects.unread().count() == 1
