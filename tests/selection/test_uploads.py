"""Checking a candidate's CV by its content, not its name.

Bad inputs tried: a text file named .pdf, a PDF named .docx, a ZIP that is not
a Word package, a DOCX carrying a vbaProject.bin, a .docm renamed .docx (its
macro-enabled content type), a PDF with /JavaScript, /JS, /Launch, a name
hidden as #xx escapes, JavaScript inside a compressed object stream, a PDF
that inflates past the budget, an empty file, a file over
SELECTION_CV_MAX_BYTES, the extensions .docm, .exe, .txt and none at all, a
file name with a path.
"""

import io
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from selection.applications.uploads import check_cv

DOCX_TYPES = (
    b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
    b'package/2006/content-types"><Override PartName="/word/document.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.'
    b'wordprocessingml.document.main+xml"/></Types>'
)
DOCM_TYPES = DOCX_TYPES.replace(
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main",
    b"application/vnd.ms-word.document.macroEnabled.main",
)


def pdf_bytes(body: bytes = b"1 0 obj << /Type /Catalog >> endobj\n") -> bytes:
    return b"%PDF-1.4\n" + body + b"trailer << /Root 1 0 R >>\n%%EOF\n"


def docx_bytes(*, types: bytes = DOCX_TYPES, extra: dict | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", types)
        package.writestr("word/document.xml", "<w:document>Резюме</w:document>")
        for name, content in (extra or {}).items():
            package.writestr(name, content)
    return buffer.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def refusal(name: str, data: bytes) -> str:
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        check_cv(upload(name, data))
    (message,) = caught.value.messages
    assert f"«{name}»" in message, "the message names the file"
    return message


def test_a_real_pdf_is_accepted_with_its_content_type():
    checked = check_cv(upload("cv.pdf", pdf_bytes()))
    assert checked.content_type == "application/pdf"
    assert checked.data.startswith(b"%PDF-")


def test_a_real_docx_is_accepted_with_its_content_type():
    checked = check_cv(upload("CV.DOCX", docx_bytes()))
    assert checked.name == "CV.docx"
    assert checked.content_type == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )


def test_a_name_longer_than_js_is_not_mistaken_for_javascript():
    assert check_cv(upload("cv.pdf", pdf_bytes(b"<< /JSONish 1 /Jobs 2 >>\n")))


def test_a_cyrillic_name_is_kept_and_a_path_is_dropped():
    assert check_cv(upload("Резюме Айгерим.pdf", pdf_bytes())).name == (
        "Резюме_Айгерим.pdf"
    )
    assert check_cv(upload("../../etc/cv.pdf", pdf_bytes())).name == "cv.pdf"


def test_text_named_pdf_is_refused():
    message = refusal("cv.pdf", b"Aigerim Nurlankyzy, lawyer")
    assert "is not a PDF file, whatever its name says" in message


def test_pdf_named_docx_is_refused():
    message = refusal("cv.docx", pdf_bytes())
    assert "is not a Word (DOCX) document" in message


def test_zip_without_word_parts_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("readme.txt", "hello")
    assert "is not a Word (DOCX) document" in refusal("cv.docx", buffer.getvalue())


def test_docx_with_a_vba_project_is_refused():
    data = docx_bytes(extra={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"})
    assert "contains macros" in refusal("cv.docx", data)


def test_docm_renamed_docx_is_refused_by_its_content_type():
    assert "contains macros" in refusal("cv.docx", docx_bytes(types=DOCM_TYPES))


@pytest.mark.parametrize(
    "body",
    [
        b"1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj\n",
        b"1 0 obj << /AA << /O 2 0 R >> >> endobj 2 0 obj << /JS 3 0 R >> endobj\n",
        b"1 0 obj << /OpenAction << /S /Launch /F (cmd.exe) >> >> endobj\n",
        b"1 0 obj << /OpenAction << /S /J#61vaScript /J#53 (x) >> >> endobj\n",
    ],
    ids=["javascript", "js", "launch", "hex-escaped"],
)
def test_pdf_with_active_content_is_refused(body):
    assert "contains JavaScript or an action" in refusal("cv.pdf", pdf_bytes(body))


def test_javascript_inside_a_compressed_object_stream_is_refused():
    hidden = zlib.compress(b"5 0 obj << /S /JavaScript /JS (app.alert(1)) >>")
    body = (
        b"4 0 obj << /Type /ObjStm /Filter /FlateDecode /Length "
        + str(len(hidden)).encode()
        + b" >>\nstream\n"
        + hidden
        + b"\nendstream\nendobj\n"
    )
    assert "contains JavaScript or an action" in refusal("cv.pdf", pdf_bytes(body))


def test_pdf_inflating_past_the_budget_is_refused(settings):
    settings.SELECTION_CV_MAX_BYTES = 4000
    bomb = zlib.compress(b"0" * 200_000, 9)
    body = b"4 0 obj << /Filter /FlateDecode >>\nstream\n" + bomb + b"\nendstream\n"
    assert "could not be checked" in refusal("cv.pdf", pdf_bytes(body))


def test_empty_file_is_refused():
    assert refusal("cv.pdf", b"") == "«cv.pdf» is empty."


def test_file_over_the_limit_is_refused(settings):
    settings.SELECTION_CV_MAX_BYTES = 1000
    message = refusal("cv.pdf", pdf_bytes(b"%" + b"x" * 2000 + b"\n"))
    assert "is too large: a CV may be at most 1000" in message


@pytest.mark.parametrize("name", ["cv.docm", "cv.exe", "cv.txt", "cv"])
def test_other_extensions_are_refused(name):
    message = refusal(name, pdf_bytes())
    assert "send your CV as a PDF or DOCX file" in message
