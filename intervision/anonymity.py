"""Spot fragments of an intervision case description that look like they identify
a client: a 12-digit IIN, a phone number, an e-mail address, a date of birth and
a person's name (patronymic forms, surname with initials, a title followed by a
surname). Texts are in Russian, Kazakh or English.

The check warns and never refuses. Every rule here is a heuristic: a 12-digit
number may be a company's BIN, a full date may be the day of an offence, and an
unusual surname escapes every pattern. Only the author knows which it is, so the
form shows the findings, lets the author override them, and the override is
recorded; blocking the save would push authors to mangle the text until the
check is quiet, which protects no one.

The rules favour few false alarms over catching everything: a warning on every
other sentence would teach authors to click past it. Bare given names, surnames
without any marker and names in capitals are not found.

Every quantifier is bounded, no repetition can match the same characters in two
ways, and the e-mail pattern starts only at a token boundary, so a long text is
scanned in linear time.
"""

import bisect
import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass

import phonenumbers
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    IIN = "iin", _("a 12-digit IIN")
    PHONE = "phone", _("a phone number")
    EMAIL = "email", _("an e-mail address")
    BIRTH_DATE = "birth_date", _("a date of birth")
    NAME = "name", _("a person's name")


@dataclass(frozen=True)
class Finding:
    kind: Kind
    text: str
    start: int
    end: int


# Officers work in Kazakhstan, so numbers without a country code are Kazakh ones.
PHONE_REGION = "KZ"

# The youngest clients of probation are teenagers: a full date in the last ten
# years is almost always an event (a hearing, a meeting), not a birth.
YOUNGEST_AGE = 10
OLDEST_BIRTH_YEAR = 1920

# A horizontal gap only: a name never continues onto the next line, and a
# heading followed by a line starting with a capital must not merge into one.
_GAP = r"[ \t\u00a0]{1,3}"

_UPPER = "A-ZА-ЯЁӘҒҚҢӨҰҮҺІ"
_LOWER = "a-zа-яёәғқңөұүһі"
_CYR_UPPER = "А-ЯЁӘҒҚҢӨҰҮҺІ"
_CYR_LOWER = "а-яёәғқңөұүһі"
# A capitalised word, optionally a double-barrelled one ("Иванова-Петрова").
_CAP = rf"[{_UPPER}][{_LOWER}]{{1,30}}(?:-[{_UPPER}][{_LOWER}]{{1,30}})?"
_CYR_CAP = (
    rf"[{_CYR_UPPER}][{_CYR_LOWER}]{{1,30}}(?:-[{_CYR_UPPER}][{_CYR_LOWER}]{{1,30}})?"
)
_WORD_START = r"(?<![\w-])"
_WORD_END = r"(?![\w-])"


# --- IIN ------------------------------------------------------------------

# A "+" in front means an international phone number of twelve digits. Written
# in two groups ("850312 300123") it counts only when no other digit group stands
# next to it: "150 000 000 000" is a sum.
_IIN = re.compile(
    r"(?<![\d+])(?:\d{12}(?!\d)"
    r"|(?<!\d[ \u00a0])\d{6}[ \u00a0]\d{6}(?!\d)(?![ \u00a0]\d))"
)


def _iins(text: str) -> Iterator[Finding]:
    for match in _IIN.finditer(text):
        yield _finding(Kind.IIN, text, match.start(), match.end())


# --- Phone ------------------------------------------------------------------


def _phones(text: str) -> Iterator[Finding]:
    # VALID rather than POSSIBLE: POSSIBLE takes "1 200 000" (a sum in tenge) and
    # any seven digits for a number; VALID needs a real Kazakh or foreign plan.
    matcher = phonenumbers.PhoneNumberMatcher(
        text, PHONE_REGION, leniency=phonenumbers.Leniency.VALID
    )
    for match in matcher:
        yield _finding(Kind.PHONE, text, match.start, match.end)


# --- E-mail -------------------------------------------------------------------

# The lookbehind keeps the engine from retrying the local part at every letter
# of a long word, which would make a text without "@" quadratic.
_EMAIL = re.compile(
    r"(?<![\w.%+-])[\w.%+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){0,8}"
    r"\.[^\W\d_]{2,24}(?![\w-])"
)


def _emails(text: str) -> Iterator[Finding]:
    for match in _EMAIL.finditer(text):
        yield _finding(Kind.EMAIL, text, match.start(), match.end())


# --- Date of birth -------------------------------------------------------

_MONTH_STEMS: tuple[tuple[str, int], ...] = (
    # Russian, any case ending.
    ("январ", 1),
    ("феврал", 2),
    ("март", 3),
    ("апрел", 4),
    ("май", 5),
    ("мая", 5),
    ("июн", 6),
    ("июл", 7),
    ("август", 8),
    ("сентябр", 9),
    ("октябр", 10),
    ("ноябр", 11),
    ("декабр", 12),
    # Kazakh, also as typed on a keyboard without Kazakh letters.
    ("қаңтар", 1),
    ("каңтар", 1),
    ("кантар", 1),
    ("ақпан", 2),
    ("акпан", 2),
    ("наурыз", 3),
    ("сәуір", 4),
    ("сәуiр", 4),
    ("сауир", 4),
    ("сәуир", 4),
    ("мамыр", 5),
    ("маусым", 6),
    ("шілде", 7),
    ("шiлде", 7),
    ("шилде", 7),
    ("тамыз", 8),
    ("қыркүйек", 9),
    ("кыркуйек", 9),
    ("қазан", 10),
    ("казан", 10),
    ("қараша", 11),
    ("караша", 11),
    ("желтоқсан", 12),
    ("желтоксан", 12),
    # English, full and abbreviated.
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("apr", 4),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sept", 9),
    ("sep", 9),
    ("oct", 10),
    ("nov", 11),
    ("dec", 12),
)
# Longest first, so "sept" wins over "sep" and "june" over "jun".
_MONTH_STEMS = tuple(sorted(_MONTH_STEMS, key=lambda item: -len(item[0])))
_RU_KK_MONTH = "|".join(stem for stem, _ in _MONTH_STEMS if not stem.isascii())
_EN_MONTH = "|".join(stem for stem, _ in _MONTH_STEMS if stem.isascii())
# Case endings ("марта", "наурызда") but not an unrelated longer word.
_MONTH = (
    rf"(?:(?:{_RU_KK_MONTH})[{_CYR_LOWER}]{{0,4}}"
    rf"|(?:{_EN_MONTH})[a-z]{{0,6}}\.?)(?![\w])"
)
_DAY = r"(?<![\d.])(?P<day>\d{1,2})"
_YEAR = r"(?P<year>\d{4})(?![\d])"
_SPACE = r"[ \u00a0]{1,3}"
# "12-го", "12th", Kazakh "12-ші".
_ORDINAL = r"(?:-?(?:го|е|ое|ші|шы|st|nd|rd|th))?"
# "12 марта 1985 г.", "12.03.1985 г.р.": the marker belongs to the date.
_YEAR_MARKER = (
    r"(?:[ \u00a0]?г\.(?:[ \u00a0]?р\.)?|[ \u00a0]года(?:[ \u00a0]рождения)?"
    r"|[ \u00a0]?ж\.|[ \u00a0]жылы(?:[ \u00a0]туған)?)?"
)

_DATE_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        # 12.03.1985, 12/03/1985, 12-03-1985
        rf"{_DAY}(?P<sep>[./-])(?P<month>\d{{1,2}})(?P=sep){_YEAR}(?!\.\d){_YEAR_MARKER}",
        # 1985-03-12, 1985.03.12
        r"(?<![\d.])(?P<year>\d{4})(?P<sep>[./-])(?P<month>\d{1,2})(?P=sep)"
        r"(?P<day>\d{1,2})(?![\d])(?!\.\d)",
        # 12 марта 1985, 12 наурыз 1985, 12th March 1985
        rf"{_DAY}{_ORDINAL}{_SPACE}(?P<month_name>{_MONTH}){_SPACE}{_YEAR}{_YEAR_MARKER}",
        # March 12, 1985
        rf"(?<![\w])(?P<month_name>{_MONTH}){_SPACE}(?P<day>\d{{1,2}}){_ORDINAL},?"
        rf"{_SPACE}{_YEAR}",
        # 1985 жылғы 12 наурыз(да): Kazakh puts the year first.
        r"(?<![\d])(?P<year>\d{4})[ \u00a0]?(?:ж\.|жылғы|жылы)?"
        rf"{_SPACE}(?P<day>\d{{1,2}}){_ORDINAL}{_SPACE}(?P<month_name>{_MONTH})",
    )
)

# A year alone is a birth date only when the text says so.
_BIRTH_YEAR_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        # 1985 г.р., 85 г. р., 1985 года рождения, 1985 жылы туған
        r"(?<![\d.])(?P<year>\d{4}|\d{2})[ \u00a0]?"
        r"(?:г\.?[ \u00a0]?р(?:\.|(?![\w]))|гг?\.?[ \u00a0]?рожд\."
        r"|(?:г\.|года)?[ \u00a0]?рождения|ж\.[ \u00a0]?т\.|жылы[ \u00a0]туған)",
        # год рождения: 1985, туған жылы 1985, born in 1985
        r"(?<![\w])(?:год[ \u00a0]рождения|г\.[ \u00a0]?р\.|туған[ \u00a0]жылы"
        r"|родил(?:ся|ась)[ \u00a0]в|born[ \u00a0]in|year[ \u00a0]of[ \u00a0]birth"
        r"|date[ \u00a0]of[ \u00a0]birth|дата[ \u00a0]рождения|туған[ \u00a0]күні)"
        r"[ \u00a0:–—-]{0,3}(?P<year>\d{4})(?!\d)(?!\.\d)"
        r"(?:[ \u00a0](?:г\.|году?|года|жылы))?",
    )
)


def _month_number(name: str) -> int | None:
    name = name.lower()
    for stem, number in _MONTH_STEMS:
        if name.startswith(stem):
            return number
    return None


def _is_date(year: int, month: int, day: int) -> bool:
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


def _birth_dates(text: str, today: datetime.date) -> Iterator[Finding]:
    latest = today.year - YOUNGEST_AGE
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            groups = match.groupdict()
            year = int(groups["year"])
            day = int(groups["day"])
            if groups.get("month_name"):
                month = _month_number(groups["month_name"])
            else:
                month = int(groups["month"])
            if month is None or not OLDEST_BIRTH_YEAR <= year <= latest:
                continue
            valid = _is_date(year, month, day)
            # An English text may write 03/25/1985, month first.
            if not valid and groups.get("sep") == "/":
                valid = _is_date(year, day, month)
            if valid:
                yield _finding(Kind.BIRTH_DATE, text, match.start(), match.end())
    for pattern in _BIRTH_YEAR_PATTERNS:
        for match in pattern.finditer(text):
            year = int(match.group("year"))
            if year < 100:
                # "85 г.р.": the century that makes it a past year.
                year += 2000 if 2000 + year <= today.year else 1900
            # The text says it is a birth year, so a child's counts too.
            if 1900 <= year <= today.year:
                yield _finding(Kind.BIRTH_DATE, text, match.start(), match.end())


# --- Names ------------------------------------------------------------------

# Words that stand before a name in a case description without being part of
# it, or start a sentence that goes on with a name. Lower case.
_NOT_NAMES = frozenset(
    """
    клиент клиентка клиента клиенту клиентом клиентке клиентки клиенткой
    подопечный подопечная подопечного подопечной подопечному подопечным
    осуждённый осужденный осуждённая осужденная осуждённого осужденного
    осуждённой осужденной осуждённому осужденному осуждённым осужденным
    подучётный подучетный подучётная подучетная
    потерпевший потерпевшая подозреваемый подозреваемая обвиняемый обвиняемая
    гражданин гражданка гражданина гражданки господин госпожа
    мужчина женщина юноша девушка подросток ребёнок ребенок
    мать отец брат сестра сын дочь муж жена супруг супруга бабушка дедушка
    инспектор сотрудник специалист психолог куратор наставник автор участник
    сегодня вчера завтра затем потом тогда когда после также однако далее
    позже ранее сначала сейчас теперь здесь там это этот эта эти его её ее их
    он она оно они мы вы ты я
    при на в во с со по у к о об от до для за из и а но или ни не же
    азамат азаматша сотталған сотталушы ер әйел бала анасы әкесі
    бүгін кеше кейін содан сосын бірақ және мен ол олар
    царевна королевна королевич
    the a an he she they we it his her their on in at after before then when
    this that there client officer mother father
    """.split()
)

# Initials that are abbreviations, not people ("Р.К." for Республика Казахстан).
_NOT_INITIALS = frozenset({"рк", "рф", "us", "uk", "un", "eu"})

_KZ_PATRONYMIC_SUFFIX = "(?:ұлы|улы|қызы|кызы)"
# Patronymics that are nothing else: safe to flag on their own.
_STRONG_PATRONYMIC = (
    rf"[{_CYR_UPPER}][{_CYR_LOWER}]{{1,30}}"
    r"(?:(?:ов|ев|ёв)ич(?:а|у|ем|е)?|(?:ов|ев|ёв)н(?:а|ы|е|у))"
    rf"|[{_CYR_UPPER}][{_CYR_LOWER}]{{2,30}}(?:ұлы|қызы)"
)
# Endings that ordinary words share ("Кирпич", "Типична", "Основной", "Прогулы",
# "Абай ұлы ақын"): they count only after a capitalised word, the given name.
_WEAK_PATRONYMIC = (
    rf"[{_CYR_UPPER}][{_CYR_LOWER}]{{1,30}}"
    r"(?:ич(?:а|у|ем|е)?|ичн(?:а|ы|е|у|ой)|(?:ов|ев|ёв)ной)"
    rf"|[{_CYR_UPPER}][{_CYR_LOWER}]{{2,30}}(?:улы|кызы)"
    rf"|[{_CYR_UPPER}][{_CYR_LOWER}]{{1,30}}[ -]{_KZ_PATRONYMIC_SUFFIX}"
)
_PATRONYMIC = re.compile(
    rf"{_WORD_START}(?:{_CYR_CAP}{_GAP}){{0,2}}"
    rf"(?P<core>{_STRONG_PATRONYMIC}){_WORD_END}"
)
_PATRONYMIC_AFTER_NAME = re.compile(
    rf"{_WORD_START}(?:{_CYR_CAP}{_GAP}){{1,2}}"
    rf"(?P<core>{_WEAK_PATRONYMIC}){_WORD_END}"
)

# Endings of Russian and Kazakh surnames, with case endings where they decline.
# Nominative only for "-ский": "Медеуским судом" is a court, not a person.
_SURNAME = re.compile(
    rf"[{_CYR_UPPER}][{_CYR_LOWER}]{{2,30}}"
    r"(?:(?:ов|ев|ёв|ин|ын)(?:а|у|ым|ой|е|ых)?|(?:ск|цк)(?:ий|ая)|енко|ук|юк|ян|янц"
    r"|дзе|швили|ұлы|улы|қызы|кызы)"
)

_INITIALS = r"(?P<initials>[{upper}]\.[ \u00a0]?[{upper}]\.)"
_INITIALS_AFTER = tuple(
    re.compile(
        # Иванов И.И., Иванов И. И.
        rf"{_WORD_START}(?P<surname>{cap}){_GAP}{_INITIALS.format(upper=upper)}"
    )
    for upper, cap in ((_CYR_UPPER, _CYR_CAP), ("A-Z", _CAP))
)
_INITIALS_BEFORE = tuple(
    re.compile(
        # И.И. Иванов
        rf"(?<![\w.]){_INITIALS.format(upper=upper)}[ \u00a0]?(?P<surname>{cap})"
        rf"{_WORD_END}"
    )
    for upper, cap in ((_CYR_UPPER, _CYR_CAP), ("A-Z", _CAP))
)

# Titles and case words after which a surname follows.
_TITLE_ANY_NAME = (
    r"[Гг]-(?:н|жа|на|же|ну|ном)|[Гг]оспо(?:дин|дина|дину|дином|жа|жи|же|жу|жой)"
    r"|M(?:r|rs|s|iss|ister)\.?|Dr\.?"
)
_TITLE_SURNAME = (
    r"[Гг]р\.|[Гг]р-(?:н|ка|на|ну|ки|ке)|[Гг]раждан(?:ин|ина|ину|ином|ка|ки|ке|ку|кой)"
    r"|[Кк]лиент[а-я]{0,3}|[Пп]одопечн[а-я]{1,3}|[Оо]сужд[её]нн[а-я]{1,3}"
    r"|[Пп]одуч[её]тн[а-я]{1,3}|[Пп]отерпевш[а-я]{1,3}|[Пп]одозреваем[а-я]{1,3}"
    r"|[Оо]бвиняем[а-я]{1,3}|[Аа]замат(?:ша)?[а-яәғқңөұүһі]{0,4}"
    r"|[Сс]отталған[а-яәғқңөұүһі]{0,4}|[Сс]отталушы[а-яәғқңөұүһі]{0,4}"
)
_TITLED = re.compile(
    rf"(?<![\w-])(?:(?P<any>{_TITLE_ANY_NAME})|(?P<title>{_TITLE_SURNAME}))"
    rf"{_GAP}(?P<first>{_CAP})(?:{_GAP}(?P<second>{_CAP}))?{_WORD_END}"
)
# Kazakh courtesy words follow the name: "Серік мырза", "Айгүл ханым".
_COURTESY_AFTER = re.compile(
    rf"{_WORD_START}(?P<name>{_CYR_CAP}){_GAP}(?:мырза|ханым){_WORD_END}"
)
_LOOKBACK = 20


def _is_name(word: str) -> bool:
    return word.lower() not in _NOT_NAMES


def _looks_like_surname(word: str) -> bool:
    return bool(_SURNAME.fullmatch(word)) and _is_name(word)


def _starts_sentence(text: str, position: int) -> bool:
    # A short window is enough and keeps each check constant-time on long texts.
    before = text[max(0, position - _LOOKBACK) : position].rstrip(' \t\u00a0"«(')
    return not before or before[-1] in ".!?…:;\n"


def _trim_leading_non_names(text: str, start: int, core_start: int) -> int:
    """Where the name begins once the words that only precede it are dropped."""
    kept: list[int] = []
    for word in reversed(list(re.finditer(r"\S+", text[start:core_start]))):
        if not _is_name(word.group()):
            break
        kept.append(start + word.start())
    # "Пришёл Иван Кузьмич": a sentence may start with any capitalised word. With
    # a given name already before the patronymic, a first word that is not a
    # surname is that sentence's start. A single word stays: "Серик Ахметұлы".
    if len(kept) == 2 and _starts_sentence(text, kept[1]):
        first = text[kept[1] : kept[0]].strip()
        if not _looks_like_surname(first):
            kept.pop()
    return kept[-1] if kept else core_start


def _names(text: str) -> Iterator[Finding]:
    for match in _PATRONYMIC.finditer(text):
        if not _is_name(match.group("core")):
            continue
        start = _trim_leading_non_names(text, match.start(), match.start("core"))
        yield _finding(Kind.NAME, text, start, match.end())
    for match in _PATRONYMIC_AFTER_NAME.finditer(text):
        start = _trim_leading_non_names(text, match.start(), match.start("core"))
        if start < match.start("core"):
            yield _finding(Kind.NAME, text, start, match.end())
    for pattern in _INITIALS_AFTER:
        for match in pattern.finditer(text):
            surname = match.group("surname")
            if _initials_are_abbreviation(match.group("initials")):
                continue
            # "Встреча А.Б." starts a sentence with a common word followed by
            # the initials an anonymised text uses; a surname either has a
            # surname's ending or stands in the middle of a sentence.
            if _looks_like_surname(surname) or (
                _is_name(surname) and not _starts_sentence(text, match.start())
            ):
                yield _finding(Kind.NAME, text, match.start(), match.end())
    for pattern in _INITIALS_BEFORE:
        for match in pattern.finditer(text):
            surname = match.group("surname")
            if _initials_are_abbreviation(match.group("initials")):
                continue
            # "...с А.Б. Решено..." is anonymised initials ending a sentence;
            # only a Russian or Kazakh surname's ending tells them apart. English
            # surnames have no such ending, so there a stop-list has to do.
            if _looks_like_surname(surname) or (
                surname.isascii() and _is_name(surname)
            ):
                yield _finding(Kind.NAME, text, match.start(), match.end())
    for match in _TITLED.finditer(text):
        first, second = match.group("first"), match.group("second")
        if match.group("any"):
            end = match.end("second") if second else match.end("first")
            yield _finding(Kind.NAME, text, match.start("first"), end)
        # After a case word a capitalised word may be a country ("гражданин
        # Казахстана") or an agency ("клиент Центра"): only a surname counts.
        elif _looks_like_surname(first):
            yield _finding(Kind.NAME, text, match.start("first"), match.end("first"))
        elif second and _is_name(first) and _looks_like_surname(second):
            # "клиент Серик Сапаров": a given name before the surname.
            yield _finding(Kind.NAME, text, match.start("first"), match.end("second"))
    for match in _COURTESY_AFTER.finditer(text):
        if _is_name(match.group("name")):
            yield _finding(Kind.NAME, text, match.start("name"), match.end("name"))


def _initials_are_abbreviation(initials: str) -> bool:
    return re.sub(r"[.\s]", "", initials).lower() in _NOT_INITIALS


# --- Putting it together -------------------------------------------------


def _finding(kind: Kind, text: str, start: int, end: int) -> Finding:
    return Finding(kind=kind, text=text[start:end], start=start, end=end)


def _merged(findings: list[Finding], text: str) -> list[Finding]:
    """Join overlapping findings of one kind: in "гражданин Петров И.И." the
    title finds "Петров" and the initials "Петров И.И.", and that is one name."""
    merged: list[Finding] = []
    for finding in sorted(findings, key=lambda f: (f.start, -f.end)):
        if merged and finding.start < merged[-1].end:
            last = merged.pop()
            finding = _finding(
                finding.kind, text, last.start, max(last.end, finding.end)
            )
        merged.append(finding)
    return merged


def identifiers_find(text: str) -> list[Finding]:
    """Fragments of `text` that look like they identify a person, in order of
    position, non-overlapping."""
    if not text:
        return []
    today = datetime.date.today()
    # Earlier kinds win an overlap: an e-mail may contain digits that read as a
    # phone number, and an IIN must not be reported a second time as a phone.
    by_priority: tuple[list[Finding], ...] = (
        list(_emails(text)),
        list(_iins(text)),
        list(_phones(text)),
        list(_birth_dates(text, today)),
        list(_names(text)),
    )
    accepted: list[Finding] = []
    # Kept sorted and non-overlapping, so a neighbour check finds any overlap.
    starts: list[int] = []
    for findings in by_priority:
        for finding in _merged(findings, text):
            index = bisect.bisect_left(starts, finding.start)
            if index > 0 and accepted[index - 1].end > finding.start:
                continue
            if index < len(accepted) and accepted[index].start < finding.end:
                continue
            accepted.insert(index, finding)
            starts.insert(index, finding.start)
    return accepted
