"""Every URL of the core, walked with every role: who may see what.

Bad input tried: each page requested anonymously and by every role that must
not see it; a trainer and a champion posting to the make-current action.
"""

import pytest
from django.urls import reverse

from lms.roles import Role
from tests.lms.factories import FrameworkVersionFactory, home_page

pytestmark = pytest.mark.django_db

ANONYMOUS = "anonymous"
EVERY_ROLE = [*Role]
ADMIN_AREA = {Role.TRAINER, Role.CHAMPION, Role.ADMINISTRATOR}


def pages(version_pk: int) -> dict[str, set]:
    """URL → who gets it (200). Everyone else is redirected or refused."""
    return {
        "/ru/": {ANONYMOUS, *EVERY_ROLE},
        "/en/accounts/login/": {ANONYMOUS},  # signed-in users go on to the dashboard
        "/en/accounts/password/reset/": {ANONYMOUS, *EVERY_ROLE},
        "/en/framework/": {ANONYMOUS, *EVERY_ROLE},
        "/en/framework/compare/": {ANONYMOUS, *EVERY_ROLE},
        "/en/dashboard/": set(EVERY_ROLE),
        "/en/notifications/": set(EVERY_ROLE),
        "/en/accounts/password/change/": set(EVERY_ROLE),
        # Managers enter the admin to define learning paths.
        reverse("wagtailadmin_home"): ADMIN_AREA | {Role.MANAGER},
        reverse("wagtailsnippets_lms_frameworkversion:list"): ADMIN_AREA,
        reverse("wagtailsnippets_lms_frameworkversion:edit", args=[version_pk]): {
            Role.CHAMPION,
            Role.ADMINISTRATOR,
        },
        reverse("wagtailsnippets_lms_frameworkversion:add"): {
            Role.CHAMPION,
            Role.ADMINISTRATOR,
        },
        reverse("lms_framework_draft_successor", args=[version_pk]): {
            Role.CHAMPION,
            Role.ADMINISTRATOR,
        },
        # Approval makes a version current; going back is for administrators.
        reverse("lms_framework_make_current", args=[version_pk]): {Role.ADMINISTRATOR},
        reverse("wagtailusers_users:index"): {Role.ADMINISTRATOR},
        reverse("wagtailusers_users:add"): {Role.ADMINISTRATOR},
        reverse("wagtailusers_groups:index"): {Role.ADMINISTRATOR},
        reverse("regions:index"): {Role.ADMINISTRATOR},
        reverse("offices:index"): {Role.ADMINISTRATOR},
        reverse("offices:add"): {Role.ADMINISTRATOR},
        reverse("audit_log:index"): {Role.ADMINISTRATOR},
    }


@pytest.mark.parametrize("who", [ANONYMOUS, *EVERY_ROLE], ids=str)
def test_every_url_with_every_role(client, make_user, who):
    home_page()
    version = FrameworkVersionFactory()
    if who != ANONYMOUS:
        client.force_login(make_user(who))
    wrong = []
    for url, allowed in pages(version.pk).items():
        status = client.get(url).status_code
        expected_ok = who in allowed
        if expected_ok and status != 200:
            wrong.append(f"{url}: {status}, expected 200")
        if not expected_ok and status not in (302, 403, 404):
            wrong.append(f"{url}: {status}, expected a refusal")
    assert wrong == []


def test_audit_entries_cannot_be_added_or_edited_even_by_a_superuser(client, make_user):
    from lms.audit import audit_record

    superuser = make_user(is_superuser=True)
    entry = audit_record(action="test.thing", actor=superuser)
    client.force_login(superuser)
    assert client.get(reverse("audit_log:index")).status_code == 200
    assert client.get(reverse("audit_log:inspect", args=[entry.pk])).status_code == 200
    assert client.get(reverse("audit_log:add")).status_code in (302, 403)
    assert client.get(reverse("audit_log:edit", args=[entry.pk])).status_code in (
        302,
        403,
    )


@pytest.mark.parametrize("role", [Role.TRAINER, Role.CHAMPION], ids=str)
def test_only_administrators_make_a_version_current_by_hand(client, make_user, role):
    version = FrameworkVersionFactory()
    client.force_login(make_user(role))
    response = client.post(reverse("lms_framework_make_current", args=[version.pk]))
    assert response.status_code in (302, 403)
    version.refresh_from_db()
    assert not version.is_current
