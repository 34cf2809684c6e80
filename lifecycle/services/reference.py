"""Reference data: stations and contractors added, imported and listed; the list of projects."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from lifecycle.core.creditcode import problem as credit_code_problem
from lifecycle.core.errors import BadInput
from lifecycle.core.values import parse_whole
from lifecycle.files import read_table
from lifecycle.store import Store, contractors, projects, stations

STATION_KINDS = ("street", "town", "general")
_KIND_ZH = {"街道": "street", "镇": "town", "乡": "town", "总站": "general"}


def station_row(raw: dict[str, Any], where: str) -> dict[str, Any]:
    row = {k: (str(v).strip() if v is not None else "") for k, v in raw.items()}
    for col in ("id", "name", "district"):
        if not row.get(col):
            raise BadInput(f"{where}, column {col}: empty")
    kind = _KIND_ZH.get(row.get("kind", ""), row.get("kind", "") or "street")
    if kind not in STATION_KINDS:
        raise BadInput(f"{where}, column kind: {row['kind']!r} is not street, town or general")
    villages = row.get("villages", "") or "0"
    try:
        n = parse_whole(villages)
    except ValueError:
        raise BadInput(f"{where}, column villages: {villages!r} is not a whole number") from None
    if n < 0:
        raise BadInput(f"{where}, column villages: {n} is negative")
    return {"id": row["id"], "name": row["name"], "district": row["district"], "kind": kind, "villages": n}


def add_station(store: Store, station_id: str, name: str, district: str, kind: str, villages: int) -> dict[str, Any]:
    store.require()
    row = station_row({"id": station_id, "name": name, "district": district, "kind": kind,
                        "villages": str(villages)}, f"station {station_id}")
    with store.transaction() as conn:
        if conn.execute(select(stations.c.id).where(stations.c.id == station_id)).first():
            raise BadInput(f"station {station_id} already exists")
        conn.execute(insert(stations).values(**row))
    return row


STATION_HEADERS_ZH = {"站点编号": "id", "编号": "id", "站点名称": "name", "名称": "name", "社工站": "name",
                      "区县": "district", "类型": "kind", "村居数": "villages"}


def _read_stations(path: Path) -> list[tuple[int, dict[str, Any]]]:
    table = read_table(path)
    if not table.rows:
        raise BadInput(f"{path.name} is empty: it needs a header row id,name,district[,kind][,villages]")
    header = [STATION_HEADERS_ZH.get(c.strip(), c.strip()) for c in table.header()]
    missing = [c for c in ("id", "name", "district") if c not in header]
    if missing:
        raise BadInput(f"{path.name} lacks the column(s) {', '.join(missing)}")
    return [(n, dict(zip(header, r))) for n, r in table.records()]


def import_stations(store: Store, path: Path) -> int:
    """All-or-nothing: one bad row and nothing is imported."""
    store.require()
    rows = []
    seen: dict[str, int] = {}
    for n, raw in _read_stations(path):
        row = station_row(raw, f"{path.name} row {n}")
        if row["id"] in seen:
            raise BadInput(f"{path.name} row {n}, column id: {row['id']} repeats row {seen[row['id']]}")
        seen[row["id"]] = n
        rows.append(row)
    if not rows:
        raise BadInput(f"{path.name} has a header but no stations")
    with store.transaction() as conn:
        existing = {r.id for r in conn.execute(select(stations.c.id))}
        for row in rows:
            if row["id"] in existing:
                raise BadInput(f"{path.name} row {seen[row['id']]}, column id: station {row['id']} already exists")
        for start in range(0, len(rows), 5000):
            conn.execute(insert(stations), rows[start:start + 5000])
    return len(rows)


def add_contractor(store: Store, contractor_id: str, name: str, credit_code: str | None,
                   district: str | None) -> dict[str, Any]:
    store.require()
    if not name.strip():
        raise BadInput(f"contractor {contractor_id}: --name is empty")
    if credit_code is not None:
        credit_code = credit_code.strip().upper()
        why = credit_code_problem(credit_code)
        if why:
            raise BadInput(f"contractor {contractor_id}: credit code {credit_code} {why}")
    row = {"id": contractor_id, "name": name.strip(), "credit_code": credit_code, "district": district}
    with store.transaction() as conn:
        if conn.execute(select(contractors.c.id).where(contractors.c.id == contractor_id)).first():
            raise BadInput(f"contractor {contractor_id} already exists")
        try:
            with conn.begin_nested():
                conn.execute(insert(contractors).values(**row))
        except IntegrityError:
            raise BadInput(f"contractor {contractor_id}: credit code {credit_code} belongs to another contractor") from None
    return row


def list_stations(store: Store) -> list[dict[str, Any]]:
    store.require()
    with store.reading() as conn:
        return [dict(r._mapping) for r in conn.execute(select(stations).order_by(stations.c.id))]


def list_contractors(store: Store) -> list[dict[str, Any]]:
    store.require()
    with store.reading() as conn:
        return [dict(r._mapping) for r in conn.execute(select(contractors).order_by(contractors.c.id))]


def list_projects(store: Store) -> list[dict[str, Any]]:
    store.require()
    with store.reading() as conn:
        rows = conn.execute(select(projects.c.id, projects.c.station_id, projects.c.district, projects.c.rulebook,
                                   projects.c.state, projects.c.contractor_id, projects.c.term_end)
                            .order_by(projects.c.id))
        return [{"project": r.id, "station": r.station_id, "district": r.district, "rulebook": r.rulebook,
                 "state": r.state, "contractor": r.contractor_id,
                 "term_end": r.term_end.isoformat() if r.term_end else None} for r in rows]
