"""Included by courses/urls.py inside app_name "courses": the names are
courses:session, courses:session_*, courses:booking_*."""

from django.urls import path

from courses.training.sessions import views

urlpatterns = [
    path(
        "learning/courses/<int:course_id>/sessions/",
        views.course_sessions,
        name="session_course_list",
    ),
    path("learning/sessions/", views.session_list, name="session_list"),
    path("learning/sessions/new/", views.session_create, name="session_create"),
    path("learning/sessions/<int:pk>/", views.session, name="session"),
    path("learning/sessions/<int:pk>/book/", views.session_book, name="session_book"),
    path(
        "learning/sessions/<int:pk>/attendance/",
        views.session_attendance,
        name="session_attendance",
    ),
    path(
        "learning/bookings/<int:pk>/cancel/",
        views.booking_cancel,
        name="booking_cancel",
    ),
    path(
        "learning/bookings/<int:pk>/calendar.ics",
        views.booking_calendar_file,
        name="booking_calendar",
    ),
]
