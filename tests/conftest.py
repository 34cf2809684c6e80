"""Shared fixtures: a temporary database and a CLI runner with a frozen clock."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from freezegun import freeze_time

from cli import cli


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


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'lifecycle.db'}"


@pytest.fixture
def lc(db_url: str, tmp_path: Path) -> Lifecycle:
    runner = Lifecycle(db_url, tmp_path)
    runner.ok("init")
    return runner
