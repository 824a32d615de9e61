"""Mandatory training and compliance: the state of each officer for each
mandatory course, the daily check (reminders, the manager told when overdue,
refresher enrolment), the matrix with its filters and scope, and its exports.

Bad input tried: an office id outside the manager's office or the regional
head's region (in the query string and in an export), an office that is not a
number, an unknown state, a search over 100 characters, a page number past the
end, an export format that does not exist, the same export asked twice while it
is being prepared, someone else's export (page, status and download), the task
run three times on the same day, and a name that a spreadsheet would read as a
formula.
"""

import csv
import datetime
import io

import openpyxl
import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from courses.models import (
    Certificate,
    ComplianceExport,
    ComplianceReminder,
    Enrolment,
    EnrolmentStatus,
    ExportStatus,
    LessonProgress,
    MandatoryRule,
    ReminderKind,
)
from courses.training.compliance import selectors, services, tasks
from courses.training.compliance.selectors import CellState
from lms.models import Notification
from lms.roles import Role
from tests.courses.factories import catalogue, course, lessons_of
from tests.lms.factories import OfficeFactory, RegionFactory, UserFactory

pytestmark = pytest.mark.django_db

HIRED = datetime.date(2025, 3, 1)  # the factory's hire date
FIRST_DUE = HIRED + datetime.timedelta(days=90)  # 2025-05-30


def t(message: str) -> str:
    with translation.override("ru"):
        return gettext(message)


def at(day: datetime.date):
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(9), tzinfo=datetime.UTC),
        tick=False,
    )


def rule_for(page, **fields) -> MandatoryRule:
    fields = {
        "role": Role.OFFICER.value,
        "deadline_days": 90,
        "validity_months": 24,
        "renewal_days": 60,
        **fields,
    }
    return MandatoryRule.objects.create(course=page, **fields)


def certify(user, page, issued: datetime.date, valid_until=None) -> Certificate:
    enrolment, _created = Enrolment.objects.get_or_create(
        user=user,
        course_key=page.translation_key,
        defaults={
            "course": page,
            "course_title": page.title,
            "status": EnrolmentStatus.COMPLETED,
        },
    )
    return Certificate.objects.create(
        enrolment=enrolment,
        user=user,
        full_name=user.full_name,
        course_key=page.translation_key,
        course_title=page.title,
        cpd_hours=8,
        language="ru",
        issued_on=issued,
        valid_until=valid_until or issued + relativedelta(months=24),
    )


def enrol(user, page, status=EnrolmentStatus.ACTIVE) -> Enrolment:
    return Enrolment.objects.create(
        user=user,
        course=page,
        course_key=page.translation_key,
        course_title=page.title,
        status=status,
    )


def state_of(user, rule, today) -> selectors.Cell:
    rule = selectors.rules_with_courses().get(pk=rule.pk)
    return selectors.compliance_cells([user], [rule], today=today)[user.pk, rule.pk]


@pytest.fixture
def index(db):
    return catalogue()


@pytest.fixture
def mi(index):
    return course(index, "motivational-interviewing", title="МИ", lessons=2)


@pytest.fixture
def office(db):
    return OfficeFactory(region=RegionFactory(code="astana"))


@pytest.fixture
def manager(office):
    return UserFactory(roles=[Role.MANAGER], office=office, full_name="Жанна Менеджер")


def officer_in(office, **fields):
    return UserFactory(roles=[Role.OFFICER], office=office, **fields)


# States ------------------------------------------------------------------------


def test_each_state_is_computed_from_hire_date_enrolment_and_certificates(mi, office):
    rule = rule_for(mi)
    today = datetime.date(2025, 4, 1)
    fresh = officer_in(office)
    enrolled = officer_in(office)
    enrol(enrolled, mi)
    certified = officer_in(office)
    certify(certified, mi, datetime.date(2025, 3, 20))
    late = officer_in(office, hire_date=datetime.date(2024, 1, 1))
    expiring = officer_in(office, hire_date=datetime.date(2023, 1, 1))
    certify(expiring, mi, datetime.date(2023, 5, 1))  # expires 2025-05-01

    assert state_of(fresh, rule, today) == selectors.Cell(
        CellState.NOT_STARTED, FIRST_DUE
    )
    assert state_of(enrolled, rule, today).state == CellState.IN_PROGRESS
    done = state_of(certified, rule, today)
    assert (done.state, done.due_on) == (CellState.DONE, datetime.date(2027, 3, 20))
    assert state_of(late, rule, today) == selectors.Cell(
        CellState.OVERDUE, datetime.date(2024, 3, 31)
    )
    soon = state_of(expiring, rule, today)
    assert soon.state == CellState.EXPIRING
    assert soon.due_on == datetime.date(2025, 5, 1)
    assert soon.renewal_opens == datetime.date(2025, 3, 2)


def test_a_revoked_certificate_does_not_count_and_a_refresher_one_does(index, mi):
    refresher = course(index, "mi-refresher", title="МИ: повторение", lessons=1)
    rule = rule_for(mi, refresher=refresher)
    officer = officer_in(OfficeFactory(), hire_date=datetime.date(2022, 1, 1))
    today = datetime.date(2025, 4, 1)
    revoked = certify(officer, mi, datetime.date(2025, 1, 1))
    revoked.revoked_at = datetime.datetime(2025, 2, 1, tzinfo=datetime.UTC)
    revoked.save()
    assert state_of(officer, rule, today).state == CellState.OVERDUE
    certify(officer, refresher, datetime.date(2025, 2, 1))
    assert state_of(officer, rule, today).state == CellState.DONE


def test_validity_of_the_rule_shortens_a_longer_certificate(mi):
    rule = rule_for(mi, validity_months=12)
    officer = officer_in(OfficeFactory())
    certify(officer, mi, datetime.date(2025, 1, 1))  # valid 24 months
    assert state_of(officer, rule, datetime.date(2025, 6, 1)).due_on == (
        datetime.date(2026, 1, 1)
    )


def test_without_a_hire_date_the_deadline_counts_from_the_rule(mi):
    with at(datetime.date(2025, 6, 1)):
        rule = rule_for(mi, deadline_days=10)
    officer = officer_in(OfficeFactory(), hire_date=None)
    cell = state_of(officer, rule, datetime.date(2025, 6, 5))
    assert (cell.state, cell.due_on) == (
        CellState.NOT_STARTED,
        datetime.date(2025, 6, 11),
    )


def test_a_rule_applies_to_its_role_and_office_only(mi, office):
    rule_for(mi, office=office)
    rule_for(mi, role="")
    officer = officer_in(office)
    trainer = UserFactory(roles=[Role.TRAINER], office=office)
    elsewhere = officer_in(OfficeFactory())
    rules = list(selectors.rules_with_courses())
    cells = selectors.compliance_cells([officer, trainer, elsewhere], rules)
    by_user = {}
    for user_id, _rule_id in cells:
        by_user[user_id] = by_user.get(user_id, 0) + 1
    assert by_user == {officer.pk: 2, trainer.pk: 1, elsewhere.pk: 1}


def test_an_expired_certificate_turns_the_cell_overdue(mi, office):
    rule = rule_for(mi, validity_months=None)
    officer = officer_in(office)
    certify(officer, mi, datetime.date(2025, 4, 1), datetime.date(2026, 4, 1))
    with at(datetime.date(2026, 4, 1)):
        assert state_of(officer, rule, None).state == CellState.EXPIRING
    with at(datetime.date(2026, 4, 2)):
        cell = state_of(officer, rule, None)
        assert (cell.state, cell.due_on) == (
            CellState.OVERDUE,
            datetime.date(2026, 4, 1),
        )


# The daily check ---------------------------------------------------------------


def kinds_sent(user) -> list[str]:
    return sorted(
        ComplianceReminder.objects.filter(user=user).values_list("kind", flat=True)
    )


def test_reminders_are_sent_once_however_often_the_check_runs(mi, office, manager):
    rule_for(mi)
    officer = officer_in(office)
    for day in (datetime.date(2025, 4, 1), datetime.date(2025, 5, 5)):
        with at(day):
            for _run in range(3):
                tasks.compliance_check.delay()
    assert kinds_sent(officer) == [ReminderKind.DUE_SOON]
    assert Notification.objects.filter(recipient=officer).count() == 1
    notice = Notification.objects.get(recipient=officer)
    assert notice.subject == t("Mandatory training is due soon")
    assert "МИ" in notice.body
    assert not Notification.objects.filter(recipient=manager).exists()

    for day in (datetime.date(2025, 5, 31), datetime.date(2025, 6, 10)):
        with at(day):
            for _run in range(3):
                services.compliance_check()
    assert kinds_sent(officer) == [
        ReminderKind.DUE_SOON,
        ReminderKind.MANAGER_OVERDUE,
        ReminderKind.OVERDUE,
    ]
    assert Notification.objects.filter(recipient=officer).count() == 2
    told = Notification.objects.get(recipient=manager)
    assert officer.full_name in told.body
    assert told.url.endswith("?state=overdue")


def test_only_the_officers_own_managers_are_told(mi, office, manager):
    rule_for(mi)
    officer_in(office, hire_date=datetime.date(2024, 1, 1))
    other_manager = UserFactory(roles=[Role.MANAGER], office=OfficeFactory())
    with at(datetime.date(2025, 4, 1)):
        sent = services.compliance_check()
    assert sent[ReminderKind.MANAGER_OVERDUE] == 1
    assert Notification.objects.filter(recipient=manager).count() == 1
    assert not Notification.objects.filter(recipient=other_manager).exists()


def test_a_reminder_recorded_by_a_parallel_run_is_not_sent_again(mi, office):
    rule = rule_for(mi)
    officer = officer_in(office)
    ComplianceReminder.objects.create(
        rule=rule, user=officer, kind=ReminderKind.DUE_SOON, due_on=FIRST_DUE
    )
    with at(datetime.date(2025, 5, 5)):
        assert services.compliance_check()[ReminderKind.DUE_SOON] == 0
    assert not Notification.objects.filter(recipient=officer).exists()


def test_renewal_reopens_the_same_course_once(mi, office):
    rule_for(mi)
    officer = officer_in(office)
    certificate = certify(officer, mi, datetime.date(2025, 3, 20))
    enrolment = certificate.enrolment
    for lesson in lessons_of(mi):
        LessonProgress.objects.create(
            enrolment=enrolment, lesson_key=lesson.translation_key
        )
    with at(datetime.date(2027, 1, 10)):  # renewal opens on 2027-01-19
        assert services.compliance_check()[ReminderKind.REFRESHER] == 0
    for _run in range(3):
        with at(datetime.date(2027, 1, 25)):
            services.compliance_check()
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACTIVE
    assert enrolment.completed_at is None
    assert not enrolment.lessons_done.exists()
    assert Certificate.objects.filter(user=officer).count() == 1
    assert kinds_sent(officer).count(ReminderKind.REFRESHER) == 1
    subjects = list(
        Notification.objects.filter(recipient=officer).values_list("subject", flat=True)
    )
    assert subjects.count(t("Renew your mandatory training")) == 1
    # Still valid until 2027-03-20: expiring soon, not overdue.
    with at(datetime.date(2027, 1, 25)):
        assert state_of(officer, MandatoryRule.objects.get(), None).state == (
            CellState.EXPIRING
        )


def test_renewal_enrols_the_officer_in_a_separate_refresher(index, mi, office):
    refresher = course(index, "mi-refresher", title="МИ: повторение", lessons=1)
    rule_for(mi, refresher=refresher)
    officer = officer_in(office)
    certify(officer, mi, datetime.date(2025, 3, 20))
    with at(datetime.date(2027, 2, 1)):
        services.compliance_check()
        services.compliance_check()
    refresher_enrolment = Enrolment.objects.get(
        user=officer, course_key=refresher.translation_key
    )
    assert refresher_enrolment.status == EnrolmentStatus.ACTIVE
    assert kinds_sent(officer).count(ReminderKind.REFRESHER) == 1


def test_renewing_a_course_in_progress_changes_nothing(mi, office):
    officer = officer_in(office)
    enrolment = enrol(officer, mi)
    assert services.enrolment_renew(user=officer, course=mi) == enrolment
    fresh = officer_in(office)
    created = services.enrolment_renew(user=fresh, course=mi)
    assert created.status == EnrolmentStatus.ACTIVE


# The matrix: access and scope --------------------------------------------------


@pytest.fixture
def region_setup(mi):
    region = RegionFactory(code="almaty-region")
    first = OfficeFactory(region=region, name_ru="Талгар")
    second = OfficeFactory(region=region, name_ru="Қонаев")
    far = OfficeFactory(region=RegionFactory(code="astana"), name_ru="Астана")
    rule_for(mi)
    people = {
        "late": officer_in(first, full_name="Асқар Опоздавший", hire_date=None),
        "second": officer_in(second, full_name="Берик Второй"),
        "far": officer_in(far, full_name="Далёкий Офицер"),
        "manager": UserFactory(roles=[Role.MANAGER], office=first),
        "far_manager": UserFactory(roles=[Role.MANAGER], office=far),
        "administrator": UserFactory(roles=[Role.ADMINISTRATOR], office=first),
        "officer": officer_in(first),
        "trainer": UserFactory(roles=[Role.TRAINER], office=first),
    }
    MandatoryRule.objects.update(
        created_at=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
    )
    return {"first_office": first, "second_office": second, "far_office": far, **people}


def matrix_url(**query) -> str:
    url = reverse("courses:compliance_matrix")
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_a_manager_sees_own_office_with_an_overdue_officer(client, region_setup):
    client.force_login(region_setup["manager"])
    response = client.get(matrix_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Асқар Опоздавший" in html
    assert t("Overdue") in html
    assert 'data-state="overdue"' in html
    assert "Берик Второй" not in html
    assert "Далёкий Офицер" not in html


def test_a_regional_head_sees_every_office_of_the_region_and_filters(
    client, region_setup
):
    head = region_setup["far_manager"]
    head.office = region_setup["second_office"]
    head.save()
    head.user_permissions.add(Permission.objects.get(codename="view_region_compliance"))
    client.force_login(head)
    html = client.get(matrix_url()).content.decode()
    assert "Асқар Опоздавший" in html and "Берик Второй" in html
    assert "Далёкий Офицер" not in html
    html = client.get(
        matrix_url(office=region_setup["second_office"].pk)
    ).content.decode()
    assert "Берик Второй" in html and "Асқар Опоздавший" not in html
    response = client.get(matrix_url(office=region_setup["far_office"].pk))
    assert response.status_code == 403
    assert (
        t("You can see the training compliance of the offices of your own region only.")
        in response.content.decode()
    )


def test_another_offices_manager_is_refused_with_a_clear_message(client, region_setup):
    client.force_login(region_setup["far_manager"])
    for response in (
        client.get(matrix_url(office=region_setup["first_office"].pk)),
        client.post(
            reverse("courses:compliance_export"),
            {"office": region_setup["first_office"].pk, "format": "csv"},
        ),
    ):
        assert response.status_code == 403
        assert (
            t("You can see the training compliance of your own office only.")
            in response.content.decode()
        )


def test_filters_by_state_course_and_name(client, region_setup):
    client.force_login(region_setup["administrator"])
    with at(datetime.date(2025, 4, 1)):
        html = client.get(matrix_url(state="overdue")).content.decode()
        assert "Асқар Опоздавший" in html
        assert "Берик Второй" not in html  # not started, due 2025-05-30
        html = client.get(matrix_url(q="берик")).content.decode()
        assert "Берик Второй" in html and "Асқар Опоздавший" not in html


def test_bad_filters_are_answered_not_crashed(client, region_setup):
    client.force_login(region_setup["manager"])
    for query in (
        {"state": "lost"},
        {"office": "abc"},
        {"course": "x"},
        {"q": "я" * 101},
        {"page": "999"},
    ):
        response = client.get(matrix_url(**query))
        assert response.status_code == 200, query
    response = client.post(reverse("courses:compliance_export"), {"format": "pdf"})
    assert response.status_code == 302


# Exports -----------------------------------------------------------------------


def rows_of_csv(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_a_small_export_is_downloaded_at_once_in_csv_and_xlsx(client, region_setup):
    late = region_setup["late"]
    late.full_name = "=HYPERLINK(1)"
    late.save()
    client.force_login(region_setup["administrator"])
    url = reverse("courses:compliance_export")
    response = client.post(url, {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    rows = rows_of_csv(response.content)
    with translation.override("ru"):
        assert rows[0] == services.exports.header()
    names = {row[1] for row in rows[1:]}
    assert "'=HYPERLINK(1)" in names and "Берик Второй" in names
    assert "Далёкий Офицер" not in names
    overdue = rows_of_csv(
        client.post(url, {"format": "csv", "state": "overdue"}).content
    )
    assert {row[4] for row in overdue[1:]} == {t("Overdue")}

    response = client.post(url, {"format": "xlsx"})
    workbook = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    sheet_rows = [
        ["" if value is None else str(value) for value in row]
        for row in workbook.active.iter_rows(values_only=True)
    ]
    assert sheet_rows == rows


def test_a_large_export_runs_as_a_task_with_progress_and_a_download(
    client, region_setup, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "SMALL_EXPORT_ROWS", 0)
    monkeypatch.setattr(services, "PROGRESS_EVERY", 1)
    user = region_setup["administrator"]
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("courses:compliance_export"), {"format": "csv"})
    job = ComplianceExport.objects.get()
    assert response.url == reverse("courses:compliance_export_detail", args=[job.pk])
    assert (job.status, job.progress) == (ExportStatus.DONE, 100)
    status = client.get(
        reverse("courses:compliance_export_status", args=[job.pk])
    ).json()
    assert status["download"]
    download = client.get(status["download"])
    content = b"".join(download.streaming_content)
    assert "Асқар Опоздавший" in content.decode("utf-8-sig")
    assert Notification.objects.filter(recipient=user).exists()

    client.force_login(region_setup["manager"])
    for name in ("detail", "status", "download"):
        response = client.get(
            reverse(f"courses:compliance_export_{name}", args=[job.pk])
        )
        assert response.status_code == 403, name


def test_an_export_asked_twice_at_once_is_started_once(
    client, region_setup, monkeypatch
):
    monkeypatch.setattr(services, "SMALL_EXPORT_ROWS", 0)
    client.force_login(region_setup["administrator"])
    url = reverse("courses:compliance_export")
    first = client.post(url, {"format": "xlsx", "state": "overdue"})
    second = client.post(url, {"format": "xlsx", "state": "overdue"}, follow=True)
    job = ComplianceExport.objects.get()
    assert job.status == ExportStatus.PENDING  # the task waits for the commit
    assert first.url == reverse("courses:compliance_export_detail", args=[job.pk])
    assert second.redirect_chain[-1][0] == first.url
    assert (
        t(
            "This export is already being prepared. Follow it here; it will not be "
            "started twice."
        )
        in second.content.decode()
    )
    client.post(url, {"format": "csv", "state": "overdue"})
    assert ComplianceExport.objects.count() == 2


# Access matrix -----------------------------------------------------------------


def test_every_compliance_url_with_every_role(client, region_setup):
    job = ComplianceExport.objects.create(
        requested_by=region_setup["manager"], format="csv"
    )
    urls = {
        reverse("courses:compliance_matrix"): {
            "manager",
            "far_manager",
            "administrator",
        },
        matrix_url(office=region_setup["first_office"].pk): {
            "manager",
            "administrator",
        },
        reverse("courses:compliance_export_detail", args=[job.pk]): {"manager"},
        reverse("courses:compliance_export_status", args=[job.pk]): {"manager"},
        reverse("mandatory_training:index"): {"administrator"},
        reverse("mandatory_training:add"): {"administrator"},
    }
    people = ("officer", "trainer", "manager", "far_manager", "administrator")
    for url, allowed in urls.items():
        client.logout()
        response = client.get(url)
        assert response.status_code == 302 and "login" in response.url, url
        for who in people:
            client.force_login(region_setup[who])
            response = client.get(url)
            if who in allowed:
                assert response.status_code == 200, (url, who)
            else:
                assert response.status_code in (302, 403), (url, who)
                if response.status_code == 302:
                    assert "login" in response.url or "admin" in response.url


def test_an_administrator_makes_a_course_mandatory_in_the_admin(
    client, region_setup, mi
):
    client.force_login(region_setup["administrator"])
    response = client.post(
        reverse("mandatory_training:add"),
        {
            "course": mi.pk,
            "role": Role.MANAGER.value,
            "office": "",
            "deadline_days": 30,
            "validity_months": 12,
            "renewal_days": 30,
            "refresher": "",
        },
    )
    assert response.status_code == 302
    assert MandatoryRule.objects.filter(role=Role.MANAGER.value).exists()


# My learning and speed -------------------------------------------------------------


def test_my_learning_shows_the_officers_mandatory_courses(client, region_setup):
    client.force_login(region_setup["late"])
    html = client.get(reverse("courses:my_learning")).content.decode()
    assert t("Mandatory training") in html
    assert "МИ" in html and t("Overdue") in html


def count_queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_matrix_runs_a_fixed_number_of_queries(client, index, office):
    manager = UserFactory(roles=[Role.MANAGER], office=office)
    client.force_login(manager)
    pages = [course(index, f"course-{n}", lessons=0) for n in range(6)]
    for page in pages[:2]:
        rule_for(page)

    def officers(count):
        for number in range(count):
            officer = officer_in(office)
            certify(officer, pages[number % 2], datetime.date(2025, 1, 1))
            if number % 3 == 0:
                enrol(officer, pages[5])

    officers(5)
    small = count_queries(client, matrix_url())
    officers(35)
    for page in pages[2:]:
        rule_for(page)
    large = count_queries(client, matrix_url())
    assert small == large, (small, large)


def test_demo_makes_courses_mandatory_with_mixed_states_once(mi, office):
    from io import StringIO

    from courses.training.compliance import demo

    fresh = officer_in(office, username="officer.demo-office.1")
    expiring = officer_in(office, username="officer.demo-office.2")
    late = officer_in(office, username="officer.demo-office.3")
    head = UserFactory(roles=[Role.MANAGER], username="manager.almaty-region")
    for _run in range(2):
        demo.seed(StringIO())
    rule = MandatoryRule.objects.get()
    assert (rule.validity_months, rule.deadline_days) == (24, 90)
    assert Certificate.objects.count() == 2
    today = datetime.date.today()
    states = {user: state_of(user, rule, today).state for user in (fresh, expiring)}
    assert states == {fresh: CellState.DONE, expiring: CellState.EXPIRING}
    assert state_of(late, rule, today).state == CellState.OVERDUE
    assert head.has_perm("courses.view_region_compliance")
