"""GIFT question banks (Moodle's plain-text quiz format), read as Moodle reads them.

This is a small parser of our own because pygiftparser 1.1 (2017, unmaintained)
renders HTML instead of returning data, installs `_` into builtins and calls the
deprecated `locale.getdefaultlocale()` on import, has invalid escape sequences
that Python 3.12 warns about, and drags in markdown, yattag and
MarkdownSuperscript.

Questions are separated by blank lines; `//` lines are comments and
`$CATEGORY:` lines are skipped. Text without braces is a description: skipped
and not counted. A blank line always ends a question, as in Moodle, so a
question broken by a blank line inside its braces is refused as unbalanced
rather than swallowing the questions after it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from django.utils.translation import gettext as _

from . import (
    HTML,
    MARKDOWN,
    MATCHING,
    MOODLE_AUTO,
    MULTIPLE,
    NO_CORRECT_OPTION,
    NO_FULL_MARKS,
    NUMERICAL,
    PLAIN,
    SHORT,
    SINGLE,
    TOO_FEW_OPTIONS,
    TOO_FEW_PAIRS,
    TRUEFALSE,
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

MISSING_WORD = "_____"

# Escaped characters are swapped for private-use placeholders while the
# structure is read, and put back (without the backslash) in the text.
_PLACEHOLDERS = {
    "\\": "\ue000",
    "~": "\ue001",
    "=": "\ue002",
    "#": "\ue003",
    "{": "\ue004",
    "}": "\ue005",
    ":": "\ue006",
}
_ESCAPE = re.compile(r"\\([\\~=#{}:n])")
_PLACEHOLDER = re.compile("[\ue000-\ue006]")
_RESTORE = str.maketrans({v: k for k, v in _PLACEHOLDERS.items()})

_TITLE = re.compile(r"::(.*?)::", re.DOTALL)
_FORMAT = re.compile(r"\s*\[(html|moodle|plain|markdown)\]", re.IGNORECASE)
_FORMATS = {"html": HTML, "moodle": MOODLE_AUTO, "plain": PLAIN, "markdown": MARKDOWN}
_WEIGHT = re.compile(r"\s*%(-?\d+(?:\.\d+)?)%")
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}


class _Refused(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def parse(text: str, *, true_label: str, false_label: str) -> ParseResult:
    result = ParseResult(questions=[], refused=[])
    number = 0
    for line, block in _blocks(text):
        source = _PLACEHOLDER.sub("", block)
        source = _ESCAPE.sub(_protect, source).strip()
        if "{" not in source and "}" not in source:
            continue  # a description, not a question
        number += 1
        name, source = _title(source)
        try:
            question = _question(source, name, number, line, true_label, false_label)
        except _Refused as refusal:
            result.refused.append(Refusal(number, name, refusal.reason))
        else:
            result.questions.append((number, question))
    return result


def _blocks(text: str) -> Iterator[tuple[int, str]]:
    """Questions as (number of their first line, text without comments)."""
    lines: list[str] = []
    start = 0
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if not stripped:
            if lines:
                yield start, "\n".join(lines)
                lines = []
            continue
        if stripped.startswith("//") or stripped.startswith("$CATEGORY:"):
            continue
        if not lines:
            start = number
        lines.append(line)
    if lines:
        yield start, "\n".join(lines)


def _protect(match: re.Match) -> str:
    char = match.group(1)
    return "\n" if char == "n" else _PLACEHOLDERS[char]


def _restore(text: str) -> str:
    return text.translate(_RESTORE)


def _title(source: str) -> tuple[str, str]:
    match = _TITLE.match(source)
    if not match:
        return "", source
    return tidy(_restore(match.group(1))), source[match.end() :]


def _format_of(text: str, default: str) -> tuple[str, str]:
    match = _FORMAT.match(text)
    if not match:
        return text, default
    return text[match.end() :], _FORMATS[match.group(1).lower()]


def _text(text: str, default: str) -> str:
    """A piece of GIFT as plain text, honouring its [format] prefix."""
    text, text_format = _format_of(text.strip(), default)
    return to_plain_text(_restore(text), text_format)


def _question(
    source: str, name: str, number: int, line: int, true_label: str, false_label: str
) -> ParsedQuestion:
    opening, closing = source.count("{"), source.count("}")
    if opening != 1 or closing != 1 or source.index("{") > source.index("}"):
        raise _Refused(
            _(
                "Question %(number)s (line %(line)s): the braces { } do not match. A "
                "question needs exactly one pair; write \\{ and \\} for braces in "
                "the text."
            )
            % {"number": number, "line": line}
        )
    head, rest = source.split("{", 1)
    answers, tail = rest.split("}", 1)
    answers, _sep, general = answers.partition("####")
    answers = answers.strip()
    kind = _kind(answers)
    if kind is None:
        raise _Refused(
            _(
                "Question %(number)s (line %(line)s): the answers in { } are not "
                "recognisable. Mark right answers with = and wrong ones with ~."
            )
            % {"number": number, "line": line}
        )

    head, text_format = _format_of(head.lstrip(), MOODLE_AUTO)
    raw = head + (MISSING_WORD + tail if tail.strip() else "")
    text = to_plain_text(_restore(raw), text_format)
    if not text:
        raise _Refused(no_text_reason(raw))
    question = ParsedQuestion(
        kind=SHORT, name=name, text=text, feedback=_text(general, text_format)
    )
    if kind == "choice":
        _choice(answers, question, text_format)
    elif kind == TRUEFALSE:
        _truefalse(answers, question, text_format, true_label, false_label)
    elif kind == MATCHING:
        _matching(answers, question, text_format)
    elif kind == "shortanswer":
        _shortanswer(answers, question)
    return question


def _kind(answers: str) -> str | None:
    """Moodle's own order of guesses, refusing what we cannot import."""
    if not answers:
        return "essay"
    if answers.startswith("#"):
        raise _Refused(str(NUMERICAL))
    if "~" in answers:
        return "choice"
    if "=" in answers and "->" in answers:
        return MATCHING
    if answers.split("#", 1)[0].strip().upper() in _TRUE_FALSE:
        return TRUEFALSE
    if answers.startswith("="):
        return "shortanswer"
    return None


def _choice(answers: str, question: ParsedQuestion, text_format: str) -> None:
    # As in Moodle: any "=" answer makes it single-answer, and then only full
    # marks count as right; without one, every answer with a positive weight is.
    single = "=" in answers
    question.kind = SINGLE if single else MULTIPLE
    for item in answers.replace("=", "~=").split("~"):
        item = item.strip()
        weight = 0.0
        if item.startswith("="):
            weight, item = 100.0, item[1:]
        item, weight = _weighted(item, weight)
        body, _sep, feedback = item.partition("#")
        text = _text(body, text_format)
        if not text:
            continue
        correct = weight >= 99.999 if single else weight > 0
        question.options.append(
            ParsedOption(text, correct, _text(feedback, text_format))
        )
    if len(question.options) < 2:
        raise _Refused(str(TOO_FEW_OPTIONS))
    if not any(option.correct for option in question.options):
        raise _Refused(str(NO_FULL_MARKS if single else NO_CORRECT_OPTION))


def _truefalse(
    answers: str,
    question: ParsedQuestion,
    text_format: str,
    true_label: str,
    false_label: str,
) -> None:
    # {T#shown when answered wrong#shown when answered right}
    value, _sep, comments = answers.partition("#")
    wrong, _sep, right = comments.partition("#")
    wrong, right = _text(wrong, text_format), _text(right, text_format)
    is_true = _TRUE_FALSE[value.strip().upper()]
    question.kind = TRUEFALSE
    question.options = [
        ParsedOption(true_label, is_true, right if is_true else wrong),
        ParsedOption(false_label, not is_true, wrong if is_true else right),
    ]


def _matching(answers: str, question: ParsedQuestion, text_format: str) -> None:
    question.kind = MATCHING
    for item in answers.split("="):
        if not item.strip():
            continue
        if "->" not in item:
            raise _Refused(
                _("Every pair of a matching question needs “->” between its sides.")
            )
        prompt, _sep, match = item.partition("->")
        prompt, match = _text(prompt, text_format), tidy(_restore(match))
        # "= -> answer" is an extra wrong answer in Moodle; pairs have no room
        # for those, so they are left out.
        if prompt and match:
            question.pairs.append(ParsedPair(prompt, match))
    if len(question.pairs) < 2:
        raise _Refused(str(TOO_FEW_PAIRS))


def _shortanswer(answers: str, question: ParsedQuestion) -> None:
    accepted = []
    for item in answers.split("="):
        item, weight = _weighted(item.strip(), 100.0)
        text = tidy(_restore(item.partition("#")[0]))
        if text and weight > 0:
            accepted.append(text + partial_credit(weight))
    if accepted:
        question.feedback = join_feedback(
            question.feedback, accepted_answers_note(accepted)
        )


def _weighted(item: str, weight: float) -> tuple[str, float]:
    match = _WEIGHT.match(item)
    if not match:
        return item, weight
    return item[match.end() :], float(match.group(1))
