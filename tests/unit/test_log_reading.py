"""An event row read back: its data parsed as `json` would parse it, whatever parser reads it."""
from __future__ import annotations

import json
import math
from datetime import date

import pytest

from lifecycle.core.errors import Corrupt
from lifecycle.core.events import Event, chain_break, stored_data
from lifecycle.store.log import decode_event, parsed


@pytest.mark.parametrize("data", [
    {"hours": 2.5, "person": "张三", "kind": "practical"},
    {"roster": [{"name": "李四", "qualified": True}, {"name": "王五", "qualified": False}], "n": 0},
    {"amount": 123456789012, "note": "“引号”\\n换行", "nested": {"a": [1, 2.0, None]}},
])
def test_the_data_parses_to_what_json_gives(data):
    text = stored_data(data)
    assert parsed(text) == json.loads(text) == data


def test_what_the_fast_parser_refuses_and_json_reads_still_reads():
    text = json.dumps({"hours": float("nan"), "big": 2 ** 70})   # json.dumps writes NaN and big whole numbers
    value = parsed(text)
    assert math.isnan(value["hours"]) and value["big"] == 2 ** 70


def test_a_row_read_back_keeps_its_chain_and_a_row_that_is_not_json_is_named():
    e = Event.new("P1", 1, "open", date(2026, 1, 5), "2026-01-05T01:00:00.000000+00:00", "科长", {"year": 2026}, "0" * 64)
    row = (e.project, e.seq, e.type, e.effective.isoformat(), e.recorded, e.actor, stored_data(e.data), e.prev_hash,
           e.hash)
    back = decode_event(*row)
    assert back == e and chain_break([back]) is None
    with pytest.raises(Corrupt) as bad:
        decode_event(*row[:6], "{not json", *row[7:])
    assert "event 1: the field data is not JSON" in str(bad.value)
