"""The 台账 round trip: export every demo project as XLSX, import it into an empty database.

With the same stations and contractors, each project comes back at the same
lifecycle step: the same state, contractor, term end, and the same duties
(obligation ids) due on the same dates.
"""
from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from conftest import Lifecycle


def test_export_then_import_into_an_empty_database_rebuilds_every_demo_project(lc, tmp_path):
    lc.ok("init", "--demo")
    ledger = tmp_path / "台账.xlsx"
    lc.ok("export", "--all", "--format", "xlsx", "--out", str(ledger))
    assert load_workbook(ledger).sheetnames == ["项目台账", "义务", "付款", "评估", "人员"]

    empty = Lifecycle(f"sqlite:///{tmp_path / 'moved-in.db'}", tmp_path, lc.now)
    empty.ok("init")
    stations = tmp_path / "stations.csv"
    with stations.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.DictWriter(f, ["id", "name", "district", "kind", "villages"])
        writer.writeheader()
        writer.writerows(lc.ok("station", "list", "--json").json())
    empty.ok("station", "import", str(stations))
    for c in lc.ok("contractor", "list", "--json").json():
        empty.ok("contractor", "add", c["id"], "--name", c["name"], "--credit-code", c["credit_code"],
                 "--district", c["district"])
    done = empty.ok("project", "import", str(ledger), "--json").json()

    projects = lc.ok("project", "list", "--json").json()
    assert sorted(done["created"]) == sorted(p["project"] for p in projects) and len(projects) == 14
    for p in projects:
        before = lc.ok("status", p["project"], "--json").json()
        after = empty.ok("status", p["project"], "--json").json()
        assert (after["state"], after["contractor"], after["term_end"]) == \
            (before["state"], before["contractor"], before["term_end"]), p["project"]
        assert {o["id"]: o["due"] for o in after["obligations"]} == \
            {o["id"]: o["due"] for o in before["obligations"]}, p["project"]
        empty.ok("replay", p["project"], "--verify")


def test_the_xlsx_ledger_has_sheets_of_obligations_payments_evaluations_and_staff(lc, tmp_path):
    lc.ok("init", "--demo")
    ledger = tmp_path / "台账.xlsx"
    lc.ok("export", "--all", "--format", "xlsx", "--out", str(ledger))
    book = load_workbook(ledger)

    def rows(name):
        sheet = book[name]
        headers = [c.value for c in sheet[1]]
        return [dict(zip(headers, (c.value for c in r))) for r in sheet.iter_rows(min_row=2)]
    projects = {r["项目编号"]: r for r in rows("项目台账")}
    wd = projects["LX-2025-WD"]
    assert wd["状态"] == "已终止" and wd["终止日期"].date().isoformat() == "2026-06-05"
    assert wd["实际结束日"].date().isoformat() == "2026-06-05" and wd["结束原因"] == "评估不合格"
    assert projects["LX-2022-DL"]["档案移交日期"].date().isoformat() == "2025-06-20"
    assert projects["DY-2025-WH"]["统一社会信用代码"].startswith("52370500MJF226087")
    assert projects["LX-2026-BTQ"]["最早未履行义务"].endswith("逾期")    # the contract, overdue since November
    assert any(r["项目编号"] == "LX-2025-DMH" and r["义务编号"] == "filing" for r in rows("义务"))
    assert {(r["项目编号"], r["类型"], r["金额(元)"]) for r in rows("付款")} >= {("DY-2025-WH", "尾款", 100000)}
    assert ("DY-2025-HHL", "不合格") in {(r["项目编号"], r["结果"]) for r in rows("评估")}
    staff = [r for r in rows("人员") if r["项目编号"] == "LX-2025-DMH"]
    assert [r["姓名"] for r in staff] == ["张伟", "李娜", "王芳"] and staff[0]["角色"] == "组长"


def test_a_csv_export_file_starts_with_a_bom_so_excel_shows_the_chinese(lc, tmp_path):
    lc.ok("init", "--demo")
    out = tmp_path / "台账.csv"
    lc.ok("export", "--all", "--format", "csv", "--out", str(out))
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0]["project"] and any(r["station_name"] == "大明湖街道社会工作服务站" for r in rows)
    assert not lc.ok("export", "--all", "--format", "csv").stdout.startswith("\ufeff")   # a pipe gets none
