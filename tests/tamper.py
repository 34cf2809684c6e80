"""Tampering as an intruder with write access would: the append-only guards dropped, then rows rewritten.

Since revision 0007 the database refuses UPDATE and DELETE on `events` (since 0008 on `letter_seals`); a test that
shows what verification detects must first do what such an intruder would do.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from sqlalchemy import create_engine
from sqlalchemy.engine import Connection
from sqlalchemy.pool import NullPool


def drop_append_only_guard(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("DROP TRIGGER IF EXISTS events_append_only_update")
        conn.exec_driver_sql("DROP TRIGGER IF EXISTS events_append_only_delete")
        conn.exec_driver_sql("DROP TRIGGER IF EXISTS letter_seals_append_only_update")
        conn.exec_driver_sql("DROP TRIGGER IF EXISTS letter_seals_append_only_delete")
    else:
        conn.exec_driver_sql("ALTER TABLE events DISABLE TRIGGER USER")
        conn.exec_driver_sql("ALTER TABLE letter_seals DISABLE TRIGGER USER")


@contextmanager
def tampering(url: str) -> Iterator[Connection]:
    """One transaction on `url` with the log's guard dropped (committed at the end)."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.begin() as conn:
            drop_append_only_guard(conn)
            yield conn
    finally:
        engine.dispose()
