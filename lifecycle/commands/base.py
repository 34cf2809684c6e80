"""The `lifecycle` group and what every command shares: the context, `--json`, output, dates.

The group callback builds the context once; each command parses, calls one
service, prints. Domain errors become one sentence on stderr and the
documented exit status (1 refused, 2 bad input).
"""
from __future__ import annotations

import getpass
import json
import os
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterator

import click
from lifecycle.core.errors import Joined, Said, said

def parse_date(value: str | None, what: str, subject: str = "") -> date | None:
    """A date as typed — ISO, 2026/11/25 or 2026年11月25日, fullwidth digits alike (lifecycle.core.values) —
    within the supported range (lifecycle.core.limits); else BadInput."""
    if value is None:
        return None
    from lifecycle.core.errors import BadInput, said
    from lifecycle.core.limits import date_problem
    from lifecycle.core.values import parse_day
    try:
        day = parse_day(value)
    except ValueError:
        if subject:
            raise BadInput(said("{subject}: {what} {value!r} is not a date (YYYY-MM-DD)", subject=subject, what=what,
                                value=value[:40])) from None
        raise BadInput(said("{what} {value!r} is not a date (YYYY-MM-DD)", what=what, value=value[:40])) from None
    why = date_problem(day)
    if why:
        raise BadInput(said("{where}: {what} {why}", where=subject, what=what, why=why) if subject
                       else said("{what} {why}", what=what, why=why))
    return day


def output_path(value: str, what: str = "--out") -> Path:
    """A file the command may write: its folder exists and is writable, it is not a folder; else BadInput."""
    from lifecycle.core.errors import BadInput
    from lifecycle.core.limits import control_character
    if not value or len(value) > 4096 or control_character(value):
        raise BadInput(said("{what} {value!r} is not a usable file name", what=what, value=value[:40]))
    path = Path(value)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise BadInput(said("{what} {value}: the folder {folder} does not exist",
                what=what, value=value, folder=folder))
    if path.is_dir():
        raise BadInput(said("{what} {value} is a folder, not a file", what=what, value=value))
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise BadInput(said("{what} {value}: not writable by this user", what=what, value=value))
    return path


def input_path(value: str, what: str) -> Path:
    """A file the command reads: a usable name of an existing file (not a folder); else BadInput."""
    from lifecycle.core.errors import BadInput
    from lifecycle.core.limits import control_character
    if not value or len(value) > 4096 or control_character(value):
        raise BadInput(said("{what}: {value!r} is not a usable file name", what=what, value=value[:40]))
    path = Path(value)
    if not path.exists():
        raise BadInput(said("{what}: no such file: {value}", what=what, value=value))
    if path.is_dir():
        raise BadInput(said("{what}: {value} is a folder, not a file", what=what, value=value))
    return path


@contextmanager
def writing(path: Path, what: str = "--out") -> Iterator[None]:
    """Writing the output file `path`: a failure (a full disk, a vanished folder) is one sentence, exit 2."""
    from lifecycle.core.errors import BadInput
    try:
        yield
    except OSError as exc:
        raise BadInput(said("{what} {path}: cannot write it: {value}",
                what=what, path=path, value=exc.strerror or exc)) from None


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
            self._store = Store(self.db, keep_connection=True)   # closed when the command ends (`close`)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.dispose()


class Group(click.Group):
    """Turns every failure into one true sentence on stderr and the documented exit status.

    This is the one place failures are worded (see `failure`): domain errors carry their
    sentence; the environment's (a full disk, a locked database, a server that refuses, a
    broken pipe) are told as they are, with what had been committed before them.
    """

    def make_context(self, info_name: str | None, args: list[str], parent: click.Context | None = None,
                     **extra: Any) -> click.Context:
        from lifecycle.commands.i18n import localise_click, localise_help, start_from_environment
        start_from_environment()  # before --help is printed; `--lang` overrides it as it is parsed
        localise_help(self)
        localise_click()
        return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: click.Context) -> Any:
        ctx.meta["lifecycle.argv"] = [*getattr(ctx, "_protected_args", []), *ctx.args]
        ctx.call_on_close(lambda: ctx.obj.close() if isinstance(ctx.obj, Context) else None)
        try:
            result = super().invoke(ctx)
            _flush_stdout()   # a full disk or a closed pipe on stdout is found here, not at exit
            return result
        except click.exceptions.Exit:
            raise
        except Exception as exc:  # noqa: BLE001 - every failure ends as one sentence and a status
            help_asked = type(exc).__name__ == "NoArgsIsHelpError"  # a bare group: click prints its help
            if isinstance(exc, click.ClickException) and (help_asked or not isinstance(exc, click.UsageError)):
                raise
            told = failure(exc, ctx)
            if told is None:
                if os.environ.get("LIFECYCLE_DEBUG"):
                    raise
                told = _internal_error(exc, ctx)
            message, status = told
            _drop_stdout()
            click.echo(message, err=True)
            ctx.exit(status)


def failure(exc: BaseException, ctx: click.Context) -> tuple[str, int] | None:
    """(one sentence, exit status) for a failure, or None for a bug (which keeps its traceback)."""
    import errno

    from sqlalchemy.exc import SQLAlchemyError

    from lifecycle.core.errors import LifecycleError
    obj = ctx.obj if isinstance(ctx.obj, Context) else None
    notes = [n for n in getattr(exc, "__notes__", ()) if isinstance(n, str)]
    if isinstance(exc, LifecycleError):
        from lifecycle.commands.i18n import say
        return say(Joined([exc.message, *notes])), exc.exit_code
    if isinstance(exc, click.UsageError):
        # one sentence, like every other refusal, instead of click's usage block
        where = exc.ctx.command_path if exc.ctx else ctx.command_path
        from lifecycle.commands.i18n import say
        told = said("{where}: {message} (see `{where} --help`)", where=where, message=exc.format_message().rstrip("."))
        return say(told), exc.exit_code
    where = _command_path(ctx)
    after = _what_was_committed(exc, ctx)
    from lifecycle.commands.i18n import say
    if isinstance(exc, OSError):
        if isinstance(exc, BrokenPipeError) or exc.errno == errno.EPIPE:
            return say(said("{where}: the output pipe was closed before the output was written; {after}",
                            where=where, after=after)), 2
        if exc.filename is None:
            return say(said("{where}: cannot write the standard output: {why}; {after}", where=where,
                            why=exc.strerror or str(exc), after=after)), 2
        return say(said("{where}: cannot write {target}: {why}; {after}", where=where, target=exc.filename,
                        why=exc.strerror or str(exc), after=after)), 2
    if isinstance(exc, SQLAlchemyError):
        from lifecycle.store.database import database_failure
        return say(said("{failure}; {after}", failure=database_failure(exc, obj.db if obj else ""), after=after)), 1
    return None


def _what_was_committed(exc: BaseException, ctx: click.Context) -> Any:
    """What had been committed before a failure: the command's own account (its notes) or the store's
    count of commits."""
    notes = [n for n in getattr(exc, "__notes__", ()) if isinstance(n, str)]
    return Joined(notes) if notes else _committed(ctx.obj if isinstance(ctx.obj, Context) else None)


def _internal_error(exc: BaseException, ctx: click.Context) -> tuple[str, int]:
    """A bug: one sentence that says so and what had been committed, the traceback kept in a file for
    whoever maintains the engine (LIFECYCLE_DEBUG=1 shows it instead). Exit status 70 (EX_SOFTWARE)."""
    import tempfile
    import traceback

    from lifecycle.commands.i18n import say
    after = _what_was_committed(exc, ctx)
    detail = f"{type(exc).__name__}: {str(exc)[:200]}"
    try:
        fd, path = tempfile.mkstemp(prefix="lifecycle-error-", suffix=".txt")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(f"lifecycle {' '.join(ctx.meta.get('lifecycle.argv', []))}\n")
            traceback.print_exception(exc, file=out)
    except OSError:
        return say(said("{where}: internal error ({detail}); {after}; the details could not be saved (set "
                        "LIFECYCLE_DEBUG=1 to see them)", where=_command_path(ctx), detail=detail, after=after)), 70
    return say(said("{where}: internal error ({detail}); {after}; the details are saved in {path}: please send "
                    "that file to whoever maintains lifecycle", where=_command_path(ctx), detail=detail, after=after,
                    path=path)), 70


def _command_path(ctx: click.Context) -> str:
    """`lifecycle notices send`: the command that failed, found from the words after the group's options."""
    path, command = [ctx.command_path], ctx.command
    for word in ctx.meta.get("lifecycle.argv", []):
        found = command.get_command(ctx, word) if isinstance(command, click.Group) else None
        if found is None:
            break
        path.append(word)
        command = found
    return " ".join(path)


def _committed(obj: Context | None) -> Said:
    n = obj.store.commits if obj is not None and obj._store is not None else 0
    if not n:
        return said("nothing was written")
    if n == 1:
        return said("1 transaction of this command had been committed before it")
    return said("{count} transactions of this command had been committed before it", count=n)


def _flush_stdout() -> None:
    import sys
    sys.stdout.flush()


def _drop_stdout() -> None:
    """After a failure nothing more reaches stdout, and Python's own flush at exit cannot fail
    a second time on a full disk or a closed pipe: stdout is pointed at the null device."""
    import sys
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):   # not a real file (click's test runner)
        return
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, fd)
        os.close(devnull)
    except OSError:
        pass


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
    from lifecycle.core.limits import ACTOR_MAX, check_name
    try:
        who = actor or getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some containers
        who = os.environ.get("USER", "unknown")
    if not who.strip():
        from lifecycle.core.errors import BadInput
        raise BadInput(said("--actor is empty: say who records the events"))
    ctx.obj = Context(db, check_name(who, "--actor", "", ACTOR_MAX))
