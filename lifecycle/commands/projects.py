"""Running a project: open and list projects, advance one, its status, deadlines across projects, recompute."""
from __future__ import annotations


import click

from lifecycle.commands.base import Context, clock, emit, json_option, pairs_to_dict, parse_date, pass_ctx
from lifecycle.commands.i18n import say
from lifecycle.core.errors import said


@click.group()
def project() -> None:
    """Projects: open one, import a ledger, list them."""


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
    from lifecycle.core.limits import check_amount, check_id, shown_id
    from lifecycle.services.projects import open_project
    check_id(project_id, said("the project id"), said("project {shown_id}", shown_id=shown_id(project_id)))
    if budget is not None:
        check_amount(budget, "--budget", said("project {project}", project=project_id))
    day = parse_date(on, "--on", said("project {project}", project=project_id))
    snap = open_project(c.store, project_id, station_id, rulebook_name, year, day, budget, c.actor, clock())
    emit(snap, as_json, lambda s: say(said("project {project} opened at {station} ({district}) under {rulebook}: "
                                           "state {state}", project=s["project"], station=s["station_name"],
                                           district=s["district"], rulebook=s["rulebook"], state=s["state"])))


@project.command("rebase")
@click.argument("project_id")
@click.option("--rulebook", "ref", required=True, help="NAME or NAME@VERSION of the rulebook that governs from --on.")
@click.option("--on", "on", required=True, help="The day from which it governs (YYYY-MM-DD).")
@click.option("--reason", required=True, help="Why the project moves to it (recorded in the log).")
@json_option
@pass_ctx
def project_rebase(c: Context, project_id: str, ref: str, on: str, reason: str, as_json: bool) -> None:
    """Move a project to another rulebook (version) from a date on: duties triggered before that
    date stay under the old one.

    Example: lifecycle project rebase DY-2024-01 --rulebook dongying@2025 --on 2025-01-01 --reason "新办法施行"
    """
    from lifecycle.services.rebasing import rebase
    day = parse_date(on, "--on", f"project {project_id}")
    snap = rebase(c.store, project_id, ref, day, reason, c.actor, clock())
    emit(snap, as_json, lambda s: say(said("project {project}: under rulebook {rulebook} {version} from {on} "
                                           "(event {seq})", project=s["project"], rulebook=s["rulebook"],
                                           version=s["rulebook_version"], on=day.isoformat(), seq=s["head_seq"])))


_LEDGER_HELP = ("Columns (English name or Chinese header): id 项目编号, station 站点编号, rulebook 规则集, "
                "year 计划年度, plan_filed 计划备案日期 (required); budget 预算, announce 采购公告日期, award 中标日期, "
                "contractor 承接机构编号, sign 合同签订日期, amount 合同金额, term_months 服务期限月数, "
                "publish 合同公告日期, file_contract 合同备案日期, staff 到岗日期, roster 人员名册 (a file beside "
                "the ledger or a sheet of the workbook), suspend 暂停日期, suspend_reason 暂停原因, "
                "terminate 终止日期, terminate_reason 终止原因, "
                "expire 期满日期, hand_over 档案移交日期.")


@project.command("import", epilog=_LEDGER_HELP)
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.option("--template", "template", default=None, type=click.Path(dir_okay=False),
              help="Write an empty ledger (headers, a sample row, drop-down lists) to FILE.xlsx instead.")
@click.option("--sheet", default=None, help="The worksheet of the ledger (default: the first).")
@click.option("--dry-run", is_flag=True, help="Check every row and print what would be created; write nothing.")
@json_option
@pass_ctx
def project_import(c: Context, file: str | None, template: str | None, sheet: str | None, dry_run: bool,
                   as_json: bool) -> None:
    """Import a bureau's 台账 (XLSX or CSV, one row a project): each row's events through the guards of
    `advance`, all or nothing.

    Example: lifecycle project import 台账.xlsx --dry-run
    """
    from pathlib import Path

    from lifecycle.core.errors import BadInput
    from lifecycle.services.ledger_import import import_ledger, write_template
    if template:
        if file:
            raise BadInput(said("project import: give a ledger FILE or --template FILE.xlsx, not both"))
        done = write_template(c.store, Path(template))
        emit(done, as_json, lambda d: f"ledger template written to {d['template']} ({d['columns']} columns; "
                                      f"drop-downs of {d['rulebooks']} rulebooks, {d['stations']} stations, "
                                      f"{d['contractors']} contractors)")
        return
    if not file:
        raise BadInput(said("project import: name the ledger FILE (or --template FILE.xlsx for an empty one)"))
    outcome = import_ledger(c.store, Path(file), c.actor, clock(), dry_run=dry_run, sheet=sheet)
    emit(outcome.as_dict(), as_json, _import_text)


def _import_text(d: dict) -> str:
    verb = "would be created" if d["dry_run"] else "imported"
    lines = [f"{len(d['created'])} projects and {d['events']} events {verb} from {d['ledger']} "
             f"(SHA-256 {d['sha256'][:12]}…)" + ("; nothing was written" if d["dry_run"] else "")]
    lines += [f"  {pid}" for pid in d["created"]]
    if d["problems"]:
        lines.append(f"{len(d['problems'])} problems:")
        lines += [f"  row {p['row']}, column {p['column']}: {p['message']}" for p in d["problems"]]
    return "\n".join(lines)


@project.command("list")
@json_option
@pass_ctx
def project_list(c: Context, as_json: bool) -> None:
    """List projects with their state. Example: lifecycle project list"""
    from lifecycle.commands.outbox_text import projects_text
    from lifecycle.services.reference import list_projects
    emit(list_projects(c.store), as_json, projects_text)


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
    day = parse_date(on, "--on", said("project {project}", project=project_id))
    raw = pairs_to_dict(project_id, event, pairs)
    snap = do_advance(c.store, project_id, event, day, raw, c.actor, clock())
    emit(snap, as_json, lambda s: say(said("project {project}: {event} recorded as event {seq}; state {state}",
                                           project=s["project"], event=event, seq=s["head_seq"], state=s["state"])))


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
