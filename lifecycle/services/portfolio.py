"""The portfolio of a district on one date: what `summary` prints and `dashboard` draws.

Read in one transaction (`figures` takes the connection): per district, coverage
(stations with a contractor in service ÷ stations; FJ-built where the rulebook
defines it), projects by state, a traffic light per station (red: something
overdue; amber: something due within 5 working days; green), overdue duties by
contractor, money (budget, contracted, paid) and the next 30 working days.
"Overdue" is `status_on`'s, as everywhere; a duty met after the date asked was
still owed on it (as in `deadlines --as-of`).
"""
from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.engine import Connection

from lifecycle.core.coverage import built_status
from lifecycle.core.calendar import WorkCalendar
from lifecycle.core.errors import BadInput, said
from lifecycle.core.obligations import status_on
from lifecycle.core.rulebook import load as load_rulebook
from lifecycle.core.states import State
from lifecycle.store import Store, contractors, obligations, projects, stations
from lifecycle.wiring import calendar_for

AMBER_WORKING_DAYS = 5    # the amber: something due within 5 working days
CALENDAR_WORKING_DAYS = 30
NO_CONTRACTOR = ""


def portfolio(store: Store, as_of: date, district: str | None = None) -> dict[str, Any]:
    store.require()
    cal = calendar_for(store)
    with store.reading() as conn:
        return figures(conn, cal, as_of, district)


def figures(conn: Connection, cal: WorkCalendar, as_of: date, district: str | None) -> dict[str, Any]:
    station_rows = [dict(r._mapping) for r in conn.execute(select(stations).order_by(stations.c.district, stations.c.id))]
    firms = {r.id: r.name for r in conn.execute(select(contractors.c.id, contractors.c.name))}
    project_rows = conn.execute(select(projects.c.id, projects.c.station_id, projects.c.district, projects.c.rulebook,
                                      projects.c.rulebook_version, projects.c.state, projects.c.contractor_id,
                                      projects.c.term_end, projects.c.snapshot).order_by(projects.c.id)).all()
    owed = or_(obligations.c.status == "open", and_(obligations.c.status == "met", obligations.c.met_on > as_of))
    duty_rows = conn.execute(select(obligations.c.project_id, obligations.c.id, obligations.c.kind,
                                    obligations.c.due, obligations.c.basis, obligations.c.provisional,
                                    obligations.c.subject, obligations.c.station_id, obligations.c.district)
                             .where(owed).order_by(obligations.c.due, obligations.c.project_id, obligations.c.id)).all()
    names = sorted({s["district"] for s in station_rows} | {p.district for p in project_rows})
    if district is not None and district not in names:
        raise BadInput(said("unknown district {district!r}; known: {value}",
                district=district, value=', '.join(names) or 'none yet'))
    soon = cal.add_working_days(as_of, AMBER_WORKING_DAYS).date
    window_end = cal.add_working_days(as_of, CALENDAR_WORKING_DAYS).date
    out = [_district(name, station_rows, project_rows, duty_rows, firms, cal, as_of, soon, window_end)
           for name in names if district in (None, name)]
    return {"as_of": as_of.isoformat(), "amber_until": soon.isoformat(), "window_end": window_end.isoformat(),
            "districts": out, "totals": _totals(out)}


def _district(name: str, station_rows: list[dict[str, Any]], project_rows: list[Any], duty_rows: list[Any],
              firms: dict[str, str], cal: WorkCalendar, as_of: date, soon: date, window_end: date) -> dict[str, Any]:
    here = [p for p in project_rows if p.district == name]
    snaps = {p.id: json.loads(p.snapshot) for p in here}
    by_station: dict[str, list[Any]] = {}
    for p in here:
        by_station.setdefault(p.station_id, []).append(p)
    here_by_id = {p.id: p for p in here}
    duties = [_duty(d, here_by_id, as_of) for d in duty_rows if d.district == name]
    at_station: dict[str, list[dict[str, Any]]] = {}
    of_project: dict[str, list[dict[str, Any]]] = {}
    on_day: dict[str, list[dict[str, Any]]] = {}
    for d in duties:
        at_station.setdefault(d["station"], []).append(d)
        of_project.setdefault(d["project"], []).append(d)
        if d["status"] != "overdue":
            on_day.setdefault(d["due"], []).append(d)
    station_list = []
    for s in (s for s in station_rows if s["district"] == name):
        mine = at_station.get(s["id"], [])
        overdue = [d for d in mine if d["status"] == "overdue"]
        due_soon = [d for d in mine if d["status"] != "overdue" and d["due"] <= soon.isoformat()]
        projs = by_station.get(s["id"], [])
        light = "red" if overdue else "amber" if due_soon else "green" if projs else "none"
        station_list.append({"station": s["id"], "name": s["name"], "kind": s["kind"], "light": light,
                             "overdue": len(overdue), "due_soon": len(due_soon),
                             "in_service": any(p.state == State.in_service.value for p in projs),
                             "projects": [p.id for p in projs]})
    covered = [s for s in station_list if s["in_service"]]
    built = _built(here, snaps)
    states = {st.value: sum(1 for p in here if p.state == st.value) for st in State}
    late = [d for d in duties if d["status"] == "overdue"]
    by_firm: dict[str, list[dict[str, Any]]] = {}
    for d in late:
        by_firm.setdefault(d["contractor"] or NO_CONTRACTOR, []).append(d)
    overdue_by_contractor = sorted(
        ({"contractor": cid or None, "name": firms.get(cid, cid) if cid else None, "overdue": len(ds), "duties": ds}
         for cid, ds in by_firm.items()), key=lambda r: (-r["overdue"], r["contractor"] or "~"))
    money_rows = [_money(p, snaps[p.id], firms) for p in here]
    money = {k: round(sum(r[k] or 0 for r in money_rows), 2) for k in ("budget", "contracted", "paid")}
    days = []
    d = as_of
    while d <= window_end:
        due_today = on_day.get(d.isoformat(), [])
        days.append({"date": d.isoformat(), "working": cal.is_working_day(d), "holiday": cal.holiday_of(d),
                     "duties": due_today})
        d += timedelta(days=1)
    return {
        "district": name,
        "coverage": {"stations": len(station_list), "in_service": len(covered),
                     "ratio": round(len(covered) / len(station_list), 4) if station_list else None,
                     "covered": [s["station"] for s in covered], "built": built},
        "states": states, "projects": [_project(p, snaps[p.id], of_project.get(p.id, []), firms) for p in here],
        "stations": station_list,
        "lights": {light: sum(1 for s in station_list if s["light"] == light) for light in ("red", "amber", "green", "none")},
        "overdue": late, "overdue_by_contractor": overdue_by_contractor,
        "money": money, "money_rows": money_rows, "calendar": days,
    }


def _duty(d: Any, here: dict[str, Any], as_of: date) -> dict[str, Any]:
    p = here.get(d.project_id)
    return {"project": d.project_id, "obligation": d.id, "kind": d.kind, "due": d.due.isoformat(),
            "status": status_on("open", d.due, as_of), "days_overdue": max(0, (as_of - d.due).days),
            "basis": d.basis, "provisional": bool(d.provisional), "subject": d.subject, "station": d.station_id,
            "contractor": p.contractor_id if p is not None else None}


def _project(p: Any, snap: dict[str, Any], mine: list[dict[str, Any]], firms: dict[str, str]) -> dict[str, Any]:
    upcoming = [d for d in mine if d["status"] != "overdue"]
    return {"project": p.id, "station": p.station_id, "station_name": snap.get("station_name", ""),
            "state": p.state, "rulebook": p.rulebook, "contractor": p.contractor_id,
            "contractor_name": firms.get(p.contractor_id, p.contractor_id) if p.contractor_id else None,
            "term_end": p.term_end.isoformat() if p.term_end else None,
            "overdue": sum(1 for d in mine if d["status"] == "overdue"),
            "next_due": upcoming[0]["due"] if upcoming else None,
            "next_duty": upcoming[0]["obligation"] if upcoming else None}


def _money(p: Any, snap: dict[str, Any], firms: dict[str, str]) -> dict[str, Any]:
    paid = sum(float(x.get("amount") or 0) for x in snap.get("payments", ()))
    amount = snap.get("amount")
    return {"project": p.id, "station": p.station_id, "contractor": p.contractor_id, "state": p.state,
            "budget": float(snap["budget"]) if snap.get("budget") is not None else None,
            "contracted": float(amount) if amount is not None else None, "paid": round(paid, 2)}


def _built(here: list[Any], snaps: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    """FJ-built (福建 引言): a station counts as built when it has premises, staff and services
    (有场地、有人员、有服务). Where a rulebook defines it: a station whose project has premises
    recorded, staff in post and a first service recorded (`lifecycle.core.coverage`)."""
    books = {(p.rulebook, p.rulebook_version) for p in here}
    defining = {b for b in books if load_rulebook(*b).checks("built")}
    if not defining:
        return None
    built = sorted({p.station_id for p in here if (p.rulebook, p.rulebook_version) in defining
                    and built_status(snaps[p.id])["built"]})
    return {"stations": built, "count": len(built), "rule": "FJ-built"}


def _totals(districts: list[dict[str, Any]]) -> dict[str, Any]:
    stations_n = sum(d["coverage"]["stations"] for d in districts)
    covered = sum(d["coverage"]["in_service"] for d in districts)
    return {"districts": len(districts), "stations": stations_n, "in_service": covered,
            "ratio": round(covered / stations_n, 4) if stations_n else None,
            "projects": sum(len(d["projects"]) for d in districts),
            "overdue": sum(len(d["overdue"]) for d in districts),
            "red": sum(d["lights"]["red"] for d in districts),
            "money": {k: round(sum(d["money"][k] for d in districts), 2) for k in ("budget", "contracted", "paid")}}
