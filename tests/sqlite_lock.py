"""Another process's lock on a SQLite database, for the tests that show how a locked database is told."""
from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def sqlite_write_lock(url: str) -> Iterator[None]:
    """Another process's exclusive lock on a SQLite database, held while the block runs."""
    holder = sqlite3.connect(url[len("sqlite:///"):], isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        holder.execute("ROLLBACK")
        holder.close()
