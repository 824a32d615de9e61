"""The public vacancies pages and applying without an account: the pages in
three languages, the application form, the receipt, and the application as
the panel sees it (with its CV).

Bad inputs tried: applying to a closed vacancy, to an open one after its
closing date (one minute past midnight in Almaty) and before its opening
date; a second application with the same e-mail in another case; no
consent; no CV; a macro-enabled DOCX and a text file named .pdf through the
form; a phone number that is none; the honeypot filled in; a draft
vacancy's pages; the panel's application page and CV download asked for by
an assessor, an officer and an anonymous visitor.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from lms.models import AuditEntry
from lms.roles import Role
from selection.applications import services
from selection.applications.equality import Ethnicity
from selection.applications.selectors import almaty_today
from selection.models import (
    Application,
    ApplicationStatus,
    EqualityResponse,
    Gender,
    Procedure,
    StageKind,
    VacancyStatus,
)
from tests.selection.factories import (
    ApplicationFactory,
    VacancyFactory,
    procedure_with_stages,
    vacancy_with_panel,
)
from tests.selection.test_uploads import DOCM_TYPES, docx_bytes, pdf_bytes

pytestmark = pytest.mark.django_db

ALMATY = ZoneInfo("Asia/Almaty")
TITLES = {
    "kk": "Алматы пробация инспекторы",
    "ru": "Инспектор пробации, Алматы",
    "en": "Almaty probation inspector",
}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def vacancy_factory(**fields):
    """A vacancy on the procedure of the others: there is one current
    framework at a time."""
    procedure = Procedure.objects.first() or procedure_with_stages()
    return VacancyFactory(**{"procedure": procedure, **fields})


def cv_pdf(name="cv.pdf"):
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def form_data(**overrides) -> dict:
    data = {
        "full_name": "Айгерім Нұрланқызы",
        "email": "aigerim@example.kz",
        "phone": "+7 701 234 56 78",
        "education": "Юридический факультет КазНУ, 2020",
        "experience": "Три года социальным работником в Алматы",
        "motivation": "Хочу помогать людям вернуться к жизни без преступлений.",
        "cv": cv_pdf(),
        "consent": "on",
        "gender": "",
        "age_band": "",
        "disability": "",
        "ethnicity": "",
        "website": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def stored_cvs() -> set[str]:
    try:
        folders, _files = default_storage.listdir("selection/cv")
    except FileNotFoundError:
        return set()
    return {
        f"{folder}/{name}"
        for folder in folders
        for name in default_storage.listdir(f"selection/cv/{folder}")[1]
    }


def apply_url(lang_url, vacancy, language="en"):
    return lang_url(
        "selection:apply", language, kwargs={"reference": vacancy.reference}
    )


# The public pages


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_public_pages_show_the_title_in_the_address_language(
    client, lang_url, language
):
    vacancy = vacancy_factory(
        **{f"title_{code}": title for code, title in TITLES.items()}
    )
    others = [title for code, title in TITLES.items() if code != language]
    for url in (
        lang_url("selection:vacancies", language),
        lang_url(
            "selection:vacancy", language, kwargs={"reference": vacancy.reference}
        ),
        apply_url(lang_url, vacancy, language),
    ):
        html = client.get(url).content.decode()
        assert TITLES[language] in html, url
        assert not any(title in html for title in others), url


def test_list_shows_open_vacancies_first_and_closed_ones_as_closed(client, lang_url):
    today = almaty_today()
    closed = vacancy_factory(
        title_en="Senior officer (closed)", status=VacancyStatus.CLOSED
    )
    past_date = vacancy_factory(
        title_en="Past its date", closes_on=today - datetime.timedelta(days=1)
    )
    vacancy_factory(title_en="Still a draft", status=VacancyStatus.DRAFT)
    later = vacancy_factory(
        title_en="Closing later", closes_on=today + datetime.timedelta(days=30)
    )
    sooner = vacancy_factory(title_en="Closing sooner", posts=3)
    html = client.get(lang_url("selection:vacancies", "en")).content.decode()
    open_part, closed_part = html.split('id="closed-heading"')
    assert open_part.index(sooner.title_en) < open_part.index(later.title_en)
    assert sooner.office.name_en in open_part
    assert sooner.office.region.name_en in open_part
    assert closed.title_en in closed_part and past_date.title_en in closed_part
    assert closed.title_en not in open_part and past_date.title_en not in open_part
    assert "Still a draft" not in html


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_public_list_queries_do_not_grow_with_vacancies(client, lang_url):
    procedure = procedure_with_stages()
    for status in (VacancyStatus.OPEN, VacancyStatus.CLOSED):
        VacancyFactory(procedure=procedure, status=status)
    url = lang_url("selection:vacancies", "en")
    small = count_queries(client, url)
    for number in range(8):
        status = VacancyStatus.OPEN if number % 2 else VacancyStatus.ASSESSING
        VacancyFactory(procedure=procedure, status=status)
    assert count_queries(client, url) == small


def test_vacancy_page_lists_the_stages_in_order_and_offers_to_apply(client, lang_url):
    procedure = procedure_with_stages(
        kinds=(StageKind.SCREENING, StageKind.INTERVIEW, StageKind.ROLE_PLAY)
    )
    names = list(
        procedure.stages.order_by("sort_order").values_list("name_en", flat=True)
    )
    vacancy = VacancyFactory(procedure=procedure, description_en="Work with clients.")
    html = client.get(
        lang_url("selection:vacancy", "en", kwargs={"reference": vacancy.reference})
    ).content.decode()
    positions = [html.index(name) for name in names]
    assert positions == sorted(positions)
    assert "Work with clients." in html
    assert f'href="{apply_url(lang_url, vacancy)}"' in html


def test_closed_vacancy_page_has_no_apply_button(client, lang_url):
    vacancy = vacancy_factory(status=VacancyStatus.ASSESSING)
    html = client.get(
        lang_url("selection:vacancy", "en", kwargs={"reference": vacancy.reference})
    ).content.decode()
    assert "Applications for this vacancy are closed." in html
    assert apply_url(lang_url, vacancy) not in html


def test_a_draft_vacancy_does_not_exist_for_the_public(client, lang_url):
    vacancy = vacancy_factory(status=VacancyStatus.DRAFT)
    for name in ("selection:vacancy", "selection:apply", "selection:applied"):
        url = lang_url(name, "en", kwargs={"reference": vacancy.reference})
        assert client.get(url).status_code == 404


# Applying


def test_candidate_applies_and_gets_a_receipt_in_their_language(
    client, lang_url, django_capture_on_commit_callbacks
):
    vacancy = vacancy_factory(retention_months=18)
    before = stored_cvs()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(apply_url(lang_url, vacancy, "ru"), form_data())
    assert response.status_code == 302
    assert response["Location"] == lang_url(
        "selection:applied", "ru", kwargs={"reference": vacancy.reference}
    )
    application = Application.objects.get()
    assert application.full_name == "Айгерім Нұрланқызы"
    assert application.email == "aigerim@example.kz"
    assert application.language == "ru"
    assert application.consent_at is not None
    assert application.consent_retention_months == 18
    assert application.status == ApplicationStatus.APPLIED
    assert application.cv_name == "cv.pdf"
    assert application.cv_content_type == "application/pdf"
    assert application.cv.read().startswith(b"%PDF-")
    assert len(stored_cvs() - before) == 1
    assert not EqualityResponse.objects.exists(), "nothing disclosed, nothing kept"
    (receipt,) = mail.outbox
    assert receipt.to == ["aigerim@example.kz"]
    assert vacancy.title_ru in receipt.subject
    link = settings.SITE_URL + lang_url(
        "selection:my_data", "ru", kwargs={"token": application.access_token}
    )
    assert link in receipt.body
    assert application.code in receipt.body
    assert "18" in receipt.body
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200


def test_docx_and_equality_answers_in_kazakh(
    client, lang_url, django_capture_on_commit_callbacks
):
    vacancy = vacancy_factory()
    cv = SimpleUploadedFile("түйіндеме.docx", docx_bytes())
    data = form_data(cv=cv, gender=Gender.WOMAN, ethnicity=Ethnicity.UYGHUR)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(apply_url(lang_url, vacancy, "kk"), data)
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.language == "kk"
    assert application.cv_name == "түйіндеме.docx"
    equality = EqualityResponse.objects.get(application=application)
    assert (equality.gender, equality.ethnicity) == ("woman", "uyghur")
    assert (equality.age_band, equality.disability) == ("", "")
    (receipt,) = mail.outbox
    assert vacancy.title_kk in receipt.subject
    assert f"{settings.SITE_URL}/kk/vacancies/my-data/" in receipt.body


def test_the_audit_log_holds_the_code_and_no_personal_data(client, lang_url):
    vacancy = vacancy_factory()
    client.post(apply_url(lang_url, vacancy), form_data())
    application = Application.objects.get()
    (entry,) = AuditEntry.objects.filter(action="selection.application.submit")
    assert entry.data == {"code": application.code}
    assert entry.object_repr == application.code
    assert list(AuditEntry.objects.for_object(application)) == [entry]
    for text in AuditEntry.objects.values_list("object_repr", "data"):
        assert "Айгерім" not in str(text) and "aigerim@" not in str(text)


def assert_refused(response, message, *, applications=0):
    """Refused: the message is shown, what was typed is kept, nothing stored."""
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert "Айгерім Нұрланқызы" in html
    assert "Хочу помогать людям вернуться к жизни без преступлений." in html
    assert "choose your CV file again" in html
    assert Application.objects.count() == applications
    assert mail.outbox == []


def test_a_closed_vacancy_refuses_applications(client, lang_url):
    vacancy = vacancy_factory(status=VacancyStatus.ASSESSING)
    assert (
        "Applications for this vacancy are closed."
        in client.get(apply_url(lang_url, vacancy)).content.decode()
    )
    before = stored_cvs()
    response = client.post(apply_url(lang_url, vacancy), form_data())
    assert_refused(response, "Applications for this vacancy are closed.")
    assert stored_cvs() == before


def test_the_closing_date_ends_at_midnight_in_almaty(client, lang_url):
    vacancy = vacancy_factory(
        opens_on=datetime.date(2026, 3, 1), closes_on=datetime.date(2026, 3, 10)
    )
    late = datetime.datetime(2026, 3, 10, 23, 59, tzinfo=ALMATY)
    with time_machine.travel(late, tick=False):
        response = client.post(apply_url(lang_url, vacancy), form_data())
    assert response.status_code == 302
    with time_machine.travel(late + datetime.timedelta(minutes=2), tick=False):
        response = client.post(
            apply_url(lang_url, vacancy), form_data(email="second@example.kz")
        )
    assert_refused(response, "The closing date of this vacancy", applications=1)


def test_applications_are_refused_before_the_opening_date(client, lang_url):
    today = almaty_today()
    vacancy = vacancy_factory(
        opens_on=today + datetime.timedelta(days=3),
        closes_on=today + datetime.timedelta(days=30),
    )
    response = client.post(apply_url(lang_url, vacancy), form_data())
    assert_refused(response, "This vacancy does not take applications yet")


def test_a_second_application_with_the_same_email_is_refused(client, lang_url):
    vacancy = vacancy_factory()
    first = ApplicationFactory(vacancy=vacancy, email="Aigerim@Example.KZ")
    response = client.post(
        apply_url(lang_url, vacancy), form_data(email="aigerim@example.kz")
    )
    assert_refused(response, services.duplicate_message(), applications=1)
    html = response.content.decode()
    assert first.code not in html and first.full_name not in html
    assert (
        client.post(
            apply_url(lang_url, vacancy_factory()),
            form_data(email="aigerim@example.kz"),
        ).status_code
        == 302
    ), "the same e-mail may apply to another vacancy"


def test_consent_is_required(client, lang_url):
    vacancy = vacancy_factory()
    response = client.post(apply_url(lang_url, vacancy), form_data(consent=None))
    assert_refused(response, "Tick the box to agree to the processing of your data")


def test_consent_label_states_the_retention_period(client, lang_url):
    vacancy = vacancy_factory(retention_months=9)
    html = client.get(apply_url(lang_url, vacancy)).content.decode()
    assert "It is kept for 9 months after the vacancy closes, then anonymised" in html
    assert "Equality monitoring (optional)" in html


def test_a_cv_is_required(client, lang_url):
    vacancy = vacancy_factory()
    response = client.post(apply_url(lang_url, vacancy), form_data(cv=None))
    assert_refused(response, "Choose your CV (PDF or DOCX).")


@pytest.mark.parametrize(
    ("cv", "message"),
    [
        (
            SimpleUploadedFile("cv.docx", docx_bytes(types=DOCM_TYPES)),
            "«cv.docx» contains macros",
        ),
        (
            SimpleUploadedFile("cv.pdf", b"just text"),
            "«cv.pdf» is not a PDF file, whatever its name says",
        ),
    ],
    ids=["macro", "not-a-pdf"],
)
def test_a_bad_cv_is_refused_and_nothing_is_stored(client, lang_url, cv, message):
    vacancy = vacancy_factory()
    before = stored_cvs()
    response = client.post(apply_url(lang_url, vacancy), form_data(cv=cv))
    assert_refused(response, message)
    assert stored_cvs() == before


def test_a_phone_that_is_not_one_is_refused(client, lang_url):
    vacancy = vacancy_factory()
    response = client.post(apply_url(lang_url, vacancy), form_data(phone="call me"))
    assert_refused(response, "Write the phone number with its code")


def test_the_honeypot_filled_in_stores_nothing(client, lang_url):
    vacancy = vacancy_factory()
    response = client.post(
        apply_url(lang_url, vacancy), form_data(website="http://spam.example")
    )
    assert_refused(response, "Your application was not sent")


def test_a_candidate_code_clash_draws_another_code(monkeypatch):
    vacancy = vacancy_factory()
    ApplicationFactory(vacancy=vacancy, code="AAAAAA")
    monkeypatch.setattr(
        Application._meta.get_field("code"), "_get_default", lambda: "AAAAAA"
    )
    monkeypatch.setattr(services, "candidate_code", lambda: "CCCCCC")
    application = services.application_submit(
        vacancy=vacancy,
        full_name="Ерлан Сапаров",
        email="erlan@example.kz",
        education="КазГЮУ",
        experience="Инспектор",
        motivation="Помогать людям",
        cv=cv_pdf(),
        consent=True,
        language="ru",
    )
    assert application.code == "CCCCCC"


# The application as the panel sees it


@pytest.fixture
def candidate():
    vacancy = vacancy_with_panel(assessors_per_stage=1)
    application = ApplicationFactory(vacancy=vacancy)
    application.cv.save("cv.pdf", SimpleUploadedFile("cv.pdf", pdf_bytes()))
    application.cv_name = "cv.pdf"
    application.cv_content_type = "application/pdf"
    application.save()
    EqualityResponse.objects.create(application=application, ethnicity=Ethnicity.UYGHUR)
    return application


def test_chair_and_administrator_download_the_cv(
    client, lang_url, make_user, candidate
):
    url = lang_url("selection:application_cv", "en", kwargs={"pk": candidate.pk})
    for user in (candidate.vacancy.chair, make_user(Role.ADMINISTRATOR)):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
        assert response["Content-Disposition"].startswith("attachment")
        assert 'filename="cv.pdf"' in response["Content-Disposition"]
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"


def test_others_cannot_see_the_application_or_its_cv(
    client, lang_url, make_user, candidate
):
    assessor = candidate.vacancy.stages.first().assessors.get()
    urls = [
        lang_url("selection:application", "en", kwargs={"pk": candidate.pk}),
        lang_url("selection:application_cv", "en", kwargs={"pk": candidate.pk}),
    ]
    for url in urls:
        assert client.get(url).status_code == 302, "anonymous: sign in first"
    for user in (assessor, make_user(Role.OFFICER)):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 403


def test_panel_sees_the_application_but_never_the_equality_answers(
    client, lang_url, candidate
):
    member = candidate.vacancy.panel.exclude(pk=candidate.vacancy.chair_id).get()
    client.force_login(member)
    html = client.get(
        lang_url("selection:application", "en", kwargs={"pk": candidate.pk})
    ).content.decode()
    assert candidate.full_name in html
    assert candidate.motivation in html
    assert (
        lang_url("selection:application_cv", "en", kwargs={"pk": candidate.pk}) in html
    )
    assert "Applied" in html
    assert "Uyghur" not in html and "Ethnicity" not in html


def test_the_service_refuses_on_its_own_and_names_every_problem():
    """Forms are not the only way in (seed_demo, a future API): the service
    checks consent, the e-mail and the CV itself, all at once."""
    vacancy = vacancy_factory()
    ApplicationFactory(vacancy=vacancy, email="taken@example.kz")
    with pytest.raises(ValidationError) as caught:
        services.application_submit(
            vacancy=vacancy,
            full_name="Ерлан Сапаров",
            email="TAKEN@example.kz",
            education="КазГЮУ",
            experience="Инспектор",
            motivation="Помогать людям",
            cv=SimpleUploadedFile("cv.docx", docx_bytes(types=DOCM_TYPES)),
            consent=False,
            language="ru",
        )
    errors = caught.value.message_dict
    assert set(errors) == {"consent", "email", "cv"}
    assert errors["email"] == [services.duplicate_message()]
    assert "contains macros" in errors["cv"][0]
    assert Application.objects.count() == 1
