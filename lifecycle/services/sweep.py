"""The daily sweep: one query over the obligations projection, one notice per (obligation, stage).

The query does the work, in a short read transaction; rendering happens outside
any transaction and the inserts follow in short writing transactions, so a big
first sweep never holds other writers back. It reads only
open obligations of projects that are not closed whose due date reaches into
the reminder window (the (status, due) index), computes each one's stage on the ladder as due-date bounds, and skips
those that already have a notice of that stage (the unique index). What is
left is composed into letters and inserted with ON CONFLICT DO NOTHING, so
two sweeps at the same moment still make each notice once: the database's
unique constraint `uq_notice_obligation_stage` is the guarantee, the filter
only saves work.
"""
from __future__ import annotations

import json
from datetime import date, datetime
from functools import lru_cache
from importlib import resources
from typing import Any, Callable

from sqlalchemy import and_, case, exists, insert, or_, select
from sqlalchemy.engine import Connection

from lifecycle.core import rulebook as rulebooks
from lifecycle.core.calendar import WorkCalendar
from lifecycle.core.errors import BadInput
from lifecycle.core.names import duty_label, written_date
from lifecycle.notifications import addressing
from lifecycle.notifications.contacts import Directory, missing_address
from lifecycle.notifications.ladder import Bounds, Ladder
from lifecycle.notifications.letters import LANGUAGES, NoticeFacts, compose
from lifecycle.notifications.outbox import render_notice, utc_stamp
from lifecycle.store import Store, contractors, notices, obligations, projects, stations, sweeps
from lifecycle.wiring import calendar_for

__all__ = ["sweep", "render_notice", "last_sweep_day"]
_BATCH = 500


def sweep(store: Store, as_of: date, clock_now: datetime | Callable[[], datetime], trigger: str = "manual",
          lang: str = "zh") -> dict[str, Any]:
    """Create the notices due on `as_of`; returns `{as_of, created, notices: [...]}` as `check --json` prints it."""
    store.require()
    if lang not in LANGUAGES:
        raise BadInput(f"--lang {lang!r} is not one of {', '.join(LANGUAGES)}")
    started = _moment(clock_now)
    cal = calendar_for(store)
    found: list[tuple[Ladder, Bounds, list[Any]]] = []
    with store.reading() as conn:   # a short read: on SQLite a reader holds back writers' commits
        directory = Directory.load(conn)
        groups = _ladder_groups()
        for ladder, books in groups.items():
            bounds = ladder.bounds(as_of, cal)
            found.append((ladder, bounds, conn.execute(_candidates(bounds, books if len(groups) > 1 else None)).all()))
    # stamped after the read: every event this sweep saw was recorded before its notices
    # (what `verify` assumes when it replays the log as known at created_at)
    seen_at = _moment(clock_now)
    drafts = [_draft(r, ladder, bounds, cal, directory, lang, seen_at) for ladder, bounds, rows in found for r in rows]
    with store.reading() as conn:   # 更正通知: letters that named a due date since moved (services/corrections)
        from lifecycle.services.corrections import correction_drafts
        drafts += correction_drafts(conn, as_of, cal, directory, lang, seen_at)
    made: list[dict[str, Any]] = []
    for start in range(0, len(drafts), _BATCH):   # short writing transactions: other writers never wait long
        with store.transaction() as conn:
            made += _insert_new(conn, drafts[start:start + _BATCH])
    with store.transaction() as conn:
        conn.execute(insert(sweeps).values(as_of=as_of, started_at=utc_stamp(started),
                                           finished_at=utc_stamp(_moment(clock_now)), created=len(made), trigger=trigger))
    made.sort(key=lambda n: n["id"])
    return {"as_of": as_of.isoformat(), "created": len(made), "notices": made}


def last_sweep_day(store: Store) -> date | None:
    """The as_of of the latest recorded sweep: the daemon catches up when it is before today."""
    from sqlalchemy import func
    store.require()
    with store.reading() as conn:
        return conn.execute(select(func.max(sweeps.c.as_of))).scalar()


# -- the query -------------------------------------------------------------------
def _candidates(b: Bounds, books: list[tuple[str, str]] | None) -> Any:
    o, p = obligations, projects
    stage = case((o.c.due >= b.today, "reminder"), (o.c.due >= b.escalate_before, "overdue"),
                 else_="escalation").label("stage")
    already = exists().where(notices.c.project_id == o.c.project_id, notices.c.obligation_id == o.c.id,
                             notices.c.stage == stage)
    q = (select(o.c.project_id, o.c.id, o.c.kind, o.c.rule, o.c.basis, o.c.due, o.c.provisional, o.c.subject,
                o.c.district, p.c.rulebook, p.c.rulebook_version, p.c.contractor_id,
                stations.c.name.label("station_name"), contractors.c.name.label("contractor_name"), stage)
         .select_from(o.join(p, p.c.id == o.c.project_id)
                      .outerjoin(stations, stations.c.id == o.c.station_id)
                      .outerjoin(contractors, contractors.c.id == p.c.contractor_id))
         .where(o.c.status == "open", o.c.due <= b.reminder_to, p.c.state != "closed", ~already)
         .order_by(o.c.project_id, o.c.due, o.c.id))
    if books is not None:
        q = q.where(or_(*[and_(p.c.rulebook == n, p.c.rulebook_version == v) for n, v in books]))
    return q


@lru_cache(maxsize=1)
def _ladder_groups() -> dict[Ladder, list[tuple[str, str]]]:
    """Every installed rulebook version, grouped by its ladder settings (usually a single group)."""
    groups: dict[Ladder, list[tuple[str, str]]] = {}
    for name, version in _installed_versions():
        book = rulebooks.load(name, version)
        groups.setdefault(Ladder.from_settings(book.settings), []).append((book.name, book.version))
    return groups


def _installed_versions() -> list[tuple[str, str | None]]:
    found: list[tuple[str, str | None]] = [(name, None) for name in rulebooks.available()]
    archive = resources.files("lifecycle.rulebooks") / "archive"
    if archive.is_dir():
        found += [tuple(p.name[:-5].split("@", 1)) for p in archive.iterdir()  # type: ignore[misc]
                  if p.name.endswith(".toml") and "@" in p.name]
    return found


# -- composing one notice ----------------------------------------------------------
def _draft(r: Any, ladder: Ladder, b: Bounds, cal: WorkCalendar, directory: Directory, lang: str,
           now: datetime) -> dict[str, Any]:
    book = rulebooks.load(r.rulebook, r.rulebook_version)
    holder = addressing.holder_of(r.kind, r.contractor_id is not None)
    to_role, cc_roles = addressing.ADDRESSEES[r.stage]
    to_role = holder if to_role == "holder" else to_role
    institutions = {
        "purchaser": addressing.purchaser_name(r.district, lang),
        "city": addressing.city_bureau(book, lang),
        "street": addressing.street_office(r.station_name or r.district, lang),
        "contractor": r.contractor_name or r.contractor_id or ("承接机构" if lang == "zh" else "the contractor"),
    }
    addressee = institutions[holder]
    cure = int(book.settings.get("cure_working_days", addressing.CURE_WORKING_DAYS))
    rule = book.rule(r.rule)
    facts = NoticeFacts(
        stage=r.stage, project=r.project_id, station_name=r.station_name or r.district, district=r.district,
        contractor_name=r.contractor_name or ("尚未确定" if lang == "zh" else "not yet chosen"),
        obligation_id=r.id, kind=r.kind, duty=duty_label(r.kind, r.id, r.subject, lang),
        due=written_date(r.due, lang), provisional=bool(r.provisional),
        days_overdue=max(0, (b.today - r.due).days), working_days_overdue=cal.working_days_between(r.due, b.today),
        working_days_left=cal.working_days_between(b.today, r.due),
        escalation_working_days=ladder.escalation_working_days, rule_id=r.rule, basis=r.basis,
        citation=_citation(book, rule, lang) if rule else r.basis,
        rule_summary=(rule.summary if lang == "zh" else rule.summary_en) if rule else r.basis,
        addressee=addressee, purchaser=institutions["purchaser"], city=institutions["city"],
        issuer=institutions[addressing.ISSUER[(r.stage, holder)]], issued_on=written_date(b.today, lang),
        act_by=written_date(r.due if r.stage in ("reminder", "correction") else cal.add_working_days(b.today, cure).date, lang),
        cc_names=tuple(institutions[c] for c in cc_roles if institutions[c] != addressee),
        previous_due=written_date(_as_date(r.previous_due), lang) if getattr(r, "previous_due", None) else "",
    )
    letter = compose(facts, lang)
    to = directory.find(to_role, r.district, r.contractor_id)
    copies = [{"role": c, "name": (found.name if found else None), "email": (found.email if found else None)}
              for c in cc_roles if c != to_role for found in [directory.find(c, r.district, r.contractor_id)]]
    return dict(
        project_id=r.project_id, obligation_id=r.id, stage=r.stage, recipient=to_role,
        recipient_name=to.name if to else None, email=to.email if to else None,
        cc=json.dumps(copies, ensure_ascii=False), language=lang, subject=letter.subject, body_text=letter.text,
        body_html=letter.html, due=r.due, as_of=b.today, created_at=utc_stamp(now), status="pending", attempts=0,
        last_error=None if to else missing_address(to_role, r.district, r.contractor_id),
    )


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _citation(book: rulebooks.Rulebook, rule: rulebooks.Rule, lang: str) -> str:
    # A local rule's source is its rulebook's short name (济南): cite the document itself.
    local = rule.source == book.short and book.extends is not None
    source = (book.title if lang == "zh" else book.title_en) if local else rule.source
    return addressing.cite_clause(source, rule.clause, lang)


def _insert_new(conn: Connection, drafts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Insert, letting the unique constraint drop what another sweep made first; returns what this one made."""
    if not drafts:
        return []
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    # one statement, compiled once and cached, run for every row ("insertmanyvalues" batches it):
    # RETURNING yields only the rows this sweep inserted
    stmt = (dialect_insert(notices)
            .on_conflict_do_nothing(index_elements=["project_id", "obligation_id", "stage"])
            .returning(notices.c.id, notices.c.project_id, notices.c.obligation_id, notices.c.stage,
                       notices.c.recipient, notices.c.subject))
    return [{"id": r.id, "project": r.project_id, "obligation": r.obligation_id, "stage": r.stage,
             "recipient": r.recipient, "subject": r.subject} for r in conn.execute(stmt, drafts)]


def _moment(clock_now: datetime | Callable[[], datetime]) -> datetime:
    return clock_now() if callable(clock_now) else clock_now


