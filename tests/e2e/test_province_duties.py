"""FJ-cadence (福建 一.三: 每周一报送、每月一通报、每季一调度): the stations' weekly reports are each
project's duty; the monthly bulletin and the quarterly dispatch are the province's, owed once a
period however many stations serve, filed with `district report 福建省 bulletin|dispatch`."""
from __future__ import annotations

import json

from jinan_walk import ROSTER, at


def two_fujian_stations(lc) -> None:
    at(lc, "2026-03-01 01:00:00", "contractor", "add", "C1", "--name", "鼓楼区阳光社会工作服务中心",
       "--credit-code", "52370102MJD1234562")
    roster = lc.write("roster.csv", ROSTER)
    for n, district in ((1, "鼓楼区"), (2, "台江区")):
        at(lc, "2026-03-01 01:00:00", "station", "add", f"S{n}", "--name", f"第{n}街道社会工作服务站",
           "--district", district)
        at(lc, "2026-03-20 02:00:00", "project", "open", f"P{n}", "--station", f"S{n}", "--rulebook", "fujian",
           "--year", "2026", "--on", "2026-03-20")
        at(lc, "2026-04-01 02:00:00", "advance", f"P{n}", "announce", "--on", "2026-04-01")
        at(lc, "2026-04-28 02:00:00", "advance", f"P{n}", "award", "contractor=C1", "--on", "2026-04-28")
        at(lc, "2026-05-08 02:00:00", "advance", f"P{n}", "sign", "--on", "2026-05-08")
        at(lc, "2026-06-01 02:00:00", "advance", f"P{n}", "staff", f"roster={roster}", "--on", "2026-06-01")
    lc.now = "2026-07-13 02:00:00"


def test_the_weekly_report_is_each_projects_and_the_bulletin_and_dispatch_the_provinces_once(lc):
    two_fujian_stations(lc)
    for pid in ("P1", "P2"):
        owed = [o["id"] for o in lc.ok("status", pid, "--json").json()["obligations"]]
        assert "weekly_report:2026-W23" in owed                      # the station's own, every week
        assert not any(o.startswith(("bulletin:", "dispatch:")) for o in owed)
    province = lc.ok("district", "status", "福建省", "--json").json()
    bulletin = next(o for o in province["obligations"] if o["id"] == "bulletin:2026-06")
    assert (bulletin["due"], bulletin["projects"], bulletin["status"]) == ("2026-07-10", ["P1", "P2"], "overdue")
    assert bulletin["basis"].startswith("FJ-cadence-monthly")
    dispatch = next(o for o in province["obligations"] if o["id"] == "dispatch:2026-Q2")
    assert dispatch["due"] == "2026-07-15" and dispatch["projects"] == ["P1", "P2"]
    listed = [r for r in lc.ok("deadlines", "--json").json() if r["obligation"] == "bulletin:2026-06"]
    assert len(listed) == 1 and listed[0]["district"] == "福建省" and listed[0]["project"] is None
    for d in ("鼓楼区", "台江区"):   # not a district's duty
        assert not [o for o in lc.ok("district", "status", d, "--json").json()["obligations"]
                    if o["id"].startswith(("bulletin:", "dispatch:"))]
    swept = lc.ok("check", "--json").json()
    mine = [n for n in swept["notices"] if n["obligation"] in ("bulletin:2026-06", "dispatch:2026-Q2")]
    assert sorted((n["obligation"], n["project"]) for n in mine) == [("bulletin:2026-06", "district:福建省"),
                                                                    ("dispatch:2026-Q2", "district:福建省")]
    assert lc.ok("check", "--json").json()["created"] == 0


def test_the_province_files_its_bulletin_once_and_verify_and_the_checkpoint_cover_its_log(lc, tmp_path):
    two_fujian_stations(lc)
    done = lc.ok("district", "report", "福建省", "bulletin", "--period", "2026-06", "--on", "2026-07-08",
                 "--json").json()
    met = next(o for o in done["obligations"] if o["id"] == "bulletin:2026-06")
    assert (met["status"], met["met_on"]) == ("met", "2026-07-08")
    r = lc("district", "report", "福建省", "bulletin", "--period", "2026-06", "--on", "2026-07-09")
    assert r.exit_code == 1 and "already files it" in r.stderr
    r = lc("district", "report", "福建省", "bulletin", "--period", "2026-13", "--on", "2026-07-09")
    assert r.exit_code == 2 and "malformed" in r.stderr
    r = lc("district", "report", "福建省", "dispatch", "--period", "2026-Q3", "--on", "2026-06-30")
    assert r.exit_code == 2 and "begins on 2026-07-01" in r.stderr
    lc.ok("district", "report", "福建省", "dispatch", "--period", "2026-Q2", "--on", "2026-07-13")
    assert not [r for r in lc.ok("deadlines", "--json").json()
                if r["obligation"] in ("bulletin:2026-06", "dispatch:2026-Q2")]
    result = lc.ok("verify", "--all", "--json").json()
    assert result["failed"] == [] and result["district_events"] == 2
    key, cp = tmp_path / "lifecycle.key", tmp_path / "cp.json"
    lc.ok("keygen", "--out", str(key))
    lc.ok("checkpoint", "--key", str(key), "--out", str(cp))
    leaves = json.loads(cp.read_text(encoding="utf-8"))["leaves"]
    assert any(leaf["kind"] == "district-log" and leaf["id"] == "福建省" and leaf["seq"] == 2 for leaf in leaves)


def test_a_province_duty_a_letter_named_moved_by_recompute_gets_one_correction(lc, monkeypatch):
    import pytest
    from lifecycle.core.calendar import WorkCalendar
    if WorkCalendar().has_data(2027):
        pytest.skip("chinese_calendar now ships 2027 data")
    two_fujian_stations(lc)
    # the bulletin for December 2026: 31 Dec + 10 days = Sun 10 Jan 2027 -> Mon 11 Jan (weekends alone)
    lc.now = "2027-01-06 02:00:00"
    made = lc.ok("check", "--as-of", "2027-01-06", "--json").json()["notices"]
    assert [(n["project"], n["stage"]) for n in made if n["obligation"] == "bulletin:2026-12"] == [
        ("district:福建省", "reminder")]
    monkeypatch.setenv("LIFECYCLE_HOLIDAYS", lc.write("holidays.toml", "[2027]\nholidays = [2027-01-11]\nworkdays = []\n"))
    out = lc.ok("recompute", "--json").json()
    moved = [(m["project"], m["old"], m["new"]) for m in out["moved"] if m["obligation"] == "bulletin:2026-12"]
    assert moved == [("district:福建省", "2027-01-11", "2027-01-12")]
    assert [n["named"] for n in out["named"] if n["obligation"] == "bulletin:2026-12"] == ["2027-01-11"]
    swept = lc.ok("check", "--as-of", "2027-01-06", "--json").json()
    fixes = [n for n in swept["notices"] if n["obligation"] == "bulletin:2026-12"]
    assert [(n["project"], n["stage"]) for n in fixes] == [("district:福建省", "correction")]
    letter = next(x for x in swept["letters"] if fixes[0]["id"] in x["notices"])
    shown = lc.ok("letters", "show", str(letter["id"])).stdout
    assert "更正通知" in shown and "2027年1月11日更正为2027年1月12日" in shown
    again = lc.ok("check", "--as-of", "2027-01-06", "--json").json()["notices"]
    assert not [n for n in again if n["obligation"] == "bulletin:2026-12"]   # once, never again
    assert lc("verify", "--all").exit_code == 0


def _district_log(lc, name: str) -> list[tuple[int, str, dict]]:
    """The district's own log, as stored (no command prints it: `verify --all` and the checkpoint read it)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool
    engine = create_engine(lc.url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT seq, type, data FROM district_events WHERE district = :d ORDER BY seq"),
                                {"d": name}).all()
    finally:
        engine.dispose()
    return [(r.seq, r.type, json.loads(r.data)) for r in rows]


def test_recompute_dry_run_lists_the_provinces_moved_bulletin_and_its_letter_and_recompute_logs_the_move(
        lc, monkeypatch, tmp_path):
    import pytest
    from lifecycle.core.calendar import WorkCalendar
    from test_bad_input import fingerprint
    if WorkCalendar().has_data(2027):
        pytest.skip("chinese_calendar now ships 2027 data")
    two_fujian_stations(lc)
    lc.now = "2027-01-06 02:00:00"
    made = lc.ok("check", "--as-of", "2027-01-06", "--json").json()["notices"]
    [reminder] = [n for n in made if n["obligation"] == "bulletin:2026-12"]
    monkeypatch.setenv("LIFECYCLE_HOLIDAYS", lc.write("holidays.toml", "[2027]\nholidays = [2027-01-11]\nworkdays = []\n"))
    before = fingerprint(lc)

    out = lc.ok("recompute", "--dry-run", "--json").json()
    assert out["dry_run"] is True
    province = [(m["obligation"], m["old"], m["new"]) for m in out["moved"] if m["project"] == "district:福建省"]
    assert province == [("bulletin:2026-12", "2027-01-11", "2027-01-12")]
    assert next(m["why"] for m in out["moved"] if m["project"] == "district:福建省").startswith("new holiday data")
    named = [n for n in out["named"] if n["project"] == "district:福建省"]
    assert [(n["notice"], n["obligation"], n["stage"], n["named"], n["new"]) for n in named] == [
        (reminder["id"], "bulletin:2026-12", "reminder", "2027-01-11", "2027-01-12")]
    assert reminder["id"] in out["letters"]
    shown = lc.ok("--lang", "en", "recompute", "--dry-run").stdout
    assert "district:福建省" in shown and "bulletin:2026-12" in shown and "nothing written" in shown
    assert "2027-01-11" in shown and "2027-01-12" in shown
    assert "new holiday data" in shown
    zh = lc.ok("--lang", "zh", "recompute", "--dry-run").stdout
    assert "未写入" in zh and "节假日数据更新" in zh and "new holiday data" not in zh   # the why, said in Chinese
    assert fingerprint(lc) == before                                  # the dry run wrote nothing
    assert _district_log(lc, "福建省") == []

    done = lc.ok("recompute", "--json").json()
    assert [(m["obligation"], m["old"], m["new"]) for m in done["moved"] if m["project"] == "district:福建省"] == province
    [(seq, kind, data)] = _district_log(lc, "福建省")
    assert (seq, kind) == (1, "reschedule")
    assert [(m["obligation"], m["old"], m["new"]) for m in data["moves"]] == province
    status = lc.ok("district", "status", "福建省", "--json").json()
    assert status["head_seq"] == 1 and status["reports"] == []
    assert next(o["due"] for o in status["obligations"] if o["id"] == "bulletin:2026-12") == "2027-01-12"
    assert not [m for m in lc.ok("recompute", "--dry-run", "--json").json()["moved"]
                if m["project"].startswith("district:")]                 # nothing left to move
    result = lc.ok("verify", "--all", "--json").json()
    assert result["failed"] == [] and result["district_events"] == 1
    key, cp = tmp_path / "lifecycle.key", tmp_path / "cp.json"
    lc.ok("keygen", "--out", str(key))
    lc.ok("checkpoint", "--key", str(key), "--out", str(cp))
    leaves = json.loads(cp.read_text(encoding="utf-8"))["leaves"]
    assert any(leaf["kind"] == "district-log" and leaf["id"] == "福建省" and leaf["seq"] == 1 for leaf in leaves)
    witnessed = ("verify", "--all", "--checkpoint", str(cp), "--pubkey", f"{key}.pub")
    assert lc(*witnessed).exit_code == 0
    # the province's log goes on after the record: its bulletin is filed as event 2 and meets the duty
    lc.ok("district", "report", "福建省", "bulletin", "--period", "2026-12", "--on", "2027-01-06")
    assert [(s, k) for s, k, _ in _district_log(lc, "福建省")] == [(1, "reschedule"), (2, "district_report")]
    met = lc.ok("district", "status", "福建省", "--json").json()
    assert next(o["status"] for o in met["obligations"] if o["id"] == "bulletin:2026-12") == "met"
    result = lc.ok("verify", "--all", "--json").json()
    assert result["failed"] == [] and result["district_events"] == 2
    assert lc(*witnessed).exit_code == 0                                # the checkpointed head is still there


def test_recompute_dry_run_with_nothing_to_move_says_so_in_one_sentence(lc):
    two_fujian_stations(lc)
    en = lc.ok("--lang", "en", "recompute", "--dry-run").stdout.strip()
    assert en == ("Nothing would move: every due date already stands under the present holiday data and "
                  "rulebooks (nothing written).")
    zh = lc.ok("--lang", "zh", "recompute", "--dry-run").stdout.strip()
    assert "\n" not in zh and zh.endswith("。") and "未写入" in zh
    assert lc.ok("recompute", "--dry-run", "--json").json() == {"dry_run": True, "changed": [], "moved": [],
                                                               "letters": [], "named": []}
