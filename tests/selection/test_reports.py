"""A vacancy's reports page: who may open it, that only revealed stages and
submitted, conflict-free independent scores count, that the figures shown are
the ones worked out by hand for a small panel, that adverse impact is shown
only to holders of the equality permission, and that the page runs the same
number of queries for 2 and 8 candidates.

Bad inputs tried: the page (and its CSV) opened anonymously, by an officer,
by an assessor of the vacancy who is not on its panel, and for a vacancy that
does not exist; scores of an unrevealed stage, of a withdrawn (conflict)
assignment and of an unsubmitted one, each with values that would change
every figure if counted; a candidate who preferred not to give their gender;
a group of 2 candidates; ethnicity typed with different case and spacing; an
assessor name that starts like a spreadsheet formula in the CSV.
"""

import csv
import io
import json

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from lms.roles import Role
from selection.models import (
    AgeBand,
    Assignment,
    Consensus,
    Decision,
    EqualityResponse,
    Gender,
    Outcome,
    StageResult,
    VacancyStage,
)
from tests.lms.factories import UserFactory
from tests.selection.factories import (
    ApplicationFactory,
    score,
    vacancy_with_panel,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def submitted(vacancy_stage, application, assessor, points, *, conflict=False):
    """An assignment as the scoring part leaves it once the assessor
    submitted it (or, with conflict, withdrew)."""
    now = timezone.now()
    assignment = Assignment.objects.create(
        vacancy_stage=vacancy_stage,
        application=application,
        assessor=assessor,
        conflict=conflict,
        declared_at=now,
        submitted_at=None if conflict else now,
    )
    for competency, point in points.items():
        score(assignment, competency, point)
    return assignment


def reveal(vacancy_stage):
    VacancyStage.objects.filter(pk=vacancy_stage.pk).update(revealed_at=timezone.now())


def parts(vacancy):
    stages = list(vacancy.stages.order_by("stage__sort_order"))
    competencies = [
        assessed.competency
        for assessed in stages[0].stage.competencies.order_by("sort_order")
    ]
    assessors = list(stages[0].assessors.order_by("pk"))
    return stages, competencies, assessors


def table_rows(html, **attrs):
    """The text of each cell of each body row of the table found by attrs."""
    table = BeautifulSoup(html, "html.parser").find("table", attrs=attrs)
    assert table is not None, attrs
    return [
        [cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])]
        for body in table.find_all("tbody")
        for row in body.find_all("tr")
    ]


def equality_monitor(user):
    user.groups.add(Group.objects.get(name="Equality monitoring"))
    return user


@pytest.fixture
def panel_world(db):
    """A vacancy with two stages and three competencies; the first stage is
    revealed, the second not.

    Stage 1, assessors X and Y (points, None = not observed):

                 c1      c2      c3
        a1      3 3     5 3     3 3
        a2      4 5     3 3     3 3
        a3      2 2     - 2     3 3
        a4      5 4     4 4     3 3

    Consensus recorded for c1 only: a1 3, a2 4, a3 2, a4 4.
    Results: a1, a2, a4 passed; a3 did not.

    Also at stage 1, none of which may count: Z withdrew from a1 with a
    conflict (but has scores of 1), W never submitted (scores of 1).
    Stage 2 (not revealed): a1, a2, a4 scored 1 everywhere by X and Y.
    """
    vacancy = vacancy_with_panel(2)
    (first, second), (c1, c2, c3), (x, y) = parts(vacancy)
    apps = [ApplicationFactory(vacancy=vacancy) for _ in range(4)]
    table = {
        c1: [(3, 3), (4, 5), (2, 2), (5, 4)],
        c2: [(5, 3), (3, 3), (None, 2), (4, 4)],
        c3: [(3, 3), (3, 3), (3, 3), (3, 3)],
    }
    for index, application in enumerate(apps):
        for position, assessor in enumerate((x, y)):
            submitted(
                first,
                application,
                assessor,
                {c: table[c][index][position] for c in (c1, c2, c3)},
            )
    for application, point in zip(apps, (3, 4, 2, 4), strict=True):
        Consensus.objects.create(
            vacancy_stage=first,
            application=application,
            competency=c1,
            independent_mean=None,
            point=point,
            rationale="Согласовано панелью.",
            recorded_by=vacancy.chair,
        )
    for application, passed in zip(apps, (True, True, False, True), strict=True):
        StageResult.objects.create(
            vacancy_stage=first,
            application=application,
            passed=passed,
            decided_by=vacancy.chair,
        )
    z = UserFactory(roles=[Role.ASSESSOR], full_name="Zeinep Conflicted")
    submitted(first, apps[0], z, {c1: 1, c2: 1, c3: 1}, conflict=True)
    w = UserFactory(roles=[Role.ASSESSOR], full_name="Wlad Unsubmitted")
    unsubmitted = Assignment.objects.create(
        vacancy_stage=first, application=apps[1], assessor=w
    )
    for competency in (c1, c2, c3):
        score(unsubmitted, competency, 1)
    reveal(first)
    for application in (apps[0], apps[1], apps[3]):
        for assessor in (x, y):
            submitted(second, application, assessor, {c1: 1, c2: 1, c3: 1})
    return {
        "vacancy": vacancy,
        "stages": (first, second),
        "competencies": (c1, c2, c3),
        "assessors": (x, y),
        "apps": apps,
    }


def report_url(lang_url, vacancy, name="selection:reports"):
    return lang_url(name, language="en", kwargs={"pk": vacancy.pk})


# -- Who may see it -----------------------------------------------------------


@pytest.mark.parametrize("name", ["selection:reports", "selection:reports_csv"])
def test_access_matrix(client, make_user, lang_url, panel_world, name):
    vacancy = panel_world["vacancy"]
    url = report_url(lang_url, vacancy, name)
    member = vacancy.panel.exclude(pk=vacancy.chair_id).get()
    expected = {
        "chair": (vacancy.chair, 200),
        "panel member": (member, 200),
        "champion": (make_user(Role.CHAMPION), 200),
        "administrator": (make_user(Role.ADMINISTRATOR), 200),
        "assessor not on the panel": (panel_world["assessors"][0], 403),
        "officer": (make_user(Role.OFFICER), 403),
        "trainer": (make_user(Role.TRAINER), 403),
    }
    for who, (user, status) in expected.items():
        client.force_login(user)
        assert client.get(url).status_code == status, who
    client.logout()
    response = client.get(url)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_page_renders_in_every_language(client, lang_url, panel_world, language):
    vacancy = panel_world["vacancy"]
    client.force_login(equality_monitor(vacancy.chair))
    url = lang_url("selection:reports", language=language, kwargs={"pk": vacancy.pk})
    response = client.get(url)
    assert response.status_code == 200
    assert 'id="reliability-table"' in response.content.decode()


def test_a_vacancy_that_does_not_exist_is_not_found(client, make_user, lang_url):
    client.force_login(make_user(Role.CHAMPION))
    url = lang_url("selection:reports", language="en", kwargs={"pk": 999999})
    assert client.get(url).status_code == 404


# -- What it shows ------------------------------------------------------------


def test_figures_match_the_hand_computed_values(client, lang_url, panel_world):
    """Worked out from the table in panel_world's docstring.

    Pass rate, stage 1: 4 entered, 4 results, 3 passed: 75.0%.

    Distributions, stage 1: c1 gets 3 3 4 5 2 2 5 4 -> 1:0 2:2 3:2 4:2 5:2,
    none not observed; c2 gets 5 3 3 3 - 2 4 4 -> 1:0 2:1 3:3 4:2 5:1, one
    not observed; c3 eight 3s.

    Alpha (ordinal) of c1 at stage 1, units a1..a4 each rated by X and Y:
      coincidences o22 = 2, o33 = 2, o45 = o54 = 2 (a2 and a4); n_c = 2 for
      each of 2, 3, 4, 5; n = 8.
      d2(4,5) = (n4 + n5 - (n4 + n5)/2)^2 = (4 - 2)^2 = 4
      D_o = (1/8)(2*4 + 2*4) = 2
      d2: 2-3 = (4-2)^2 = 4, 2-4 = (6-2)^2 = 16, 2-5 = (8-2)^2 = 36,
          3-4 = 4, 3-5 = 16, 4-5 = 4; each times n_c n_k = 4:
          sum 4*(4+16+36+4+16+4) = 320, both orders 640
      D_e = 640 / (8*7) = 80/7
      alpha = 1 - 2 / (80/7) = 1 - 14/80 = 0.825: good.
    Alpha of c3: one value everywhere: not enough data.
    Alpha of the whole stage rests on 11 units (12 candidate x competency
    pairs less a3/c2, which only Y observed) and 2 assessors.

    Leniency (consensus for c1, the other assessor's point elsewhere):
      X: c1 0, 0, 0, +1 (a4: 5 vs 4); c2 +2 (a1: 5 vs 3), 0, -, 0; c3 four 0s
         -> 3 / 11 = +0.27, 4 pairs against the consensus
      Y: c1 0, +1 (a2: 5 vs 4), 0, 0; c2 -2, 0, -, 0; c3 four 0s
         -> -1 / 11 = -0.09
    """
    vacancy = panel_world["vacancy"]
    first, _second = panel_world["stages"]
    c1, c2, c3 = panel_world["competencies"]
    x, y = panel_world["assessors"]
    client.force_login(vacancy.chair)
    response = client.get(report_url(lang_url, vacancy))
    assert response.status_code == 200
    html = response.content.decode()

    assert table_rows(html, id="pass-table") == [
        [str(first.stage), "4", "4", "3", "75.0%"]
    ]
    distribution = table_rows(html, **{"aria-labelledby": f"distribution-{first.pk}"})
    assert distribution == [
        [str(c1), "0", "2", "2", "2", "2", "0"],
        [str(c2), "0", "1", "3", "2", "1", "1"],
        [str(c3), "0", "0", "8", "0", "0", "0"],
    ]
    reliability = {row[0]: row[1:] for row in table_rows(html, id="reliability-table")}
    assert reliability[str(c1)][:3] == ["0.825", "4", "2"]
    assert reliability[str(c1)][3] == "Good: the scores can be relied on"
    assert reliability[str(c3)] == ["—", "4", "2", "Not enough data"]
    assert reliability[f"{first.stage}: all competencies"][1:3] == ["11", "2"]
    assert table_rows(html, id="leniency-table") == [
        [x.get_full_name(), "+0.27", "11", "4"],
        [y.get_full_name(), "-0.09", "11", "4"],
    ]


def test_an_unrevealed_stage_and_uncounted_scores_contribute_nothing(
    client, lang_url, panel_world
):
    vacancy = panel_world["vacancy"]
    first, second = panel_world["stages"]
    client.force_login(vacancy.chair)
    html = client.get(report_url(lang_url, vacancy)).content.decode()
    # Named once, in the note saying it is not counted, and nowhere else.
    assert html.count(str(second.stage)) == 1
    assert "Not revealed yet, so not counted:" in html
    assert f"distribution-{second.pk}" not in html
    assert [row[0] for row in table_rows(html, id="pass-table")] == [str(first.stage)]
    # Neither the withdrawn nor the unsubmitted assessor is compared.
    assert "Zeinep Conflicted" not in html
    assert "Wlad Unsubmitted" not in html
    # The chart data carries only the revealed stage.
    soup = BeautifulSoup(html, "html.parser")
    charts = json.loads(soup.find(id="report-chart-data").get_text())
    assert list(charts["distributions"]) == [str(first.pk)]
    assert charts["pass"]["labels"] == [str(first.stage)]


def test_nothing_revealed_says_so(client, lang_url):
    vacancy = vacancy_with_panel(2)
    first, _second = vacancy.stages.order_by("stage__sort_order")
    x = first.assessors.first()
    submitted(first, ApplicationFactory(vacancy=vacancy), x, {})
    client.force_login(vacancy.chair)
    response = client.get(report_url(lang_url, vacancy))
    html = response.content.decode()
    assert "No stage has been revealed yet." in html
    assert "No independent score has been revealed yet." in html
    assert 'id="pass-table"' not in html
    assert "chart.umd.min.js" not in html


def test_csv_holds_the_same_figures(client, lang_url, panel_world):
    vacancy = panel_world["vacancy"]
    x, _y = panel_world["assessors"]
    x.full_name = "=HYPERLINK(1)"
    x.save(update_fields=["full_name"])
    client.force_login(vacancy.chair)
    response = client.get(report_url(lang_url, vacancy, "selection:reports_csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert ["'=HYPERLINK(1)", "0.27", "11", "4"] in rows
    first = panel_world["stages"][0]
    assert [str(first.stage), "4", "4", "3", "75.0"] in rows
    assert "Adverse impact (four-fifths rule)" not in [r[0] for r in rows if r]


# -- Equality -----------------------------------------------------------------


@pytest.fixture
def equality_world(db):
    """Twelve candidates who reached a result at a revealed stage, with
    decisions. Gender (passed / with a result, appointed / applicants):

        women  6: 3 passed -> 0.50    1 appointed -> 1/6 = 0.167
        men    5: 4 passed -> 0.80    1 appointed -> 1/5 = 0.200
        preferred not to say: 1 (passed, appointed): not a group

    Stage:  women 0.50 / 0.80 = 0.625 < 0.8 -> adverse; men 1.00.
    Final:  women 0.167 / 0.200 = 0.833 >= 0.8 -> no adverse impact.
    Age: under 30: 2 candidates -> too few to say; the 10 others unanswered.
    Ethnicity typed "Kazakh", " kazakh ", "KAZAKH" (three women who passed)
    and "Russian" (a woman who did not): one group of 3 (3 passed, 100%) and
    one of 1 (0%), both too few to say.
    """
    vacancy = vacancy_with_panel(2)
    first, _second = vacancy.stages.order_by("stage__sort_order")
    reveal(first)
    people = (
        [(Gender.WOMAN, passed) for passed in (True, True, True, False, False, False)]
        + [(Gender.MAN, passed) for passed in (True, True, True, True, False)]
        + [(Gender.UNDISCLOSED, True)]
    )
    appointed = {0, 6, 11}
    ethnicity = {0: "kazakh", 1: " Kazakh ", 2: "KAZAKH", 3: "russian"}
    for index, (gender, passed) in enumerate(people):
        application = ApplicationFactory(vacancy=vacancy)
        EqualityResponse.objects.create(
            application=application,
            gender=gender,
            age_band=AgeBand.UNDER_30 if index in (4, 5) else "",
            ethnicity=ethnicity.get(index, ""),
        )
        StageResult.objects.create(
            vacancy_stage=first,
            application=application,
            passed=passed,
            decided_by=vacancy.chair,
        )
        Decision.objects.create(
            application=application,
            outcome=Outcome.APPOINT if index in appointed else Outcome.REJECT,
            reasons="Решение панели.",
            decided_by=vacancy.chair,
        )
    return {"vacancy": vacancy, "stage": first}


def test_adverse_impact_for_equality_monitors(client, lang_url, equality_world):
    vacancy, stage = equality_world["vacancy"], equality_world["stage"]
    client.force_login(equality_monitor(vacancy.chair))
    html = client.get(report_url(lang_url, vacancy)).content.decode()
    gender = table_rows(html, **{"aria-labelledby": "equality-gender"})
    assert gender == [
        [str(stage.stage)],
        ["Woman", "3", "6", "50.0%", "0.62", "Adverse impact: below four-fifths"],
        ["Man", "4", "5", "80.0%", "1.00", "No adverse impact"],
        ["Appointed (of all applicants)"],
        ["Woman", "1", "6", "16.7%", "0.83", "No adverse impact"],
        ["Man", "1", "5", "20.0%", "1.00", "No adverse impact"],
    ]
    age = table_rows(html, **{"aria-labelledby": "equality-age_band"})
    assert age[1] == ["Under 30", "0", "2", "0.0%", "—", "Too few to say"]
    ethnicity = table_rows(html, **{"aria-labelledby": "equality-ethnicity"})
    assert ethnicity[1:3] == [
        ["Kazakh", "3", "3", "100.0%", "—", "Too few to say"],
        ["Russian", "0", "1", "0.0%", "—", "Too few to say"],
    ]
    assert str(Gender.UNDISCLOSED.label) not in html


def test_adverse_impact_is_restricted_without_the_permission(
    client, make_user, lang_url, equality_world
):
    vacancy = equality_world["vacancy"]
    for user in (
        vacancy.chair,
        make_user(Role.CHAMPION),
        make_user(Role.ADMINISTRATOR),
    ):
        client.force_login(user)
        html = client.get(report_url(lang_url, vacancy)).content.decode()
        assert "Restricted: candidates' equality answers" in html
        for label in ("Woman", "Man<", "Under 30", "Kazakh", "Russian"):
            assert label not in html, label
        assert "equality-gender" not in html
        # 3 appointed (candidates 0, 6 and 11) of 12: 25.0%, for everyone.
        assert "Appointed: 3 of 12 applicants (25.0%)." in html
        csv_text = client.get(
            report_url(lang_url, vacancy, "selection:reports_csv")
        ).content.decode("utf-8-sig")
        assert "Woman" not in csv_text
        assert "Kazakh" not in csv_text


def test_csv_carries_adverse_impact_for_equality_monitors(
    client, lang_url, equality_world
):
    vacancy = equality_world["vacancy"]
    client.force_login(equality_monitor(vacancy.chair))
    response = client.get(report_url(lang_url, vacancy, "selection:reports_csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [
        "Gender",
        str(equality_world["stage"].stage),
        "Woman",
        "3",
        "6",
        "50.0",
        "0.62",
        "Adverse impact: below four-fifths",
    ] in rows


# -- Queries ------------------------------------------------------------------


def build(candidates: int, procedure=None):
    """A revealed stage scored by two assessors, with consensus, results,
    equality answers and decisions for every candidate."""
    vacancy = vacancy_with_panel(2, **({"procedure": procedure} if procedure else {}))
    (first, _second), competencies, assessors = parts(vacancy)
    for number in range(candidates):
        application = ApplicationFactory(vacancy=vacancy)
        for assessor in assessors:
            submitted(
                first,
                application,
                assessor,
                {c: 1 + (number + c.pk) % 5 for c in competencies},
            )
        for competency in competencies:
            Consensus.objects.create(
                vacancy_stage=first,
                application=application,
                competency=competency,
                point=3,
                rationale="Согласовано.",
                recorded_by=vacancy.chair,
            )
        StageResult.objects.create(
            vacancy_stage=first,
            application=application,
            passed=number % 2 == 0,
            decided_by=vacancy.chair,
        )
        EqualityResponse.objects.create(
            application=application,
            gender=Gender.WOMAN if number % 2 else Gender.MAN,
            ethnicity=f"Group {number % 3}",
        )
        Decision.objects.create(
            application=application,
            outcome=Outcome.APPOINT if number == 0 else Outcome.REJECT,
            reasons="Решение.",
            decided_by=vacancy.chair,
        )
    reveal(first)
    return vacancy


def count_queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["chair", "equality monitor"])
def test_queries_do_not_grow_with_candidates(client, make_user, lang_url, who):
    viewer = equality_monitor(make_user(Role.CHAMPION))
    counts = []
    procedure = None
    for size in (2, 8):
        vacancy = build(size, procedure)
        procedure = vacancy.procedure
        client.force_login(vacancy.chair if who == "chair" else viewer)
        counts.append(count_queries(client, report_url(lang_url, vacancy)))
    assert counts[0] == counts[1]
