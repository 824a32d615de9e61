from django.urls import path

from intervision import views

app_name = "intervision"

urlpatterns = [
    path("intervision/", views.home, name="home"),
    path("intervision/groups/new/", views.group_create, name="group_create"),
    path("intervision/groups/<int:pk>/", views.group, name="group"),
    path("intervision/groups/<int:pk>/edit/", views.group_edit, name="group_edit"),
    path("intervision/groups/<int:pk>/schedule/", views.schedule, name="schedule"),
    path(
        "intervision/groups/<int:pk>/meetings/new/",
        views.meeting_create,
        name="meeting_create",
    ),
    path("intervision/groups/<int:pk>/pledge/", views.pledge, name="pledge"),
    path("intervision/meetings/<int:pk>/", views.meeting, name="meeting"),
    path("intervision/meetings/<int:pk>/respond/", views.respond, name="respond"),
    path(
        "intervision/meetings/<int:pk>/calendar.ics",
        views.meeting_ics,
        name="meeting_ics",
    ),
    path(
        "intervision/meetings/<int:pk>/change/",
        views.meeting_change,
        name="meeting_change",
    ),
    path(
        "intervision/meetings/<int:pk>/cancel/",
        views.meeting_cancel,
        name="meeting_cancel",
    ),
    path("intervision/meetings/<int:pk>/roles/", views.roles, name="roles"),
    path(
        "intervision/meetings/<int:pk>/cases/new/",
        views.case_create,
        name="case_create",
    ),
    path("intervision/cases/<int:pk>/edit/", views.case_edit, name="case_edit"),
    path(
        "intervision/cases/<int:pk>/confirm/", views.case_confirm, name="case_confirm"
    ),
    path("intervision/cases/<int:pk>/choose/", views.case_choose, name="case_choose"),
    path("intervision/meetings/<int:pk>/run/", views.run, name="run"),
    path("intervision/meetings/<int:pk>/minutes/", views.minutes, name="minutes"),
    path(
        "intervision/meetings/<int:pk>/minutes/approve/",
        views.minutes_approve,
        name="minutes_approve",
    ),
    path(
        "intervision/meetings/<int:pk>/minutes/amend/",
        views.minutes_amend,
        name="minutes_amend",
    ),
    path(
        "intervision/meetings/<int:pk>/minutes.pdf",
        views.minutes_download,
        name="minutes_pdf",
    ),
    path("intervision/meetings/<int:pk>/actions/", views.action_add, name="action_add"),
    path("intervision/actions/<int:pk>/done/", views.action_done, name="action_done"),
    path(
        "intervision/meetings/<int:pk>/attendance/",
        views.attendance,
        name="attendance",
    ),
    path("intervision/calendar/", views.calendar, name="calendar"),
]
