"""Demo data of assignments: a practical task with an OARS rubric on the
motivational interviewing course, and the Astana demo officer's transcript
waiting for a trainer's grade. Running it again changes nothing."""

from django.core.files.uploadedfile import SimpleUploadedFile

from courses.models import Assignment, CoursePage, Enrolment, Submission
from courses.training.assignments import services
from lms.models import User

TITLE = "Практическое задание: беседа с клиентом"
BRIEF = (
    "Запишите 10-минутную беседу с клиентом пробации (с его письменного согласия) "
    "или ролевую беседу с коллегой. Расшифруйте её и отметьте в расшифровке:\n"
    "— открытые вопросы (О),\n— аффирмации (А),\n— рефлексии (Р; простые и сложные),\n"
    "— резюме (Рз).\n\n"
    "В конце напишите 5–7 предложений: что получилось, где вы давали советы или "
    "спорили, что сделаете иначе. Не указывайте имя, ИИН и адрес клиента."
)


def _levels(low: str, middle: str, high: str) -> list[dict]:
    return [
        {"descriptor": low, "points": 0},
        {"descriptor": middle, "points": 1},
        {"descriptor": high, "points": 2},
    ]


RUBRIC = [
    (
        "Открытые вопросы",
        _levels(
            "В основном закрытые вопросы; открытых почти нет.",
            "Открытые вопросы есть, но чередуются с цепочками закрытых.",
            "Преобладают открытые вопросы, они приглашают клиента рассказывать.",
        ),
    ),
    (
        "Аффирмации",
        _levels(
            "Аффирмаций нет или это общая похвала («молодец»).",
            "Есть аффирмации, но не всегда конкретные.",
            "Конкретные аффирмации сильных сторон и усилий клиента.",
        ),
    ),
    (
        "Рефлексии",
        _levels(
            "Рефлексий почти нет; сотрудник больше спрашивает и советует.",
            "Простые рефлексии, редко сложные.",
            "На каждый вопрос приходится не меньше двух рефлексий, есть сложные.",
        ),
    ),
    (
        "Резюме",
        _levels(
            "Резюме нет.",
            "Одно резюме в конце беседы.",
            "Резюме связывают сказанное и ведут к следующему шагу.",
        ),
    ),
]

TRANSCRIPT = (
    "Сотрудник: Что для вас сейчас самое важное? (О)\n"
    "Клиент: Работа. Без работы никуда.\n"
    "Сотрудник: Вы хотите снова встать на ноги. (Р)\n"
    "Клиент: Да, ради дочки.\n"
    "Сотрудник: Вы очень заботитесь о ней. (А)\n"
    "...\n"
    "Сотрудник: Итак, работа и дочь для вас главное, и вы готовы сходить в центр "
    "занятости на этой неделе. (Рз)\n\n"
    "Вывод: в начале я два раза давал советы, не спросив разрешения."
)


def seed(stdout) -> None:
    """Idempotent."""
    course = (
        CoursePage.objects.filter(
            locale__language_code="ru", slug__contains="motivational"
        )
        .order_by("pk")
        .first()
    )
    if course is None:
        return
    assignment = Assignment.objects.filter(course=course, title=TITLE).first()
    if assignment is None:
        assignment = Assignment(
            course=course,
            title=TITLE,
            brief=BRIEF,
            rubric=[
                ("criterion", {"name": name, "levels": levels})
                for name, levels in RUBRIC
            ],
            pass_mark=5,
            max_files=3,
        )
        assignment.full_clean()
        assignment.save()
        stdout.write(f"Assignment: {assignment.title}")
    officer = User.objects.filter(username="officer.astana").first()
    if officer is None:
        return
    enrolment = Enrolment.objects.filter(
        user=officer, course_key=course.translation_key
    ).first()
    if enrolment is None or not enrolment.is_active:
        return
    if Submission.objects.filter(assignment=assignment, enrolment=enrolment).exists():
        return
    services.submission_create(
        assignment=assignment,
        enrolment=enrolment,
        text="Расшифровка во вложении; ниже — мой вывод.\n\n" + TRANSCRIPT,
        files=[
            SimpleUploadedFile(
                "расшифровка.txt", TRANSCRIPT.encode(), content_type="text/plain"
            )
        ],
    )
