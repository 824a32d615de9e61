"""Reading Moodle XML and GIFT question banks into plain questions.

Bad input tried: an empty file, a file of blanks, a file holding only a UTF-8
BOM, a 3 MB file, Latin-1 and Windows-1251 bytes, a billion-laughs XML, an XML
with an external entity reading /etc/passwd, an XML with an external DTD, an
HTML page (with and without an XML declaration), XML that is not well-formed, a
Moodle quiz with only a category in it, prose with no GIFT question, GIFT with
unbalanced, reversed and doubled braces, GIFT answers that are neither = nor ~,
GIFT numerical questions (value, tolerance and range), a <script> in question
text, unsupported Moodle types (numerical, calculated*, Cloze, drag-and-drop,
select-missing-words, unknown, missing type), questions with no text or only an
image, choice questions with one option or no right one, matching with one pair,
true/false with no right answer.
"""

from pathlib import Path

import pytest
from django.utils import translation

from courses.importers import (
    MAX_FILE_SIZE,
    ImportFileError,
    ParsedOption,
    ParsedPair,
    parse_question_file,
)

DATA = Path(__file__).parent / "data"
TRUE, FALSE = "Верно", "Неверно"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def parse(filename, data):
    return parse_question_file(filename, data, true_label=TRUE, false_label=FALSE)


def parse_sample(filename):
    return parse(filename, (DATA / filename).read_bytes())


def by_name(result):
    return {question.name: (number, question) for number, question in result.questions}


def refusals(result):
    return {
        refusal.name: (refusal.number, refusal.reason) for refusal in result.refused
    }


def cannot_read(filename, data):
    with pytest.raises(ImportFileError) as caught:
        parse(filename, data)
    return str(caught.value)


def quiz(*questions):
    body = "\n".join(questions)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n{body}\n</quiz>\n'.encode()


def moodle_question(qtype, body="", text="<p>Текст вопроса</p>", name="Вопрос"):
    return (
        f'<question type="{qtype}"><name><text>{name}</text></name>'
        f'<questiontext format="html"><text><![CDATA[{text}]]></text></questiontext>'
        f"{body}</question>"
    )


# --- Moodle XML --------------------------------------------------------------


def test_moodle_xml_kinds_and_numbering():
    questions = by_name(parse_sample("bank.xml"))

    number, single = questions["Периодичность явки"]
    assert number == 1, "the category before it is not counted"
    assert single.kind == "single"
    assert single.text == (
        "Как часто осуждённый к пробационному контролю обязан являться в службу "
        "пробации, если суд не установил иное?"
    ), "tags, &nbsp; and the @@PLUGINFILE@@ image are gone"
    assert single.feedback == "См. правила пробационного контроля.\nПункт 12."
    assert single.options == [
        ParsedOption("Один раз в месяц", True, "Верно."),
        ParsedOption("Один раз в год", False, "Слишком редко — контроль теряет смысл."),
        ParsedOption("Каждый день", False, ""),
    ]

    number, multiple = questions["Обязанности осуждённого"]
    assert number == 2
    assert multiple.kind == "multiple"
    assert multiple.text == (
        "Какие обязанности суд может возложить на осуждённого?\n\n- выберите все верные"
    )
    assert [option.correct for option in multiple.options] == [True, True, False]
    assert multiple.options[2].feedback == "Такой обязанности нет."

    number, truefalse = questions["Смена места жительства"]
    assert number == 3
    assert truefalse.kind == "truefalse"
    assert truefalse.text == (
        "Осуждённый может сменить место жительства без уведомления службы пробации."
        "\nОтветьте «верно» или «неверно»."
    ), "auto-format keeps its line breaks"
    assert truefalse.options == [
        ParsedOption(TRUE, False, "Нет, нужно уведомить службу пробации."),
        ParsedOption(FALSE, True, "Правильно."),
    ]

    number, matching = questions["Сроки"]
    assert number == 4
    assert matching.kind == "matching"
    assert matching.pairs == [
        ParsedPair("Постановка на учёт", "10 дней"),
        ParsedPair("Первая беседа", "3 дня"),
    ], "the distractor without a prompt is left out"
    assert matching.options == []

    number, short = questions["Орган"]
    assert number == 5
    assert short.kind == "short"
    assert short.feedback == (
        "Закон о пробации, ст. 5.\n\nAccepted answers: служба пробации; полиция (50%)"
    ), "the catch-all * worth nothing is not an accepted answer"

    number, essay = questions["Ресоциализация"]
    assert number == 6
    assert essay.kind == "short"
    assert essay.text == (
        "Опишите **три шага** ресоциализации.\n\nОтвет — не более 200 слов."
    ), "Markdown is kept as written"
    assert essay.feedback == "Information for graders: Жильё, работа, социальные связи."

    number, kazakh = questions["Пробация мақсаты"]
    assert number == 7, "the description before it is not counted"
    assert kazakh.kind == "single"
    assert kazakh.text == "Пробацияның негізгі мақсаты қандай?"
    assert kazakh.options[0] == ParsedOption(
        "Сотталғанның қоғамға қайта бейімделуі", True, "Дұрыс."
    )

    number, two_right = questions["Два верных ответа"]
    assert number == 8
    assert two_right.kind == "single", "two full-mark answers keep it single"
    assert [option.correct for option in two_right.options] == [
        True,
        True,
        False,
        False,
    ], "the 50% answer is not counted as right"
    assert two_right.text.endswith("<не выдумывайте>"), "plain text stays literal"

    assert "Введение" not in questions


def test_moodle_xml_refusals():
    result = parse_sample("bank.xml")
    assert len(result.questions) == 8
    assert refusals(result) == {
        "Срок в днях": (9, "Numerical questions are not supported."),
        "Расчёт срока": (10, "Calculated questions are not supported."),
        "Cloze": (11, "Embedded answers (Cloze) questions are not supported."),
        "Перетащите": (
            12,
            "Drag-and-drop and select-missing-word questions are not supported.",
        ),
        "Порядок действий": (13, "Questions of type “ordering” are not supported."),
        "Без текста": (14, "The question has no text."),
        "Только картинка": (
            15,
            "The question has only images or files, and they are not imported.",
        ),
        "Один вариант": (16, "A multiple-choice question needs at least two options."),
        "Нет верного": (17, "A multiple-choice question needs a correct option."),
        "Нет полного балла": (
            18,
            "A single-answer question needs an option that gives full marks.",
        ),
        "Одна пара": (19, "A matching question needs at least two pairs."),
        "Оба неверны": (20, "A true/false question needs exactly one right answer."),
    }


@pytest.mark.parametrize(
    ("qtype", "reason"),
    [
        ("calculated", "Calculated questions are not supported."),
        ("calculatedmulti", "Calculated questions are not supported."),
        ("gapselect", "Drag-and-drop and select-missing-word questions are not"),
        ("ddmarker", "Drag-and-drop and select-missing-word questions are not"),
        ("ddimageortext", "Drag-and-drop and select-missing-word questions are not"),
        ("randomsamatch", "Questions of type “randomsamatch” are not supported."),
    ],
)
def test_moodle_xml_other_unsupported_types(qtype, reason):
    result = parse("bank.xml", quiz(moodle_question(qtype)))
    assert result.questions == []
    assert result.refused[0].number == 1
    assert result.refused[0].reason.startswith(reason)


def test_moodle_xml_question_without_type_is_refused():
    result = parse("bank.xml", quiz(moodle_question("").replace(' type=""', "")))
    assert result.refused[0].reason == "Questions of type “” are not supported."


def test_moodle_xml_html_is_reduced_to_safe_text():
    text = (
        "<p>Первый&nbsp;абзац<br/>вторая строка</p><script>alert('xss')</script>"
        "<style>p {color: red}</style><p>Второй &lt;абзац&gt; &amp; "
        '<a href="@@PLUGINFILE@@/doc.pdf">ссылка</a></p>'
        "<table><tr><td>A</td><td>B</td></tr></table>"
    )
    body = (
        '<answer fraction="100"><text>Да</text></answer>'
        '<answer fraction="0"><text>Нет</text></answer>'
    )
    result = parse("bank.xml", quiz(moodle_question("multichoice", body, text)))
    (_number, question), *_rest = result.questions
    assert question.text == (
        "Первый абзац\nвторая строка\n\nВторой <абзац> & ссылка\n\nA B"
    )
    assert "alert" not in question.text
    assert "color" not in question.text


def test_moodle_xml_truefalse_true_is_right():
    body = (
        '<answer fraction="100" format="moodle_auto_format"><text>true</text>'
        '<feedback format="html"><text>Да, это так.</text></feedback></answer>'
        '<answer fraction="0" format="moodle_auto_format"><text>false</text>'
        "</answer>"
    )
    result = parse("q.xml", quiz(moodle_question("truefalse", body)))
    question = result.questions[0][1]
    assert question.options == [
        ParsedOption(TRUE, True, "Да, это так."),
        ParsedOption(FALSE, False, ""),
    ]


def test_moodle_xml_is_found_by_content_not_by_name():
    result = parse("bank.gift", (DATA / "bank.xml").read_bytes())
    assert len(result.questions) == 8


@pytest.mark.parametrize(
    ("filename", "start"),
    [
        ("bank.txt", "<quiz>"),
        ("bank.txt", "<!-- exported from Moodle -->\n<quiz>"),
        ("bank.xml", "\n  <quiz>"),
    ],
)
def test_moodle_xml_without_declaration(filename, start):
    body = '<answer fraction="100"><text>Да</text></answer>'
    body += '<answer fraction="0"><text>Нет</text></answer>'
    data = f"{start}{moodle_question('multichoice', body)}</quiz>".encode()
    assert parse(filename, data).questions[0][1].kind == "single"


def test_moodle_xml_with_bom_is_read():
    data = b"\xef\xbb\xbf" + (DATA / "bank.xml").read_bytes()
    assert len(parse("bank.xml", data).questions) == 8


# --- GIFT --------------------------------------------------------------------


def test_gift_kinds_and_numbering():
    questions = by_name(parse_sample("bank.gift"))

    number, single = questions["Периодичность явки"]
    assert number == 1, "comments and the $CATEGORY line are not counted"
    assert single.kind == "single"
    assert single.text == "Как часто осуждённый обязан являться в службу пробации?"
    assert single.feedback == "См. правила пробационного контроля."
    assert single.options == [
        ParsedOption("Один раз в месяц", True, "Верно."),
        ParsedOption("Один раз в год", False, "Слишком редко."),
        ParsedOption("Каждый день", False, ""),
    ]

    number, multiple = questions["Обязанности"]
    assert number == 2
    assert multiple.kind == "multiple"
    assert [option.correct for option in multiple.options] == [True, True, False]
    assert multiple.options[0].text == "Не менять место жительства без уведомления"
    assert multiple.options[2].feedback == "Такой обязанности нет."

    number, false = questions["Смена места жительства"]
    assert number == 3
    assert false.kind == "truefalse"
    assert false.options == [
        ParsedOption(TRUE, False, "Нет, нужно уведомить службу."),
        ParsedOption(FALSE, True, "Правильно."),
    ], "first feedback is for the wrong answer, second for the right one"

    number, true = questions["Уведомление"]
    assert number == 4
    assert true.options == [ParsedOption(TRUE, True), ParsedOption(FALSE, False)]

    number, matching = questions["Сроки"]
    assert number == 5
    assert matching.kind == "matching"
    assert matching.pairs == [
        ParsedPair("Постановка на учёт", "10 дней"),
        ParsedPair("Первая беседа", "3 дня"),
    ]

    number, essay = questions["Ресоциализация"]
    assert number == 6
    assert (essay.kind, essay.feedback, essay.options) == ("short", "", [])

    number, short = questions["Орган"]
    assert number == 7
    assert short.kind == "short"
    assert short.feedback == (
        "Закон о пробации, ст. 5.\n\nAccepted answers: служба пробации; полиция (50%)"
    )

    number, missing_word = questions["Пропущенное слово"]
    assert number == 8
    assert missing_word.text == "Постановка на учёт производится в течение _____ дней."
    assert [option.text for option in missing_word.options] == ["10", "5", "30"]

    number, kazakh = questions["Пробация мақсаты"]
    assert number == 9, "the description before it is not counted"
    assert kazakh.options[0] == ParsedOption(
        "Сотталғанның қоғамға қайта бейімделуі", True, "Дұрыс."
    )

    number, escaped = questions["Экранирование"]
    assert number == 10
    assert escaped.text == (
        "Формула 2 = 2 и скобки { } и решётка # и двоеточие : сохраняются.\n"
        "Вторая строка."
    )
    assert escaped.options == [ParsedOption("да", True), ParsedOption("нет", False)]


def test_gift_refusals():
    result = parse_sample("bank.gift")
    assert len(result.questions) == 10
    assert refusals(result) == {
        "Срок в днях": (11, "Numerical questions are not supported."),
        "Незакрытая скобка": (
            12,
            "Question 12 (line 46): the braces { } do not match. A question needs "
            "exactly one pair; write \\{ and \\} for braces in the text.",
        ),
        "Непонятные ответы": (
            13,
            "Question 13 (line 48): the answers in { } are not recognisable. Mark "
            "right answers with = and wrong ones with ~.",
        ),
        "Без текста": (14, "The question has no text."),
        "Одна пара": (15, "A matching question needs at least two pairs."),
        "Без правильного": (16, "A multiple-choice question needs a correct option."),
    }


@pytest.mark.parametrize(
    "source",
    [
        "Кто ведёт личное дело? {=Инспектор ~Судья",
        "Кто ведёт личное дело? =Инспектор ~Судья}",
        "Кто ведёт личное дело? }=Инспектор ~Судья{",
        "Кто ведёт {личное} дело? {=Инспектор ~Судья}",
        "Кто ведёт личное дело? {=Инспектор {~Судья}}",
    ],
)
def test_gift_unbalanced_braces_are_refused_with_their_number(source):
    data = f"// Банк\n\nВопрос без ошибок? {{T}}\n\n::Дело::{source}\n".encode()
    result = parse("bank.gift", data)
    assert [number for number, _question in result.questions] == [1]
    assert result.refused[0].number == 2
    assert result.refused[0].name == "Дело"
    assert result.refused[0].reason.startswith("Question 2 (line 5): the braces")


def test_gift_blank_line_inside_braces_ends_the_question():
    data = "Кто ведёт дело? {\n=Инспектор\n\n~Судья\n}\n\nСрок? {=10 ~5}".encode()
    result = parse("bank.gift", data)
    assert [refusal.number for refusal in result.refused] == [1, 2]
    assert [number for number, _question in result.questions] == [3]


@pytest.mark.parametrize("answers", ["#10:2", "#5..15", "#=10#Верно =%50%9"])
def test_gift_numerical_is_refused(answers):
    result = parse("bank.gift", f"::Срок::Сколько дней? {{{answers}}}".encode())
    assert result.questions == []
    assert result.refused[0].reason == "Numerical questions are not supported."


def test_gift_formats_and_html_safety():
    data = (
        "::HTML::[html]<p>Абзац&nbsp;один</p><p>Абзац <b>два</b>"
        "<script>alert(1)</script></p>{=[plain]<b>да</b> ~нет}\n\n"
        "::Markdown::[markdown]**Жирный** текст{=да ~нет}\n\n"
        "[plain]Без названия <i>курсив</i>{TRUE}\n"
    ).encode()
    questions = parse("bank.gift", data).questions
    html, markdown, untitled = (question for _number, question in questions)
    assert html.text == "Абзац один\n\nАбзац два"
    assert html.options[0].text == "<b>да</b>", "an answer may set its own format"
    assert markdown.text == "**Жирный** текст"
    assert (untitled.name, untitled.text) == ("", "Без названия <i>курсив</i>")


def test_gift_windows_line_endings_and_bom():
    data = "\ufeff// комментарий\r\n::Срок::Срок?{=10 ~5}\r\n\r\n::Ещё::Ещё?{T}\r\n"
    result = parse("bank.txt", data.encode())
    assert [question.name for _number, question in result.questions] == [
        "Срок",
        "Ещё",
    ]


def test_gift_is_found_by_content_not_by_name():
    result = parse("bank.xml", (DATA / "bank.gift").read_bytes())
    assert len(result.questions) == 10


def test_file_of_exactly_two_megabytes_is_read():
    question = "::Срок::Срок постановки на учёт?{=10 дней ~5 дней}\n\n".encode()
    padding = MAX_FILE_SIZE - len(question)
    data = question + b"/" * (padding - 1) + b"\n"
    assert len(data) == MAX_FILE_SIZE
    assert len(parse("bank.gift", data).questions) == 1


# --- Files that cannot be read ----------------------------------------------


@pytest.mark.parametrize("data", [b"", b"  \n\t\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf\n"])
def test_empty_file(data):
    assert cannot_read("bank.gift", data) == "The file is empty."


def test_file_over_two_megabytes():
    data = b"// " + b"x" * (3 * 1024 * 1024) + "\nСрок?{=10 ~5}".encode()
    assert cannot_read("bank.gift", data) == "The file is larger than 2 MB."


@pytest.mark.parametrize(
    "data",
    [
        "Période d'essai: durée? {=six mois ~un an}".encode("latin-1"),
        "::Срок::Срок постановки на учёт?{=10 дней ~5 дней}".encode("cp1251"),
        '<?xml version="1.0" encoding="ISO-8859-1"?><quiz>Période</quiz>'.encode(
            "latin-1"
        ),
    ],
)
def test_not_utf8(data):
    assert cannot_read("bank.gift", data) == (
        "The file is not in UTF-8. Save it as UTF-8 and upload it again."
    )


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE quiz [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<quiz><question type="essay"><name><text>&lol9;</text></name>
<questiontext format="html"><text>&lol9;</text></questiontext></question></quiz>
"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE quiz [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<quiz><question type="essay"><name><text>XXE</text></name>
<questiontext format="html"><text>&xxe;</text></questiontext></question></quiz>
"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE quiz SYSTEM "http://example.invalid/evil.dtd">
<quiz><question type="essay"><name><text>DTD</text></name>
<questiontext format="html"><text>Text</text></questiontext></question></quiz>
"""


@pytest.mark.parametrize("data", [BILLION_LAUGHS, EXTERNAL_ENTITY, EXTERNAL_DTD])
def test_xml_with_dtd_or_entities_is_not_read(data):
    message = cannot_read("bank.xml", data)
    assert message == (
        "The file declares a DTD or entities, which Moodle quiz files never do; it "
        "was not read."
    )
    assert "root" not in message


@pytest.mark.parametrize(
    "data",
    [
        b'<?xml version="1.0"?><html><body><p>Quiz</p></body></html>',
        b"<html><body><p>Quiz {=a ~b}</p></body></html>",
    ],
)
def test_xml_that_is_not_a_moodle_quiz(data):
    assert cannot_read("bank.xml", data) == (
        "The file is XML but not a Moodle quiz: it starts with <html>."
    )


def test_malformed_xml():
    assert cannot_read("broken.xml", (DATA / "broken.xml").read_bytes()) == (
        "The file is not well-formed XML (line 14, column 2)."
    )


def test_quiz_with_only_a_category_has_no_questions():
    category = (
        '<question type="category"><category><text>$course$/top/Пробация</text>'
        "</category></question>"
    )
    assert cannot_read("bank.xml", quiz(category)) == "The file contains no questions."


@pytest.mark.parametrize(
    "data",
    [
        "Служба пробации — государственный орган.\n\nОписание без вопросов.",
        "// только комментарий\n$CATEGORY: $course$/top/Пробация\n",
    ],
)
def test_gift_with_nothing_recognisable(data):
    assert cannot_read("bank.gift", data.encode()) == "The file contains no questions."
