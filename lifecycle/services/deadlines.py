"""The cross-project deadline list: every duty still owed on a date, most urgent first; the
districts' own duties are listed once each, with no project."""
from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import and_, or_, select

from lifecycle.core.obligations import status_on
from lifecycle.store import Store, obligations, projects


def deadlines(store: Store, as_of: date, overdue_only: bool, district: str | None) -> list[dict[str, Any]]:
    """Obligations still owed on `as_of` across projects, most urgent first.

    Owed on a past date means open now, or met only after that date: an auditor
    asking `--as-of 2026-06-30` sees the duties that were outstanding then.
    """
    store.require()
    owed = or_(obligations.c.status == "open",
               and_(obligations.c.status == "met", obligations.c.met_on > as_of))
    q = select(obligations, projects.c.state).join(projects, projects.c.id == obligations.c.project_id).where(owed)
    if overdue_only:
        q = q.where(obligations.c.due < as_of)
    if district:
        q = q.where(obligations.c.district == district)
    q = q.order_by(obligations.c.due, obligations.c.project_id, obligations.c.id)
    from lifecycle.services.districts import deadline_rows
    with store.reading() as conn:
        rows = conn.execute(q).all()
        owed_by_districts = deadline_rows(conn, as_of, overdue_only, district)
    listed = [{"project": r.project_id, "station": r.station_id, "district": r.district, "obligation": r.id,
             "kind": r.kind, "due": r.due.isoformat(), "days_overdue": max(0, (as_of - r.due).days),
             "status": status_on("open", r.due, as_of), "basis": r.basis, "provisional": r.provisional,
             "subject": r.subject, "state": r.state} for r in rows]
    # the district's own duties (JN-plan, JN-annual-report, DY-county-report), once each, with no project
    return sorted(listed + owed_by_districts, key=lambda r: (r["due"], r["project"] or "", r["obligation"]))
