"""A bureau moves in: twenty projects in mid-contract imported from the 台账 in one command.

The ledger is an XLSX workbook as a district office keeps it: Chinese headers,
merged cells (a rulebook and a plan year written once for many rows), dates
in three forms with fullwidth digits, a roster sheet in the same workbook and
a GBK roster file beside it. Every imported project must equal the same
events keyed by hand, and a ledger with one bad row changes nothing.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from conftest import Lifecycle
from lifecycle.demo.district import credit_code

CONTRACTORS = [("YG", "济南市历下区阳光社会工作服务中心", "52370102MJD304172"),
               ("ZA", "山东众爱社会工作服务中心", "52370000MJC588231"),
               ("QC", "济南市泉城社会工作发展中心", "52370100MJE072658"),
               ("HY", "济南市历下区和悦社会工作服务中心", "52370102MJD719403")]
STAFF = [["姓名", "角色", "年龄", "学历", "社工资格"], ["张伟", "组长", "34", "本科", "是"],
         ["李娜", "社工", "28", "大专", "是"], ["王芳", "社工", "40", "本科", "否"]]
HEADERS = ["项目编号", "站点编号", "规则集", "计划年度", "计划备案日期", "预算", "采购公告日期", "中标日期",
           "承接机构编号", "合同签订日期", "合同金额", "服务期限月数", "合同公告日期", "合同备案日期", "到岗日期", "人员名册",
           "区县"]


def stations_workbook(path: Path) -> None:
    """Twenty stations, the district written once in a merged cell for each district's block."""
    book = Workbook()
    sheet = book.active
    sheet.append(["站点编号", "站点名称", "区县"])
    for n in range(1, 21):
        sheet.append([f"S{n:02d}", f"第{n}社会工作服务站", None])
    sheet["C2"], sheet["C12"] = "历下区", "市中区"
    sheet.merge_cells("C2:C11")
    sheet.merge_cells("C12:C21")
    book.save(path)


def project_row(n: int) -> tuple[list[object], list[tuple[str, str, dict[str, str]]]]:
    """Row n of the ledger and the same project's events as `advance` would be given them by hand."""
    stage = n % 5
    contractor = CONTRACTORS[n % 4][0]
    cells: list[object] = [f"P{n:02d}", f"S{n:02d}", None, None, "2026/03/20", "600,000"] + [None] * 11
    steps: list[tuple[str, str, dict[str, str]]] = []
    if stage >= 1:
        cells[6] = "2026年4月8日"
        steps.append(("announce", "2026-04-08", {}))
    if stage >= 2:
        cells[7], cells[8] = "２０２６-０５-０６", contractor
        steps.append(("award", "2026-05-06", {"contractor": contractor}))
    if stage >= 3:
        cells[9:14] = ["2026-05-20", 600000, 12, "2026-05-21", "2026-05-28"]
        steps += [("sign", "2026-05-20", {"amount": "600000", "term_months": "12"}),
                  ("publish", "2026-05-21", {}), ("file_contract", "2026-05-28", {})]
    if stage >= 4:
        cells[14], cells[15] = "2026-06-10", "名册" if n % 2 else "roster-gbk.csv"
        steps.append(("staff", "2026-06-10", {"roster": "名册"}))
    return cells, steps


def ledger_workbook(path: Path, rows: list[list[object]], extra_sheets: dict[str, list[list[str]]] | None = None) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "项目台账"
    sheet.append(HEADERS)
    for cells in rows:
        sheet.append(cells)
    last = len(rows) + 1
    sheet["C2"], sheet["D2"] = "jinan", 2026      # written once, merged over every row
    sheet.merge_cells(f"C2:C{last}")
    sheet.merge_cells(f"D2:D{last}")
    sheet["Q2"] = "历下区"
    sheet.merge_cells(f"Q2:Q{min(11, last)}")
    for name, table in {"名册": STAFF, **(extra_sheets or {})}.items():
        roster = book.create_sheet(name)
        for r in table:
            roster.append(r)
    book.save(path)


def moved_in(lc: Lifecycle, tmp_path: Path) -> None:
    stations_workbook(tmp_path / "站点.xlsx")
    lc.ok("station", "import", str(tmp_path / "站点.xlsx"))
    for cid, name, first17 in CONTRACTORS:
        lc.ok("contractor", "add", cid, "--name", name, "--credit-code", credit_code(first17))
    (tmp_path / "roster-gbk.csv").write_bytes("".join(",".join(r) + "\r\n" for r in STAFF).encode("gbk"))


def fingerprint(lc: Lifecycle) -> object:
    """The database as bytes on SQLite; on PostgreSQL every project's history and the stations."""
    if lc.url.startswith("sqlite:///"):
        db = Path(lc.url[len("sqlite:///"):])
        return {s: p.read_bytes() for s in ("", "-wal", "-journal") if (p := db.with_name(db.name + s)).exists()}
    return lc.ok("project", "list", "--json").stdout + lc.ok("station", "list", "--json").stdout


def test_a_twenty_row_ledger_imports_in_one_command_as_if_keyed_by_hand(lc, tmp_path):
    moved_in(lc, tmp_path)
    rows, scripts = zip(*(project_row(n) for n in range(1, 21)))
    ledger = tmp_path / "台账.xlsx"
    ledger_workbook(ledger, list(rows))

    dry = lc.ok("project", "import", str(ledger), "--dry-run", "--json").json()
    assert dry["problems"] == [] and len(dry["created"]) == 20
    assert lc.ok("project", "list", "--json").json() == []          # a dry run writes nothing

    done = lc.ok("project", "import", str(ledger), "--json").json()
    assert done["created"] == [f"P{n:02d}" for n in range(1, 21)] and done["problems"] == []
    assert done["events"] == 20 + sum(len(s) for s in scripts) == dry["events"]

    by_hand = Lifecycle(f"sqlite:///{tmp_path / 'by-hand.db'}", tmp_path, lc.now)
    by_hand.ok("init")
    by_hand.ok("station", "import", str(tmp_path / "站点.xlsx"))
    for cid, name, first17 in CONTRACTORS:
        by_hand.ok("contractor", "add", cid, "--name", name, "--credit-code", credit_code(first17))
    roster_csv = by_hand.write("roster.csv", "name,role,age,education,qualified\n张伟,lead,34,本科,是\n"
                                             "李娜,worker,28,大专,是\n王芳,worker,40,本科,否\n")
    for n, steps in enumerate(scripts, start=1):
        pid = f"P{n:02d}"
        by_hand.ok("project", "open", pid, "--station", f"S{n:02d}", "--rulebook", "jinan", "--year", "2026",
                   "--on", "2026-03-20", "--budget", "600000")
        for event, on, data in steps:
            pairs = [f"{k}={roster_csv if k == 'roster' else v}" for k, v in data.items()]
            by_hand.ok("advance", pid, event, *pairs, "--on", on)
        imported = lc.ok("status", pid, "--json").json()
        keyed = by_hand.ok("status", pid, "--json").json()
        for snap in (imported, keyed):
            snap.pop("head_hash")
        assert imported == keyed, pid
        lc.ok("replay", pid, "--verify")
    assert lc.ok("status", "P04", "--json").json()["state"] == "in_service"
    assert lc.ok("status", "P15", "--json").json()["district"] == "市中区"   # the merged cell, read in row 16


def test_imported_events_carry_their_source_into_history_and_the_audit_report(lc, tmp_path):
    moved_in(lc, tmp_path)
    ledger = tmp_path / "台账.xlsx"
    ledger_workbook(ledger, [project_row(n)[0] for n in range(1, 8)])
    lc.ok("project", "import", str(ledger))
    import hashlib
    digest = hashlib.sha256(ledger.read_bytes()).hexdigest()
    events = lc.ok("history", "P06", "--json").json()
    assert {json.dumps(e["data"]["source"], sort_keys=True) for e in events} == {
        json.dumps({"ledger": "台账.xlsx", "row": 7, "sha256": digest}, sort_keys=True)}
    assert all(e["recorded"].startswith("2026-11-20T09:00:00") for e in events)
    out = tmp_path / "audit.html"
    lc.ok("audit", "P06", "--out", str(out))
    assert "imported from 台账 row 7" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("case,change,status,fragments", [
    ("a 41-year-old under Jinan", lambda cells: cells.__setitem__(15, "名册41"), 1,
     ["row 7, column staff", "project P06", "李强 is 41, above the age limit of 40", "JN-roster"]),
    ("an unknown station", lambda cells: cells.__setitem__(1, "S99"), 2,
     ["row 7, column station", "project P06: unknown station S99"]),
    ("a sign date before the award", lambda cells: cells.__setitem__(9, "2026-05-01"), 1,
     ["row 7, column sign", "project P06", "2026-05-01 is before the award of 2026-05-06"]),
])
def test_a_ledger_with_one_bad_row_is_refused_naming_row_column_and_rule_and_changes_nothing(
        lc, tmp_path, case, change, status, fragments):
    moved_in(lc, tmp_path)
    rows = [project_row(n)[0] for n in range(1, 21)]
    rows[5][6:16] = ["2026-04-08", "2026-05-06", "YG", "2026-05-20", 600000, 12, "2026-05-21", "2026-05-28",
                     "2026-06-10", "名册"]   # row 7 of the sheet: project P06, staffed
    change(rows[5])
    ledger = tmp_path / "台账.xlsx"
    old = [STAFF[0], ["李强", "组长", "41", "本科", "是"], *STAFF[2:]]
    ledger_workbook(ledger, rows, {"名册41": old})
    before = fingerprint(lc)
    r = lc("project", "import", str(ledger))
    assert (r.exit_code, r.stdout) == (status, ""), r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    for fragment in fragments:
        assert fragment in r.stderr, (fragment, r.stderr)
    assert "nothing was imported" in r.stderr
    assert fingerprint(lc) == before
    dry = lc.ok("project", "import", str(ledger), "--dry-run", "--json").json()
    assert [(p["row"], p["column"]) for p in dry["problems"]] == [(7, fragments[0].split("column ")[1])]
    assert len(dry["created"]) == 19


def test_a_ledger_without_the_required_columns_is_bad_input(lc, tmp_path):
    path = tmp_path / "l.csv"
    path.write_text("项目编号,站点编号\nP1,S01\n", encoding="utf-8")
    r = lc("project", "import", str(path))
    assert r.exit_code == 2 and r.stdout == ""
    assert "lacks the column(s) rulebook (规则集), year (计划年度), plan_filed (计划备案日期)" in r.stderr


def test_the_template_has_the_headers_a_sample_row_and_drop_downs(lc, tmp_path):
    moved_in(lc, tmp_path)
    out = tmp_path / "空白台账.xlsx"
    lc.ok("project", "import", "--template", str(out))
    book = load_workbook(out)
    sheet = book["项目台账"]
    headers = [c.value for c in sheet[1]]
    assert headers[:5] == ["项目编号", "站点编号", "规则集", "计划年度", "计划备案日期"] and "档案移交日期" in headers
    assert sheet.cell(row=2, column=2).value == "S01"
    lists = {str(v.sqref).split(":")[0][0]: v.formula1 for v in sheet.data_validations.dataValidation}
    assert set(lists) == {"B", "C", "I"}                      # station, rulebook, contractor
    hidden = book["选项"]
    assert hidden.sheet_state == "hidden"
    assert "jinan" in [c.value for c in hidden["B"]] or "jinan" in [c.value for row in hidden.iter_rows()
                                                                    for c in row]


def test_the_help_lists_every_column_the_import_reads(lc):
    from lifecycle.services.ledger_import import COLUMNS
    shown = " ".join(lc.ok("project", "import", "--help").stdout.split())
    for key, zh, _required in COLUMNS:
        assert f"{key} {zh}" in shown, key
