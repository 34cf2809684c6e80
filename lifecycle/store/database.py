"""The database a command works in: one `Store` a URL, one transaction a command.

SQLite is the embedded default (writers queue at BEGIN IMMEDIATE, readers never
wait); PostgreSQL the server (REPEATABLE READ, READ ONLY readers). A connection
is opened for each transaction and closed after it.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from typing import Any, Iterator

from sqlalchemy import create_engine, event, inspect
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.pool import NullPool

from lifecycle.core.errors import BadInput


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
