"""The candidate's privacy: their link to see and delete their data, and
anonymisation when the retention period after the vacancy closes is over.

Bad inputs tried: a link that was never valid, deleting without ticking the
confirmation, deleting twice, the old link after deletion, the retention task
a day before the period ends, run twice, and on vacancies never closed; a
vacancy whose retention was lengthened after the candidate consented.
"""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from lms.models import AuditEntry
from lms.roles import Role
from selection.applications import services
from selection.applications.equality import Ethnicity
from selection.applications.tasks import applications_anonymise_expired
from selection.models import (
    Application,
    ApplicationStatus,
    Consensus,
    DataRequest,
    DataRequestKind,
    Decision,
    EqualityResponse,
    Gender,
    Outcome,
    ScoreAmendment,
    VacancyStatus,
)
from tests.lms.factories import UserFactory
from tests.selection.factories import (
    ApplicationFactory,
    AssignmentFactory,
    score,
    vacancy_with_panel,
)
from tests.selection.test_uploads import pdf_bytes

pytestmark = pytest.mark.django_db

CLOSED_AT = datetime.datetime(2025, 6, 15, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def candidate_with_history(vacancy, **fields) -> Application:
    """An application with a CV, equality answers, scores with evidence, an
    amendment, a consensus and a decision: everything anonymisation touches
    or keeps."""
    person = {
        "full_name": "Дана Ержанқызы",
        "email": "dana@example.kz",
        "phone": "+7 702 111 22 33",
    }
    application = ApplicationFactory(vacancy=vacancy, **{**person, **fields})
    application.cv.save("cv.pdf", SimpleUploadedFile("cv.pdf", pdf_bytes()))
    application.cv_name = "Дана_CV.pdf"
    application.cv_content_type = "application/pdf"
    application.save()
    EqualityResponse.objects.create(
        application=application, gender=Gender.WOMAN, ethnicity=Ethnicity.KAZAKH
    )
    vacancy_stage = vacancy.stages.first()
    competency = vacancy_stage.stage.competencies.first().competency
    assignment = AssignmentFactory(
        vacancy_stage=vacancy_stage,
        application=application,
        assessor=vacancy_stage.assessors.first(),
        conflict=False,
        conflict_note="Не знакома с Даной",
        submitted_at=timezone.now(),
    )
    scored = score(assignment, competency, 4, "Дана рассказала о работе с подростками.")
    ScoreAmendment.objects.create(
        score=scored,
        point_before=3,
        evidence_before="Дана сначала растерялась.",
        point=4,
        evidence=scored.evidence,
        reason="Пересмотрел запись интервью Даны.",
        amended_by=assignment.assessor,
    )
    Consensus.objects.create(
        vacancy_stage=vacancy_stage,
        application=application,
        competency=competency,
        independent_mean=4,
        spread=0,
        point=4,
        rationale="Дана убедительно описала случай.",
        recorded_by=vacancy.chair,
    )
    Decision.objects.create(
        application=application,
        outcome=Outcome.RESERVE,
        reasons="Дана сильна, но мест не хватило.",
        decided_by=vacancy.chair,
    )
    return application


def closed_vacancy(**fields):
    return vacancy_with_panel(
        assessors_per_stage=1,
        status=VacancyStatus.CLOSED,
        closed_at=CLOSED_AT,
        **fields,
    )


def my_data_url(lang_url, token: str) -> str:
    return lang_url("selection:my_data", "en", kwargs={"token": token})


def assert_anonymised(application: Application, cv_name: str) -> None:
    application.refresh_from_db()
    assert application.anonymised_at is not None
    for field in ("full_name", "email", "phone", "education", "experience"):
        assert getattr(application, field) == "", field
    assert application.motivation == ""
    assert application.cv_name == "" and not application.cv
    assert not default_storage.exists(cv_name), "the CV file is gone from storage"
    # Free text about the person is blanked; the numbers stay.
    scored = application.assignments.get().scores.get()
    assert (scored.point, scored.evidence) == (4, "")
    amendment = ScoreAmendment.objects.get(score=scored)
    assert (amendment.point_before, amendment.point) == (3, 4)
    assert amendment.evidence_before == amendment.evidence == amendment.reason == ""
    assert application.assignments.get().conflict_note == ""
    consensus = Consensus.objects.get(application=application)
    assert (consensus.point, consensus.rationale) == (4, "")
    decision = Decision.objects.get(application=application)
    assert (decision.outcome, decision.reasons) == (Outcome.RESERVE, "")
    equality = EqualityResponse.objects.get(application=application)
    assert (equality.gender, equality.ethnicity) == ("woman", "kazakh")


# The candidate's link


def test_my_data_shows_everything_stored_and_records_one_view_a_day(client, lang_url):
    application = candidate_with_history(vacancy_with_panel(assessors_per_stage=1))
    url = my_data_url(lang_url, application.access_token)
    with time_machine.travel(datetime.datetime(2026, 2, 2, 9, tzinfo=datetime.UTC)):
        response = client.get(url)
        client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    for shown in (
        application.full_name,
        application.email,
        application.phone,
        application.code,
        "Дана_CV.pdf",
        "Reserve list",
        "Woman",
        "Kazakh",
    ):
        assert shown in html, shown
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]
    seen = DataRequest.objects.filter(application=application, kind="see")
    assert seen.count() == 1
    assert seen.get().fulfilled_at is not None
    with time_machine.travel(datetime.datetime(2026, 2, 3, 9, tzinfo=datetime.UTC)):
        client.get(url)
    assert seen.count() == 2


def test_an_unknown_link_is_not_found(client, lang_url):
    assert client.get(my_data_url(lang_url, "not-a-token")).status_code == 404


def test_deleting_needs_the_confirmation(client, lang_url):
    application = candidate_with_history(vacancy_with_panel(assessors_per_stage=1))
    response = client.post(my_data_url(lang_url, application.access_token), {})
    assert response.status_code == 400
    assert "Tick the box to confirm that your data should be deleted." in (
        response.content.decode()
    )
    application.refresh_from_db()
    assert application.anonymised_at is None
    assert application.full_name == "Дана Ержанқызы"
    assert not DataRequest.objects.filter(kind=DataRequestKind.DELETE).exists()


def test_deleting_anonymises_now_and_the_old_link_says_so(client, lang_url):
    vacancy = vacancy_with_panel(assessors_per_stage=1)
    application = candidate_with_history(vacancy, status=ApplicationStatus.IN_PROGRESS)
    cv_name = application.cv.name
    url = my_data_url(lang_url, application.access_token)
    response = client.post(url, {"confirm": "on"}, follow=True)
    html = response.content.decode()
    assert "Your personal data has been deleted." in html
    assert "The personal data of this application has been deleted." in html
    assert "Дана" not in html
    assert_anonymised(application, cv_name)
    assert application.status == ApplicationStatus.WITHDRAWN
    request = DataRequest.objects.get(kind=DataRequestKind.DELETE)
    assert request.fulfilled_at is not None
    actions = set(
        AuditEntry.objects.for_object(application).values_list("action", flat=True)
    )
    assert {
        "selection.application.delete_request",
        "selection.application.anonymise",
    } <= actions
    (entry,) = AuditEntry.objects.filter(action="selection.application.anonymise")
    assert entry.data == {"code": application.code, "reason": "candidate_request"}
    # Afterwards the link only ever says the data is gone.
    later = client.get(url).content.decode()
    assert "has been deleted" in later and "dana@example.kz" not in later
    assert client.post(url, {"confirm": "on"}).status_code == 200
    assert DataRequest.objects.filter(kind=DataRequestKind.DELETE).count() == 1


def test_deleting_twice_through_the_service_is_refused():
    application = candidate_with_history(vacancy_with_panel(assessors_per_stage=1))
    services.data_request_delete(application=application)
    with pytest.raises(ValidationError) as caught:
        services.data_request_delete(application=application)
    assert caught.value.messages == ["Your data has already been deleted."]


def test_the_same_email_may_apply_again_after_deletion():
    vacancy = vacancy_with_panel(assessors_per_stage=1)
    application = candidate_with_history(vacancy)
    services.data_request_delete(application=application)
    again = services.application_submit(
        vacancy=vacancy,
        full_name="Дана Ержанқызы",
        email="DANA@example.kz",
        education="КазНУ",
        experience="Соцработник",
        motivation="Снова хочу работать в пробации",
        cv=SimpleUploadedFile("cv.pdf", pdf_bytes()),
        consent=True,
        language="ru",
    )
    assert again.pk != application.pk


def test_anonymise_keeps_the_user_link_only_for_an_appointed_candidate():
    vacancy = vacancy_with_panel(assessors_per_stage=1)
    officer = UserFactory(roles=[Role.OFFICER])
    appointed = ApplicationFactory(
        vacancy=vacancy, status=ApplicationStatus.APPOINTED, user=officer
    )
    rejected = ApplicationFactory(
        vacancy=vacancy, status=ApplicationStatus.REJECTED, user=officer
    )
    for application in (appointed, rejected):
        services.application_anonymise(
            application=application, reason=services.REASON_RETENTION
        )
        application.refresh_from_db()
    assert appointed.user == officer
    assert rejected.user is None


def test_the_panel_sees_an_anonymised_application_by_its_code(client, lang_url):
    vacancy = vacancy_with_panel(assessors_per_stage=1)
    application = candidate_with_history(vacancy)
    services.application_anonymise(
        application=application, reason=services.REASON_RETENTION
    )
    client.force_login(vacancy.chair)
    html = client.get(
        lang_url("selection:application", "en", kwargs={"pk": application.pk})
    ).content.decode()
    assert f"Candidate {application.code}" in html
    assert "Дана" not in html
    cv_url = lang_url("selection:application_cv", "en", kwargs={"pk": application.pk})
    assert client.get(cv_url).status_code == 404


# Retention


def test_retention_task_with_a_frozen_clock():
    vacancy = closed_vacancy(retention_months=12)
    application = candidate_with_history(vacancy)
    cv_name = application.cv.name
    untouched = [
        candidate_with_history(
            vacancy_with_panel(
                assessors_per_stage=1, procedure=vacancy.procedure, status=status
            ),
            email=f"{status}@example.kz",
        )
        for status in (VacancyStatus.OPEN, VacancyStatus.ASSESSING)
    ]
    expiry = datetime.datetime(2026, 6, 15, 12, 0, tzinfo=datetime.UTC)

    with time_machine.travel(expiry - datetime.timedelta(days=1), tick=False):
        assert applications_anonymise_expired.delay().get() == 0
    application.refresh_from_db()
    assert application.anonymised_at is None
    assert application.full_name == "Дана Ержанқызы"
    assert default_storage.exists(cv_name)

    with time_machine.travel(expiry + datetime.timedelta(days=1), tick=False):
        assert applications_anonymise_expired.delay().get() == 1
        entries = AuditEntry.objects.count()
        assert applications_anonymise_expired.delay().get() == 0
    assert AuditEntry.objects.count() == entries, "the second run changes nothing"
    assert_anonymised(application, cv_name)
    (entry,) = AuditEntry.objects.for_object(application).filter(
        action="selection.application.anonymise"
    )
    assert entry.data == {"code": application.code, "reason": "retention"}

    with time_machine.travel(expiry + datetime.timedelta(days=3650), tick=False):
        applications_anonymise_expired.delay().get()
    for other in untouched:
        other.refresh_from_db()
        assert other.anonymised_at is None, "vacancies never closed are not touched"
        assert other.full_name == "Дана Ержанқызы"


def test_retention_never_exceeds_the_period_stated_at_consent():
    vacancy = closed_vacancy(retention_months=12)
    application = candidate_with_history(vacancy, consent_retention_months=12)
    vacancy.retention_months = 24
    vacancy.save(update_fields=["retention_months"])
    after_consented_period = datetime.datetime(2026, 6, 20, tzinfo=datetime.UTC)
    with time_machine.travel(after_consented_period, tick=False):
        assert services.applications_anonymise_expired() == 1
    application.refresh_from_db()
    assert application.anonymised_at is not None
