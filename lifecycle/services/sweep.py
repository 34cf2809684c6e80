"""The daily sweep: one query per source of duties, one notice per (obligation, stage), one letter per reader.

The query does the work, in a short read transaction; drafting happens
outside any transaction and the inserts follow in one short writing
transaction per letter (`lifecycle.services.mailing`), so a big first sweep
never holds other writers back. A source reads only open obligations whose
due date reaches into the reminder window (the (status, due) index),
computes each one's stage on the ladder as due-date bounds, and skips those
that already have a notice of that stage (the unique index). What is left is
inserted with ON CONFLICT DO NOTHING, so two sweeps at the same moment still
make each notice once: the database's unique constraint
`uq_notice_obligation_stage` is the guarantee, the filter only saves work.

A duty first met past its escalation point gets its overdue notice too: the
holder is told before the city is, even when the sweep comes late.

Sources of candidate duties are listed in `SOURCES`: each is a function
(bounds, rulebook versions or None) → a SELECT with the columns of
`_project_duties`. A new source (district-level duties) is one more entry.
The third, `_moved_duties`, finds the duties whose latest letter named a due
date that a refold has since moved (the store records each move, `moved_from`,
so the sweep reads those rows, not every notice ever made): each gets one notice of stage
`correction` (更正通知, naming the old and the new date, `previous_due`), to
its holder, in the reader's letter of that sweep like any other notice.
"""
from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from importlib import resources
from typing import Any, Callable, NamedTuple

from sqlalchemy import and_, case, exists, func, insert, literal, null, or_, select

from lifecycle.core import rulebook as rulebooks
from lifecycle.core.errors import BadInput, Refused, said
from lifecycle.core.explain import stored_receipt
from lifecycle.core.obligations import Obligation
from lifecycle.core.receipt_words import sentence
from lifecycle.notifications.contacts import Directory
from lifecycle.notifications.issuers import Issuers, runner_of
from lifecycle.notifications.ladder import Bounds, Ladder
from lifecycle.notifications.letters import LANGUAGES
from lifecycle.notifications.outbox import render_notice, utc_stamp
from lifecycle.services import mailing
from lifecycle.store import (Store, contractors, district_obligations, notices, obligations, projects, stations,
                             sweeps)
from lifecycle.wiring import calendar_for

__all__ = ["sweep", "render_notice", "last_sweep_day", "SOURCES"]


def sweep(store: Store, as_of: date, clock_now: datetime | Callable[[], datetime], trigger: str = "manual",
          lang: str = "zh", dry_run: bool = False, today: date | None = None,
          keep_notices: bool = True) -> dict[str, Any]:
    """Create the notices and letters due on `as_of`; returns what `check --json` prints.

    `dry_run`: the same result, writing nothing. A date after `today` is refused
    unless it is a dry run: a sweep of the future would make real letters. `keep_notices` False: the
    result's `notices` is left empty (`created` counts them, each letter lists its notices' ids), so a
    first national sweep does not hold a row for each of its hundreds of thousands of notices."""
    store.require()
    if lang not in LANGUAGES:
        raise BadInput(said("--lang {lang!r} is not one of {names}", lang=lang, names=', '.join(LANGUAGES)))
    if today is not None and as_of > today and not dry_run:
        raise Refused(said("check: --as-of {as_of} is after today ({today}): a sweep of the future would make real letters; add --dry-run to see what it would make",
                as_of=as_of.isoformat(), today=today.isoformat()))
    started = _moment(clock_now)
    cal = calendar_for(store)
    found: list[tuple[Ladder, Bounds, list[Candidate]]] = []
    strings: dict[str, str] = {}
    with store.reading() as conn:   # a short read: on SQLite a reader holds back writers' commits
        directory, signers, runner = Directory.load(conn), Issuers.load(conn), runner_of(conn)
        ladders = _ladder_groups()
        for ladder, books in ladders.items():
            bounds = ladder.bounds(as_of, cal)
            for source in SOURCES:
                found.append((ladder, bounds, _compact(conn.execute(source(bounds, books if len(ladders) > 1
                                                                           else None)), strings)))
    # stamped after the read: every event this sweep saw was recorded before its notices
    # (what `verify` assumes when it replays the log as known at created_at)
    seen_at = _moment(clock_now)

    def explain(rows: list[Any]) -> dict[tuple[str, str], str]:
        # each duty's due date in one sentence, read a batch of letters at a time (not for every
        # candidate: a quiet sweep reads hundreds of thousands of them and makes none)
        with store.reading() as conn:
            return explanations(conn, rows, cal, lang)

    context = mailing.Context(cal, directory, signers, runner, lang, seen_at, explain=explain)
    # each notice's letter, without drafting it yet: the letters are drafted one batch at a time
    groups: dict[tuple[str, str, str], list[mailing.Plan]] = {}
    for ladder, bounds, rows in found:
        for r in rows:
            for stage in mailing.stages_of(r):
                groups.setdefault(mailing.letter_key(r, stage, context), []).append(
                    mailing.Plan(r, stage, ladder, bounds))
    del found
    made, letters, created = mailing.post(store, groups, context, dry_run, as_of, keep=keep_notices)
    if not dry_run:
        with store.transaction() as conn:
            conn.execute(insert(sweeps).values(as_of=as_of, started_at=utc_stamp(started),
                                               finished_at=utc_stamp(_moment(clock_now)), created=created,
                                               trigger=trigger))
    made.sort(key=lambda n: (n["id"] is None, n["id"] or 0, n["project"], n["obligation"]))
    result = {"as_of": as_of.isoformat(), "created": created, "notices": made, "letters": letters}
    if dry_run:
        result["dry_run"] = True
    return result


def explanations(conn: Any, rows: list[Any], cal: Any, lang: str) -> dict[tuple[str, str], str]:
    """Each candidate duty's due date in one sentence (`lifecycle explain`), in the letters' language,
    by (project, obligation): read from the projects' stored obligations rows, a chunk of projects a
    query, never by folding a log (a first sweep meets tens of thousands of projects)."""
    from lifecycle.store.projections import obligation_of_row, obligations_of
    wanted: dict[str, dict[str, date]] = {}   # the due date each candidate was found with
    for r in rows:
        wanted.setdefault(r.project_id, {})[r.id] = r.due
    ids, out = sorted(wanted), {}
    for i in range(0, len(ids), 500):
        held = obligations_of(conn, ids[i:i + 500])
        for p in conn.execute(select(projects.c.id, projects.c.rulebook, projects.c.rulebook_version)
                              .where(projects.c.id.in_(ids[i:i + 500]))):
            try:
                book = rulebooks.load(p.rulebook, p.rulebook_version)
                for oid, raw in held.get(p.id, {}).items():
                    if oid in wanted[p.id]:
                        rc = stored_receipt(p.id, Obligation.from_dict(obligation_of_row(raw)), book, cal)
                        if rc.due == wanted[p.id][oid]:   # read after the candidates: the same duty still
                            out[(p.id, oid)] = sentence(rc, lang)
            except (ValueError, KeyError, TypeError):
                continue   # a row that does not read: its letters go without the sentence
    return out


class Candidate(NamedTuple):
    """A candidate duty as the sources select it (the columns of `_project_duties`)."""
    project_id: str
    id: str
    kind: str
    rule: str
    basis: str
    due: date
    provisional: bool
    subject: str | None
    district: str
    rulebook: str
    rulebook_version: str
    contractor_id: str | None
    station_name: str | None
    contractor_name: str | None
    stage: str
    told_overdue: bool
    previous_due: date | None


def _compact(result: Any, strings: dict[str, str]) -> list[Candidate]:
    """The rows as plain tuples, each text kept once however many rows repeat it (a project's id,
    its district, station and contractor, a rule and its basis): a first national sweep reads
    hundreds of thousands of rows, and holds them until their letters are written."""
    keep = strings.setdefault
    return [Candidate._make([keep(v, v) if type(v) is str else v for v in row]) for row in result]


def last_sweep_day(store: Store) -> date | None:
    """The as_of of the latest recorded sweep: the daemon catches up when it is before today."""
    store.require()
    with store.reading() as conn:
        return conn.execute(select(func.max(sweeps.c.as_of))).scalar()


# -- the sources -------------------------------------------------------------------
def _stage(b: Bounds, table: Any = obligations) -> Any:
    """The ladder's stage of a duty of `table` (obligations, or district_obligations) on the sweep's day."""
    return case((table.c.due >= b.today, "reminder"), (table.c.due >= b.escalate_before, "overdue"),
                else_="escalation")


def _project_duties(b: Bounds, books: list[tuple[str, str]] | None) -> Any:
    """The open duties of projects not closed, in the reminder window, not yet noticed at their stage."""
    o, p = obligations, projects
    stage = _stage(b).label("stage")
    already = exists().where(notices.c.project_id == o.c.project_id, notices.c.obligation_id == o.c.id,
                             notices.c.stage == stage)
    told = exists().where(notices.c.project_id == o.c.project_id, notices.c.obligation_id == o.c.id,
                          notices.c.stage == "overdue").label("told_overdue")
    q = (select(o.c.project_id, o.c.id, o.c.kind, o.c.rule, o.c.basis, o.c.due, o.c.provisional, o.c.subject,
                o.c.district, p.c.rulebook, p.c.rulebook_version, p.c.contractor_id,
                stations.c.name.label("station_name"), contractors.c.name.label("contractor_name"), stage, told,
                null().label("previous_due"))
         .select_from(o.join(p, p.c.id == o.c.project_id)
                      .outerjoin(stations, stations.c.id == o.c.station_id)
                      .outerjoin(contractors, contractors.c.id == p.c.contractor_id))
         .where(o.c.status == "open", o.c.due <= b.reminder_to, p.c.state != "closed", ~already)
         .order_by(o.c.project_id, o.c.due, o.c.id))
    if books is not None:
        q = q.where(or_(*[and_(p.c.rulebook == n, p.c.rulebook_version == v) for n, v in books]))
    return q


def _district_duties(b: Bounds, books: list[tuple[str, str]] | None) -> Any:
    """The open duties owed by a district itself (JN-plan, JN-annual-report, DY-county-report), with the
    columns of `_project_duties`; their notices are kept under `district:NAME` in the project column."""
    o = district_obligations
    owner = literal("district:") + o.c.district
    stage = _stage(b, o).label("stage")
    already = exists().where(notices.c.project_id == owner, notices.c.obligation_id == o.c.id,
                             notices.c.stage == stage)
    told = exists().where(notices.c.project_id == owner, notices.c.obligation_id == o.c.id,
                          notices.c.stage == "overdue").label("told_overdue")
    q = (select(owner.label("project_id"), o.c.id, o.c.kind, o.c.rule, o.c.basis, o.c.due, o.c.provisional,
                null().label("subject"), o.c.district, o.c.rulebook, o.c.rulebook_version,
                null().label("contractor_id"), null().label("station_name"), null().label("contractor_name"),
                stage, told, null().label("previous_due"))
         .where(o.c.status == "open", o.c.due <= b.reminder_to, ~already)
         .order_by(o.c.district, o.c.due, o.c.id))
    if books is not None:
        q = q.where(or_(*[and_(o.c.rulebook == n, o.c.rulebook_version == v) for n, v in books]))
    return q


NAMING = ("reminder", "overdue", "escalation")   # the stages whose letters name a due date to act by


def _latest_named(owner: Any, duty: Any) -> Any:
    """The id of the latest letter's notice (reminder, overdue or escalation) of a duty: by the unique
    (project, obligation, stage) index, for the few duties that moved."""
    n = notices
    return (select(func.max(n.c.id)).where(n.c.project_id == owner, n.c.obligation_id == duty,
                                           n.c.stage.in_(NAMING)).scalar_subquery())


def _moved_duties(b: Bounds, books: list[tuple[str, str]] | None) -> Any:
    """The open duties of projects not closed whose due date a refold moved (`moved_from`, which the
    store records when it happens) and whose latest letter named a due date other than today's, not yet
    corrected: one `correction` each, whatever the window. The columns of `_project_duties`,
    `previous_due` being the date that letter named."""
    o, p, n = obligations, projects, notices
    named = n.alias("named")
    corrected = exists().where(n.c.project_id == o.c.project_id, n.c.obligation_id == o.c.id,
                               n.c.stage == "correction")
    q = (select(o.c.project_id, o.c.id, o.c.kind, o.c.rule, o.c.basis, o.c.due, o.c.provisional, o.c.subject,
                o.c.district, p.c.rulebook, p.c.rulebook_version, p.c.contractor_id,
                stations.c.name.label("station_name"), contractors.c.name.label("contractor_name"),
                literal("correction").label("stage"), literal(True).label("told_overdue"),
                named.c.due.label("previous_due"))
         .select_from(o.join(named, named.c.id == _latest_named(o.c.project_id, o.c.id))
                      .join(p, p.c.id == o.c.project_id)
                      .outerjoin(stations, stations.c.id == o.c.station_id)
                      .outerjoin(contractors, contractors.c.id == p.c.contractor_id))
         .where(o.c.moved_from.is_not(None), o.c.status == "open", named.c.due != o.c.due, p.c.state != "closed",
                ~corrected)
         .order_by(o.c.project_id, o.c.due, o.c.id))
    if books is not None:
        q = q.where(or_(*[and_(p.c.rulebook == n_, p.c.rulebook_version == v) for n_, v in books]))
    return q


def _moved_district_duties(b: Bounds, books: list[tuple[str, str]] | None) -> Any:
    """The open duties of a district (or province) whose due date a refold moved and whose latest letter
    named another date, not yet corrected: one `correction` each, kept under `district:NAME` as their
    letters are. The columns of `_project_duties`."""
    o, n = district_obligations, notices
    owner = literal("district:") + o.c.district
    named = n.alias("named")
    corrected = exists().where(n.c.project_id == owner, n.c.obligation_id == o.c.id, n.c.stage == "correction")
    q = (select(owner.label("project_id"), o.c.id, o.c.kind, o.c.rule, o.c.basis, o.c.due, o.c.provisional,
                null().label("subject"), o.c.district, o.c.rulebook, o.c.rulebook_version,
                null().label("contractor_id"), null().label("station_name"), null().label("contractor_name"),
                literal("correction").label("stage"), literal(True).label("told_overdue"),
                named.c.due.label("previous_due"))
         .select_from(o.join(named, named.c.id == _latest_named(owner, o.c.id)))
         .where(o.c.moved_from.is_not(None), o.c.status == "open", named.c.due != o.c.due, ~corrected)
         .order_by(o.c.district, o.c.due, o.c.id))
    if books is not None:
        q = q.where(or_(*[and_(o.c.rulebook == n_, o.c.rulebook_version == v) for n_, v in books]))
    return q


# Every source of candidate duties the sweep reads: the projects' duties, the districts' own, and the
# duties whose named due date has moved (their corrections), the projects' and the districts'.
SOURCES: list[Callable[[Bounds, list[tuple[str, str]] | None], Any]] = [_project_duties, _district_duties,
                                                                        _moved_duties, _moved_district_duties]


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


def _moment(clock_now: datetime | Callable[[], datetime]) -> datetime:
    return clock_now() if callable(clock_now) else clock_now
