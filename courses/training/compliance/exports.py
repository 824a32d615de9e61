"""The compliance matrix as a CSV or XLSX file: one row per officer and
mandatory course. XLSX is written by openpyxl in write-only (streaming) mode, so
a large export does not hold a whole workbook of cells in memory."""

import csv
import datetime
import io
from collections.abc import Iterable

from django.utils.translation import gettext as _

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def header() -> list[str]:
    return [
        _("Office"),
        _("Officer"),
        _("Username"),
        _("Mandatory course"),
        _("State"),
        _("Due date"),
    ]


def _safe(value: str) -> str:
    """Keep a spreadsheet from reading a name as a formula (CSV injection)."""
    if value and value[0] in "=+-@\t\r":
        return "'" + value
    return value


def write_csv(rows: Iterable[list[str]]) -> bytes:
    buffer = io.StringIO()
    # A byte-order mark, so that Excel reads Kazakh and Russian letters right.
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(header())
    for row in rows:
        writer.writerow([_safe(value) for value in row])
    return buffer.getvalue().encode("utf-8")


def write_xlsx(rows: Iterable[list[str]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Compliance")[:31])
    sheet.append(header())
    for row in rows:
        sheet.append([_safe(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write(format: str, rows: Iterable[list[str]]) -> bytes:
    return write_xlsx(rows) if format == "xlsx" else write_csv(rows)


def filename(format: str, moment: datetime.datetime | None = None) -> str:
    stamp = (moment or datetime.datetime.now()).strftime("%Y%m%d-%H%M")
    return f"compliance-{stamp}.{format}"
