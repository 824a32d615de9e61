"""The intervision pages as people use them: forms, warnings and messages.

Bad inputs tried: a group with three members (warned, still created) and one
with a member of another office posted by hand (refused, nothing created); a
schedule ending before it starts; a case with an IIN posted twice unchanged,
then kept on purpose; draft minutes posted after approval; an amendment without
a reason; an answer that is neither yes nor no; a step number that is not a
number or out of range in the run view.
"""

import io

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from pypdf import PdfReader

from intervision import services
from intervision.models import Case, Group, Minutes
from lms.roles import Role
from tests.intervision import factories
from tests.lms.factories import OfficeFactory, UserFactory

pytestmark = pytest.mark.django_db


def texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_a_manager_creates_a_small_group_and_is_warned_about_its_size(client):
    office = OfficeFactory()
    manager = UserFactory(office=office, roles=[Role.MANAGER])
    people = factories.office_staff(office, 3)
    client.force_login(manager)
    response = client.post(
        reverse("intervision:group_create"),
        {
            "name": "Группа Есиль",
            "facilitator": people[0].pk,
            "members": [u.pk for u in people],
            "default_method": factories.incident().pk,
            "timezone": "Asia/Almaty",
            "location": "Кабинет 214",
        },
    )
    group = Group.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("intervision:schedule", args=[group.pk])
    with translation.override("ru"):
        expected = gettext(
            "The group has %(n)s members; four to eight is the advice, so that "
            "there is an audience and everyone gets to speak."
        ) % {"n": 3}
    assert expected in texts(response)


def test_a_member_of_another_office_posted_by_hand_is_refused(client):
    office = OfficeFactory()
    manager = UserFactory(office=office, roles=[Role.MANAGER])
    people = factories.office_staff(office, 4)
    stranger = UserFactory(office=OfficeFactory(), roles=[Role.OFFICER])
    client.force_login(manager)
    response = client.post(
        reverse("intervision:group_create"),
        {
            "name": "Группа",
            "facilitator": people[0].pk,
            "members": [u.pk for u in [*people, stranger]],
            "default_method": factories.incident().pk,
            "timezone": "Asia/Almaty",
        },
    )
    assert response.status_code == 200
    assert stranger.get_full_name() in response.content.decode()
    assert not Group.objects.exists()


def test_a_schedule_that_ends_before_it_starts_shows_a_translated_error(client):
    group = factories.group()
    client.force_login(group.manager)
    today = timezone.localdate()
    response = client.post(
        reverse("intervision:schedule", args=[group.pk]),
        {
            "frequency": "weekly",
            "interval": 2,
            "weekday": 1,
            "starts_on": (today + timezone.timedelta(days=10)).isoformat(),
            "ends_on": (today + timezone.timedelta(days=2)).isoformat(),
            "start_time": "14:00",
            "end_time": "16:00",
        },
    )
    assert response.status_code == 200
    with translation.override("ru"):
        assert (
            gettext("The schedule ends before it starts.") in response.content.decode()
        )
    assert not group.series.exists()


def test_a_case_with_an_iin_is_warned_again_until_kept_on_purpose(client):
    group = factories.group()
    meeting = factories.meeting(group, days=3)
    author = factories.members(group)[2]
    client.force_login(author)
    url = reverse("intervision:case_create", args=[meeting.pk])
    data = {
        "question": "Как мотивировать клиента?",
        "situation": "Клиент, ИИН 850312300123, пропускает встречи.",
    }
    for _attempt in range(2):
        response = client.post(url, data)
        page = response.content.decode()
        assert response.status_code == 200
        assert 'id="identifier-warning"' in page
        assert "<mark>850312300123</mark>" in page
        assert "Как мотивировать клиента?" in page  # nothing typed is lost
    assert not Case.objects.exists()
    response = client.post(url, data | {"keep_despite_warning": "on"})
    assert response.status_code == 302
    assert Case.objects.get().warnings_overridden == ["iin"]


def test_a_clean_case_is_saved_and_waits_for_the_facilitator(client):
    group = factories.group()
    meeting = factories.meeting(group, days=3)
    client.force_login(factories.members(group)[2])
    response = client.post(
        reverse("intervision:case_create", args=[meeting.pk]),
        {"question": "Как быть?", "situation": "Клиент пропускает встречи."},
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert not case.is_confirmed
    client.force_login(group.facilitator)
    client.post(reverse("intervision:case_confirm", args=[case.pk]))
    case.refresh_from_db()
    assert case.confirmed_by == group.facilitator


def test_posting_a_draft_after_approval_changes_nothing(client):
    group = factories.group()
    meeting = factories.meeting(group, days=-1)
    chair, taker = factories.members(group)[:2]
    services.minutes_save(meeting=meeting, actor=taker, advice="- Исходный совет")
    services.minutes_approve(minutes=services.minutes_for(meeting), actor=chair)
    client.force_login(taker)
    response = client.post(
        reverse("intervision:minutes", args=[meeting.pk]), {"advice": "Другое"}
    )
    assert response.status_code == 302
    with translation.override("ru"):
        assert gettext(
            "These minutes are approved and locked. Propose an amendment instead."
        ) in texts(response)
    assert Minutes.objects.get().advice == "- Исходный совет"
    response = client.post(
        reverse("intervision:minutes_amend", args=[meeting.pk]),
        {"part": "advice", "text": "Другое", "reason": ""},
    )
    assert Minutes.objects.get().advice == "- Исходный совет"
    assert texts(response)


def test_the_minutes_pdf_carries_the_russian_text(client):
    group = factories.group()
    meeting = factories.meeting(group, days=-1)
    chair, taker = factories.members(group)[:2]
    services.minutes_save(
        meeting=meeting,
        actor=taker,
        notes={1: "Все договорённости выполнены."},
        advice="- Позвонить в центр занятости",
        conclusions="Попробую мотивационное интервью.",
    )
    services.minutes_approve(minutes=services.minutes_for(meeting), actor=chair)
    client.force_login(taker)
    response = client.get(reverse("intervision:minutes_pdf", args=[meeting.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(
        page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages
    )
    assert "Позвонить в центр занятости" in text
    assert "Все договорённости выполнены." in text
    assert chair.get_full_name() in text


def test_an_answer_that_is_neither_yes_nor_no_is_refused(client):
    group = factories.group()
    meeting = factories.meeting(group, days=3)
    member = factories.members(group)[0]
    client.force_login(member)
    client.post(reverse("intervision:respond", args=[meeting.pk]), {"response": "?"})
    assert meeting.participations.get(user=member).response == "pending"
    client.post(reverse("intervision:respond", args=[meeting.pk]), {"response": "yes"})
    assert meeting.participations.get(user=member).response == "yes"


@pytest.mark.parametrize(("step", "shown"), [("abc", 1), ("0", 1), ("99", 7), ("3", 3)])
def test_the_run_view_shows_a_valid_step_for_any_step_number(client, step, shown):
    group = factories.group()
    meeting = factories.meeting(group, days=-1)
    client.force_login(factories.members(group)[1])
    response = client.get(reverse("intervision:run", args=[meeting.pk]), {"step": step})
    assert response.status_code == 200
    assert response.context["position"] == shown


def test_the_minute_taker_writes_notes_step_by_step(client):
    group = factories.group()
    meeting = factories.meeting(group, days=-1)
    client.force_login(factories.members(group)[1])
    url = reverse("intervision:run", args=[meeting.pk])
    response = client.post(
        f"{url}?step=2", {"text": "Три коротких питча.", "go": "next"}
    )
    assert response.url == f"{url}?step=3"
    assert Minutes.objects.get().notes.get(position=2).text == "Три коротких питча."
