"""`lifecycle access grant|list`: who may do what, on PostgreSQL (row-level security per district)."""
from __future__ import annotations

import click

from lifecycle.commands.base import Context, emit, json_option, pass_ctx


@click.group()
def access() -> None:
    """Database roles for districts and auditors (PostgreSQL only; a SQLite file is protected by its permissions)."""


def _access_text(rows: list[dict]) -> str:
    from lifecycle.commands.i18n import _
    from lifecycle.core.text_table import render
    if not rows:
        return _("no role has been granted access")
    return render([_("role"), _("district"), _("access")],
                 [[r["role"], r["district"] or _("(every district)"),
                   _("auditor: reads everything") if r["auditor"] else
                   _("reads only") if r["read_only"] else _("reads and writes")] for r in rows])


@access.command("grant")
@click.argument("role")
@click.option("--district", default=None, help="The district (区县) whose projects the role sees and writes.")
@click.option("--read-only", is_flag=True, help="The role reads its district's projects and writes nothing.")
@click.option("--auditor", is_flag=True, help="The role reads every district and writes nothing.")
@json_option
@pass_ctx
def access_grant(c: Context, role: str, district: str | None, read_only: bool, auditor: bool, as_json: bool) -> None:
    """Create ROLE if needed and let it see only its district's projects (row-level security).

    Example: lifecycle --db postgresql+psycopg://owner@host/db access grant lixia --district 历下区
    """
    from lifecycle.services.access import grant
    emit(grant(c.store, role, district, read_only, auditor), as_json, lambda r: _access_text([r]))


@access.command("list")
@json_option
@pass_ctx
def access_list(c: Context, as_json: bool) -> None:
    """The roles granted access, their district and whether they write. Example: lifecycle access list --json"""
    from lifecycle.services.access import listing
    emit(listing(c.store), as_json, _access_text)


COMMANDS = [access]
