"""Running a project: open and list projects, advance one, its status, deadlines across projects, recompute."""
from __future__ import annotations


import click

from lifecycle.commands.base import Context, clock, emit, json_option, pairs_to_dict, parse_date, pass_ctx


@click.group()
def project() -> None:
    """Projects: open one, list them."""


@project.command("open")
@click.argument("project_id")
@click.option("--station", "station_id", required=True, help="Station id.")
@click.option("--rulebook", "rulebook_name", required=True, help="jinan, dongying, binhai, dongguan, fujian or national.")
@click.option("--year", type=int, required=True, help="Plan year, e.g. 2026.")
@click.option("--on", "on", required=True, help="Date the annual plan was filed (YYYY-MM-DD).")
@click.option("--budget", type=float, default=None, help="Budget in yuan.")
@json_option
@pass_ctx
def project_open(c: Context, project_id: str, station_id: str, rulebook_name: str, year: int, on: str,
                 budget: float | None, as_json: bool) -> None:
    """Open a project: record that its annual plan was filed.

    Example: lifecycle project open LX-2026-01 --station LX-JFL --rulebook jinan --year 2026 --on 2026-03-20
    """
    from lifecycle.services.projects import open_project
    day = parse_date(on, "--on", f"project {project_id}")
    snap = open_project(c.store, project_id, station_id, rulebook_name, year, day, budget, c.actor, clock())
    emit(snap, as_json, lambda s: f"project {s['project']} opened at {s['station_name']} ({s['district']}) "
                                  f"under {s['rulebook']}: state {s['state']}")


@project.command("list")
@json_option
@pass_ctx
def project_list(c: Context, as_json: bool) -> None:
    """List projects with their state. Example: lifecycle project list"""
    from lifecycle.services.reference import list_projects
    from lifecycle.core.text_table import render
    emit(list_projects(c.store), as_json, lambda rs: render(
        ["project", "station", "district", "rulebook", "state", "contractor", "term end"],
        [[r["project"], r["station"], r["district"], r["rulebook"], r["state"], r["contractor"], r["term_end"]]
         for r in rs]))


@click.command(context_settings={"ignore_unknown_options": False})
@click.argument("project_id")
@click.argument("event")
@click.argument("pairs", nargs=-1)
@click.option("--on", "on", required=True, help="Effective date of the event (YYYY-MM-DD).")
@json_option
@pass_ctx
def advance(c: Context, project_id: str, event: str, pairs: tuple[str, ...], on: str, as_json: bool) -> None:
    """Record an event: announce, award, sign, staff, report, evaluate, ...

    Example: lifecycle advance LX-2026-01 award contractor=YG --on 2026-05-06
    """
    from lifecycle.services.projects import advance as do_advance
    day = parse_date(on, "--on", f"project {project_id}")
    raw = pairs_to_dict(project_id, event, pairs)
    snap = do_advance(c.store, project_id, event, day, raw, c.actor, clock())
    emit(snap, as_json, lambda s: f"project {s['project']}: {event} recorded as event {s['head_seq']}; "
                                  f"state {s['state']}")


@click.command()
@click.argument("project_id")
@json_option
@pass_ctx
def status(c: Context, project_id: str, as_json: bool) -> None:
    """A project's state and obligations. Example: lifecycle status LX-2026-01 --json"""
    from lifecycle.commands.text import status_text
    from lifecycle.core.obligations import view_on
    from lifecycle.store import read_status
    emit(view_on(read_status(c.store, project_id), clock().today), as_json, status_text)


@click.command()
@click.option("--as-of", "as_of", default=None, help="Date to measure against (default today).")
@click.option("--overdue", is_flag=True, help="Only duties past their due date.")
@click.option("--district", default=None, help="Only this district, e.g. 历下区.")
@json_option
@pass_ctx
def deadlines(c: Context, as_of: str | None, overdue: bool, district: str | None, as_json: bool) -> None:
    """Open duties across projects, most urgent first. Example: lifecycle deadlines --overdue --district 历下区"""
    from lifecycle.services.deadlines import deadlines as do_deadlines
    from lifecycle.commands.text import deadlines_text
    day = parse_date(as_of, "--as-of") or clock().today
    emit(do_deadlines(c.store, day, overdue, district), as_json, deadlines_text)


@click.command()
@click.option("--dry-run", is_flag=True, help="List the due dates that would move and the letters that named them; "
                                              "write nothing.")
@json_option
@pass_ctx
def recompute(c: Context, dry_run: bool, as_json: bool) -> None:
    """Refold every project after new holiday data or a changed rulebook; each project whose due dates
    move gets a `reschedule` event (old → new, why), and the next `check` sends the holder a correction.

    Example: LIFECYCLE_HOLIDAYS=2027.toml lifecycle recompute --dry-run
    """
    from lifecycle.commands.text import recompute_text
    from lifecycle.services.rescheduling import recompute as do_recompute
    result = do_recompute(c.store, clock(), c.actor, dry_run=dry_run)
    emit(result, as_json, recompute_text)


COMMANDS = [project, advance, status, deadlines, recompute]
