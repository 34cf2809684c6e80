"""Fast start: `lifecycle --help` (and every command's help) imports no heavy library; `status` stays light.

Checked by module, not by timing: each case runs in a fresh interpreter and
reports `sys.modules` after the command. The heavy libraries belong to the
commands that use them (SQLAlchemy to those touching the database, Jinja2
to notices and the audit report, APScheduler to the daemon, openpyxl to XLSX
import and export).
"""
from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("sqlalchemy", "transitions", "jinja2", "apscheduler", "openpyxl", "alembic", "psycopg")

# Runs lifecycle commands in-process and prints the top-level packages then loaded, as JSON.
PROBE = """
import json, sys
import cli
for args in json.loads(sys.argv[1]):
    try:
        cli.cli.main(args=args, prog_name="lifecycle", standalone_mode=False)
    except BaseException:
        pass
print(json.dumps(sorted(sys.modules)))
"""


def modules_after(*commands: list[str]) -> set[str]:
    """Top-level packages, and lifecycle's own modules by full name, loaded after running `commands`."""
    done = subprocess.run([sys.executable, "-c", PROBE, json.dumps(list(commands))],
                          capture_output=True, text=True, check=True)
    names = json.loads(done.stdout.strip().splitlines()[-1])
    return {n.split(".")[0] for n in names} | {n for n in names if n.startswith("lifecycle.")}


def every_command_path() -> list[list[str]]:
    import click

    from cli import cli
    paths: list[list[str]] = []

    def walk(group: click.Group, prefix: list[str]) -> None:
        for name, command in group.commands.items():
            paths.append([*prefix, name])
            if isinstance(command, click.Group):
                walk(command, [*prefix, name])
    walk(cli, [])
    return paths


def test_lifecycle_help_imports_no_heavy_library() -> None:
    loaded = modules_after(["--help"])
    assert "click" in loaded
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))


def test_every_commands_help_imports_no_heavy_library() -> None:
    paths = every_command_path()
    assert ["status"] in paths and len(paths) > 10
    loaded = modules_after(*([*path, "--help"] for path in paths))
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))


def test_status_reads_one_row_without_the_domain_the_state_machine_or_templates(lc) -> None:
    lc.ok("station", "add", "LX-JFL", "--name", "解放路街道社会工作服务站", "--district", "历下区")
    lc.ok("project", "open", "P1", "--station", "LX-JFL", "--rulebook", "jinan", "--year", "2026", "--on", "2026-03-20")
    loaded = modules_after(["--db", lc.url, "status", "P1", "--json"])
    assert "sqlalchemy" in loaded  # it did read the database
    assert loaded.isdisjoint({"transitions", "jinja2", "apscheduler", "openpyxl", "alembic"})
    # the snapshot row is the answer: no folding, no rulebooks, no calendar
    assert loaded.isdisjoint({"lifecycle.services", "lifecycle.core.project", "lifecycle.core.rulebook", "lifecycle.core.calendar"})

