"""SQLAlchemy tables, the append-only event log, and the unit of work.

The `events` table is the truth: rows are inserted and read, never updated
or deleted. `projects` and `obligations` are projections, rebuilt from the
log by replay. One command is one transaction (`Store.transaction`).
"""
from __future__ import annotations

import json
import os
from contextlib import contextmanager
from datetime import date
from typing import Any, Iterator

from sqlalchemy import (Boolean, Column, Date, Index, Integer, MetaData, String, Table, Text,
                        create_engine, event, insert, inspect, select, update)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError
from sqlalchemy.pool import NullPool

from lifecycle.errors import BadInput, Conflict
from lifecycle.events import Event

metadata = MetaData()

stations = Table(
    "stations", metadata,
    Column("id", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("district", String(100), nullable=False),
    Column("kind", String(16), nullable=False, default="street"),
    Column("villages", Integer, nullable=False, default=0),
)

contractors = Table(
    "contractors", metadata,
    Column("id", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("credit_code", String(18), unique=True),
    Column("district", String(100)),
)

events = Table(
    "events", metadata,
    Column("project_id", String(64), primary_key=True),
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("type", String(32), nullable=False),
    Column("effective", Date, nullable=False),
    Column("recorded", String(40), nullable=False),
    Column("actor", String(100), nullable=False),
    Column("data", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

projects = Table(
    "projects", metadata,
    Column("id", String(64), primary_key=True),
    Column("station_id", String(64), nullable=False, index=True),
    Column("district", String(100), nullable=False, index=True),
    Column("rulebook", String(32), nullable=False),
    Column("rulebook_version", String(32), nullable=False),
    Column("state", String(16), nullable=False),
    Column("contractor_id", String(64), index=True),
    Column("term_end", Date),
    Column("head_seq", Integer, nullable=False),
    Column("head_hash", String(64), nullable=False),
    Column("last_effective", Date),
    Column("snapshot", Text, nullable=False),
)

obligations = Table(
    "obligations", metadata,
    Column("project_id", String(64), primary_key=True),
    Column("id", String(120), primary_key=True),
    Column("kind", String(40), nullable=False),
    Column("rule", String(40), nullable=False),
    Column("basis", String(200), nullable=False),
    Column("due", Date, nullable=False),
    Column("provisional", Boolean, nullable=False),
    Column("status", String(8), nullable=False),
    Column("subject", String(100)),
    Column("met_on", Date),
    Column("met_seq", Integer),
    Column("district", String(100), nullable=False),
    Column("station_id", String(64), nullable=False),
    Index("ix_obligations_open_due", "status", "due", "project_id", "id"),  # the sweep, from the index alone
    Index("ix_obligations_district_status_due", "district", "status", "due"),  # deadlines --district
)

_OBLIGATION_COLUMNS = ("id", "kind", "rule", "basis", "due", "provisional", "status", "subject", "met_on", "met_seq")


def _sqlite_path(url: str) -> str | None:
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        return url[len("sqlite:///"):]
    return None


class Store:
    def __init__(self, url: str) -> None:
        self.url = url
        self.sqlite_path = _sqlite_path(url)
        self._engine: Engine | None = None

    @property
    def engine(self) -> Engine:
        # One command is one short process (or one sweep of the daemon): a connection is opened
        # for each transaction and closed after it (NullPool), so no idle connection outlives a
        # command, holds a PostgreSQL slot, or keeps a SQLite file open.
        if self._engine is None:
            if self.url.startswith("sqlite"):
                # a busy database waits (30 s) rather than failing at once
                pool = {} if self.sqlite_path is None else {"poolclass": NullPool}
                self._engine = create_engine(self.url, connect_args={"timeout": 30}, **pool)
                event.listen(self._engine, "connect", _sqlite_pragmas)
                event.listen(self._engine, "begin", _sqlite_begin)
            else:
                self._engine = create_engine(self.url, poolclass=NullPool)
        return self._engine

    def exists(self) -> bool:
        if self.sqlite_path and not os.path.exists(self.sqlite_path):
            return False
        try:
            with self.reading() as conn:
                return inspect(conn).has_table("events")
        except OperationalError:
            return False

    def require(self) -> None:
        if not self.exists():
            raise BadInput(f"no lifecycle database at {self.url}: run `lifecycle init` first")

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """A writing transaction: on SQLite it takes the write lock at BEGIN, so writers queue."""
        with self.engine.begin() as conn:
            yield conn

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A read-only transaction that never waits for a writer: one consistent snapshot of the database.

        SQLite: a deferred BEGIN (a reader only waits out the instant of another's commit).
        PostgreSQL: REPEATABLE READ, READ ONLY, so a long read (verify --all) sees one moment.
        """
        with self.engine.connect() as conn:
            if conn.dialect.name == "sqlite":
                conn.execution_options(lifecycle_reading=True)
            else:
                conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
            with conn.begin():
                yield conn

    @contextmanager
    def reading_initialised(self) -> Iterator[Connection]:
        """`reading`, refusing as `require` does a database `lifecycle init` has not made, without
        opening a connection first to find out: a query that misses a table tells."""
        if self.sqlite_path and not os.path.exists(self.sqlite_path):
            self.require()  # connecting would create the file
        try:
            with self.reading() as conn:
                yield conn
        except (OperationalError, ProgrammingError):
            self.require()
            raise

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.isolation_level = None  # let SQLAlchemy's begin hook issue BEGIN IMMEDIATE
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def _sqlite_begin(conn: Connection) -> None:
    # A writer takes the write lock at the start: two writers queue (busy_timeout) instead of
    # both reading, then one failing at once when it upgrades its lock. A reader does not.
    if conn.get_execution_options().get("lifecycle_reading"):
        conn.exec_driver_sql("BEGIN")
    else:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


# -- events ------------------------------------------------------------------
_LOAD_EVENTS = ("SELECT project_id, seq, type, effective, recorded, actor, data, prev_hash, hash FROM events "
                "WHERE project_id = ? ORDER BY seq")


def load_events(conn: Connection, project_id: str) -> list[Event]:
    """A project's log in order. Read through the driver, not SQLAlchemy's result rows: replay and
    `verify --all` read every event there is, and this is twice as fast (dates parsed by fromisoformat)."""
    sql = _LOAD_EVENTS if conn.dialect.paramstyle == "qmark" else _LOAD_EVENTS.replace("?", "%s")
    return [Event(pid, seq, type_, eff if isinstance(eff, date) else date.fromisoformat(eff), recorded, actor,
                  json.loads(data), prev_hash, hash_)
            for pid, seq, type_, eff, recorded, actor, data, prev_hash, hash_
            in conn.exec_driver_sql(sql, (project_id,)).fetchall()]


def scan_between(conn: Connection, table: str, columns: tuple[str, ...], key: str, after: str | None,
                 upto: str | None, order: str, only: str | None = None) -> list[tuple[Any, ...]]:
    """Rows of `table` whose `key` lies in (after, upto] (either bound may be open), `ORDER BY order`;
    with `only`, the rows whose `key` is `only`.

    Through the driver, as `load_events`: `verify --all` reads every row of four tables in such
    ranges, and SQLAlchemy's row processing would cost as much as the reading.
    """
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    bounds = ((f"{key} > {mark}", after), (f"{key} <= {mark}", upto), (f"{key} = {mark}", only))
    where = [test for test, value in bounds if value is not None]
    sql = (f"SELECT {', '.join(columns)} FROM {table}" + (" WHERE " + " AND ".join(where) if where else "")
           + f" ORDER BY {order}")
    return conn.exec_driver_sql(sql, tuple(value for _, value in bounds if value is not None)).fetchall()


def load_events_between(conn: Connection, after: str | None, upto: str | None) -> dict[str, list[Event]]:
    """The logs of the projects whose id lies in (after, upto], in one scan ordered by (project_id, seq)."""
    columns = ("project_id", "seq", "type", "effective", "recorded", "actor", "data", "prev_hash", "hash")
    logs: dict[str, list[Event]] = {}
    log: list[Event] = []
    for pid, seq, type_, eff, recorded, actor, data, prev_hash, hash_ in scan_between(
            conn, "events", columns, "project_id", after, upto, "project_id, seq"):
        if not log or log[-1].project != pid:
            log = logs.setdefault(pid, [])
        log.append(Event(pid, seq, type_, eff if isinstance(eff, date) else date.fromisoformat(eff), recorded,
                         actor, json.loads(data), prev_hash, hash_))
    return logs


def event_row(e: Event) -> dict[str, Any]:
    """The `events` row of an event (the JSON data in its stored form)."""
    return dict(project_id=e.project, seq=e.seq, type=e.type, effective=e.effective, recorded=e.recorded,
                actor=e.actor, data=json.dumps(e.data, ensure_ascii=False, sort_keys=True),
                prev_hash=e.prev_hash, hash=e.hash)


def append_event(conn: Connection, e: Event) -> None:
    try:
        with conn.begin_nested():
            conn.execute(insert(events).values(**event_row(e)))
    except IntegrityError:
        raise Conflict(f"project {e.project} changed under this command: event {e.seq} was recorded by "
                       "another writer first; look at `lifecycle status` and try again") from None


# -- projections ---------------------------------------------------------------
def project_row(snap: dict[str, Any]) -> dict[str, Any]:
    """The `projects` row of a snapshot, without its id."""
    return dict(
        station_id=snap["station"], district=snap["district"], rulebook=snap["rulebook"],
        rulebook_version=snap["rulebook_version"], state=snap["state"], contractor_id=snap["contractor"],
        term_end=_d(snap["term_end"]), head_seq=snap["head_seq"], head_hash=snap["head_hash"],
        last_effective=_d(snap["last_effective"]),
        snapshot=json.dumps(snap, ensure_ascii=False, sort_keys=True),
    )


def obligation_rows(snap: dict[str, Any]) -> list[dict[str, Any]]:
    """The `obligations` rows of a snapshot."""
    return [dict(project_id=snap["project"], district=snap["district"], station_id=snap["station"],
                 **_obligation_row(o)) for o in snap["obligations"]]


def save_projection(conn: Connection, snap: dict[str, Any], previous_head: int | None) -> None:
    values = project_row(snap)
    if previous_head is None:
        try:
            with conn.begin_nested():
                conn.execute(insert(projects).values(id=snap["project"], **values))
        except IntegrityError:
            raise Conflict(f"project {snap['project']} was opened by another writer at the same time") from None
    else:
        done = conn.execute(update(projects).where(projects.c.id == snap["project"],
                                                   projects.c.head_seq == previous_head).values(**values))
        if done.rowcount != 1:
            raise Conflict(f"project {snap['project']} changed under this command; try again")
    _save_obligations(conn, snap)


def _save_obligations(conn: Connection, snap: dict[str, Any]) -> None:
    pid = snap["project"]
    stored = {r.id: r for r in conn.execute(select(obligations).where(obligations.c.project_id == pid))}
    fresh = {row["id"]: row for row in obligation_rows(snap)}
    gone = [oid for oid in stored if oid not in fresh]
    if gone:
        conn.execute(obligations.delete().where(obligations.c.project_id == pid, obligations.c.id.in_(gone)))
    new = [row for oid, row in fresh.items() if oid not in stored]
    if new:
        conn.execute(insert(obligations), new)
    for oid, row in fresh.items():
        old = stored.get(oid)
        if old is not None and any(getattr(old, k) != v for k, v in row.items()):
            conn.execute(update(obligations).where(obligations.c.project_id == pid, obligations.c.id == oid)
                         .values(**row))


def _obligation_row(o: dict[str, Any]) -> dict[str, Any]:
    row = {k: o[k] for k in _OBLIGATION_COLUMNS}
    row["due"], row["met_on"] = _d(o["due"]), _d(o["met_on"])
    row["status"] = "open" if o["status"] == "overdue" else o["status"]
    return row


def stored_obligations(conn: Connection, project_id: str) -> dict[str, dict[str, Any]]:
    """A project's obligations rows by id, each as {column: value} (dates as dates)."""
    rows = stored_obligations_between(conn, None, None, only=project_id).get(project_id, {})
    for row in rows.values():
        row["due"], row["met_on"] = _d(row["due"]), _d(row["met_on"])
    return rows


def load_snapshot(conn: Connection, project_id: str) -> dict[str, Any] | None:
    row = conn.execute(select(projects.c.snapshot).where(projects.c.id == project_id)).first()
    return json.loads(row.snapshot) if row else None


def stored_obligations_between(conn: Connection, after: str | None, upto: str | None,
                               only: str | None = None) -> dict[str, dict[str, dict[str, Any]]]:
    """`stored_obligations` of every project whose id lies in (after, upto] (or is `only`), by project id;
    dates as the driver gives them (ISO text on SQLite), which is what verification compares."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for r in scan_between(conn, "obligations", ("project_id", *_OBLIGATION_COLUMNS), "project_id", after, upto,
                          "project_id, id", only):
        row = dict(zip(_OBLIGATION_COLUMNS, r[1:]))
        row["provisional"] = bool(row["provisional"])  # SQLite keeps 0 and 1
        out.setdefault(r[0], {})[r[1]] = row
    return out


def read_status(store: Store, project_id: str, today: date) -> dict[str, Any]:
    """`status`: the stored snapshot, one row, with duties past due on `today` shown overdue.

    Here rather than in services, so that `lifecycle status` imports SQLAlchemy and nothing of the domain.
    """
    store.require()
    with store.reading() as conn:
        snap = load_snapshot(conn, project_id)
    if snap is None:
        raise BadInput(f"unknown project {project_id}")
    return with_today(snap, today)


def with_today(snap: dict[str, Any], today: date | None) -> dict[str, Any]:
    """Open duties whose due date is before `today` are overdue (a view: the store keeps them open)."""
    if today is not None:
        for ob in snap["obligations"]:
            if ob["status"] == "open" and ob["due"] < today.isoformat():
                ob["status"] = "overdue"
    return snap


def _d(value: str | date | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)
