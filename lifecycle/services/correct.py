"""`lifecycle correct`, beside `advance`: supersede an event's data or effective date without erasing it.

A correction is a `correct` event appended to the log, with data
`{seq, reason, data: {replacement keys}, effective: "YYYY-MM-DD" (only with --on)}`.
With `--void` the data is `{seq, reason, void: true}`: the event is retracted
(a duplicate report, a mistaken payment), the fold skips it. Nothing is edited.
Its own effective date is the day it is recorded; it is a meta-event that
`effective_history` folds into the event it names, so it never reaches the
state machine and never moves `last_effective`. The corrected history must
still replay, in effective order (`lifecycle.core.refold`): none before the
opening nor in the future, every transition allowed by the table and every
guard of the corrected event and those after it passed. The new projection is
stored in the same transaction.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.engine import Connection

from lifecycle.core.errors import BadInput, Refused, Said, said
from lifecycle.core.eventdata import SCHEMAS, parse_event_data
from lifecycle.files import read_roster_file
from lifecycle.core.events import Event, effective_history, voided
from lifecycle.core.clock import Clock
from lifecycle.core.guards import Market, check
from lifecycle.core.obligations import view_on
from lifecycle.core.refold import refold_checked, since
from lifecycle.core.speech import N_
from lifecycle.services.projects import commit, market_for
from lifecycle.store import Store, load_events, load_lean_snapshot
from lifecycle.store.access import recorded_actor
from lifecycle.wiring import book_of, calendar_for

# seq 1 (`open`) may have its plan year and budget corrected; the station and the
# rulebook it was opened under are the project's identity: open a new project instead.
OPEN_CORRECTABLE = {"year": SCHEMAS["file_plan"]["year"][0], "budget": SCHEMAS["file_plan"]["budget"][0]}


def correct(store: Store, project_id: str, seq: int, reason: str, on: date | None, raw: dict[str, str],
            actor: str, clock: Clock, void: bool = False) -> dict[str, Any]:
    """Append a `correct` event superseding (or, with `void`, retracting) event `seq`; returns the
    new snapshot as of today."""
    store.require()
    if not reason.strip():
        raise BadInput(said("project {project}: correct needs a --reason saying why event {seq} is wrong",
                project=project_id, seq=seq))
    if void and (raw or on is not None):
        raise BadInput(said("project {project}: correct --void of event {seq} retracts it whole: give no KEY=VALUE pairs nor --on",
                project=project_id, seq=seq))
    if not void and not raw and on is None:
        raise BadInput(said("project {project}: correct of event {seq} changes nothing: give KEY=VALUE pairs or --on",
                project=project_id, seq=seq))
    with store.transaction() as conn:
        actor = recorded_actor(conn, actor)
        events = load_events(conn, project_id)
        if not events:
            raise BadInput(said("unknown project {project}", project=project_id))
        target = next((e for e in events if e.seq == seq), None)
        if target is None:
            raise BadInput(said("project {project}: there is no event {seq} to correct (the log runs from 1 to {seq2})",
                    project=project_id, seq=seq, seq2=events[-1].seq))
        if target.type == "correct":
            raise Refused(said("project {project}: correct refused: event {seq} is itself a correction; correct event {data} again instead",
                    project=project_id, seq=seq, data=target.data['seq']))
        if target.type == "reschedule":
            raise Refused(said("project {project}: correct refused: event {seq} records due dates moved by `recompute`, not a fact of the project; it cannot be corrected",
                    project=project_id, seq=seq))
        gone = voided(events).get(seq)
        if gone is not None:
            raise Refused(said("project {project}: correct refused: event {seq} ({type}) was voided by event {seq2}; record the event afresh with `lifecycle advance` instead",
                    project=project_id, seq=seq, type=target.type, seq2=gone.seq))
        if void:
            if target.type == "open":
                raise Refused(said("project {project}: correct --void refused: event 1 opens the project and cannot be voided; a project opened by mistake stays in the log",
                        project=project_id))
            return _void(conn, store, project_id, events, target, reason.strip(), actor, clock)
        data = _replacement(conn, project_id, target, raw)
        payload: dict[str, Any] = {"seq": seq, "reason": reason.strip(), "data": data}
        if on is not None:
            if on > clock.today:
                raise Refused(said("project {project}: correct refused: the new effective date {on} of event {seq} lies in the future (today is {today})",
                        project=project_id, on=on.isoformat(), seq=seq, today=clock.today.isoformat()))
            payload["effective"] = on.isoformat()
        head = events[-1]
        fix = Event.new(project_id, head.seq + 1, "correct", clock.today, clock.recorded, actor, payload, head.hash)
        book = book_of(events[0].data)
        cal = calendar_for(store)
        first = min((target.effective, seq), (on or target.effective, seq))
        for e in effective_history(events):  # the target as it stands, earlier corrections applied
            if e.seq == seq:
                first = min(first, (e.effective, seq))

        def say(e: Event, why: str) -> str:
            if e.seq == seq:
                return said("project {project}: correct refused: corrected, event {seq} ({type}) {why}",
                            project=project_id, seq=seq, type=e.type, why=_why(why))
            return said("project {project}: correct refused: corrected, event {seq} would make event {seq2} "
                        "({type}) illegal: the corrected history does not replay: {why}", project=project_id,
                        seq=seq, seq2=e.seq, type=e.type, why=why)
        project = refold_checked(events + [fix], book, cal, project_id,
                                 since(first, lambda e: _judged(conn, project_id, e, seq)), say)
        stored = load_lean_snapshot(conn, project_id)
        return view_on(commit(conn, fix, project, stored["head_seq"] if stored else None), clock.today)


# the refold's reasons (`lifecycle.core.refold`), said of the corrected event itself
_ITSELF = {"it would be effective {on}, before the project opened on {opened}":
           N_("would be effective {on}, before the project opened on {opened}"),
           "it would break a rule: {reasons}": N_("would break a rule: {reasons}")}


def _why(why: str) -> Said:
    if isinstance(why, Said) and why.msgid in _ITSELF:
        return Said(_ITSELF[why.msgid], why.params)
    return said("does not replay: {why}", why=why)


def _void(conn: Connection, store: Store, project_id: str, events: list[Event], target: Event, reason: str,
          actor: str, clock: Clock) -> dict[str, Any]:
    """Append a void of `target`: the fold skips it; what remains must still be legal."""
    head = events[-1]
    payload = {"seq": target.seq, "reason": reason, "void": True}
    fix = Event.new(project_id, head.seq + 1, "correct", clock.today, clock.recorded, actor, payload, head.hash)
    book, cal = book_of(events[0].data), calendar_for(store)
    place = next(((e.effective, e.seq) for e in effective_history(events) if e.seq == target.seq),
                 (target.effective, target.seq))

    def say(e: Event, why: str) -> str:
        return said("project {project}: correct --void of event {seq} ({type}) refused: without it, event {seq2} "
                    "({type2}, effective {effective}) would be illegal: {why}", project=project_id, seq=target.seq,
                    type=target.type, seq2=e.seq, type2=e.type, effective=e.effective.isoformat(), why=why)
    project = refold_checked(events + [fix], book, cal, project_id,
                             since(place, lambda e: Market() if e.type != "award" else None), say)
    return view_on(commit(conn, fix, project, head.seq), clock.today)


def _replacement(conn: Connection, project_id: str, target: Event, raw: dict[str, str]) -> dict[str, Any]:
    """The typed replacement keys for `target`, validated as `advance` validates them."""
    what = said("project {project}: correct of event {seq} ({event})", project=project_id, seq=target.seq,
                event=target.type)
    if target.type == "open":
        identity = sorted(k for k in raw if k in target.data and k not in OPEN_CORRECTABLE)
        if identity:
            raise Refused(said("{what} refused: {names} is the project's identity (station and rulebook); open a new project instead",
                    what=what, names=', '.join((k + '=' for k in identity))))
        out = {}
        for key, value in raw.items():
            if key not in OPEN_CORRECTABLE:
                raise BadInput(said("{what}: open does not take {key}= (it takes year=, budget=)",
                        what=what, key=key))
            try:
                out[key] = OPEN_CORRECTABLE[key](value)
            except ValueError as exc:
                raise BadInput(said("{what}: {key}= {exc}", what=what, key=key, exc=exc)) from None
        return out
    schema = SCHEMAS.get(target.type, {})
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in schema:
            raise BadInput(said("{what}: {type} does not take {key}= (it takes {value})",
                    what=what, type=target.type, key=key, value=', '.join(schema) or 'no keys'))
        if key == "roster":  # a new roster file, read now; the replay never needs the file
            out.update(parse_event_data(project_id, "staff", {"roster": value}, {}, read_roster_file))
            continue
        parser, _required = schema[key]
        try:
            out[key] = parser(value)
        except ValueError as exc:
            raise BadInput(said("{what}: {key}= {exc}", what=what, key=key, exc=exc)) from None
    if target.type == "report":  # the period must still fit the (corrected) kind
        merged = {k: str(v) for k, v in {**target.data, **out}.items() if k in schema and v is not None}
        parse_event_data(project_id, "report", merged, {})
    if "contractor" in out:
        market = market_for(conn, project_id, out["contractor"])
        out["contractor_name"] = market.contractor["name"]
    return out


def _judged(conn: Connection, project_id: str, e: Event, seq: int) -> Market | None:
    # an award is judged against the market of its day, which the log does not keep:
    # only the award being corrected is judged again, against today's market
    return None if e.type == "award" and e.seq != seq else _market_for(conn, project_id, e, seq)


def _market_for(conn: Connection, project_id: str, e: Event, seq: int) -> Market:
    """The other projects, for the contractor guards of the award being corrected (itself left out)."""
    if e.type != "award":
        return Market()
    market = market_for(conn, project_id, e.data["contractor"])
    return Market(tuple(h for h in market.holdings if h.project != project_id), market.contractor)
