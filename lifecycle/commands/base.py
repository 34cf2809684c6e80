"""The `lifecycle` group and what every command shares: the context, `--json`, output, dates.

The group callback builds the context once; each command parses, calls one
service, prints. Domain errors become one sentence on stderr and the
documented exit status (1 refused, 2 bad input).
"""
from __future__ import annotations

import getpass
import json
import os
from datetime import date
from typing import Any, Callable

import click

def parse_date(value: str | None, what: str, subject: str = "") -> date | None:
    """A date as typed: ISO, 2026/11/25 or 2026年11月25日, fullwidth digits alike (lifecycle.core.values)."""
    if value is None:
        return None
    from lifecycle.core.values import parse_day
    try:
        return parse_day(value)
    except ValueError:
        from lifecycle.core.errors import BadInput, said
        if subject:
            raise BadInput(said("{subject}: {what} {value!r} is not a date (YYYY-MM-DD)", subject=subject, what=what,
                                value=value)) from None
        raise BadInput(said("{what} {value!r} is not a date (YYYY-MM-DD)", what=what, value=value)) from None


def clock() -> Any:
    """The moment the command runs (`lifecycle.wiring.clock`, the one place the clock is read)."""
    from lifecycle.wiring import clock as system_clock
    return system_clock()


class Context:
    def __init__(self, db: str, actor: str) -> None:
        self.db, self.actor = db, actor
        from lifecycle.commands.i18n import language
        self.lang = language()  # the language of what people read (`--json` is the same in every language)
        self._store = None

    @property
    def store(self):
        if self._store is None:
            from lifecycle.store import Store
            self._store = Store(self.db)
        return self._store


class Group(click.Group):
    """Turns domain errors into one sentence on stderr and the documented exit status."""

    def make_context(self, info_name: str | None, args: list[str], parent: click.Context | None = None,
                     **extra: Any) -> click.Context:
        from lifecycle.commands.i18n import localise_help, start_from_environment
        start_from_environment()  # before --help is printed; `--lang` overrides it as it is parsed
        localise_help(self)
        return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.exceptions.Exit:
            raise
        except Exception as exc:  # noqa: BLE001 - every failure ends as one sentence and a status
            from lifecycle.core.errors import LifecycleError
            if isinstance(exc, LifecycleError):
                from lifecycle.commands.i18n import say
                click.echo(say(exc.message), err=True)
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
    from lifecycle.core.eventdata import parse_pairs
    return parse_pairs(project, event, list(pairs))


pass_ctx = click.make_pass_decorator(Context)


def _choose_language(value: str | None) -> None:
    if value:
        from lifecycle.commands.i18n import localise_help, set_language
        set_language(value)
        localise_help(cli)


@click.group("lifecycle", cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", envvar="LIFECYCLE_DB", default="sqlite:///lifecycle.db", show_default=True,
              help="Database URL, e.g. sqlite:///district.db or postgresql+psycopg://user@host/db (env LIFECYCLE_DB).")
@click.option("--actor", envvar="LIFECYCLE_ACTOR", default=None,
              help="Who records the events (env LIFECYCLE_ACTOR; default: the login name).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, is_eager=True, expose_value=False,
              callback=lambda ctx, param, value: _choose_language(value),
              help="Language of what people read, zh or en (env LIFECYCLE_LANG; default from LANG/LC_ALL).")
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
