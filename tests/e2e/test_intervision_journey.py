"""An intervision group from its creation to approved, locked minutes.

A manager creates a group of five officers with a facilitator and the incident
method, and schedules it every second Tuesday, 14:00–16:00; the group page
lists the coming meetings. A member who has not agreed to the confidentiality
pledge sees no case on the meeting page, agrees to the pledge, brings a case,
is warned about an IIN in it and replaces it. The facilitator confirms the
case. Once the meeting has started, the minute-taker walks the seven steps of
the incident method with the step timer, writes notes, advice, conclusions and
an action point. The chair, sent to the pledge on the way to the minutes,
approves them: nobody can edit them any more. Managers outside the group are
refused the group and the minutes.

Bad input tried:
- a case whose situation contains an IIN (850312300123): refused with the
  warning, the IIN marked, the override box left unticked;
- the chair posting the draft form again after approval: refused, the
  minutes unchanged;
- the minutes opened by a member who has not agreed to the pledge: sent to
  the pledge first;
- the minutes opened by the office's own manager (not a member), and the group
  page and the minutes opened by another office's manager: 403, nothing of the
  case or the minutes on the page.
"""

import datetime
import re

import pytest
from django.utils import timezone
from django.utils.text import capfirst
from playwright.sync_api import Browser, Page, expect

from intervision.models import (
    Group,
    Meeting,
    MeetingRole,
    Membership,
    Minutes,
    RoleKind,
)
from lms.roles import Role
from tests.e2e.ru import label, t, url
from tests.intervision.factories import incident, office_staff
from tests.lms.factories import DEFAULT_PASSWORD, OfficeFactory, UserFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

IIN = "850312300123"
GROUP_NAME = "Интервизия по сложным случаям"
QUESTION = "Как удержать клиента от срыва после освобождения?"
SITUATION = (
    "Мужчина 34 лет, ИИН {who}, освободился три месяца назад. "
    "Дважды пропустил отметку и говорит, что снова начал пить."
)
ADVICE = "Договориться о еженедельных встречах и подключить нарколога."
CONCLUSIONS = "Попробую мотивационное интервью на следующей отметке."
ACTION = "Найти контакты наркологической службы района"


def field(page: Page, text: str, name: str):
    """A form field by its label, and by its name where labels repeat."""
    return page.get_by_label(label(text)).and_(page.locator(f"[name={name}]"))


def nav_link(page: Page, name: str):
    return page.get_by_role("navigation", name=t("Main menu")).get_by_role(
        "link", name=name, exact=True
    )


def sign_in(page: Page, base_url: str, user) -> None:
    page.goto(f"{base_url}/ru/accounts/login/")
    page.get_by_label(t("Username")).fill(user.username)
    page.get_by_label(t("Password")).fill(DEFAULT_PASSWORD)
    page.locator("main").get_by_role("button", name=t("Sign in")).click()
    expect(nav_link(page, t("Intervision"))).to_be_visible()


@pytest.fixture
def open_as(browser: Browser, base_url):
    """A fresh browser context per person, signed in; closed after the test."""
    contexts = []

    def opener(user) -> Page:
        context = browser.new_context()
        contexts.append(context)
        other = context.new_page()
        sign_in(other, base_url, user)
        return other

    yield opener
    for context in contexts:
        context.close()


def open_intervision(page: Page) -> None:
    nav_link(page, t("Intervision")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Intervision"))


def open_next_meeting(page: Page) -> None:
    open_intervision(page)
    page.get_by_role("region", name=t("Your next meetings")).get_by_role(
        "link"
    ).first.click()


def test_group_from_creation_to_approved_minutes(page: Page, open_as, base_url) -> None:
    office = OfficeFactory()
    manager = UserFactory(office=office, roles=[Role.MANAGER], preferred_language="ru")
    officers = office_staff(office, 5)
    facilitator = UserFactory(office=office, roles=[Role.OFFICER])
    method = incident()
    steps = list(method.steps.all())
    assert len(steps) == 7

    # 1. The manager creates the group and its schedule.
    sign_in(page, base_url, manager)
    open_intervision(page)
    page.get_by_role("link", name=t("New group")).click()
    form = page.locator("main form")
    form.get_by_label(label(t("Name of the group"))).fill(GROUP_NAME)
    form.get_by_label(label(t("Facilitator"))).select_option(
        label=facilitator.get_full_name()
    )
    for officer in officers:
        form.get_by_label(officer.get_full_name(), exact=True).check()
    form.get_by_label(label(t("Usual method"))).select_option(value=str(method.pk))
    form.get_by_role("button", name=t("Save"), exact=True).click()

    group = Group.objects.get(name=GROUP_NAME)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        t("Schedule of %(group)s") % {"group": GROUP_NAME}
    )
    expect(
        page.get_by_text(t("The group is created. Now set its schedule."))
    ).to_be_visible()
    today = timezone.localdate()
    next_tuesday = today + datetime.timedelta(days=(1 - today.weekday()) % 7 or 7)
    form = page.locator("main form")
    form.get_by_label(label(capfirst(t("repeats")))).select_option(value="weekly")
    form.get_by_label(label(capfirst(t("every")))).fill("2")
    form.get_by_label(label(capfirst(t("day")))).select_option(value="1")
    form.get_by_label(label(capfirst(t("from")))).fill(next_tuesday.isoformat())
    form.get_by_label(label(capfirst(t("starts at")))).fill("14:00")
    form.get_by_label(label(capfirst(t("ends at")))).fill("16:00")
    form.get_by_role("button", name=t("Save"), exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(GROUP_NAME)
    coming = page.get_by_role("region", name=t("Coming meetings")).get_by_role(
        "listitem"
    )
    expect(coming.nth(4)).to_be_visible()
    expect(coming.first).to_contain_text("14:00")

    meeting = Meeting.objects.filter(group=group).order_by("starts_at").first()
    assert meeting.local_start.date() == next_tuesday
    roles = {
        role.role: role.user
        for role in MeetingRole.objects.filter(meeting=meeting).select_related("user")
    }
    bringer = roles[RoleKind.BRINGER]
    minute_taker = roles[RoleKind.MINUTE_TAKER]
    chair = roles[RoleKind.CHAIR]
    assert {bringer, minute_taker, chair} <= set(officers)

    # 2. A member brings a case: the pledge first, then a warned-about IIN.
    member = open_as(bringer)
    open_next_meeting(member)
    expect(member.get_by_role("link", name=t("Bring a case"))).to_have_count(0)
    member.get_by_role("link", name=t("Read the pledge")).click()
    expect(member.get_by_role("heading", level=1)).to_have_text(
        t("Confidentiality pledge")
    )
    member.get_by_role("button", name=t("I agree")).click()
    expect(
        member.get_by_text(
            t("Thank you. You can now read the group's cases and minutes.")
        )
    ).to_be_visible()
    member.get_by_role("link", name=t("Bring a case")).click()
    member.get_by_label(label(t("Your question for the group"))).fill(QUESTION)
    situation = member.get_by_label(label(t("The situation")))
    situation.fill(SITUATION.format(who=IIN))
    member.get_by_role("button", name=t("Save the case")).click()

    warning = member.locator("#identifier-warning")
    expect(warning).to_be_visible()
    expect(warning.locator("mark")).to_have_text(IIN)
    expect(
        member.get_by_role(
            "checkbox",
            name=label(
                t(
                    "I have checked the marked text: it does not identify the client "
                    "or anyone else. Save it as it is."
                )
            ),
        )
    ).not_to_be_checked()
    expect(situation).to_have_value(SITUATION.format(who=IIN))
    situation.fill(SITUATION.format(who="клиент"))
    member.get_by_role("button", name=t("Save the case")).click()
    expect(
        member.get_by_text(
            t(
                "Your case is saved. The facilitator checks it is anonymised before "
                "the group reads it."
            )
        )
    ).to_be_visible()
    expect(member).to_have_url(
        re.compile(re.escape(url("intervision:meeting", meeting.pk)) + "$")
    )
    expect(member.get_by_role("heading", name=QUESTION)).to_be_visible()
    expect(member.get_by_text(IIN)).to_have_count(0)

    # 3. The facilitator confirms the case.
    checker = open_as(facilitator)
    open_intervision(checker)
    checker.get_by_role("region", name=t("Your groups")).get_by_role(
        "link", name=GROUP_NAME
    ).click()
    checker.get_by_role("region", name=t("Coming meetings")).get_by_role(
        "link"
    ).first.click()
    checker.get_by_role("link", name=t("Check and confirm")).click()
    expect(checker.get_by_role("heading", name=QUESTION)).to_be_visible()
    checker.get_by_role(
        "button", name=t("It is anonymised: the group may read it")
    ).click()
    expect(
        checker.get_by_text(t("The case is confirmed; the group can read it."))
    ).to_be_visible()
    expect(checker.get_by_text(t("waiting for the facilitator"))).to_have_count(0)

    # 4. The meeting has started; the minute-taker walks the method's steps.
    now = timezone.now()
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=now - datetime.timedelta(minutes=30),
        ends_at=now + datetime.timedelta(minutes=90),
    )
    Membership.objects.filter(group=group, user=minute_taker).update(
        pledge_agreed_at=now
    )
    writer = open_as(minute_taker)
    open_next_meeting(writer)
    writer.get_by_role("link", name=t("Run the meeting")).click()

    display = writer.locator("#timer output")
    start_text = f"{steps[0].minutes:02d}:00"
    expect(display).to_have_text(start_text)
    writer.get_by_role("button", name=t("Start"), exact=True).click()
    expect(display).not_to_have_text(start_text, timeout=3000)

    for position, step in enumerate(steps, 1):
        expect(writer.get_by_role("heading", level=1)).to_have_text(step.title_ru)
        writer.get_by_role("textbox", name=t("Notes on this step")).fill(
            f"Заметка к шагу {position}"
        )
        last = position == len(steps)
        writer.get_by_role(
            "button",
            name=t("Save and finish the minutes")
            if last
            else t("Save and go to the next step"),
        ).click()

    # 5. The draft minutes, an action point, then the chair approves.
    expect(writer).to_have_url(
        re.compile(re.escape(url("intervision:minutes", meeting.pk)) + "$")
    )
    # Step fields are labelled with their number: the incident method's last
    # step has the same title as the conclusions field.
    expect(field(writer, f"7. {steps[6].title_ru}", "step_7")).to_have_value(
        "Заметка к шагу 7"
    )
    writer.get_by_label(label(t("Advice given"))).fill(ADVICE)
    field(writer, t("The case-bringer's conclusions"), "conclusions").fill(CONCLUSIONS)
    writer.get_by_role("button", name=t("Save the draft")).click()
    expect(writer.get_by_text(t("The draft minutes are saved."))).to_be_visible()
    expect(writer.get_by_label(label(t("Advice given")))).to_have_value(ADVICE)

    points = writer.locator("main form").filter(
        has=writer.get_by_role("button", name=t("Add"), exact=True)
    )
    points.get_by_label(label(t("What"))).fill(ACTION)
    points.get_by_label(label(t("Who"))).select_option(label=bringer.get_full_name())
    points.get_by_label(label(t("By"))).fill(
        (today + datetime.timedelta(days=14)).isoformat()
    )
    points.get_by_role("button", name=t("Add"), exact=True).click()
    expect(writer.get_by_text(t("The action point is added."))).to_be_visible()
    expect(
        writer.get_by_role("region", name=t("Action points")).get_by_text(ACTION)
    ).to_be_visible()

    minutes_url = f"{base_url}{url('intervision:minutes', meeting.pk)}"
    approver = open_as(chair)
    approver.goto(minutes_url)
    expect(approver.get_by_role("heading", level=1)).to_have_text(
        t("Confidentiality pledge")
    )
    expect(
        approver.get_by_text(
            t("Please read and agree to the group's confidentiality pledge first.")
        )
    ).to_be_visible()
    approver.get_by_role("button", name=t("I agree")).click()
    expect(approver).to_have_url(minutes_url)
    expect(approver.get_by_label(label(t("Advice given")))).to_have_value(ADVICE)
    approver.get_by_role("button", name=t("Approve"), exact=True).click()
    expect(
        approver.get_by_text(t("The minutes are approved and locked."))
    ).to_be_visible()
    expect(approver.get_by_text(t("Approved"), exact=True)).to_be_visible()
    expect(approver.get_by_text(ADVICE)).to_be_visible()
    expect(approver.get_by_label(label(t("Advice given")))).to_have_count(0)
    expect(approver.get_by_role("button", name=t("Save the draft"))).to_have_count(0)

    # The draft form posted anyway: refused, nothing changes.
    token = approver.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    response = approver.request.post(
        minutes_url,
        form={
            "csrfmiddlewaretoken": token,
            "advice": "Переписанный совет",
            "conclusions": "",
        },
    )
    assert response.ok
    assert (
        t("These minutes are approved and locked. Propose an amendment instead.")
        in response.text()
    )
    record = Minutes.objects.get(meeting=meeting)
    assert record.is_approved
    assert record.advice == ADVICE
    assert record.conclusions == CONCLUSIONS

    writer.reload()
    expect(writer.get_by_text(t("Approved"), exact=True)).to_be_visible()
    expect(writer.get_by_text(ADVICE)).to_be_visible()
    expect(writer.get_by_label(label(t("Advice given")))).to_have_count(0)
    expect(writer.get_by_label(label(steps[0].title_ru))).to_have_count(0)
    expect(writer.get_by_role("button", name=t("Save the draft"))).to_have_count(0)
    expect(writer.get_by_role("button", name=t("Add"), exact=True)).to_have_count(0)
    expect(writer.locator("main textarea:visible")).to_have_count(0)

    # 6. Managers who are not in the group read nothing of it.
    group_url = f"{base_url}{url('intervision:group', group.pk)}"
    own_manager = page.goto(minutes_url)
    assert own_manager.status == 403
    assert ADVICE not in page.content()

    outsider = open_as(
        UserFactory(
            office=OfficeFactory(), roles=[Role.MANAGER], preferred_language="ru"
        )
    )
    for target in (group_url, minutes_url):
        answer = outsider.goto(target)
        assert answer.status == 403, target
        content = outsider.content()
        assert QUESTION not in content
        assert ADVICE not in content
