"""The stored obligations rows against the replay: equal rows pass in one comparison, and a row that
differs in any column (a match text changed, unreadable or gone, a date as PostgreSQL gives it) is
named, or passes, as the column says."""
from __future__ import annotations

from datetime import date

from lifecycle.audit.proof import projection_problems

DUTY = {"id": "briefing:2026-10", "kind": "briefing", "due": "2026-11-10", "status": "open",
        "match": {"events": ["report"], "period": "2026-10"}, "provisional": False}
ROW = {**DUTY, "match": '{"events": ["report"], "period": "2026-10"}'}
SNAP = {"obligations": [DUTY], "state": "in_service"}


def problems(row):
    return projection_problems("P1", SNAP, {"state": "in_service"}, {"briefing:2026-10": row})


def test_an_equal_row_passes():
    assert problems(ROW) == []
    assert problems({**ROW, "provisional": 0}) == []              # SQLite's 0 for False
    assert problems({**ROW, "due": date(2026, 11, 10)}) == []      # a date object, as PostgreSQL gives it


def test_a_changed_unreadable_or_missing_match_is_named():
    for text in ('{"events": ["training"], "period": "2026-10"}', "not json", None):
        (said,) = problems({**ROW, "match": text})
        assert said.startswith(f"project P1: obligation briefing:2026-10 stored match={text!r}")


def test_a_changed_column_is_named():
    (said,) = problems({**ROW, "due": "2026-11-30"})
    assert "stored due='2026-11-30', replayed '2026-11-10'" in said
