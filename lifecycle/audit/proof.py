"""Proof of one project: the hash chain, the stored projection and the outbox against the replay.

`replay --verify` and `verify --all` both end here. The stored (lean) snapshot
must equal the replay's snapshot without its obligations, the obligations rows
(every column of each) the replay's obligations, and the queried columns what
the log folds to;
every notice must be warranted by the log as it was known when the notice
was made (`lifecycle.audit.warrant`).
"""
from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from lifecycle.core.calendar import WorkCalendar
from lifecycle.core.errors import Corrupt, said
from lifecycle.core.events import Event, chain_break
from lifecycle.core.project import Project, fold_log
from lifecycle.core.rulebook import Rulebook
from lifecycle.core.obligations import Obligation
from lifecycle.store import lean, match_text, projects, scan_between
from lifecycle.store.projections import obligation_tuples_between, row_dict
from lifecycle.store.log import parsed


def kept_by_store(conn: Connection, project_id: str) -> tuple[dict[str, Any] | None, dict[str, tuple],
                                                   dict[str, Any] | None, list[dict[str, Any]]]:
    """What the store keeps of a project besides its log, as `proof_problems` takes it:
    (snapshot, obligations rows as the driver's tuples, the row's columns, outbox)."""
    columns, stored = stored_projections(conn, None, None, only=project_id).get(project_id, (None, None))
    outbox = outboxes_to_check(conn, None, None, only=project_id).get(project_id, [])
    return stored, obligation_tuples_between(conn, None, None, only=project_id).get(project_id, {}), columns, outbox


def proof_problems(events: list[Event], stored: dict[str, Any] | None, stored_rows: dict[str, Any],
                   columns: dict[str, Any] | None, outbox: list[dict[str, Any]], book: Rulebook,
                   cal: WorkCalendar, replayed: tuple[Project, dict[str, Any]] | None = None) -> list[str]:
    """What `replay --verify` and `verify --all` prove of one project, the first broken thing first:
    the hash chain, the stored snapshot and obligations rows against the replay, the stored row's
    columns, and every notice against the replay as known when it was made.

    `replayed` is the fold of the whole log and its snapshot when the caller already has them
    (`fold_log(events, ...)`, `.snapshot()`), so the log is folded once. `stored_rows`: the obligations
    rows by id, as the driver's tuples (`obligation_tuples_between`: compared to the fold's duties
    themselves) or as dicts (`stored_obligations`: compared to the snapshot's).
    """
    from lifecycle.audit.warrant import notice_problems
    pid = events[0].project
    broken = chain_break(events)
    if broken:
        seq, why = broken
        return [said("project {project}: the hash chain breaks at event {seq}: {why}", project=pid, seq=seq, why=why)]
    head = (columns or {}).get("head_seq", (stored or {}).get("head_seq"))
    if isinstance(head, int) and head != events[-1].seq:
        how = "truncated: its last events are missing" if events[-1].seq < head else \
            "extended: events were added after the projection was saved"
        return [said("project {project}: the log ends at {seq} but the projection's head is {head} (the log was {how})", project=pid, seq=events[-1].seq, head=head, how=how)]
    tuples = bool(stored_rows) and isinstance(next(iter(stored_rows.values())), tuple)
    if replayed is None:
        try:
            project = fold_log(events, book, cal, pid)
        except (ValueError, KeyError) as exc:
            return [said("project {project}: the events do not replay: {exc}", project=pid, exc=exc)]
        # rows as tuples are compared to the fold's duties themselves: no snapshot of them is made
        replayed = project, project.snapshot(duties=not tuples)
    project, snapshot = replayed
    if tuples:
        problems = lean_problems(pid, lean(snapshot), stored)
        problems += tuple_row_problems(pid, project.obligations, stored_rows) if stored is not None else []
    else:
        problems = projection_problems(pid, snapshot, stored, stored_rows)
    problems = problems or column_problems(pid, columns, stored)
    return problems or notice_problems(events, outbox, book, cal, project)


def projection_problems(pid: str, replayed: dict[str, Any], stored: dict[str, Any] | None,
                        stored_rows: dict[str, dict[str, Any]]) -> list[str]:
    """The stored snapshot (lean: without obligations, `lean`) and obligations rows against the replay's
    snapshot."""
    problems = lean_problems(pid, lean(replayed), stored)
    if stored is None:
        return problems
    return problems + row_problems(pid, {o["id"]: o for o in replayed["obligations"]}, stored_rows)


def lean_problems(pid: str, want: dict[str, Any], stored: dict[str, Any] | None) -> list[str]:
    """The stored lean snapshot against the replay's (`want`, without obligations): each key that differs."""
    if stored is None:
        return [said("project {project}: the stored projection is missing", project=pid)]
    problems = []
    if want != stored:
        for key in sorted(set(want) | set(stored)):
            if want.get(key) != stored.get(key):
                problems.append(said("project {project}: stored {key} differs from the replay (stored {short}, replayed {short2})", project=pid, key=key, short=_short(stored.get(key)), short2=_short(want.get(key))))
    return problems


def tuple_row_problems(pid: str, duties: dict[str, Obligation], stored_rows: dict[str, tuple]) -> list[str]:
    """The obligations rows as the driver's tuples (`obligation_tuples_between`) against the fold's
    duties, a tuple comparison a row; a row that differs is named as `row_problems` names it."""
    if set(duties) != set(stored_rows):   # named by `row_problems`, from the rows and duties as dicts
        return row_problems(pid, {oid: ob.as_dict() for oid, ob in duties.items()},
                            {oid: row_dict(row) for oid, row in stored_rows.items()})
    for oid, row in stored_rows.items():
        ob = duties[oid]
        ws, we, mo = ob.window_start, ob.window_end, ob.met_on
        if row[:16] == (ob.id, ob.kind, ob.rule, ob.basis, ob.due.isoformat(), ob.provisional, ob.status,
                        ws.isoformat() if ws else None, we.isoformat() if we else None, ob.subject, ob.required,
                        ob.progress, mo.isoformat() if mo else None, ob.met_seq, ob.setting, ob.note) \
                and (ob.match is None if row[16] is None else _decoded(row[16]) == ob.match):
            continue
        found = row_problems(pid, {oid: ob.as_dict()}, {oid: row_dict(row)})
        if found:
            return found
    return []


def row_problems(pid: str, replay_rows: dict[str, dict[str, Any]], stored_rows: dict[str, dict[str, Any]]) -> list[str]:
    """The obligations rows (dicts, dates as ISO text or dates) against the replay's duties (`as_dict`)."""
    problems = []
    if set(replay_rows) != set(stored_rows):
        problems.append(said("project {project}: the obligations table holds {count} rows, the replay {count2}", project=pid, count=len(stored_rows), count2=len(replay_rows)))
    else:
        for oid, row in stored_rows.items():
            duty = replay_rows[oid]
            text = row.get("match")
            # one comparison in C: the columns as read (dates as ISO text), the match text as the data it encodes
            if {**row, "match": _decoded(text)} == duty:
                continue
            duty = {**duty, "match": match_text(duty.get("match"))}  # as the column holds it: name what differs
            got = next(((k, v.isoformat() if isinstance(v, date) else v) for k, v in row.items()
                        if (v.isoformat() if isinstance(v, date) else v) != duty.get(k)), None)
            if got:
                problems.append(said("project {project}: obligation {oid} stored {got}={got2!r}, replayed {get!r}", project=pid, oid=oid, got=got[0], got2=got[1], get=duty.get(got[0])))
                break
    return problems


_UNREADABLE = object()   # a match text that is not JSON: equal to nothing the replay holds


def _decoded(text: Any) -> Any:
    if text is None:
        return None
    try:
        return parsed(text)
    except (ValueError, TypeError):
        return _UNREADABLE


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def notice_rows(conn: Connection, project_id: str) -> list[dict[str, Any]]:
    """The outbox rows of one project (oldest first), as plain dicts."""
    from lifecycle.store.tables import notices
    rows = conn.execute(select(notices).where(notices.c.project_id == project_id).order_by(notices.c.id))
    return [dict(r._mapping) for r in rows]


_COLUMNS = ("station_id", "district", "rulebook", "rulebook_version", "state", "contractor_id", "term_end",
            "head_seq", "head_hash", "last_effective")


def stored_columns(conn: Connection, project_id: str) -> dict[str, Any] | None:
    """The queried columns of a project's stored row (what `project list` and `deadlines` read)."""
    row = conn.execute(select(*(projects.c[k] for k in _COLUMNS)).where(projects.c.id == project_id)).first()
    if row is None:
        return None
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in row._mapping.items()}


def stored_projections(conn: Connection, after: str | None, upto: str | None,
                       broken: dict[str, str] | None = None,
                       only: str | None = None) -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
    """Each stored projection row whose id lies in (after, upto] (or is `only`): (its queried
    columns, as `stored_columns` gives them, and its snapshot), by id. A snapshot that is not a
    JSON object is named in `broken` (when given; else `Corrupt`) and kept as an empty one."""
    out = {}
    for r in scan_between(conn, "projects", ("id", *_COLUMNS, "snapshot"), "id", after, upto, "id", only):
        columns = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in zip(_COLUMNS, r[1:-1])}
        try:
            snapshot = parsed(r[-1])
            if not isinstance(snapshot, dict):
                raise ValueError
        except (ValueError, TypeError):
            why = said("project {r}: the stored projection's field snapshot is not a JSON object", r=r[0])
            if broken is None:
                raise Corrupt(why) from None
            broken.setdefault(r[0], why)
            snapshot = {}
        out[r[0]] = (columns, snapshot)
    return out


_CHECKED = ("id", "obligation_id", "stage", "due", "as_of", "created_at")  # what a notice check reads


def outboxes_to_check(conn: Connection, after: str | None, upto: str | None,
                      only: str | None = None) -> dict[str, list[dict[str, Any]]]:
    """The outbox rows of each project whose id lies in (after, upto] (or is `only`), oldest first,
    with the columns `notice_problems` reads (not the letters themselves), by project id."""
    out: dict[str, list[dict[str, Any]]] = {}
    for r in scan_between(conn, "notices", ("project_id", *_CHECKED), "project_id", after, upto,
                          "project_id, id", only):
        out.setdefault(r[0], []).append(dict(zip(_CHECKED, r[1:])))
    return out


def column_problems(project_id: str, columns: dict[str, Any] | None, snap: dict[str, Any] | None) -> list[str]:
    """The stored row's columns against its snapshot (which `verify_project` proves equal to the replay)."""
    if columns is None or snap is None:
        return [said("project {project}: the stored projection is missing", project=project_id)]
    want = {"station_id": snap["station"], "district": snap["district"], "rulebook": snap["rulebook"],
            "rulebook_version": snap["rulebook_version"], "state": snap["state"], "contractor_id": snap["contractor"],
            "term_end": snap["term_end"], "head_seq": snap["head_seq"], "head_hash": snap["head_hash"],
            "last_effective": snap["last_effective"]}
    for key in _COLUMNS:
        if columns[key] != want[key]:
            return [said("project {project}: the stored column {key} differs from the replay (stored {columns!r}, replayed {want!r})", project=project_id, key=key, columns=columns[key], want=want[key])]
    return []
