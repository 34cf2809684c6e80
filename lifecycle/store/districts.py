"""The districts' side of the store: each district's log, its projection and its duties rows.

As for projects, the log (`district_events`) is the truth, appended and read,
never updated; `districts` and `district_obligations` are its projection,
rebuilt from the log and the district's projects (`lifecycle.core.district`).
"""
from __future__ import annotations

import json
from datetime import date
from typing import Any, Mapping

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from lifecycle.core.errors import Conflict, said
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
        raise Conflict(said("district {project} changed under this command: its event {seq} was recorded by another writer first; try again",
                project=e.project, seq=e.seq)) from None


Contribution = tuple[str, str, str, list[dict[str, Any]]]


def district_contributions(conn: Connection, name: str, snapshots: Mapping[str, dict[str, Any]] | None = None
                           ) -> list[Contribution]:
    """(project, rulebook, version, the district duties it gives rise to) of every project of `name`;
    for a province (a rulebook's `province` setting, FJ-cadence), the province duties of its projects.
    `snapshots` stand in for the stored snapshots of the projects they name (`recompute --dry-run`
    folds the districts from projects refolded but not saved)."""
    def snap(r: Any) -> dict[str, Any]:
        return snapshots[r.id] if snapshots and r.id in snapshots else json.loads(r.snapshot)
    rows = conn.execute(select(projects.c.id, projects.c.rulebook, projects.c.rulebook_version, projects.c.snapshot)
                        .where(projects.c.district == name).order_by(projects.c.id))
    out = [(r.id, r.rulebook, r.rulebook_version, snap(r).get("district_duties", [])) for r in rows]
    return out + _province_contributions(conn, name, _provinces(conn), snap)


def _province_contributions(conn: Connection, name: str, provinces: dict[str, str],
                            snap: Any = lambda r: json.loads(r.snapshot)) -> list[Contribution]:
    """The province duties owed to `name` by the projects of the rulebooks whose province it is."""
    books = [book for book, province in provinces.items() if province == name]
    out: list[Contribution] = []
    if books:
        for r in conn.execute(select(projects.c.id, projects.c.rulebook, projects.c.rulebook_version,
                                     projects.c.snapshot).where(projects.c.rulebook.in_(books))
                              .order_by(projects.c.id)):
            held = snap(r)
            if held.get("province") == name:
                out.append((r.id, r.rulebook, r.rulebook_version, held.get("province_duties", [])))
    return out


def _provinces(conn: Connection) -> dict[str, str]:
    """rulebook name -> the province its projects' province duties are owed by, for the rulebooks in use."""
    from lifecycle.core import rulebook as rulebooks
    out = {}
    for name, version in conn.execute(select(projects.c.rulebook, projects.c.rulebook_version).distinct()):
        try:
            province = rulebooks.load(name, version).settings.get("province")
        except Exception:  # noqa: BLE001 - a version no longer installed owes the province nothing here
            province = None
        if province:
            out[name] = province
    return out


def every_contribution(conn: Connection, only: str | None = None) -> dict[str, list[Contribution]]:
    """`district_contributions` of every district and province (or of `only`), in one scan of the
    projects, and one more for each province.

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
    provinces = _provinces(conn)
    for province in sorted(set(provinces.values())):
        if only is None or only == province:
            def snap(r: Any) -> dict[str, Any]:
                try:
                    held = json.loads(r.snapshot)
                except (TypeError, ValueError):
                    return {}   # its project fails its own proof
                return held if isinstance(held, dict) else {}
            found_p = _province_contributions(conn, province, provinces, snap)
            if found_p:
                out.setdefault(province, []).extend(found_p)
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
    """Every district with a projection, a log, or a project; and every province its projects owe to."""
    names = {r[0] for r in conn.execute(select(districts.c.name))}
    names |= {r[0] for r in conn.execute(select(district_events.c.district).distinct())}
    names |= {r[0] for r in conn.execute(select(projects.c.district).distinct())}
    names |= set(_provinces(conn).values())
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
    t = district_obligations
    before = {r.id: (_day(r.due), _day(r.moved_from))
              for r in conn.execute(select(t.c.id, t.c.due, t.c.moved_from).where(t.c.district == name))}
    conn.execute(delete(t).where(t.c.district == name))
    rows = [dict(district=name, **{k: o[k] for k in _ROW}) for o in snap["obligations"]]
    for row in rows:
        row["due"] = date.fromisoformat(row["due"])
        row["met_on"] = date.fromisoformat(row["met_on"]) if row["met_on"] else None
        # a due date moved by this refold is kept as the sweep's corrections look for it (obligations.moved_from)
        due, moved = before.get(row["id"], (row["due"], None))
        row["moved_from"] = moved or (due if due != row["due"] else None)
    if rows:
        conn.execute(insert(district_obligations), rows)


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value


def district_rows(snap: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The rows `save_district` stores for a snapshot, as `stored_district_rows` reads them back."""
    return {o["id"]: {k: o[k] for k in _ROW} for o in snap["obligations"]}
