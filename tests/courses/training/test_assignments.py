"""Practical assignments: officers submit text and files, trainers grade each
criterion of the rubric, ask for a resubmission or pass it; every submission
and grade is kept; a course with an assignment completes only once it passed.

Bad input tried: a file of a type not allowed (.exe), one too large, an empty
one, a PNG named .jpg, text named .pdf, garbage named .png, a ZIP named .docx,
too many files, neither text nor file; submitting when not enrolled, after
withdrawing, for another course's assignment, while earlier work waits for a
grade, after passing and after "not passed"; grading with a criterion missing,
with points that are no level of the criterion (and 1.5, True, "abc"), with a
criterion not in the rubric, with empty feedback, with an unknown decision, a
pass below the pass mark, grading twice, grading by an officer and by the
owner, a posted total of 999; and every URL requested anonymously, by the
owner, by another officer, by a trainer and by an administrator.
"""

import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from PIL import Image

from courses import services as course_services
from courses.demo import _grant_trainers
from courses.models import (
    Assignment,
    EnrolmentStatus,
    Grade,
    Submission,
    SubmissionFile,
    SubmissionStatus,
)
from courses.training.assignments import selectors, services
from courses.training.assignments.services import assignments_passed
from lms.models import AuditEntry, Notification
from lms.roles import Role
from tests.courses.factories import catalogue, course, lessons_of, translate
from tests.lms.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english():
    """These tests read messages in English; the catalogue tests and the browser
    tests check the Russian and Kazakh."""
    with translation.override("en"):
        yield


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def image_bytes(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, fmt)
    return buffer.getvalue()


def docx_bytes(word: bool = True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        if word:
            package.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def upload(name: str, data: bytes, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def make_assignment(page, **fields) -> Assignment:
    assignment = Assignment(
        course=page,
        title=fields.pop("title", "Беседа с клиентом"),
        brief=fields.pop("brief", "Запишите беседу и отметьте рефлексии."),
        rubric=[
            (
                "criterion",
                {
                    "name": "Открытые вопросы",
                    "levels": [
                        {"descriptor": "Нет", "points": 0},
                        {"descriptor": "Иногда", "points": 1},
                        {"descriptor": "Часто", "points": 2},
                    ],
                },
            ),
            (
                "criterion",
                {
                    "name": "Рефлексии",
                    "levels": [
                        {"descriptor": "Редко", "points": 0},
                        {"descriptor": "Простые", "points": 2},
                        {"descriptor": "Сложные", "points": 4},
                    ],
                },
            ),
        ],
        pass_mark=fields.pop("pass_mark", 4),
        max_files=fields.pop("max_files", 2),
        **fields,
    )
    assignment.full_clean()
    assignment.save()
    return assignment


def scores(assignment, *points) -> dict:
    return {c["id"]: p for c, p in zip(assignment.criteria, points, strict=True)}


@pytest.fixture
def world(db):
    index = catalogue()
    _grant_trainers([index])
    page = course(index, lessons=1)
    assignment = make_assignment(page)
    officer = UserFactory(roles=[Role.OFFICER])
    trainer = UserFactory(roles=[Role.TRAINER])
    enrolment = course_services.enrolment_create(user=officer, course=page)
    return {
        "index": index,
        "page": page,
        "assignment": assignment,
        "officer": officer,
        "trainer": trainer,
        "enrolment": enrolment,
    }


def submit(world, text="Моя расшифровка", files=()):
    return services.submission_create(
        assignment=world["assignment"],
        enrolment=world["enrolment"],
        text=text,
        files=list(files),
    )


def grade(world, submission, points=(2, 4), decision=SubmissionStatus.PASSED, **kw):
    return services.submission_grade(
        submission=submission,
        grader=kw.pop("grader", world["trainer"]),
        scores=kw.pop("scores", None) or scores(world["assignment"], *points),
        feedback=kw.pop("feedback", "Хорошие рефлексии."),
        decision=decision,
    )


# Submitting -----------------------------------------------------------------


def test_text_and_pdf_are_submitted_with_the_file_kept_privately(world):
    submission = submit(world, files=[upload("беседа.pdf", PDF)])
    stored = submission.files.get()
    assert submission.number == 1
    assert submission.status == SubmissionStatus.SUBMITTED
    assert stored.name == "беседа.pdf"
    assert stored.content_type == "application/pdf"
    assert stored.size == len(PDF)
    # The stored name is random, not the officer's.
    assert "беседа" not in stored.file.name
    assert stored.file.read() == PDF
    assert AuditEntry.objects.filter(action="assignment.submit").count() == 1


@pytest.mark.parametrize(
    "name,data",
    [
        ("notes.docx", docx_bytes()),
        ("notes.txt", "Открытые вопросы: 5".encode()),
        ("photo.jpg", image_bytes("JPEG")),
        ("photo.png", image_bytes("PNG")),
        ("talk.mp3", b"ID3\x04\x00" + b"\x00" * 64),
        ("talk.ogg", b"OggS" + b"\x00" * 64),
        ("talk.m4a", b"\x00\x00\x00\x20ftypM4A " + b"\x00" * 64),
    ],
)
def test_every_allowed_type_is_accepted_by_its_content(world, name, data):
    submission = submit(world, files=[upload(name, data)])
    assert submission.files.get().name == name


@pytest.mark.parametrize(
    "name,data,message",
    [
        ("virus.exe", b"MZ\x90\x00", "cannot be attached"),
        ("empty.pdf", b"", "is empty"),
        ("photo.jpg", image_bytes("PNG"), "is not a JPEG image"),
        ("photo.png", b"this is not a picture", "is not a PNG image"),
        ("report.pdf", b"just some text", "does not contain what its name says"),
        ("report.docx", docx_bytes(word=False), "does not contain what its name"),
        ("notes.txt", b"\xff\xfe\x00binary\x00", "does not contain what its name"),
    ],
)
def test_a_bad_file_is_refused_and_nothing_is_saved(world, name, data, message):
    with pytest.raises(ValidationError) as error:
        submit(world, files=[upload("ok.pdf", PDF), upload(name, data)])
    assert message in " ".join(error.value.messages)
    assert Submission.objects.count() == 0
    assert SubmissionFile.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused(world, settings):
    settings.USTAZ_SUBMISSION_MAX_BYTES = 100
    with pytest.raises(ValidationError, match="too large"):
        submit(world, files=[upload("big.pdf", PDF + b"0" * 200)])
    assert Submission.objects.count() == 0


def test_more_files_than_allowed_are_refused(world):
    with pytest.raises(ValidationError, match="at most 2 files"):
        submit(world, files=[upload(f"{n}.pdf", PDF) for n in range(3)])
    assert Submission.objects.count() == 0


def test_neither_text_nor_file_is_refused(world):
    with pytest.raises(ValidationError, match="Write your work"):
        submit(world, text="   ")


def test_not_enrolled_or_withdrawn_officers_cannot_submit(world):
    course_services.enrolment_withdraw(enrolment=world["enrolment"])
    with pytest.raises(ValidationError, match="Enrol in this course"):
        submit(world)
    with pytest.raises(ValidationError, match="Enrol in this course"):
        services.submission_create(
            assignment=world["assignment"], enrolment=None, text="x"
        )


def test_another_courses_assignment_is_refused(world):
    other = course(world["index"], "psychopathology", lessons=1)
    assignment = make_assignment(other)
    with pytest.raises(ValidationError, match="another course"):
        services.submission_create(
            assignment=assignment, enrolment=world["enrolment"], text="x"
        )


def test_second_submission_while_one_waits_is_refused(world):
    submit(world)
    with pytest.raises(ValidationError, match="waiting for the trainer"):
        submit(world, text="Ещё раз")
    assert Submission.objects.count() == 1


def test_no_submission_after_passing_or_not_passing(world):
    grade(world, submit(world))
    with pytest.raises(ValidationError, match="passed this assignment"):
        submit(world)
    second = make_assignment(world["page"], title="Второе")
    first = services.submission_create(
        assignment=second, enrolment=world["enrolment"], text="x"
    )
    grade(world, first, scores=scores(second, 0, 0), decision=SubmissionStatus.FAILED)
    with pytest.raises(ValidationError, match="not passed"):
        services.submission_create(
            assignment=second, enrolment=world["enrolment"], text="y"
        )


# Grading ------------------------------------------------------------------------


def test_total_is_added_up_on_the_server_from_the_rubric(world):
    submission = submit(world)
    result = grade(world, submission, scores=scores(world["assignment"], "1", "4"))
    assert result.total == 5
    assert sorted(result.scores.values()) == [1, 4]
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.PASSED
    entry = AuditEntry.objects.get(action="assignment.grade")
    assert entry.data["total"] == 5
    assert entry.actor == world["trainer"]


@pytest.mark.parametrize(
    "bad",
    [
        "missing",
        "not_a_level",
        "fraction",
        "boolean",
        "word",
        "unknown_criterion",
        "not_a_dict",
    ],
)
def test_grades_outside_the_rubric_are_refused_and_nothing_is_saved(world, bad):
    submission = submit(world)
    first, second = (c["id"] for c in world["assignment"].criteria)
    posted = {
        "missing": {first: 2},
        "not_a_level": {first: 2, second: 3},
        "fraction": {first: 1.5, second: 4},
        "boolean": {first: True, second: 4},
        "word": {first: "abc", second: 4},
        "unknown_criterion": {first: 2, second: 4, "made-up": 1},
        "not_a_dict": [2, 4],
    }[bad]
    with pytest.raises(ValidationError):
        grade(world, submission, scores=posted)
    assert Grade.objects.count() == 0
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED
    assert not Notification.objects.filter(recipient=world["officer"]).exists()


def test_empty_feedback_unknown_decision_and_pass_below_the_mark_are_refused(world):
    submission = submit(world)
    with pytest.raises(ValidationError, match="Write feedback"):
        grade(world, submission, feedback="  ")
    with pytest.raises(ValidationError, match="Choose a decision"):
        grade(world, submission, decision="excellent")
    with pytest.raises(ValidationError, match="not enough to pass"):
        grade(world, submission, points=(1, 2))
    assert Grade.objects.count() == 0


def test_grading_twice_and_grading_by_non_trainers_are_refused(world):
    submission = submit(world)
    with pytest.raises(PermissionDenied):
        grade(world, submission, grader=UserFactory(roles=[Role.OFFICER]))
    with pytest.raises(PermissionDenied):
        grade(world, submission, grader=UserFactory(roles=[Role.ADMINISTRATOR]))
    grade(world, submission)
    with pytest.raises(ValidationError, match="graded already"):
        grade(world, submission, points=(0, 0), decision=SubmissionStatus.FAILED)
    assert Grade.objects.count() == 1


def test_a_trainer_cannot_grade_their_own_work(world):
    world["officer"].groups.add(*world["trainer"].groups.all())
    submission = submit(world)
    with pytest.raises(PermissionDenied):
        grade(world, submission, grader=world["officer"])


def test_resubmission_flow_keeps_every_submission_and_grade(world):
    first = submit(world, files=[upload("v1.pdf", PDF)])
    grade(
        world,
        first,
        points=(1, 0),
        decision=SubmissionStatus.RESUBMIT,
        feedback="Добавьте рефлексии.",
    )
    section = selectors.my_learning(world["officer"])
    assert [s.pk for s in section["resubmit"]] == [first.pk]
    second = submit(world, text="Вторая версия")
    assert second.number == 2
    assert selectors.my_learning(world["officer"])["waiting"] == [second]
    grade(world, second, points=(2, 4), feedback="Теперь хорошо.")
    history = selectors.submissions_with_grades(
        assignment=world["assignment"], enrolment=world["enrolment"]
    )
    assert [(s.number, s.status) for s in history] == [
        (2, SubmissionStatus.PASSED),
        (1, SubmissionStatus.RESUBMIT),
    ]
    assert [g.feedback for s in history for g in s.grades.all()] == [
        "Теперь хорошо.",
        "Добавьте рефлексии.",
    ]
    assert first.files.count() == 1
    section = selectors.my_learning(world["officer"])
    assert section["resubmit"] == [] and section["waiting"] == []
    assert [g.total for g in section["recent_grades"]] == [6, 1]


def test_completion_waits_until_the_assignment_is_passed(world):
    enrolment = world["enrolment"]
    course_services.lesson_complete(
        enrolment=enrolment, lesson=lessons_of(world["page"])[0]
    )
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACTIVE
    submission = submit(world)
    grade(world, submission, points=(0, 2), decision=SubmissionStatus.RESUBMIT)
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACTIVE
    grade(world, submit(world, text="Исправлено"))
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.COMPLETED
    assert enrolment.certificates.count() == 1


def test_assignments_of_every_language_version_count(world):
    enrolment = world["enrolment"]
    world["assignment"].delete()
    assert assignments_passed(enrolment=enrolment)
    translate(world["index"].get_parent(), "kk")
    translate(world["index"], "kk")
    kazakh = translate(world["page"], "kk")
    assignment = make_assignment(kazakh)
    assert not assignments_passed(enrolment=enrolment)
    submission = services.submission_create(
        assignment=assignment, enrolment=enrolment, text="Жұмысым"
    )
    grade(world, submission, scores=scores(assignment, 2, 4))
    assert assignments_passed(enrolment=enrolment)


def test_the_officer_is_told_in_their_language_with_a_link(world):
    world["officer"].preferred_language = "kk"
    world["officer"].save(update_fields=["preferred_language"])
    grade(world, submit(world))
    notification = Notification.objects.get(recipient=world["officer"])
    assert notification.url == f"/kk/learning/assignments/{world['assignment'].pk}/"


def test_a_pass_mark_above_the_rubrics_maximum_is_refused(world):
    with pytest.raises(ValidationError):
        make_assignment(world["page"], pass_mark=7)


# Pages --------------------------------------------------------------------------


def test_the_officer_submits_from_the_page_and_a_bad_file_keeps_the_text(client, world):
    client.force_login(world["officer"])
    url = reverse("courses:assignment_detail", args=[world["assignment"].pk])
    response = client.post(
        url,
        {"text": "Моя длинная расшифровка", "files": [upload("x.png", b"nope")]},
    )
    assert response.status_code == 400
    assert "Моя длинная расшифровка" in response.content.decode()
    assert "is not a PNG image" in response.content.decode()
    assert Submission.objects.count() == 0
    response = client.post(
        url, {"text": "Моя расшифровка", "files": [upload("a.pdf", PDF)]}
    )
    assert response.status_code == 302
    assert Submission.objects.get().files.count() == 1
    response = client.post(url, {"text": "Ещё"})
    assert response.status_code == 302
    assert Submission.objects.count() == 1


def test_the_trainer_grades_from_the_page_and_a_posted_total_is_ignored(client, world):
    submission = submit(world)
    first, second = world["assignment"].criteria
    client.force_login(world["trainer"])
    url = reverse("courses:submission_grade", args=[submission.pk])
    page_html = client.get(url).content.decode()
    assert "Сложные (4 points)" in page_html
    bad = client.post(
        url,
        {
            f"criterion-{first['id']}": "2",
            f"criterion-{second['id']}": "3",
            "feedback": "Хорошо",
            "decision": "passed",
        },
    )
    assert bad.status_code == 400
    assert Grade.objects.count() == 0
    response = client.post(
        url,
        {
            f"criterion-{first['id']}": "1",
            f"criterion-{second['id']}": "4",
            "feedback": "Хорошо",
            "decision": "passed",
            "total": "999",
        },
    )
    assert response.status_code == 302
    assert Grade.objects.get().total == 5


def test_my_learning_shows_the_assignment_to_do(client, world):
    client.force_login(world["officer"])
    response = client.get(reverse("courses:my_learning"))
    assert world["assignment"].title in response.content.decode()


# Access -------------------------------------------------------------------------

ANONYMOUS, OWNER, OTHER = "anonymous", "owner", "other officer"
WHO = [ANONYMOUS, OWNER, OTHER, Role.TRAINER, Role.ADMINISTRATOR]
READERS = {OWNER, Role.TRAINER, Role.ADMINISTRATOR}
STAFF = {Role.TRAINER, Role.ADMINISTRATOR}


@pytest.mark.parametrize("who", WHO, ids=str)
def test_every_assignment_url_with_every_role(client, world, who):
    submission = submit(world, files=[upload("a.pdf", PDF)])
    stored = submission.files.get()
    user = {
        ANONYMOUS: None,
        OWNER: world["officer"],
        OTHER: UserFactory(roles=[Role.OFFICER]),
        Role.TRAINER: world["trainer"],
        Role.ADMINISTRATOR: UserFactory(roles=[Role.ADMINISTRATOR]),
    }[who]
    if user is not None:
        client.force_login(user)
    urls = {
        reverse("courses:assignment_list", args=[world["page"].pk]): READERS,
        reverse("courses:assignment_detail", args=[world["assignment"].pk]): READERS,
        reverse("courses:assignment_grading_queue"): STAFF,
        reverse("courses:submission_grade", args=[submission.pk]): STAFF,
        reverse("courses:submission_file", args=[stored.pk]): READERS,
        reverse("assignments:index"): STAFF,
        reverse("assignments:edit", args=[world["assignment"].pk]): {Role.TRAINER},
    }
    wrong = []
    for url, allowed in urls.items():
        status = client.get(url).status_code
        if who in allowed and status != 200:
            wrong.append(f"{url}: {status}, expected 200")
        if who not in allowed and status not in (302, 403, 404):
            wrong.append(f"{url}: {status}, expected a refusal")
    assert wrong == []


@pytest.mark.parametrize("who", [ANONYMOUS, OTHER, Role.ADMINISTRATOR], ids=str)
def test_only_the_owner_submits_and_only_trainers_grade(client, world, who):
    submission = submit(world)
    user = {
        ANONYMOUS: None,
        OTHER: UserFactory(roles=[Role.OFFICER]),
        Role.ADMINISTRATOR: UserFactory(roles=[Role.ADMINISTRATOR]),
    }[who]
    if user is not None:
        client.force_login(user)
    first, second = world["assignment"].criteria
    client.post(
        reverse("courses:submission_grade", args=[submission.pk]),
        {
            f"criterion-{first['id']}": "2",
            f"criterion-{second['id']}": "4",
            "feedback": "ok",
            "decision": "passed",
        },
    )
    other = make_assignment(world["page"], title="Второе")
    client.post(reverse("courses:assignment_detail", args=[other.pk]), {"text": "x"})
    assert Grade.objects.count() == 0
    assert Submission.objects.count() == 1


def test_grading_queue_queries_do_not_grow_with_submissions(client, world):
    client.force_login(world["trainer"])
    url = reverse("courses:assignment_grading_queue")

    def add_submissions(count):
        for _n in range(count):
            officer = UserFactory(roles=[Role.OFFICER])
            enrolment = course_services.enrolment_create(
                user=officer, course=world["page"]
            )
            services.submission_create(
                assignment=world["assignment"],
                enrolment=enrolment,
                text="x",
                files=[upload("a.pdf", PDF)],
            )

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    add_submissions(2)
    small = count()
    add_submissions(18)
    assert Submission.objects.count() == 20
    assert count() == small
