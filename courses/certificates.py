"""Certificates of completion as PDF.

`certificate_pdf` draws one A4 landscape page with reportlab: who completed which
course, when it was issued and until when it is valid, the CPD hours, the
verification code and a QR code of the public verification page. Labels are
English msgids translated into the certificate's language, and dates use that
language's formats. Text is set in the vendored DejaVu Sans, which covers every
Kazakh letter, and the PDF's text layer maps the glyphs back to Unicode, so the
certificate can be searched and copied from.
"""

import datetime
import io
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape

from django.utils import formats, translation
from django.utils.translation import gettext
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from lms.pdf import BOLD, REGULAR, fonts_register

PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
BORDER = 24  # from the page edge to the outer frame
LEFT = 72  # the text's left and right margin
CONTENT_WIDTH = PAGE_WIDTH - 2 * LEFT
TOP = PAGE_HEIGHT - BORDER - 36  # where the text begins
BOTTOM = BORDER + 30  # and ends
QR_SIZE = 112
ELLIPSIS = "…"

INK = colors.HexColor("#1f2a44")
ACCENT = colors.HexColor("#1b5e7a")
MUTED = colors.HexColor("#5b6475")


@dataclass(frozen=True)
class CertificateContent:
    full_name: str
    course_title: str
    issued_on: datetime.date
    valid_until: datetime.date | None
    cpd_hours: Decimal
    code: str  # e.g. "UZ-7K3M-9QX2"
    verify_url: str  # absolute URL of the public verification page
    language: str  # "kk" | "ru" | "en"


def certificate_pdf(content: CertificateContent) -> bytes:
    """The certificate as the bytes of a one-page PDF, in `content.language`."""
    fonts_register()
    with translation.override(content.language):
        return _render(content)


def _render(content: CertificateContent) -> bytes:
    buffer = io.BytesIO()
    pdf = Canvas(
        buffer,
        pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
        invariant=1,
        lang=content.language,
        initialFontName=REGULAR,
    )
    title = gettext("Certificate of completion")
    pdf.setTitle(f"{title} — {content.full_name}")
    pdf.setAuthor("Ustaz")
    pdf.setCreator("Ustaz")
    pdf.setSubject(content.course_title)
    pdf.setKeywords(content.code)

    # The footer is laid out first, for the body to know the room it leaves, but
    # drawn last, so the text layer reads from top to bottom.
    footer = _footer(content)
    footer_height = _stack_height(footer)
    _draw_frame(pdf)
    header_bottom = _draw_header(pdf, title)
    _draw_body(pdf, content, header_bottom, BOTTOM + max(footer_height, QR_SIZE))
    _draw_stack(pdf, footer, LEFT, BOTTOM + footer_height)
    _draw_qr(pdf, content.verify_url, PAGE_WIDTH - LEFT - QR_SIZE, BOTTOM)

    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _draw_frame(pdf: Canvas) -> None:
    pdf.setStrokeColor(ACCENT)
    pdf.setLineWidth(2.5)
    width, height = PAGE_WIDTH - 2 * BORDER, PAGE_HEIGHT - 2 * BORDER
    pdf.rect(BORDER, BORDER, width, height)
    pdf.setLineWidth(0.75)
    pdf.rect(BORDER + 6, BORDER + 6, width - 12, height - 12)


# A block of text: the text, its style, the height it may take, the smallest font
# size it may shrink to, and the space before it.
Block = tuple[str, ParagraphStyle, float, float, float]
Placed = list[tuple[Paragraph, float, float]]


def _draw_header(pdf: Canvas, title: str) -> float:
    """The organisation line and the title at the top; returns where they end."""
    organisation = gettext("Ustaz — professional development of the probation service")
    blocks: list[Block] = [
        (organisation, _style(REGULAR, 12, MUTED), 30, 8, 0),
        (title, _style(BOLD, 30, ACCENT), 80, 18, 22),
    ]
    return _draw_stack(pdf, _layout(blocks, CONTENT_WIDTH), LEFT, TOP)


def _draw_body(
    pdf: Canvas, content: CertificateContent, header_bottom: float, footer_top: float
) -> None:
    """Who completed which course, centred between the header and the footer. The
    course title gets the room the rest leaves, so even the longest name and title
    keep clear of the header and the footer."""
    gap = 18
    room = header_bottom - footer_top - 2 * gap
    label = _style(REGULAR, 14, INK)
    blocks: list[Block] = [
        (gettext("This certifies that"), label, 36, 10, 0),
        (content.full_name, _style(BOLD, 30, INK), 76, 14, 10),
        (gettext("has completed the course"), label, 36, 10, 10),
    ]
    placed = _layout(blocks, CONTENT_WIDTH)
    # Two lines at the smallest size at least, should translated labels be long.
    title_room = max(20, min(110, room - _stack_height(placed) - 10))
    course = (content.course_title, _style(BOLD, 18, INK), title_room, 8, 10)
    placed += _layout([course], CONTENT_WIDTH)
    top = header_bottom - gap - (room - _stack_height(placed)) / 2
    _draw_stack(pdf, placed, LEFT, top)


def _footer(content: CertificateContent) -> Placed:
    """Dates, hours, code and the verification link, for the bottom left; the QR
    code of the link goes at the bottom right."""
    lines = [gettext("Date of issue: %(date)s") % {"date": _date(content.issued_on)}]
    if content.valid_until is not None:
        valid_until = _date(content.valid_until)
        lines.append(gettext("Valid until %(date)s") % {"date": valid_until})
    lines.append(gettext("CPD hours: %(hours)s") % {"hours": _hours(content.cpd_hours)})
    lines.append(gettext("Verification code: %(code)s") % {"code": content.code})
    check = gettext("Check this certificate at %(url)s") % {"url": content.verify_url}

    detail = _style(REGULAR, 12, INK, alignment=TA_LEFT)
    blocks: list[Block] = [(line, detail, 18, 8, 4) for line in lines]
    blocks.append((check, _style(REGULAR, 9, MUTED, alignment=TA_LEFT), 24, 6, 10))
    return _layout(blocks, CONTENT_WIDTH - QR_SIZE - 24)


def _layout(blocks: list[Block], width: float) -> Placed:
    """Each block as a paragraph fitted to `width`, with its height and spacing."""
    placed: Placed = []
    for text, style, max_height, min_size, space_before in blocks:
        paragraph = _fit(text, style, width, max_height, min_size)
        _, height = paragraph.wrap(width, max_height)
        placed.append((paragraph, height, space_before))
    return placed


def _stack_height(placed: Placed) -> float:
    """The height of the paragraphs one under the other, as `_draw_stack` sets them."""
    heights = sum(height for _, height, _ in placed)
    return heights + sum(space_before for _, _, space_before in placed[1:])


def _draw_stack(pdf: Canvas, placed: Placed, x: float, top: float) -> float:
    """Draw the paragraphs downwards from `top`, so the text layer reads in order;
    the first one's space before it is ignored. Returns where the last one ends."""
    y = top
    for index, (paragraph, height, space_before) in enumerate(placed):
        if index:
            y -= space_before
        y -= height
        paragraph.drawOn(pdf, x, y)
    return y


def _draw_qr(pdf: Canvas, value: str, x: float, y: float) -> None:
    widget = QrCodeWidget(value, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(
        QR_SIZE,
        QR_SIZE,
        transform=[QR_SIZE / (x1 - x0), 0, 0, QR_SIZE / (y1 - y0), 0, 0],
        initialFontName=REGULAR,  # not Helvetica, which the PDF would then list
    )
    drawing.add(widget)
    renderPDF.draw(drawing, pdf, x, y)


def _style(
    font: str, size: float, color: colors.Color, alignment: int = TA_CENTER
) -> ParagraphStyle:
    return ParagraphStyle(
        name=f"{font}-{size}",
        fontName=font,
        fontSize=size,
        leading=size * 1.2,
        textColor=color,
        alignment=alignment,
    )


def _fit(
    text: str, style: ParagraphStyle, width: float, max_height: float, min_size: float
) -> Paragraph:
    """A paragraph of `text` that fits `width` × `max_height`: the font shrinks down
    to `min_size`, and if that is not enough the text is cut at a word with an
    ellipsis, so nothing runs into the next block or off the page."""
    size = style.fontSize
    while True:
        smaller = style.clone(style.name, fontSize=size, leading=size * 1.2)
        paragraph = _paragraph(text, smaller, width, max_height)
        if paragraph is not None:
            return paragraph
        if size <= min_size:
            break
        size = max(min_size, size - 1)
    # Even the smallest size is too big: keep the longest prefix that fits.
    words = text.split()
    low, high = 0, len(words)
    best = Paragraph(escape(ELLIPSIS), smaller)
    while low < high:
        middle = (low + high + 1) // 2
        shortened = " ".join(words[:middle]) + ELLIPSIS
        paragraph = _paragraph(shortened, smaller, width, max_height)
        if paragraph is None:
            high = middle - 1
        else:
            best, low = paragraph, middle
    return best


def _paragraph(
    text: str, style: ParagraphStyle, width: float, max_height: float
) -> Paragraph | None:
    """The paragraph if it fits `width` × `max_height`, otherwise None."""
    paragraph = Paragraph(escape(text), style)
    _, height = paragraph.wrap(width, max_height)
    return paragraph if height <= max_height else None


def _date(value: datetime.date) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def _hours(value: Decimal) -> str:
    """16 for 16.00 and 7.5 for 7.50, with the language's decimal separator."""
    if value == value.to_integral_value():
        value = value.quantize(Decimal(1))
    else:
        value = value.normalize()
    return formats.number_format(value)
