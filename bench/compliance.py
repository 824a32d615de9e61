"""The compliance matrix at the scale of a region: 5,000 officers in 20 offices
and 20 mandatory courses, on PostgreSQL.

    DATABASE_URL=postgres://ustaz:ustaz@127.0.0.1:5432/ustaz \\
        .venv/bin/python bench/compliance.py

It creates a throwaway database on DATABASE_URL's server
(ustaz_bench_compliance, dropped at the end), migrates it, bulk-creates the
officers, the courses (bare pages, created once, without revisions), the rules,
and certificates for about 70% of the officer × course pairs (some expiring
soon, some expired) plus enrolments in progress, then times, for a user who
sees the whole region:

- the matrix data alone (every officer × every rule, the summary, the history);
- the matrix view: the same computation plus rendering its first page (50 rows);
- the CSV export of the whole matrix (100,000 rows).

Each is run BENCH_REPEAT times (default 3); the best and the median are printed,
with the queries of one run. Target: the matrix view under one second.
"""

import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")

OFFICERS = int(os.environ.get("BENCH_OFFICERS", "5000"))
OFFICES = int(os.environ.get("BENCH_OFFICES", "20"))
COURSES = int(os.environ.get("BENCH_COURSES", "20"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))
# Keep the database between runs (and reuse its data), and profile the matrix.
KEEPDB = os.environ.get("BENCH_KEEPDB") == "1"
PROFILE = os.environ.get("BENCH_PROFILE") == "1"


def populate():
    from dateutil.relativedelta import relativedelta
    from django.contrib.auth.models import Group
    from django.utils import timezone
    from wagtail.models import Locale, Page

    from courses.models import (
        Certificate,
        CourseIndexPage,
        CoursePage,
        Enrolment,
        EnrolmentStatus,
        MandatoryRule,
    )
    from lms.models import Office, Region, User
    from lms.roles import Role

    rng = random.Random(22)
    today = timezone.localdate()
    region = Region.objects.create(
        code="bench", name_kk="Өңір", name_ru="Регион", name_en="Region"
    )
    offices = Office.objects.bulk_create(
        Office(
            region=region,
            code=f"bench-{n}",
            name_kk=f"Қызмет {n}",
            name_ru=f"Служба {n}",
            name_en=f"Office {n}",
        )
        for n in range(OFFICES)
    )
    locale = Locale.get_default()
    index = CourseIndexPage(title="Курсы", slug="bench-courses", locale=locale)
    Page.get_first_root_node().add_child(instance=index)
    pages = []
    for n in range(COURSES):
        page = CoursePage(
            title=f"Курс {n:02d}",
            slug=f"course-{n}",
            locale=locale,
            summary="-",
            duration_hours=8,
            cpd_hours=8,
            certificate_validity_months=24,
        )
        index.add_child(instance=page)
        pages.append(page)
    MandatoryRule.objects.bulk_create(
        MandatoryRule(
            course=page, role=Role.OFFICER.value, deadline_days=90, validity_months=24
        )
        for page in pages
    )
    officers = User.objects.bulk_create(
        User(
            username=f"officer{n}",
            full_name=f"Офицер Номер {n}",
            office=offices[n % OFFICES],
            hire_date=today - datetime.timedelta(days=rng.randint(10, 2000)),
            password="!",
        )
        for n in range(OFFICERS)
    )
    group = Group.objects.get(name=Role.OFFICER.value)
    User.groups.through.objects.bulk_create(
        User.groups.through(user_id=officer.pk, group_id=group.pk)
        for officer in officers
    )
    head = User.objects.create(
        username="head", full_name="Head", office=offices[0], password="!"
    )
    head.groups.add(Group.objects.get(name=Role.ADMINISTRATOR.value))

    enrolments, issued = [], []
    for officer in officers:
        for page in pages:
            roll = rng.random()
            if roll < 0.7:
                days = rng.randint(0, 900) if roll < 0.63 else rng.randint(660, 800)
                day = today - datetime.timedelta(days=days)
                status = EnrolmentStatus.COMPLETED
            elif roll < 0.8:
                day, status = None, EnrolmentStatus.ACTIVE
            else:
                continue
            enrolments.append(
                Enrolment(
                    user=officer,
                    course=page,
                    course_key=page.translation_key,
                    course_title=page.title,
                    status=status,
                )
            )
            issued.append(day)
    Enrolment.objects.bulk_create(enrolments, batch_size=5000)
    Certificate.objects.bulk_create(
        (
            Certificate(
                code=f"B-{n}",
                enrolment=enrolment,
                user_id=enrolment.user_id,
                full_name="-",
                course_key=enrolment.course_key,
                course_title=enrolment.course_title,
                cpd_hours=8,
                language="ru",
                issued_on=day,
                valid_until=day + relativedelta(months=24),
            )
            for n, (enrolment, day) in enumerate(zip(enrolments, issued, strict=True))
            if day is not None
        ),
        batch_size=5000,
    )
    return head, Certificate.objects.count()


def timed(label: str, run) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    for _n in range(REPEAT):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            run()
            times.append(time.perf_counter() - started)
    print(
        f"{label:<40} best {min(times):6.3f} s   median "
        f"{statistics.median(times):6.3f} s   {len(queries)} queries"
    )


def main() -> None:
    import django

    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (its role needs CREATEDB).")
    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import RequestFactory
    from django.utils import translation

    from courses.training.compliance import exports, selectors, services, views
    from courses.training.compliance.permissions import compliance_offices

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]
    # A name of its own, so that it never clobbers a test run's test_<name>.
    connection.settings_dict.setdefault("TEST", {})["NAME"] = "ustaz_bench_compliance"
    old_name = connection.creation.create_test_db(
        verbosity=0, autoclobber=True, keepdb=KEEPDB
    )
    try:
        started = time.perf_counter()
        from courses.models import Certificate
        from lms.models import User

        head = User.objects.filter(username="head").first()
        if head is None:
            head, _count = populate()
        certificates = Certificate.objects.count()
        print(
            f"{OFFICERS} officers, {OFFICES} offices, {COURSES} mandatory courses, "
            f"{certificates} certificates (made in "
            f"{time.perf_counter() - started:.1f} s)"
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        translation.activate("ru")
        offices = compliance_offices(head)
        if PROFILE:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.runcall(selectors.compliance_matrix, offices=offices)
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
        timed(
            "matrix data (whole region)",
            lambda: selectors.compliance_matrix(offices=offices),
        )

        def view():
            request = RequestFactory().get("/ru/learning/compliance/")
            request.user = head
            request.LANGUAGE_CODE = "ru"
            response = views.matrix(request)
            assert response.status_code == 200, response.status_code

        timed("matrix view (data + first page render)", view)

        def export():
            matrix = services.matrix_for(head, services.normalise_filters({}))
            exports.write_csv(selectors.export_rows(matrix))

        timed("CSV export (whole region)", export)
        matrix = services.matrix_for(head, services.normalise_filters({}))
        print(f"export rows: {selectors.export_row_count(matrix)}")
    finally:
        if not KEEPDB:
            connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
