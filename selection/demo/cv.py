"""A candidate's CV as a small PDF, in their language: the application form
takes a checked PDF or DOCX, as it would from a browser."""

import io

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from lms.pdf import BOLD, REGULAR, fonts_register


def cv_pdf(candidate: dict, headings: dict) -> bytes:
    """A one-page CV in the candidate's language (DejaVu has the Kazakh letters)."""
    fonts_register()
    body = ParagraphStyle("body", fontName=REGULAR, fontSize=10, leading=14)
    title = ParagraphStyle("title", fontName=BOLD, fontSize=16, leading=20)
    heading = ParagraphStyle(
        "heading", fontName=BOLD, fontSize=11, leading=15, spaceBefore=8
    )
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=f"{headings['title']}: {candidate['full_name']}",
        author=candidate["full_name"],
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
    )
    document.build(
        [
            Paragraph(candidate["full_name"], title),
            Paragraph(headings["title"], body),
            Spacer(1, 4 * mm),
            Paragraph(headings["contacts"], heading),
            Paragraph(f"{candidate['email']} · {candidate['phone']}", body),
            Paragraph(headings["education"], heading),
            Paragraph(candidate["education"], body),
            Paragraph(headings["experience"], heading),
            Paragraph(candidate["experience"], body),
            Paragraph(headings["languages"], heading),
            Paragraph(headings["languages_text"], body),
        ]
    )
    return buffer.getvalue()
