from django.urls import path

from selection.reports import views

urlpatterns = [
    path(
        "selection/vacancies/<int:pk>/reports/",
        views.vacancy_reports,
        name="reports",
    ),
    path(
        "selection/vacancies/<int:pk>/reports/csv/",
        views.vacancy_reports_csv,
        name="reports_csv",
    ),
]
