"""Fixtures of the store tests: a `Store` on the test's database (`db_url`, chosen by --backend).

This file shadows tests/conftest.py on sys.path for the tests of this folder,
which import the shared helpers with `from conftest import ...`; so it passes
them through.
"""
from __future__ import annotations

from typing import Iterator

import pytest

from lifecycle.store import migrate as schema
from lifecycle.store import Store
from tests.conftest import Lifecycle, Result, lifecycle_command, spawn_lifecycle, wait_until  # noqa: F401


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    """An initialised, empty store on `db_url` (SQLite, or PostgreSQL with --backend=postgres)."""
    s = Store(db_url)
    schema.upgrade(s)
    yield s
    s.dispose()
