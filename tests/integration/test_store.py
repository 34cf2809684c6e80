"""The store's contract: an append-only event log, projections, and the obligations table kept by diff.

Runs on the test database `db_url` names (SQLite by default; PostgreSQL with --backend=postgres).
"""
from __future__ import annotations

import json
from datetime import date
from typing import Any, Iterator

import pytest
from sqlalchemy import event, func, select

from lifecycle.core.errors import BadInput, Conflict
from lifecycle.core.events import GENESIS, Event, chain_break
from lifecycle.core.project import Project
from lifecycle.store import (Store, append_event, events, load_events, load_snapshot, projects, save_projection,
                             stored_obligations)

NOW = "2026-11-20T01:00:00.000000+00:00"


def chain(project: str, *steps: tuple[str, str, dict[str, Any]]) -> list[Event]:
    out, prev = [], GENESIS
    for seq, (type_, on, data) in enumerate(steps, start=1):
        e = Event.new(project, seq, type_, date.fromisoformat(on), NOW, "tester", data, prev)
        out.append(e)
        prev = e.hash
    return out


P1 = chain("P1", ("open", "2026-03-20", {"station": "LX-JFL", "station_name": "解放路街道社会工作服务站"}),
           ("announce", "2026-04-01", {}), ("award", "2026-04-28", {"contractor": "YG", "note": "中标通知书"}))


def test_appended_events_load_back_equal_and_in_order(store: Store):
    with store.transaction() as conn:
        for e in reversed(P1):
            append_event(conn, e)
    with store.reading() as conn:
        loaded = load_events(conn, "P1")
    assert loaded == P1
    assert [e.seq for e in loaded] == [1, 2, 3]
    assert isinstance(loaded[0].effective, date)
    assert loaded[0].data["station_name"] == "解放路街道社会工作服务站"
    assert chain_break(loaded) is None


def test_events_of_one_project_never_mix_with_anothers(store: Store):
    other = chain("P2", ("open", "2026-03-21", {"station": "LX-QFS"}))
    with store.transaction() as conn:
        for e in P1 + other:
            append_event(conn, e)
    with store.reading() as conn:
        assert load_events(conn, "P2") == other
        assert load_events(conn, "P9") == []


def test_a_second_event_with_a_taken_seq_is_a_conflict_and_writes_nothing(store: Store):
    with store.transaction() as conn:
        append_event(conn, P1[0])
    rival = Event.new("P1", 1, "open", date(2026, 3, 22), NOW, "someone else", {"station": "LX-QFS"}, GENESIS)
    with pytest.raises(Conflict, match="project P1 changed under this command: event 1 was recorded by another"):
        with store.transaction() as conn:
            append_event(conn, P1[1])  # would be fine on its own, but shares the rival's transaction
            append_event(conn, rival)
    with store.reading() as conn:
        assert load_events(conn, "P1") == [P1[0]]


def test_the_log_stores_the_hash_and_the_canonical_data_of_every_event(store: Store):
    with store.transaction() as conn:
        for e in P1:
            append_event(conn, e)
    with store.reading() as conn:
        row = conn.execute(select(events).where(events.c.project_id == "P1", events.c.seq == 3)).one()
    assert row.hash == P1[2].hash and row.prev_hash == P1[1].hash
    assert json.loads(row.data) == {"contractor": "YG", "note": "中标通知书"}
    assert "中标通知书" in row.data  # stored as UTF-8 text, not \u escapes


# -- projections ---------------------------------------------------------------------------
def obligation(oid: str, due: str, status: str = "open", met_on: str | None = None) -> dict[str, Any]:
    return {"id": oid, "kind": oid.split(":")[0], "rule": "NAT-filing", "basis": "NAT-filing: 政府采购法 art. 47",
            "due": due, "provisional": False, "status": status, "subject": None, "met_on": met_on,
            "met_seq": 4 if met_on else None, "window_start": None, "window_end": None, "required": None,
            "progress": 0.0, "setting": False, "note": None, "match": {"events": ["file"]}}


def snapshot(head: int, *obligations: dict[str, Any], state: str = "contracted") -> dict[str, Any]:
    snap = Project(id="P1", station="LX-JFL", station_name="解放路街道社会工作服务站", district="历下区",
                   rulebook="jinan", rulebook_version="2021-9").snapshot()
    snap.update(state=state, head_seq=head, head_hash=f"{head:064d}", last_effective="2026-05-08",
                contractor="YG", term_end="2029-05-08", obligations=list(obligations))
    return snap


def test_a_projection_saves_and_loads_back_whole(store: Store):
    snap = snapshot(4, obligation("filing", "2026-05-19"))
    with store.transaction() as conn:
        save_projection(conn, snap, None)
    with store.reading() as conn:
        assert load_snapshot(conn, "P1") == snap
        row = conn.execute(select(projects).where(projects.c.id == "P1")).one()
        assert load_snapshot(conn, "P2") is None
    assert (row.state, row.contractor_id, row.term_end, row.head_seq) == ("contracted", "YG", date(2029, 5, 8), 4)


def test_a_projection_moves_only_from_the_head_it_was_read_at(store: Store):
    with store.transaction() as conn:
        save_projection(conn, snapshot(4), None)
    with pytest.raises(Conflict, match="project P1 was opened by another writer"):
        with store.transaction() as conn:
            save_projection(conn, snapshot(4), None)
    with pytest.raises(Conflict, match="project P1 changed under this command"):
        with store.transaction() as conn:
            save_projection(conn, snapshot(6, state="in_service"), 5)
    with store.transaction() as conn:
        save_projection(conn, snapshot(5, state="in_service"), 4)
    with store.reading() as conn:
        assert load_snapshot(conn, "P1")["state"] == "in_service"


@pytest.fixture
def obligation_writes(store: Store) -> Iterator[list[str]]:
    """The INSERT/UPDATE/DELETE statements that touch the obligations table."""
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_rest) -> None:
        verb = statement.lstrip().split()[0].upper()
        if verb in ("INSERT", "UPDATE", "DELETE") and "obligations" in statement.split("(")[0]:
            seen.append(verb)
    event.listen(store.engine, "before_cursor_execute", record)
    yield seen
    event.remove(store.engine, "before_cursor_execute", record)


def test_the_obligations_table_is_written_by_difference(store: Store, obligation_writes: list[str]):
    filing, publication = obligation("filing", "2026-05-19"), obligation("publication", "2026-05-12")
    with store.transaction() as conn:
        save_projection(conn, snapshot(4, filing, publication), None)
    assert obligation_writes == ["INSERT"]  # both rows in one statement
    obligation_writes.clear()

    met = obligation("publication", "2026-05-12", "met", "2026-05-11")
    staffing = obligation("staffing", "2026-06-08")
    with store.transaction() as conn:
        save_projection(conn, snapshot(5, met, staffing), 4)  # filing gone, publication met, staffing new
    assert sorted(obligation_writes) == ["DELETE", "INSERT", "UPDATE"]
    obligation_writes.clear()

    with store.transaction() as conn:
        save_projection(conn, snapshot(6, met, staffing), 5)  # nothing changed: no obligation row written
    assert obligation_writes == []
    with store.reading() as conn:
        rows = stored_obligations(conn, "P1")
    assert set(rows) == {"publication", "staffing"}
    assert rows["publication"]["status"] == "met" and rows["publication"]["met_on"] == date(2026, 5, 11)
    assert rows["staffing"]["due"] == date(2026, 6, 8)


def test_overdue_is_a_view_so_the_store_refuses_to_keep_one_and_keeps_nothing(store: Store):
    # the store never un-marks a view: a snapshot seen on a date (status overdue) is not a record
    with pytest.raises(ValueError, match="is a view, not a record"):
        with store.transaction() as conn:
            save_projection(conn, snapshot(4, obligation("filing", "2026-05-19", "overdue")), None)
    with store.reading() as conn:
        assert stored_obligations(conn, "P1") == {}
    with store.transaction() as conn:
        save_projection(conn, snapshot(4, obligation("filing", "2026-05-19", "open")), None)
    with store.reading() as conn:
        assert stored_obligations(conn, "P1")["filing"]["status"] == "open"


def test_a_failed_transaction_leaves_neither_the_event_nor_the_projection(store: Store):
    with pytest.raises(RuntimeError):
        with store.transaction() as conn:
            append_event(conn, P1[0])
            save_projection(conn, snapshot(1), None)
            raise RuntimeError("the command failed after writing")
    with store.reading() as conn:
        assert conn.execute(select(func.count()).select_from(events)).scalar() == 0
        assert load_snapshot(conn, "P1") is None


def test_a_database_without_the_schema_is_bad_input_asking_for_init(db_url: str):
    bare = Store(db_url)
    try:
        assert not bare.exists()
        with pytest.raises(BadInput, match="run `lifecycle init` first"):
            bare.require()
    finally:
        bare.dispose()
