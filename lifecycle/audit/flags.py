"""What auditors look for, flagged: pure, from a snapshot, the log and the outbox.

`flags(snapshot, events, notices, as_of)` returns one `Flag` per finding, in
this order of kinds:

- `backdated`: an event recorded more than `backdating_days` days (default 7)
  after its effective date. The recorded timestamp is read as a business
  date in Asia/Shanghai; the effective date is the corrected one (a
  correction saying an event really happened earlier makes the gap larger).
  `correct` events are effective the day they are recorded, so never flagged.
- `late_entry`: an event entered after an event effective later than it (out of
  effective order in the log), with its lag: "recorded N days after it took
  effect". The fold places it by its effective date; the flag says it came late.
  Such an event is not flagged `backdated` as well.
- `met_late`: a duty met after its due date (met_on > due).
- `never_met`: a duty still open and due before `as_of`, or one that lapsed
  unmet when the project closed.
- `notice_unsent`: a notice still pending or failed for a duty that fell overdue
  (open at `as_of` past its due date, or met late).
- `notice_missing`: a duty that was overdue on the date of at least one sweep
  (a sweep with as_of s, due < s, not met or waived before s) and has no
  overdue or escalation notice at all. Judged only when the sweep dates are
  passed in (`sweeps`); without them nobody can say a sweep should have seen it.
- `finding`: the checks' findings kept in the snapshot (e.g. DY-funding below
  the floor), except the rulebook-validity finding, which the next kind covers.
- `rulebook_window`: events effective outside the rulebook's validity window
  (Dongying: 2022-11-15 to 2025-11-14), one flag for all of them.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any, Iterable
from zoneinfo import ZoneInfo

from lifecycle.core.events import Event, effective_history, entered_late
from lifecycle.core.obligations import status_on
from lifecycle.core.rulebook import Rulebook
from lifecycle.core.rulebook import load as load_rulebook

SHANGHAI = ZoneInfo("Asia/Shanghai")
BACKDATING_DAYS = 7


@dataclass(frozen=True)
class Flag:
    kind: str
    basis: str          # the rule (id: source clause) or audit practice the flag rests on
    seq: int | None     # the event it points at, where there is one
    text: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def recorded_day(recorded: str) -> date:
    """The business date (Asia/Shanghai) of a recorded UTC timestamp."""
    return datetime.fromisoformat(recorded).astimezone(SHANGHAI).date()


def flags(snapshot: dict[str, Any], events: list[Event], notices: Iterable[dict[str, Any]], as_of: date, *,
          backdating_days: int = BACKDATING_DAYS, sweeps: Iterable[date] | None = None,
          book: Rulebook | None = None) -> list[Flag]:
    """Every flag for one project as of `as_of`."""
    book = book or load_rulebook(snapshot["rulebook"], snapshot["rulebook_version"])
    notices = list(notices)
    history = [e for e in effective_history(events) if e.effective <= as_of]
    late = {e.seq: later for e, later in entered_late(events) if e.effective <= as_of}
    out = _late_entries(history, late)
    out += _backdated([e for e in history if e.seq not in late], backdating_days)
    obligations = snapshot["obligations"]
    for ob in obligations:
        if ob["met_on"] and ob["met_on"] > ob["due"]:
            days = (date.fromisoformat(ob["met_on"]) - date.fromisoformat(ob["due"])).days
            out.append(Flag("met_late", ob["basis"], ob["met_seq"],
                            f"{ob['id']} was due {ob['due']} and met on {ob['met_on']}, {days} days late"))
    for ob in obligations:
        if status_on(ob["status"], ob["due"], as_of) == "overdue":
            days = (as_of - date.fromisoformat(ob["due"])).days
            out.append(Flag("never_met", ob["basis"], None,
                            f"{ob['id']} was due {ob['due']} and is not met, {days} days overdue on {as_of.isoformat()}"))
        elif ob["status"] == "lapsed":
            out.append(Flag("never_met", ob["basis"], None,
                            f"{ob['id']} was due {ob['due']} and was never met; it lapsed when the project closed "
                            f"on {snapshot.get('closed_on')}"))
    out += _notice_flags(obligations, notices, as_of, sweeps)
    for f in snapshot.get("findings", []):
        if f["rule"] != "RULEBOOK":
            out.append(Flag("finding", f["basis"], f["seq"], f"{f['on']}: {f['text']}"))
    out += _outside_window(history, book)
    return out


def _late_entries(history: list[Event], late: dict[int, Event]) -> list[Flag]:
    out = []
    for e in history:
        later = late.get(e.seq)
        if later is None:
            continue
        lag = (recorded_day(e.recorded) - e.effective).days
        out.append(Flag("late_entry", "audit: entered after later events (effective order differs from recording)",
                        e.seq, f"event {e.seq} ({e.type}) effective {e.effective.isoformat()} was entered on "
                               f"{recorded_day(e.recorded).isoformat()} by {e.actor}, after event {later.seq} "
                               f"({later.type}, effective {later.effective.isoformat()}): recorded {lag} days "
                               "after it took effect"))
    return out


def _backdated(history: list[Event], limit: int) -> list[Flag]:
    out = []
    for e in history:
        gap = (recorded_day(e.recorded) - e.effective).days
        if gap > limit:
            out.append(Flag("backdated", f"audit: recorded more than {limit} days after the fact", e.seq,
                            f"event {e.seq} ({e.type}) effective {e.effective.isoformat()} was recorded on "
                            f"{recorded_day(e.recorded).isoformat()} by {e.actor}, {gap} days later"))
    return out


def _notice_flags(obligations: list[dict[str, Any]], notices: list[dict[str, Any]], as_of: date,
                  sweeps: Iterable[date] | None) -> list[Flag]:
    by_id = {ob["id"]: ob for ob in obligations}
    out = []
    for n in notices:
        ob = by_id.get(n["obligation_id"])
        if n["status"] not in ("pending", "failed") or ob is None:
            continue
        fell_overdue = status_on(ob["status"], ob["due"], as_of) == "overdue" or \
            (ob["met_on"] is not None and ob["met_on"] > ob["due"])
        if fell_overdue:
            error = f": {n['last_error']}" if n.get("last_error") else ""
            out.append(Flag("notice_unsent", ob["basis"], None,
                            f"the {n['stage']} notice {n['id']} for {ob['id']} (due {ob['due']}) is still "
                            f"{n['status']} after {n.get('attempts') or 0} attempts{error}"))
    if sweeps is None:
        return out
    swept = sorted(d for d in sweeps if d <= as_of)
    noticed = {n["obligation_id"] for n in notices if n["stage"] in ("overdue", "escalation")}
    for ob in obligations:
        if ob["id"] in noticed or ob["status"] == "waived":
            continue
        seen = [s for s in swept if ob["due"] < s.isoformat() and (ob["met_on"] is None or ob["met_on"] >= s.isoformat())]
        if seen:
            out.append(Flag("notice_missing", ob["basis"], None,
                            f"{ob['id']} was overdue (due {ob['due']}) when {len(seen)} sweeps ran, the first on "
                            f"{seen[0].isoformat()}, and no overdue notice was made"))
    return out


def _outside_window(history: list[Event], book: Rulebook) -> list[Flag]:
    outside = [e for e in history if not book.in_force(e.effective)]
    if not outside:
        return []
    window = f"{_iso(book.valid_from) or 'open'} to {_iso(book.valid_to) or 'open'}"
    seqs = f"event {outside[0].seq}" if len(outside) == 1 else f"events {outside[0].seq}–{outside[-1].seq}"
    return [Flag("rulebook_window", f"{book.name} {book.version}: in force {window}", outside[0].seq,
                 f"{len(outside)} of {len(history)} events ({seqs}, from {outside[0].effective.isoformat()}) are "
                 f"effective outside the validity window of {book.title} ({window})")]


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None
