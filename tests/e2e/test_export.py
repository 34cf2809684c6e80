"""`lifecycle export`: json, csv, the xlsx 台账 and an OCDS 1.1 release package validated offline."""
from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path

import pytest

from lifecycle.audit.ocds_validate import codes as ocds_codes
from lifecycle.audit.ocds_validate import problems, validator
from jinan_walk import ROSTER, at



def district(lc) -> None:
    """P1 in service with a payment and a late duty, P2 still in procurement."""
    at(lc, "2026-03-01 02:00:00", "station", "add", "LX-JFL", "--name", "解放路街道社会工作服务站", "--district", "历下区")
    at(lc, "2026-03-01 02:00:00", "station", "add", "LX-QF", "--name", "泉城路街道社会工作服务站", "--district", "历下区")
    at(lc, "2026-03-01 02:00:00", "contractor", "add", "YG", "--name", "济南市历下区阳光社会工作服务中心",
       "--credit-code", "52370102MJD1234562")
    at(lc, "2026-03-20 02:00:00", "project", "open", "P1", "--station", "LX-JFL", "--rulebook", "jinan",
       "--year", "2026", "--on", "2026-03-20", "--budget", "650000")
    at(lc, "2026-04-01 02:00:00", "advance", "P1", "announce", "--on", "2026-04-01")
    at(lc, "2026-04-28 02:00:00", "advance", "P1", "award", "contractor=YG", "--on", "2026-04-28")
    at(lc, "2026-05-08 02:00:00", "advance", "P1", "sign", "amount=600000", "--on", "2026-05-08")
    at(lc, "2026-06-01 02:00:00", "advance", "P1", "staff", f"roster={lc.write('r.csv', ROSTER)}", "--on", "2026-06-01")
    at(lc, "2026-06-02 02:00:00", "advance", "P1", "publish", "--on", "2026-06-02")
    at(lc, "2026-06-10 02:00:00", "advance", "P1", "pay", "kind=advance", "amount=180000", "--on", "2026-06-10")
    at(lc, "2026-07-08 02:00:00", "advance", "P1", "report", "kind=monthly", "period=2026-06", "--on", "2026-07-08")
    at(lc, "2026-04-02 02:00:00", "project", "open", "P2", "--station", "LX-QF", "--rulebook", "jinan",
       "--year", "2026", "--on", "2026-04-02")
    at(lc, "2026-04-10 02:00:00", "advance", "P2", "announce", "--on", "2026-04-10")
    lc.now = "2026-07-20 02:00:00"


def test_json_export_holds_each_snapshot_with_its_events_and_verification(lc):
    district(lc)
    doc = lc.ok("export", "--all", "--format", "json").json()
    assert doc["as_of"] == "2026-07-20" and [p["project"] for p in doc["projects"]] == ["P1", "P2"]
    p1 = doc["projects"][0]
    assert p1["state"] == "in_service" and p1["verified"] is True
    assert [e["event"] for e in p1["events"]][:3] == ["open", "announce", "award"]
    assert p1["events"][-1]["hash"] == p1["head_hash"]
    assert any(o["status"] == "overdue" for o in p1["obligations"])
    one = lc.ok("export", "P2", "--format", "json").json()
    assert [p["project"] for p in one["projects"]] == ["P2"]


def test_csv_export_is_one_row_a_project(lc):
    district(lc)
    rows = list(csv.DictReader(io.StringIO(lc.ok("export", "--all", "--format", "csv").stdout)))
    assert [r["project"] for r in rows] == ["P1", "P2"]
    p1 = rows[0]
    assert (p1["station_name"], p1["contractor_name"], p1["amount"], p1["paid"]) == \
        ("解放路街道社会工作服务站", "济南市历下区阳光社会工作服务中心", "600000", "180000")
    assert p1["next_duty"] == "briefing:2026-07" and p1["next_due"] == "2026-08-10"
    assert p1["overdue"] == "1"  # NAT-filing, never filed
    assert rows[1]["state"] == "procurement" and rows[1]["contractor"] == ""


def test_xlsx_export_is_the_ledger_with_chinese_headers_dates_and_frozen_header(lc, tmp_path):
    from openpyxl import load_workbook
    district(lc)
    out = tmp_path / "台账.xlsx"
    lc.ok("export", "--all", "--format", "xlsx", "--out", str(out))
    sheet = load_workbook(out).active
    headers = [c.value for c in sheet[1]]
    for name in ("项目编号", "社工站", "区县", "承接机构", "状态", "合同签订日期", "合同到期日", "合同金额(元)",
                 "下一项到期义务", "到期日", "逾期义务数"):
        assert name in headers, name
    assert all(c.font.b for c in sheet[1])
    assert sheet.freeze_panes == "B2"
    row = {h: c.value for h, c in zip(headers, sheet[2])}
    assert row["项目编号"] == "P1" and row["状态"] == "服务中" and row["区县"] == "历下区"
    assert isinstance(row["合同签订日期"], datetime) and row["合同签订日期"].date().isoformat() == "2026-05-08"
    assert row["合同金额(元)"] == 600000 and row["逾期义务数"] == 1
    assert row["下一项到期义务"] == "月度工作简报 (briefing:2026-07)"
    station_column = sheet.cell(row=1, column=headers.index("社工站") + 1).column_letter
    assert sheet.column_dimensions[station_column].width >= 2 * len("解放路街道社会工作服务站")


def test_xlsx_export_needs_an_out_file_and_export_needs_one_id_or_all(lc):
    district(lc)
    r = lc("export", "P1", "--format", "xlsx")
    assert r.exit_code == 2 and "--out" in r.stderr
    assert lc("export", "--format", "json").exit_code == 2
    assert lc("export", "P1", "--all", "--format", "json").exit_code == 2
    unknown = lc("export", "NOPE", "--format", "csv")
    assert unknown.exit_code == 2 and "NOPE" in unknown.stderr and unknown.stdout == ""


def ocds_validator():
    """The release-package schema of the OCDS 1.1.5 files shipped in the package, resolved offline."""
    return validator()


def codes(name: str) -> set[str]:
    return set(ocds_codes(name))


def test_ocds_export_is_a_valid_release_package(lc):
    district(lc)
    package = lc.ok("export", "--all", "--format", "ocds").json()
    errors = sorted(ocds_validator().iter_errors(package), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])
    assert [r["ocid"] for r in package["releases"]] == ["ocds-lc0000-P1", "ocds-lc0000-P2"]
    assert package["version"] == "1.1"


def test_ocds_release_carries_parties_budget_contract_milestones_and_payments(lc):
    district(lc)
    release, = lc.ok("export", "P1", "--format", "ocds").json()["releases"]
    roles = {p["name"]: set(p["roles"]) for p in release["parties"]}
    assert roles["历下区民政局"] == {"buyer", "procuringEntity", "payer"}
    assert roles["济南市历下区阳光社会工作服务中心"] == {"supplier", "payee"}
    assert release["initiationType"] == "tender" and set(release["tag"]) <= codes("releaseTag")
    assert release["planning"]["budget"]["amount"] == {"amount": 650000, "currency": "CNY"}
    contract, = release["contracts"]
    assert contract["value"] == {"amount": 600000, "currency": "CNY"}
    assert contract["period"]["endDate"].startswith("2029-05-08")
    milestones = {m["id"]: m for m in contract["implementation"]["milestones"]}
    assert {m["status"] for m in milestones.values() if "status" in m} <= codes("milestoneStatus")
    assert {m["type"] for m in milestones.values()} <= codes("milestoneType")
    assert milestones["briefing:2026-06"]["status"] == "met" and milestones["briefing:2026-06"]["type"] == "reporting"
    assert milestones["briefing:2026-06"]["dateMet"].startswith("2026-07-08")
    assert milestones["filing"]["status"] == "notMet"
    assert milestones["briefing:2026-08"]["status"] == "scheduled"
    payment, = contract["implementation"]["transactions"]
    assert payment["value"] == {"amount": 180000, "currency": "CNY"} and payment["date"].startswith("2026-06-10")


def test_ocds_release_of_a_project_in_procurement_has_a_tender_and_no_contract(lc):
    district(lc)
    package = lc.ok("export", "P2", "--format", "ocds").json()
    release, = package["releases"]
    assert release["tag"] == ["tender"] and release["tender"]["status"] == "active"
    assert "contracts" not in release and "awards" not in release
    assert not list(ocds_validator().iter_errors(package))


def dates(value, key=""):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from dates(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from dates(v, key)
    elif key in ("date", "publishedDate", "dateSigned", "dueDate", "dateMet", "startDate", "endDate"):
        yield value


def test_every_ocds_date_is_a_full_timestamp_with_its_offset(lc):
    district(lc)
    found = list(dates(lc.ok("export", "--all", "--format", "ocds").json()))
    assert len(found) > 20
    assert all(datetime.fromisoformat(d).tzinfo is not None for d in found)


def test_export_to_a_file_writes_it_and_says_where(lc, tmp_path):
    district(lc)
    out = tmp_path / "p1.json"
    r = lc.ok("export", "P1", "--format", "ocds", "--out", str(out))
    assert str(out) in r.stdout
    assert json.loads(out.read_text(encoding="utf-8"))["releases"][0]["ocid"] == "ocds-lc0000-P1"


def test_the_vendored_validator_finds_what_is_wrong_with_a_broken_package(lc):
    district(lc)
    package = lc.ok("export", "P1", "--format", "ocds").json()
    assert problems(package) == []
    del package["releases"][0]["ocid"]
    package["releases"][0]["tag"] = ["not-a-tag"]
    found = problems(package)
    assert any("ocid" in p for p in found) and any("not-a-tag" in p for p in found), found


def test_the_ocds_schemas_travel_inside_the_package():
    from lifecycle.audit.ocds_validate import SCHEMA
    assert (SCHEMA / "release-schema.json").is_file() and "met" in ocds_codes("milestoneStatus")
