"""The 台账 (project ledger) a district bureau keeps, as an xlsx workbook (openpyxl).

Sheets of projects, obligations, payments, evaluations and staff (their rows
from `lifecycle.audit.ledger_sheets`), Chinese headers, dates as real dates
and amounts as numbers (so the bureau can sort and sum), each header bold
and frozen, column widths set for CJK text (a Chinese character is two
columns wide), and an autofilter over each table. The projects sheet comes
first, and `lifecycle project import` reads it back.
"""
from __future__ import annotations

import io
from datetime import date
from typing import Any

from lifecycle.core.clock import Clock
from lifecycle.core.names import state_name
from lifecycle.core.text_table import width

Sheet = tuple[str, list[tuple[str, str, str]], list[dict[str, Any]]]   # (title, columns, rows)


def workbook(sheets: list[Sheet], clock: Clock) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, columns, rows in sheets:
        _sheet(book.create_sheet(title), columns, rows)
    book.properties.title = "社工站项目台账"
    book.properties.creator = "lifecycle"
    book.properties.created = clock.now.replace(tzinfo=None)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet(sheet: Any, columns: list[tuple[str, str, str]], rows: list[dict[str, Any]]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    sheet.append([header for header, _key, _kind in columns])
    for row in rows:
        sheet.append([_cell(row, key, kind) for _header, key, kind in columns])
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDE4EE")
    for cell in sheet[1]:
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(horizontal="center", vertical="center")
    for index, (header, key, kind) in enumerate(columns, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        texts = [header] + [_shown(row, key, kind) for row in rows]
        sheet.column_dimensions[letter].width = min(60, max(width(t) for t in texts) + 2)
        for cell in sheet[letter][1:]:
            if kind == "date":
                cell.number_format = "yyyy-mm-dd"
            elif kind == "yuan":
                cell.number_format = "#,##0.00"
            if key == "overdue" and isinstance(cell.value, int) and cell.value > 0:
                cell.font = Font(bold=True, color="C62828")  # 逾期义务数: seen at once
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = sheet.dimensions


def _cell(row: dict[str, Any], key: str, kind: str) -> Any:
    value = row.get(key)
    if value is None:
        return None
    if kind == "date":
        return date.fromisoformat(value)
    if kind in ("state", "verified"):
        return _shown(row, key, kind)
    return value


def _shown(row: dict[str, Any], key: str, kind: str) -> str:
    """The cell as a person sees it (what the column width is measured on)."""
    value = row.get(key)
    if value is None:
        return ""
    if kind == "state":
        return state_name(value)
    if kind == "verified":
        return "通过" if value else "未通过"
    if kind == "yuan":
        return f"{value:,.2f}"
    return str(value)
