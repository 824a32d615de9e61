"""Demo data of learning paths: the induction path for new probation officers,
managed by the training department, with the Astana demo officer enrolled."""

from wagtail.models import Locale

from courses.models import CoursePage, LearningPath, LearningPathStep, PathEnrolment
from courses.training.paths.services import path_enrol_cohort
from lms.models import User

INDUCTION = {
    "name_kk": "Пробацияның жаңа қызметкерлеріне арналған бастапқы оқу",
    "name_ru": "Введение в профессию для новых сотрудников пробации",
    "name_en": "Induction for new probation officers",
    "description_kk": (
        "Жұмыстың алғашқы айларында: пробация негіздері, қарым-қатынас, "
        "уәждемелік сұхбат және психопатологияны тану."
    ),
    "description_ru": (
        "Для первых месяцев работы: основы пробации, навыки общения, "
        "мотивационное интервьюирование и распознавание психических расстройств."
    ),
    "description_en": (
        "For the first months in the job: probation basics, communication skills, "
        "motivational interviewing and recognising mental disorders."
    ),
}
COURSES = [
    "introduction-to-probation",
    "communication-skills",
    "motivational-interviewing",
    "psychopathology",
]
OFFICER = "officer.astana"
TRAINER = "trainer.astana"


def seed(stdout) -> None:
    """Idempotent."""
    path = LearningPath.objects.filter(name_en=INDUCTION["name_en"]).first()
    ru = Locale.objects.filter(language_code="ru").first()
    pages = {
        page.slug: page
        for page in CoursePage.objects.live().filter(locale=ru, slug__in=COURSES)
    }
    if path is None:
        if not pages:
            return
        trainer = User.objects.filter(username=TRAINER).first()
        path = LearningPath(**INDUCTION, created_by=trainer)
        path.steps = [
            LearningPathStep(course=pages[slug], sort_order=order)
            for order, slug in enumerate(slug for slug in COURSES if slug in pages)
        ]
        path.full_clean()
        path.save()
    officer = User.objects.filter(username=OFFICER).first()
    trainer = User.objects.filter(username=TRAINER).first()
    if (
        officer is not None
        and trainer is not None
        and not PathEnrolment.objects.filter(path=path, user=officer).exists()
    ):
        path_enrol_cohort(path=path, officers=[officer], by=trainer)
    stdout.write(
        f"Demo learning path: {path.name_en} "
        f"({path.enrolments.count()} officer(s) enrolled)."
    )
