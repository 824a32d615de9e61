"""Read question banks exported from Moodle: Moodle XML and GIFT.

Pure parsing, no models and no database: `parse_question_file` turns the bytes
a trainer uploaded into `ParsedQuestion` objects and a list of `Refusal`s (the
questions that cannot be imported, each with a translated reason). A file that
cannot be read at all raises `ImportFileError` with a translated message.

The format is chosen by content, not by the file name alone: text that starts
with an XML declaration, a DOCTYPE, an XML comment or a `<quiz>`/`<html>` tag is
read as Moodle XML (a `.xml` name also sends anything starting with `<` there);
everything else is read as GIFT.

Numbering: `number` is the 1-based position among the real questions of the
file, imported or refused. Moodle XML categories and descriptions, GIFT
`$CATEGORY:` lines and GIFT descriptions (text without braces) are skipped
silently and not counted, so "question 3" is the third thing a trainer would
call a question.

All text comes out as plain text: HTML is reduced to its text (paragraphs as
blank lines, `<br>` as line breaks, entities decoded, scripts, styles and images
dropped), other formats are kept as written. It is never markup: whoever shows
it must escape it, as Django templates do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MAX_FILE_SIZE = 2 * 1024 * 1024
MAX_FILE_SIZE_MB = 2

# Question kinds.
SINGLE = "single"
MULTIPLE = "multiple"
TRUEFALSE = "truefalse"
MATCHING = "matching"
SHORT = "short"
KINDS = (SINGLE, MULTIPLE, TRUEFALSE, MATCHING, SHORT)

# Text formats, as Moodle names them.
HTML = "html"
MOODLE_AUTO = "moodle_auto_format"
PLAIN = "plain_text"
MARKDOWN = "markdown"


@dataclass
class ParsedOption:
    text: str
    correct: bool
    feedback: str = ""


@dataclass
class ParsedPair:
    prompt: str
    match: str


@dataclass
class ParsedQuestion:
    kind: str  # "single" | "multiple" | "truefalse" | "matching" | "short"
    name: str  # the question's name/title in the file ("" if none)
    text: str  # plain text, paragraphs separated by blank lines
    feedback: str = ""  # general feedback
    options: list[ParsedOption] = field(default_factory=list)
    pairs: list[ParsedPair] = field(default_factory=list)


@dataclass
class Refusal:
    number: int  # 1-based position of the question in the file
    name: str
    reason: str  # translated, for people


@dataclass
class ParseResult:
    questions: list[tuple[int, ParsedQuestion]]  # (number in file, question)
    refused: list[Refusal]


class ImportFileError(Exception):
    """The whole file cannot be read; str(e) is a translated message."""


def parse_question_file(
    filename: str, data: bytes, *, true_label: str, false_label: str
) -> ParseResult:
    """Parse a Moodle XML or GIFT question bank.

    `true_label` and `false_label` become the two option texts of true/false
    questions, in that order. Raises ImportFileError when the file is empty,
    larger than 2 MB, not UTF-8 (a BOM is fine), malformed or unsafe XML, XML
    that is not a Moodle quiz, or GIFT with nothing recognisable in it.
    """
    if len(data) > MAX_FILE_SIZE:
        raise ImportFileError(
            _("The file is larger than %(limit)s MB.") % {"limit": MAX_FILE_SIZE_MB}
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
            _("The file is not in UTF-8. Save it as UTF-8 and upload it again.")
        ) from None
    if not text.strip():
        raise ImportFileError(_("The file is empty."))
    text = text.replace("\r\n", "\n").replace("\r", "\n")

    if looks_like_xml(filename, text):
        from . import moodle_xml

        result = moodle_xml.parse(text, true_label=true_label, false_label=false_label)
    else:
        from . import gift

        result = gift.parse(text, true_label=true_label, false_label=false_label)
    if not result.questions and not result.refused:
        raise ImportFileError(_("The file contains no questions."))
    return result


_XML_START = re.compile(r"<(\?xml|!doctype|!--|quiz\b|html\b)", re.IGNORECASE)


def looks_like_xml(filename: str, text: str) -> bool:
    start = text.lstrip()
    if _XML_START.match(start):
        return True
    return start.startswith("<") and filename.lower().endswith(".xml")


# --- Text ------------------------------------------------------------------

_BLOCKS = frozenset(
    "address article aside blockquote caption dd div dl dt fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section "
    "table tbody td tfoot th thead tr ul".split()
)
_DROPPED = frozenset("script style head title template noscript object".split())
_PARAGRAPH = "\x00P"  # markers, removed before the text is returned
_LINE = "\x00L"


class _TextExtractor(HTMLParser):
    """HTML to plain text: block elements become paragraphs, <br> a line break,
    whitespace collapses as a browser would (except in <pre>), images and
    scripts disappear."""

    def __init__(self, keep_newlines: bool):
        super().__init__(convert_charrefs=True)
        self.keep_newlines = keep_newlines
        self.parts: list[str] = []
        self.dropped = 0
        self.pre = 0

    def handle_starttag(self, tag, attrs):
        if tag in _DROPPED:
            self.dropped += 1
        else:
            self.parts.append(self._break(tag))
            if tag == "pre":
                self.pre += 1

    def handle_startendtag(self, tag, attrs):
        if tag not in _DROPPED:
            self.parts.append(self._break(tag))

    def handle_endtag(self, tag):
        if tag in _DROPPED:
            self.dropped = max(0, self.dropped - 1)
        elif tag in _BLOCKS:
            if tag == "pre":
                self.pre = max(0, self.pre - 1)
            self.parts.append(_LINE if tag in ("li", "tr") else self._break(tag))

    @staticmethod
    def _break(tag: str) -> str:
        if tag == "br" or tag == "tr":
            return _LINE
        if tag == "li":
            return _LINE + "- "
        if tag in ("td", "th"):
            return " "
        return _PARAGRAPH if tag in _BLOCKS else ""

    def handle_data(self, data):
        if self.dropped:
            return
        if self.pre:
            self.parts.append(data.replace("\n", _LINE))
        elif self.keep_newlines:
            lines = [re.sub(r"\s+", " ", line) for line in data.split("\n")]
            self.parts.append(_LINE.join(lines))
        else:
            self.parts.append(re.sub(r"\s+", " ", data))


def html_to_text(html: str, *, keep_newlines: bool = False) -> str:
    parser = _TextExtractor(keep_newlines)
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    text = text.replace(_PARAGRAPH, "\n\n").replace(_LINE, "\n")
    return tidy(re.sub(r"[ \t]{2,}", " ", text))


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_PLUGINFILE = re.compile(r"@@PLUGINFILE@@/?\S*")


def tidy(text: str) -> str:
    """Plain text without control characters, trailing spaces, runs of blank
    lines or leftover Moodle file references."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    text = _PLUGINFILE.sub("", _CONTROL.sub("", text))
    lines = [line.strip() for line in text.split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def to_plain_text(text: str, text_format: str) -> str:
    """Text in one of Moodle's formats as plain text. HTML is reduced to text;
    Moodle auto-format may hold HTML too but its line breaks count; plain text
    and Markdown are kept as written."""
    if text_format == HTML:
        return html_to_text(text)
    if text_format == MOODLE_AUTO:
        return html_to_text(text, keep_newlines=True)
    return tidy(text)


# Reasons both formats give; str() them when a Refusal is made.
NUMERICAL = gettext_lazy("Numerical questions are not supported.")
TOO_FEW_OPTIONS = gettext_lazy("A multiple-choice question needs at least two options.")
NO_CORRECT_OPTION = gettext_lazy("A multiple-choice question needs a correct option.")
NO_FULL_MARKS = gettext_lazy(
    "A single-answer question needs an option that gives full marks."
)
TOO_FEW_PAIRS = gettext_lazy("A matching question needs at least two pairs.")


def has_only_images(raw: str) -> bool:
    """Whether text that came out empty had pictures or files in it."""
    return bool(re.search(r"<img\b|@@PLUGINFILE@@|<video\b|<audio\b", raw, re.I))


def no_text_reason(raw: str) -> str:
    if has_only_images(raw):
        return _("The question has only images or files, and they are not imported.")
    return _("The question has no text.")


def accepted_answers_note(answers: list[str]) -> str:
    return _("Accepted answers: %(answers)s") % {"answers": "; ".join(answers)}


def partial_credit(weight: float) -> str:
    """The mark after an answer that gives only part of it, as in "b (50%)"."""
    return "" if weight >= 99.999 else f" ({weight:g}%)"


def join_feedback(*parts: str) -> str:
    return "\n\n".join(part for part in parts if part)
