"""Demo data of the core: the pilot regions and offices, and demo users for every
role in every region. seed_demo writes it; the home page lists the sign-ins."""

from lms.roles import Role

DEMO_PASSWORD = "ustaz-demo-2026"

REGIONS = [
    {
        "code": "astana",
        "name": {"kk": "Астана қаласы", "ru": "город Астана", "en": "Astana city"},
        "offices": [
            {
                "code": "astana-yesil",
                "name": {
                    "kk": "Есіл ауданы бойынша пробация қызметі",
                    "ru": "Служба пробации района Есиль",
                    "en": "Yesil District Probation Service",
                },
                "address": "Астана, Мәңгілік Ел даңғылы, 8",
            },
            {
                "code": "astana-saryarka",
                "name": {
                    "kk": "Сарыарқа ауданы бойынша пробация қызметі",
                    "ru": "Служба пробации района Сарыарка",
                    "en": "Saryarka District Probation Service",
                },
                "address": "Астана, Бөгенбай батыр даңғылы, 27",
            },
        ],
    },
    {
        "code": "almaty",
        "name": {"kk": "Алматы қаласы", "ru": "город Алматы", "en": "Almaty city"},
        "offices": [
            {
                "code": "almaty-almaly",
                "name": {
                    "kk": "Алмалы ауданы бойынша пробация қызметі",
                    "ru": "Служба пробации Алмалинского района",
                    "en": "Almaly District Probation Service",
                },
                "address": "Алматы, Төле би көшесі, 101",
            },
            {
                "code": "almaty-bostandyk",
                "name": {
                    "kk": "Бостандық ауданы бойынша пробация қызметі",
                    "ru": "Служба пробации Бостандыкского района",
                    "en": "Bostandyk District Probation Service",
                },
                "address": "Алматы, Әл-Фараби даңғылы, 19",
            },
        ],
    },
    {
        "code": "almaty-region",
        "name": {
            "kk": "Алматы облысы",
            "ru": "Алматинская область",
            "en": "Almaty region",
        },
        "offices": [
            {
                "code": "almaty-region-konayev",
                "name": {
                    "kk": "Қонаев қаласы бойынша пробация қызметі",
                    "ru": "Служба пробации города Конаев",
                    "en": "Konayev City Probation Service",
                },
                "address": "Қонаев, Қонаев даңғылы, 12",
            },
            {
                "code": "almaty-region-talgar",
                "name": {
                    "kk": "Талғар ауданы бойынша пробация қызметі",
                    "ru": "Служба пробации Талгарского района",
                    "en": "Talgar District Probation Service",
                },
                "address": "Талғар, Тәуелсіздік көшесі, 55",
            },
        ],
    },
]

# One person per role and region: (username suffix, full name, preferred language).
PEOPLE = {
    Role.OFFICER: [
        ("astana", "Әлия Нұрланқызы Серікбаева", "kk"),
        ("almaty", "Дамир Ерланұлы Жақсылықов", "ru"),
        ("almaty-region", "Гүлназ Қайратқызы Өмірзақова", "kk"),
    ],
    Role.TRAINER: [
        ("astana", "Марат Болатұлы Исаев", "ru"),
        ("almaty", "Сәуле Ғалымқызы Құрманова", "kk"),
        ("almaty-region", "Ирина Викторовна Ким", "ru"),
    ],
    Role.CHAMPION: [
        ("astana", "Профессор Бауыржан Әбілұлы Тоқтаров", "kk"),
        ("almaty", "Айгерім Серікқызы Байжанова", "ru"),
        ("almaty-region", "Hanna de Vries", "en"),
    ],
    Role.ASSESSOR: [
        ("astana", "Ержан Мұхтарұлы Нұрпейісов", "ru"),
        ("almaty", "Динара Асқарқызы Сейітова", "kk"),
        ("almaty-region", "Нұрлан Төлеуұлы Әбдіров", "ru"),
    ],
    Role.MANAGER: [
        ("astana", "Жанна Өтегенқызы Қасымова", "ru"),
        ("almaty", "Асхат Бақытұлы Мұқанов", "kk"),
        ("almaty-region", "Светлана Ивановна Петренко", "ru"),
    ],
    Role.ADMINISTRATOR: [
        ("astana", "Руслан Әлібекұлы Оспанов", "ru"),
        ("almaty", "Мәдина Нұрболқызы Есенова", "kk"),
        ("almaty-region", "Тимур Сергеевич Ли", "ru"),
    ],
}


def demo_username(role: Role, region_code: str) -> str:
    return f"{role.value.lower()}.{region_code}"


def demo_logins() -> list[dict]:
    """Rows for the home page: each role with its sign-in in every pilot region."""
    return [
        {
            "role": role.label,
            "usernames": [demo_username(role, region) for region, _n, _l in people],
        }
        for role, people in PEOPLE.items()
    ]
