"""Excel ledgers (台账): every list exports what its filter shows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from io import BytesIO
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None)
    if isinstance(value, (int, float, dt.date)):
        return value
    return str(value)


def build_workbook(title: str, headers: Sequence[str], rows: Iterable[Sequence], *, note: str = "") -> bytes:
    wb = Workbook(write_only=False)
    ws = wb.active
    ws.title = str(title)[:31]
    start = 1
    if note:
        ws.cell(row=1, column=1, value=str(note)).font = Font(italic=True, color="666666")
        start = 2
    for col, header in enumerate(headers, start=1):
        cell = ws.cell(row=start, column=col, value=str(header))
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F3D6D3")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    widths = [max(8, len(str(h)) * 2 + 2) for h in headers]
    for r, row in enumerate(rows, start=start + 1):
        for c, value in enumerate(row, start=1):
            v = _cell(value)
            ws.cell(row=r, column=c, value=v)
            if c <= len(widths):
                widths[c - 1] = min(60, max(widths[c - 1], len(str(v)) + 2))
    for c, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.freeze_panes = ws.cell(row=start + 1, column=1)
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def xlsx_response(filename: str, title: str, headers: Sequence[str], rows: Iterable[Sequence], *,
                  note: str = "") -> HttpResponse:
    """An .xlsx download; ``note`` (e.g. the filter and date range) goes in the first row."""
    content = build_workbook(title, headers, rows, note=note)
    response = HttpResponse(content, content_type=XLSX)
    name = filename if filename.endswith(".xlsx") else f"{filename}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
