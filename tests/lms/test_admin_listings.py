"""Admin listings show the figures their viewsets compute: Wagtail 8 asks a
ModelViewSet's index view for its queryset, so `get_queryset(request)` on the
viewset is passed to it (lms.viewsets.ListingQuerysetMixin).

Bad inputs tried: none (listings only); a member who left the group is not
counted, and a booking beyond the capacity counts as waiting.
"""

import datetime
import re

import pytest
from django.utils import timezone

from courses.training.sessions import services as sessions
from intervision.models import Membership
from lms.roles import Role
from tests.courses.factories import catalogue, course
from tests.courses.training.test_sessions import make_session, officers
from tests.intervision.factories import group
from tests.lms.factories import UserFactory

pytestmark = pytest.mark.django_db


def cells(html: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", html, re.S)
    ]


def test_the_groups_listing_counts_current_members(client, administrator):
    made = group(members=5)
    leaver = Membership.objects.filter(group=made).first()
    Membership.objects.filter(pk=leaver.pk).update(
        left_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    client.force_login(administrator)
    html = client.get("/admin/intervision_groups/").content.decode()
    assert made.name in html
    row = next(row for row in html.split("<tr") if made.name in row)
    current = Membership.objects.filter(group=made, left_on=None).count()
    assert str(current) in cells("<tr" + row)


def test_the_sessions_listing_counts_booked_and_waiting(client, administrator):
    page = course(catalogue(), "cbt-programmes", lessons=1, format="classroom")
    session = make_session(page, UserFactory(roles=[Role.TRAINER]), capacity=2)
    for officer in officers(3):
        sessions.booking_create(session=session, user=officer)
    client.force_login(administrator)
    html = client.get("/admin/training_sessions/").content.decode()
    row = next(row for row in html.split("<tr") if "Мәңгілік Ел 8" in row)
    # Two booked (the capacity), the third on the waiting list.
    assert cells("<tr" + row)[5:7] == ["2", "1"]
