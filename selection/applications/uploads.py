"""Checking a candidate's CV by what it contains, not by its name or what the
browser says: a PDF starts like a PDF and carries no JavaScript or launch
action; a DOCX is a Word package and carries no macro (a .docm renamed .docx).

Refused, with a translated reason naming the file: another extension, a file
larger than SELECTION_CV_MAX_BYTES, an empty file, content that is not what
the name says, active content.
"""

import io
import os
import re
import zipfile
import zlib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

DEFAULT_MAX_BYTES = 5 * 1024 * 1024

# extension -> the content type stored and sent back when the CV is downloaded
ALLOWED = {
    ".pdf": "application/pdf",
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ),
}

# PDF names that run code or programs. A name may hide its letters as #xx
# escapes (/J#53 is /JS), so names are compared once decoded.
ACTIVE_PDF_NAMES = {b"JavaScript", b"JS", b"Launch"}
NAME_DELIMITERS = rb"\s/\[\]<>(){}%"
PLAIN_ACTIVE_NAME = re.compile(
    rb"/(?:JavaScript|JS|Launch)(?![^" + NAME_DELIMITERS + rb"])"
)
ESCAPED_NAME = re.compile(
    rb"/[^" + NAME_DELIMITERS + rb"]*#[0-9A-Fa-f]{2}[^" + NAME_DELIMITERS + rb"]*"
)
HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
STREAM_START = re.compile(rb"(?<!end)stream\r?\n")
# Dictionaries may sit inside compressed object streams; they are inflated to
# be read, up to this many times the size limit in all (a decompression bomb
# stops there and is refused).
INFLATE_BUDGET_FACTOR = 10


def max_bytes() -> int:
    return getattr(settings, "SELECTION_CV_MAX_BYTES", DEFAULT_MAX_BYTES)


@dataclass(frozen=True)
class CheckedCV:
    name: str  # as the candidate named it, made safe for a download header
    extension: str
    size: int
    content_type: str
    data: bytes


class _TooMuchToInflate(Exception):
    pass


def _safe_name(raw_name: str) -> str:
    stem, extension = os.path.splitext(raw_name)
    try:
        stem = get_valid_filename(stem)[:150]
    except SuspiciousFileOperation:
        stem = ""
    return f"{stem or 'cv'}{extension.lower()}"


def _has_active_name(chunk: bytes) -> bool:
    if PLAIN_ACTIVE_NAME.search(chunk):
        return True
    for match in ESCAPED_NAME.finditer(chunk):
        name = HEX_ESCAPE.sub(
            lambda escape: bytes([int(escape.group(1), 16)]), match.group(0)[1:]
        )
        if name in ACTIVE_PDF_NAMES:
            return True
    return False


def _inflated_streams(data: bytes, budget: int):
    """The content of every zlib-compressed stream, within the budget."""
    for match in STREAM_START.finditer(data):
        end = data.find(b"endstream", match.end())
        if end == -1:
            end = len(data)
        inflater = zlib.decompressobj()
        try:
            content = inflater.decompress(data[match.end() : end], budget + 1)
        except zlib.error:
            continue  # not Flate (an image, a font in another filter): no names
        budget -= len(content)
        if budget < 0:
            raise _TooMuchToInflate
        yield content


def _pdf_has_active_content(data: bytes) -> bool:
    if _has_active_name(data):
        return True
    budget = max_bytes() * INFLATE_BUDGET_FACTOR
    return any(_has_active_name(chunk) for chunk in _inflated_streams(data, budget))


def _docx_package(data: bytes) -> tuple[set[str], bytes] | None:
    """The part names and [Content_Types].xml of a Word package, or None."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = set(package.namelist())
            if "[Content_Types].xml" not in names or "word/document.xml" not in names:
                return None
            with package.open("[Content_Types].xml") as types:
                content_types = types.read(1024 * 1024)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        return None
    return names, content_types


def _docx_has_macro(names: set[str], content_types: bytes) -> bool:
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        return True
    return b"macroenabled" in content_types.lower()


def check_cv(uploaded) -> CheckedCV:
    """Check one uploaded CV; raise ValidationError saying what is wrong."""
    raw_name = os.path.basename(getattr(uploaded, "name", "") or "") or "cv"
    name = _safe_name(raw_name)
    extension = os.path.splitext(name)[1]
    limit = max_bytes()
    too_large = _("«%(name)s» is too large: a CV may be at most %(limit)s.") % {
        "name": raw_name,
        "limit": filesizeformat(limit),
    }
    if extension not in ALLOWED:
        raise ValidationError(
            _("«%(name)s» cannot be accepted: send your CV as a PDF or DOCX file.")
            % {"name": raw_name},
            code="type",
        )
    size = getattr(uploaded, "size", None)
    if size is not None and size > limit:
        raise ValidationError(too_large, code="size")
    uploaded.seek(0)
    data = uploaded.read(limit + 1)
    uploaded.seek(0)
    if len(data) > limit:
        raise ValidationError(too_large, code="size")
    if not data:
        raise ValidationError(
            _("«%(name)s» is empty.") % {"name": raw_name}, code="empty"
        )
    if extension == ".pdf":
        _check_pdf(data, raw_name)
    else:
        _check_docx(data, raw_name)
    return CheckedCV(
        name=name,
        extension=extension,
        size=len(data),
        content_type=ALLOWED[extension],
        data=data,
    )


def _check_pdf(data: bytes, raw_name: str) -> None:
    if not data.startswith(b"%PDF-"):
        raise ValidationError(
            _(
                "«%(name)s» is not a PDF file, whatever its name says. Save your "
                "CV as PDF or DOCX and choose it again."
            )
            % {"name": raw_name},
            code="content",
        )
    try:
        active = _pdf_has_active_content(data)
    except _TooMuchToInflate:
        raise ValidationError(
            _(
                "«%(name)s» could not be checked: it holds too much compressed "
                "content. Save a smaller PDF (for example with «Print to PDF») "
                "and choose it again."
            )
            % {"name": raw_name},
            code="content",
        ) from None
    if active:
        raise ValidationError(
            _(
                "«%(name)s» contains JavaScript or an action that starts a "
                "program. Save your CV as a plain PDF (for example with «Print "
                "to PDF») and choose it again."
            )
            % {"name": raw_name},
            code="active_content",
        )


def _check_docx(data: bytes, raw_name: str) -> None:
    package = _docx_package(data)
    if package is None:
        raise ValidationError(
            _(
                "«%(name)s» is not a Word (DOCX) document, whatever its name "
                "says. Save your CV as PDF or DOCX and choose it again."
            )
            % {"name": raw_name},
            code="content",
        )
    if _docx_has_macro(*package):
        raise ValidationError(
            _(
                "«%(name)s» contains macros: it is a macro-enabled document. "
                "Save it as an ordinary Word document (DOCX) or as PDF and "
                "choose it again."
            )
            % {"name": raw_name},
            code="macro",
        )
