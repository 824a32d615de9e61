"""Sign-in, sign-out, lockout, password change and reset.

Bad input tried: wrong password, unknown username, empty form, repeated wrong
passwords (lockout, including with the right password afterwards), a POST
without its CSRF token, a used reset link, a reset for an unknown e-mail.
"""

import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from lms.models import AuditEntry
from tests.lms.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client, lang_url, username, password=DEFAULT_PASSWORD, language="en"):
    return client.post(
        lang_url("login", language), {"username": username, "password": password}
    )


def test_sign_in_lands_on_dashboard_in_the_users_language(client, make_user, lang_url):
    user = make_user(preferred_language="kk")
    response = sign_in(client, lang_url, user.username, language="en")
    assert response.status_code == 302
    assert response["Location"] == "/kk/dashboard/"
    assert response.cookies["ustaz_language"].value == "kk"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert user.full_name.split()[0] in page.content.decode()


def test_wrong_password_is_refused_with_a_clear_message(client, officer, lang_url):
    response = sign_in(client, lang_url, officer.username, password="wrong-one")
    assert response.status_code == 200
    assert "The username or password is not right" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_unknown_username_gets_the_same_message(client, lang_url, db):
    response = sign_in(client, lang_url, "nobody", password="whatever")
    assert "The username or password is not right" in response.content.decode()


def test_empty_form_names_the_missing_fields(client, lang_url, db):
    response = client.post(lang_url("login", "en"), {})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()


def test_repeated_failures_lock_the_account_even_for_the_right_password(
    client, officer, lang_url, settings
):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert (
            sign_in(client, lang_url, officer.username, password="bad").status_code
            == 200
        )
    locked = sign_in(client, lang_url, officer.username, password="bad")
    assert locked.status_code == 429
    assert "Account locked for a while" in locked.content.decode()
    again = sign_in(client, lang_url, officer.username)
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action="auth.locked_out").exists()


def test_lockout_page_is_translated(client, officer, lang_url, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        response = sign_in(
            client, lang_url, officer.username, password="bad", language="ru"
        )
    assert response.status_code == 429
    assert "Account locked for a while" not in response.content.decode()
    assert 'lang="ru"' in response.content.decode()


def test_sign_out_needs_post_and_ends_the_session(client, officer, lang_url):
    client.force_login(officer)
    response = client.post(lang_url("logout", "en"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_post_without_csrf_token_gets_a_translated_403(officer, lang_url):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        lang_url("login", "en"),
        {"username": officer.username, "password": DEFAULT_PASSWORD},
    )
    assert response.status_code == 403
    assert "The form has expired" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_change_needs_the_old_password(client, officer, lang_url):
    client.force_login(officer)
    url = lang_url("password_change", "en")
    wrong = client.post(
        url,
        {
            "old_password": "nope",
            "new_password1": "Tulpar-2026-qq",
            "new_password2": "Tulpar-2026-qq",
        },
    )
    assert wrong.status_code == 200
    officer.refresh_from_db()
    assert officer.check_password(DEFAULT_PASSWORD)
    right = client.post(
        url,
        {
            "old_password": DEFAULT_PASSWORD,
            "new_password1": "Tulpar-2026-qq",
            "new_password2": "Tulpar-2026-qq",
        },
    )
    assert right.status_code == 302
    officer.refresh_from_db()
    assert officer.check_password("Tulpar-2026-qq")


def test_password_reset_mail_goes_through_a_task_in_the_users_language(
    client, make_user, lang_url, django_capture_on_commit_callbacks
):
    user = make_user(preferred_language="kk", email="aliya@example.kz")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            lang_url("password_reset", "en"), {"email": "aliya@example.kz"}
        )
    assert response.status_code == 302
    assert len(callbacks) == 1, "the e-mail is enqueued on commit, not sent inline"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["aliya@example.kz"]
    assert user.username in message.body
    link = re.search(r"https?://\S+/password/reset/\S+/", message.body).group(0)
    path = link.split("testserver", 1)[-1]
    form = client.get(path, follow=True)
    assert form.status_code == 200
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Sary-Arka-2026", "new_password2": "Sary-Arka-2026"},
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Sary-Arka-2026")
    reused = client.get(path, follow=True)
    assert reused.context["validlink"] is False
    with translation.override("kk"):
        expected = gettext(
            "This link has already been used or has expired. Ask for a new one."
        )
    assert expected in reused.content.decode()


def test_password_reset_for_unknown_email_reveals_nothing(client, lang_url, db):
    response = client.post(
        lang_url("password_reset", "en"), {"email": "nobody@example.kz"}
    )
    assert response.status_code == 302
    assert mail.outbox == []
