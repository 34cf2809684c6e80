"""Verification never crashes: every way a stored row can be corrupt is that project's named
failure (with the seq and the field), and every other project is still verified.

The rows are altered the way an intruder with write access would: the append-only guard
of the log is dropped first (`tampering`), then the rows are rewritten in SQL.
"""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from conftest import Lifecycle
from lifecycle.core.events import Event
from tamper import tampering

# project -> (SQL that corrupts it, the fragment its problem must name)
CORRUPTIONS = {
    "DY-2025-DC": ("UPDATE events SET data = 'not json {' WHERE project_id = 'DY-2025-DC' AND seq = 3",
                   "project DY-2025-DC: event 3: the field data is not JSON"),
    "DY-2025-HHL": ("UPDATE events SET data = '{\"station\": \"DY-HHL\"}' WHERE project_id = 'DY-2025-HHL' AND seq = 1",
                    "project DY-2025-HHL: event 1 (open): the field data lacks rulebook"),
    "DY-2025-LH": ("DELETE FROM events WHERE project_id = 'DY-2025-LH' AND seq = 1",
                   "project DY-2025-LH: the log lacks its opening event (it starts at event 2"),
    "LX-2022-DL": ("DELETE FROM events WHERE project_id = 'LX-2022-DL' AND seq = 30",
                   "project LX-2022-DL: the hash chain breaks at event 31: sequence jumps from 29 to 31"),
    "LX-2023-JX": ("DELETE FROM events WHERE project_id = 'LX-2023-JX'",
                   "project LX-2023-JX: the projection exists but the log holds no events"),
    "LX-2025-DG": ("DELETE FROM projects WHERE id = 'LX-2025-DG'",
                   "project LX-2025-DG: the log holds 24 events but no projection is stored"),
    "LX-2025-DMH": ("DELETE FROM events WHERE project_id = 'LX-2025-DMH' AND seq >= 31",
                    "project LX-2025-DMH: the log ends at 30 but the projection's head is 32 (the log was truncated"),
    "LX-2025-ZZ": ("UPDATE projects SET snapshot = '[1, 2' WHERE id = 'LX-2025-ZZ'",
                   "project LX-2025-ZZ: the stored projection's field snapshot is not a JSON object"),
}


@pytest.fixture
def demo(db_url: str, tmp_path: Path) -> Lifecycle:
    lc = Lifecycle(db_url, tmp_path)
    lc.ok("init", "--demo")
    return lc


def forge_next_event(conn, pid: str) -> None:
    """An event appended with a valid hash, chained onto the head: the chain holds, the projection is behind."""
    seq, head = conn.execute(text("SELECT seq, hash FROM events WHERE project_id = :p ORDER BY seq DESC LIMIT 1"),
                             {"p": pid}).one()
    e = Event.new(pid, seq + 1, "case", date(2026, 11, 1), "2026-11-01T00:00:00.000000+00:00", "mallory",
                  {"title": "forged"}, head)
    conn.execute(text("INSERT INTO events VALUES (:p, :s, :t, :e, :r, :a, :d, :ph, :h)"),
                 {"p": pid, "s": e.seq, "t": e.type, "e": e.effective, "r": e.recorded, "a": e.actor,
                  "d": json.dumps(e.data), "ph": e.prev_hash, "h": e.hash})


def test_every_corruption_is_named_for_its_project_and_the_others_still_verify(demo):
    with tampering(demo.url) as conn:
        for sql, _ in CORRUPTIONS.values():
            conn.execute(text(sql))
        forge_next_event(conn, "LX-2026-QCL")
    r = demo("verify", "--all", "--json", "--jobs", "1")
    assert r.exit_code == 1 and "Traceback" not in r.stderr, r.stderr
    result = r.json()
    assert sorted(result["failed"]) == sorted([*CORRUPTIONS, "LX-2026-QCL"])
    for pid, (_, fragment) in CORRUPTIONS.items():
        assert any(fragment in p for p in result["problems"]), (pid, result["problems"])
    assert ("project LX-2026-QCL: the log ends at 6 but the projection's head is 5 (the log was extended: "
            "events were added after the projection was saved)") in result["problems"]
    assert result["verified"] == result["projects"] - len(result["failed"]) == 5


def test_the_same_corruptions_are_named_with_several_workers(demo):
    with tampering(demo.url) as conn:
        for sql, _ in CORRUPTIONS.values():
            conn.execute(text(sql))
    result = demo("verify", "--all", "--json", "--jobs", "2").json()
    assert sorted(result["failed"]) == sorted(CORRUPTIONS)


@pytest.mark.sqlite_only   # a PostgreSQL date column cannot hold an impossible date
def test_an_impossible_effective_date_is_named_with_its_seq_and_field(demo):
    with tampering(demo.url) as conn:
        conn.execute(text("UPDATE events SET effective = '2025-02-30' WHERE project_id = 'DY-2025-WH' AND seq = 2"))
    result = demo("verify", "--all", "--json", "--jobs", "1").json()
    assert result["failed"] == ["DY-2025-WH"]
    assert result["problems"] == ["project DY-2025-WH: event 2: the field effective '2025-02-30' is not a date"]


def test_replay_verify_names_an_unreadable_event_in_one_sentence(demo):
    with tampering(demo.url) as conn:
        conn.execute(text("UPDATE events SET data = 'x' WHERE project_id = 'DY-2025-DC' AND seq = 3"))
    r = demo("replay", "DY-2025-DC", "--verify")
    assert r.exit_code == 1 and r.stdout == ""
    assert r.stderr.strip().splitlines() == ["project DY-2025-DC: event 3: the field data is not JSON"]
