"""Learning paths: a trainer or manager enrols a cohort (chosen officers, or
everyone of an office hired on or after a date) in a path and its first course;
each officer sees the path and their next step, which moves on as they complete
courses. Managers act on their own office only. The path page runs a fixed
number of queries whatever the size of the cohort.

Bad input tried: an empty cohort; an unknown officer id and a non-numeric one;
a trainer and an inactive officer posted as officers; an officer of another
office posted by a manager (alone and among their own); another office chosen
by a manager; a hire date in the future; a missing office or date; an unknown
office; an office where nobody was hired since the date; enrolling the same
officers twice; a first course whose prerequisites the officer lacks; every URL
requested by every role that must not use it.
"""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from courses import services as course_services
from courses.demo import _grant_trainers
from courses.models import Enrolment, LearningPath, LearningPathStep, PathEnrolment
from courses.training.paths import selectors
from courses.training.paths.services import (
    path_enrol_cohort,
    path_enrol_office,
    path_next_step,
)
from lms.models import AuditEntry, Notification
from lms.roles import Role
from tests.courses.factories import catalogue, course, lessons_of, translate
from tests.lms.factories import OfficeFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english():
    """These tests read messages in English; the catalogue tests and the browser
    tests check the Russian and Kazakh."""
    with translation.override("en"):
        yield


ANONYMOUS = "anonymous"
OTHER_OFFICER = "other officer"
MANAGER_HERE = "manager of the office"
MANAGER_ELSEWHERE = "manager of another office"
WHO = [
    ANONYMOUS,
    Role.OFFICER,
    OTHER_OFFICER,
    Role.TRAINER,
    MANAGER_HERE,
    MANAGER_ELSEWHERE,
    Role.ADMINISTRATOR,
]


@pytest.fixture
def courses(db):
    index = catalogue()
    _grant_trainers([index])
    return [
        course(index, "introduction-to-probation", lessons=1, title="Введение"),
        course(index, "communication-skills", lessons=1, title="Общение"),
        course(index, "motivational-interviewing", lessons=1, title="МИ"),
    ]


def make_path(pages, **fields) -> LearningPath:
    path = LearningPath(
        name_kk=fields.pop("name_kk", "Бастапқы оқу"),
        name_ru=fields.pop("name_ru", "Введение в профессию"),
        name_en=fields.pop("name_en", "Induction"),
        **fields,
    )
    path.steps = [
        LearningPathStep(course=page, sort_order=n) for n, page in enumerate(pages)
    ]
    path.save()
    return path


@pytest.fixture
def path(courses):
    return make_path(courses)


@pytest.fixture
def office():
    return OfficeFactory()


@pytest.fixture
def other_office():
    return OfficeFactory()


def officer_in(office, **kwargs):
    return UserFactory(roles=[Role.OFFICER], office=office, **kwargs)


def complete(user, page):
    enrolment = course_services.enrolment_create(user=user, course=page)
    for lesson in lessons_of(page):
        course_services.lesson_complete(enrolment=enrolment, lesson=lesson)
    enrolment.refresh_from_db()
    assert enrolment.is_complete
    return enrolment


def enrol_url(path):
    return reverse("courses:path_enrol", args=[path.pk])


# Cohorts ----------------------------------------------------------------------


def test_trainer_enrols_chosen_officers_in_the_path_and_its_first_course(
    client, path, courses, office, other_office, django_capture_on_commit_callbacks
):
    trainer = UserFactory(roles=[Role.TRAINER])
    here = officer_in(office, preferred_language="kk")
    there = officer_in(other_office)
    client.force_login(trainer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            enrol_url(path), {"how": "officers", "officers": [here.pk, there.pk]}
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("courses:path_detail", args=[path.pk])
    assert set(PathEnrolment.objects.values_list("user_id", "enrolled_by_id")) == {
        (here.pk, trainer.pk),
        (there.pk, trainer.pk),
    }
    assert set(
        Enrolment.objects.filter(course_key=courses[0].translation_key).values_list(
            "user_id", flat=True
        )
    ) == {here.pk, there.pk}
    assert not Enrolment.objects.exclude(course_key=courses[0].translation_key)
    notice = Notification.objects.get(recipient=here)
    with translation.override("kk"):
        assert notice.url == reverse("courses:path_detail", args=[path.pk])
    assert notice.url.startswith("/kk/")
    assert "Бастапқы оқу" in notice.subject  # the path's name in their language
    entry = AuditEntry.objects.get(action="path.enrol_cohort")
    assert entry.actor == trainer
    assert sorted(entry.data["enrolled"]) == sorted([here.pk, there.pk])
    html = client.get(response["Location"]).content.decode()
    assert "2 officers are enrolled in the path" in html


def test_everyone_of_an_office_hired_since_a_date_is_enrolled(
    client, path, office, other_office
):
    trainer = UserFactory(roles=[Role.TRAINER])
    on_the_day = officer_in(office, hire_date=datetime.date(2026, 1, 10))
    later = officer_in(office, hire_date=datetime.date(2026, 3, 1))
    officer_in(office, hire_date=datetime.date(2026, 1, 9))
    officer_in(office, hire_date=None)
    officer_in(office, hire_date=datetime.date(2026, 2, 1), is_active=False)
    UserFactory(
        roles=[Role.TRAINER], office=office, hire_date=datetime.date(2026, 2, 1)
    )
    officer_in(other_office, hire_date=datetime.date(2026, 2, 1))
    client.force_login(trainer)
    response = client.post(
        enrol_url(path),
        {"how": "office", "office": office.pk, "hired_since": "2026-01-10"},
    )
    assert response.status_code == 302
    assert set(PathEnrolment.objects.values_list("user_id", flat=True)) == {
        on_the_day.pk,
        later.pk,
    }
    assert AuditEntry.objects.get(action="path.enrol_cohort").data["how"] == "office"


def test_enrolling_again_reports_those_already_in_the_path(
    client, path, office, django_capture_on_commit_callbacks
):
    trainer = UserFactory(roles=[Role.TRAINER])
    first, second = officer_in(office), officer_in(office)
    client.force_login(trainer)
    client.post(enrol_url(path), {"how": "officers", "officers": [first.pk]})
    response = client.post(
        enrol_url(path),
        {"how": "officers", "officers": [first.pk, second.pk]},
        follow=True,
    )
    html = response.content.decode()
    assert "1 officer is enrolled in the path" in html
    assert "Already in the path" in html and first.get_full_name() in html
    assert PathEnrolment.objects.count() == 2
    assert Enrolment.objects.count() == 2
    assert Notification.objects.filter(recipient=first).count() == 1
    report = path_enrol_cohort(path=path, officers=[first, second], by=trainer)
    assert report.enrolled == [] and report.already == [first, second]
    assert PathEnrolment.objects.count() == 2


def test_an_officer_lacking_the_prerequisites_joins_the_path_not_the_course(
    client, courses, office
):
    index = courses[0].get_parent().specific
    advanced = course(index, "cbt-programmes", lessons=1, prerequisites=[courses[0]])
    path = make_path([advanced, courses[2]])
    trainer = UserFactory(roles=[Role.TRAINER])
    officer = officer_in(office)
    client.force_login(trainer)
    response = client.post(
        enrol_url(path), {"how": "officers", "officers": [officer.pk]}, follow=True
    )
    assert PathEnrolment.objects.filter(user=officer, path=path).exists()
    assert not Enrolment.objects.filter(user=officer).exists()
    html = response.content.decode()
    assert f"{officer.get_full_name()} is in the path but not in its first course" in (
        html
    )
    entry = AuditEntry.objects.get(action="path.enrol_cohort")
    assert entry.data["blocked"] == [officer.pk]


def test_manager_enrols_officers_of_their_own_office_only(
    client, path, office, other_office
):
    manager = UserFactory(roles=[Role.MANAGER], office=office)
    mine = officer_in(office)
    theirs = officer_in(other_office)
    client.force_login(manager)
    form = client.get(enrol_url(path)).content.decode()
    assert mine.get_full_name() in form
    assert theirs.get_full_name() not in form
    for chosen in ([theirs.pk], [mine.pk, theirs.pk]):
        response = client.post(enrol_url(path), {"how": "officers", "officers": chosen})
        assert response.status_code == 200
        html = response.content.decode()
        assert "You may enrol officers of your own office only" in html
        assert theirs.get_full_name() in html
    response = client.post(
        enrol_url(path),
        {"how": "office", "office": other_office.pk, "hired_since": "2025-01-01"},
    )
    assert "You may enrol the officers of your own office only" in (
        response.content.decode()
    )
    assert not PathEnrolment.objects.exists()
    assert not Enrolment.objects.exists()
    assert not Notification.objects.exists()
    assert not AuditEntry.objects.filter(action="path.enrol_cohort").exists()
    response = client.post(
        enrol_url(path),
        {"how": "office", "office": office.pk, "hired_since": "2025-01-01"},
    )
    assert response.status_code == 302
    assert list(PathEnrolment.objects.values_list("user_id", flat=True)) == [mine.pk]


def test_a_manager_without_an_office_enrols_nobody(path, office):
    manager = UserFactory(roles=[Role.MANAGER], office=None)
    with pytest.raises(Exception, match="no office"):
        path_enrol_cohort(path=path, officers=[officer_in(office)], by=manager)
    assert not PathEnrolment.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"how": "officers"}, "Choose at least one officer"),
        ({"how": "officers", "officers": ["999999"]}, "unknown or no longer active"),
        ({"how": "officers", "officers": ["abc"]}, "An officer you chose is unknown"),
        ({"how": "office", "hired_since": "2025-01-01"}, "Choose the office"),
        (
            {"how": "office", "office": "999999", "hired_since": "2025-01-01"},
            "This office is unknown",
        ),
        ({"how": "office", "office": "OFFICE"}, "Enter the first hire date"),
        (
            {"how": "office", "office": "OFFICE", "hired_since": "10/01/2025x"},
            "Enter the date as year-month-day",
        ),
        (
            {"how": "office", "office": "OFFICE", "hired_since": "TOMORROW"},
            "cannot be in the future",
        ),
        (
            {"how": "office", "office": "OFFICE", "hired_since": "2026-01-01"},
            "No active officer of",
        ),
        ({"how": "nobody"}, "Choose whom to enrol"),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_bad_cohorts_are_refused_with_a_clear_message(
    client, path, office, data, message
):
    trainer = UserFactory(roles=[Role.TRAINER])
    officer_in(office, hire_date=datetime.date(2025, 6, 1))
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    data = {
        key: office.pk
        if value == "OFFICE"
        else tomorrow.isoformat()
        if value == "TOMORROW"
        else value
        for key, value in data.items()
    }
    client.force_login(trainer)
    response = client.post(enrol_url(path), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not PathEnrolment.objects.exists()


@pytest.mark.parametrize("who", ["trainer", "inactive officer"])
def test_only_active_officers_can_be_chosen(client, path, office, who):
    trainer = UserFactory(roles=[Role.TRAINER])
    chosen = (
        UserFactory(roles=[Role.TRAINER], office=office)
        if who == "trainer"
        else officer_in(office, is_active=False)
    )
    client.force_login(trainer)
    response = client.post(
        enrol_url(path), {"how": "officers", "officers": [chosen.pk]}
    )
    assert "unknown or no longer active" in response.content.decode()
    assert not PathEnrolment.objects.exists()
    with pytest.raises(Exception, match="Only active officers"):
        path_enrol_cohort(path=path, officers=[chosen], by=trainer)


def test_the_office_service_refuses_a_future_date(path, office):
    trainer = UserFactory(roles=[Role.TRAINER])
    officer_in(office, hire_date=datetime.date(2026, 5, 1))
    with pytest.raises(Exception, match="future"):
        path_enrol_office(
            path=path,
            office=office,
            hired_since=datetime.date(2026, 5, 2),
            by=trainer,
            today=datetime.date(2026, 5, 1),
        )
    report = path_enrol_office(
        path=path,
        office=office,
        hired_since=datetime.date(2026, 5, 1),
        by=trainer,
        today=datetime.date(2026, 5, 1),
    )
    assert len(report.enrolled) == 1


# The officer's view ------------------------------------------------------------


def test_the_next_step_moves_on_as_the_officer_completes_courses(
    client, path, courses, office
):
    trainer = UserFactory(roles=[Role.TRAINER])
    officer = officer_in(office, preferred_language="kk")
    index = courses[0].get_parent().specific
    translate(index.get_parent(), "kk")
    translate(index, "kk", title="Курстар")
    kk_second = translate(courses[1], "kk", title="Қарым-қатынас")
    path_enrol_cohort(path=path, officers=[officer], by=trainer)
    steps = list(path.steps.all())
    assert path_next_step(officer, path) == steps[0]

    complete(officer, courses[0])
    assert path_next_step(officer, path) == steps[1]
    client.force_login(officer)
    with translation.override("kk"):
        detail = client.get(reverse("courses:path_detail", args=[path.pk]))
        learning = client.get(reverse("courses:my_learning"))
        cpd_url = reverse("courses:cpd_record")
    html = detail.content.decode()
    assert kk_second.url in html  # the next course, in the officer's language
    assert "Қарым-қатынас" in html
    section = learning.content.decode()
    with translation.override("kk"):
        completed = gettext("%(done)s of %(total)s courses completed") % {
            "done": 1,
            "total": 3,
        }
    assert completed in section
    assert kk_second.url in section
    assert cpd_url in section

    complete(officer, courses[1])
    complete(officer, courses[2])
    assert path_next_step(officer, path) is None
    progress = selectors.my_learning(officer)["paths"][0]
    assert (progress.done, progress.total, progress.is_complete) == (3, 3, True)


def test_an_officer_sees_only_their_own_paths(client, courses, office):
    mine = make_path(courses[:1], name_en="Mine", name_ru="Мой путь")
    make_path(courses[1:], name_en="Other", name_ru="Чужой путь")
    officer = officer_in(office)
    path_enrol_cohort(
        path=mine, officers=[officer], by=UserFactory(roles=[Role.TRAINER])
    )
    client.force_login(officer)
    html = client.get(reverse("courses:path_list")).content.decode()
    assert "Mine" in html
    assert "Other" not in html


# The trainer's and manager's view ---------------------------------------------


def test_managers_see_their_office_and_trainers_everyone(
    client, path, courses, office, other_office
):
    trainer = UserFactory(roles=[Role.TRAINER])
    mine = officer_in(office, full_name="Асель Мойофис")
    theirs = officer_in(other_office, full_name="Берик Чужойофис")
    path_enrol_cohort(path=path, officers=[mine, theirs], by=trainer)
    complete(mine, courses[0])
    url = reverse("courses:path_detail", args=[path.pk])
    client.force_login(UserFactory(roles=[Role.MANAGER], office=office))
    html = client.get(url).content.decode()
    assert "Асель Мойофис" in html and "Берик Чужойофис" not in html
    assert reverse("courses:cpd_officer", args=[mine.pk]) in html
    assert "1/3" in html
    client.force_login(trainer)
    html = client.get(url).content.decode()
    assert "Асель Мойофис" in html and "Берик Чужойофис" in html


def _path_page_queries(client, path, office, trainer, count) -> int:
    officers = [officer_in(office) for _n in range(count)]
    path_enrol_cohort(path=path, officers=officers, by=trainer)
    for officer in officers[::2]:
        complete(officer, path.steps.first().course.specific)
    url = reverse("courses:path_detail", args=[path.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("<tr>") == count + 1
    return len(queries)


def test_the_path_page_runs_the_same_queries_for_3_and_30_officers(
    client, courses, office
):
    trainer = UserFactory(roles=[Role.TRAINER])
    manager = UserFactory(roles=[Role.MANAGER], office=office)
    client.force_login(manager)
    small = _path_page_queries(client, make_path(courses), office, trainer, 3)
    large = _path_page_queries(client, make_path(courses), office, trainer, 30)
    assert small == large


def test_trainers_define_a_path_in_the_admin(client, courses):
    trainer = UserFactory(roles=[Role.TRAINER])
    client.force_login(trainer)
    url = reverse("wagtailsnippets_courses_learningpath:add")
    assert client.get(url).status_code == 200
    data = {
        "name_kk": "Жол",
        "name_ru": "Путь",
        "name_en": "Path",
        "description_kk": "",
        "description_ru": "",
        "description_en": "",
        "steps-TOTAL_FORMS": "2",
        "steps-INITIAL_FORMS": "0",
        "steps-MIN_NUM_FORMS": "1",
        "steps-MAX_NUM_FORMS": "1000",
        "steps-0-course": courses[0].pk,
        "steps-0-ORDER": "1",
        "steps-0-id": "",
        "steps-0-DELETE": "",
        "steps-1-course": courses[2].pk,
        "steps-1-ORDER": "2",
        "steps-1-id": "",
        "steps-1-DELETE": "",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    path = LearningPath.objects.get()
    assert path.created_by == trainer
    assert [step.course_id for step in path.steps.all()] == [
        courses[0].pk,
        courses[2].pk,
    ]
    index = client.get(reverse("wagtailsnippets_courses_learningpath:list"))
    assert index.status_code == 200
    assert "Путь" in index.content.decode() or "Path" in index.content.decode()


# Access -----------------------------------------------------------------------


@pytest.fixture
def cast(path, office, other_office):
    """The officer in the path, and one of each other role."""
    owner = officer_in(office)
    trainer = UserFactory(roles=[Role.TRAINER])
    path_enrol_cohort(path=path, officers=[owner], by=trainer)
    return {
        Role.OFFICER: owner,
        OTHER_OFFICER: officer_in(office),
        Role.TRAINER: trainer,
        MANAGER_HERE: UserFactory(roles=[Role.MANAGER], office=office),
        MANAGER_ELSEWHERE: UserFactory(roles=[Role.MANAGER], office=other_office),
        Role.ADMINISTRATOR: UserFactory(roles=[Role.ADMINISTRATOR], office=office),
    }


def urls(path, owner) -> dict[str, set]:
    signed_in = set(WHO) - {ANONYMOUS}
    cohort = {Role.TRAINER, MANAGER_HERE, MANAGER_ELSEWHERE}
    # Trainers and managers define paths in the admin.
    admin = {Role.TRAINER, MANAGER_HERE, MANAGER_ELSEWHERE}
    return {
        reverse("courses:path_list"): signed_in,
        reverse("courses:path_detail", args=[path.pk]): {Role.OFFICER, *cohort},
        reverse("courses:path_enrol", args=[path.pk]): cohort,
        reverse("courses:cpd_record"): signed_in,
        reverse("courses:cpd_pdf"): signed_in,
        reverse("courses:cpd_officer", args=[owner.pk]): {Role.OFFICER, MANAGER_HERE},
        reverse("courses:cpd_officer_pdf", args=[owner.pk]): {
            Role.OFFICER,
            MANAGER_HERE,
        },
        reverse("wagtailsnippets_courses_learningpath:add"): admin,
        reverse("wagtailsnippets_courses_learningpath:list"): {
            *admin,
            Role.ADMINISTRATOR,
        },
    }


@pytest.mark.parametrize("who", WHO, ids=str)
def test_every_path_and_cpd_url_with_every_role(client, path, cast, who):
    if who != ANONYMOUS:
        client.force_login(cast[who])
    wrong = []
    for url, allowed in urls(path, cast[Role.OFFICER]).items():
        status = client.get(url).status_code
        if who in allowed and status != 200:
            wrong.append(f"{url}: {status}, expected 200")
        if who not in allowed and status not in (302, 403):
            wrong.append(f"{url}: {status}, expected a refusal")
    assert wrong == []


@pytest.mark.parametrize("who", [ANONYMOUS, Role.OFFICER, Role.ADMINISTRATOR], ids=str)
def test_those_who_may_not_enrol_cannot_post_a_cohort(client, path, cast, who):
    if who != ANONYMOUS:
        client.force_login(cast[who])
    response = client.post(
        enrol_url(path), {"how": "officers", "officers": [cast[OTHER_OFFICER].pk]}
    )
    assert response.status_code in (302, 403)
    assert PathEnrolment.objects.count() == 1


# Demo data --------------------------------------------------------------------


def test_the_demo_path_is_seeded_once(courses, office):
    from courses.training.paths import demo

    officer = UserFactory(username="officer.astana", roles=[Role.OFFICER])
    UserFactory(username="trainer.astana", roles=[Role.TRAINER])
    out = io.StringIO()
    demo.seed(out)
    demo.seed(out)
    path = LearningPath.objects.get()
    assert path.name_en == "Induction for new probation officers"
    assert path.name_kk and path.name_ru
    assert [step.course.slug for step in path.steps.all()] == [
        page.slug for page in courses
    ]
    assert list(path.enrolments.values_list("user_id", flat=True)) == [officer.pk]
    assert path_next_step(officer, path).course == courses[0]
    assert AuditEntry.objects.filter(action="path.enrol_cohort").count() == 1
