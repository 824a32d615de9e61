"""Included by courses.urls inside app_name "courses": names are
courses:assignment_* and courses:submission_*."""

from django.urls import path

from courses.training.assignments import views

urlpatterns = [
    path(
        "learning/courses/<int:course_id>/assignments/",
        views.assignment_list,
        name="assignment_list",
    ),
    path(
        "learning/assignments/grading/",
        views.grading_queue,
        name="assignment_grading_queue",
    ),
    path(
        "learning/assignments/<int:pk>/",
        views.assignment_detail,
        name="assignment_detail",
    ),
    path(
        "learning/submissions/<int:pk>/grade/",
        views.submission_grade,
        name="submission_grade",
    ),
    path(
        "learning/submissions/files/<int:pk>/",
        views.submission_file,
        name="submission_file",
    ),
]
