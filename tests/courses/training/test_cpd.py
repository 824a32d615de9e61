"""The CPD record: an officer's continuing professional development hours per
calendar year, from every module registered in the development record, on a
page and as a PDF in the officer's language. The officer and the managers of
their office see it; nobody else.

Bad input tried: another officer's record asked for by an officer, a trainer,
an administrator and a manager of another office (page and PDF); a record of a
user who does not exist; years without hours; a module that reports its hours
as a float; withdrawn and unfinished courses, which earn nothing.
"""

import datetime
import io
import uuid
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from courses.models import Enrolment, EnrolmentStatus
from courses.training.paths.cpd import cpd_pdf, cpd_record
from lms.registry import RecordSection, development_record
from lms.roles import Role
from tests.lms.factories import OfficeFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)
NAME = "Әлия Нұрланқызы Серікбаева"


def at(year, month, day):
    return timezone.make_aware(datetime.datetime(year, month, day, 12))


def earned(user, when, hours, status=EnrolmentStatus.COMPLETED):
    return Enrolment.objects.create(
        user=user,
        course_key=uuid.uuid4(),
        course_title=f"Course {hours}",
        status=status,
        completed_at=when if status == EnrolmentStatus.COMPLETED else None,
        cpd_hours=Decimal(hours),
    )


@pytest.fixture
def meetings_section():
    """A module registered by someone else, reporting floats: two hours in
    2025 only."""

    def hours(officer, start, end):
        return 2.0 if start <= datetime.date(2025, 7, 1) <= end else 0.0

    section = RecordSection(
        key="test-meetings",
        title="Test meetings",
        template="lms/dashboard/profile.html",
        get_context=lambda officer, viewer: {},
        cpd_hours=hours,
        order=90,
    )
    development_record.register(section)
    yield section
    development_record.unregister(section.key)


@pytest.fixture
def office():
    return OfficeFactory(name_ru="Служба пробации района Есиль")


@pytest.fixture
def officer(office):
    user = UserFactory(
        roles=[Role.OFFICER], office=office, full_name=NAME, preferred_language="ru"
    )
    earned(user, at(2025, 2, 10), "8")
    earned(user, at(2025, 11, 30), "4.5")
    earned(user, at(2024, 5, 1), "6")
    earned(user, at(2024, 12, 31), "0")
    earned(user, None, "10", status=EnrolmentStatus.ACTIVE)
    earned(user, None, "20", status=EnrolmentStatus.WITHDRAWN)
    return user


def column(record, key) -> int:
    return [section.key for section in record.sections].index(key)


def test_hours_are_counted_per_calendar_year_and_module(officer, meetings_section):
    record = cpd_record(officer, today=TODAY)
    courses = column(record, "courses")
    meetings = column(record, "test-meetings")
    years = {row.year: row for row in record.years}
    assert list(years) == [2026, 2025, 2024]  # this year, then years with hours
    assert years[2026].total == 0
    assert years[2025].hours[courses] == Decimal("12.5")
    assert years[2025].hours[meetings] == Decimal("2.0")
    assert years[2025].total == Decimal("14.5")
    assert years[2024].hours[courses] == Decimal("6")
    assert years[2024].hours[meetings] == 0
    assert record.total == Decimal("20.5")
    assert record.section_totals[courses] == Decimal("18.5")


def test_an_officer_without_hours_sees_the_current_year_only(office):
    record = cpd_record(UserFactory(office=office), today=TODAY)
    assert [row.year for row in record.years] == [2026]
    assert record.total == 0


@time_machine.travel(datetime.datetime(2026, 6, 1, 9, tzinfo=datetime.UTC))
def test_the_officer_reads_their_record(client, officer, meetings_section):
    client.force_login(officer)
    html = client.get(reverse("courses:cpd_record")).content.decode()
    assert "Test meetings" in html
    for year, total in (("2026", "0"), ("2025", "14,5"), ("2024", "6")):
        assert f'<th scope="row">{year}</th>' in html
        assert total in html
    assert '<th scope="row">2023</th>' not in html
    assert "20,5" in html
    assert reverse("courses:cpd_pdf") in html


@time_machine.travel(datetime.datetime(2026, 6, 1, 9, tzinfo=datetime.UTC))
def test_the_pdf_has_the_name_office_years_and_hours(client, officer, meetings_section):
    client.force_login(officer)
    response = client.get(reverse("courses:cpd_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert NAME in text
    assert "Служба пробации района Есиль" in text
    assert "Test meetings" in text
    for expected in ("2026", "2025", "2024", "12,5", "14,5", "20,5"):
        assert expected in text, expected
    assert "1 июня 2026" in text  # printed on, in the officer's language


def test_the_pdf_is_drawn_in_the_officers_language(officer):
    officer.preferred_language = "en"
    text = (
        PdfReader(io.BytesIO(cpd_pdf(cpd_record(officer, today=TODAY))))
        .pages[0]
        .extract_text()
    )
    assert "12.5" in text
    assert "June 1, 2026" in text
    assert NAME in text


def test_a_manager_reads_and_prints_an_officer_of_their_office(client, officer, office):
    client.force_login(UserFactory(roles=[Role.MANAGER], office=office))
    page = client.get(reverse("courses:cpd_officer", args=[officer.pk]))
    assert page.status_code == 200
    assert NAME in page.content.decode()
    pdf = client.get(reverse("courses:cpd_officer_pdf", args=[officer.pk]))
    assert NAME in PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()


@pytest.mark.parametrize(
    "who", ["officer", "trainer", "administrator", "manager elsewhere"]
)
def test_nobody_else_sees_another_officers_record(client, officer, office, who):
    viewer = {
        "officer": lambda: UserFactory(roles=[Role.OFFICER], office=office),
        "trainer": lambda: UserFactory(roles=[Role.TRAINER], office=office),
        "administrator": lambda: UserFactory(roles=[Role.ADMINISTRATOR], office=office),
        "manager elsewhere": lambda: UserFactory(roles=[Role.MANAGER]),
    }[who]()
    client.force_login(viewer)
    for name in ("courses:cpd_officer", "courses:cpd_officer_pdf"):
        assert client.get(reverse(name, args=[officer.pk])).status_code == 403
    if who != "manager elsewhere":
        # Refused before the lookup: whether someone exists is not told.
        missing = reverse("courses:cpd_officer", args=[officer.pk + 1000])
        assert client.get(missing).status_code == 403


def test_a_manager_asking_for_nobody_gets_not_found(client, office):
    client.force_login(UserFactory(roles=[Role.MANAGER], office=office))
    assert client.get(reverse("courses:cpd_officer", args=[99999])).status_code == 404


def test_the_record_page_runs_the_same_queries_for_few_and_many_courses(client, office):
    counts = []
    for enrolments in (2, 40):
        officer = UserFactory(roles=[Role.OFFICER], office=office)
        for n in range(enrolments):
            earned(officer, at(2020 + n % 6, 3, 1), "1.5")
        client.force_login(officer)
        url = reverse("courses:cpd_record")
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
