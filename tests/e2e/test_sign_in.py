"""Each role signs in and sees its dashboard; the language switch works.

Bad input tried: a wrong password in the browser form.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from lms.roles import Role
from tests.lms.factories import (
    DEFAULT_PASSWORD,
    UserFactory,
    current_framework,
    home_page,
)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Champions also score candidates when a panel needs them, so they see the
# assessments panel too.
ALSO_SHOWN = {Role.CHAMPION: {"My assessments"}}

PANEL_BY_ROLE = {
    Role.OFFICER: "My development record",
    Role.TRAINER: "Course authoring",
    Role.CHAMPION: "Competency framework versions",
    Role.ASSESSOR: "My assessments",
    Role.MANAGER: "My office",
    Role.ADMINISTRATOR: "Administration",
}


def sign_in(page: Page, base_url: str, username: str, password: str = DEFAULT_PASSWORD):
    page.goto(f"{base_url}/en/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_each_role_signs_in_and_sees_its_dashboard(page: Page, base_url, role):
    current_framework(competencies=2)
    user = UserFactory(
        roles=[role], preferred_language="en", full_name="Aliya Serikova"
    )
    sign_in(page, base_url, user.username)
    expect(page).to_have_url(re.compile(r"/en/dashboard/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Aliya")
    expect(page.get_by_role("heading", name=PANEL_BY_ROLE[role])).to_be_visible()
    for other, title in PANEL_BY_ROLE.items():
        if other != role and title not in ALSO_SHOWN.get(role, set()):
            expect(page.get_by_role("heading", name=title, exact=True)).to_have_count(0)


def test_wrong_password_shows_the_error_and_keeps_the_username(page: Page, base_url):
    user = UserFactory(roles=[Role.OFFICER])
    sign_in(page, base_url, user.username, password="not-the-password")
    expect(page.get_by_text("The username or password is not right")).to_be_visible()
    expect(page.get_by_label("Username")).to_have_value(user.username)


def test_language_switch_to_kazakh_shows_kazakh_and_sticks(page: Page, base_url):
    home_page(title="Ustaz")
    user = UserFactory(roles=[Role.OFFICER], preferred_language="en")
    sign_in(page, base_url, user.username)
    page.get_by_role("button", name="Қазақша").click()
    expect(page).to_have_url(re.compile(r"/kk/dashboard/$"))
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    expect(page.get_by_role("link", name="Жұмыс үстелі")).to_be_visible()
    user.refresh_from_db()
    assert user.preferred_language == "kk"
    page.goto(f"{base_url}/")
    expect(page).to_have_url(re.compile(r"/kk/$"))


def test_keyboard_user_can_skip_to_the_content(page: Page, base_url):
    home_page(title="Ustaz")
    page.goto(f"{base_url}/en/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main-content$"))


def test_phone_sized_screen_has_a_working_menu(browser, base_url):
    context = browser.new_context(viewport={"width": 375, "height": 740})
    page = context.new_page()
    home_page(title="Ustaz")
    page.goto(f"{base_url}/en/")
    framework_link = page.get_by_role("link", name="Competency framework")
    expect(framework_link).to_be_hidden()
    page.get_by_role("button", name="Show or hide the menu").click()
    expect(framework_link).to_be_visible()
    context.close()
