"""Changes shown before they bite: which due dates a refold would move, and the letters that named them.

`plan` refolds every project under today's calendar and rulebooks and compares each
obligation's due date with the stored projection, writing nothing (`recompute --dry-run`).
`apply` does the same in one transaction and, for each project whose due dates move,
appends a `reschedule` event naming every move (obligation, old → new, why), so the log
says why a date a letter named is no longer the date; a district (or the province, FJ-cadence)
whose own duties move gets its `reschedule` event in its own log. `named` lists the letters that named an
old date; the next sweep corrects them (更正通知, `sweep._moved_duties`).
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from lifecycle.core.clock import Clock
from lifecycle.core.errors import said
from lifecycle.core.events import GENESIS, Event
from lifecycle.core.project import fold_log, pinned_book
from lifecycle.store import Store, load_events, load_snapshot, notices, projects, save_projection
from lifecycle.store.access import recorded_actor
from lifecycle.store.log import append_event
from lifecycle.wiring import book_of, calendar_for, forget_calendars


@dataclass(frozen=True)
class Move:
    project: str
    obligation: str
    kind: str
    old: str
    new: str
    why: str


def _why(old: dict[str, Any], rulebook_changed: bool, rulebook: str) -> str:
    if rulebook_changed:
        return said("rulebook {rulebook} changed since the project was opened (new rulebook version or text)",
                    rulebook=rulebook)
    if old.get("provisional"):
        return said("new holiday data: {year} was provisional (weekends alone)", year=old["due"][:4])
    return said("new holiday data")


def _refold(conn: Connection, pid: str, cal: Any) -> tuple[Any, Any, list[Event], dict[str, Any] | None, list[Move]]:
    events = load_events(conn, pid)
    book = book_of(events[0].data)
    project = fold_log(events, book, cal, pid)
    book = pinned_book(project, book)   # the rulebook it is under now (a `rebase` may have moved it)
    stored = load_snapshot(conn, pid)
    moves: list[Move] = []
    if stored is not None:
        before = {o["id"]: o for o in stored["obligations"]}
        # the rulebook text the projection was last computed under: the open event's, or the
        # digest the latest `rebase` or `reschedule` recorded; compared with the rulebook the
        # project is pinned to now (a rebase moves it to another one from a date on)
        digests = [e.data.get("rulebook_digest") for e in events if e.type in ("open", "rebase", "reschedule")]
        changed_book = digests[-1] not in (None, book.digest)
        for ob in project.obligations.values():
            old = before.get(ob.id)
            if old and old["due"] != ob.due.isoformat():
                moves.append(Move(pid, ob.id, ob.kind, old["due"], ob.due.isoformat(),
                                  _why(old, changed_book, f"{book.name} {book.version}")))
    return project, book, events, stored, moves


def _letters(conn: Connection, moves: list[Move]) -> list[dict[str, Any]]:
    """Every notice already made that named a date now moved."""
    out = []
    for m in moves:
        rows = conn.execute(select(notices.c.id, notices.c.stage, notices.c.recipient, notices.c.due,
                                   notices.c.status)
                            .where(notices.c.project_id == m.project, notices.c.obligation_id == m.obligation)
                            .order_by(notices.c.id))
        out += [{"notice": r.id, "project": m.project, "obligation": m.obligation, "stage": r.stage,
                 "recipient": r.recipient, "named": r.due.isoformat() if isinstance(r.due, date) else str(r.due)[:10],
                 "new": m.new, "status": r.status}
                for r in rows if (r.due.isoformat() if isinstance(r.due, date) else str(r.due)[:10]) == m.old]
    return out


def _districts(conn: Connection, refolded: dict[str, dict[str, Any]], clock: Clock | None, actor: str,
               dry_run: bool) -> list[Move]:
    """Refold every district (and province) from its refolded projects: the due dates of its own duties
    that move, kept under `district:NAME` as its letters are (the next sweep corrects them). With
    `dry_run` nothing is written (`refolded` stands in for the projects' unsaved snapshots); otherwise
    each district whose due dates move gets a `reschedule` event in its own log, and its projection."""
    from lifecycle.core.district import fold_district, key
    from lifecycle.store.districts import (append_district_event, district_contributions, district_names,
                                           load_district_events, lock_district, save_district,
                                           stored_district_rows)
    out = []
    for name in district_names(conn):
        if not dry_run:
            lock_district(conn, name)
        before = stored_district_rows(conn, name)
        log = load_district_events(conn, name)
        snap = fold_district(name, district_contributions(conn, name, refolded if dry_run else None), log)
        moved = [Move(key(name), o["id"], o["kind"], old["due"], o["due"],
                      _why(old, False, f"{o['rulebook']} {o['rulebook_version']}"))
                 for o in snap["obligations"] if (old := before.get(o["id"])) and old["due"] != o["due"]]
        out += moved
        if dry_run:
            continue
        if moved and clock is not None:
            head = log[-1] if log else None
            on = max(clock.today, head.effective) if head else clock.today
            data = {"moves": [{k: v for k, v in asdict(m).items() if k != "project"} for m in moved]}
            e = Event.new(name, (head.seq if head else 0) + 1, "reschedule", on, clock.recorded, actor, data,
                          head.hash if head else GENESIS)
            append_district_event(conn, e)   # a record the fold skips: only the head moves on
            snap = fold_district(name, district_contributions(conn, name), log + [e])
        save_district(conn, snap)
    return out


def recompute(store: Store, clock: Clock | None = None, actor: str = "system", dry_run: bool = False) -> dict[str, Any]:
    """Refold every project under today's calendar and rulebooks, as docs/CLI.md has it:
    `{dry_run, changed, moved: [{project, obligation, kind, old, new, why}], letters: [notice ids],
    named: [each such letter: notice, project, obligation, stage, recipient, named, new, status]}`.

    With `dry_run` nothing is written. Otherwise the projections are saved and each project (and each
    district or province, `moved[].project` = `district:NAME`) whose due dates move gets a `reschedule`
    event (effective today, or on its last event's day if later).
    """
    store.require()
    forget_calendars()
    cal = calendar_for(store)
    changed: list[str] = []
    moves: list[Move] = []
    letters: list[dict[str, Any]] = []
    refolded: dict[str, dict[str, Any]] = {}
    with (store.reading() if dry_run else store.transaction()) as conn:
        ids = [r.id for r in conn.execute(select(projects.c.id).order_by(projects.c.id))]
        actor = recorded_actor(conn, actor)
        for pid in ids:
            project, book, events, stored, moved = _refold(conn, pid, cal)
            snap = project.snapshot()
            if snap == stored:
                continue
            changed.append(pid)
            refolded[pid] = json.loads(json.dumps(snap, ensure_ascii=False))   # as it would be stored
            moves += moved
            letters += _letters(conn, moved)
            if dry_run:
                continue
            previous = project.head_seq
            if moved and clock is not None:
                on = max(clock.today, project.last_effective or clock.today)
                data = {"moves": [{k: v for k, v in asdict(m).items() if k != "project"} for m in moved],
                        "rulebook_digest": book.digest}
                e = Event.new(pid, previous + 1, "reschedule", on, clock.recorded, actor, data, project.head_hash)
                append_event(conn, e)  # a record the fold skips: only the head moves on
                project.head_seq, project.head_hash = e.seq, e.hash
                snap = project.snapshot()
            save_projection(conn, snap, previous)
        if changed:   # what districts and provinces owe through their projects may have moved too
            district_moves = _districts(conn, refolded, clock, actor, dry_run)
            moves += district_moves
            letters += _letters(conn, district_moves)
    return {"dry_run": dry_run, "changed": changed, "moved": [asdict(m) for m in moves],
            "letters": [n["notice"] for n in letters], "named": letters}
