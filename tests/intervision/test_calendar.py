import datetime
import pytest
from django.urls import reverse
from intervision import services
from tests.intervision import factories

pytestmark = pytest.mark.django_db


def test_explore(client):
    group = factories.group()
    s = factories.series(group)
    ms = list(s.meetings.order_by("series_date"))
    print(len(ms), [m.series_date for m in ms])
    m = ms[1]
    services.meeting_change(
        meeting=m,
        actor=group.manager,
        starts_at=m.starts_at + datetime.timedelta(days=1, hours=1),
        ends_at=m.ends_at + datetime.timedelta(days=1, hours=1),
        method=m.method,
        location="X",
    )
    services.meeting_cancel(meeting=ms[2], actor=group.manager, note="holiday")
    services.meeting_create(
        group=group,
        actor=group.manager,
        starts_at=ms[0].starts_at + datetime.timedelta(days=3),
        ends_at=ms[0].ends_at + datetime.timedelta(days=3),
    )
    user = factories.members(group)[0]
    token = services.calendar_token_for(user)
    r = client.get(reverse("intervision_feed", args=[token.token]))
    print(r.status_code, r["Content-Type"])
    print(r.content.decode())
    client.force_login(user)
    r = client.get(reverse("intervision:meeting_ics", args=[m.pk]))
    print(r.status_code, r.content.decode())
