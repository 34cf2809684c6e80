"""A due date in a year without holiday data is provisional, and is recomputed when data arrives.

Without 2027 data, 2027 is counted on weekends alone. The file below declares Fri 1 Jan 2027
a holiday (as every year's schedule does), which moves due dates that land on it.
"""
from __future__ import annotations

import pytest

from conftest import Lifecycle
from lifecycle.core.calendar import WorkCalendar

pytestmark = pytest.mark.skipif(WorkCalendar().has_data(2027), reason="chinese_calendar now ships 2027 data")

HOLIDAYS_2027 = "[2027]\nholidays = [2027-01-01]\nworkdays = []\n"


def _dongying_awarded(lc: Lifecycle, award: str) -> None:
    lc.ok("station", "add", "S1", "--name", "西城街道社会工作服务站", "--district", "东营区")
    lc.ok("contractor", "add", "C1", "--name", "黄河社工")
    lc.ok("project", "open", "P1", "--station", "S1", "--rulebook", "dongying", "--year", "2026", "--on", "2025-11-03")
    lc.ok("advance", "P1", "announce", "--on", "2026-11-02")
    lc.ok("advance", "P1", "award", "contractor=C1", "--on", award)


def _ob(lc: Lifecycle, oid: str) -> dict:
    return next(o for o in lc.ok("status", "P1", "--json").json()["obligations"] if o["id"] == oid)


@pytest.mark.sqlite_only  # the holidays file is found beside the SQLite database file
def test_recompute_moves_a_provisional_due_date_once_the_year_is_published(db_url, tmp_path):
    lc = Lifecycle(db_url, tmp_path, now="2027-01-02 10:00:00")
    lc.ok("init")
    # DY-contract: award Tue 22 Dec 2026, day 10 = Fri 1 Jan 2027: a weekday by weekends alone
    _dongying_awarded(lc, "2026-12-22")
    before = _ob(lc, "contract")
    assert (before["due"], before["provisional"], before["status"]) == ("2027-01-01", True, "overdue")
    lc.write("holidays.toml", HOLIDAYS_2027)   # beside the database
    changed = lc.ok("recompute", "--json").json()["changed"]
    assert changed == ["P1"]
    after = _ob(lc, "contract")
    # 1 Jan 2027 is now a holiday, then Sat 2 and Sun 3 -> Mon 4 Jan, no longer provisional
    assert (after["due"], after["provisional"], after["status"]) == ("2027-01-04", False, "open")
    rows = lc.ok("deadlines", "--as-of", "2027-01-02", "--json").json()
    assert {(r["kind"], r["due"], r["provisional"], r["days_overdue"]) for r in rows} >= {
        ("contract", "2027-01-04", False, 0)}
    assert lc.ok("replay", "P1", "--verify", "--json").json()["verified"] is True


def test_the_next_event_refolds_on_a_holidays_file_named_by_the_environment(db_url, tmp_path, monkeypatch):
    lc = Lifecycle(db_url, tmp_path, now="2027-01-02 10:00:00")
    lc.ok("init")
    _dongying_awarded(lc, "2026-12-22")
    # sign Mon 28 Dec 2026: working days 29, 30, 31 Dec (1-3); by weekends alone Fri 1 Jan (4),
    # 4, 5, 6 Jan (5-7) -> 6 Jan, provisional
    lc.ok("advance", "P1", "sign", "--on", "2026-12-28")
    assert (_ob(lc, "filing")["due"], _ob(lc, "filing")["provisional"]) == ("2027-01-06", True)
    named = tmp_path / "schedule-2027.toml"
    named.write_text(HOLIDAYS_2027, encoding="utf-8")
    monkeypatch.setenv("LIFECYCLE_HOLIDAYS", str(named))
    lc.ok("advance", "P1", "publish", "--on", "2026-12-30")
    # with 1 Jan a holiday: 29, 30, 31 Dec (1-3), 4, 5, 6, 7 Jan (4-7) -> Thu 7 Jan, official
    filing = _ob(lc, "filing")
    assert (filing["due"], filing["provisional"], filing["status"]) == ("2027-01-07", False, "open")
    contract = _ob(lc, "contract")
    assert (contract["due"], contract["provisional"], contract["status"]) == ("2027-01-04", False, "met")
    assert lc.ok("replay", "P1", "--verify", "--json").json()["verified"] is True
