"""The warning about personal identifiers in intervision case descriptions.

Bad inputs tried: an empty string; 100 000 characters of one letter, one digit,
digit groups, dots, "@", initials, partial dates, month names and spaces (the
shapes that make careless regular expressions backtrack); an IIN with a wrong
check digit; 13 digits and sums written in groups of three; a 12-digit
international phone number; digits inside an e-mail address; impossible dates
(31 February, month 13, 32 March); full dates from the last ten years and from
before 1920; dates without a year and bare years; article numbers, counts,
times, sums in tenge and case numbers; case words, pronouns and sentence starts
before a capitalised word; a country or an agency after "гражданин" or
"клиент"; anonymised initials at the end of a sentence; abbreviations written
like initials ("Р.К.", "U.S."); ordinary words that end like a patronymic
("Основной", "Прогулы", "Кирпич", "Типична", "Абай ұлы ақын"); and every string
of the intervision demo stories.
"""

import datetime
import json
import time
from pathlib import Path

import pytest
from django.conf import settings

from intervision.anonymity import Finding, Kind, identifiers_find

DEMO = Path(settings.BASE_DIR) / "intervision" / "content" / "demo.json"


def found(text: str) -> list[tuple[Kind, str]]:
    findings = identifiers_find(text)
    for finding in findings:
        assert text[finding.start : finding.end] == finding.text
    return [(finding.kind, finding.text) for finding in findings]


def test_empty_text_has_no_findings():
    assert identifiers_find("") == []


# --- IIN ------------------------------------------------------------------


def test_iin_is_found_once_not_as_a_phone_number():
    assert found("ИИН клиента 850312300123, других данных нет.") == [
        (Kind.IIN, "850312300123")
    ]


def test_iin_with_a_wrong_check_digit_is_still_found():
    # 850312300124 fails the IIN checksum but still points at one person.
    assert found("ЖСН: 850312300124") == [(Kind.IIN, "850312300124")]


def test_iin_written_in_two_groups_of_six_is_found():
    assert found("ИИН 850312 300123 указан в деле") == [(Kind.IIN, "850312 300123")]


@pytest.mark.parametrize(
    "text",
    [
        "номер 1234567890123",
        "сумма 150 000 000 000 тенге",
        "коды 123456 654321 111111",
        "счёт KZ86125KZT5004100100",
    ],
)
def test_digit_runs_that_are_not_exactly_twelve_digits_are_not_an_iin(text):
    assert Kind.IIN not in {kind for kind, _ in found(text)}


def test_international_phone_number_of_twelve_digits_is_a_phone_not_an_iin():
    assert found("звонил с +380501234567") == [(Kind.PHONE, "+380501234567")]


# --- Phone ------------------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    [
        "8 701 234 56 78",
        "+7 (727) 250-12-34",
        "87012345678",
        "+77012345678",
        "8-701-234-56-78",
        "8 (727) 250 12 34",
    ],
)
def test_kazakh_phone_numbers_are_found_in_usual_notations(number):
    assert found(f"Клиент оставил номер {number} для связи.") == [(Kind.PHONE, number)]


def test_phone_numbers_are_found_in_kazakh_and_english_text():
    assert found("Оның телефоны 8 701 234 56 78, хабарласпады.") == [
        (Kind.PHONE, "8 701 234 56 78")
    ]
    assert found("Call him on +44 20 7946 0958 after six.") == [
        (Kind.PHONE, "+44 20 7946 0958")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "в 2023 году",
        "статья 106",
        "ч. 2 ст. 190 УК РК",
        "3 раза",
        "встреча в 14:00",
        "с 14:00 до 15:30",
        "штраф 150 000 тенге",
        "долг 1 200 000 тенге",
        "дело № 2-1234/2024",
        "справка № 1234567",
        "с 2019 по 2023",
    ],
)
def test_years_articles_counts_times_sums_and_case_numbers_are_not_phones(text):
    assert found(text) == []


# --- E-mail -------------------------------------------------------------------


def test_email_is_found_without_the_full_stop_after_it():
    assert found("Пишите на ivan.petrov@mail.kz.") == [
        (Kind.EMAIL, "ivan.petrov@mail.kz")
    ]


def test_email_in_kazakh_and_english_text_is_found():
    assert found("Поштасы: a.serik_85@gmail.com, жауап жоқ") == [
        (Kind.EMAIL, "a.serik_85@gmail.com")
    ]
    assert found("He wrote from john.smith+court@example.co.uk yesterday") == [
        (Kind.EMAIL, "john.smith+court@example.co.uk")
    ]


def test_digits_inside_an_email_are_not_reported_as_a_phone():
    assert found("почта 87012345678@mail.ru") == [(Kind.EMAIL, "87012345678@mail.ru")]


def test_at_sign_without_a_domain_is_not_an_email():
    assert found("встреча @ 14:00 в кабинете, ник @serik") == []


# --- Date of birth -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Клиент, 12.03.1985, проживает с матерью.", "12.03.1985"),
        ("Дата: 12/03/1985.", "12/03/1985"),
        ("Дата: 1985-03-12.", "1985-03-12"),
        ("Родился 12 марта 1985 года в Таразе.", "12 марта 1985 года"),
        ("Ол 12 наурыз 1985 туған.", "12 наурыз 1985"),
        ("Ол 1985 жылғы 12 наурызда туған.", "1985 жылғы 12 наурызда"),
        ("He was born on March 12, 1985 in Almaty.", "March 12, 1985"),
        ("He was born on 12th March 1985.", "12th March 1985"),
    ],
)
def test_full_dates_are_found_in_russian_kazakh_and_english(text, date):
    assert found(text) == [(Kind.BIRTH_DATE, date)]


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Клиент, 1985 г.р., не работает.", "1985 г.р."),
        ("Мать (1962 г. р.) на пенсии.", "1962 г. р."),
        ("Подопечный 85 г.р. пришёл вовремя.", "85 г.р."),
        ("Мужчина 1985 года рождения.", "1985 года рождения"),
        ("Год рождения: 1990.", "Год рождения: 1990"),
        ("Он родился в 1985 году в Таразе.", "родился в 1985 году"),
        ("Туған жылы 1985, жұмыссыз.", "Туған жылы 1985"),
        ("Ол 1985 жылы туған.", "1985 жылы туған"),
        ("Year of birth 1985, unemployed.", "Year of birth 1985"),
        ("He was born in 1985.", "born in 1985"),
    ],
)
def test_phrases_that_name_a_birth_year_are_found(text, phrase):
    assert found(text) == [(Kind.BIRTH_DATE, phrase)]


def test_birth_year_marker_after_a_full_date_makes_one_finding():
    assert found("Иванов, 12.03.1985 г.р., ранее не судим") == [
        (Kind.BIRTH_DATE, "12.03.1985 г.р.")
    ]


def test_month_first_date_is_found_when_day_first_is_impossible():
    assert found("DOB 03/25/1985") == [(Kind.BIRTH_DATE, "03/25/1985")]


@pytest.mark.parametrize(
    "text", ["31.02.1985", "12.13.1985", "32 марта 1985", "00.03.1985"]
)
def test_impossible_dates_are_not_found(text):
    assert found(text) == []


def test_full_dates_too_recent_or_too_old_for_a_client_are_not_birth_dates():
    youngest = datetime.date.today().year - 10
    assert found(f"Приговор от 14.02.{youngest + 1}.") == []
    assert found("Архив от 14.02.1919.") == []
    assert found(f"Дата: 14.02.{youngest}.") == [(Kind.BIRTH_DATE, f"14.02.{youngest}")]


@pytest.mark.parametrize(
    "text",
    [
        "в 2019 году клиент был осуждён",
        "2015, 2018 гг.",
        "встречи 12.03, 19.03 и 26.03",
        "12 марта пришёл вовремя",
        "в марте 2023 года",
        "12 наурызда келді",
        "on 12 March at 2:00 pm",
        "версия 1.2.2000.1",
    ],
)
def test_dates_without_a_year_and_bare_years_are_not_found(text):
    assert found(text) == []


# --- Names ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Иванов Иван Иванович пришёл на явку.", "Иванов Иван Иванович"),
        ("Звонила Петрова Анна Сергеевна.", "Петрова Анна Сергеевна"),
        ("Беседа с Марией Ивановной прошла спокойно.", "Марией Ивановной"),
        ("Пришёл Иван Кузьмич, сосед.", "Иван Кузьмич"),
        ("Ол Серик Ахметұлы деп аталды.", "Серик Ахметұлы"),
        ("Сапаров Серик Ахметұлы келді.", "Сапаров Серик Ахметұлы"),
        ("Анасы Айгерим Серикқызы келді.", "Айгерим Серикқызы"),
        ("Жауапты: Серик Ахмет-ұлы.", "Серик Ахмет-ұлы"),
        ("Со слов Ахметовича, конфликт исчерпан.", "Ахметовича"),
        ("Иван Кузьмич пришёл.", "Иван Кузьмич"),
    ],
)
def test_patronymics_are_found_with_the_names_before_them(text, name):
    assert found(text) == [(Kind.NAME, name)]


def test_overlapping_name_findings_are_reported_as_one_name():
    assert found("Со слов гражданина Петрова И.И., долг погашен.") == [
        (Kind.NAME, "Петрова И.И.")
    ]


def test_case_word_before_a_patronymic_is_left_out_of_the_name():
    assert found("Клиент Иван Иванович пришёл.") == [(Kind.NAME, "Иван Иванович")]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Беседа с Ивановым И.И. прошла.", "Ивановым И.И."),
        ("Протокол составил Иванов И. И.", "Иванов И. И."),
        ("Со слов И.И. Иванова, конфликт исчерпан.", "И.И. Иванова"),
        ("Иванов И.И. пришёл.", "Иванов И.И."),
        ("Жауап берген Сапаров С.А.", "Сапаров С.А."),
        ("Встреча с Ким А.Б. прошла.", "Ким А.Б."),
        ("We met Smith J.R. at the office.", "Smith J.R."),
        ("We met J. R. Smith at the office.", "J. R. Smith"),
    ],
)
def test_surnames_with_initials_are_found(text, name):
    assert found(text) == [(Kind.NAME, name)]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Со слов гражданина Петрова, долг погашен.", "Петрова"),
        ("гр. Петров пришёл", "Петров"),
        ("Клиент Сапаров пропустил встречу.", "Сапаров"),
        ("С клиенткой Сапаровой говорили дважды.", "Сапаровой"),
        ("клиент Серик Сапаров", "Серик Сапаров"),
        ("Осуждённый Ковальский работает.", "Ковальский"),
        ("Азамат Сапаров келді.", "Сапаров"),
        ("Сотталған Ахметов жұмыс істейді.", "Ахметов"),
        ("Серік мырза келді.", "Серік"),
        ("Айгүл ханым хабарласты.", "Айгүл"),
        ("Встреча с г-ном Ли.", "Ли"),
        ("Mr Smith missed the meeting.", "Smith"),
        ("Mrs. Jane Doe called.", "Jane Doe"),
    ],
)
def test_a_title_before_a_surname_marks_it_as_a_name(text, name):
    assert found(text) == [(Kind.NAME, name)]


def test_names_joined_by_a_lowercase_word_are_found_separately():
    assert found("Ms Brown and Dr. Green") == [
        (Kind.NAME, "Brown"),
        (Kind.NAME, "Green"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Клиент пропустил встречу.",
        "Подопечный пришёл вовремя.",
        "Мужчина 34 лет, осуждён условно.",
        "Клиентка А., 27 лет.",
        "Клиент Б. пришёл.",
        "Подопечный Н.К. пропустил явку.",
        "Сотталған 35 жаста, жұмыссыз.",
        "The client missed two appointments.",
    ],
)
def test_case_words_are_never_names(text):
    assert found(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Он гражданин Республики Казахстан.",
        "Она гражданка Кыргызстана.",
        "Клиент Центра занятости.",
        "Осуждённый Медеуским районным судом.",
        "клиентка Службы пробации",
    ],
)
def test_country_or_agency_after_a_case_word_is_not_a_name(text):
    assert found(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Встреча с клиентом А.Б. Решено продолжить.",
        "Встреча А.Б. прошла спокойно.",
        "Группа В.Г. Обсуждение заняло час.",
        "Ответ Б.К. Клиент согласился.",
    ],
)
def test_anonymised_initials_are_not_names(text):
    assert found(text) == []


@pytest.mark.parametrize(
    "text",
    ["По закону Р.К. Петров", "The U.S. Army", "Согласно нормам Р.Ф. Уголовный"],
)
def test_abbreviations_written_like_initials_are_not_names(text):
    assert found(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Основной вопрос — занятость.",
        "Прогулы продолжаются.",
        "Кирпич упал.",
        "Типична ли ситуация?",
        "Абай ұлы ақын.",
        "Духовной поддержкой считает мечеть.",
        "Условной мерой доволен.",
        "Царевна-лягушка — её любимая сказка.",
    ],
)
def test_words_that_end_like_a_patronymic_are_not_names_on_their_own(text):
    assert found(text) == []


# --- All together --------------------------------------------------------------


def test_findings_are_in_order_of_position_with_matching_offsets():
    text = (
        "Иванов Иван Иванович, 12.03.1985 г.р., ИИН 850312300123, "
        "тел. 8 701 234 56 78, почта ivan@mail.kz."
    )
    findings = identifiers_find(text)
    assert [(finding.kind, finding.text) for finding in findings] == [
        (Kind.NAME, "Иванов Иван Иванович"),
        (Kind.BIRTH_DATE, "12.03.1985 г.р."),
        (Kind.IIN, "850312300123"),
        (Kind.PHONE, "8 701 234 56 78"),
        (Kind.EMAIL, "ivan@mail.kz"),
    ]
    assert findings[0] == Finding(Kind.NAME, "Иванов Иван Иванович", 0, 20)
    for finding in findings:
        assert text[finding.start : finding.end] == finding.text


def test_findings_never_overlap():
    text = (
        "Иванов И.И. Петров, 850312300123@mail.kz, Иванов И.И. Иванович, "
        "12.03.1985 г.р. 1985 г.р., гражданин Петров И.И."
    )
    findings = identifiers_find(text)
    assert findings
    for before, after in zip(findings, findings[1:], strict=False):
        assert before.end <= after.start


@pytest.mark.parametrize(
    "text",
    [
        "Клиентка А., 27 лет, осуждена Медеуским районным судом г. Алматы по ч. 2 "
        "ст. 188 УК РК к 2 годам ограничения свободы. Состоит на учёте в службе "
        "пробации с марта 2023 года. Основной вопрос — занятость. Встреча с "
        "клиентом Б. Решено продолжить.",
        "Подопечный пропустил явку 05.09.2024 в 10:30. Сумма штрафа 150 000 "
        "тенге, выплачено 45 000. В 2019 году был осуждён. Центр занятости "
        "Алатауского района, ЦОН, КУИС МВД РК, ДП г. Астаны. Инспектор Т. "
        "связался с работодателем.",
        "Мужчина 34 лет. Ходатайство в суд по ст. 74 УИК РК. Встречались 3 раза: "
        "12.03, 19.03 и 26.03. Номер дела 2-1234/2024. Протокол № 15. Кабинет "
        "305. Время 14:00–15:30.",
        "Сотталған 35 жаста, пробация қызметінің есебінде 2023 жылдан бері тұр. "
        "Ол екі рет келмеді. Анасы ауырады. Қазан айында кездесу болды.",
        "The client, a 29-year-old man, missed two appointments in March 2024. "
        "The officer wrote to the court under Article 74. He owes 150,000 tenge.",
    ],
)
def test_ordinary_anonymised_case_texts_have_no_findings(text):
    assert found(text) == []


def demo_strings(node: object) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        node = list(node.values())
    if isinstance(node, list):
        return [string for item in node for string in demo_strings(item)]
    return []


@pytest.mark.skipif(not DEMO.exists(), reason="the demo stories are not written yet")
def test_anonymised_demo_stories_have_no_findings():
    strings = demo_strings(json.loads(DEMO.read_text(encoding="utf-8")))
    assert strings
    assert {string: found(string) for string in strings if found(string)} == {}


@pytest.mark.parametrize(
    "text",
    [
        "a" * 100_000,
        "1" * 100_000,
        "123456 " * 14_286,
        "a." * 50_000,
        "a@" * 50_000,
        "a.b-c" * 20_000,
        "Иван " * 20_000,
        "И.И. " * 20_000,
        "12.03." * 16_667,
        "12 марта " * 11_112,
        " " * 100_000,
    ],
    ids=lambda text: repr(text[:8]),
)
def test_long_text_is_checked_promptly(text):
    started = time.perf_counter()
    identifiers_find(text)
    assert time.perf_counter() - started < 3


def test_long_text_with_many_identifiers_finds_them_all_promptly():
    sentence = "Клиент Иван Иванович, тел. 8 701 234 56 78, ivan@mail.kz. "
    started = time.perf_counter()
    findings = identifiers_find(sentence * 1_700)
    assert time.perf_counter() - started < 3
    assert len(findings) == 3 * 1_700
