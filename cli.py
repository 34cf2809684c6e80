"""`lifecycle`: the command line of the social-work-station lifecycle engine.

A skin: each command parses, calls one service, prints. Heavy modules
(SQLAlchemy, transitions, Jinja2) are imported inside the commands that need
them, so `lifecycle --help` starts fast. Domain errors become one sentence
on stderr and the documented exit status (1 refused, 2 bad input).
"""
from __future__ import annotations

import getpass
import json
import os
import sys
from datetime import date, datetime, timezone
from typing import Any, Callable

import click

SHANGHAI = "Asia/Shanghai"


def parse_date(value: str | None, what: str, subject: str = "") -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        from lifecycle.errors import BadInput
        prefix = f"{subject}: " if subject else ""
        raise BadInput(f"{prefix}{what} {value!r} is not a date (YYYY-MM-DD)") from None


def clock():
    """The only place the program reads the clock: today in Asia/Shanghai, now in UTC."""
    from zoneinfo import ZoneInfo

    from lifecycle.clock import Clock
    now = datetime.now(timezone.utc)
    return Clock(today=now.astimezone(ZoneInfo(SHANGHAI)).date(), now=now)


class Context:
    def __init__(self, db: str, actor: str) -> None:
        self.db, self.actor = db, actor
        self._store = None

    @property
    def store(self):
        if self._store is None:
            from lifecycle.store import Store
            self._store = Store(self.db)
        return self._store


class Group(click.Group):
    """Turns domain errors into one sentence on stderr and the documented exit status."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.exceptions.Exit:
            raise
        except Exception as exc:  # noqa: BLE001 - every failure ends as one sentence and a status
            from lifecycle.errors import LifecycleError
            if isinstance(exc, LifecycleError):
                click.echo(exc.message, err=True)
                ctx.exit(exc.exit_code)
            help_asked = type(exc).__name__ == "NoArgsIsHelpError"  # a bare group: click prints its help
            if isinstance(exc, click.UsageError) and not help_asked:
                # one sentence, like every other refusal, instead of click's usage block
                where = exc.ctx.command_path if exc.ctx else ctx.command_path
                click.echo(f"{where}: {exc.format_message().rstrip('.')} (see `{where} --help`)", err=True)
                ctx.exit(exc.exit_code)
            if isinstance(exc, click.ClickException):
                raise
            from sqlalchemy.exc import SQLAlchemyError
            if isinstance(exc, SQLAlchemyError):
                click.echo(f"database error, nothing was written: {str(exc).splitlines()[0]}", err=True)
                ctx.exit(1)
            raise


def json_option(f: Callable[..., Any]) -> Callable[..., Any]:
    """Every reporting command takes --json: one JSON document on stdout, nothing else."""
    return click.option("--json", "as_json", is_flag=True, help="Print one JSON document instead of a table.")(f)


def emit(data: Any, as_json: bool, human: Callable[[Any], str]) -> None:
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        click.echo(human(data))


def pairs_to_dict(project: str, event: str, pairs: tuple[str, ...]) -> dict[str, str]:
    from lifecycle.eventdata import parse_pairs
    return parse_pairs(project, event, list(pairs))


pass_ctx = click.make_pass_decorator(Context)


@click.group("lifecycle", cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", envvar="LIFECYCLE_DB", default="sqlite:///lifecycle.db", show_default=True,
              help="Database URL, e.g. sqlite:///district.db or postgresql+psycopg://user@host/db (env LIFECYCLE_DB).")
@click.option("--actor", envvar="LIFECYCLE_ACTOR", default=None,
              help="Who records the events (env LIFECYCLE_ACTOR; default: the login name).")
@click.version_option(package_name="lifecycle", message="lifecycle %(version)s")
@click.pass_context
def cli(ctx: click.Context, db: str, actor: str | None) -> None:
    """Run social-work-station projects (社工站项目) through their legal lifecycle.

    Example: lifecycle --db sqlite:///licheng.db status LX-2026-01
    """
    try:
        who = actor or getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some containers
        who = os.environ.get("USER", "unknown")
    ctx.obj = Context(db, who)


# -- set-up and reference data ---------------------------------------------------
@cli.command()
@click.option("--demo", is_flag=True, help="Also load a sample district with projects at every stage.")
@pass_ctx
def init(c: Context, demo: bool) -> None:
    """Create or upgrade the schema. Example: lifecycle init --demo"""
    from lifecycle import schema
    version = schema.upgrade(c.store)
    click.echo(f"database {c.db} is at schema {version}")
    if demo:
        from lifecycle.demo import load_demo
        summary = load_demo(c.store, "demo", clock())
        click.echo(summary)


@cli.group()
def station() -> None:
    """Stations (社工站): add, import, list."""


@station.command("add")
@click.argument("station_id")
@click.option("--name", required=True, help="Chinese name, e.g. 解放路街道社会工作服务站.")
@click.option("--district", required=True, help="District (区县), e.g. 历下区.")
@click.option("--kind", type=click.Choice(["street", "town", "general"]), default="street", show_default=True,
              help="street, town, or the district general station.")
@click.option("--villages", type=click.IntRange(min=0), default=0, show_default=True,
              help="Villages/communities the station covers (DG-roster).")
@pass_ctx
def station_add(c: Context, station_id: str, name: str, district: str, kind: str, villages: int) -> None:
    """Register a station. Example: lifecycle station add LX-JFL --name 解放路街道社工站 --district 历下区"""
    from lifecycle.reference import add_station
    row = add_station(c.store, station_id, name, district, kind, villages)
    click.echo(f"station {row['id']} {row['name']} ({row['district']}, {row['kind']}) added")


@station.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@pass_ctx
def station_import(c: Context, file: str) -> None:
    """Import stations from CSV or XLSX (id,name,district[,kind][,villages]); all or nothing.

    Example: lifecycle station import stations.csv
    """
    from pathlib import Path

    from lifecycle.reference import import_stations
    n = import_stations(c.store, Path(file))
    click.echo(f"{n} stations imported from {file}")


@station.command("list")
@json_option
@pass_ctx
def station_list(c: Context, as_json: bool) -> None:
    """List stations. Example: lifecycle station list --json"""
    from lifecycle.reference import list_stations
    from lifecycle.tables import render
    rows = list_stations(c.store)
    emit(rows, as_json, lambda rs: render(["id", "name", "district", "kind", "villages"],
                                          [[r["id"], r["name"], r["district"], r["kind"], r["villages"]] for r in rs]))


@cli.group()
def contractor() -> None:
    """Contractors (承接机构): add, list."""


@contractor.command("add")
@click.argument("contractor_id")
@click.option("--name", required=True, help="Registered name, e.g. 济南市历下区阳光社会工作服务中心.")
@click.option("--credit-code", default=None, help="18-character unified social credit code (GB 32100-2015).")
@click.option("--district", default=None, help="Home district of the contractor.")
@pass_ctx
def contractor_add(c: Context, contractor_id: str, name: str, credit_code: str | None, district: str | None) -> None:
    """Register a contractor. Example: lifecycle contractor add YG --name 阳光社工 --credit-code 52370102MJD1234562"""
    from lifecycle.reference import add_contractor
    row = add_contractor(c.store, contractor_id, name, credit_code, district)
    click.echo(f"contractor {row['id']} {row['name']} added")


@contractor.command("list")
@json_option
@pass_ctx
def contractor_list(c: Context, as_json: bool) -> None:
    """List contractors. Example: lifecycle contractor list"""
    from lifecycle.reference import list_contractors
    from lifecycle.tables import render
    emit(list_contractors(c.store), as_json, lambda rs: render(
        ["id", "name", "credit code", "district"], [[r["id"], r["name"], r["credit_code"], r["district"]] for r in rs]))


@cli.group()
def rules() -> None:
    """Rulebooks: list them, show one with every rule's id, period and citation."""


@rules.command("list")
@json_option
def rules_list(as_json: bool) -> None:
    """List the installed rulebooks. Example: lifecycle rules list"""
    from lifecycle import rulebook
    from lifecycle.tables import render
    books = [rulebook.load(n) for n in rulebook.available()]
    data = [{"name": b.name, "version": b.version, "title": b.title, "extends": b.extends,
             "valid_from": b.valid_from, "valid_to": b.valid_to, "rules": len(b.rules)} for b in books]
    emit(data, as_json, lambda rs: render(["name", "version", "rules", "valid", "title"], [
        [r["name"], r["version"], r["rules"], f"{r['valid_from'] or ''}..{r['valid_to'] or ''}", r["title"]] for r in rs]))


@rules.command("show")
@click.argument("name")
@json_option
def rules_show(name: str, as_json: bool) -> None:
    """Show a rulebook's rules with their citations. Example: lifecycle rules show dongying"""
    from lifecycle import rulebook
    from lifecycle.tables import render
    data = rulebook.describe(rulebook.load(name))

    def human(d: dict[str, Any]) -> str:
        head = f"{d['title']} ({d['name']} {d['version']}, valid {d['valid_from']} to {d['valid_to'] or 'open'})"
        rows = [[r["id"], r["type"], _period_text(r["period"]), r["basis"], r["summary"]] for r in d["rules"]]
        return head + "\n" + render(["id", "type", "period", "basis", "summary"], rows)
    emit(data, as_json, human)


def _period_text(period: dict[str, int] | None) -> str:
    if not period:
        return ""
    (unit, n), = period.items()
    return f"{n} {unit.replace('_', ' ')}"


# -- running a project -------------------------------------------------------------
@cli.group()
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
    from lifecycle.services import open_project
    day = parse_date(on, "--on", f"project {project_id}")
    snap = open_project(c.store, project_id, station_id, rulebook_name, year, day, budget, c.actor, clock())
    emit(snap, as_json, lambda s: f"project {s['project']} opened at {s['station_name']} ({s['district']}) "
                                  f"under {s['rulebook']}: state {s['state']}")


@project.command("list")
@json_option
@pass_ctx
def project_list(c: Context, as_json: bool) -> None:
    """List projects with their state. Example: lifecycle project list"""
    from lifecycle.reference import list_projects
    from lifecycle.tables import render
    emit(list_projects(c.store), as_json, lambda rs: render(
        ["project", "station", "district", "rulebook", "state", "contractor", "term end"],
        [[r["project"], r["station"], r["district"], r["rulebook"], r["state"], r["contractor"], r["term_end"]]
         for r in rs]))


@cli.command(context_settings={"ignore_unknown_options": False})
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
    from lifecycle.services import advance as do_advance
    day = parse_date(on, "--on", f"project {project_id}")
    raw = pairs_to_dict(project_id, event, pairs)
    snap = do_advance(c.store, project_id, event, day, raw, c.actor, clock())
    emit(snap, as_json, lambda s: f"project {s['project']}: {event} recorded as event {s['head_seq']}; "
                                  f"state {s['state']}")


@cli.command()
@click.argument("project_id")
@json_option
@pass_ctx
def status(c: Context, project_id: str, as_json: bool) -> None:
    """A project's state and obligations. Example: lifecycle status LX-2026-01 --json"""
    from lifecycle.report import status_text
    from lifecycle.store import read_status as do_status
    emit(do_status(c.store, project_id, clock().today), as_json, status_text)


@cli.command()
@click.option("--as-of", "as_of", default=None, help="Date to measure against (default today).")
@click.option("--overdue", is_flag=True, help="Only duties past their due date.")
@click.option("--district", default=None, help="Only this district, e.g. 历下区.")
@json_option
@pass_ctx
def deadlines(c: Context, as_of: str | None, overdue: bool, district: str | None, as_json: bool) -> None:
    """Open duties across projects, most urgent first. Example: lifecycle deadlines --overdue --district 历下区"""
    from lifecycle.reference import deadlines as do_deadlines
    from lifecycle.report import deadlines_text
    day = parse_date(as_of, "--as-of") or clock().today
    emit(do_deadlines(c.store, day, overdue, district), as_json, deadlines_text)


# -- audit -------------------------------------------------------------------------
@cli.command()
@click.argument("project_id")
@json_option
@pass_ctx
def history(c: Context, project_id: str, as_json: bool) -> None:
    """Every event: seq, event, effective, recorded, actor, data, hash. Example: lifecycle history LX-2026-01"""
    from lifecycle.report import history_text
    from lifecycle.services import history as do_history
    emit(do_history(c.store, project_id), as_json, history_text)


@cli.command()
@click.argument("project_id")
@click.option("--as-of", "as_of", default=None, help="Only events effective on or before this date.")
@click.option("--known-at", "known_at", default=None, help="Only events recorded by this timestamp (as history prints it).")
@click.option("--verify", is_flag=True, help="Check the hash chain and that the stored projection equals the replay.")
@json_option
@pass_ctx
def replay(c: Context, project_id: str, as_of: str | None, known_at: str | None, verify: bool, as_json: bool) -> None:
    """Rebuild a project from its events alone. Example: lifecycle replay LX-2026-01 --verify"""
    from lifecycle.report import replay_text
    from lifecycle.services import normalise_known_at, replay as do_replay
    day = parse_date(as_of, "--as-of", f"project {project_id}")
    stamp = normalise_known_at(project_id, known_at) if known_at else None
    out = do_replay(c.store, project_id, day, stamp, verify, clock().today)
    emit(out, as_json, replay_text)
    if verify and not out["verified"]:
        if not as_json:
            click.echo(out["problems"][0], err=True)
        sys.exit(1)


@cli.command()
@click.option("--all", "all_projects", is_flag=True, required=True, help="Verify every project.")
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes verifying projects side by side (default: one per core; "
                   "e.g. --jobs 1 for one process and one transaction).")
@json_option
@pass_ctx
def verify(c: Context, all_projects: bool, jobs: int | None, as_json: bool) -> None:
    """Verify every project's chain and projections. Example: lifecycle verify --all --jobs 4"""
    from lifecycle.audit.verify import verify_all
    result = verify_all(c.store, progress=not as_json, jobs=jobs)
    emit(result, as_json, lambda r: f"{r['projects']} projects, {r['events']} events: "
                                    f"{r['verified']} verified, {len(r['failed'])} failed"
                                    + "".join(f"\n  {p}" for p in r["problems"]))
    if result["failed"]:
        sys.exit(1)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["mermaid"]), default="mermaid", show_default=True,
              help="Diagram format.")
def diagram(fmt: str) -> None:
    """Print the live state machine. Example: lifecycle diagram > lifecycle.mmd"""
    from lifecycle.states import diagram as draw
    click.echo(draw(), nl=False)


@cli.command()
@json_option
@pass_ctx
def recompute(c: Context, as_json: bool) -> None:
    """Refold every project after new holiday data arrives. Example: LIFECYCLE_HOLIDAYS=2027.toml lifecycle recompute"""
    from lifecycle.services import recompute as do_recompute
    changed = do_recompute(c.store)
    emit({"changed": changed}, as_json, lambda d: f"{len(d['changed'])} projects recomputed"
                                                  + "".join(f"\n  {p}" for p in d["changed"]))


def _register_extensions() -> None:
    """Command groups that live in their own modules (notices, audit, exports)."""
    import importlib
    for module in ("lifecycle.notifications.cli", "lifecycle.audit.cli"):
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
            continue
        mod.register(cli)


_register_extensions()


def main() -> None:
    cli(prog_name="lifecycle")


if __name__ == "__main__":
    main()
