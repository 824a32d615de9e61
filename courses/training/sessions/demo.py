"""Demo sessions: two coming classroom sessions in Astana, of the CBT
programmes course (motivational interviewing when CBT is missing). The first is
full, with a waiting list, so the Astana officer can join it and see the list
move; the second has places, and the Astana officer has one of them.

Running it again changes nothing while the demo sessions are still to come.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale

from courses.models import CoursePage
from courses.models.training import ALMATY, TrainingSession
from courses.training.sessions import services
from lms.models import User

COURSE_SLUGS = ("cbt-programmes", "motivational-interviewing")
VENUE = "Астана, Мәңгілік Ел даңғылы, 8, учебный класс 204"
COLLEAGUES = [
    f"officer.{office}.{n}"
    for office in ("astana-yesil", "astana-saryarka")
    for n in (1, 2, 3)
]
FULL_PLACES = 4  # the first four colleagues book, the other two wait


def _course() -> CoursePage | None:
    ru = Locale.objects.filter(language_code="ru").first()
    pages = CoursePage.objects.live().filter(locale=ru, slug__in=COURSE_SLUGS)
    found = {page.slug: page for page in pages}
    return next((found[slug] for slug in COURSE_SLUGS if slug in found), None)


def _at(days: int, hour: int) -> datetime.datetime:
    day = timezone.localdate(timezone=ALMATY) + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=ALMATY)


@transaction.atomic
def seed(stdout) -> None:
    course = _course()
    trainer = User.objects.filter(username="trainer.astana").first()
    if course is None or trainer is None:
        return
    if TrainingSession.objects.filter(
        trainer=trainer, course=course, starts_at__gt=timezone.now()
    ).exists():
        return
    people = {u.username: u for u in User.objects.filter(username__in=COLLEAGUES)}
    colleagues = [people[name] for name in COLLEAGUES if name in people]
    officer = User.objects.filter(username="officer.astana").first()

    full = services.session_create(
        trainer=trainer,
        course=course,
        starts_at=_at(7, 10),
        ends_at=_at(7, 17),
        registration_deadline=_at(6, 18),
        capacity=FULL_PLACES,
        venue=VENUE,
    )
    for colleague in colleagues:
        services.booking_create(session=full, user=colleague)

    later = services.session_create(
        trainer=trainer,
        course=course,
        starts_at=_at(21, 10),
        ends_at=_at(21, 17),
        registration_deadline=_at(19, 18),
        capacity=12,
        venue=VENUE,
    )
    for person in [officer, *colleagues[:2]]:
        if person is not None:
            services.booking_create(session=later, user=person)
    stdout.write(
        f"Demo training sessions: 2 of «{course.title}» in Astana, "
        f"the first full with {max(len(colleagues) - FULL_PLACES, 0)} waiting."
    )
