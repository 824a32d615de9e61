from django.urls import path

from selection.scoring import views

urlpatterns = [
    path("selection/", views.home, name="home"),
    path("selection/assignments/<int:pk>/", views.assignment, name="assignment"),
    path(
        "selection/assignments/<int:pk>/declare/",
        views.assignment_declare,
        name="assignment_declare",
    ),
    path(
        "selection/assignments/<int:pk>/submit/",
        views.assignment_submit,
        name="assignment_submit",
    ),
    path("selection/scores/<int:pk>/amend/", views.score_amend, name="score_amend"),
]
