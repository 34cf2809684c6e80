"""The auditors' commands: history, replay, verify, correct, audit, export."""
from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Any, Callable, Iterator

import click

from lifecycle.commands.base import (Context, clock, emit, json_option, output_path, pairs_to_dict, parse_date,
                                     pass_ctx, writing)
from lifecycle.commands.i18n import _, say
from lifecycle.core.errors import said


@click.command()
@click.argument("project_id")
@json_option
@pass_ctx
def history(c: Context, project_id: str, as_json: bool) -> None:
    """Every event: seq, event, effective, recorded, actor, data, hash. Example: lifecycle history LX-2026-01"""
    from lifecycle.commands.text import history_text
    from lifecycle.services.replay import history as do_history
    emit(do_history(c.store, project_id), as_json, history_text)


@click.command()
@click.argument("project_id")
@click.option("--as-of", "as_of", default=None, help="Only events effective on or before this date.")
@click.option("--known-at", "known_at", default=None, help="Only events recorded by this timestamp (as history prints it).")
@click.option("--verify", is_flag=True, help="Check the hash chain and that the stored projection equals the replay.")
@json_option
@pass_ctx
def replay(c: Context, project_id: str, as_of: str | None, known_at: str | None, verify: bool, as_json: bool) -> None:
    """Rebuild a project from its events alone. Example: lifecycle replay LX-2026-01 --verify"""
    from lifecycle.commands.text import replay_text
    from lifecycle.services.replay import normalise_known_at, replay as do_replay
    day = parse_date(as_of, "--as-of", said("project {project}", project=project_id))
    stamp = normalise_known_at(project_id, known_at) if known_at else None
    out = do_replay(c.store, project_id, day, stamp, verify, clock().today)
    emit(out, as_json, replay_text)
    if verify and not out["verified"]:
        if not as_json:
            click.echo(say(out["problems"][0]), err=True)
        sys.exit(1)


@click.command()
@click.option("--all", "all_projects", is_flag=True, required=True, help="Verify every project.")
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes verifying projects side by side (default: one per core; "
                   "e.g. --jobs 1 for one process and one transaction).")
@click.option("--checkpoint", "checkpoint", default=None,
              help="Also prove every head this signed checkpoint covers is still there, unaltered.")
@click.option("--pubkey", "pubkey", default=None, help="The public key (KEY.pub) the checkpoint was signed with.")
@json_option
@pass_ctx
def verify(c: Context, all_projects: bool, jobs: int | None, checkpoint: str | None, pubkey: str | None,
           as_json: bool) -> None:
    """Verify every project's chain and projections. Example: lifecycle verify --all --jobs 4

    With a checkpoint: lifecycle verify --all --checkpoint CP.json --pubkey lifecycle.key.pub
    """
    from lifecycle.audit.verify import verify_all
    from lifecycle.core.errors import BadInput, said
    if (checkpoint is None) != (pubkey is None):
        raise BadInput(said("verify: --checkpoint and --pubkey go together (the checkpoint and the key it was signed with)"))
    witnessed = None
    if checkpoint is not None:
        from lifecycle.audit.checkpoint import verify_checkpoint
        from lifecycle.commands.base import input_path
        c.store.require()
        witnessed = verify_checkpoint(c.store, input_path(checkpoint, "verify --checkpoint"),
                                      input_path(pubkey, "verify --pubkey"))
    with progress_bar(_("verifying"), enabled=not as_json) as advance:
        result = verify_all(c.store, progress=advance, jobs=jobs)
    if witnessed is not None:
        result["checkpoint"] = witnessed
        result["failed"] += [p for p in witnessed["failed"] if p not in result["failed"]]
        result["problems"] += witnessed["problems"]
        result["verified"] = max(0, result["projects"] - len([f for f in result["failed"]
                                                              if not f.startswith("letter")]))
    emit(result, as_json, lambda r: _("{projects} projects, {events} events: {verified} verified, {failed} failed; "
                                      "{letters} letters, {seals} seals").format(
                                        projects=r["projects"], events=r["events"], verified=r["verified"],
                                        failed=len(r["failed"]), letters=r["letters"], seals=r["letter_seals"])
                                    + (_("; checkpoint of {created_at}: {covered} logs covered, {altered} altered").format(
                                        created_at=r["checkpoint"]["created_at"], covered=r["checkpoint"]["covered"],
                                        altered=len(r["checkpoint"]["failed"])) if "checkpoint" in r else "")
                                    + "".join(f"\n  {say(p)}" for p in r["problems"]))
    if result["failed"]:
        sys.exit(1)


@click.command(context_settings={"ignore_unknown_options": False})
@click.argument("project_id")
@click.argument("seq", type=int)
@click.argument("pairs", nargs=-1)
@click.option("--reason", required=True, help="Why event SEQ is wrong, e.g. '合同金额录入错误'.")
@click.option("--on", "on", default=None, help="The event's true effective date (YYYY-MM-DD).")
@click.option("--void", is_flag=True, help="Retract event SEQ (a duplicate report, a mistaken payment).")
@json_option
@pass_ctx
def correct(c: Context, project_id: str, seq: int, pairs: tuple[str, ...], reason: str, on: str | None,
            void: bool, as_json: bool) -> None:
    """Supersede event SEQ's data (KEY=VALUE) or effective date (--on), or void it; nothing is erased.

    Example: lifecycle correct LX-2026-01 4 amount=580000 --reason "amount mistyped"
    """
    from lifecycle.core.limits import check_name
    from lifecycle.services.correct import correct as do_correct
    check_name(reason, "--reason", said("project {project}", project=project_id))
    day = parse_date(on, "--on", said("project {project}", project=project_id))
    raw = pairs_to_dict(project_id, "correct", pairs)
    snap = do_correct(c.store, project_id, seq, reason, day, raw, c.actor, clock(), void=void)
    done = "voided" if void else "corrected"
    emit(snap, as_json, lambda s: f"project {s['project']}: event {seq} {done} by event {s['head_seq']}; "
                                  f"state {s['state']}")


@click.command()
@click.argument("project_id")
@click.option("--out", "out", required=True,
              help="The HTML file to write, e.g. report.html.")
@click.option("--backdating-days", type=click.IntRange(min=0), default=7, show_default=True,
              help="Flag events recorded more than this many days after their effective date.")
@pass_ctx
def audit(c: Context, project_id: str, out: str, backdating_days: int) -> None:
    """Write a printable HTML audit report of one project.

    Example: lifecycle audit LX-2026-01 --out LX-2026-01-audit.html
    """
    from lifecycle.audit.html_report import write_report
    target = output_path(out)
    with writing(target):
        summary = write_report(c.store, project_id, target, clock(), backdating_days)
    click.echo(say(said("project {project}: audit report written to {out} ({summary} flags, {value})", project=project_id, out=out, summary=summary['flags'], value='verified' if summary['verified'] else 'NOT verified')))


@click.command()
@click.argument("project_id", required=False)
@click.option("--all", "all_projects", is_flag=True, help="Export every project.")
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "xlsx", "ocds"]), required=True,
              help="json (snapshots with events), csv (one row a project), xlsx (the 台账), ocds (OCDS 1.1).")
@click.option("--out", "out", default=None,
              help="File to write; stdout when absent (not for xlsx).")
@pass_ctx
def export(c: Context, project_id: str | None, all_projects: bool, fmt: str, out: str | None) -> None:
    """Export projects for people and other systems.

    Example: lifecycle export --all --format xlsx --out 台账.xlsx
    """
    from lifecycle.audit.export import export as do_export
    from lifecycle.core.errors import BadInput
    if bool(project_id) == all_projects:
        raise BadInput(said("export needs one project id or --all (not both)"))
    if fmt == "xlsx" and out is None:
        raise BadInput(said("export of {value}: --format xlsx needs --out FILE.xlsx",
                value=project_id or 'all projects'))
    target = output_path(out) if out is not None else None
    body = do_export(c.store, None if all_projects else project_id, fmt, clock())
    if out is None:
        sys.stdout.write(body if isinstance(body, str) else body.decode("utf-8"))
        return
    with writing(target):
        if isinstance(body, bytes):
            target.write_bytes(body)
        else:  # a CSV file gets a BOM: Excel then reads it as UTF-8 and shows the Chinese
            target.write_text(body, encoding="utf-8-sig" if fmt == "csv" else "utf-8")
    click.echo(f"{fmt} export of {project_id or 'all projects'} written to {out}")


@contextmanager
def progress_bar(label: str, enabled: bool) -> Iterator[Callable[[int | None, int | None], None]]:
    """A click progress bar on stderr, driven as `advance(done, total)`: the total once, then each step."""
    if not enabled:
        yield lambda done, total: None
        return
    state: dict[str, Any] = {}

    def advance(done: int | None, total: int | None) -> None:
        if total is not None:
            state["bar"] = click.progressbar(length=total, label=label, file=sys.stderr)
            state["bar"].__enter__()
        elif done:
            state["bar"].update(done)
    try:
        yield advance
    finally:
        if "bar" in state:
            state["bar"].__exit__(None, None, None)


COMMANDS = [history, replay, verify, correct, audit, export]
