"""The auditors' commands: `correct`, `audit`, `export` (registered on the `lifecycle` group).

`cli.py` imports this module while it is itself being imported, so helpers
from `cli` are imported inside the command bodies, and heavy modules
(Jinja2, openpyxl) only inside the commands that need them.
"""
from __future__ import annotations

import sys
from typing import Any

import click


def _json_option(f: Any) -> Any:
    return click.option("--json", "as_json", is_flag=True, help="Print one JSON document instead of text.")(f)


@click.command(context_settings={"ignore_unknown_options": False})
@click.argument("project_id")
@click.argument("seq", type=int)
@click.argument("pairs", nargs=-1)
@click.option("--reason", required=True, help="Why event SEQ is wrong, e.g. '合同金额录入错误'.")
@click.option("--on", "on", default=None, help="The event's true effective date (YYYY-MM-DD).")
@_json_option
@click.pass_obj
def correct(c: Any, project_id: str, seq: int, pairs: tuple[str, ...], reason: str, on: str | None,
            as_json: bool) -> None:
    """Supersede event SEQ's data (KEY=VALUE) or effective date (--on); nothing is erased.

    Example: lifecycle correct LX-2026-01 4 amount=580000 --reason "amount mistyped"
    """
    from cli import clock, emit, pairs_to_dict, parse_date

    from lifecycle.audit.correct import correct as do_correct
    day = parse_date(on, "--on", f"project {project_id}")
    raw = pairs_to_dict(project_id, "correct", pairs)
    snap = do_correct(c.store, project_id, seq, reason, day, raw, c.actor, clock())
    emit(snap, as_json, lambda s: f"project {s['project']}: event {seq} corrected by event {s['head_seq']}; "
                                  f"state {s['state']}")


@click.command()
@click.argument("project_id")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, writable=True),
              help="The HTML file to write, e.g. report.html.")
@click.option("--backdating-days", type=click.IntRange(min=0), default=7, show_default=True,
              help="Flag events recorded more than this many days after their effective date.")
@click.pass_obj
def audit(c: Any, project_id: str, out: str, backdating_days: int) -> None:
    """Write a printable HTML audit report of one project.

    Example: lifecycle audit LX-2026-01 --out LX-2026-01-audit.html
    """
    from pathlib import Path

    from cli import clock

    from lifecycle.audit.report import write_report
    summary = write_report(c.store, project_id, Path(out), clock(), backdating_days)
    click.echo(f"project {project_id}: audit report written to {out} "
               f"({summary['flags']} flags, {'verified' if summary['verified'] else 'NOT verified'})")


@click.command()
@click.argument("project_id", required=False)
@click.option("--all", "all_projects", is_flag=True, help="Export every project.")
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "xlsx", "ocds"]), required=True,
              help="json (snapshots with events), csv (one row a project), xlsx (the 台账), ocds (OCDS 1.1).")
@click.option("--out", "out", default=None, type=click.Path(dir_okay=False, writable=True),
              help="File to write; stdout when absent (not for xlsx).")
@click.pass_obj
def export(c: Any, project_id: str | None, all_projects: bool, fmt: str, out: str | None) -> None:
    """Export projects for people and other systems.

    Example: lifecycle export --all --format xlsx --out 台账.xlsx
    """
    from pathlib import Path

    from cli import clock

    from lifecycle.audit.export import export as do_export
    from lifecycle.errors import BadInput
    if bool(project_id) == all_projects:
        raise BadInput("export needs one project id or --all (not both)")
    if fmt == "xlsx" and out is None:
        raise BadInput(f"export of {project_id or 'all projects'}: --format xlsx needs --out FILE.xlsx")
    body = do_export(c.store, None if all_projects else project_id, fmt, clock())
    if out is None:
        sys.stdout.write(body if isinstance(body, str) else body.decode("utf-8"))
        return
    target = Path(out)
    if isinstance(body, bytes):
        target.write_bytes(body)
    else:
        target.write_text(body, encoding="utf-8")
    click.echo(f"{fmt} export of {project_id or 'all projects'} written to {out}")


def register(cli: click.Group) -> None:
    for command in (correct, audit, export):
        cli.add_command(command)
