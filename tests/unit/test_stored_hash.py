"""The log hashes what it stores: an event's data kept as its canonical text, verified without re-encoding."""
from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest

from lifecycle.core.events import GENESIS, Event, chain_break, stored_data, stored_hash
from lifecycle.store.log import decode_event, event_row

DATA = [{"station": "LX-JFL", "name": "解放路\"街道\"\\站", "budget": 300000.0, "villages": 8},
        {"roster": [{"name": "张伟", "qualified": True}], "note": "行一\n行二\t\u0001"},
        {}]


def log() -> list[Event]:
    out, prev = [], GENESIS
    for seq, data in enumerate(DATA, start=1):
        e = Event.new("P-\"1\"", seq, "open" if seq == 1 else "staff", date(2026, 3, seq), f"2026-03-0{seq}T09:00:00+00:00",
                      "张三 <zs@example.org>", data, prev)
        out.append(e)
        prev = e.hash
    return out


def as_read(e: Event, data_text: str | None = None) -> Event:
    row = event_row(e)
    return decode_event(row["project_id"], row["seq"], row["type"], row["effective"].isoformat(), row["recorded"],
                        row["actor"], row["data"] if data_text is None else data_text, row["prev_hash"], row["hash"])


@pytest.mark.parametrize("data", DATA)
def test_the_stored_text_is_the_canonical_encoding_and_gives_the_same_hash(data):
    e = Event.new("P1", 1, "open", date(2026, 3, 1), "2026-03-01T09:00:00+00:00", "a\"b", data, GENESIS)
    assert json.loads(stored_data(data)) == data
    assert stored_hash(e.project, e.seq, e.type, e.effective.isoformat(), e.recorded, e.actor, stored_data(data),
                       e.prev_hash) == e.hash


def test_a_log_read_back_verifies_from_its_stored_text():
    events = [as_read(e) for e in log()]
    assert all(e.stored is not None for e in events)
    assert chain_break(events) is None


def test_rows_stored_before_the_canonical_text_still_verify():
    old = [as_read(e, json.dumps(e.data, ensure_ascii=False, sort_keys=True)) for e in log()]  # with spaces
    assert old[0].stored != stored_data(old[0].data)
    assert chain_break(old) is None


def test_an_altered_stored_text_breaks_the_chain_there():
    events = [as_read(e) for e in log()]
    text = events[1].stored.replace("张伟", "李娜")
    events[1] = as_read(log()[1], text)
    assert chain_break(events) == (2, "its content does not match its hash (the event was altered)")


def test_data_changed_after_reading_is_not_vouched_for_by_the_stored_text():
    events = [as_read(e) for e in log()]
    events[0] = replace(events[0], data={**events[0].data, "budget": 1.0}, stored=None)
    assert chain_break(events) == (1, "its content does not match its hash (the event was altered)")
