"""Shared fixtures: a temporary database on the chosen backend and a CLI runner with a frozen clock.

The backend is `pytest --backend=sqlite|postgres` (or env LIFECYCLE_TEST_BACKEND;
default sqlite). On postgres the session starts a throw-away cluster (see
postgres_server.py), or uses the server at LIFECYCLE_TEST_PG_URL, and every
test gets a fresh schema of its own: `db_url` names it in the URL's search_path.
Mark a test `sqlite_only` when it looks at the SQLite file itself, or
`postgres_only` when it needs the server.
"""
from __future__ import annotations

import itertools
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import pytest
from click.testing import CliRunner
from freezegun import freeze_time

from cli import cli
from processes import lifecycle_command, spawn_lifecycle, wait_until  # noqa: F401 - shared with the test folders


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


class Lifecycle:
    """Runs `lifecycle --db URL ...` in-process, with the clock frozen at `now`."""

    def __init__(self, url: str, workdir: Path, now: str = "2026-11-20 09:00:00") -> None:
        self.url, self.workdir, self.now = url, workdir, now
        self.runner = CliRunner()

    def __call__(self, *args: str, actor: str = "tester") -> Result:
        with freeze_time(self.now):
            r = self.runner.invoke(cli, ["--db", self.url, "--actor", actor, *args], catch_exceptions=False)
        return Result(r.exit_code, r.stdout, r.stderr)

    def ok(self, *args: str) -> Result:
        r = self(*args)
        assert r.exit_code == 0, f"lifecycle {' '.join(args)} failed ({r.exit_code}): {r.stderr}{r.stdout}"
        return r

    def write(self, name: str, text: str) -> str:
        path = self.workdir / name
        path.write_text(text, encoding="utf-8")
        return str(path)


BACKENDS = ("sqlite", "postgres")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--backend", choices=BACKENDS, default=os.environ.get("LIFECYCLE_TEST_BACKEND", "sqlite"),
                     help="Database the tests run on (env LIFECYCLE_TEST_BACKEND; default sqlite).")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sqlite_only: looks at the SQLite file itself; skipped on postgres")
    config.addinivalue_line("markers", "postgres_only: needs the PostgreSQL server; skipped on sqlite")


def pytest_report_header(config: pytest.Config) -> str:
    return f"lifecycle backend: {config.getoption('--backend')}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    backend = config.getoption("--backend")
    other = "postgres_only" if backend == "sqlite" else "sqlite_only"
    skip = pytest.mark.skip(reason=f"{other.replace('_', ' ')}: this run is on {backend}")
    for item in items:
        if other in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def backend(pytestconfig: pytest.Config) -> str:
    return pytestconfig.getoption("--backend")


class PostgresSchemas:
    """Hands each test a fresh schema in one database, and drops it after."""

    def __init__(self, url: str) -> None:
        from sqlalchemy.engine import make_url
        self.url = url
        self.dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        self.names = (f"t{os.getpid()}_{n}" for n in itertools.count(1))

    def create(self) -> str:
        import psycopg
        name = next(self.names)
        with psycopg.connect(self.dsn, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {name}")
        return name

    def drop(self, name: str) -> None:
        import psycopg
        with psycopg.connect(self.dsn, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {name} CASCADE")

    def url_for(self, name: str) -> str:
        sep = "&" if "?" in self.url else "?"
        return f"{self.url}{sep}options=-csearch_path%3D{name}"


@pytest.fixture(scope="session")
def postgres_schemas(backend: str) -> Iterator[PostgresSchemas]:
    """The test database on PostgreSQL: LIFECYCLE_TEST_PG_URL's, or one on a cluster started for the session."""
    given = os.environ.get("LIFECYCLE_TEST_PG_URL")
    if given:
        yield PostgresSchemas(given)
        return
    from postgres_server import PostgresServer
    with PostgresServer.start() as server:
        yield PostgresSchemas(server.create_database("lifecycle_tests"))


def _fresh_database(request: pytest.FixtureRequest, backend: str, sqlite_file: Path) -> Iterator[str]:
    """A fresh, empty database on the test run's backend: a SQLite file, or a PostgreSQL schema dropped after."""
    if backend == "sqlite":
        yield f"sqlite:///{sqlite_file}"
        return
    schemas: PostgresSchemas = request.getfixturevalue("postgres_schemas")
    name = schemas.create()
    yield schemas.url_for(name)
    schemas.drop(name)


@pytest.fixture
def db_url(request: pytest.FixtureRequest, backend: str, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database for one test (not yet initialised: `lc` runs `lifecycle init`)."""
    yield from _fresh_database(request, backend, tmp_path / "lifecycle.db")


@pytest.fixture
def english_url(request: pytest.FixtureRequest, backend: str, tmp_path: Path) -> Iterator[str]:
    """A second fresh database on the same backend, for the same walk run in English (on PostgreSQL the
    recorded actor is the role that connected, so a database of another backend would hash its events
    differently)."""
    yield from _fresh_database(request, backend, tmp_path / "english.db")


@pytest.fixture
def lc(db_url: str, tmp_path: Path) -> Lifecycle:
    runner = Lifecycle(db_url, tmp_path)
    runner.ok("init")
    return runner

