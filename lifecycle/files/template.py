"""The empty 台账 `lifecycle project import --template` writes: headers, a sample row, drop-downs.

The header row carries the Chinese headers (the import reads them, or the
English names); the second row is a sample a clerk overwrites; the columns
of rulebooks, stations and contractors get drop-down lists (Excel data
validation) from a hidden sheet, so a clerk picks ids that exist.
"""
from __future__ import annotations

import io
from datetime import date
from typing import Any

from lifecycle.core.text_table import width


def ledger_template(headers: list[tuple[str, str]], sample: dict[str, Any], choices: dict[str, list[str]]) -> bytes:
    """`headers`: (key, Chinese header) in order; `sample`: key → value; `choices`: key → allowed values."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = "项目台账"
    sheet.append([zh for _key, zh in headers])
    sheet.append([sample.get(key) for key, _zh in headers])
    lists = book.create_sheet("选项")
    lists.sheet_state = "hidden"
    for index, (key, zh) in enumerate(headers, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index)
        cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor="DDE4EE")
        sheet.column_dimensions[letter].width = max(width(zh), width(str(sample.get(key) or ""))) + 4
        if isinstance(sample.get(key), date):
            sheet.cell(row=2, column=index).number_format = "yyyy-mm-dd"
    for n, (key, values) in enumerate(sorted(choices.items()), start=1):
        if not values or key not in [k for k, _zh in headers]:
            continue
        col = get_column_letter(n)
        lists.cell(row=1, column=n, value=key)
        for r, value in enumerate(values, start=2):
            lists.cell(row=r, column=n, value=value)
        target = get_column_letter([k for k, _zh in headers].index(key) + 1)
        rule = DataValidation(type="list", formula1=f"'选项'!${col}$2:${col}${len(values) + 1}", allow_blank=True)
        rule.error, rule.errorTitle = "请从下拉列表中选择", "不在列表中"
        sheet.add_data_validation(rule)
        rule.add(f"{target}2:{target}1000")
    sheet.freeze_panes = "B2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
