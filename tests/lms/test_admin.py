"""The administrator and champions at work in the Wagtail admin.

Bad input tried: a user with an e-mail already taken, an office without a
region, a framework version whose scale skips a point, a second version with a
label already used.
"""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from lms.models import AuditEntry, FrameworkVersion, Office, User
from lms.roles import Role
from tests.lms.factories import RegionFactory, scale

pytestmark = pytest.mark.django_db


def user_form(office, **overrides):
    from django.contrib.auth.models import Group

    data = {
        "username": "gulnaz.omirzakova",
        "full_name": "Гүлназ Қайратқызы Өмірзақова",
        "email": "gulnaz@example.kz",
        "preferred_language": "kk",
        "office": office.pk,
        "hire_date": "2026-09-01",
        "password1": "Zhetisu-2026-strong",
        "password2": "Zhetisu-2026-strong",
        "groups": [Group.objects.get(name=Role.OFFICER).pk],
    }
    data.update(overrides)
    return data


def test_administrator_adds_an_officer_with_office_and_role(client, administrator):
    client.force_login(administrator)
    response = client.post(
        reverse("wagtailusers_users:add"), user_form(administrator.office)
    )
    assert response.status_code == 302, response.context["form"].errors
    user = User.objects.get(username="gulnaz.omirzakova")
    assert user.full_name == "Гүлназ Қайратқызы Өмірзақова"
    assert user.office == administrator.office
    assert str(user.hire_date) == "2026-09-01"
    assert user.has_role(Role.OFFICER) and not user.has_role(Role.MANAGER)
    entry = AuditEntry.objects.get(action="user.create")
    assert entry.actor == administrator and entry.data == {"roles": ["Officer"]}


def test_an_email_already_taken_is_refused_and_nothing_saved(client, administrator):
    client.force_login(administrator)
    response = client.post(
        reverse("wagtailusers_users:add"),
        user_form(administrator.office, email=administrator.email.upper()),
    )
    assert response.status_code == 200
    with translation.override("ru"):  # the administrator's admin language
        expected = gettext("Another user already has this e-mail.")
    assert expected in str(response.context["form"].errors)
    assert not User.objects.filter(username="gulnaz.omirzakova").exists()


def test_administrator_adds_an_office(client, administrator):
    region = RegionFactory(code="almaty-region")
    client.force_login(administrator)
    data = {
        "region": region.pk,
        "code": "almaty-region-yesik",
        "name_kk": "Еңбекшіқазақ ауданы бойынша пробация қызметі",
        "name_ru": "Служба пробации Енбекшиказахского района",
        "name_en": "Enbekshikazakh District Probation Service",
        "address": "Есік, Абай көшесі, 3",
    }
    response = client.post(reverse("offices:add"), data)
    assert response.status_code == 302
    assert Office.objects.get(code="almaty-region-yesik").region == region
    missing_region = client.post(
        reverse("offices:add"), {**data, "region": "", "code": "x"}
    )
    assert missing_region.status_code == 200
    assert not Office.objects.filter(code="x").exists()


def version_form(label="2027.1", points=None, competency_id=None):
    points = points or scale(5)
    identity = {"id": competency_id} if competency_id else {}
    return nested_form_data(
        {
            "label": label,
            "title_kk": "Құзыреттер моделі",
            "title_ru": "Модель компетенций",
            "title_en": "Competency framework",
            "description_kk": "",
            "description_ru": "",
            "description_en": "",
            "competencies": inline_formset(
                [
                    {
                        **identity,
                        "key": "integrity",
                        "domain": "integrity",
                        "name_kk": "Адалдық",
                        "name_ru": "Честность",
                        "name_en": "Integrity",
                        "definition_kk": "",
                        "definition_ru": "Действует честно.",
                        "definition_en": "",
                        "indicators": streamfield(
                            [("positive", {"kk": "", "ru": "Говорит правду", "en": ""})]
                        ),
                        "scale": streamfield(
                            [
                                (
                                    "point",
                                    {
                                        "point": value["point"],
                                        "label": value["label"],
                                        "anchor": value["anchor"],
                                    },
                                )
                                for _type, value in points
                            ]
                        ),
                    }
                ],
                min=1,
                initial=1 if competency_id else 0,
            ),
        }
    )


def test_champion_drafts_then_submits_a_version_for_review(client, make_user):
    champion = make_user(Role.CHAMPION)
    client.force_login(champion)
    response = client.post(
        reverse("wagtailsnippets_lms_frameworkversion:add"), version_form()
    )
    assert response.status_code == 302, response.context["form"].errors
    version = FrameworkVersion.objects.get(label="2027.1")
    assert not version.live, "saving keeps a draft"
    assert version.latest_revision.user == champion
    submit = client.post(
        reverse("wagtailsnippets_lms_frameworkversion:edit", args=[version.pk]),
        {
            **version_form(competency_id=version.competencies.get().pk),
            "action-submit": "submit",
        },
    )
    assert submit.status_code == 302
    version.refresh_from_db()
    assert version.workflow_in_progress
    assert not version.live, "live only when another champion approves"
    assert version.competencies.get().name_kk == "Адалдық"
    assert len(version.competencies.get().scale) == 5


def test_a_scale_with_a_gap_is_refused(client, make_user):
    client.force_login(make_user(Role.CHAMPION))
    points = [p for p in scale(5) if p[1]["point"] != 3]
    response = client.post(
        reverse("wagtailsnippets_lms_frameworkversion:add"), version_form(points=points)
    )
    assert response.status_code == 200
    with translation.override("ru"):
        expected = gettext("Number the points 1, 2, 3 ... in order, without gaps.")
    scale_error = (
        response.context["form"].formsets["competencies"].forms[0].errors["scale"]
    )
    assert scale_error.as_data()[0].as_json_data()["messages"] == [expected]
    assert not FrameworkVersion.objects.exists()


def test_user_edit_form_shows_the_ustaz_fields(client, administrator, officer):
    client.force_login(administrator)
    html = client.get(
        reverse("wagtailusers_users:edit", args=[officer.pk])
    ).content.decode()
    for field in ("full_name", "preferred_language", "office", "hire_date", "groups"):
        assert f'name="{field}"' in html
    assert 'name="first_name"' not in html
    assert officer.full_name in html


def test_administrator_makes_an_earlier_version_current_again_from_the_listing(
    client, administrator
):
    from tests.lms.factories import FrameworkVersionFactory, current_framework

    earlier = FrameworkVersionFactory(label="2025.1")
    current = current_framework(competencies=1)
    draft = FrameworkVersionFactory(label="2027.2", live=False)
    client.force_login(administrator)
    listing = client.get(reverse("wagtailsnippets_lms_frameworkversion:list"))
    make_current = reverse("lms_framework_make_current", args=[earlier.pk])
    html = listing.content.decode()
    assert make_current in html
    assert reverse("lms_framework_make_current", args=[draft.pk]) not in html
    assert reverse("lms_framework_make_current", args=[current.pk]) not in html
    assert client.get(make_current).status_code == 200, "asks to confirm first"
    earlier.refresh_from_db()
    assert not earlier.is_current
    client.post(make_current)
    earlier.refresh_from_db()
    current.refresh_from_db()
    assert earlier.is_current and not current.is_current
    refused = client.post(
        reverse("lms_framework_make_current", args=[draft.pk]), follow=True
    )
    with translation.override("ru"):
        expected = gettext("Publish this version before making it current.")
    assert expected in refused.content.decode()
    draft.refresh_from_db()
    assert not draft.is_current
