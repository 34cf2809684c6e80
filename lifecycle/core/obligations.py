"""Obligations: the duties a project owes, and which events meet them.

Pure. An `Obligation` is one duty with its due date, the rule it rests on
(`basis`: rule id + clause) and whether the date is provisional (computed on
weekends alone because the holiday schedule for its year is not yet
published). `Ledger` holds a project's obligations with an index of the open
ones by what can meet them, so folding a long history does not scan every
duty on every event. The generators live in `lifecycle.core.duties`.

"Overdue" is never stored: it is a view against a date the caller passes in,
decided in one place, `status_on`, which every reader uses (`view_on` for a
whole snapshot).
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import TYPE_CHECKING, Any, Iterator

if TYPE_CHECKING:
    from lifecycle.core.events import Event

# Kinds that belong to the signed contract rather than to the service: an exit
# does not excuse them (政府采购法 art. 47, 实施条例 art. 50) nor the hand-over itself.
_KEEP_ON_EXIT = frozenset({"handover", "publication", "filing"})
# Periodic service duties a suspension excuses for the periods it covers whole.
_EXCUSED_BY_SUSPENSION = frozenset({"briefing", "weekly_report", "quarterly_report", "supervision_visit"})


@dataclass
class Obligation:
    id: str
    kind: str
    rule: str
    basis: str
    due: date
    provisional: bool
    status: str = "open"            # open | met | waived | lapsed (overdue is a view, see `status_on`)
    window_start: date | None = None  # first day of the period the duty covers
    window_end: date | None = None    # last day of that period (before any art. 203 roll)
    subject: str | None = None      # the staff member, where the duty is per person
    required: float | None = None   # hours or count, where the duty is a quantity
    progress: float = 0.0
    met_on: date | None = None
    met_seq: int | None = None
    setting: bool = False           # the due date rests on a local setting, not on law
    note: str | None = None
    match: dict[str, Any] | None = None   # what an event must carry to meet it

    def status_on(self, today: date | None) -> str:
        return status_on(self.status, self.due, today)

    def met_late(self) -> bool:
        return self.met_on is not None and self.met_on > self.due

    def keys(self) -> list[str]:
        """The index keys of the events that can meet this duty."""
        m = self.match or {}
        if m.get("report"):
            period = m.get("period")
            return [f"report:{m['report']}:{period}" if period else f"report:{m['report']}"]
        return list(m.get("events") or ())

    def as_dict(self, today: date | None = None) -> dict[str, Any]:
        # the instance's fields as they are (a copy of its __dict__, which holds them in their order)
        # rather than dataclasses.asdict, whose deep copies dominated a fold
        out = dict(self.__dict__)
        if today is not None:
            out["status"] = self.status_on(today)
        for key in ("due", "window_start", "window_end", "met_on"):
            value = out[key]
            out[key] = value.isoformat() if value else None
        if self.match is not None:
            out["match"] = {k: list(v) if isinstance(v, (list, tuple)) else v for k, v in self.match.items()}
        return out

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Obligation:
        raw = dict(raw)
        for key in ("due", "window_start", "window_end", "met_on"):
            raw[key] = date.fromisoformat(raw[key]) if raw.get(key) else None
        if raw.get("status") == "overdue":  # a view (as_dict with a date) read back: the record is open
            raw["status"] = "open"
        return cls(**raw)


_FIELDS = tuple(f.name for f in fields(Obligation))


def status_on(status: str, due: date | str, on: date | None) -> str:
    """An obligation's status as seen on `on`: an open duty whose due date has passed is overdue.

    The one place "overdue" is decided. `due` may be a date or, as in a stored snapshot, its
    ISO text; without a date (`on` None) the status is shown as recorded.
    """
    if status != "open" or on is None:
        return status
    late = due < on.isoformat() if isinstance(due, str) else due < on
    return "overdue" if late else status


def view_on(snapshot: dict[str, Any], on: date | None) -> dict[str, Any]:
    """A snapshot as seen on `on`: a copy whose obligations carry their status on that date.

    The stored snapshot is never changed: what a reader is shown is a view of it.
    """
    view = dict(snapshot)
    view["obligations"] = [{**o, "status": status_on(o["status"], o["due"], on)}
                           for o in snapshot.get("obligations", ())]
    return view


def meet(ob: Obligation, on: date, seq: int) -> None:
    if ob.status == "open":
        ob.status, ob.met_on, ob.met_seq = "met", on, seq


def _order(ob: Obligation) -> tuple[date, str]:
    return ob.due, ob.id


class Ledger:
    """A project's obligations by id, with the open ones indexed by what meets them."""

    def __init__(self, obligations: dict[str, Obligation]) -> None:
        self.all = obligations
        self._index: dict[str, list[Obligation]] = {}
        self._unsorted: set[str] = set()   # the buckets entered out of (due, id) order since last sorted
        for ob in obligations.values():
            if ob.status == "open":
                self._enter(ob)

    def __contains__(self, oid: str) -> bool:
        return oid in self.all

    def add(self, ob: Obligation) -> None:
        self.all[ob.id] = ob
        if ob.status == "open":
            self._enter(ob)

    def _enter(self, ob: Obligation) -> None:
        for key in ob.keys():
            bucket = self._index.get(key)
            if bucket is None:
                self._index[key] = [ob]
                continue
            if _order(ob) < _order(bucket[-1]):
                self._unsorted.add(key)
            bucket.append(ob)

    def candidates(self, *keys: str) -> list[Obligation]:
        """Open obligations under any of `keys`, most urgent first; drops closed ones from the index.

        Each bucket is kept in (due, id) order, sorted only when something was entered out of order
        (duties are mostly made in the order they fall due): a fold asks this once an event."""
        if len(keys) == 1:
            return self._open_under(keys[0])
        found: list[Obligation] = []
        for key in keys:
            found.extend(self._open_under(key))
        found = list({id(o): o for o in found}.values())
        found.sort(key=_order)
        return found

    def _open_under(self, key: str) -> list[Obligation]:
        bucket = self._index.get(key)
        if not bucket:
            return []
        for o in bucket:
            if o.status != "open":
                bucket = [o for o in bucket if o.status == "open"]
                if not bucket:
                    del self._index[key]
                    self._unsorted.discard(key)
                    return []
                self._index[key] = bucket
                break
        if key in self._unsorted:
            bucket.sort(key=_order)
            self._unsorted.discard(key)
        return bucket

    def open(self, kind: str | None = None) -> list[Obligation]:
        found = [o for o in self.all.values() if o.status == "open" and (kind is None or o.kind == kind)]
        return sorted(found, key=_order)

    def reopen(self, ob: Obligation) -> None:
        ob.status, ob.note = "open", None
        self._enter(ob)

    def __iter__(self) -> Iterator[Obligation]:
        return iter(self.all.values())


def _period_end(ob: Obligation) -> date:
    return ob.window_end or ob.due


def waive_after_exit(ledger: Ledger, exit_on: date) -> None:
    """A contractor's exit (termination or expiry) waives what it no longer owes.

    Kept: duties whose period ended on or before the exit (a briefing for a month
    already served is still owed; an expired term still owes its final report and
    its last year's evaluation), and the contract-level duties of _KEEP_ON_EXIT.
    Waived: every duty whose period runs past the exit, e.g. a year's training
    hours, the next evaluation, later years' plans.
    """
    for ob in ledger:
        if ob.status != "open" or ob.kind in _KEEP_ON_EXIT:
            continue
        if _period_end(ob) > exit_on:
            ob.status, ob.note = "waived", f"waived by exit on {exit_on.isoformat()}"


def lapse_on_close(ledger: Ledger, closed_on: date) -> None:
    """`hand_over` closes the project: what is still open was never met and is no longer owed."""
    for ob in ledger:
        if ob.status == "open":
            ob.status, ob.note = "lapsed", f"never met; lapsed when the project closed on {closed_on.isoformat()}"


def waive_for_suspension(ledger: Ledger, since: date) -> None:
    """DY-eval (东营 art. 28): a suspended project excuses periodic service duties
    for periods that begin while it is suspended; `resume` gives back the ones it reaches."""
    for ob in ledger:
        if ob.status == "open" and ob.kind in _EXCUSED_BY_SUSPENSION and ob.window_start \
                and ob.window_start >= since:
            ob.status, ob.note = "waived", f"suspended from {since.isoformat()}"


def reopen_after_suspension(ledger: Ledger, since: date, until: date) -> None:
    """On resume: a period that ends after the resumption is served again and owed again;
    one lying wholly inside the suspension stays excused."""
    mark = f"suspended from {since.isoformat()}"
    for ob in ledger:
        if ob.status == "waived" and ob.note == mark:
            if _period_end(ob) >= until:
                ledger.reopen(ob)
            else:
                ob.note = f"excused: suspended {since.isoformat()} to {until.isoformat()}"


# --- events meeting obligations ---------------------------------------------------------
def _keys(e: Event) -> tuple[str, ...]:
    if e.type == "report":
        kind, period = e.data.get("kind"), e.data.get("period")
        return (f"report:{kind}:{period}", f"report:{kind}") if period else (f"report:{kind}",)
    return (e.type,)


def meet_by(ledger: Ledger, e: Event, roster: list[dict[str, Any]]) -> None:
    """What event `e` meets: quantities accumulate (hours per person and year, cases);
    a one-shot duty is met by the first fitting event, the most urgent duty of a rule first."""
    if not ledger._index:   # nothing open that an event could meet (a district's ledger, mostly)
        return
    found = ledger.candidates(*_keys(e))
    if not found:
        return
    d, on = e.data, e.effective
    day = on.isoformat()
    first_of_rule: set[str] = set()
    for ob in found:
        m = ob.match or {}
        if m.get("training_kind") and not _training_fits(m["training_kind"], d.get("kind")):
            continue
        if ob.required is not None or m.get("min_hours") is not None:
            if not (ob.window_start or on) <= on <= (ob.window_end or ob.due):
                continue  # hours and cases count in the period they fall in
            if ob.subject and d.get("person") and d["person"] != ob.subject:
                continue  # training without person= is a group session: it counts for everyone
            if m.get("min_hours") is not None:  # DG-supervision: one visit of >= 16 hours
                if float(d.get("hours", 0)) >= m["min_hours"]:
                    meet(ob, on, e.seq)
                continue
            ob.progress += 1 if e.type == "case" else float(d.get("hours", 0))
            if ob.progress >= ob.required:
                meet(ob, on, e.seq)
            continue
        if m.get("period"):  # the index matched the period exactly (briefing:2026-05)
            meet(ob, on, e.seq)
            continue
        if m.get("when") == "all_qualified":  # DY-qualification: every staff member qualified
            staff = d.get("roster") if e.type == "staff" else roster
            if not staff or not all(s["qualified"] for s in staff):
                continue
        named = d.get("year") if e.type == "file_plan" else (d.get("period") if e.type == "report" else None)
        if "year" in m and named not in (None, ""):
            if str(named)[:4] != str(m["year"]):
                continue
        elif m.get("from") and day < m["from"]:
            continue  # a periodic duty is met only from its period's start
        if ob.rule in first_of_rule:
            continue
        first_of_rule.add(ob.rule)
        meet(ob, on, e.seq)


def _training_fits(wanted: str, kind: str | None) -> bool:
    # DG-training: training recorded without a kind counts as practical training
    kind = kind or "general"
    return kind == wanted or (wanted == "practical" and kind == "general")
