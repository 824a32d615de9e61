"""Moodle XML question banks (Moodle's "Export questions" → Moodle XML format).

The file is untrusted, so it is parsed only with defusedxml, which refuses any
DTD: Moodle never writes one, and it is where entity bombs and external
entities live. `<question type="category">` and `type="description"` are not
questions: they are skipped and not counted in the numbering.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException
from django.utils.translation import gettext as _

from . import (
    HTML,
    MATCHING,
    MOODLE_AUTO,
    MULTIPLE,
    NO_CORRECT_OPTION,
    NO_FULL_MARKS,
    NUMERICAL,
    SHORT,
    SINGLE,
    TOO_FEW_OPTIONS,
    TOO_FEW_PAIRS,
    TRUEFALSE,
    ImportFileError,
    ParsedOption,
    ParsedPair,
    ParsedQuestion,
    ParseResult,
    Refusal,
    accepted_answers_note,
    join_feedback,
    no_text_reason,
    partial_credit,
    tidy,
    to_plain_text,
)

SKIPPED_TYPES = {"category", "description"}
DRAG_AND_DROP_TYPES = {"ddwtos", "gapselect", "ddmarker", "ddimageortext"}
FULL_MARKS = 100.0


class _Refused(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def parse(text: str, *, true_label: str, false_label: str) -> ParseResult:
    root = _read_xml(text)
    result = ParseResult(questions=[], refused=[])
    number = 0
    for element in root.findall("question"):
        kind = (element.get("type") or "").strip().lower()
        if kind in SKIPPED_TYPES:
            continue
        number += 1
        name = tidy(element.findtext("name/text") or "")
        try:
            question = _question(element, kind, name, true_label, false_label)
        except _Refused as refusal:
            result.refused.append(Refusal(number, name, refusal.reason))
        else:
            result.questions.append((number, question))
    return result


def _read_xml(text: str) -> Element:
    try:
        root = SafeET.fromstring(
            text, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except DefusedXmlException:
        raise ImportFileError(
            _(
                "The file declares a DTD or entities, which Moodle quiz files never "
                "do; it was not read."
            )
        ) from None
    except SafeET.ParseError as error:
        line, column = getattr(error, "position", (0, 0))
        raise ImportFileError(
            _("The file is not well-formed XML (line %(line)s, column %(column)s).")
            % {"line": line, "column": column}
        ) from None
    if root.tag != "quiz":
        raise ImportFileError(
            _("The file is XML but not a Moodle quiz: it starts with <%(tag)s>.")
            % {"tag": str(root.tag)[:40]}
        )
    return root


def _question(
    element: Element, kind: str, name: str, true_label: str, false_label: str
) -> ParsedQuestion:
    _refuse_unsupported(kind)
    raw_text = element.findtext("questiontext/text") or ""
    text = _formatted(element.find("questiontext"), MOODLE_AUTO)
    if not text:
        raise _Refused(no_text_reason(raw_text))
    question = ParsedQuestion(
        kind=SHORT,
        name=name,
        text=text,
        feedback=_formatted(element.find("generalfeedback"), MOODLE_AUTO),
    )
    if kind == "multichoice":
        _multichoice(element, question)
    elif kind == "truefalse":
        _truefalse(element, question, true_label, false_label)
    elif kind == "matching":
        _matching(element, question)
    elif kind == "shortanswer":
        accepted = [
            _answer_text(answer) + partial_credit(_fraction(answer))
            for answer in element.findall("answer")
            if _fraction(answer) > 0 and _answer_text(answer)
        ]
        if accepted:
            question.feedback = join_feedback(
                question.feedback, accepted_answers_note(accepted)
            )
    else:  # essay
        grader_info = _formatted(element.find("graderinfo"), HTML)
        if grader_info:
            note = _("Information for graders: %(text)s") % {"text": grader_info}
            question.feedback = join_feedback(question.feedback, note)
    return question


def _refuse_unsupported(kind: str) -> None:
    if kind == "numerical":
        raise _Refused(str(NUMERICAL))
    if kind.startswith("calculated"):
        raise _Refused(_("Calculated questions are not supported."))
    if kind == "multianswer":
        raise _Refused(_("Embedded answers (Cloze) questions are not supported."))
    if kind in DRAG_AND_DROP_TYPES:
        raise _Refused(
            _("Drag-and-drop and select-missing-word questions are not supported.")
        )
    if kind not in ("multichoice", "truefalse", "matching", "shortanswer", "essay"):
        raise _Refused(
            _("Questions of type “%(type)s” are not supported.") % {"type": kind[:40]}
        )


def _multichoice(element: Element, question: ParsedQuestion) -> None:
    single = (element.findtext("single") or "true").strip().lower() in ("true", "1")
    question.kind = SINGLE if single else MULTIPLE
    for answer in element.findall("answer"):
        text = _answer_text(answer)
        if not text:
            continue  # Moodle ignores blank answer slots too.
        fraction = _fraction(answer)
        correct = fraction >= FULL_MARKS - 0.001 if single else fraction > 0
        feedback = _formatted(answer.find("feedback"), MOODLE_AUTO)
        question.options.append(ParsedOption(text, correct, feedback))
    if len(question.options) < 2:
        raise _Refused(str(TOO_FEW_OPTIONS))
    if not any(option.correct for option in question.options):
        raise _Refused(str(NO_FULL_MARKS if single else NO_CORRECT_OPTION))


def _truefalse(
    element: Element, question: ParsedQuestion, true_label: str, false_label: str
) -> None:
    answers = element.findall("answer")
    by_text = {_answer_text(answer).lower(): answer for answer in answers}
    true = by_text.get("true", answers[0] if answers else None)
    false = by_text.get("false", answers[1] if len(answers) > 1 else None)
    if true is None or false is None or true is false:
        raise _Refused(_("A true/false question needs exactly one right answer."))
    true_correct, false_correct = _fraction(true) > 0, _fraction(false) > 0
    if true_correct == false_correct:
        raise _Refused(_("A true/false question needs exactly one right answer."))
    question.kind = TRUEFALSE
    question.options = [
        ParsedOption(
            true_label, true_correct, _formatted(true.find("feedback"), MOODLE_AUTO)
        ),
        ParsedOption(
            false_label, false_correct, _formatted(false.find("feedback"), MOODLE_AUTO)
        ),
    ]


def _matching(element: Element, question: ParsedQuestion) -> None:
    question.kind = MATCHING
    for sub in element.findall("subquestion"):
        prompt = _formatted(sub, MOODLE_AUTO)
        match = tidy(sub.findtext("answer/text") or "")
        # A subquestion without a prompt is an extra wrong answer in Moodle;
        # pairs have no room for those, so they are left out.
        if prompt and match:
            question.pairs.append(ParsedPair(prompt, match))
    if len(question.pairs) < 2:
        raise _Refused(str(TOO_FEW_PAIRS))


def _formatted(element: Element | None, default_format: str) -> str:
    """The <text> of an element that has a format attribute, as plain text."""
    if element is None:
        return ""
    return to_plain_text(
        element.findtext("text") or "", element.get("format") or default_format
    )


def _answer_text(answer: Element) -> str:
    return _formatted(answer, MOODLE_AUTO)


def _fraction(answer: Element) -> float:
    try:
        return float(answer.get("fraction") or 0)
    except ValueError:
        return 0.0
