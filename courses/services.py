"""Writes of the courses module: enrolment, progress, quiz attempts, grading and
certificates. Views, admin views, tasks and seed_demo all call these."""

import random
import secrets
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courses.models import (
    AttemptQuestion,
    AttemptStatus,
    Certificate,
    CoursePage,
    Enrolment,
    EnrolmentStatus,
    LessonPage,
    LessonProgress,
    QuestionKind,
    QuizAttempt,
    QuizQuestion,
    Reflection,
)
from courses.training.assignments.services import assignments_passed
from courses.training.sessions.services import session_attended
from lms.audit import audit_record
from lms.services import notification_send

MAX_WRITTEN_ANSWER = 5000
_random = random.SystemRandom()


class QuizClosed(ValidationError):
    """The attempt takes no more answers: submitted, or out of time."""


# Enrolment and progress ---------------------------------------------------------


def missing_prerequisites(*, user, course: CoursePage) -> list[CoursePage]:
    """The prerequisite courses the officer has not completed yet."""
    required = list(course.prerequisites.all())
    if not required:
        return []
    completed = set(
        Enrolment.objects.completed()
        .filter(user=user, course_key__in=[page.translation_key for page in required])
        .values_list("course_key", flat=True)
    )
    return [page for page in required if page.translation_key not in completed]


@transaction.atomic
def enrolment_create(*, user, course: CoursePage) -> Enrolment:
    """Enrol an officer; enrolling again is harmless, and a withdrawn officer
    comes back to their earlier progress. Prerequisites must be completed."""
    if not course.live:
        raise ValidationError(_("This course is not open for enrolment."))
    enrolment = (
        Enrolment.objects.select_for_update()
        .filter(user=user, course_key=course.translation_key)
        .first()
    )
    if enrolment is not None and enrolment.status != EnrolmentStatus.WITHDRAWN:
        return enrolment
    missing = missing_prerequisites(user=user, course=course)
    if missing:
        titles = ", ".join(f"«{page.localized.title}»" for page in missing)
        raise ValidationError(
            _("Complete these courses before you enrol: %(titles)s.")
            % {"titles": titles}
        )
    if enrolment is None:
        enrolment = Enrolment(
            user=user,
            course=course,
            course_key=course.translation_key,
            course_title=course.title,
        )
    else:
        enrolment.status = EnrolmentStatus.ACTIVE
        enrolment.withdrawn_at = None
        enrolment.enrolled_at = timezone.now()
    enrolment.full_clean()
    enrolment.save()
    return enrolment


@transaction.atomic
def enrolment_withdraw(*, enrolment: Enrolment) -> Enrolment:
    if enrolment.status != EnrolmentStatus.ACTIVE:
        raise ValidationError(_("Only a course in progress can be left."))
    Enrolment.objects.select_for_update().filter(pk=enrolment.pk).first()
    QuizAttempt.objects.filter(
        enrolment=enrolment, status=AttemptStatus.IN_PROGRESS
    ).update(status=AttemptStatus.GRADED, submitted_at=timezone.now(), passed=False)
    enrolment.status = EnrolmentStatus.WITHDRAWN
    enrolment.withdrawn_at = timezone.now()
    enrolment.save(update_fields=["status", "withdrawn_at"])
    return enrolment


def course_lessons(course: CoursePage):
    return LessonPage.objects.live().child_of(course).order_by("path")


@transaction.atomic
def lesson_visit(*, enrolment: Enrolment, lesson: LessonPage) -> None:
    """Remember where the officer is, so that they resume there another day."""
    if enrolment.last_lesson_key != lesson.translation_key:
        enrolment.last_lesson_key = lesson.translation_key
        enrolment.save(update_fields=["last_lesson_key"])


@transaction.atomic
def lesson_complete(*, enrolment: Enrolment, lesson: LessonPage) -> LessonProgress:
    if enrolment.status == EnrolmentStatus.WITHDRAWN:
        raise ValidationError(_("You left this course. Enrol again to continue."))
    progress, _created = LessonProgress.objects.get_or_create(
        enrolment=enrolment, lesson_key=lesson.translation_key
    )
    enrolment_check_completion(enrolment=enrolment)
    return progress


@transaction.atomic
def reflection_save(
    *, user, lesson: LessonPage, block_id: str, text: str
) -> Reflection:
    block = lesson.block(block_id, "reflection")
    if block is None:
        raise ValidationError(_("This reflection question is not on the lesson."))
    text = text.strip()
    if not text:
        raise ValidationError(_("Write your answer before saving it."))
    reflection, _created = Reflection.objects.update_or_create(
        user=user,
        lesson_key=lesson.translation_key,
        block_id=block_id,
        defaults={"text": text, "prompt": block.value["prompt"]},
    )
    reflection.full_clean()
    return reflection


def lessons_done_keys(enrolment: Enrolment) -> set:
    return set(enrolment.lessons_done.values_list("lesson_key", flat=True))


def course_lessons_done(*, enrolment: Enrolment, course: CoursePage) -> bool:
    required = set(course_lessons(course).values_list("translation_key", flat=True))
    return required <= lessons_done_keys(enrolment)


@transaction.atomic
def enrolment_check_completion(*, enrolment: Enrolment) -> bool:
    """Complete the course when its rule is met: every lesson done; when the
    course has a quiz, an attempt passed; every assignment passed; and, for a
    classroom or blended course, a session attended. Completing issues the
    certificate."""
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.status != EnrolmentStatus.ACTIVE or enrolment.course is None:
        return enrolment.is_complete
    course = enrolment.course
    if not course_lessons_done(enrolment=enrolment, course=course):
        return False
    if course.has_quiz and not enrolment.attempts.filter(passed=True).exists():
        return False
    if not assignments_passed(enrolment=enrolment):
        return False
    if not session_attended(enrolment=enrolment):
        return False
    enrolment.status = EnrolmentStatus.COMPLETED
    enrolment.completed_at = timezone.now()
    enrolment.cpd_hours = course.cpd_hours
    enrolment.save(update_fields=["status", "completed_at", "cpd_hours"])
    certificate_issue(enrolment=enrolment)
    return True


# Quizzes ------------------------------------------------------------------------


def attempts_left(*, enrolment: Enrolment, course: CoursePage) -> int | None:
    """None when the course sets no limit."""
    if not course.attempt_limit:
        return None
    used = enrolment.attempts.count()
    return max(course.attempt_limit - used, 0)


def _snapshot(question, position: int) -> AttemptQuestion:
    item = AttemptQuestion(
        position=position,
        question=question,
        kind=question.kind,
        text=question.text,
        points=question.points,
        feedback=question.feedback,
    )
    if question.kind == QuestionKind.MATCHING:
        pairs = question.pairs
        choice_ids = {pair["id"]: secrets.token_hex(6) for pair in pairs}
        items = [{"id": pair["id"], "text": pair["prompt"]} for pair in pairs]
        choices = [{"id": choice_ids[p["id"]], "text": p["match"]} for p in pairs]
        _random.shuffle(items)
        _random.shuffle(choices)
        item.options, item.choices = items, choices
        item.key = {pair["id"]: choice_ids[pair["id"]] for pair in pairs}
    elif question.kind != QuestionKind.SHORT:
        options = question.options
        if question.kind != QuestionKind.TRUE_FALSE:
            _random.shuffle(options)
        item.options = [{"id": o["id"], "text": o["text"]} for o in options]
        item.key = {
            o["id"]: {"correct": bool(o["correct"]), "feedback": o["feedback"]}
            for o in options
        }
    return item


@transaction.atomic
def attempt_start(*, enrolment: Enrolment, course: CoursePage) -> QuizAttempt:
    """Open an attempt with N questions drawn at random from the course's bank,
    or return the attempt already open."""
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    open_attempt = enrolment.attempts.filter(status=AttemptStatus.IN_PROGRESS).first()
    if open_attempt is not None:
        if not open_attempt.time_is_up():
            return open_attempt
        attempt_submit(attempt=open_attempt)
    if enrolment.status == EnrolmentStatus.WITHDRAWN:
        raise ValidationError(_("You left this course. Enrol again to continue."))
    if not course.has_quiz:
        raise ValidationError(_("This course has no quiz."))
    if enrolment.attempts.filter(passed=True).exists():
        raise ValidationError(_("You have passed this quiz already."))
    if not course_lessons_done(enrolment=enrolment, course=course):
        raise ValidationError(_("Finish every lesson before you take the quiz."))
    if attempts_left(enrolment=enrolment, course=course) == 0:
        raise ValidationError(_("You have used every attempt this quiz allows."))
    bank = [question for question in course.questions.all() if question.is_active]
    if len(bank) < course.quiz_question_count:
        raise ValidationError(_("The quiz is not ready yet. Please tell your trainer."))
    drawn = _random.sample(bank, course.quiz_question_count)
    now = timezone.now()
    attempt = QuizAttempt(
        enrolment=enrolment,
        course=course,
        number=enrolment.attempts.count() + 1,
        language=course.locale.language_code,
        started_at=now,
        deadline=(
            now + timezone.timedelta(minutes=course.time_limit_minutes)
            if course.time_limit_minutes
            else None
        ),
        pass_mark=course.pass_mark,
        points_possible=sum(question.points for question in drawn),
    )
    attempt.full_clean()
    attempt.save()
    items = [_snapshot(question, n) for n, question in enumerate(drawn, start=1)]
    for item in items:
        item.attempt = attempt
    AttemptQuestion.objects.bulk_create(items)
    return attempt


def _clean_response(item: AttemptQuestion, data: dict) -> dict:
    """Check an answer against the question as drawn; refuse anything else."""
    option_ids = {option["id"] for option in item.options}
    wrong_option = _("This answer names an option that is not part of the question.")
    if item.kind in (QuestionKind.SINGLE, QuestionKind.TRUE_FALSE):
        chosen = data.get("option")
        if not isinstance(chosen, str) or chosen not in option_ids:
            raise ValidationError(wrong_option)
        return {"option": chosen}
    if item.kind == QuestionKind.MULTIPLE:
        chosen = data.get("options")
        if not isinstance(chosen, list) or not all(isinstance(c, str) for c in chosen):
            raise ValidationError(wrong_option)
        if not set(chosen) <= option_ids:
            raise ValidationError(wrong_option)
        return {"options": sorted(set(chosen))}
    if item.kind == QuestionKind.MATCHING:
        matches = data.get("matches")
        choice_ids = {choice["id"] for choice in item.choices}
        # A list or an object where a choice id belongs is refused, not hashed.
        if not isinstance(matches, dict) or not all(
            key in option_ids
            and isinstance(value, str)
            and (value in choice_ids or value == "")
            for key, value in matches.items()
        ):
            raise ValidationError(wrong_option)
        return {"matches": {k: v for k, v in matches.items() if v}}
    text = data.get("text")
    if not isinstance(text, str):
        raise ValidationError(_("Write your answer as text."))
    if len(text) > MAX_WRITTEN_ANSWER:
        raise ValidationError(
            _("Keep your answer under %(limit)s characters.")
            % {"limit": MAX_WRITTEN_ANSWER}
        )
    return {"text": text}


def answer_save(
    *, attempt: QuizAttempt, position: int, data: dict, seq: int
) -> AttemptQuestion:
    """Save one answer as it is given. Saves are numbered by the browser: the
    same save arriving twice is recorded once, and an older save arriving after
    a newer one changes nothing. A save after the time limit submits the
    attempt with the answers saved before, and raises QuizClosed."""
    with transaction.atomic():
        attempt = QuizAttempt.objects.select_for_update().get(pk=attempt.pk)
        if not attempt.is_open:
            raise QuizClosed(
                _("This attempt has been submitted; it takes no more answers.")
            )
        if not attempt.time_is_up():
            return _answer_store(attempt, position, data, seq)
        attempt_submit(attempt=attempt)
    # Raised once the submission is committed: raised inside the atomic block,
    # it would roll the submission back and leave the attempt open.
    raise QuizClosed(
        _("The time for this attempt is over. Your saved answers were submitted.")
    )


def _answer_store(
    attempt: QuizAttempt, position: int, data: dict, seq: int
) -> AttemptQuestion:
    item = attempt.items.filter(position=position).first()
    if item is None:
        raise ValidationError(_("This question is not part of your attempt."))
    response = _clean_response(item, data)
    if seq <= item.response_seq:
        return item
    item.response = response
    item.response_seq = seq
    item.answered_at = timezone.now()
    item.save(update_fields=["response", "response_seq", "answered_at"])
    return item


def _points(item: AttemptQuestion) -> Decimal | None:
    """Points for an answer, graded on the server; None for a written answer."""
    response = item.response or {}
    if item.kind == QuestionKind.SHORT:
        return None if response.get("text", "").strip() else Decimal(0)
    if item.kind in (QuestionKind.SINGLE, QuestionKind.TRUE_FALSE):
        key = item.key.get(response.get("option"), {})
        fraction = Decimal(1 if key.get("correct") else 0)
    elif item.kind == QuestionKind.MULTIPLE:
        chosen = set(response.get("options", []))
        right = {oid for oid, key in item.key.items() if key["correct"]}
        wrong = set(item.key) - right
        fraction = Decimal(len(chosen & right)) / len(right)
        if wrong:
            fraction -= Decimal(len(chosen & wrong)) / len(wrong)
        fraction = max(fraction, Decimal(0))
    else:
        matches = response.get("matches", {})
        hits = sum(1 for k, v in item.key.items() if matches.get(k) == v)
        fraction = Decimal(hits) / len(item.key)
    return (fraction * item.points).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _finalise(attempt: QuizAttempt) -> None:
    items = list(attempt.items.all())
    if any(item.awarded is None for item in items):
        attempt.status = AttemptStatus.AWAITING_GRADING
        attempt.save(update_fields=["status", "submitted_at"])
        return
    awarded = sum((item.awarded for item in items), Decimal(0))
    possible = attempt.points_possible or Decimal(1)
    attempt.points_awarded = awarded
    attempt.score = (awarded * 100 / possible).quantize(Decimal("0.1"), ROUND_HALF_UP)
    attempt.passed = attempt.score >= attempt.pass_mark
    attempt.status = AttemptStatus.GRADED
    attempt.save(
        update_fields=["status", "submitted_at", "points_awarded", "score", "passed"]
    )
    if attempt.passed:
        enrolment_check_completion(enrolment=attempt.enrolment)


@transaction.atomic
def attempt_submit(*, attempt: QuizAttempt) -> QuizAttempt:
    """Grade an attempt. Submitting twice grades it once."""
    attempt = QuizAttempt.objects.select_for_update().get(pk=attempt.pk)
    if not attempt.is_open:
        return attempt
    now = timezone.now()
    attempt.submitted_at = min(now, attempt.deadline) if attempt.deadline else now
    items = list(attempt.items.all())
    for item in items:
        item.awarded = _points(item)
    AttemptQuestion.objects.bulk_update(items, ["awarded"])
    _finalise(attempt)
    if attempt.status == AttemptStatus.AWAITING_GRADING:
        audit_record(action="courses.attempt_submitted", obj=attempt)
    return attempt


def attempts_close_expired() -> int:
    """Submit attempts whose time ran out while the officer was away."""
    closed = 0
    for attempt_id in QuizAttempt.objects.expired().values_list("pk", flat=True):
        attempt_submit(attempt=QuizAttempt(pk=attempt_id))
        closed += 1
    return closed


@transaction.atomic
def written_answer_grade(
    *, item: AttemptQuestion, points: Decimal, comment: str, grader
) -> AttemptQuestion:
    """A trainer grades a written answer; the attempt's score follows once every
    written answer of it is graded."""
    item = AttemptQuestion.objects.select_for_update().get(pk=item.pk)
    attempt = QuizAttempt.objects.select_for_update().get(pk=item.attempt_id)
    if item.kind != QuestionKind.SHORT:
        raise ValidationError(_("Only written answers are graded by a trainer."))
    if attempt.status == AttemptStatus.IN_PROGRESS:
        raise ValidationError(_("The officer has not submitted this attempt yet."))
    if not Decimal(0) <= points <= item.points:
        raise ValidationError(
            _("Give between 0 and %(max)s points.") % {"max": item.points}
        )
    if item.graded_at is not None or attempt.status == AttemptStatus.GRADED:
        raise ValidationError(_("This answer has been graded already."))
    item.awarded = points
    item.grader_comment = comment.strip()
    item.graded_by = grader
    item.graded_at = timezone.now()
    item.save(update_fields=["awarded", "grader_comment", "graded_by", "graded_at"])
    audit_record(
        action="courses.answer_graded",
        actor=grader,
        obj=attempt,
        data={"position": item.position, "points": str(points)},
    )
    _finalise(attempt)
    if attempt.status == AttemptStatus.GRADED:
        enrolment = attempt.enrolment
        notification_send(
            recipient=enrolment.user,
            subject=gettext_lazy("Your quiz has been graded"),
            body=gettext_lazy("A trainer has graded your written answers."),
            url=reverse("courses:attempt_review", args=[attempt.pk]),
        )
    return item


def require_own_attempt(*, attempt: QuizAttempt, user) -> None:
    if attempt.enrolment.user_id != user.pk:
        raise PermissionDenied(_("This attempt belongs to someone else."))


# Certificates -------------------------------------------------------------------


def _course_title(course_key, language: str, fallback: str) -> str:
    page = CoursePage.objects.filter(
        translation_key=course_key, locale__language_code=language
    ).first()
    return page.title if page else fallback


@transaction.atomic
def certificate_issue(*, enrolment: Enrolment) -> Certificate:
    """Issue the certificate of a completed course, in the officer's language;
    the PDF is drawn by a Celery task."""
    user = enrolment.user
    language = user.preferred_language or settings.LANGUAGE_CODE
    today = timezone.localdate()
    course = enrolment.course
    months = course.certificate_validity_months if course else None
    certificate = Certificate(
        enrolment=enrolment,
        user=user,
        full_name=user.get_full_name() or user.get_username(),
        course_key=enrolment.course_key,
        course_title=_course_title(
            enrolment.course_key, language, enrolment.course_title
        ),
        cpd_hours=enrolment.cpd_hours or 0,
        language=language,
        issued_on=today,
        valid_until=today + relativedelta(months=months) if months else None,
    )
    certificate.full_clean()
    certificate.save()
    audit_record(action="courses.certificate_issued", actor=user, obj=certificate)

    from courses.tasks import certificate_render

    transaction.on_commit(lambda: certificate_render.delay(certificate.pk))
    return certificate


def certificate_verify_url(certificate: Certificate) -> str:
    with translation.override(certificate.language):
        path = reverse("courses:certificate_verify", args=[certificate.code])
    return settings.SITE_URL.rstrip("/") + path


@transaction.atomic
def certificate_render(*, certificate_id: int) -> None:
    """Draw a certificate's PDF once, then tell the officer it is ready."""
    from courses.certificates import CertificateContent, certificate_pdf

    certificate = (
        Certificate.objects.select_for_update().filter(pk=certificate_id).first()
    )
    if certificate is None or certificate.pdf:
        return
    content = CertificateContent(
        full_name=certificate.full_name,
        course_title=certificate.course_title,
        issued_on=certificate.issued_on,
        valid_until=certificate.valid_until,
        cpd_hours=certificate.cpd_hours,
        code=certificate.code,
        verify_url=certificate_verify_url(certificate),
        language=certificate.language,
    )
    certificate.pdf.save(
        f"{certificate.code}.pdf", ContentFile(certificate_pdf(content)), save=False
    )
    certificate.save(update_fields=["pdf"])
    notification_send(
        recipient=certificate.user,
        subject=gettext_lazy("Your certificate is ready"),
        body=gettext_lazy("You can download it from My learning."),
        url=reverse("courses:my_learning"),
    )


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, by, reason: str) -> Certificate:
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the certificate is revoked."))
    if certificate.revoked_at:
        raise ValidationError(_("This certificate has been revoked already."))
    certificate.revoked_at = timezone.now()
    certificate.revoked_by = by
    certificate.revocation_reason = reason
    certificate.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
    audit_record(
        action="courses.certificate_revoked",
        actor=by,
        obj=certificate,
        data={"reason": reason},
    )
    notification_send(
        recipient=certificate.user,
        subject=gettext_lazy("A certificate of yours was revoked"),
        url=certificate.get_absolute_url(),
    )
    return certificate


# Question bank import -----------------------------------------------------------


@dataclass
class ImportReport:
    imported: list
    refused: list
    revision: object | None


@transaction.atomic
def question_bank_import(
    *, course: CoursePage, filename: str, data: bytes, user
) -> ImportReport:
    """Add the questions of a Moodle XML or GIFT file to a course's bank, as a
    new draft of the course for the trainer to review and publish. Questions
    already in the bank (same text) are refused rather than doubled."""
    from courses.importers import Refusal, parse_question_file

    with translation.override(course.locale.language_code):
        result = parse_question_file(
            filename, data, true_label=_("True"), false_label=_("False")
        )
        # From the database: the caller's page may not know of a draft saved
        # since it was loaded (an earlier import), and building on the live
        # page would drop that draft's questions.
        draft = CoursePage.objects.get(pk=course.pk).get_latest_revision_as_object()
        known = {question.text.strip().casefold() for question in draft.questions.all()}
        imported, refused = [], list(result.refused)
        for number, parsed in result.questions:
            if parsed.text.strip().casefold() in known:
                refused.append(
                    Refusal(
                        number=number,
                        name=parsed.name,
                        reason=_("The bank has this question already."),
                    )
                )
                continue
            known.add(parsed.text.strip().casefold())
            question = QuizQuestion(
                locale_id=course.locale_id,
                kind=parsed.kind,
                text=parsed.text,
                feedback=parsed.feedback,
                source=filename[:200],
                body=[
                    (
                        "option",
                        {
                            "text": o.text[:500],
                            "correct": o.correct,
                            "feedback": o.feedback,
                        },
                    )
                    for o in parsed.options
                ]
                + [
                    ("pair", {"prompt": p.prompt[:300], "match": p.match[:300]})
                    for p in parsed.pairs
                ],
            )
            try:
                question.clean()
            except ValidationError as error:
                refused.append(
                    Refusal(number=number, name=parsed.name, reason=error.messages[0])
                )
                continue
            draft.questions.add(question)
            imported.append((number, question))
    refused.sort(key=lambda refusal: refusal.number)
    revision = None
    if imported:
        revision = draft.save_revision(user=user, log_action=True)
    audit_record(
        action="courses.questions_imported",
        actor=user,
        obj=course,
        data={
            "file": filename[:200],
            "imported": len(imported),
            "refused": len(refused),
        },
    )
    return ImportReport(imported=imported, refused=refused, revision=revision)
