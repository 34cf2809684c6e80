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

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Iterable
from zoneinfo import ZoneInfo

from lifecycle.core.errors import said
from lifecycle.core.finding_texts import TEMPLATES as FINDINGS
from lifecycle.core.speech import recognised
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
        """As data (`--json`): the English texts, the same in every language."""
        return {"kind": self.kind, "basis": str(self.basis), "seq": self.seq, "text": str(self.text)}


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
                            said("{ob} was due {ob2} and met on {ob3}, {days} days late", ob=ob['id'], ob2=ob['due'], ob3=ob['met_on'], days=days)))
    for ob in obligations:
        if status_on(ob["status"], ob["due"], as_of) == "overdue":
            days = (as_of - date.fromisoformat(ob["due"])).days
            out.append(Flag("never_met", ob["basis"], None,
                            said("{ob} was due {ob2} and is not met, {days} days overdue on {as_of}", ob=ob['id'], ob2=ob['due'], days=days, as_of=as_of.isoformat())))
        elif ob["status"] == "lapsed":
            out.append(Flag("never_met", ob["basis"], None,
                            said("{ob} was due {ob2} and was never met; it lapsed when the project closed on {get}", ob=ob['id'], ob2=ob['due'], get=snapshot.get('closed_on'))))
    out += _notice_flags(obligations, notices, as_of, sweeps)
    for f in snapshot.get("findings", []):
        if f["rule"] != "RULEBOOK":
            out.append(Flag("finding", f["basis"], f["seq"], said("{f}: {f2}", f=f['on'], f2=recognised(f['text'], FINDINGS))))
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
                        e.seq, said("event {seq} ({type}) effective {effective} was entered on {recorded_day} by {actor}, after event {seq2} ({type2}, effective {effective2}): recorded {lag} days after it took effect", seq=e.seq, type=e.type, effective=e.effective.isoformat(), recorded_day=recorded_day(e.recorded).isoformat(), actor=e.actor, seq2=later.seq, type2=later.type, effective2=later.effective.isoformat(), lag=lag)))
    return out


def _backdated(history: list[Event], limit: int) -> list[Flag]:
    out = []
    for e in history:
        gap = (recorded_day(e.recorded) - e.effective).days
        if gap > limit:
            out.append(Flag("backdated", said("audit: recorded more than {limit} days after the fact", limit=limit), e.seq,
                            said("event {seq} ({type}) effective {effective} was recorded on {recorded_day} by {actor}, {gap} days later", seq=e.seq, type=e.type, effective=e.effective.isoformat(), recorded_day=recorded_day(e.recorded).isoformat(), actor=e.actor, gap=gap)))
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
                            said("the {n} notice {n2} for {ob} (due {ob2}) is still {n3} after {value} attempts{error}", n=n['stage'], n2=n['id'], ob=ob['id'], ob2=ob['due'], n3=n['status'], value=n.get('attempts') or 0, error=error)))
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
                            said("{ob} was overdue (due {ob2}) when {count} sweeps ran, the first on {seen}, and no overdue notice was made", ob=ob['id'], ob2=ob['due'], count=len(seen), seen=seen[0].isoformat())))
    return out


def _outside_window(history: list[Event], book: Rulebook) -> list[Flag]:
    outside = [e for e in history if not book.in_force(e.effective)]
    if not outside:
        return []
    window = f"{_iso(book.valid_from) or 'open'} to {_iso(book.valid_to) or 'open'}"
    seqs = f"event {outside[0].seq}" if len(outside) == 1 else f"events {outside[0].seq}–{outside[-1].seq}"
    return [Flag("rulebook_window", said("{name} {version}: in force {window}", name=book.name, version=book.version, window=window), outside[0].seq,
                 said("{count} of {count2} events ({seqs}, from {effective}) are effective outside the validity window of {title} ({window})", count=len(outside), count2=len(history), seqs=seqs, effective=outside[0].effective.isoformat(), title=book.title, window=window))]


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None
