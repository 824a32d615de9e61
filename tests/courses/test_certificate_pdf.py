"""The certificate PDF: one A4 landscape page whose text layer reads back as
Unicode, in the certificate's language.

Bad input tried: names and course titles with every Kazakh letter in both cases;
a 300-character course title, a 3,000-character one and a 300-character word; a
long double-barrelled name; a certificate without a validity date; markup
characters (& < >) in the name and the title; CPD hours with trailing zeros and
with a fraction.

Catalogues for the labels are not written yet, so the tests check the English
labels, that every label goes through gettext in the certificate's language, and
that dates use the language's month names.
"""

import dataclasses
import datetime
import io
from decimal import Decimal

import pytest
from django.utils import formats, translation
from django.utils.translation import gettext
from pypdf import PdfReader

from courses import certificates
from courses.certificates import CertificateContent, certificate_pdf

NAME = "Әйгерім Нұрланқызы Сейітқали"
KAZAKH_LETTERS = "әғқңөұүһі"
URL = "https://ustaz.example.kz/certificates/UZ-7K3M-9QX2/"


def content(**changes) -> CertificateContent:
    base = CertificateContent(
        full_name=NAME,
        course_title="Пробация қызметіндегі тәуекелдерді бағалау",
        issued_on=datetime.date(2025, 11, 14),
        valid_until=datetime.date(2028, 11, 14),
        cpd_hours=Decimal("16.00"),
        code="UZ-7K3M-9QX2",
        verify_url=URL,
        language="en",
    )
    return dataclasses.replace(base, **changes)


def read(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def text_of(pdf: bytes) -> str:
    return read(pdf).pages[0].extract_text()


def lines_of(pdf: bytes) -> list[str]:
    """The text's lines; pypdf starts some centred lines with a space."""
    return [line.strip() for line in text_of(pdf).splitlines()]


def flat(text: str) -> str:
    """The text with its line breaks and runs of spaces as single spaces."""
    return " ".join(text.split())


def baselines(pdf: bytes) -> list[tuple[float, str]]:
    """Each piece of text with the height of its baseline on the page."""
    found = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            found.append((tm[4] * cm[1] + tm[5] * cm[3] + cm[5], text.strip()))

    read(pdf).pages[0].extract_text(visitor_text=visit)
    return found


def test_kazakh_name_reads_back_verbatim():
    assert NAME in lines_of(certificate_pdf(content(language="kk")))


def test_every_kazakh_letter_in_a_title_survives_extraction():
    letters = KAZAKH_LETTERS + KAZAKH_LETTERS.upper()
    title = "Әріптер: " + " ".join(letters)
    text = text_of(certificate_pdf(content(course_title=title, language="kk")))

    assert title in text
    assert [letter for letter in letters if letter not in text] == []


def test_english_certificate_shows_every_label_code_hours_and_link():
    assert lines_of(certificate_pdf(content())) == [
        "Ustaz — professional development of the probation service",
        "Certificate of completion",
        "This certifies that",
        NAME,
        "has completed the course",
        "Пробация қызметіндегі тәуекелдерді бағалау",
        "Date of issue: Nov. 14, 2025",
        "Valid until Nov. 14, 2028",
        "CPD hours: 16",
        "Verification code: UZ-7K3M-9QX2",
        f"Check this certificate at {URL}",
    ]


def test_russian_dates_use_russian_month_names():
    text = text_of(certificate_pdf(content(language="ru")))

    assert "14 ноября 2025" in text
    assert "14 ноября 2028" in text
    assert "Nov." not in text


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_dates_follow_the_certificate_language(language):
    text = text_of(certificate_pdf(content(language=language)))

    with translation.override(language):
        issued = formats.date_format(datetime.date(2025, 11, 14), "DATE_FORMAT")
        valid = formats.date_format(datetime.date(2028, 11, 14), "DATE_FORMAT")
    assert issued in text
    assert valid in text


def test_labels_are_translated_in_the_certificate_language(monkeypatch):
    """Stands in for the catalogues: a gettext that tags each label with the
    language active when it is looked up."""

    def tagging_gettext(message: str) -> str:
        return f"[{translation.get_language()}] {message}"

    monkeypatch.setattr(certificates, "gettext", tagging_gettext)
    with translation.override("en"):
        text = text_of(certificate_pdf(content(language="ru")))
        assert translation.get_language() == "en"

    for label in [
        "Ustaz — professional development of the probation service",
        "Certificate of completion",
        "This certifies that",
        "has completed the course",
        "Date of issue: 14 ноября 2025",
        "Valid until 14 ноября 2028",
        "CPD hours: 16",
        "Verification code: UZ-7K3M-9QX2",
        f"Check this certificate at {URL}",
    ]:
        assert f"[ru] {label}" in text


@pytest.mark.parametrize(
    ("language", "hours", "shown"),
    [
        ("en", Decimal("16.00"), "CPD hours: 16"),
        ("en", Decimal("7.50"), "CPD hours: 7.5"),
        ("ru", Decimal("7.50"), "7,5"),
        ("en", Decimal("100"), "CPD hours: 100"),
    ],
)
def test_cpd_hours_without_trailing_zeros(language, hours, shown):
    text = text_of(certificate_pdf(content(cpd_hours=hours, language=language)))

    with translation.override(language):
        label = gettext("CPD hours: %(hours)s") % {"hours": shown.split()[-1]}
    assert label in text


def test_valid_until_only_when_there_is_a_validity_date():
    with_validity = text_of(certificate_pdf(content()))
    without = text_of(certificate_pdf(content(valid_until=None)))

    assert "Valid until Nov. 14, 2028" in with_validity
    assert "Valid until" not in without
    assert "Date of issue: Nov. 14, 2025" in without


def test_one_a4_landscape_page_with_metadata():
    reader = read(certificate_pdf(content()))

    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)
    assert reader.metadata.title == f"Certificate of completion — {NAME}"
    assert reader.metadata.author == "Ustaz"


def test_text_is_set_in_embedded_dejavu_only():
    fonts = read(certificate_pdf(content())).pages[0]["/Resources"]["/Font"]
    names = sorted(str(font.get_object()["/BaseFont"]) for font in fonts.values())

    assert [name.split("+")[1] for name in names] == ["DejaVuSans", "DejaVuSans-Bold"]


def test_the_same_certificate_gives_the_same_bytes():
    assert certificate_pdf(content()) == certificate_pdf(content())


def test_markup_characters_are_text():
    name = "Ақан & <b>Серік</b>"
    title = "Risk < need > responsivity & desistance"
    text = text_of(certificate_pdf(content(full_name=name, course_title=title)))

    assert name in text
    assert title in text


def test_long_title_and_name_wrap_on_one_page_clear_of_the_footer():
    words = "Ықтимал тәуекелдерді бағалау және қоғамдық қауіпсіздік ".split()
    title = ""
    while len(title) < 300:
        title = f"{title} {words[len(title.split()) % len(words)]}".strip()
    title = title[:300].rstrip()
    name = f"{NAME} Мұхтарқызы-Бекмағамбетова Ұлжан"
    pdf = certificate_pdf(content(full_name=name, course_title=title))

    assert len(read(pdf).pages) == 1
    text = flat(text_of(pdf))
    assert name in text
    assert title in text  # shrunk and wrapped, not cut
    placed = baselines(pdf)
    body = [y for y, piece in placed if piece in title or piece in name]
    footer = [y for y, piece in placed if piece.startswith("Date of issue")]
    assert min(body) > certificates.BOTTOM + certificates.QR_SIZE
    assert max(body) < min(y for y, piece in placed if piece == "This certifies that")
    assert footer and max(footer) < min(body)


@pytest.mark.parametrize(
    ("title", "cut"),
    [
        (" ".join(["тәуекелдерді"] * 250), True),  # 3,249 characters
        ("Ә" * 300, False),  # one word, no place to break
    ],
)
def test_absurd_titles_stay_on_one_page(title, cut):
    pdf = certificate_pdf(content(course_title=title))

    assert len(read(pdf).pages) == 1
    assert ("тәуекелдерді…" in text_of(pdf)) is cut
    placed = baselines(pdf)
    body = [y for y, piece in placed if piece.strip("…") in title]
    assert min(body) > certificates.BOTTOM + certificates.QR_SIZE
    assert f"Check this certificate at {URL}" in flat(text_of(pdf))


def test_verification_link_line_is_present():
    url = "https://ustaz.gov.kz/kk/certificates/verify/UZ-7K3M-9QX2/"
    text = text_of(certificate_pdf(content(verify_url=url, language="kk")))

    with translation.override("kk"):
        line = gettext("Check this certificate at %(url)s") % {"url": url}
    assert line in text.replace("\n", " ")
