from .pages import (
    CourseFormat,
    CourseIndexPage,
    CoursePage,
    LessonPage,
    PathStep,
    QuestionKind,
    QuizQuestion,
)
from .records import (
    AttemptQuestion,
    AttemptStatus,
    Certificate,
    Enrolment,
    EnrolmentStatus,
    LessonProgress,
    QuizAttempt,
    Reflection,
)
from .taxonomy import Topic

__all__ = [
    "AttemptQuestion",
    "AttemptStatus",
    "Certificate",
    "CourseFormat",
    "CourseIndexPage",
    "CoursePage",
    "Enrolment",
    "EnrolmentStatus",
    "LessonPage",
    "LessonProgress",
    "PathStep",
    "QuestionKind",
    "QuizAttempt",
    "QuizQuestion",
    "Reflection",
    "Topic",
]
