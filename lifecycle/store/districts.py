"""The districts' side of the store: each district's log, its projection and its duties rows.

As for projects, the log (`district_events`) is the truth, appended and read,
never updated; `districts` and `district_obligations` are its projection,
rebuilt from the log and the district's projects (`lifecycle.core.district`).
"""
from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from lifecycle.core.errors import Conflict
from lifecycle.core.events import Event, stored_data
from lifecycle.store.tables import district_events, district_obligations, districts, projects

_ROW = ("id", "kind", "rule", "basis", "due", "provisional", "status", "met_on", "rulebook", "rulebook_version")


def load_district_events(conn: Connection, name: str) -> list[Event]:
    rows = conn.execute(select(district_events).where(district_events.c.district == name)
                        .order_by(district_events.c.seq))
    return [_district_event(r) for r in rows]


def _district_event(r: Any) -> Event:
    return Event(r.district, r.seq, r.type, r.effective if isinstance(r.effective, date)
                 else date.fromisoformat(r.effective), r.recorded, r.actor, json.loads(r.data), r.prev_hash, r.hash,
                 r.data)


def append_district_event(conn: Connection, e: Event) -> None:
    try:
        with conn.begin_nested():
            conn.execute(insert(district_events).values(
                district=e.project, seq=e.seq, type=e.type, effective=e.effective, recorded=e.recorded,
                actor=e.actor, data=stored_data(e.data),
                prev_hash=e.prev_hash, hash=e.hash))
    except IntegrityError:
        raise Conflict(f"district {e.project} changed under this command: its event {e.seq} was recorded by "
                       "another writer first; try again") from None


Contribution = tuple[str, str, str, list[dict[str, Any]]]


def district_contributions(conn: Connection, name: str) -> list[Contribution]:
    """(project, rulebook, version, the district duties it gives rise to) of every project of `name`."""
    return every_contribution(conn, name).get(name, [])


def every_contribution(conn: Connection, only: str | None = None) -> dict[str, list[Contribution]]:
    """`district_contributions` of every district (or of `only`), in one scan of the projects.

    On SQLite the database takes the district duties out of each snapshot (json_extract, in C)
    rather than the whole snapshot being parsed here; a snapshot that is not JSON gives none (its
    project fails its own proof, and its district is not judged on it)."""
    if conn.dialect.name == "sqlite":
        duties = "CASE WHEN json_valid(snapshot) THEN json_extract(snapshot, '$.district_duties') END"
    else:
        duties = "snapshot"
    sql = (f"SELECT district, id, rulebook, rulebook_version, {duties} FROM projects"
           + (" WHERE district = ?" if only is not None else "") + " ORDER BY district, id")
    if conn.dialect.paramstyle != "qmark":
        sql = sql.replace("?", "%s")
    out: dict[str, list[Contribution]] = {}
    sqlite = conn.dialect.name == "sqlite"
    for district, pid, book, version, text in conn.exec_driver_sql(sql, (only,) if only is not None else ()):
        try:
            found = json.loads(text) if sqlite else json.loads(text).get("district_duties")
        except (TypeError, ValueError, AttributeError):
            found = None
        out.setdefault(district, []).append((pid, book, version, found if isinstance(found, list) else []))
    return out


def every_district_log(conn: Connection) -> dict[str, list[Event]]:
    """`load_district_events` of every district, in one scan."""
    out: dict[str, list[Event]] = {}
    for r in conn.execute(select(district_events).order_by(district_events.c.district, district_events.c.seq)):
        out.setdefault(r.district, []).append(_district_event(r))
    return out


def every_district_projection(conn: Connection) -> tuple[dict[str, Any], dict[str, dict[str, dict[str, Any]]]]:
    """(`load_district` of every district, `stored_district_rows` of every district), in two scans."""
    snaps = {r.name: json.loads(r.snapshot) for r in conn.execute(select(districts.c.name, districts.c.snapshot))}
    rows: dict[str, dict[str, dict[str, Any]]] = {}
    for r in conn.execute(select(district_obligations.c.district, *(district_obligations.c[k] for k in _ROW))):
        rows.setdefault(r.district, {})[r.id] = _district_row(r)
    return snaps, rows


def district_names(conn: Connection) -> list[str]:
    """Every district with a projection, a log, or a project."""
    names = {r[0] for r in conn.execute(select(districts.c.name))}
    names |= {r[0] for r in conn.execute(select(district_events.c.district).distinct())}
    names |= {r[0] for r in conn.execute(select(projects.c.district).distinct())}
    return sorted(names)


def load_district(conn: Connection, name: str) -> dict[str, Any] | None:
    row = conn.execute(select(districts.c.snapshot).where(districts.c.name == name)).first()
    return json.loads(row.snapshot) if row else None


def stored_district_rows(conn: Connection, name: str) -> dict[str, dict[str, Any]]:
    rows = conn.execute(select(*(district_obligations.c[k] for k in _ROW)).where(district_obligations.c.district == name))
    return {r.id: _district_row(r) for r in rows}


def _district_row(r: Any) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, date) else (bool(v) if k == "provisional" else v))
            for k, v in ((k, r._mapping[k]) for k in _ROW)}


def lock_district(conn: Connection, name: str) -> None:
    """Take the district's row (creating it) for this transaction: two writers refreshing one district
    take turns, the second folding what the first committed."""
    touch = update(districts).where(districts.c.name == name).values(head_seq=districts.c.head_seq)
    if conn.execute(touch).rowcount:
        return
    try:
        with conn.begin_nested():
            conn.execute(insert(districts).values(name=name, head_seq=0, snapshot="{}"))
    except IntegrityError:   # another writer created it first: wait for its row
        conn.execute(touch)


def save_district(conn: Connection, snap: dict[str, Any]) -> None:
    """Store a district's projection: its snapshot row and its duties rows (replaced whole)."""
    name = snap["district"]
    text = json.dumps(snap, ensure_ascii=False, sort_keys=True)
    if conn.execute(update(districts).where(districts.c.name == name)
                    .values(head_seq=snap["head_seq"], snapshot=text)).rowcount == 0:
        conn.execute(insert(districts).values(name=name, head_seq=snap["head_seq"], snapshot=text))
    conn.execute(delete(district_obligations).where(district_obligations.c.district == name))
    rows = [dict(district=name, **{k: o[k] for k in _ROW}) for o in snap["obligations"]]
    for row in rows:
        row["due"] = date.fromisoformat(row["due"])
        row["met_on"] = date.fromisoformat(row["met_on"]) if row["met_on"] else None
    if rows:
        conn.execute(insert(district_obligations), rows)


def district_rows(snap: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The rows `save_district` stores for a snapshot, as `stored_district_rows` reads them back."""
    return {o["id"]: {k: o[k] for k in _ROW} for o in snap["obligations"]}
