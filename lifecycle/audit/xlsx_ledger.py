"""The 台账 (project ledger) a district bureau keeps, as an xlsx workbook (openpyxl).

One sheet, one row a project, Chinese headers, dates as real dates and
amounts as numbers (so the bureau can sort and sum), the header bold and
frozen, column widths set for CJK text (a Chinese character is two columns
wide), and an autofilter over the table.
"""
from __future__ import annotations

import io
from datetime import date
from typing import Any

from lifecycle.core.clock import Clock
from lifecycle.core.names import duty_name, state_name
from lifecycle.core.text_table import width

# (header, ledger key, kind)
COLUMNS: list[tuple[str, str, str]] = [
    ("项目编号", "project", "text"), ("社工站", "station_name", "text"), ("社工站编号", "station", "text"),
    ("区县", "district", "text"), ("承接机构", "contractor_name", "text"), ("规章", "rulebook", "text"),
    ("状态", "state", "state"), ("合同签订日期", "signed_on", "date"), ("合同起始日", "term_start", "date"),
    ("合同到期日", "term_end", "date"), ("合同金额(元)", "amount", "yuan"), ("预算(元)", "budget", "yuan"),
    ("已付金额(元)", "paid", "yuan"), ("下一项到期义务", "next_duty", "duty"), ("到期日", "next_due", "date"),
    ("逾期义务数", "overdue", "count"), ("日志校验", "verified", "verified"),
]


def workbook(rows: list[dict[str, Any]], clock: Clock) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    book = Workbook()
    sheet = book.active
    sheet.title = "项目台账"
    sheet.append([header for header, _key, _kind in COLUMNS])
    for row in rows:
        sheet.append([_cell(row, key, kind) for _header, key, kind in COLUMNS])
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDE4EE")
    for cell in sheet[1]:
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(horizontal="center", vertical="center")
    for index, (header, key, kind) in enumerate(COLUMNS, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        texts = [header] + [_shown(row, key, kind) for row in rows]
        sheet.column_dimensions[letter].width = min(60, max(width(t) for t in texts) + 2)
        for cell in sheet[letter][1:]:
            if kind == "date":
                cell.number_format = "yyyy-mm-dd"
            elif kind == "yuan":
                cell.number_format = "#,##0.00"
            if kind == "count" and isinstance(cell.value, int) and cell.value > 0:
                cell.font = Font(bold=True, color="C62828")  # 逾期义务数: seen at once
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = sheet.dimensions
    book.properties.title = "社工站项目台账"
    book.properties.creator = "lifecycle"
    book.properties.created = clock.now.replace(tzinfo=None)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell(row: dict[str, Any], key: str, kind: str) -> Any:
    value = row.get(key)
    if value is None:
        return None
    if kind == "date":
        return date.fromisoformat(value)
    if kind in ("state", "duty", "verified"):
        return _shown(row, key, kind)
    return value


def _shown(row: dict[str, Any], key: str, kind: str) -> str:
    """The cell as a person sees it (what the column width is measured on)."""
    value = row.get(key)
    if value is None:
        return ""
    if kind == "state":
        return state_name(value)
    if kind == "duty":
        return f"{duty_name(row.get('next_duty_kind') or '')} ({value})"
    if kind == "verified":
        return "通过" if value else "未通过"
    if kind == "yuan":
        return f"{value:,.2f}"
    return str(value)
