"""Approved or draft minutes of a meeting as a PDF, for the group's records.

Drawn with reportlab's flowables (the text can run over several pages) and the
core's DejaVu fonts, in the language of whoever downloads it.
"""

import io
from xml.sax.saxutils import escape

from django.utils import formats
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import KeepTogether

from lms.pdf import BOLD, REGULAR, fonts_register

INK = colors.HexColor("#1f2a44")
MUTED = colors.HexColor("#5b6475")

BODY = ParagraphStyle("body", fontName=REGULAR, fontSize=10, leading=14, textColor=INK)
SMALL = ParagraphStyle("small", parent=BODY, fontSize=8.5, leading=12, textColor=MUTED)
TITLE = ParagraphStyle("title", parent=BODY, fontName=BOLD, fontSize=16, leading=20)
HEADING = ParagraphStyle(
    "heading", parent=BODY, fontName=BOLD, fontSize=12, leading=16, spaceBefore=8
)


def _text(value: str, style=BODY) -> Paragraph:
    return Paragraph(escape(value or "—").replace("\n", "<br/>"), style)


def minutes_pdf(context: dict) -> bytes:
    """`context` is what selectors.meeting_context gives a member of the group."""
    fonts_register()
    meeting, minutes = context["meeting"], context["minutes"]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=_("Minutes of the intervision meeting"),
        author="Ustaz",
        creator="Ustaz",
        initialFontName=REGULAR,
        invariant=1,
    )
    when = formats.date_format(meeting.local_start, "DATETIME_FORMAT")
    status = (
        _("Approved by %(name)s on %(date)s")
        % {
            "name": minutes.approved_by.get_full_name() if minutes.approved_by else "",
            "date": formats.date_format(minutes.approved_at, "DATE_FORMAT"),
        }
        if minutes.is_approved
        else _("Draft: not approved yet")
    )
    story = [
        _text(_("Minutes of the intervision meeting"), TITLE),
        _text(f"{meeting.group.name} · {meeting.group.office}", BODY),
        _text(f"{when} · {meeting.method}", BODY),
        _text(status, SMALL),
        _text(_("Confidential: for the members of the group only."), SMALL),
        Spacer(1, 4 * mm),
    ]
    roles = context["roles"]
    role_rows = [
        [
            _text(str(label), SMALL),
            _text(", ".join(u.get_full_name() for u in roles.get(key, []))),
        ]
        for key, label in context["role_kinds"].choices
        if roles.get(key)
    ]
    present = [p.user.get_full_name() for p in context["participations"] if p.attended]
    if present:
        role_rows.append([_text(_("Present"), SMALL), _text(", ".join(present))])
    if role_rows:
        table = Table(role_rows, colWidths=[40 * mm, None])
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
        story.append(table)
    chosen = [
        case for case in context.get("cases", []) if case.chosen and case.is_confirmed
    ]
    for case in chosen:
        story += [
            _text(_("The case"), HEADING),
            _text(case.question),
            _text(case.situation),
        ]
    notes = context.get("notes", {})
    for index, step in enumerate(context["steps"], 1):
        note = notes.get(index)
        story.append(
            KeepTogether(
                [
                    _text(f"{index}. {note.title if note else step.title}", HEADING),
                    _text(note.text if note else ""),
                ]
            )
        )
    story += [
        _text(_("Advice given"), HEADING),
        _text(minutes.advice),
        _text(_("The case-bringer's conclusions"), HEADING),
        _text(minutes.conclusions),
    ]
    points = context.get("agreed", [])
    if points:
        story.append(_text(_("Action points"), HEADING))
        rows = [
            [
                _text(point.text),
                _text(point.owner.get_full_name()),
                _text(formats.date_format(point.due_on, "SHORT_DATE_FORMAT")),
            ]
            for point in points
        ]
        table = Table(rows, colWidths=[None, 45 * mm, 25 * mm])
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.25, MUTED),
                ]
            )
        )
        story.append(table)
    amendments = list(minutes.amendments.all())
    if amendments:
        story.append(_text(_("Amendments"), HEADING))
        for amendment in amendments:
            story.append(
                _text(
                    _("%(part)s, corrected by %(name)s on %(date)s. Why: %(reason)s")
                    % {
                        "part": amendment.part_label,
                        "name": amendment.author.get_full_name(),
                        "date": formats.date_format(
                            amendment.created_at, "DATE_FORMAT"
                        ),
                        "reason": amendment.reason,
                    },
                    SMALL,
                )
            )
            story.append(
                _text(_("Before: %(text)s") % {"text": amendment.before}, SMALL)
            )
    document.build(story)
    return buffer.getvalue()
