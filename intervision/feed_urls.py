"""The personal calendar feed, fetched by calendar apps: no language prefix and
no sign-in; the secret token in the address is the key."""

from django.urls import path

from intervision import views

urlpatterns = [
    path("intervision/feed/<str:token>.ics", views.feed, name="intervision_feed"),
]
