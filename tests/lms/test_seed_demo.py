"""seed_demo builds real demo data and is idempotent."""

import pytest
from django.core.management import call_command
from django.utils import translation

from lms.demo import PEOPLE, demo_username
from lms.models import (
    AuditEntry,
    Competency,
    Domain,
    FrameworkVersion,
    HomePage,
    Office,
    Region,
    User,
)
from lms.roles import Role

pytestmark = pytest.mark.django_db

KAZAKH_LETTERS = set("әғқңөұүһі")


def counts():
    return (
        Region.objects.count(),
        Office.objects.count(),
        User.objects.count(),
        FrameworkVersion.objects.count(),
        Competency.objects.count(),
        HomePage.objects.count(),
    )


def test_seed_twice_creates_everything_once(client):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    first = counts()
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert counts() == first
    regions, offices, users, versions, competencies, homes = first
    assert (regions, versions, homes) == (3, 1, 3)
    assert offices >= 3
    assert competencies >= 8

    for role, people in PEOPLE.items():
        for region, *_rest in people:
            user = User.objects.get(username=demo_username(role, region))
            assert user.has_role(role)
            assert user.office.region.code == region

    version = FrameworkVersion.objects.current()
    assert version.label == "2026.1"
    # Drafted by one champion, approved by another through the review.
    review = list(
        AuditEntry.objects.for_object(version)
        .filter(action__in=["framework.submit", "framework.approve"])
        .order_by("pk")
        .values_list("action", "actor__username")
    )
    assert review == [
        ("framework.submit", demo_username(Role.CHAMPION, "astana")),
        ("framework.approve", demo_username(Role.CHAMPION, "almaty")),
    ]
    assert {c.domain for c in version.competencies.all()} == set(Domain.values)
    for competency in version.competencies.all():
        assert all([competency.name_kk, competency.name_ru, competency.name_en])
        assert (
            set(competency.name_kk.lower() + competency.definition_kk.lower())
            & KAZAKH_LETTERS
        )
        assert len(competency.positive_indicators) >= 3
        assert len(competency.negative_indicators) >= 3
        assert [p["point"] for p in competency.scale_points] == [1, 2, 3, 4, 5]
        for point in competency.scale_points:
            with translation.override("kk"):
                assert str(point["anchor"])

    home = client.get("/kk/").content.decode()
    assert "Ұстаз" in home
    assert "officer.astana" in home
    assert client.get("/en/").status_code == 200


def test_demo_users_sign_in_with_the_printed_password(client):
    from lms.demo import DEMO_PASSWORD

    call_command("seed_demo", stdout=open("/dev/null", "w"))
    response = client.post(
        "/en/accounts/login/",
        {"username": demo_username(Role.MANAGER, "almaty"), "password": DEMO_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == "/kk/dashboard/", "this manager prefers Kazakh"
    dashboard = client.get(response["Location"]).content.decode()
    assert "Нұржан Сәкенұлы Әбенов" in dashboard, "a colleague in the manager's office"
