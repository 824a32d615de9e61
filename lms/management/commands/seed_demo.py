"""Demo data for `make run`: pilot regions and offices, demo users of every role,
the EPR 22 competency framework and the home page, in three languages.

Running it again changes nothing that is already there.
"""

import datetime

from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail.models import Locale, Page, Site

from lms import services
from lms.demo import DEMO_PASSWORD, PEOPLE, REGIONS, demo_username
from lms.demo.framework import SCALE_LABELS, VERSION, load_competencies
from lms.demo.home import HOME
from lms.models import Competency, FrameworkVersion, HomePage, Office, Region, User
from lms.registry import demo_seeders
from lms.roles import Role

# Colleagues in each office so a manager's team is not empty.
EXTRA_OFFICERS = [
    ("Нұржан Сәкенұлы Әбенов", "kk"),
    ("Елена Александровна Пак", "ru"),
    ("Айдана Маратқызы Жұмабекова", "kk"),
]


class Command(BaseCommand):
    help = "Create the demo data (idempotent) and print the demo sign-ins."

    def handle(self, *args, **options):
        with transaction.atomic():
            offices = self.seed_places()
            users = self.seed_users(offices)
            self.seed_framework(
                champion=users[demo_username(Role.CHAMPION, "astana")],
                reviewer=users[demo_username(Role.CHAMPION, "almaty")],
            )
            self.seed_home_page()
            for seeder in demo_seeders:
                seeder.seed(self.stdout)
        self.print_logins()

    def seed_places(self) -> dict[str, Office]:
        offices = {}
        for region_data in REGIONS:
            region, _created = Region.objects.get_or_create(
                code=region_data["code"],
                defaults={
                    f"name_{code}": name for code, name in region_data["name"].items()
                },
            )
            for office_data in region_data["offices"]:
                office, _created = Office.objects.get_or_create(
                    code=office_data["code"],
                    defaults={
                        "region": region,
                        "address": office_data["address"],
                        **{f"name_{c}": n for c, n in office_data["name"].items()},
                    },
                )
                offices[office.code] = office
        return offices

    def seed_users(self, offices: dict[str, Office]) -> dict[str, User]:
        users = {}
        first_office = {
            region["code"]: offices[region["offices"][0]["code"]] for region in REGIONS
        }
        for index, (role, people) in enumerate(PEOPLE.items()):
            for region_code, full_name, language in people:
                username = demo_username(role, region_code)
                users[username] = self._user(
                    username=username,
                    full_name=full_name,
                    roles=[role],
                    office=first_office[region_code],
                    hire_date=datetime.date(2024, 1 + index, 10 + index),
                    language=language,
                )
        for office in offices.values():
            for number, (full_name, language) in enumerate(EXTRA_OFFICERS, start=1):
                username = f"officer.{office.code}.{number}"
                users[username] = self._user(
                    username=username,
                    full_name=full_name,
                    roles=[Role.OFFICER],
                    office=office,
                    hire_date=datetime.date(2025, 2 * number, 1),
                    language=language,
                )
        return users

    def _user(self, *, username, full_name, roles, office, hire_date, language) -> User:
        existing = User.objects.filter(username=username).first()
        if existing is not None:
            return existing
        return services.user_create(
            username=username,
            full_name=full_name,
            email=f"{username}@demo.ustaz.kz",
            roles=roles,
            office=office,
            hire_date=hire_date,
            preferred_language=language,
            password=DEMO_PASSWORD,
        )

    def seed_framework(self, *, champion: User, reviewer: User) -> None:
        """The EPR 22 framework, drafted by one champion and approved by
        another through the champions' review, as in real use."""
        if FrameworkVersion.objects.filter(label=VERSION["label"]).exists():
            return
        version = FrameworkVersion(
            label=VERSION["label"],
            **{f"title_{c}": t for c, t in VERSION["title"].items()},
            **{f"description_{c}": t for c, t in VERSION["description"].items()},
        )
        version.competencies = [
            Competency(
                key=data["key"],
                domain=data["domain"],
                sort_order=order,
                **{f"name_{c}": t for c, t in data["name"].items()},
                **{f"definition_{c}": t for c, t in data["definition"].items()},
                indicators=[("positive", text) for text in data["positive_indicators"]]
                + [("negative", text) for text in data["negative_indicators"]],
                scale=[
                    (
                        "point",
                        {
                            "point": point["point"],
                            "label": SCALE_LABELS[point["point"]],
                            "anchor": point["anchor"],
                        },
                    )
                    for point in data["scale"]
                ],
            )
            for order, data in enumerate(load_competencies())
        ]
        version.live = False
        version.save()
        version.save_revision(user=champion)
        services.framework_version_submit(version=version, actor=champion)
        services.framework_version_review(
            version=version,
            actor=reviewer,
            approve=True,
            comment="Индикаторы и якоря шкал согласованы с группой «чемпионов».",
        )

    def seed_home_page(self) -> None:
        site = Site.objects.get(is_default_site=True)
        source_locale = Locale.get_default()
        home = HomePage.objects.filter(locale=source_locale).first()
        if home is None:
            home = HomePage(
                slug="ustaz", locale=source_locale, **self._home_fields(source_locale)
            )
            Page.get_first_root_node().add_child(instance=home)
            home.save_revision().publish()
            previous_root = site.root_page
            site.root_page = home
            site.save(update_fields=["root_page"])
            if not isinstance(previous_root.specific, HomePage):
                previous_root.delete()
        for language_code, _content in HOME.items():
            locale, _created = Locale.objects.get_or_create(language_code=language_code)
            if locale == source_locale or home.has_translation(locale):
                continue
            translation = home.copy_for_translation(locale)
            for field, value in self._home_fields(locale).items():
                setattr(translation, field, value)
            translation.save_revision().publish()

    def _home_fields(self, locale: Locale) -> dict:
        content = HOME[locale.language_code]
        return {
            "title": content["title"],
            "search_description": content["lead"],
            "body": [
                ("paragraph", content["intro"]),
                (
                    "features",
                    [{"heading": h, "text": t} for h, t in content["features"]],
                ),
            ],
        }

    def print_logins(self) -> None:
        self.stdout.write(self.style.SUCCESS("Ustaz demo data is ready."))
        self.stdout.write(f"Every demo account uses the password: {DEMO_PASSWORD}")
        for role, people in PEOPLE.items():
            usernames = ", ".join(demo_username(role, region) for region, *_r in people)
            self.stdout.write(f"  {role.value:<14} {usernames}")
        self.stdout.write("Sign in at http://127.0.0.1:8000/ (or $PORT).")
