"""`lifecycle project import`: a bureau's 台账 (project ledger) becomes each project's events.

One row a project. Each row's dates become that project's events in the
order of the lifecycle (plan filed, announce, award, sign, publish, file,
staff, terminate or expire, hand over), each through `open_in`/`advance_in`:
the very checks and guards `project open` and `advance` apply. The whole
file is one transaction: any problem and nothing is written. Every row is
tried (in a savepoint of its own) so that one run reports every problem.

Every imported event carries its source in its data —
`{"ledger": file name, "sha256": the file's digest, "row": n}` — so the
audit report says which row of which ledger it came from, and `history`
when it was recorded.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date as day
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from lifecycle.core import rulebook as rulebooks
from lifecycle.core.clock import Clock
from lifecycle.core.errors import BadInput, LifecycleError, Refused, said
from lifecycle.core.values import normal, parse_day, parse_number, parse_whole
from lifecycle.files import XLSX_SUFFIXES, open_workbook, read_roster_file, read_sheet, read_table
from lifecycle.services.projects import advance_in, open_in
from lifecycle.store import Store, projects, stations

# (column, Chinese header, required): the order is the lifecycle's, and the template's
COLUMNS: list[tuple[str, str, bool]] = [
    ("id", "项目编号", True), ("station", "站点编号", True), ("rulebook", "规则集", True),
    ("year", "计划年度", True), ("plan_filed", "计划备案日期", True), ("budget", "预算", False),
    ("announce", "采购公告日期", False), ("award", "中标日期", False), ("contractor", "承接机构编号", False),
    ("sign", "合同签订日期", False), ("amount", "合同金额", False), ("term_months", "服务期限月数", False),
    ("publish", "合同公告日期", False), ("file_contract", "合同备案日期", False), ("staff", "到岗日期", False),
    ("roster", "人员名册", False), ("suspend", "暂停日期", False), ("suspend_reason", "暂停原因", False),
    ("terminate", "终止日期", False), ("terminate_reason", "终止原因", False),
    ("expire", "期满日期", False), ("hand_over", "档案移交日期", False),
]
HEADER_OF = {key: zh for key, zh, _required in COLUMNS}
_KEY_OF = {**{key: key for key, _zh, _r in COLUMNS}, **{zh: key for key, zh, _r in COLUMNS}}

# event column -> (the columns that go with it, the event columns it rests on)
STEPS: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = [
    ("announce", (), ()),
    ("award", ("contractor",), ("announce",)),
    ("sign", ("amount", "term_months"), ("award",)),
    ("publish", (), ("sign",)),
    ("file_contract", (), ("sign",)),
    ("staff", ("roster",), ("sign",)),
    ("suspend", ("suspend_reason",), ("staff",)),
    ("terminate", ("terminate_reason",), ()),
    ("expire", (), ("sign",)),
    ("hand_over", (), ("terminate|expire",)),
]
_DATA_KEY = {"terminate_reason": "reason", "suspend_reason": "reason"}
_NUMBERS = ("amount", "term_months")


@dataclass
class Problem:
    row: int
    column: str
    message: str
    refused: bool = False   # a rule said no (exit 1), rather than bad input (exit 2)

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class Outcome:
    ledger: str
    sha256: str
    created: list[str] = field(default_factory=list)
    events: int = 0
    problems: list[Problem] = field(default_factory=list)
    dry_run: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"ledger": self.ledger, "sha256": self.sha256, "dry_run": self.dry_run, "created": self.created,
                "events": self.events, "problems": [p.as_dict() for p in self.problems]}


def _column_key(header: str) -> str:
    """The column a header names: its English name or Chinese header; `合同金额(元)` reads as `合同金额`."""
    text = re.sub(r"\(元\)$", "", normal(header))
    return _KEY_OF.get(text, text)


class _Rollback(Exception):
    """Leaves the import's transaction without committing (a dry run, or problems found)."""


class _RowFailed(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def import_ledger(store: Store, path: Path, actor: str, clock: Clock, dry_run: bool = False,
                  sheet: str | None = None) -> Outcome:
    """Import every row of the ledger at `path`, all or nothing; a dry run writes nothing.
    Problems refuse the import (Refused when a rule refused a row, else BadInput) unless dry."""
    store.require()
    books = open_workbook(path) if path.suffix.lower() in XLSX_SUFFIXES and path.is_file() else None
    table = read_sheet(path, sheet, books) if books else read_table(path, sheet)
    outcome = Outcome(path.name, hashlib.sha256(path.read_bytes()).hexdigest(), dry_run=dry_run)
    header = [_column_key(h) for h in table.header()]
    missing = [f"{key} ({zh})" for key, zh, required in COLUMNS if required and key not in header]
    if not table.rows or missing:
        raise BadInput(said("ledger {name} lacks the column(s) {names}: see `lifecycle project import --help`",
                name=path.name, names=', '.join(missing or ['id (项目编号)'])))
    repeated = sorted({h for h in header if h in HEADER_OF and header.count(h) > 1})
    if repeated:
        raise BadInput(said("ledger {name} has the column {repeated} ({HEADER_OF}) twice",
                name=path.name, repeated=repeated[0], HEADER_OF=HEADER_OF[repeated[0]]))
    read_roster = partial(read_roster_file, beside=path.parent, books=books, workbook=path if books else None)
    try:
        with store.transaction() as conn:
            seen: dict[str, int] = {}
            for n, cells in table.records():
                row = {k: normal(v) for k, v in zip(header, cells) if k in HEADER_OF}
                try:
                    with conn.begin_nested():
                        outcome.events += _import_row(conn, store, n, row, seen, outcome, actor, clock, read_roster)
                    outcome.created.append(row["id"])
                except _RowFailed as failed:
                    outcome.problems.append(failed.problem)
            if not outcome.created and not outcome.problems:
                raise BadInput(said("ledger {name} has a header but no projects", name=path.name))
            if dry_run or outcome.problems:
                raise _Rollback
    except _Rollback:
        pass
    if outcome.problems and not dry_run:
        first = outcome.problems[0]
        more = len(outcome.problems) - 1
        error = Refused if any(p.refused for p in outcome.problems) else BadInput
        raise error(f"ledger {path.name} row {first.row}, column {first.column}: {first.message}; nothing was "
                    f"imported" + (f" ({more} more problem{'s' if more > 1 else ''}: see --dry-run)" if more else ""))
    return outcome


def _import_row(conn: Connection, store: Store, n: int, row: dict[str, str], seen: dict[str, int], outcome: Outcome,
                actor: str, clock: Clock, read_roster: Any) -> int:
    """Open the row's project and record its steps; the number of events written."""
    def fail(column: str, message: str, refused: bool = False) -> _RowFailed:
        return _RowFailed(Problem(n, column, message, refused))

    for key, zh, required in COLUMNS:
        if required and not row.get(key):
            raise fail(key, said("{key} ({zh}) is empty", key=key, zh=zh))
    pid = row["id"]
    if pid in seen:
        raise fail("id", said("project {project} repeats row {seen}", project=pid, seen=seen[pid]))
    seen[pid] = n
    if conn.execute(select(projects.c.id).where(projects.c.id == pid)).first():
        raise fail("id", said("project {project} already exists", project=pid))
    if not conn.execute(select(stations.c.id).where(stations.c.id == row["station"])).first():
        raise fail("station", said("project {project}: unknown station {row} (import the stations first)",
                project=pid, row=row['station']))
    try:
        book = rulebooks.load(row["rulebook"])
    except BadInput as exc:
        raise fail("rulebook", said("project {project}: {message}", project=pid, message=exc.message)) from None
    year = _value(fail, "year", row["year"], parse_whole)
    if not 2000 <= year <= 2100:
        raise fail("year", said("project {project}: {year} is not a plausible plan year", project=pid, year=year))
    budget = _value(fail, "budget", row["budget"], parse_number) if row.get("budget") else None
    if budget is not None and budget <= 0:
        raise fail("budget", said("project {project}: the budget must be a positive amount of yuan", project=pid))
    source = {"ledger": outcome.ledger, "sha256": outcome.sha256, "row": n}
    on = _value(fail, "plan_filed", row["plan_filed"], parse_day)
    _guarded(fail, "plan_filed", open_in, conn, store, pid, row["station"], book, year, on, budget, actor, clock,
             source)
    steps = []
    dated: dict[str, Any] = {}
    for order, (column, companions, rests_on) in enumerate(STEPS):
        if not row.get(column):
            given = [c for c in companions if row.get(c)]
            if given:
                raise fail(given[0], said("project {project}: {given} is given without {column} ({HEADER_OF})",
                        project=pid, given=given[0], column=column, HEADER_OF=HEADER_OF[column]))
            continue
        for needed in rests_on:
            if not any(row.get(c) for c in needed.split("|")):
                names = " or ".join(f"{c} ({HEADER_OF[c]})" for c in needed.split("|"))
                raise fail(column, said("project {project}: {column} needs {names}, the step it rests on",
                        project=pid, column=column, names=names))
        day = _value(fail, column, row[column], parse_day)
        for needed in rests_on:
            earlier = [(dated[c], c) for c in needed.split("|") if c in dated]
            if earlier and day < min(earlier)[0]:
                before, name = min(earlier)
                raise fail(column, said("project {project}: {column} refused: its date {day} is before the {name} of {before}, the step it rests on; effective dates never run backwards",
                        project=pid, column=column, day=day.isoformat(), name=name, before=before.isoformat()), refused=True)
        dated[column] = day
        raw = {_DATA_KEY.get(c, c): _plain(row[c]) if c in _NUMBERS else row[c] for c in companions if row.get(c)}
        steps.append((day, order, column, raw))
    # the row's events in date order; on one day, in the order of the lifecycle
    for day, _order, column, raw in sorted(steps):
        _guarded(fail, column, advance_in, conn, store, pid, column, day, raw, actor, clock,
                 partial(read_roster, project=pid), source)
    return 1 + len(steps)


def _value(fail: Any, column: str, text: str, parse: Any) -> Any:
    try:
        return parse(text)
    except ValueError as exc:
        raise fail(column, str(exc)) from None


def _plain(text: str) -> str:
    """A number cell as the event's KEY=VALUE parser reads it (`580,000` → `580000`)."""
    try:
        number = parse_number(text)
    except ValueError:
        return text
    return str(int(number)) if number.is_integer() else str(number)


def _guarded(fail: Any, column: str, write: Any, *args: Any) -> None:
    try:
        write(*args)
    except LifecycleError as exc:
        raise fail(column, exc.message, refused=isinstance(exc, Refused)) from None



def write_template(store: Store, out: Path) -> dict[str, Any]:
    """An empty ledger at `out`: the headers, a sample row, drop-downs of the ids that exist."""
    from lifecycle.files.template import ledger_template
    from lifecycle.store import contractors
    store.require()
    with store.reading() as conn:
        station_ids = [r.id for r in conn.execute(select(stations.c.id).order_by(stations.c.id))]
        contractor_ids = [r.id for r in conn.execute(select(contractors.c.id).order_by(contractors.c.id))]
    books = rulebooks.available()
    sample = {"id": "LX-2026-01", "station": station_ids[0] if station_ids else "LX-JFL",
              "rulebook": "jinan" if "jinan" in books else books[0], "year": 2026, "plan_filed": day(2026, 3, 20),
              "budget": 600000, "announce": day(2026, 4, 8), "award": day(2026, 5, 6),
              "contractor": contractor_ids[0] if contractor_ids else "YG", "sign": day(2026, 5, 20),
              "amount": 600000, "term_months": 12, "publish": day(2026, 5, 21), "file_contract": day(2026, 5, 28),
              "staff": day(2026, 6, 10), "roster": "人员名册.csv"}
    choices = {"rulebook": books, "station": station_ids, "contractor": contractor_ids}
    out.write_bytes(ledger_template([(key, zh) for key, zh, _r in COLUMNS], sample, choices))
    return {"template": str(out), "columns": len(COLUMNS), "stations": len(station_ids),
            "contractors": len(contractor_ids), "rulebooks": len(books)}
