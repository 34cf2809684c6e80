"""更正通知: when a due date that a letter named has moved, the sweep tells the holder.

A letter (reminder, overdue or escalation) named the due date as it stood; new holiday data
or a changed rulebook may since have moved it (`recompute` records the move as a
`reschedule` event). The sweep then makes one correction per moved duty whose letters named
an older date, to the duty's holder, naming the old and the new date. The unique index
`uq_notice_obligation_stage` keeps it to one correction per duty.
"""
from __future__ import annotations

from datetime import date, datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import and_, exists, func, select
from sqlalchemy.engine import Connection

from lifecycle.core import rulebook as rulebooks
from lifecycle.core.calendar import WorkCalendar
from lifecycle.notifications.contacts import Directory
from lifecycle.notifications.ladder import Ladder
from lifecycle.store import contractors, notices, obligations, projects, stations

STAGE = "correction"
NAMED = ("reminder", "overdue", "escalation")


def _moved(conn: Connection) -> list[Any]:
    """Open duties whose latest letter named a date other than the one now due, not yet corrected."""
    o, p, n = obligations, projects, notices
    latest = (select(n.c.project_id, n.c.obligation_id, func.max(n.c.id).label("last"))
              .where(n.c.stage.in_(NAMED)).group_by(n.c.project_id, n.c.obligation_id).subquery())
    named = n.alias("named")
    corrected = exists().where(n.c.project_id == o.c.project_id, n.c.obligation_id == o.c.id, n.c.stage == STAGE)
    q = (select(o.c.project_id, o.c.id, o.c.kind, o.c.rule, o.c.basis, o.c.due, o.c.provisional, o.c.subject,
                o.c.district, p.c.rulebook, p.c.rulebook_version, p.c.contractor_id,
                stations.c.name.label("station_name"), contractors.c.name.label("contractor_name"),
                named.c.due.label("previous_due"))
         .select_from(o.join(latest, and_(latest.c.project_id == o.c.project_id, latest.c.obligation_id == o.c.id))
                      .join(named, named.c.id == latest.c.last)
                      .join(p, p.c.id == o.c.project_id)
                      .outerjoin(stations, stations.c.id == o.c.station_id)
                      .outerjoin(contractors, contractors.c.id == p.c.contractor_id))
         .where(o.c.status == "open", named.c.due != o.c.due, p.c.state != "closed", ~corrected)
         .order_by(o.c.project_id, o.c.id))
    return list(conn.execute(q))


def correction_drafts(conn: Connection, as_of: date, cal: WorkCalendar, directory: Directory, lang: str,
                      now: datetime) -> list[dict[str, Any]]:
    """The corrections a sweep on `as_of` makes, as outbox rows (composed like every other notice)."""
    from lifecycle.services.sweep import _draft
    drafts = []
    for r in _moved(conn):
        book = rulebooks.load(r.rulebook, r.rulebook_version)
        ladder = Ladder.from_settings(book.settings)
        row = SimpleNamespace(**r._mapping, stage=STAGE)
        drafts.append(_draft(row, ladder, ladder.bounds(as_of, cal), cal, directory, lang, now))
    return drafts
