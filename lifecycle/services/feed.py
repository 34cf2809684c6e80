"""The open duties as an iCalendar feed (`lifecycle calendar`, `scheduler run --ics DIR`).

One all-day VEVENT per open duty: the summary in Chinese with the station, the
basis in the description, `（暂定）` where the due date is provisional. The UID
is stable per obligation (`<project>/<obligation>@lifecycle`); when a due date
moves, SEQUENCE rises by one over the file being replaced, so a phone that
subscribed updates the event rather than adding a second one.
"""
from __future__ import annotations

import os
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from lifecycle.core import rulebook as rulebooks
from lifecycle.core.errors import BadInput, said
from lifecycle.core.names import duty_label
from lifecycle.notifications import addressing
from lifecycle.store import Store, obligations, projects, stations

DOMAIN = "lifecycle"


def open_duties(store: Store, district: str | None = None, project: str | None = None,
                contractor: str | None = None) -> list[Any]:
    store.require()
    o, p = obligations, projects
    q = (select(o.c.project_id, o.c.id, o.c.kind, o.c.rule, o.c.basis, o.c.due, o.c.provisional, o.c.subject,
                o.c.district, p.c.rulebook, p.c.rulebook_version, stations.c.name.label("station_name"))
         .select_from(o.join(p, p.c.id == o.c.project_id).outerjoin(stations, stations.c.id == o.c.station_id))
         .where(o.c.status == "open", p.c.state != "closed").order_by(o.c.due, o.c.project_id, o.c.id))
    if district:
        q = q.where(o.c.district == district)
    if project:
        q = q.where(o.c.project_id == project)
    if contractor:
        q = q.where(p.c.contractor_id == contractor)
    with store.reading() as conn:
        return conn.execute(q).all()


def _previous(path: Path) -> dict[str, tuple[date, int]]:
    """UID → (due, sequence) in the feed being replaced."""
    from icalendar import Calendar
    if not path.is_file():
        return {}
    try:
        old = Calendar.from_ical(path.read_bytes())
    except ValueError:
        return {}
    return {str(e["UID"]): (e.decoded("DTSTART"), int(e.get("SEQUENCE", 0))) for e in old.walk("VEVENT")}


def build_feed(rows: list[Any], now: datetime, previous: dict[str, tuple[date, int]]) -> bytes:
    from icalendar import Calendar, Event
    cal = Calendar()
    cal.add("prodid", "-//lifecycle//社工站项目//ZH")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "社工站项目事项")
    for r in rows:
        book = rulebooks.load(r.rulebook, r.rulebook_version)
        rule = book.rule(r.rule)
        station = r.station_name or r.district
        uid = f"{r.project_id}/{r.id}@{DOMAIN}"
        before = previous.get(uid)
        sequence = before[1] + (1 if before[0] != r.due else 0) if before else 0
        event = Event()
        event.add("uid", uid)
        event.add("sequence", sequence)
        event.add("dtstamp", now)
        event.add("dtstart", r.due)
        event.add("dtend", r.due + timedelta(days=1))
        event.add("summary", f"{station}：{duty_label(r.kind, r.id, r.subject, 'zh')}到期"
                             + ("（暂定）" if r.provisional else ""))
        basis = (f"依据{addressing.citation(book, rule, 'zh')}（要点：{rule.summary}）" if rule else r.basis)
        event.add("description", f"项目编号：{r.project_id}\n{basis}")
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return cal.to_ical()


def write_feed(store: Store, out: str | os.PathLike[str], now: datetime, district: str | None = None,
               project: str | None = None, contractor: str | None = None) -> int:
    path = Path(out)
    if path.is_dir():
        raise BadInput(said("calendar: --out {out} is a directory, not a file", out=out))
    rows = open_duties(store, district, project, contractor)
    data = build_feed(rows, now, _previous(path))
    partial = path.with_name(f".{path.name}.partial")
    partial.write_bytes(data)
    os.replace(partial, path)
    return len(rows)
