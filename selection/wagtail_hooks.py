"""Selection in the Wagtail admin: the "Selection" menu (procedures, stages,
vacancies) and the vacancy and procedure actions behind confirmation pages."""

from django.urls import path
from wagtail import hooks

from selection.design import views
from selection.design.viewsets import SelectionGroup


@hooks.register("register_admin_viewset")
def register_selection():
    return SelectionGroup()


@hooks.register("register_admin_urls")
def register_selection_admin_urls():
    return [
        path(
            "selection/vacancies/<int:pk>/open/",
            views.vacancy_open,
            name="selection_vacancy_open",
        ),
        path(
            "selection/vacancies/<int:pk>/start-assessment/",
            views.vacancy_start_assessment,
            name="selection_vacancy_start_assessment",
        ),
        path(
            "selection/vacancies/<int:pk>/close/",
            views.vacancy_close,
            name="selection_vacancy_close",
        ),
        path(
            "selection/vacancies/<int:pk>/assessors/",
            views.vacancy_assessors,
            name="selection_vacancy_assessors",
        ),
        path(
            "selection/procedures/<int:pk>/copy-with-stages/",
            views.procedure_copy,
            name="selection_procedure_copy",
        ),
    ]
