"""Plain-text tables line up when cells hold Chinese (two terminal columns a character)."""
from __future__ import annotations

from lifecycle.core.text_table import cell, pad, render, width


def test_cjk_and_full_width_characters_take_two_columns():
    assert width("历下区") == 6
    assert width("abc") == 3
    assert width("社工站A１") == 9   # full-width digit one is wide too
    assert width("e\u0301") == 1     # a combining accent takes none


def test_padding_counts_display_columns_not_characters():
    assert pad("历下", 6) == "历下  "
    assert width(pad("解放路街道", 12)) == 12
    assert pad("too long", 3) == "too long"


def column_starts(line: str, values: list[str]) -> list[int]:
    starts, pos = [], 0
    for v in values:
        at = line.index(v, pos)
        starts.append(width(line[:at]))
        pos = at + len(v)
    return starts


def test_columns_line_up_across_rows_mixing_chinese_and_latin():
    rows = [["LX-2025-DMH", "大明湖街道社会工作服务站", "in_service", 3],
            ["DY-1", "六户镇社会工作服务站", "contracted", None],
            ["X", "abc", "closed", True]]
    lines = render(["project", "station", "state", "n"], rows).splitlines()
    header = column_starts(lines[0], ["project", "station", "state", "n"])
    assert header[1] == width("LX-2025-DMH") + 2
    assert header[2] == header[1] + width("大明湖街道社会工作服务站") + 2
    for line, row in zip(lines[2:], rows):
        assert column_starts(line, [cell(v) for v in row]) == header
    assert set(lines[1].replace("  ", "")) == {"-"}
    assert all(line == line.rstrip() for line in lines)


def test_none_shows_as_a_dash_and_booleans_as_yes_or_no():
    assert (cell(None), cell(True), cell(False), cell(3)) == ("-", "yes", "no", "3")
