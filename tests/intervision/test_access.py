"""Every URL of the intervision module, walked by everyone who might try it:
who may see what. Confidentiality is the point: cases, minutes and action
points are for the group's members and facilitator only.

Bad inputs tried: each page requested anonymously; by a member who has not
agreed to the pledge; by the office's manager who is not a member; by a manager
and a group member of another office (opening the minutes by URL); by a trainer
of the same office; by an administrator; a case opened by a member who is not
its author.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from intervision import services
from intervision.models import Case, Membership
from lms.roles import Role
from tests.intervision import factories
from tests.lms.factories import OfficeFactory, UserFactory

pytestmark = pytest.mark.django_db

SECRET = "Секретный вопрос группы о клиенте"
WHO = [
    "anonymous",
    "member",
    "unpledged",
    "facilitator",
    "office_manager",
    "other_manager",
    "other_member",
    "trainer",
    "administrator",
]
IN_GROUP = {"member", "facilitator"}
SEES_GROUP = IN_GROUP | {"unpledged", "office_manager"}
SIGNED_IN = set(WHO) - {"anonymous"}


@pytest.fixture
def world(db):
    group = factories.group()
    people = factories.members(group)
    Membership.objects.filter(group=group, user=people[4]).update(pledge_agreed_at=None)
    coming = factories.meeting(group, days=5)
    past = factories.meeting(group, days=-2)
    case = Case.objects.create(
        meeting=coming,
        author=people[0],
        question=SECRET,
        situation="Клиент пропускает встречи.",
        confirmed_at=timezone.now(),
        confirmed_by=group.facilitator,
    )
    services.minutes_save(meeting=past, actor=people[1], advice=SECRET)
    services.action_point_add(
        meeting=past,
        actor=people[1],
        owner=people[3],
        text=SECRET,
        due_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    other = factories.group()
    people_by_who = {
        "anonymous": None,
        "member": people[0],  # chair of both meetings, author of the case
        "unpledged": people[4],
        "facilitator": group.facilitator,
        "office_manager": group.manager,
        "other_manager": other.manager,
        "other_member": factories.members(other)[0],
        "trainer": UserFactory(office=group.office, roles=[Role.TRAINER]),
        "administrator": UserFactory(
            office=OfficeFactory(), roles=[Role.ADMINISTRATOR]
        ),
    }
    return group, coming, past, case, people_by_who


def urls(group, coming, past, case) -> dict[str, set]:
    def url(name, *args):
        return reverse(f"intervision:{name}", args=args)

    return {
        url("home"): SIGNED_IN,
        url("calendar"): SIGNED_IN,
        url("group_create"): {"office_manager", "other_manager"},
        url("group", group.pk): SEES_GROUP,
        url("group_edit", group.pk): {"office_manager"},
        url("schedule", group.pk): {"office_manager"},
        url("meeting_create", group.pk): {"office_manager"},
        url("pledge", group.pk): IN_GROUP | {"unpledged"},
        url("meeting", coming.pk): SEES_GROUP,
        url("meeting_ics", coming.pk): SEES_GROUP,
        url("meeting_change", coming.pk): {"office_manager", "facilitator"},
        url("roles", coming.pk): {"office_manager", "facilitator"},
        url("case_create", coming.pk): IN_GROUP,
        url("case_edit", case.pk): {"member"},
        url("case_confirm", case.pk): {"facilitator"},
        url("run", past.pk): IN_GROUP,
        url("minutes", past.pk): IN_GROUP,
        url("minutes_pdf", past.pk): IN_GROUP,
        url("attendance", past.pk): {"office_manager", "facilitator", "member"},
        reverse("intervision_groups:index"): {"administrator"},
        reverse("intervision_meetings:index"): {"administrator"},
        reverse("intervision_themes:index"): {"administrator"},
        reverse("wagtailsnippets_intervision_method:list"): {"administrator"},
    }


@pytest.mark.parametrize("who", WHO)
def test_every_intervision_url_with_everyone(client, world, who):
    group, coming, past, case, people = world
    user = people[who]
    if user is not None:
        client.force_login(user)
    wrong = []
    for url, allowed in urls(group, coming, past, case).items():
        response = client.get(url)
        status = response.status_code
        if who in allowed and status != 200:
            wrong.append(f"{url}: {status}, expected 200")
        if who not in allowed:
            if status not in (302, 403, 404):
                wrong.append(f"{url}: {status}, expected a refusal")
            if SECRET in response.content.decode(errors="ignore"):
                wrong.append(f"{url}: shows the group's confidential text")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("who", ["office_manager", "unpledged", "administrator"])
def test_who_sees_the_meeting_but_not_its_content_never_reads_it(client, world, who):
    group, coming, past, case, people = world
    client.force_login(people[who])
    for url in (
        reverse("intervision:meeting", args=[coming.pk]),
        reverse("intervision:meeting", args=[past.pk]),
        reverse("intervision:group", args=[group.pk]),
        reverse("intervision_meetings:index"),
    ):
        response = client.get(url)
        assert SECRET not in response.content.decode(), url


def test_a_member_who_has_not_agreed_is_sent_to_the_pledge_first(client, world):
    group, coming, past, case, people = world
    client.force_login(people["unpledged"])
    response = client.get(reverse("intervision:minutes", args=[past.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("intervision:pledge", args=[group.pk]))
    client.post(response.url, {"next": reverse("intervision:minutes", args=[past.pk])})
    response = client.get(reverse("intervision:minutes", args=[past.pk]))
    assert response.status_code == 200
    assert SECRET in response.content.decode()


def test_a_member_of_another_group_opening_the_minutes_by_url_is_refused(client, world):
    group, coming, past, case, people = world
    client.force_login(people["other_member"])
    response = client.get(reverse("intervision:minutes", args=[past.pk]))
    assert response.status_code == 403
    assert SECRET not in response.content.decode()
