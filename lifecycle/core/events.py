"""Events: frozen facts of a project's log, chained by SHA-256.

The hash covers a canonical encoding (sorted keys, UTF-8, no spaces) of the
project id, sequence number, type, effective date, recorded time, actor,
data and the previous event's hash, so altering, inserting or deleting an
event anywhere breaks the chain from that event on.

The log stores each event's data as its canonical encoding (`stored_data`), so
the bytes hashed are the stored bytes: `chain_break` hashes the row's text as
read (`Event.stored`), wrapped in the other fields' encodings, without parsing
and re-encoding the data. Rows written before (data stored with spaces) still
verify: when the stored text does not give the hash, the data is encoded anew.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from lifecycle.core.errors import said

GENESIS = "0" * 64

# json.dumps with these options, built once: verification encodes every event there is
_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def canonical(payload: dict[str, Any]) -> bytes:
    return _CANONICAL.encode(payload).encode("utf-8")


def stored_data(data: dict[str, Any]) -> str:
    """The text the log stores of an event's data: its canonical encoding, the bytes the hash covers."""
    return _CANONICAL.encode(data)


_quote = json.encoder.encode_basestring  # type: ignore[attr-defined]  # the C encoder where there is one


def stored_hash(project: str, seq: int, type_: str, effective: str, recorded: str, actor: str, data: str,
                prev_hash: str) -> str:
    """`chain_hash` of an event whose data is stored as `data` (canonical text), encoding nothing anew:
    the canonical form's keys in their sorted order around the stored text."""
    return hashlib.sha256(
        f'{{"actor":{_quote(actor)},"data":{data},"effective":"{effective}","prev":{_quote(prev_hash)},'
        f'"project":{_quote(project)},"recorded":{_quote(recorded)},"seq":{seq},"type":{_quote(type_)}}}'
        .encode("utf-8")).hexdigest()


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
    # the data's text as the log stores it, when read from the log (None: made here, or changed since)
    stored: str | None = field(default=None, compare=False, repr=False)

    @classmethod
    def new(cls, project: str, seq: int, type_: str, effective: date, recorded: str, actor: str,
            data: dict[str, Any], prev_hash: str) -> Event:
        digest = chain_hash(project, seq, type_, effective, recorded, actor, data, prev_hash)
        return cls(project, seq, type_, effective, recorded, actor, data, prev_hash, digest)

    @classmethod
    def read(cls, project: str, seq: int, type_: str, effective: date, recorded: str, actor: str,
             data: dict[str, Any], prev_hash: str, hash_: str, stored: str) -> Event:
        """An event as the log holds it, every field given: made without the frozen dataclass's
        `__init__` (an `object.__setattr__` a field), since a replay makes one for every row it reads."""
        e = _new(cls)
        e.__dict__.update(project=project, seq=seq, type=type_, effective=effective, recorded=recorded, actor=actor,
                          data=data, prev_hash=prev_hash, hash=hash_, stored=stored)
        return e

    def expected_hash(self) -> str:
        return chain_hash(self.project, self.seq, self.type, self.effective, self.recorded,
                          self.actor, self.data, self.prev_hash)

    def as_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "event": self.type, "effective": self.effective.isoformat(),
                "recorded": self.recorded, "actor": self.actor, "data": self.data,
                "prev_hash": self.prev_hash, "hash": self.hash}


_new = object.__new__


def chain_break(events: list[Event]) -> tuple[int, str] | None:
    """The first event (seq, why) where the chain breaks, or None when it holds."""
    prev = GENESIS
    for expected_seq, event in enumerate(events, start=1):
        if event.seq != expected_seq:
            return event.seq, said("sequence jumps from {last} to {seq} (an event is missing)", last=expected_seq - 1,
                                   seq=event.seq)
        if event.prev_hash != prev:
            return event.seq, said("its previous-hash does not match the event before it")
        if not _holds(event):
            return event.seq, said("its content does not match its hash (the event was altered)")
        prev = event.hash
    return None


def _holds(e: Event) -> bool:
    """The event's hash is the hash of its content: of the stored text when it was read so, else encoded."""
    if e.stored is not None and type(e.seq) is int and stored_hash(
            e.project, e.seq, e.type, e.effective.isoformat(), e.recorded, e.actor, e.stored, e.prev_hash) == e.hash:
        return True
    return e.expected_hash() == e.hash   # a row stored before the canonical text, or made in this process


# Events about the log rather than facts of the project, which a fold skips: a `correct`
# patches the event it names; a `reschedule` records due dates that new holiday data or a
# changed rulebook moved (old -> new), so that letters naming the old date can be corrected.
RECORDS = ("correct", "reschedule")


def effective_history(events: list[Event]) -> list[Event]:
    """The events a replay folds, in effective order: corrections applied, voided events left out.

    A `correct` event names an earlier `seq` and carries replacement data (merged
    over the original's) and optionally a new effective date; with `void: true`
    it retracts that event instead. The original stays in the log untouched.
    The fold runs in effective order (when it happened), ties by `seq` (when it
    was entered): an event entered late takes its place among the others, while
    the hash chain keeps the order of recording.
    """
    patches: dict[int, list[Event]] = {}
    for e in events:
        if e.type == "correct":
            patches.setdefault(int(e.data["seq"]), []).append(e)
    out = []
    for e in events:
        if e.type in RECORDS:
            continue
        fixes = patches.get(e.seq, ())
        if any(fix.data.get("void") for fix in fixes):
            continue
        for fix in fixes:
            data = {**e.data, **fix.data.get("data", {})}
            effective = date.fromisoformat(fix.data["effective"]) if fix.data.get("effective") else e.effective
            e = replace(e, data=data, effective=effective, stored=None)
        out.append(e)
    if any(b.effective < a.effective for a, b in zip(out, out[1:])):
        out.sort(key=_effective)  # stable: events of one day keep their seq order
    return out


def _effective(e: Event) -> date:
    return e.effective


def voided(events: list[Event]) -> dict[int, Event]:
    """The events retracted by a void, by seq, each with the void that retracts it."""
    return {int(e.data["seq"]): e for e in events if e.type == "correct" and e.data.get("void")}


def entered_late(events: list[Event]) -> list[tuple[Event, Event]]:
    """Events entered after an event effective later than they were: (late event, the later one it
    was entered after), in log order. The hash chain keeps recording order; the fold does not."""
    out, latest = [], None
    for e in sorted(effective_history(events), key=lambda x: x.seq):
        if latest is not None and e.effective < latest.effective:
            out.append((e, latest))
        if latest is None or e.effective >= latest.effective:
            latest = e
    return out
