"""An officer's CPD record: the continuing professional development hours they
earned in each calendar year, from each module of the development record
(courses, intervision, and whatever registers later), and the record as a PDF.

The hours come from `lms.registry.development_record`: each section that counts
CPD hours is asked for January 1 to December 31 of each year. Years before the
current one are listed when they have hours.
"""

import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from xml.sax.saxutils import escape

from django.template.defaultfilters import floatformat
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from lms.pdf import BOLD, REGULAR, fonts_register
from lms.registry import RecordSection, development_record

# How far back the record looks: the current year and the ten before it.
YEARS_BACK = 10
TENTH = Decimal("0.1")


@dataclass(frozen=True)
class CpdYear:
    year: int
    hours: list[Decimal]  # in the order of CpdRecord.sections
    total: Decimal


@dataclass(frozen=True)
class CpdRecord:
    officer: object
    sections: list[RecordSection]
    years: list[CpdYear]  # the most recent first
    section_totals: list[Decimal]  # over the years listed
    total: Decimal
    today: date


def _hours(section: RecordSection, officer, start: date, end: date) -> Decimal:
    value = section.cpd_hours(officer, start, end) or 0
    if not isinstance(value, Decimal):
        value = Decimal(str(value))
    return value.quantize(TENTH)


def cpd_record(officer, *, today: date | None = None) -> CpdRecord:
    """Hours per year and section. A section is first asked for the whole
    period and, only when it has hours, year by year: at most
    sections × (years + 1) reads, whatever the number of records."""
    today = today or timezone.localdate()
    first_year = today.year - YEARS_BACK
    sections = [s for s in development_record if s.cpd_hours is not None]
    years = range(today.year, first_year - 1, -1)
    by_year = {year: [Decimal(0).quantize(TENTH)] * len(sections) for year in years}
    for index, section in enumerate(sections):
        if not _hours(
            section, officer, date(first_year, 1, 1), date(today.year, 12, 31)
        ):
            continue
        for year in years:
            by_year[year][index] = _hours(
                section, officer, date(year, 1, 1), date(year, 12, 31)
            )
    rows = [
        CpdYear(year=year, hours=hours, total=sum(hours, Decimal(0)))
        for year, hours in by_year.items()
        if year == today.year or any(hours)
    ]
    return CpdRecord(
        officer=officer,
        sections=sections,
        years=rows,
        section_totals=[
            sum((row.hours[index] for row in rows), Decimal(0))
            for index in range(len(sections))
        ],
        total=sum((row.total for row in rows), Decimal(0)),
        today=today,
    )


def hours_text(value: Decimal) -> str:
    """12.5 as "12.5" (or "12,5"), 8.0 as "8", in the active language."""
    return floatformat(value, -1)


# PDF ------------------------------------------------------------------------------

INK = colors.HexColor("#1f2a44")
MUTED = colors.HexColor("#5b6475")
RULE = colors.HexColor("#c9ced8")

BODY = ParagraphStyle("body", fontName=REGULAR, fontSize=10, leading=14, textColor=INK)
SMALL = ParagraphStyle("small", parent=BODY, fontSize=8.5, leading=12, textColor=MUTED)
TITLE = ParagraphStyle("title", parent=BODY, fontName=BOLD, fontSize=16, leading=20)
HEAD = ParagraphStyle("head", parent=BODY, fontName=BOLD)
NUMBER = ParagraphStyle("number", parent=BODY, alignment=2)
NUMBER_BOLD = ParagraphStyle("number_bold", parent=NUMBER, fontName=BOLD)
HEAD_NUMBER = ParagraphStyle("head_number", parent=HEAD, alignment=2)


def _text(value, style=BODY) -> Paragraph:
    return Paragraph(escape(str(value) if value not in (None, "") else "—"), style)


def cpd_pdf(record: CpdRecord) -> bytes:
    """The record as an A4 PDF in the officer's language."""
    fonts_register()
    with translation.override(record.officer.preferred_language):
        return _render(record)


def _render(record: CpdRecord) -> bytes:
    officer = record.officer
    buffer = io.BytesIO()
    title = _("CPD record")
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=f"{title} — {officer.get_full_name()}",
        author="Ustaz",
        creator="Ustaz",
        lang=officer.preferred_language,
        initialFontName=REGULAR,
        invariant=1,
    )
    office = officer.office.name if officer.office_id else ""
    story = [
        _text(title, TITLE),
        _text(_("Continuing professional development hours by calendar year"), SMALL),
        Spacer(1, 5 * mm),
        Table(
            [
                [_text(_("Officer"), SMALL), _text(officer.get_full_name(), HEAD)],
                [_text(_("Office"), SMALL), _text(office)],
            ],
            colWidths=[35 * mm, None],
            hAlign="LEFT",
        ),
        Spacer(1, 5 * mm),
    ]
    header = [_text(_("Year"), HEAD)]
    header += [_text(section.title, HEAD_NUMBER) for section in record.sections]
    header.append(_text(_("Total"), HEAD_NUMBER))
    rows = [header]
    for row in record.years:
        rows.append(
            [_text(row.year)]
            + [_text(hours_text(hours), NUMBER) for hours in row.hours]
            + [_text(hours_text(row.total), NUMBER_BOLD)]
        )
    rows.append(
        [_text(_("All years"), HEAD)]
        + [_text(hours_text(hours), NUMBER_BOLD) for hours in record.section_totals]
        + [_text(hours_text(record.total), NUMBER_BOLD)]
    )
    table = Table(rows, colWidths=[25 * mm] + [None] * (len(record.sections) + 1))
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.75, INK),
                ("LINEBELOW", (0, 1), (-1, -2), 0.25, RULE),
                ("LINEABOVE", (0, -1), (-1, -1), 0.75, INK),
            ]
        )
    )
    printed = formats.date_format(record.today, "DATE_FORMAT")
    story += [
        table,
        Spacer(1, 8 * mm),
        _text(_("Printed on %(date)s from Ustaz.") % {"date": printed}, SMALL),
    ]
    document.build(story)
    return buffer.getvalue()
