"""Changes shown before they bite: new holiday data for 2027 moves due dates that letters named.

A Dongying project awarded Tue 22 Dec 2026: DY-contract, day 10 = Fri 1 Jan 2027, by weekends
alone (no 2027 data) a working day, so due 1 Jan, provisional. A reminder is made on 29 Dec
naming 1 Jan. The 2027 file makes 1 Jan a holiday: Sat 2, Sun 3 -> due Mon 4 Jan.
DY-contract is the purchaser's duty: its reminder is the district's internal 工作提示, and so is
the correction (更正通知) the next `check` makes after `recompute`.
"""
from __future__ import annotations

import pytest

from conftest import Lifecycle
from lifecycle.core.calendar import WorkCalendar

pytestmark = pytest.mark.skipif(WorkCalendar().has_data(2027), reason="chinese_calendar now ships 2027 data")
beside_the_database = pytest.mark.sqlite_only   # these find the holidays file beside the SQLite database file

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


@beside_the_database
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


@beside_the_database
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


@beside_the_database
def test_a_move_after_a_recompute_is_put_down_to_the_holiday_data_not_the_rulebook(db_url, tmp_path):
    lc = _awarded_and_reminded(db_url, tmp_path)
    lc.ok("recompute")
    digest = _events(lc)[-1]["data"]["rulebook_digest"]
    assert digest == _events(lc)[0]["data"]["rulebook_digest"]   # the text the project runs under
    lc.write("holidays.toml", "[2027]\nholidays = [2027-01-01, 2027-01-04]\nworkdays = []\n")
    moved = lc.ok("recompute", "--dry-run", "--json").json()["moved"]
    assert [(m["old"], m["new"]) for m in moved] == [("2027-01-04", "2027-01-05")]
    assert moved[0]["why"] == "new holiday data"


# -- the correction (更正通知): after `recompute`, the next `check` tells the holder ------------------
def _named_by_env(lc: Lifecycle, monkeypatch) -> None:
    """The holidays file named by LIFECYCLE_HOLIDAYS: found alike on SQLite and PostgreSQL."""
    monkeypatch.setenv("LIFECYCLE_HOLIDAYS", str(lc.workdir / "holidays.toml"))


def test_the_next_check_sends_the_holder_one_correction_naming_both_dates_and_never_again(db_url, tmp_path,
                                                                                          monkeypatch):
    lc = _awarded_and_reminded(db_url, tmp_path)
    _named_by_env(lc, monkeypatch)
    reminded = lc.ok("letters", "--json").json()
    lc.ok("recompute")
    out = lc.ok("check", "--json").json()
    assert [(n["project"], n["obligation"], n["stage"], n["recipient"]) for n in out["notices"]] == [
        ("P1", "contract", "correction", "purchaser")]   # DY-contract is the purchaser's: to the holder
    [letter] = out["letters"]
    assert letter["notices"] == [out["notices"][0]["id"]] and letter["role"] == "purchaser"
    assert letter["recipient"] == reminded[0]["recipient"]   # the same reader the reminder went to
    shown = lc.ok("letters", "show", str(letter["id"])).stdout
    assert "更正通知" in letter["subject"] and "更正通知" in shown
    assert "原告知的履行期限2027年1月1日更正为2027年1月4日" in shown
    listed = {row["id"]: row for row in lc.ok("letters", "--json").json()}
    assert listed[letter["id"]]["stage"] == "correction"
    notice = [n for n in lc.ok("notices", "--json").json() if n["id"] == out["notices"][0]["id"]]
    assert [n["stage"] for n in notice] == ["correction"]
    assert lc.ok("check", "--json").json()["created"] == 0   # one correction per moved duty, never repeated
    verified = lc("verify", "--all")
    assert verified.exit_code == 0, verified.stdout + verified.stderr


def test_the_correction_in_english_names_both_dates(db_url, tmp_path, monkeypatch):
    lc = _awarded_and_reminded(db_url, tmp_path)
    _named_by_env(lc, monkeypatch)
    lc.ok("recompute")
    [letter] = lc.ok("check", "--lang", "en", "--json").json()["letters"]
    shown = lc.ok("letters", "show", str(letter["id"])).stdout
    assert letter["subject"].startswith("[Correction")
    assert "Correction: due dates of station duties" in shown
    assert "due date 2027-01-01 corrected to 2027-01-04" in shown


def test_no_correction_without_a_move(db_url, tmp_path):
    lc = _awarded_and_reminded(db_url, tmp_path)
    lc.workdir.joinpath("holidays.toml").unlink()   # no new data: the reminder's date still holds
    assert lc.ok("recompute", "--json").json()["moved"] == []
    assert lc.ok("check", "--json").json()["created"] == 0


def test_a_due_date_moved_by_a_corrected_event_gets_its_correction_too(db_url, tmp_path):
    """Not only `recompute` moves a named date: correcting the award's date moves the contract's due date,
    and the store records the move (`moved_from`) where the sweep's corrections look for it."""
    lc = _awarded_and_reminded(db_url, tmp_path)
    lc.workdir.joinpath("holidays.toml").unlink()
    lc.ok("correct", "P1", "3", "--on", "2026-12-21", "--reason", "中标通知书日期录入错误")
    due = {o["id"]: o["due"] for o in lc.ok("status", "P1", "--json").json()["obligations"]}
    assert due["contract"] == "2026-12-31"
    out = lc.ok("check", "--json").json()
    assert [(n["obligation"], n["stage"]) for n in out["notices"]] == [("contract", "correction")]
    assert "原告知的履行期限2027年1月1日更正为2026年12月31日" in lc.ok("letters", "show", str(out["letters"][0]["id"])).stdout
    assert lc.ok("check", "--json").json()["created"] == 0


def test_a_move_made_before_the_moves_were_recorded_is_found_by_the_upgrade(db_url, tmp_path, monkeypatch):
    """A database of revision 0011 moved a named date (recompute) before `moved_from` existed: revision 0012
    finds the move from the letters, and the next check sends its correction."""
    import sqlalchemy as sa
    from alembic import command

    from lifecycle.store import Store
    from lifecycle.store import migrate as schema
    from lifecycle.store.tables import obligations
    lc = _awarded_and_reminded(db_url, tmp_path)
    _named_by_env(lc, monkeypatch)
    lc.ok("recompute")
    store = Store(db_url)
    with store.transaction() as conn:
        assert conn.execute(sa.select(obligations.c.moved_from).where(obligations.c.id == "contract")
                            ).scalar_one().isoformat() == "2027-01-01"
        command.downgrade(schema.alembic_config(conn), "0011")
    assert schema.upgrade(store) == schema.head()
    with store.reading() as conn:
        moved = [r.id for r in conn.execute(sa.select(obligations.c.id).where(obligations.c.moved_from.is_not(None)))]
    assert moved == ["contract"]
    out = lc.ok("check", "--json").json()
    assert [(n["obligation"], n["stage"]) for n in out["notices"]] == [("contract", "correction")]
