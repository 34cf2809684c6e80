"""Events: frozen facts of a project's log, chained by SHA-256.

The hash covers a canonical encoding (sorted keys, UTF-8, no spaces) of the
project id, sequence number, type, effective date, recorded time, actor,
data and the previous event's hash, so altering, inserting or deleting an
event anywhere breaks the chain from that event on.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

GENESIS = "0" * 64

# json.dumps with these options, built once: verification encodes every event there is
_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def canonical(payload: dict[str, Any]) -> bytes:
    return _CANONICAL.encode(payload).encode("utf-8")


def chain_hash(project: str, seq: int, type_: str, effective: date, recorded: str, actor: str,
               data: dict[str, Any], prev_hash: str) -> str:
    return hashlib.sha256(canonical({
        "project": project, "seq": seq, "type": type_, "effective": effective.isoformat(),
        "recorded": recorded, "actor": actor, "data": data, "prev": prev_hash,
    })).hexdigest()


@dataclass(frozen=True)
class Event:
    project: str
    seq: int
    type: str
    effective: date
    recorded: str          # ISO 8601 UTC, microseconds: the form `history` prints
    actor: str
    data: dict[str, Any] = field(default_factory=dict)
    prev_hash: str = GENESIS
    hash: str = ""

    @classmethod
    def new(cls, project: str, seq: int, type_: str, effective: date, recorded: str, actor: str,
            data: dict[str, Any], prev_hash: str) -> Event:
        digest = chain_hash(project, seq, type_, effective, recorded, actor, data, prev_hash)
        return cls(project, seq, type_, effective, recorded, actor, data, prev_hash, digest)

    def expected_hash(self) -> str:
        return chain_hash(self.project, self.seq, self.type, self.effective, self.recorded,
                          self.actor, self.data, self.prev_hash)

    def as_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "event": self.type, "effective": self.effective.isoformat(),
                "recorded": self.recorded, "actor": self.actor, "data": self.data,
                "prev_hash": self.prev_hash, "hash": self.hash}


def chain_break(events: list[Event]) -> tuple[int, str] | None:
    """The first event (seq, why) where the chain breaks, or None when it holds."""
    prev = GENESIS
    for expected_seq, event in enumerate(events, start=1):
        if event.seq != expected_seq:
            return event.seq, f"sequence jumps from {expected_seq - 1} to {event.seq} (an event is missing)"
        if event.prev_hash != prev:
            return event.seq, "its previous-hash does not match the event before it"
        if event.expected_hash() != event.hash:
            return event.seq, "its content does not match its hash (the event was altered)"
        prev = event.hash
    return None


# Events about the log rather than facts of the project, which a fold skips: a `correct`
# patches the event it names; a `reschedule` records due dates that new holiday data or a
# changed rulebook moved (old -> new), so that letters naming the old date can be corrected.
RECORDS = ("correct", "reschedule")


def effective_history(events: list[Event]) -> list[Event]:
    """The events a replay folds: corrections applied to the events they supersede.

    A `correct` event names an earlier `seq` and carries replacement data (merged
    over the original's) and optionally a new effective date. The original stays
    in the log untouched; the fold sees it as corrected, in its original place.
    """
    patches: dict[int, list[Event]] = {}
    for e in events:
        if e.type == "correct":
            patches.setdefault(int(e.data["seq"]), []).append(e)
    if not patches:
        return [e for e in events if e.type not in RECORDS]
    out = []
    for e in events:
        if e.type in RECORDS:
            continue
        for fix in patches.get(e.seq, ()):
            data = {**e.data, **fix.data.get("data", {})}
            effective = date.fromisoformat(fix.data["effective"]) if fix.data.get("effective") else e.effective
            e = replace(e, data=data, effective=effective)
        out.append(e)
    return out
