"""Checking the files officers attach to a submission, by what they contain and
not by what their name or the browser says: a PDF starts like a PDF, a DOCX is a
Word package, audio carries its container's signature, and an image is opened
with Pillow and must be the format its name claims.

Refused, with a translated reason: an empty file, one larger than
USTAZ_SUBMISSION_MAX_BYTES, a type not on the list, content that does not match
the name, an image with too many pixels or that Pillow cannot read.
"""

import io
import os
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_MAX_PIXELS = 40_000_000

# extension -> the content type stored and sent back when the file is downloaded
ALLOWED = {
    ".pdf": "application/pdf",
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ),
    ".txt": "text/plain; charset=utf-8",
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".ogg": "audio/ogg",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}
IMAGE_FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG"}
M4A_BRANDS = {b"M4A ", b"M4B ", b"mp42", b"isom", b"iso2", b"mp41", b"dash"}


def max_bytes() -> int:
    return getattr(settings, "USTAZ_SUBMISSION_MAX_BYTES", DEFAULT_MAX_BYTES)


def allowed_extensions() -> str:
    return ", ".join(sorted({ext.lstrip(".").upper() for ext in ALLOWED}))


@dataclass(frozen=True)
class CheckedFile:
    name: str  # as the officer named it, made safe for a download header
    extension: str
    size: int
    content_type: str
    data: bytes


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return False
    return "[Content_Types].xml" in names and "word/document.xml" in names


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return True


def _is_mp3(data: bytes) -> bool:
    if data.startswith(b"ID3"):
        return True
    # A bare MPEG audio frame: eleven sync bits, then not the reserved layer.
    return len(data) > 2 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0


def _is_m4a(data: bytes) -> bool:
    return data[4:8] == b"ftyp" and data[8:12] in M4A_BRANDS


CONTENT_CHECKS = {
    ".pdf": lambda data: data.startswith(b"%PDF-"),
    ".docx": _is_docx,
    ".txt": _is_text,
    ".mp3": _is_mp3,
    ".m4a": _is_m4a,
    ".ogg": lambda data: data.startswith(b"OggS"),
}


def _check_image(data: bytes, extension: str, name: str) -> None:
    not_image = _("«%(name)s» is not a %(format)s image, whatever its name says.") % {
        "name": name,
        "format": IMAGE_FORMATS[extension],
    }
    limit = getattr(settings, "WAGTAILIMAGES_MAX_IMAGE_PIXELS", DEFAULT_MAX_PIXELS)
    try:
        with Image.open(io.BytesIO(data)) as image:
            real_format = image.format
            width, height = image.size
            if real_format != IMAGE_FORMATS[extension]:
                raise ValidationError(not_image)
            if width * height > limit:
                raise ValidationError(
                    _("«%(name)s» is too large a picture: make it smaller.")
                    % {"name": name}
                )
            image.verify()
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(not_image) from error
    except Image.DecompressionBombError as error:
        raise ValidationError(
            _("«%(name)s» is too large a picture: make it smaller.") % {"name": name}
        ) from error


def check_upload(uploaded) -> CheckedFile:
    """Check one uploaded file; raise ValidationError saying what is wrong."""
    raw_name = os.path.basename(getattr(uploaded, "name", "") or "file")
    name = get_valid_filename(raw_name)[:200] or "file"
    extension = os.path.splitext(name)[1].lower()
    size = getattr(uploaded, "size", None)
    limit = max_bytes()
    if size is not None and size > limit:
        raise ValidationError(
            _("«%(name)s» is too large: at most %(limit)s per file.")
            % {"name": raw_name, "limit": filesizeformat(limit)}
        )
    if extension not in ALLOWED:
        raise ValidationError(
            _(
                "«%(name)s» is a type of file that cannot be attached. "
                "Allowed: %(types)s."
            )
            % {"name": raw_name, "types": allowed_extensions()}
        )
    uploaded.seek(0)
    data = uploaded.read(limit + 1)
    uploaded.seek(0)
    if len(data) > limit:
        raise ValidationError(
            _("«%(name)s» is too large: at most %(limit)s per file.")
            % {"name": raw_name, "limit": filesizeformat(limit)}
        )
    if not data:
        raise ValidationError(_("«%(name)s» is empty.") % {"name": raw_name})
    if extension in IMAGE_FORMATS:
        _check_image(data, extension, raw_name)
    elif not CONTENT_CHECKS[extension](data):
        raise ValidationError(
            _(
                "«%(name)s» does not contain what its name says (%(type)s). "
                "Save it again in that format, or attach it with its real extension."
            )
            % {"name": raw_name, "type": extension.lstrip(".").upper()}
        )
    return CheckedFile(
        name=name,
        extension=extension,
        size=len(data),
        content_type=ALLOWED[extension],
        data=data,
    )
