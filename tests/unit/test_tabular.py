"""One reader for the tables a bureau hands over: the encodings Excel writes, XLSX merged cells, formulas."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from lifecycle.core.errors import BadInput
from lifecycle.files import read_table

ROWS = [["姓名", "角色", "年龄"], ["张伟", "组长", "34"], ["李娜", "社工", "28"]]
CSV = "".join(",".join(r) + "\r\n" for r in ROWS)
TSV = "".join("\t".join(r) + "\r\n" for r in ROWS)


@pytest.mark.parametrize("name,data,encoding", [
    ("utf8.csv", CSV.encode("utf-8"), "utf-8"),
    ("bom.csv", CSV.encode("utf-8-sig"), "utf-8-sig"),
    ("gbk.csv", CSV.encode("gbk"), "gb18030"),
    ("gb18030.csv", CSV.encode("gb18030"), "gb18030"),
    ("unicode.txt", TSV.encode("utf-16"), "utf-16"),
    ("tabs-utf8.txt", TSV.encode("utf-8"), "utf-8"),
])
def test_every_encoding_excel_writes_reads_as_the_same_rows(tmp_path, name, data, encoding):
    path = tmp_path / name
    path.write_bytes(data)
    table = read_table(path)
    assert table.rows == ROWS and table.encoding == encoding


def test_a_file_in_no_known_encoding_is_refused_naming_the_encodings_tried(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(b"name\n\x80\xff\n")
    with pytest.raises(BadInput) as err:
        read_table(path)
    assert err.value.message == ("cannot read bad.csv: it is neither UTF-8 nor GB18030/GBK text "
                                 "(save it from Excel as CSV UTF-8, CSV or Unicode text)")


def test_blank_rows_are_dropped_and_row_numbers_kept(tmp_path):
    path = tmp_path / "gaps.csv"
    path.write_text("id,name\n\nA,甲\n,\nB,乙\n", encoding="utf-8")
    assert read_table(path).records() == [(3, ["A", "甲"]), (5, ["B", "乙"])]


def test_a_merged_range_reads_as_its_value_in_every_cell_it_covers(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["id", "district"])
    for sid in ("A", "B", "C"):
        sheet.append([sid, None])
    sheet["B2"] = "历下区"
    sheet.merge_cells("B2:B4")
    path = tmp_path / "merged.xlsx"
    book.save(path)
    assert read_table(path).rows == [["id", "district"], ["A", "历下区"], ["B", "历下区"], ["C", "历下区"]]


def test_the_first_sheet_or_a_named_one_is_read(tmp_path):
    book = Workbook()
    book.active.append(["first"])
    book.create_sheet("名册").append(["second"])
    path = tmp_path / "two.xlsx"
    book.save(path)
    assert read_table(path).rows == [["first"]]
    assert read_table(path, "名册").rows == [["second"]]
    with pytest.raises(BadInput, match="has no sheet '别的'"):
        read_table(path, "别的")


def _formula_book(tmp_path: Path, cached: str | None) -> Path:
    book = Workbook()
    book.active.append(["amount", "total"])
    book.active.append([2, "=A2*3"])
    path = tmp_path / "formula.xlsx"
    book.save(path)
    if cached is not None:  # what Excel writes on save: the formula and its last value
        with zipfile.ZipFile(path) as z:
            parts = {n: z.read(n) for n in z.namelist()}
        xml = parts["xl/worksheets/sheet1.xml"].decode()
        xml = re.sub(r"<f>A2\*3</f>(<v\s*/>|<v></v>)?", f"<f>A2*3</f><v>{cached}</v>", xml)
        parts["xl/worksheets/sheet1.xml"] = xml.encode()
        with zipfile.ZipFile(path, "w") as z:
            for n, data in parts.items():
                z.writestr(n, data)
    return path


def test_a_formula_reads_as_the_value_excel_cached(tmp_path):
    assert read_table(_formula_book(tmp_path, "6")).rows == [["amount", "total"], ["2", "6"]]


def test_a_formula_without_a_cached_value_is_refused_naming_the_cell(tmp_path):
    with pytest.raises(BadInput) as err:
        read_table(_formula_book(tmp_path, None))
    assert "formula.xlsx sheet Sheet, cell B2: the formula =A2*3 has no saved value" in err.value.message
