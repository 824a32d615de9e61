"""Included by courses/urls.py inside the "courses" namespace."""

from django.urls import path

from courses.training.compliance import views

urlpatterns = [
    path("learning/compliance/", views.matrix, name="compliance_matrix"),
    path("learning/compliance/export/", views.export, name="compliance_export"),
    path(
        "learning/compliance/exports/<int:pk>/",
        views.export_detail,
        name="compliance_export_detail",
    ),
    path(
        "learning/compliance/exports/<int:pk>/status/",
        views.export_status,
        name="compliance_export_status",
    ),
    path(
        "learning/compliance/exports/<int:pk>/download/",
        views.export_download,
        name="compliance_export_download",
    ),
]
