from django.urls import path

from courses.training.paths import views

urlpatterns = [
    path("learning/paths/", views.path_list, name="path_list"),
    path("learning/paths/<int:pk>/", views.path_detail, name="path_detail"),
    path("learning/paths/<int:pk>/enrol/", views.path_enrol, name="path_enrol"),
    path("learning/cpd/", views.cpd_record, name="cpd_record"),
    path("learning/cpd/pdf/", views.cpd_pdf, name="cpd_pdf"),
    path("learning/cpd/<int:user_id>/", views.cpd_record, name="cpd_officer"),
    path("learning/cpd/<int:user_id>/pdf/", views.cpd_pdf, name="cpd_officer_pdf"),
]
