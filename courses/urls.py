from django.urls import include, path

from courses import views

app_name = "courses"

urlpatterns = [
    path("learning/", views.my_learning, name="my_learning"),
    path("learning/catalogue/", views.catalogue, name="catalogue"),
    path("learning/courses/<int:course_id>/enrol/", views.enrol, name="enrol"),
    path("learning/courses/<int:course_id>/leave/", views.withdraw, name="withdraw"),
    path("learning/courses/<int:course_id>/quiz/", views.quiz_start, name="quiz_start"),
    path(
        "learning/lessons/<int:lesson_id>/done/", views.lesson_done, name="lesson_done"
    ),
    path(
        "learning/lessons/<int:lesson_id>/reflections/<str:block_id>/",
        views.reflection_save,
        name="reflection_save",
    ),
    path(
        "learning/lessons/<int:lesson_id>/checks/<str:block_id>/",
        views.knowledge_check,
        name="knowledge_check",
    ),
    path("learning/attempts/<int:pk>/", views.attempt, name="attempt"),
    path(
        "learning/attempts/<int:pk>/answers/<int:position>/",
        views.answer_save,
        name="answer_save",
    ),
    path(
        "learning/attempts/<int:pk>/submit/",
        views.attempt_submit,
        name="attempt_submit",
    ),
    path(
        "learning/attempts/<int:pk>/review/",
        views.attempt_review,
        name="attempt_review",
    ),
    path("learning/grading/", views.grading_list, name="grading_list"),
    path("learning/grading/<int:pk>/", views.grading_attempt, name="grading_attempt"),
    path(
        "learning/certificates/<str:code>/download/",
        views.certificate_download,
        name="certificate_download",
    ),
    path("", include("courses.training.assignments.urls")),
    path("", include("courses.training.sessions.urls")),
    path("", include("courses.training.paths.urls")),
    path("", include("courses.training.compliance.urls")),
    path("certificates/", views.certificate_check, name="certificate_check"),
    path(
        "certificates/<str:code>/",
        views.certificate_verify,
        name="certificate_verify",
    ),
]
