"""Included by selection.urls inside app_name "selection": the panel's pages."""

from django.urls import path

from selection.panel import views

VACANCY = "selection/vacancies/<int:pk>/"
STAGE = VACANCY + "stages/<int:stage_pk>/"

urlpatterns = [
    path(VACANCY, views.panel, name="panel"),
    path(STAGE, views.panel_stage, name="panel_stage"),
    path(STAGE + "close/", views.round_close, name="round_close"),
    path(
        STAGE + "candidates/<int:application_pk>/consensus/",
        views.consensus,
        name="consensus",
    ),
    path(STAGE + "complete/", views.stage_complete, name="stage_complete"),
    path(VACANCY + "ranking/", views.ranking, name="ranking"),
    path(
        VACANCY + "candidates/<int:application_pk>/decide/",
        views.decide,
        name="decide",
    ),
    path(
        VACANCY + "candidates/<int:application_pk>/officer-account/",
        views.officer_account,
        name="officer_account",
    ),
]
