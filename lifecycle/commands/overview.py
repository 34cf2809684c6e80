"""Reading the portfolio: the receipt of a due date (`explain`), the district in figures
(`summary`) and on one page (`dashboard`)."""
from __future__ import annotations

from pathlib import Path

import click

from lifecycle.commands.base import Context, clock, emit, json_option, parse_date, pass_ctx


@click.command()
@click.argument("project_id")
@click.argument("obligation_id", required=False)
@json_option
@pass_ctx
def explain(c: Context, project_id: str, obligation_id: str | None, as_json: bool) -> None:
    """Why a duty is due on its day: trigger, rule, period and every step of the count.

    Without OBLIGATION, every duty of the project. Example: lifecycle explain DY-2025-WH contract
    """
    from lifecycle.commands.overview_text import receipt_text
    from lifecycle.services.explain import explain as do_explain
    found = do_explain(c.store, project_id, obligation_id)
    data = [r.as_dict() for r, _stored in found]
    emit(data[0] if obligation_id else data, as_json,
         lambda _d: "\n\n".join(receipt_text(r, stored, c.lang) for r, stored in found) or
         f"project {project_id} owes nothing yet")


@click.command()
@click.option("--district", default=None, help="Only this district, e.g. 历下区.")
@click.option("--as-of", "as_of", default=None, help="Date to measure against (default today).")
@json_option
@pass_ctx
def summary(c: Context, district: str | None, as_of: str | None, as_json: bool) -> None:
    """The portfolio in figures: coverage, projects by state, stations by light, overdue by contractor, money.

    Example: lifecycle summary --district 历下区
    """
    from lifecycle.commands.overview_text import summary_text
    from lifecycle.services.portfolio import portfolio
    day = parse_date(as_of, "--as-of") or clock().today
    emit(portfolio(c.store, day, district), as_json, lambda p: summary_text(p, c.lang))


@click.command()
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write the site into (created if missing), e.g. dashboard/.")
@click.option("--as-of", "as_of", default=None, help="Date to measure against (default today).")
@click.option("--district", default=None, help="Only this district, e.g. 历下区.")
@json_option
@pass_ctx
def dashboard(c: Context, out: Path, as_of: str | None, district: str | None, as_json: bool) -> None:
    """Write the portfolio as a static site (no network): open index.html, print it A4 landscape.

    Example: lifecycle dashboard --out dashboard/ --district 历下区
    """
    from lifecycle.services.dashboard import write_dashboard
    moment = clock()
    day = parse_date(as_of, "--as-of") or moment.today
    done = write_dashboard(c.store, out, day, district, moment)
    emit(done, as_json, lambda d: f"dashboard of {d['projects']} projects in {d['districts']} district(s) "
                                  f"written to {d['index']} ({d['pages']} pages)")


COMMANDS = [explain, summary, dashboard]
