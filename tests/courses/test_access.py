"""Every URL of the courses module, walked with every role: who may see what.

The officer in the matrix owns the enrolment, the attempt and the certificate;
every other role is someone else. Bad input tried: each page requested
anonymously and by every role that must not see it, including another
person's attempt, review and certificate.
"""

import pytest
from django.urls import reverse

from courses import services
from courses.demo import _grant_trainers
from lms.roles import Role
from tests.courses.factories import catalogue, course, lessons_of
from tests.lms.factories import UserFactory

pytestmark = pytest.mark.django_db

ANONYMOUS = "anonymous"
EVERYONE = {ANONYMOUS, *Role}
SIGNED_IN = set(Role)


@pytest.fixture
def learning(db, django_capture_on_commit_callbacks):
    index = catalogue()
    _grant_trainers([index])
    page = course(index, lessons=1, questions=2)
    return index, page


def urls(index, page, attempt, certificate) -> dict[str, set]:
    lesson = lessons_of(page)[0]
    return {
        index.url: EVERYONE,
        page.url: EVERYONE,
        lesson.url: {Role.OFFICER, Role.TRAINER},  # enrolled, or an editor
        reverse("courses:my_learning"): SIGNED_IN,
        reverse("courses:attempt_review", args=[attempt.pk]): {Role.OFFICER},
        reverse("courses:grading_list"): {Role.TRAINER},
        reverse("courses:grading_attempt", args=[attempt.pk]): {Role.TRAINER},
        reverse("courses:certificate_check"): EVERYONE,
        reverse("courses:certificate_verify", args=[certificate.code]): EVERYONE,
        reverse("courses:certificate_download", args=[certificate.code]): {
            Role.OFFICER,
            Role.ADMINISTRATOR,
        },
        reverse("enrolments:index"): {Role.TRAINER, Role.ADMINISTRATOR},
        reverse("topics:index"): {Role.TRAINER, Role.ADMINISTRATOR},
        reverse("certificates:index"): {Role.ADMINISTRATOR},
        reverse("courses_certificate_revoke", args=[certificate.pk]): {
            Role.ADMINISTRATOR
        },
        reverse("courses_question_import", args=[page.pk]): {Role.TRAINER},
        reverse("wagtailadmin_pages:edit", args=[page.pk]): {Role.TRAINER},
    }


@pytest.mark.parametrize("who", [ANONYMOUS, *Role], ids=str)
def test_every_courses_url_with_every_role(
    client, make_user, learning, who, django_capture_on_commit_callbacks
):
    index, page = learning
    user = make_user(who) if who != ANONYMOUS else None
    owner = user if who == Role.OFFICER else UserFactory(roles=[Role.OFFICER])
    enrolment = services.enrolment_create(user=owner, course=page)
    with django_capture_on_commit_callbacks(execute=True):
        services.lesson_complete(enrolment=enrolment, lesson=lessons_of(page)[0])
        attempt = services.attempt_start(enrolment=enrolment, course=page)
        services.attempt_submit(attempt=attempt)
        certificate = services.certificate_issue(enrolment=enrolment)
    if user is not None:
        client.force_login(user)
    wrong = []
    for url, allowed in urls(index, page, attempt, certificate).items():
        status = client.get(url).status_code
        if who in allowed and status != 200:
            wrong.append(f"{url}: {status}, expected 200")
        if who not in allowed and status not in (302, 403, 404):
            wrong.append(f"{url}: {status}, expected a refusal")
    assert wrong == []


@pytest.mark.parametrize("name", ["enrol", "withdraw", "quiz_start"], ids=str)
def test_course_actions_refuse_get_and_anonymous_posts(client, learning, name):
    _index, page = learning
    url = reverse(f"courses:{name}", args=[page.pk])
    assert client.post(url).status_code == 302  # to the sign-in page
    assert "/accounts/login/" in client.post(url)["Location"]


def test_the_courses_link_leads_to_the_catalogue_of_the_language(client, learning):
    index, _page = learning
    response = client.get(reverse("courses:catalogue"))
    assert response.status_code == 302
    assert response["Location"] == index.url
