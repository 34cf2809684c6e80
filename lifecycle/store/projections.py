"""The projections of the log: each project's stored snapshot and its obligations rows.

Rebuilt from the log by replay (`replay --verify` proves they match). The
rows hold what the fold produced, as it produced it: an obligation's status
is open, met or waived; "overdue" is a view on a date
(`lifecycle.core.obligations.view_on`), never stored.

The duties live in the `obligations` rows alone (revision 0013): the stored
snapshot is the fold's snapshot without its "obligations" (the lean snapshot),
and a reader gets the whole snapshot back by `load_snapshot` or
`with_obligations`, which put the rows back in the fold's order. That order is
canonical, by (due, id) (`Project.snapshot`), so the columns recover it and no
position is stored.
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
from lifecycle.store.log import driver_rows, scan_between
from lifecycle.store.tables import OBLIGATION_COLUMNS, obligations, projects

RECORDED_STATUSES = ("open", "met", "waived", "lapsed")

_DATES = ("due", "window_start", "window_end", "met_on")
_SORTED = tuple(sorted(OBLIGATION_COLUMNS))


def lean(snap: dict[str, Any]) -> dict[str, Any]:
    """A snapshot without its obligations: what the `projects` row stores (the rows hold the duties)."""
    return {k: v for k, v in snap.items() if k != "obligations"}


def match_text(match: dict[str, Any] | None) -> str | None:
    """An obligation's `match` as its `obligations.match` column holds it: canonical JSON."""
    return None if match is None else json.dumps(match, ensure_ascii=False, sort_keys=True)


def project_row(snap: dict[str, Any]) -> dict[str, Any]:
    """The `projects` row of a snapshot, without its id: the lean snapshot (`lean`)."""
    return dict(
        station_id=snap["station"], district=snap["district"], rulebook=snap["rulebook"],
        rulebook_version=snap["rulebook_version"], state=snap["state"], contractor_id=snap["contractor"],
        term_end=_d(snap["term_end"]), head_seq=snap["head_seq"], head_hash=snap["head_hash"],
        last_effective=_d(snap["last_effective"]),
        snapshot=json.dumps(lean(snap), ensure_ascii=False, sort_keys=True),
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
    for key in _DATES:
        row[key] = _d(row[key])
    row["match"] = match_text(row["match"])
    return row


def stored_obligations(conn: Connection, project_id: str) -> dict[str, dict[str, Any]]:
    """A project's obligations rows by id, each as {column: value} (dates as dates, match as its text)."""
    rows = stored_obligations_between(conn, None, None, only=project_id).get(project_id, {})
    for row in rows.values():
        for key in _DATES:
            row[key] = _d(row[key])
    return rows


def load_lean_snapshot(conn: Connection, project_id: str) -> dict[str, Any] | None:
    """A project's stored snapshot as stored, without its obligations: for the readers that need
    only its state, terms, roster, money or district duties."""
    row = conn.execute(select(projects.c.snapshot).where(projects.c.id == project_id)).first()
    return json.loads(row.snapshot) if row else None


def load_snapshot(conn: Connection, project_id: str) -> dict[str, Any] | None:
    """A project's stored snapshot, whole: the lean snapshot with its obligations rows put back."""
    snap = load_lean_snapshot(conn, project_id)
    if snap is None:
        return None
    return with_obligations(snap, stored_obligations_between(conn, None, None, only=project_id).get(project_id, {}))


def obligations_of(conn: Connection, project_ids: list[str]) -> dict[str, dict[str, dict[str, Any]]]:
    """`stored_obligations_between`'s rows of the projects named, in one query."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    if project_ids:   # through the driver, as `scan_between`: a first national sweep reads a million rows
        mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
        sql = (f"SELECT project_id, {', '.join(OBLIGATION_COLUMNS)} FROM obligations "
               f"WHERE project_id IN ({', '.join([mark] * len(project_ids))})")
        for r in driver_rows(conn, sql, tuple(project_ids)):
            out.setdefault(r[0], {})[r[1]] = row_dict(r[1:])
    return out


def with_obligations(snap: dict[str, Any], rows: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """A lean snapshot with its obligations rows as the fold's snapshot holds them, in its order (due, id)."""
    duties = [obligation_of_row(row) for row in rows.values()]
    duties.sort(key=lambda o: (o["due"], o["id"]))
    # keys in sorted order, as the whole snapshot stored with sort_keys read back: `status --json` is unchanged
    return dict(sorted({**snap, "obligations": duties}.items()))


def obligation_of_row(row: dict[str, Any]) -> dict[str, Any]:
    """An obligations row (as `stored_obligations_between` reads it) as the snapshot's dict of it
    (`Obligation.as_dict`): dates as ISO text, match decoded; keys sorted, as in `with_obligations`."""
    out = {k: row[k] for k in _SORTED}
    for key in _DATES:
        value = out[key]
        out[key] = value.isoformat() if isinstance(value, date) else value
    out["match"] = json.loads(out["match"]) if out["match"] is not None else None
    required = out["required"]
    if isinstance(required, float) and required.is_integer():
        out["required"] = int(required)   # the fold's counts and hours are whole (math.ceil, rulebook integers)
    return out


def stored_obligations_between(conn: Connection, after: str | None, upto: str | None,
                               only: str | None = None) -> dict[str, dict[str, dict[str, Any]]]:
    """`stored_obligations` of every project whose id lies in (after, upto] (or is `only`), by project id;
    dates as ISO text and match as its JSON text, which is what verification compares."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for r in scan_between(conn, "obligations", ("project_id", *OBLIGATION_COLUMNS), "project_id", after, upto,
                          "project_id, id", only):
        out.setdefault(r[0], {})[r[1]] = row_dict(r[1:])
    return out


def obligation_tuples_between(conn: Connection, after: str | None, upto: str | None,
                              only: str | None = None) -> dict[str, dict[str, tuple]]:
    """The obligations rows of every project whose id lies in (after, upto] (or is `only`), by project and id, each as
    the driver's tuple of `OBLIGATION_COLUMNS` (dates as ISO text; SQLite's 0 and 1 for the flags):
    `verify --all` compares them to the fold's duties without a dict a row."""
    out: dict[str, dict[str, tuple]] = {}
    iso = conn.dialect.name != "sqlite"   # PostgreSQL gives dates: as the text SQLite gives
    for r in scan_between(conn, "obligations", ("project_id", *OBLIGATION_COLUMNS), "project_id", after, upto,
                          "project_id, id", only):
        out.setdefault(r[0], {})[r[1]] = tuple(v.isoformat() if isinstance(v, date) else v for v in r[1:]) \
            if iso else tuple(r[1:])
    return out


def row_dict(values: Any) -> dict[str, Any]:
    """An obligations row's `OBLIGATION_COLUMNS` values (a driver's row, an `obligation_tuples_between`
    tuple) as `stored_obligations_between` gives a row."""
    row = dict(zip(OBLIGATION_COLUMNS, values))
    row["provisional"], row["setting"] = bool(row["provisional"]), bool(row["setting"])  # SQLite keeps 0 and 1
    for key in _DATES:   # ISO text, as SQLite gives them and the snapshot holds them (PostgreSQL gives dates)
        value = row[key]
        if value is not None and not isinstance(value, str):
            row[key] = value.isoformat()
    return row


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
