"""The database a command works in: one `Store` a URL, one transaction a command.

SQLite is the embedded default (writers queue at BEGIN IMMEDIATE, readers never
wait); PostgreSQL the server (REPEATABLE READ, READ ONLY readers). A connection
is opened for each transaction and closed after it, unless the store keeps one (a command's,
a worker's: `keep_connection`) until `dispose`.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from typing import Any, Iterator

from sqlalchemy import create_engine, event, inspect
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.pool import NullPool

from lifecycle.core.errors import BadInput, Said, said

BUSY_TIMEOUT_S = 30  # a writer waits this long for another's lock before giving up
DIALECTS = ("sqlite", "postgresql")


def check_url(url: str) -> None:
    """A `--db` URL this program can use, or BadInput saying what is wrong with it."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        hint = said("; did you mean sqlite:///{url}?", url=url) if "://" not in url else ""
        raise BadInput(said("--db {url!r} is not a database URL (e.g. sqlite:///district.db or postgresql+psycopg://user@host/db){hint}",
                url=url, hint=hint)) from None
    if parsed.get_backend_name() not in DIALECTS:
        raise BadInput(said("--db {render_as_string!r}: the SQL dialect {get_backend_name!r} is not supported; use sqlite:///FILE or postgresql+psycopg://user@host/db",
                render_as_string=parsed.render_as_string(), get_backend_name=parsed.get_backend_name()))
    if parsed.get_backend_name() == "postgresql" and parsed.get_driver_name() not in ("psycopg", "psycopg2"):
        raise BadInput(said("--db {render_as_string!r}: the PostgreSQL driver {get_driver_name!r} is not supported; use postgresql+psycopg://user@host/db",
                render_as_string=parsed.render_as_string(), get_driver_name=parsed.get_driver_name()))


def _sqlite_path(url: str) -> str | None:
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        return url[len("sqlite:///"):]
    return None


class Store:
    def __init__(self, url: str, keep_connection: bool = False) -> None:
        check_url(url)
        self.url = url
        # keep one connection open between this store's transactions (a command of many transactions,
        # a worker), closed by `dispose`; otherwise one per transaction
        self.keep_connection = keep_connection
        self.sqlite_path = _sqlite_path(url)
        self._engine: Engine | None = None
        self.commits = 0   # writing transactions committed so far: what a failure after them must own up to

    @property
    def engine(self) -> Engine:
        # One command is one short process (or one sweep of the daemon): a connection is opened
        # for each transaction and closed after it (NullPool), so no idle connection outlives a
        # command, holds a PostgreSQL slot, or keeps a SQLite file open. A store made with
        # `keep_connection` (the CLI's, a worker's) keeps one open until `dispose`, which the CLI
        # calls when the command ends.
        if self._engine is None:
            if self.url.startswith("sqlite"):
                # a busy database waits (30 s) rather than failing at once. A kept connection holds no
                # lock between transactions (each ends in COMMIT or ROLLBACK); it saves opening the
                # file and reading its schema again for each (a third of `replay --verify`'s time)
                pool = {} if self.sqlite_path is None else \
                    {"pool_size": 1, "max_overflow": 8} if self.keep_connection else {"poolclass": NullPool}
                self._engine = create_engine(self.url, connect_args={"timeout": BUSY_TIMEOUT_S}, **pool)
                event.listen(self._engine, "connect", _sqlite_pragmas)
                event.listen(self._engine, "begin", _sqlite_begin)
            elif self.keep_connection:
                # connecting costs ~10 ms (a server process, its authentication): a sweep of a hundred
                # batches, or a worker verifying a thousand projects, pays it once; pre-ping finds a
                # connection the server closed while the daemon slept
                self._engine = create_engine(self.url, pool_size=1, max_overflow=8, pool_pre_ping=True)
            else:
                self._engine = create_engine(self.url, poolclass=NullPool)
        return self._engine

    def exists(self) -> bool:
        """Whether `lifecycle init` made this database. A database that cannot be reached (locked,
        refused, unreadable) is not "missing": its error goes up to be told as it is."""
        if self.sqlite_path and not os.path.exists(self.sqlite_path):
            return False
        with self.reading() as conn:
            return inspect(conn).has_table("events")

    def require(self) -> None:
        if not self.exists():
            raise BadInput(said("no lifecycle database at {url}: run `lifecycle init` first", url=self.url))

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """A writing transaction: on SQLite it takes the write lock at BEGIN, so writers queue."""
        with self.engine.begin() as conn:
            yield conn
        self.commits += 1

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
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}")
    cur.close()


def _sqlite_begin(conn: Connection) -> None:
    # A writer takes the write lock at the start: two writers queue (busy_timeout) instead of
    # both reading, then one failing at once when it upgrades its lock. A reader does not.
    if conn.get_execution_options().get("lifecycle_reading"):
        conn.exec_driver_sql("BEGIN")
    else:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def database_failure(exc: Exception, url: str) -> Said:
    """The sentence for a database error, saying what happened (not always "an error"); the
    server's own words, where they are all there is, are quoted after it (not translated)."""
    from sqlalchemy.engine import make_url
    # SQLite rolls a transaction back itself on some errors (a full disk); SQLAlchemy's rollback to
    # its savepoint then fails with "no such savepoint": the error to tell is the one before it
    cause: BaseException | None = exc
    while cause is not None and "no such savepoint" in str(cause) and cause.__context__ is not None:
        cause = cause.__context__
    exc = cause if isinstance(cause, Exception) else exc
    text = str(getattr(exc, "orig", None) or exc).strip()
    first = text.splitlines()[0] if text else type(exc).__name__
    low = text.lower()
    try:
        parsed = make_url(url)
    except Exception:  # noqa: BLE001 - the URL was checked when the store was made; this is only wording
        parsed = None
    if "database is locked" in low or "database table is locked" in low:
        return said("database is locked by another process: waited {seconds} s", seconds=BUSY_TIMEOUT_S)
    if "database or disk is full" in low or "no space left" in low or "could not extend file" in low:
        return said("the disk holding the database is full")
    if "unable to open database file" in low:
        return said("cannot open the SQLite database {path}: its folder is missing or not writable",
                    path=url[len('sqlite:///'):])
    if "readonly database" in low or "read-only" in low and "sqlite" in (parsed.drivername if parsed else ""):
        return said("the SQLite database {path} is read-only for this user", path=url[len('sqlite:///'):])
    if parsed is not None and parsed.get_backend_name() == "postgresql" and isinstance(exc, OperationalError) \
            and ("connect" in low or "connection" in low or "authentication" in low or "does not exist" in low):
        where = said("{value}:{value2}", value=parsed.host or 'localhost', value2=parsed.port or 5432)
        if "refused" in low:
            return said("cannot connect to PostgreSQL at {where}: {why}", where=where, why=said("connection refused"))
        if "timeout" in low or "timed out" in low:
            return said("cannot connect to PostgreSQL at {where}: {why}", where=where,
                        why=said("the connection timed out"))
        return said("cannot connect to PostgreSQL at {where}: {reply}", where=where,
                    reply=first.split(": ", 1)[-1].split("FATAL:  ")[-1])
    if "no such table" in low or "undefinedtable" in low or "does not exist" in low and "relation" in low:
        return said("the database at {url} lacks a table this program needs ({reply}): its schema is incomplete or "
                    "older than this program; run `lifecycle init` to create or upgrade it", url=url, reply=first)
    if "permission denied" in low or "row-level security" in low or "insufficientprivilege" in low \
            or "append-only" in low:
        return said("the database refused: {reply}", reply=first)
    return said("database error: {reply}", reply=first)
