"""Languages: the switcher, the remembered choice, and complete catalogues.

Bad input tried: an unknown language code, an empty code, a `next` pointing to
another site, a GET instead of a POST, an unknown language prefix in the URL.
"""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

from tests.lms.factories import home_page

pytestmark = pytest.mark.django_db

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_catalogue_is_complete(language):
    catalogue = polib.pofile(str(LOCALE_DIR / language / "LC_MESSAGES" / "django.po"))
    missing = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert missing == [], f"untranslated in {language}: {missing[:5]}"
    assert fuzzy == [], f"fuzzy in {language}: {fuzzy[:5]}"


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_catalogue_keeps_every_placeholder(language):
    catalogue = polib.pofile(str(LOCALE_DIR / language / "LC_MESSAGES" / "django.po"))
    pattern = re.compile(r"%\(\w+\)s|\{\{\s*\w+\s*\}\}")
    for entry in catalogue.translated_entries():
        expected = sorted(set(pattern.findall(entry.msgid)))
        translations = (
            entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        )
        for text in translations:
            found = sorted(set(pattern.findall(text)))
            if entry.msgid_plural:
                assert set(found) <= set(expected) | set(
                    pattern.findall(entry.msgid_plural)
                )
            else:
                assert found == expected, entry.msgid


def test_switching_to_kazakh_shows_kazakh_text(client, lang_url):
    response = client.post(
        "/i18n/setlang/",
        {"language": "kk", "next": lang_url("login", "ru")},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/kk/accounts/login/"
    html = response.content.decode()
    assert 'lang="kk"' in html
    assert "Ұстазға кіру" in html or "Кіру" in html


def test_choice_is_stored_on_the_profile_and_sticks(client, officer, lang_url):
    client.force_login(officer)
    client.post(
        "/i18n/setlang/", {"language": "en", "next": lang_url("dashboard", "ru")}
    )
    officer.refresh_from_db()
    assert officer.preferred_language == "en"
    # Another device: no cookie, but signing in brings the choice back.
    other = type(client)()
    response = other.post(
        lang_url("login", "kk"),
        {"username": officer.username, "password": "correct-horse-battery-1"},
    )
    assert response["Location"] == "/en/dashboard/"
    # The bare address follows the remembered cookie.
    assert other.get("/")["Location"] == "/en/"


def test_wagtail_admin_language_follows_where_wagtail_has_it(client, officer):
    from wagtail.users.models import UserProfile

    client.force_login(officer)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert UserProfile.get_for_user(officer).preferred_language == "en"
    client.post("/i18n/setlang/", {"language": "kk", "next": "/"})
    # Wagtail's admin has no Kazakh catalogue; Russian is the nearest.
    assert UserProfile.get_for_user(officer).preferred_language == "ru"


def test_unknown_language_code_is_refused_with_a_message(client, officer, lang_url):
    client.force_login(officer)
    response = client.post(
        "/i18n/setlang/",
        {"language": "xx", "next": lang_url("dashboard", "en")},
        follow=True,
    )
    assert response.status_code == 200
    assert "“xx” is not a language of Ustaz" in response.content.decode()
    officer.refresh_from_db()
    assert officer.preferred_language == "ru"


def test_empty_code_and_foreign_next_stay_on_this_site(client):
    response = client.post(
        "/i18n/setlang/", {"language": "", "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_get_is_not_allowed(client):
    assert client.get("/i18n/setlang/?language=kk").status_code == 405


def test_unknown_language_prefix_is_a_translated_404(client):
    response = client.get("/xx/dashboard/", follow=True)
    assert response.status_code == 404
    assert 'lang="ru"' in response.content.decode()
    assert "Page not found" not in response.content.decode()


def test_language_switcher_leads_to_the_translation_of_a_page(client):
    from wagtail.models import Locale

    home = home_page(title="Главная")
    kk = Locale.objects.create(language_code="kk")
    translated = home.copy_for_translation(kk)
    translated.title = "Басты бет"
    translated.save_revision().publish()
    html = client.get("/ru/").content.decode()
    assert 'name="next" value="/kk/"' in html
    kazakh = client.get("/kk/")
    assert "Басты бет" in kazakh.content.decode()
