"""A manager checks the training compliance of their office: the overdue
officer is labelled as such (not by colour only), the manager filters to the
overdue officers and downloads the list as CSV.

Bad input tried: none typed; the officer of another office must not appear.
"""

import csv
import datetime
import io

import pytest
from playwright.sync_api import Page, expect

from courses.models import MandatoryRule
from lms.roles import Role
from tests.courses.factories import catalogue, course
from tests.e2e.ru import t
from tests.lms.factories import DEFAULT_PASSWORD, OfficeFactory, UserFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_manager_finds_an_overdue_officer_and_exports_the_list(page: Page, base_url):
    index = catalogue()
    mi = course(index, "motivational-interviewing", title="МИ", lessons=1)
    MandatoryRule.objects.create(
        course=mi, role=Role.OFFICER.value, deadline_days=90, validity_months=24
    )
    office = OfficeFactory()
    manager = UserFactory(roles=[Role.MANAGER], office=office, preferred_language="ru")
    today = datetime.date.today()
    UserFactory(
        roles=[Role.OFFICER],
        office=office,
        full_name="Асқар Опоздавший",
        hire_date=today - datetime.timedelta(days=200),
    )
    UserFactory(
        roles=[Role.OFFICER],
        office=office,
        full_name="Новый Сотрудник",
        hire_date=today - datetime.timedelta(days=5),
    )
    UserFactory(roles=[Role.OFFICER], full_name="Чужой Офицер")

    page.goto(f"{base_url}/ru/accounts/login/")
    page.get_by_label(t("Username")).fill(manager.username)
    page.get_by_label(t("Password")).fill(DEFAULT_PASSWORD)
    page.locator("main").get_by_role("button", name=t("Sign in")).click()

    page.goto(f"{base_url}/ru/learning/compliance/")
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Training compliance"))
    late_row = page.get_by_role("row").filter(has_text="Асқар Опоздавший")
    expect(late_row).to_contain_text(t("Overdue"))
    expect(page.get_by_role("row").filter(has_text="Новый Сотрудник")).to_contain_text(
        t("Not started")
    )
    expect(page.get_by_text("Чужой Офицер")).to_have_count(0)

    page.get_by_label(t("State")).select_option("overdue")
    page.get_by_role("button", name=t("Show"), exact=True).click()
    expect(page.get_by_text("Асқар Опоздавший")).to_be_visible()
    expect(page.get_by_text("Новый Сотрудник")).to_have_count(0)

    page.get_by_label(t("Export format")).select_option("csv")
    with page.expect_download() as download_info:
        page.get_by_role("button", name=t("Export"), exact=True).click()
    content = download_info.value.path().read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    assert [row[1] for row in rows[1:]] == ["Асқар Опоздавший"]
    assert rows[1][4] == t("Overdue")
