"""The projections of the log: each project's stored snapshot and its obligations rows.

Rebuilt from the log by replay (`replay --verify` proves they match). The
rows hold what the fold produced, as it produced it: an obligation's status
is open, met or waived; "overdue" is a view on a date
(`lifecycle.core.obligations.view_on`), never stored.
"""
from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from lifecycle.core.errors import BadInput, Conflict, said
from lifecycle.store.database import Store
from lifecycle.store.log import scan_between
from lifecycle.store.tables import OBLIGATION_COLUMNS, obligations, projects

RECORDED_STATUSES = ("open", "met", "waived", "lapsed")

def project_row(snap: dict[str, Any]) -> dict[str, Any]:
    """The `projects` row of a snapshot, without its id."""
    return dict(
        station_id=snap["station"], district=snap["district"], rulebook=snap["rulebook"],
        rulebook_version=snap["rulebook_version"], state=snap["state"], contractor_id=snap["contractor"],
        term_end=_d(snap["term_end"]), head_seq=snap["head_seq"], head_hash=snap["head_hash"],
        last_effective=_d(snap["last_effective"]),
        snapshot=json.dumps(snap, ensure_ascii=False, sort_keys=True),
    )


def obligation_rows(snap: dict[str, Any]) -> list[dict[str, Any]]:
    """The `obligations` rows of a snapshot."""
    return [dict(project_id=snap["project"], district=snap["district"], station_id=snap["station"],
                 **_obligation_row(o)) for o in snap["obligations"]]


def save_projection(conn: Connection, snap: dict[str, Any], previous_head: int | None) -> None:
    values = project_row(snap)
    if previous_head is None:
        try:
            with conn.begin_nested():
                conn.execute(insert(projects).values(id=snap["project"], **values))
        except IntegrityError:
            raise Conflict(said("project {snap} was opened by another writer at the same time",
                    snap=snap['project'])) from None
    else:
        done = conn.execute(update(projects).where(projects.c.id == snap["project"],
                                                   projects.c.head_seq == previous_head).values(**values))
        if done.rowcount != 1:
            raise Conflict(said("project {snap} changed under this command; try again", snap=snap['project']))
    _save_obligations(conn, snap)


def _save_obligations(conn: Connection, snap: dict[str, Any]) -> None:
    pid = snap["project"]
    stored = {r.id: r for r in conn.execute(select(obligations).where(obligations.c.project_id == pid))}
    fresh = {row["id"]: row for row in obligation_rows(snap)}
    gone = [oid for oid in stored if oid not in fresh]
    if gone:
        conn.execute(obligations.delete().where(obligations.c.project_id == pid, obligations.c.id.in_(gone)))
    new = [row for oid, row in fresh.items() if oid not in stored]
    if new:
        conn.execute(insert(obligations), new)
    for oid, row in fresh.items():
        old = stored.get(oid)
        if old is not None and any(getattr(old, k) != v for k, v in row.items()):
            moved = {"moved_from": _d(old.due)} if old.moved_from is None and _d(old.due) != row["due"] else {}
            conn.execute(update(obligations).where(obligations.c.project_id == pid, obligations.c.id == oid)
                         .values(**row, **moved))


def _obligation_row(o: dict[str, Any]) -> dict[str, Any]:
    if o["status"] not in RECORDED_STATUSES:
        # "overdue" is a view on a date (lifecycle.core.obligations.view_on): saving one is a bug
        raise ValueError(said("obligation {o}: status {o2!r} is a view, not a record (the store keeps {names})",
                o=o['id'], o2=o['status'], names=', '.join(RECORDED_STATUSES)))
    row = {k: o[k] for k in OBLIGATION_COLUMNS}
    row["due"], row["met_on"] = _d(o["due"]), _d(o["met_on"])
    return row


def stored_obligations(conn: Connection, project_id: str) -> dict[str, dict[str, Any]]:
    """A project's obligations rows by id, each as {column: value} (dates as dates)."""
    rows = stored_obligations_between(conn, None, None, only=project_id).get(project_id, {})
    for row in rows.values():
        row["due"], row["met_on"] = _d(row["due"]), _d(row["met_on"])
    return rows


def load_snapshot(conn: Connection, project_id: str) -> dict[str, Any] | None:
    row = conn.execute(select(projects.c.snapshot).where(projects.c.id == project_id)).first()
    return json.loads(row.snapshot) if row else None


def stored_obligations_between(conn: Connection, after: str | None, upto: str | None,
                               only: str | None = None) -> dict[str, dict[str, dict[str, Any]]]:
    """`stored_obligations` of every project whose id lies in (after, upto] (or is `only`), by project id;
    dates as the driver gives them (ISO text on SQLite), which is what verification compares."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for r in scan_between(conn, "obligations", ("project_id", *OBLIGATION_COLUMNS), "project_id", after, upto,
                          "project_id, id", only):
        row = dict(zip(OBLIGATION_COLUMNS, r[1:]))
        row["provisional"] = bool(row["provisional"])  # SQLite keeps 0 and 1
        out.setdefault(r[0], {})[r[1]] = row
    return out


def read_status(store: Store, project_id: str) -> dict[str, Any]:
    """`status`: the stored snapshot, one row (the caller views it on a date).

    Here rather than in services, so that `lifecycle status` imports SQLAlchemy and nothing of the fold.
    """
    store.require()
    with store.reading() as conn:
        snap = load_snapshot(conn, project_id)
    if snap is None:
        raise BadInput(said("unknown project {project}", project=project_id))
    return snap


def _d(value: str | date | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)
