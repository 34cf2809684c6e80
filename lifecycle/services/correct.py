"""`lifecycle correct`, beside `advance`: supersede an event's data or effective date without erasing it.

A correction is a `correct` event appended to the log, with data
`{seq, reason, data: {replacement keys}, effective: "YYYY-MM-DD" (only with --on)}`.
Its own effective date is the day it is recorded; it is a meta-event that
`effective_history` folds into the event it names, so it never reaches the
state machine and never moves `last_effective` (the "effective dates never
run backwards" rule keeps measuring the real events). The corrected history
must still replay: effective dates in order, none in the future, every
transition allowed by the table and every guard of the corrected event and
those after it passed. The new projection is stored in the same transaction.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.engine import Connection

from lifecycle.core.errors import BadInput, Refused, said
from lifecycle.core.eventdata import SCHEMAS, parse_event_data
from lifecycle.files import read_roster_file
from lifecycle.core.events import Event, effective_history
from lifecycle.core.project import Folder, Project
from lifecycle.core.clock import Clock
from lifecycle.core.guards import Market, check
from lifecycle.core.obligations import view_on
from lifecycle.core.project import fold_log
from lifecycle.core.rulebook import Rulebook
from lifecycle.services.projects import commit, market_for
from lifecycle.store import Store, load_events, load_snapshot
from lifecycle.wiring import book_of, calendar_for

# seq 1 (`open`) may have its plan year and budget corrected; the station and the
# rulebook it was opened under are the project's identity: open a new project instead.
OPEN_CORRECTABLE = {"year": SCHEMAS["file_plan"]["year"][0], "budget": SCHEMAS["file_plan"]["budget"][0]}


def correct(store: Store, project_id: str, seq: int, reason: str, on: date | None, raw: dict[str, str],
            actor: str, clock: Clock) -> dict[str, Any]:
    """Append a `correct` event superseding event `seq`; returns the new snapshot as of today."""
    store.require()
    if not reason.strip():
        raise BadInput(f"project {project_id}: correct needs a --reason saying why event {seq} is wrong")
    if not raw and on is None:
        raise BadInput(f"project {project_id}: correct of event {seq} changes nothing: give KEY=VALUE pairs or --on")
    with store.transaction() as conn:
        events = load_events(conn, project_id)
        if not events:
            raise BadInput(said("unknown project {project}", project=project_id))
        target = next((e for e in events if e.seq == seq), None)
        if target is None:
            raise BadInput(f"project {project_id}: there is no event {seq} to correct "
                           f"(the log runs from 1 to {events[-1].seq})")
        if target.type == "correct":
            raise Refused(f"project {project_id}: correct refused: event {seq} is itself a correction; "
                          f"correct event {target.data['seq']} again instead")
        if target.type == "reschedule":
            raise Refused(f"project {project_id}: correct refused: event {seq} records due dates moved by "
                          "`recompute`, not a fact of the project; it cannot be corrected")
        data = _replacement(conn, project_id, target, raw)
        payload: dict[str, Any] = {"seq": seq, "reason": reason.strip(), "data": data}
        if on is not None:
            if on > clock.today:
                raise Refused(f"project {project_id}: correct refused: the new effective date {on.isoformat()} "
                              f"of event {seq} lies in the future (today is {clock.today.isoformat()})")
            payload["effective"] = on.isoformat()
        head = events[-1]
        fix = Event.new(project_id, head.seq + 1, "correct", clock.today, clock.recorded, actor, payload, head.hash)
        book = book_of(events[0].data)
        cal = calendar_for(store)
        _check_replays(conn, project_id, events + [fix], seq, book, cal)
        project = fold_log(events + [fix], book, cal, project_id)
        stored = load_snapshot(conn, project_id)
        return view_on(commit(conn, fix, project, stored["head_seq"] if stored else None), clock.today)


def _replacement(conn: Connection, project_id: str, target: Event, raw: dict[str, str]) -> dict[str, Any]:
    """The typed replacement keys for `target`, validated as `advance` validates them."""
    what = f"project {project_id}: correct of event {target.seq} ({target.type})"
    if target.type == "open":
        identity = sorted(k for k in raw if k in target.data and k not in OPEN_CORRECTABLE)
        if identity:
            raise Refused(f"{what} refused: {', '.join(k + '=' for k in identity)} is the project's identity "
                          "(station and rulebook); open a new project instead")
        out = {}
        for key, value in raw.items():
            if key not in OPEN_CORRECTABLE:
                raise BadInput(f"{what}: open does not take {key}= (it takes year=, budget=)")
            try:
                out[key] = OPEN_CORRECTABLE[key](value)
            except ValueError as exc:
                raise BadInput(f"{what}: {key}= {exc}") from None
        return out
    schema = SCHEMAS.get(target.type, {})
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in schema:
            raise BadInput(f"{what}: {target.type} does not take {key}= (it takes {', '.join(schema) or 'no keys'})")
        if key == "roster":  # a new roster file, read now; the replay never needs the file
            out.update(parse_event_data(project_id, "staff", {"roster": value}, {}, read_roster_file))
            continue
        parser, _required = schema[key]
        try:
            out[key] = parser(value)
        except ValueError as exc:
            raise BadInput(f"{what}: {key}= {exc}") from None
    if target.type == "report":  # the period must still fit the (corrected) kind
        merged = {k: str(v) for k, v in {**target.data, **out}.items() if k in schema and v is not None}
        parse_event_data(project_id, "report", merged, {})
    if "contractor" in out:
        market = market_for(conn, project_id, out["contractor"])
        out["contractor_name"] = market.contractor["name"]
    return out


def _check_replays(conn: Connection, project_id: str, log: list[Event], seq: int, book: Rulebook, cal: Any) -> None:
    """Refuse (exit 1, naming why) a correction whose corrected history would not replay."""
    history = effective_history(log)
    last: Event | None = None
    for e in history:
        if last is not None and e.effective < last.effective:
            raise Refused(f"project {project_id}: correct refused: corrected, event {e.seq} ({e.type}) would be "
                          f"effective {e.effective.isoformat()}, before event {last.seq} ({last.type}) on "
                          f"{last.effective.isoformat()}; effective dates never run backwards")
        last = e
    project = Project(id=project_id)
    folder = Folder(project, book, cal)
    for e in history:
        # an award is judged against the market of its day, which the log does not keep:
        # only the award being corrected is judged again, against today's market
        if e.seq >= seq and e.type != "open" and (e.type != "award" or e.seq == seq):
            reasons = check(e.type, project, e.data, book, _market_for(conn, project_id, e, seq), e.effective)
            if reasons:
                raise Refused(f"project {project_id}: correct refused: corrected, event {e.seq} ({e.type}) would "
                              "break a rule: " + "; ".join(reasons), reasons=reasons)
        try:
            folder.apply(e)
        except (ValueError, KeyError) as exc:
            raise Refused(f"project {project_id}: correct refused: the corrected history does not replay: {exc}") \
                from None


def _market_for(conn: Connection, project_id: str, e: Event, seq: int) -> Market:
    """The other projects, for the contractor guards of the award being corrected (itself left out)."""
    if e.type != "award":
        return Market()
    market = market_for(conn, project_id, e.data["contractor"])
    return Market(tuple(h for h in market.holdings if h.project != project_id), market.contractor)
