"""Reference data: stations and contractors added, imported and listed; the list of projects."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from lifecycle.core.creditcode import problem as credit_code_problem
from lifecycle.core.errors import BadInput, said
from lifecycle.core.values import parse_whole
from lifecycle.files import read_table
from lifecycle.core.limits import id_problem, name_problem, shown_id
from lifecycle.store import Store, contractors, projects, stations

STATION_KINDS = ("street", "town", "general")
_KIND_ZH = {"街道": "street", "镇": "town", "乡": "town", "总站": "general"}


def station_row(raw: dict[str, Any], where: str) -> dict[str, Any]:
    row = {k: (str(v).strip() if v is not None else "") for k, v in raw.items()}
    for col in ("id", "name", "district"):
        if not row.get(col):
            raise BadInput(said("{where}, column {col}: empty", where=where, col=col))
    why = id_problem(row["id"])
    if why:
        raise BadInput(said("{where}, column id: the id {why}", where=where, why=why))
    for col in ("name", "district", "kind", "villages"):
        why = name_problem(row.get(col, ""), 100 if col == "district" else 200)
        if why:
            raise BadInput(said("{where}, column {col}: the value {why}", where=where, col=col, why=why))
    kind = _KIND_ZH.get(row.get("kind", ""), row.get("kind", "") or "street")
    if kind not in STATION_KINDS:
        raise BadInput(said("{where}, column kind: {row!r} is not street, town or general",
                where=where, row=row['kind']))
    villages = row.get("villages", "") or "0"
    try:
        n = parse_whole(villages)
    except ValueError:
        raise BadInput(said("{where}, column villages: {villages!r} is not a whole number",
                where=where, villages=villages)) from None
    if not 0 <= n <= 100_000:
        raise BadInput(said("{where}, column villages: {n} is not between 0 and 100000", where=where, n=n))
    return {"id": row["id"], "name": row["name"], "district": row["district"], "kind": kind, "villages": n}


def add_station(store: Store, station_id: str, name: str, district: str, kind: str, villages: int) -> dict[str, Any]:
    store.require()
    row = station_row({"id": station_id, "name": name, "district": district, "kind": kind,
                        "villages": str(villages)}, said("station {shown_id}", shown_id=shown_id(station_id)))
    with store.transaction() as conn:
        if conn.execute(select(stations.c.id).where(stations.c.id == station_id)).first():
            raise BadInput(said("station {station_id} already exists", station_id=station_id))
        conn.execute(insert(stations).values(**row))
    return row


STATION_HEADERS_ZH = {"站点编号": "id", "编号": "id", "站点名称": "name", "名称": "name", "社工站": "name",
                      "区县": "district", "类型": "kind", "村居数": "villages"}


def _read_stations(path: Path) -> list[tuple[int, dict[str, Any]]]:
    table = read_table(path)
    if not table.rows:
        raise BadInput(said("{name} is empty: it needs a header row id,name,district[,kind][,villages]",
                name=path.name))
    header = [STATION_HEADERS_ZH.get(c.strip(), c.strip()) for c in table.header()]
    missing = [c for c in ("id", "name", "district") if c not in header]
    if missing:
        raise BadInput(said("{name} lacks the column(s) {names}", name=path.name, names=', '.join(missing)))
    return [(n, dict(zip(header, r))) for n, r in table.records()]


def import_stations(store: Store, path: Path) -> int:
    """All-or-nothing: one bad row and nothing is imported."""
    store.require()
    rows = []
    seen: dict[str, int] = {}
    for n, raw in _read_stations(path):
        row = station_row(raw, said("{name} row {n}", name=path.name, n=n))
        if row["id"] in seen:
            raise BadInput(said("{name} row {n}, column id: {row} repeats row {seen}",
                    name=path.name, n=n, row=row['id'], seen=seen[row['id']]))
        seen[row["id"]] = n
        rows.append(row)
    if not rows:
        raise BadInput(said("{name} has a header but no stations", name=path.name))
    with store.transaction() as conn:
        existing = {r.id for r in conn.execute(select(stations.c.id))}
        for row in rows:
            if row["id"] in existing:
                raise BadInput(said("{name} row {seen}, column id: station {row} already exists",
                        name=path.name, seen=seen[row['id']], row=row['id']))
        for start in range(0, len(rows), 5000):
            conn.execute(insert(stations), rows[start:start + 5000])
    return len(rows)


def contractor_value(contractor_id: str, key: str, value: str | None) -> str | None:
    """One field of a contractor as `contractor add` and `contractor update` both take it: the name
    (at most 200 characters, not empty), the credit code (GB 32100-2015) or the district (at most 100)."""
    if key == "district":
        why = name_problem(value or "", 100)
        if why:
            raise BadInput(said("contractor {contractor_id}: --district {why}",
                    contractor_id=contractor_id, why=why))
        return value
    if key == "name":
        why = name_problem(value or "", 200)
        if why:
            raise BadInput(said("contractor {contractor_id}: --name {why}", contractor_id=contractor_id, why=why))
        if not (value or "").strip():
            raise BadInput(said("contractor {contractor_id}: --name is empty", contractor_id=contractor_id))
        return (value or "").strip()
    if key == "credit_code" and value is not None:
        code = value.strip().upper()
        why = credit_code_problem(code)
        if why:
            raise BadInput(said("contractor {contractor_id}: credit code {code} {why}",
                    contractor_id=contractor_id, code=code, why=why))
        return code
    return value


def add_contractor(store: Store, contractor_id: str, name: str, credit_code: str | None,
                   district: str | None) -> dict[str, Any]:
    why = id_problem(contractor_id)
    if why:
        raise BadInput(said("contractor {shown_id}: the id {why}", shown_id=shown_id(contractor_id), why=why))
    district = contractor_value(contractor_id, "district", district)
    store.require()
    name = contractor_value(contractor_id, "name", name) or ""
    credit_code = contractor_value(contractor_id, "credit_code", credit_code)
    row = {"id": contractor_id, "name": name, "credit_code": credit_code, "district": district}
    with store.transaction() as conn:
        if conn.execute(select(contractors.c.id).where(contractors.c.id == contractor_id)).first():
            raise BadInput(said("contractor {contractor_id} already exists", contractor_id=contractor_id))
        try:
            with conn.begin_nested():
                conn.execute(insert(contractors).values(**row))
        except IntegrityError:
            raise BadInput(said("contractor {contractor_id}: credit code {credit_code} belongs to another contractor",
                    contractor_id=contractor_id, credit_code=credit_code)) from None
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
