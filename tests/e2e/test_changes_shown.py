"""Changes shown before they bite: new holiday data for 2027 moves due dates that letters named.

A Dongying project awarded Tue 22 Dec 2026: DY-contract, day 10 = Fri 1 Jan 2027, by weekends
alone (no 2027 data) a working day, so due 1 Jan, provisional. A reminder is made on 29 Dec
naming 1 Jan. The 2027 file makes 1 Jan a holiday: Sat 2, Sun 3 -> due Mon 4 Jan.
"""
from __future__ import annotations

import pytest

from conftest import Lifecycle
from lifecycle.core.calendar import WorkCalendar

pytestmark = [pytest.mark.skipif(WorkCalendar().has_data(2027), reason="chinese_calendar now ships 2027 data"),
              pytest.mark.sqlite_only]  # the holidays file is found beside the SQLite database file

HOLIDAYS_2027 = "[2027]\nholidays = [2027-01-01]\nworkdays = []\n"


def _awarded_and_reminded(db_url, tmp_path) -> Lifecycle:
    lc = Lifecycle(db_url, tmp_path, now="2026-12-29 10:00:00")
    lc.ok("init")
    lc.ok("station", "add", "S1", "--name", "西城街道社会工作服务站", "--district", "东营区")
    lc.ok("contractor", "add", "C1", "--name", "黄河社工")
    lc.ok("project", "open", "P1", "--station", "S1", "--rulebook", "dongying", "--year", "2026", "--on", "2025-11-03")
    lc.ok("advance", "P1", "announce", "--on", "2026-11-02")
    lc.ok("advance", "P1", "award", "contractor=C1", "--on", "2026-12-22")
    made = lc.ok("check", "--as-of", "2026-12-29", "--json").json()["notices"]
    assert [(n["obligation"], n["stage"]) for n in made] == [("contract", "reminder")]
    lc.write("holidays.toml", HOLIDAYS_2027)
    return lc


def _events(lc: Lifecycle) -> list[dict]:
    return lc.ok("history", "P1", "--json").json()


def test_a_dry_run_lists_the_moved_due_date_and_the_letter_that_named_it_and_writes_nothing(db_url, tmp_path):
    lc = _awarded_and_reminded(db_url, tmp_path)
    before = (_events(lc), lc.ok("status", "P1", "--json").json())
    out = lc.ok("recompute", "--dry-run", "--json").json()
    assert out["dry_run"] is True and out["changed"] == ["P1"]
    assert [(m["project"], m["obligation"], m["old"], m["new"]) for m in out["moved"]] == [
        ("P1", "contract", "2027-01-01", "2027-01-04")]
    assert "holiday data" in out["moved"][0]["why"]
    assert [(n["obligation"], n["stage"], n["named"], n["new"]) for n in out["named"]] == [
        ("contract", "reminder", "2027-01-01", "2027-01-04")]
    assert out["letters"] == [out["named"][0]["notice"]]
    assert (_events(lc), lc.ok("status", "P1", "--json").json()) == before
    text = lc.ok("recompute", "--dry-run").stdout
    assert "2027-01-01" in text and "2027-01-04" in text and "nothing written" in text


def test_recompute_records_the_move_in_the_log_and_verification_still_holds(db_url, tmp_path):
    lc = _awarded_and_reminded(db_url, tmp_path)
    out = lc.ok("recompute", "--json").json()
    assert out["dry_run"] is False and len(out["moved"]) == 1
    last = _events(lc)[-1]
    assert last["event"] == "reschedule"
    assert last["data"]["moves"][0]["obligation"] == "contract"
    assert (last["data"]["moves"][0]["old"], last["data"]["moves"][0]["new"]) == ("2027-01-01", "2027-01-04")
    assert lc.ok("recompute", "--dry-run", "--json").json()["moved"] == []   # nothing left to move
    assert lc.ok("replay", "P1", "--verify", "--json").json()["verified"] is True
    assert lc("verify", "--all").exit_code == 0


def test_a_move_after_a_recompute_is_put_down_to_the_holiday_data_not_the_rulebook(db_url, tmp_path):
    lc = _awarded_and_reminded(db_url, tmp_path)
    lc.ok("recompute")
    digest = _events(lc)[-1]["data"]["rulebook_digest"]
    assert digest == _events(lc)[0]["data"]["rulebook_digest"]   # the text the project runs under
    lc.write("holidays.toml", "[2027]\nholidays = [2027-01-01, 2027-01-04]\nworkdays = []\n")
    moved = lc.ok("recompute", "--dry-run", "--json").json()["moved"]
    assert [(m["old"], m["new"]) for m in moved] == [("2027-01-04", "2027-01-05")]
    assert moved[0]["why"] == "new holiday data"
