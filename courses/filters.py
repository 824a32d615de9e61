"""The catalogue's filters: topic, competency, language, format, length, and a
search over titles, summaries and outcomes."""

import django_filters
from django import forms
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from courses.models import CourseFormat, CoursePage, Topic
from lms.models import Competency


class Length(models.TextChoices):
    SHORT = "short", _("Up to 4 hours")
    MEDIUM = "medium", _("4 to 12 hours")
    LONG = "long", _("More than 12 hours")


LENGTH_RANGES = {
    Length.SHORT: {"duration_hours__lte": 4},
    Length.MEDIUM: {"duration_hours__gt": 4, "duration_hours__lte": 12},
    Length.LONG: {"duration_hours__gt": 12},
}


def _competency_choices():
    return [
        (competency.key, competency.name)
        for competency in Competency.objects.current().order_by("sort_order")
    ]


class CourseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    topic = django_filters.ModelChoiceFilter(
        label=_("Topic"),
        queryset=Topic.objects.all(),
        to_field_name="code",
        field_name="topics",
        empty_label=_("Any topic"),
    )
    competency = django_filters.ChoiceFilter(
        label=_("Competency"),
        choices=_competency_choices,
        method="filter_competency",
        empty_label=_("Any competency"),
    )
    language = django_filters.ChoiceFilter(
        label=_("Language"),
        choices=settings.LANGUAGES,
        method="filter_language",
        empty_label=_("Any language"),
    )
    format = django_filters.ChoiceFilter(
        label=_("Format"), choices=CourseFormat, empty_label=_("Any format")
    )
    length = django_filters.ChoiceFilter(
        label=_("Length"),
        choices=Length,
        method="filter_length",
        empty_label=_("Any length"),
    )

    class Meta:
        model = CoursePage
        fields = ["q", "topic", "competency", "language", "format", "length"]

    def filter_search(self, queryset, name, value):
        value = value.strip()[:200]
        if not value:
            return queryset
        found = [page.pk for page in queryset.search(value, operator="and")]
        return queryset.filter(pk__in=found)

    def filter_competency(self, queryset, name, value):
        return queryset.filter(competencies__key=value).distinct()

    def filter_language(self, queryset, name, value):
        available = Page.objects.live().filter(locale__language_code=value)
        return queryset.filter(translation_key__in=available.values("translation_key"))

    def filter_length(self, queryset, name, value):
        return queryset.filter(**LENGTH_RANGES[Length(value)])
