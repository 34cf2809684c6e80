"""The district's own duties: `district report` files its plan or report, `district status` shows what it owes."""
from __future__ import annotations

import click

from lifecycle.commands.base import Context, clock, emit, json_option, parse_date, pass_ctx
from lifecycle.core.errors import said


@click.group()
def district() -> None:
    """Duties owed by the district (区县), not by each project: JN-plan, JN-annual-report, DY-county-report;
    and by the province (省, named as a district): FJ-cadence's monthly bulletin and quarterly dispatch."""


@district.command("report")
@click.argument("name")
@click.argument("kind", type=click.Choice(["plan", "annual", "quarterly", "bulletin", "dispatch"]))
@click.option("--period", required=True, help="The plan's or report's year (2027), quarter (2026-Q3) or month (2026-05, a bulletin).")
@click.option("--on", "on", required=True, help="Date it was filed with the city bureau (YYYY-MM-DD).")
@json_option
@pass_ctx
def district_report(c: Context, name: str, kind: str, period: str, on: str, as_json: bool) -> None:
    """Record that the district filed its annual plan, annual report or quarterly report, or that the
    province circulated its monthly bulletin or quarterly dispatch.

    Example: lifecycle district report 历下区 annual --period 2026 --on 2026-11-27
    Example: lifecycle district report 福建省 bulletin --period 2026-05 --on 2026-06-08
    """
    from lifecycle.commands.text import district_text
    from lifecycle.services.districts import report
    day = parse_date(on, "--on", said("district {name}", name=name))
    emit(report(c.store, name, kind, period, day, c.actor, clock()), as_json, district_text)


@district.command("status")
@click.argument("name")
@json_option
@pass_ctx
def district_status(c: Context, name: str, as_json: bool) -> None:
    """What the district owes the city bureau, once per period. Example: lifecycle district status 历下区 --json"""
    from lifecycle.commands.text import district_text
    from lifecycle.services.districts import status
    emit(status(c.store, name, clock().today), as_json, district_text)


COMMANDS = [district]
