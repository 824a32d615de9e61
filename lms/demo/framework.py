"""The demo competency framework: version 2026.1 built on EPR 22, read from the
JSON files in competencies/ (one per competency, in Kazakh, Russian, English)."""

import json
from pathlib import Path

COMPETENCY_DIR = Path(__file__).parent / "competencies"

VERSION = {
    "label": "2026.1",
    "title": {
        "kk": "Пробация қызметкерлерінің құзыреттер моделі",
        "ru": "Модель компетенций сотрудников службы пробации",
        "en": "Competency framework for probation officers",
    },
    "description": {
        "kk": (
            "Еуропалық пробация ережелерінің 22-ережесіне негізделген: адалдық, "
            "адамгершілік, кәсіби әлеует және жеке жарамдылық. Бір модель "
            "қызметкерлерді іріктеуде, оқытуда, тәжірибені бақылауда және "
            "интервизияда қолданылады."
        ),
        "ru": (
            "Основана на Правиле 22 Европейских правил о пробации: честность, "
            "гуманность, профессиональный потенциал и личная пригодность. Одна и "
            "та же модель используется при отборе, обучении, наблюдении за "
            "практикой и на интервизии."
        ),
        "en": (
            "Built on Rule 22 of the European Probation Rules: integrity, humanity, "
            "professional capacity and personal suitability. The same framework is "
            "used to select, train and observe officers, and in intervision."
        ),
    },
}

SCALE_LABELS = {
    1: {"kk": "Қолайсыз", "ru": "Неприемлемо", "en": "Unacceptable"},
    2: {"kk": "Күтілгеннен төмен", "ru": "Ниже ожиданий", "en": "Below expectations"},
    3: {
        "kk": "Күтілгенге сай",
        "ru": "Соответствует ожиданиям",
        "en": "Meets expectations",
    },
    4: {"kk": "Жоғары", "ru": "Высокий уровень", "en": "Strong"},
    5: {"kk": "Үлгілі", "ru": "Образцово", "en": "Exemplary"},
}


def load_competencies() -> list[dict]:
    return [
        json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(COMPETENCY_DIR.glob("*.json"))
    ]
