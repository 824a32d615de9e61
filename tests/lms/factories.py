import datetime

import factory
from django.contrib.auth.models import Group
from wagtail.models import Locale, Page, Site

from lms.models import (
    Competency,
    FrameworkVersion,
    HomePage,
    Notification,
    Office,
    Region,
    User,
)

DEFAULT_PASSWORD = "correct-horse-battery-1"


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"region-{n}")
    name_kk = factory.Sequence(lambda n: f"Өңір {n}")
    name_ru = factory.Sequence(lambda n: f"Регион {n}")
    name_en = factory.Sequence(lambda n: f"Region {n}")


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office

    region = factory.SubFactory(RegionFactory)
    code = factory.Sequence(lambda n: f"office-{n}")
    name_kk = factory.Sequence(lambda n: f"Пробация қызметі {n}")
    name_ru = factory.Sequence(lambda n: f"Служба пробации {n}")
    name_en = factory.Sequence(lambda n: f"Probation office {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Әлия Серікқызы {n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.kz")
    office = factory.SubFactory(OfficeFactory)
    hire_date = datetime.date(2025, 3, 1)
    preferred_language = "ru"
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        self.save()
        if extracted:
            self.groups.set(Group.objects.filter(name__in=[r.value for r in extracted]))


def scale(points: int = 5) -> list:
    return [
        (
            "point",
            {
                "point": point,
                "label": {
                    "kk": f"{point}-деңгей",
                    "ru": f"Уровень {point}",
                    "en": f"Level {point}",
                },
                "anchor": {
                    "kk": f"Зәкір {point}",
                    "ru": f"Якорь {point}",
                    "en": f"Anchor {point}",
                },
            },
        )
        for point in range(1, points + 1)
    ]


class CompetencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Competency

    key = factory.Sequence(lambda n: f"competency-{n}")
    domain = "integrity"
    name_kk = factory.Sequence(lambda n: f"Адалдық {n}")
    name_ru = factory.Sequence(lambda n: f"Честность {n}")
    name_en = factory.Sequence(lambda n: f"Integrity {n}")
    definition_ru = "Действует честно и последовательно."
    definition_en = "Acts honestly and consistently."
    indicators = factory.LazyFunction(
        lambda: [
            (
                "positive",
                {
                    "kk": "Шындықты айтады",
                    "ru": "Говорит правду",
                    "en": "Tells the truth",
                },
            ),
            (
                "negative",
                {"kk": "Жасырады", "ru": "Скрывает ошибки", "en": "Hides mistakes"},
            ),
        ]
    )
    scale = factory.LazyFunction(scale)


class FrameworkVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FrameworkVersion

    label = factory.Sequence(lambda n: f"2026.{n}")
    title_ru = "Модель компетенций"
    title_en = "Competency framework"
    title_kk = "Құзыреттер моделі"
    live = True
    is_current = False


def current_framework(competencies: int = 3) -> FrameworkVersion:
    version = FrameworkVersionFactory(is_current=True)
    for order in range(competencies):
        CompetencyFactory(version=version, sort_order=order)
    return version


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    subject = factory.Sequence(lambda n: f"Notice {n}")
    url = "/ru/dashboard/"


def home_page(**fields) -> HomePage:
    """A published HomePage as the default site's root, in the default locale."""
    root = Page.get_first_root_node()
    home = HomePage(
        title=fields.pop("title", "Ustaz home"),
        slug="ustaz-home",
        locale=Locale.get_default(),
        **fields,
    )
    root.add_child(instance=home)
    home.save_revision().publish()
    site = Site.objects.get(is_default_site=True)
    site.root_page = home
    site.save()
    return home
