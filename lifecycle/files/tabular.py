"""One reader for every table a bureau hands over: rosters, station lists, the project ledger.

CSV is decoded by what the bytes say, never guessed silently: a UTF-8 BOM,
a UTF-16 BOM (Excel's "Unicode text", tab-separated), else strict UTF-8,
else strict GB18030 (the superset of GBK that Chinese Excel's
"CSV (逗号分隔)" writes). A file that decodes in none is refused naming the
encodings tried. XLSX is read with openpyxl: the first sheet or a named one;
a merged range reads as the value it shows (its top-left cell) in every
cell it covers; a formula reads as the value Excel cached when it last
saved, and a formula with no cached value is refused naming the cell.

Every cell comes out as text (dates as ISO, whole numbers without `.0`),
so the pure parsers (`lifecycle.core.roster`, `lifecycle.core.values`) see
one kind of input whatever the file was.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from lifecycle.core.errors import BadInput, said

XLSX_SUFFIXES = (".xlsx", ".xlsm")
ENCODINGS_TRIED = ("UTF-8", "GB18030/GBK")


class Unreadable(BadInput):
    """A file that cannot be read as a table: `why` says it without the file's name."""

    def __init__(self, name: str, why: str) -> None:
        super().__init__(said("cannot read {name}: {why}", name=name, why=why))
        self.why = why


@dataclass(frozen=True)
class Table:
    """Rows of text cells, the header first, blank rows dropped; `encoding` says how it was read."""
    name: str                 # the file name (and sheet) as messages name it
    rows: list[list[str]]
    numbers: list[int]        # each row's number as the file counts it (1 = the header's line)
    encoding: str             # utf-8, utf-8-sig, gb18030, utf-16, xlsx

    def header(self) -> list[str]:
        return self.rows[0] if self.rows else []

    def records(self) -> list[tuple[int, list[str]]]:
        """(row number, cells) for every row after the header."""
        return list(zip(self.numbers[1:], self.rows[1:]))


def _table(name: str, rows: list[tuple[int, list[str]]], encoding: str) -> Table:
    kept = [(n, r) for n, r in rows if any(c.strip() for c in r)]
    return Table(name, [r for _n, r in kept], [n for n, _r in kept], encoding)


def read_table(path: Path, sheet: str | None = None) -> Table:
    """The table in `path` (CSV/TSV text or XLSX; `sheet` picks a worksheet by name)."""
    if not path.is_file():
        raise Unreadable(str(path), said("no such file"))
    if path.suffix.lower() in XLSX_SUFFIXES:
        return read_sheet(path, sheet)
    if path.suffix.lower() == ".xls":
        raise Unreadable(path.name, said("it is an Excel 97-2003 workbook (.xls): save it as .xlsx or CSV"))
    if sheet is not None:
        raise Unreadable(path.name, said("it is a text file, with no sheet {sheet!r}", sheet=sheet))
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise Unreadable(str(path), exc.strerror or "unreadable") from None
    text, encoding = decode(raw, path.name)
    return _table(path.name, list(enumerate(_split(text, encoding, path.name), start=1)), encoding)


def decode(raw: bytes, name: str) -> tuple[str, str]:
    """The text of `raw` and the encoding it was read in; BadInput naming the encodings tried."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise Unreadable(name, said("it starts as UTF-16 text but does not decode as UTF-16")) from None
    for codec in ("utf-8", "gb18030"):
        try:
            return raw.decode(codec), codec
        except UnicodeDecodeError:
            continue
    raise Unreadable(name, said("it is neither {first} nor {second} text (save it from Excel as CSV UTF-8, CSV or Unicode text)",
                                first=ENCODINGS_TRIED[0], second=ENCODINGS_TRIED[1]))


def _split(text: str, encoding: str, name: str) -> list[list[str]]:
    first = text.split("\n", 1)[0]
    tabbed = encoding == "utf-16" or ("\t" in first and "," not in first)
    reader = csv.reader(io.StringIO(text, newline=""), dialect="excel-tab" if tabbed else "excel")
    try:
        return [[c.strip() for c in row] for row in reader]
    except csv.Error as exc:   # e.g. a field over the csv module's limit (a 17 MB cell): no table of an office
        limit = re.fullmatch(r"field larger than field limit \((\d+)\)", str(exc))
        detail = said("a field is longer than the limit of {limit} characters", limit=limit[1]) if limit else exc
        raise Unreadable(name, said("not readable CSV (row {line_num}: {exc})", line_num=reader.line_num,
                                    exc=detail)) from None


def sheet_names(path: Path) -> list[str]:
    return list(open_workbook(path)[0].sheetnames)


def open_workbook(path: Path):
    from openpyxl import load_workbook
    try:
        # merged ranges are only known outside read-only mode; formulas and cached values need both loads
        return load_workbook(path, data_only=False), load_workbook(path, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on a bad file
        raise Unreadable(path.name, said("it is not a readable XLSX workbook ({exc})", exc=exc)) from None


def read_sheet(path: Path, sheet: str | None = None, books=None) -> Table:
    formulas, values = books or open_workbook(path)
    if sheet is None:
        ws_f, ws_v = formulas.worksheets[0], values.worksheets[0]
    elif sheet in formulas.sheetnames:
        ws_f, ws_v = formulas[sheet], values[sheet]
    else:
        raise Unreadable(path.name, said("it has no sheet {sheet!r} (its sheets: {names})", sheet=sheet, names=', '.join(formulas.sheetnames)))
    label = said("{name} sheet {title}", name=path.name, title=ws_f.title)
    shown: dict[tuple[int, int], object] = {}
    for merged in ws_f.merged_cells.ranges:
        top_left = ws_v.cell(row=merged.min_row, column=merged.min_col).value
        for r in range(merged.min_row, merged.max_row + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                shown[(r, c)] = top_left
    rows: list[tuple[int, list[str]]] = []
    for r, (row_f, row_v) in enumerate(zip(ws_f.iter_rows(), ws_v.iter_rows()), start=1):
        cells = []
        for c, (cell_f, cell_v) in enumerate(zip(row_f, row_v), start=1):
            if (r, c) in shown:
                value = shown[(r, c)]
            else:
                value = cell_v.value
                if cell_f.data_type == "f" and value is None:
                    raise BadInput(said("{label}, cell {coordinate}: the formula {value} has no saved value (open the file in Excel or WPS and save it again)",
                            label=label, coordinate=cell_f.coordinate, value=cell_f.value))
            cells.append(cell_text(value))
        rows.append((r, cells))
    return _table(label, rows, "xlsx")


def cell_text(value: object) -> str:
    """A cell as text: dates ISO, whole numbers without `.0`, nothing as ''."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_roster_file(text: str, beside: Path | None = None, books=None, workbook: Path | None = None,
                     project: str | None = None) -> tuple[str, list[list[str]], list[int]]:
    """The roster a `staff` event names (`lifecycle.core.eventdata.RosterReader`): a CSV/XLSX file
    (relative to `beside` when given), or the name of a sheet of `workbook` (already open as `books`).
    A table with a 项目编号 (project) column holds several projects' staff: only `project`'s rows are read."""
    if workbook is not None and books is not None and text in books[0].sheetnames:
        table = read_sheet(workbook, text, books)
    else:
        path = Path(text)
        if beside is not None and not path.is_absolute():
            path = beside / path
        try:
            table = read_table(path)
        except Unreadable as exc:
            raise BadInput(said("cannot read roster file {text}: {why}", text=text, why=exc.why)) from None
    header = [h.strip() for h in table.header()]
    column = next((i for i, h in enumerate(header) if h in ("项目编号", "project")), None)
    if project is None or column is None:
        return table.name, table.rows, table.numbers
    kept = [(n, r) for n, r in table.records() if column < len(r) and r[column].strip() == project]
    return table.name, [table.rows[0]] + [r for _n, r in kept], [table.numbers[0]] + [n for n, _r in kept]
