"""`lifecycle init --demo`: load the sample district through the real services.

Every station, contractor and event goes through `lifecycle.services.reference` and
`lifecycle.services.projects`, so the demo passes the same guards a program manager's
commands would; rosters are written to a temporary directory as CSV files,
as a user keeps them. The effective dates are fixed (see
`lifecycle.demo.district`); each event is recorded at a plausible moment, the
first working day after it took effect (10:00 in Shanghai), never later than
the clock passed in, so the audit reports flag what is really wrong rather
than every event as backdated.
"""
from __future__ import annotations

import tempfile
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

from lifecycle.demo.district import (CONTACTS, CONTRACTORS, ISSUERS, DY_ROSTERS, JN_ROSTERS, LAST_DEMO_DAY, PROJECTS,
                                     STATIONS, credit_code, events_of)
from lifecycle.core.calendar import WorkCalendar
from lifecycle.core.clock import Clock
from lifecycle.core.obligations import view_on
from lifecycle.core.text_table import render
from lifecycle.notifications.contacts import add_contact
from lifecycle.notifications.issuers import set_issuer
from lifecycle.notifications.outbox import render_notice
from lifecycle.services.projects import advance, open_project
from lifecycle.services.reference import add_contractor, add_station
from lifecycle.services.sweep import sweep
from lifecycle.store import Store, read_status
from lifecycle.wiring import calendar_for

HINTS = [
    "project list",
    "status LX-2025-DMH",
    "history LX-2026-QCL",
    "deadlines --overdue --district 历下区",
    "advance LX-2026-BTQ sign amount=580000 --on 2026-11-20",
    "replay LX-2025-WD --verify",
    "rules show dongying",
    "diagram",
]


def load_demo(store: Store, actor: str, clock: Clock, program: str = "lifecycle") -> str:
    """Load the sample district; returns what to show the person who asked for it, ending with
    commands to try, each written as `program` (how the person runs lifecycle) will run it."""
    # The demo's dates are fixed: a machine whose clock is behind its last day still loads it.
    run = Clock(today=max(clock.today, LAST_DEMO_DAY), now=clock.now)
    for sid, name, district, kind in STATIONS:
        add_station(store, sid, name, district, kind, 0)
    for cid, name, district, first17 in CONTRACTORS:
        add_contractor(store, cid, name, credit_code(first17), district)
    with tempfile.TemporaryDirectory(prefix="lifecycle-demo-") as tmp:
        rosters = _write_rosters(Path(tmp))
        cal, n = calendar_for(store), 0
        for pid, (station, book, year, on, budget, _events) in PROJECTS.items():
            n += 1
            open_project(store, pid, station, book, year, date.fromisoformat(on), float(budget), actor,
                         entered(run, cal, date.fromisoformat(on), n))
            for event, day, data in events_of(pid):
                raw = {k: (rosters[(book, v)] if k == "roster" else v) for k, v in data.items()}
                n += 1
                advance(store, pid, event, date.fromisoformat(day), raw, actor,
                        entered(run, cal, date.fromisoformat(day), n))
    n_events = sum(len(p[5]) + 1 for p in PROJECTS.values())
    parts = [f"demo: {len(STATIONS)} stations, {len(CONTRACTORS)} contractors, {len(PROJECTS)} projects and "
             f"{n_events} events loaded (effective up to {LAST_DEMO_DAY.isoformat()}); as of {clock.today.isoformat()}:",
             "", summary_table(store, clock.today)]
    swept = _first_sweep(store, clock)
    hints = HINTS + (["notices --status pending", "notices show 1"] if swept else [])
    parts += swept + ["", "Try next:", *[f"  {program} --db {store.url} {hint}" for hint in hints]]
    return "\n".join(parts)


def entered(run: Clock, cal: WorkCalendar, effective: date, n: int) -> Clock:
    """The clock of an event entered the first working day after it took effect, 10:00 in Shanghai
    (02:00 UTC), `n` seconds on so the log's recorded times keep its order; never after `run.now`."""
    day = cal.add_working_days(effective, 1).date
    moment = datetime.combine(day, time(2, 0), tzinfo=timezone.utc) + timedelta(seconds=n)
    return Clock(today=run.today, now=min(moment, run.now))


def _write_rosters(folder: Path) -> dict[tuple[str, str], str]:
    paths = {}
    for book, rosters in (("jinan", JN_ROSTERS), ("dongying", DY_ROSTERS)):
        for key, text in rosters.items():
            path = folder / f"{book}-roster-{key}.csv"
            path.write_text(text, encoding="utf-8")
            paths[(book, key)] = str(path)
    return paths


def summary_table(store: Store, today: date) -> str:
    """Every demo project with its state and the next duty it owes (overdue first, by due date)."""
    rows = []
    for pid in PROJECTS:
        snap = view_on(read_status(store, pid), today)
        owed = [o for o in snap["obligations"] if o["status"] in ("open", "overdue")]
        nxt = min(owed, key=lambda o: (o["due"], o["id"])) if owed else None
        overdue = sum(1 for o in owed if o["status"] == "overdue")
        rows.append([pid, snap["station_name"], snap["state"], snap.get("contractor_name"),
                     nxt["id"] if nxt else None,
                     (nxt["due"] + (" OVERDUE" if nxt["status"] == "overdue" else "")) if nxt else None,
                     overdue or ""])
    return render(["project", "station", "state", "contractor", "next duty", "due", "overdue"], rows)


def _first_sweep(store: Store, clock: Clock) -> list[str]:
    """Contacts and a first deadline sweep, with one notice shown in full."""
    for role, district, contractor, name, email in CONTACTS:
        add_contact(store, role, name, email, district=district, contractor_id=contractor)
    for district, organ, prefix, person, phone, email in ISSUERS:
        set_issuer(store, district, False, organ, prefix, person, phone, email)
    result = sweep(store, clock.today, clock.now)
    notices = list(result["notices"])
    lines = ["", f"deadline sweep as of {clock.today.isoformat()}: {result['created']} notices "
                 f"created for {len({n['project'] for n in notices})} projects, in {len(result['letters'])} letters"]
    if notices:
        lines += ["", f"notice {notices[0]['id']} in full:", render_notice(store, notices[0]["id"])]
    return lines
