"""Files as a Chinese office has them, through the CLI: rosters and station lists Excel really writes."""
from __future__ import annotations

import pytest
from openpyxl import Workbook

ROWS = [["姓名", "角色", "年龄", "学历", "社工资格"], ["张伟", "组长", "３４", "本科", "是"],
        ["李娜", "社工", "28", "大专", "是"], ["王芳", "成员", "40", "本科", "否"]]


def write_roster(tmp_path, kind: str) -> str:
    csv_text = "".join(",".join(r) + "\r\n" for r in ROWS)
    if kind == "gbk":
        path = tmp_path / "名单-gbk.csv"
        path.write_bytes(csv_text.encode("gbk"))
    elif kind == "utf8-bom":
        path = tmp_path / "名单-bom.csv"
        path.write_bytes(csv_text.encode("utf-8-sig"))
    elif kind == "utf16":
        path = tmp_path / "名单.txt"          # Excel: 另存为 "Unicode 文本"
        path.write_bytes("".join("\t".join(r) + "\r\n" for r in ROWS).encode("utf-16"))
    else:
        path = tmp_path / "名单.xlsx"
        book = Workbook()
        for r in ROWS:
            book.active.append([int(c) if c.isascii() and c.isdigit() else c for c in r])
        book.save(path)
    return str(path)


def signed(lc, pid: str, station: str) -> None:
    lc.ok("station", "add", station, "--name", f"{station}社工站", "--district", "历下区")
    lc.ok("project", "open", pid, "--station", station, "--rulebook", "jinan", "--year", "2026", "--on", "2026/03/20")
    lc.ok("advance", pid, "announce", "--on", "2026年4月1日")
    lc.ok("advance", pid, "award", "contractor=YG", "--on", "２０２６-０４-２８")
    lc.ok("advance", pid, "sign", "amount=６００,０００", "--on", "2026-05-08")


def test_rosters_in_gbk_utf8_bom_utf16_and_xlsx_with_chinese_headers_give_the_same_roster(lc, tmp_path):
    lc.ok("contractor", "add", "YG", "--name", "阳光社工", "--credit-code", "52370102MJD1234562")
    rosters = []
    for n, kind in enumerate(("gbk", "utf8-bom", "utf16", "xlsx"), start=1):
        pid = f"P{n}"
        signed(lc, pid, f"S{n}")
        lc.ok("advance", pid, "staff", f"roster={write_roster(tmp_path, kind)}", "--on", "2026-06-01")
        snap = lc.ok("status", pid, "--json").json()
        assert snap["state"] == "in_service" and snap["amount"] == 600000 and snap["opened_on"] == "2026-03-20"
        rosters.append(snap["roster"])
    assert rosters[0] == rosters[1] == rosters[2] == rosters[3]
    assert [(s["name"], s["role"], s["age"]) for s in rosters[0]] == [
        ("张伟", "lead", 34), ("李娜", "worker", 28), ("王芳", "worker", 40)]


def test_an_undecodable_roster_is_refused_in_one_sentence(lc, tmp_path):
    lc.ok("contractor", "add", "YG", "--name", "阳光社工", "--credit-code", "52370102MJD1234562")
    signed(lc, "P1", "S1")
    path = tmp_path / "坏.csv"
    path.write_bytes(b"name,role\n\x80\xff\xfe\x81,lead\n")
    r = lc("advance", "P1", "staff", f"roster={path}", "--on", "2026-06-01")
    assert (r.exit_code, r.stdout) == (2, "")
    assert r.stderr.strip().splitlines() == [
        f"project P1: staff: cannot read roster file {path}: it is neither UTF-8 nor GB18030/GBK text "
        "(save it from Excel as CSV UTF-8, CSV or Unicode text)"]


def test_a_station_list_from_chinese_excel_imports_with_its_merged_district(lc, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["id", "name", "district", "kind"])
    sheet.append(["LX-JFL", "解放路街道社会工作服务站", "历下区", "街道"])
    sheet.append(["LX-QFS", "千佛山街道社会工作服务站", None, "街道"])
    sheet.append(["LX-ZZ", "历下区社会工作服务总站", None, "总站"])
    sheet.merge_cells("C2:C4")
    book.save(tmp_path / "stations.xlsx")
    lc.ok("station", "import", str(tmp_path / "stations.xlsx"))
    (tmp_path / "gbk.csv").write_bytes("id,name,district\nDY-WH,文汇街道社会工作服务站,东营区\n".encode("gb18030"))
    lc.ok("station", "import", str(tmp_path / "gbk.csv"))
    listed = {s["id"]: (s["district"], s["kind"]) for s in lc.ok("station", "list", "--json").json()}
    assert listed == {"LX-JFL": ("历下区", "street"), "LX-QFS": ("历下区", "street"), "LX-ZZ": ("历下区", "general"),
                      "DY-WH": ("东营区", "street")}


@pytest.mark.parametrize("typed", ["2026/11/20", "2026年11月20日", "２０２６-１１-２０"])
def test_every_date_option_reads_the_office_forms_and_prints_iso(lc, typed):
    r = lc.ok("deadlines", "--as-of", typed, "--json")
    assert r.json() == []
    lc.ok("station", "add", "S1", "--name", "社工站", "--district", "历下区")
    snap = lc.ok("project", "open", "P1", "--station", "S1", "--rulebook", "jinan", "--year", "2026",
                 "--on", typed, "--json").json()
    assert snap["opened_on"] == "2026-11-20"
