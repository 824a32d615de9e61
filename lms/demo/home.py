"""The demo home page in Kazakh, Russian and English."""

HOME = {
    "ru": {
        "title": "Устаз — профессиональное развитие службы пробации",
        "lead": (
            "Одна система для отбора, обучения и поддержки сотрудников пробации "
            "Казахстана, построенная на единой модели компетенций."
        ),
        "intro": (
            "<p>Устаз (каз. «ұстаз» — наставник) помогает новой службе пробации "
            "отбирать сотрудников по утверждённым критериям, обучать их с первого "
            "дня и поддерживать навыки на протяжении всей карьеры.</p>"
        ),
        "features": [
            (
                "Курсы",
                "Мотивационное интервьюирование, программы КПТ, психопатология, Европейские правила о пробации и другие курсы с тестами и сертификатами.",
            ),
            (
                "Отбор",
                "Группа «чемпионов» утверждает критерии; комиссии оценивают кандидатов независимо по якорным шкалам и принимают решение.",
            ),
            (
                "Интервизия",
                "Регулярные встречи коллег по сложным случаям: обезличенные кейсы, структурированные методы и конфиденциальные протоколы.",
            ),
        ],
    },
    "kk": {
        "title": "Ұстаз — пробация қызметінің кәсіби дамуы",
        "lead": (
            "Қазақстанның пробация қызметкерлерін іріктеуге, оқытуға және қолдауға "
            "арналған, бірыңғай құзыреттер моделіне негізделген жүйе."
        ),
        "intro": (
            "<p>Ұстаз жаңа пробация қызметіне қызметкерлерді бекітілген "
            "өлшемдер бойынша іріктеуге, оларды алғашқы күннен оқытуға және "
            "мансап бойы дағдыларын қолдауға көмектеседі.</p>"
        ),
        "features": [
            (
                "Курстар",
                "Мотивациялық сұхбат, КМТ бағдарламалары, психопатология, Еуропалық пробация ережелері және тесттер мен сертификаттары бар басқа да курстар.",
            ),
            (
                "Іріктеу",
                "«Чемпиондар» тобы өлшемдерді бекітеді; комиссиялар үміткерлерді зәкірлі шкалалар бойынша тәуелсіз бағалап, шешім қабылдайды.",
            ),
            (
                "Интервизия",
                "Күрделі жағдайлар бойынша әріптестердің тұрақты кездесулері: иесіздендірілген кейстер, құрылымды әдістер және құпия хаттамалар.",
            ),
        ],
    },
    "en": {
        "title": "Ustaz: professional development for the probation service",
        "lead": (
            "One system to select, train and support Kazakhstan's probation "
            "officers, built on a single competency framework."
        ),
        "intro": (
            "<p>Ustaz (Kazakh for “mentor”) helps a young probation service select "
            "officers by approved criteria, train them from their first day and keep "
            "their skills up throughout their career.</p>"
        ),
        "features": [
            (
                "Courses",
                "Motivational interviewing, CBT programmes, psychopathology, the European Probation Rules and more, with quizzes and certificates.",
            ),
            (
                "Selection",
                "A group of champions approves the criteria; panels score candidates independently on anchored scales and decide.",
            ),
            (
                "Intervision",
                "Regular peer consultation on hard cases: anonymised cases, structured methods and confidential minutes.",
            ),
        ],
    },
}
