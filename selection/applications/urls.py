"""Addresses of the public vacancies pages, the candidate's own data and the
application as the panel sees it."""

from django.urls import path

from selection.applications import views

urlpatterns = [
    path("vacancies/", views.vacancy_list, name="vacancies"),
    path("vacancies/<slug:reference>/", views.vacancy_detail, name="vacancy"),
    path("vacancies/<slug:reference>/apply/", views.apply, name="apply"),
    path("vacancies/<slug:reference>/applied/", views.applied, name="applied"),
    path("vacancies/my-data/<str:token>/", views.my_data, name="my_data"),
    path(
        "selection/applications/<int:pk>/",
        views.application_detail,
        name="application",
    ),
    path(
        "selection/applications/<int:pk>/cv/",
        views.application_cv,
        name="application_cv",
    ),
]
