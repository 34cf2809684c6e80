"""The notice side's commands: contact, check, notices, scheduler."""
from __future__ import annotations

import sys
from typing import Any

import click

from lifecycle.commands.base import Context, clock, emit, json_option, parse_date, pass_ctx
from lifecycle.core.errors import said
from lifecycle.commands.i18n import _, language, say

_ROLES = ["purchaser", "street", "city", "contractor"]


@click.group()
def contact() -> None:
    """Who reads the notices: the purchaser, street office and city bureau by district, contractors by id."""

@contact.command("add")
@click.option("--role", type=click.Choice(_ROLES), required=True, help="purchaser, street, city or contractor.")
@click.option("--district", default=None, help="District (区县) for purchaser/street, optional for city.")
@click.option("--contractor", "contractor_id", default=None, help="Contractor id, for --role contractor.")
@click.option("--name", required=True, help="Person or office, e.g. 历下区民政局社工科.")
@click.option("--email", required=True, help="E-mail address, e.g. sgk@lixia.gov.cn.")
@pass_ctx
def contact_add(c: Context, role: str, district: str | None, contractor_id: str | None, name: str,
                email: str) -> None:
    """Add a contact. Example: lifecycle contact add --role purchaser --district 历下区 --name 社工科 --email sgk@lixia.gov.cn"""
    from lifecycle.notifications.contacts import add_contact
    row = add_contact(c.store, role, name, email, district, contractor_id)
    where = row["contractor_id"] or row["district"] or said("every district")
    click.echo(say(said("contact {row}: {role} for {where}: {row3} <{row4}>", row=row['id'], role=row['role'],
                        where=where, row3=row['name'], row4=row['email'])))

@contact.command("update")
@click.argument("contact_id", type=int)
@click.option("--name", default=None, help="New name.")
@click.option("--email", default=None, help="New e-mail address.")
@pass_ctx
def contact_update(c: Context, contact_id: int, name: str | None, email: str | None) -> None:
    """Change a contact's name or address; the change is kept (`lifecycle changes`).

    Example: lifecycle contact update 3 --email sgk@lixia.gov.cn
    """
    from lifecycle.services.reference_changes import update_contact
    done = update_contact(c.store, contact_id, {"name": name, "email": email}, c.actor, clock())
    click.echo(say(said("contact {contact_id} updated: {done} <{done2}>", contact_id=contact_id, done=done['after']['name'], done2=done['after']['email'])))


@contact.command("remove")
@click.argument("contact_id", type=int)
@pass_ctx
def contact_remove(c: Context, contact_id: int) -> None:
    """Remove a contact who left; the removal is kept (`lifecycle changes`). Example: lifecycle contact remove 3"""
    from lifecycle.services.reference_changes import remove_contact
    done = remove_contact(c.store, contact_id, c.actor, clock())
    click.echo(say(said("contact {contact_id} ({done} <{done2}>) removed", contact_id=contact_id, done=done['before']['name'], done2=done['before']['email'])))


@contact.command("list")
@json_option
@pass_ctx
def contact_list(c: Context, as_json: bool) -> None:
    """List contacts. Example: lifecycle contact list --json"""
    from lifecycle.commands.i18n import role_name
    from lifecycle.notifications.contacts import list_contacts
    from lifecycle.core.text_table import render
    emit(list_contacts(c.store), as_json, lambda rs: render(
        [_("id"), _("role"), _("district"), _("contractor"), _("name"), _("email")],
        [[r["id"], role_name(r["role"]), r["district"], r["contractor_id"], r["name"], r["email"]] for r in rs]))

@click.command()
@click.option("--as-of", "as_of", default=None,
              help="The sweep date (default today), e.g. 2026-11-20; a later date than today needs --dry-run.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of the letters.")
@click.option("--dry-run", is_flag=True, help="Show the notices and letters a sweep would make; write nothing.")
@json_option
@pass_ctx
def check(c: Context, as_of: str | None, lang: str, dry_run: bool, as_json: bool) -> None:
    """One sweep: create the reminders, overdue notices and escalations now due, one letter per reader.

    Example: lifecycle check --as-of 2026-11-20 --json
    """
    from lifecycle.services.sweep import sweep
    now = clock()
    day = parse_date(as_of, "--as-of") or now.today
    result = sweep(c.store, day, lambda: clock().now, trigger="manual", lang=lang, dry_run=dry_run, today=now.today,
                   keep_notices=as_json)   # the table lists letters: a national first sweep keeps no row per notice
    emit(result, as_json, _check_text)

@click.group(invoke_without_command=True)
@click.option("--project", default=None, help="Only this project's notices.")
@click.option("--status", type=click.Choice(["pending", "sending", "sent", "failed", "uncertain"]), default=None,
              help="Only notices in this state.")
@json_option
@click.pass_context
def notices(ctx: click.Context, project: str | None, status: str | None, as_json: bool) -> None:
    """The outbox: list notices; `show` one; `send` them. Example: lifecycle notices --status failed"""
    if ctx.invoked_subcommand is not None:
        return
    from lifecycle.notifications.outbox import list_notices
    c = ctx.find_object(Context)
    emit(list_notices(c.store, project, status), as_json, _notices_text)

@notices.command("show")
@click.argument("notice_id", type=int)
@pass_ctx
def notices_show(c: Context, notice_id: int) -> None:
    """Print a notice as rendered. Example: lifecycle notices show 3"""
    from lifecycle.notifications.outbox import render_notice
    click.echo(render_notice(c.store, notice_id, language()))

@notices.command("send")
@click.option("--via", envvar="LIFECYCLE_VIA", default=None,
              help="A directory for .eml and .docx files, smtp://HOST:PORT or smtps://HOST:PORT (env LIFECYCLE_VIA).")
@click.option("--timeout", type=float, default=None,
              help="Seconds each SMTP step may take (env LIFECYCLE_SMTP_TIMEOUT, default 20).")
@click.option("--deadline", type=float, default=300.0, show_default=True,
              help="Seconds the whole run may take; letters not begun by then wait for the next run.")
@json_option
@pass_ctx
def notices_send(c: Context, via: str | None, timeout: float | None, deadline: float, as_json: bool) -> None:
    """Deliver every pending and failed letter now; exit 1 if any failed or was interrupted.

    Example: lifecycle notices send --via smtp://127.0.0.1:25
    """
    from lifecycle.services.delivery import send_all
    from lifecycle.wiring import deadline as run_deadline
    result = send_all(c.store, _need_via(via), clock().now, timeout=timeout, past_deadline=run_deadline(deadline))
    if as_json:
        emit(result, True, _send_text)
    elif result["ok"]:
        click.echo(_send_text(result))
    if not result["ok"]:
        click.echo(_send_text(result), err=True)
        sys.exit(1)

@click.group()
def scheduler() -> None:
    """The daemon: a sweep and a delivery every day at a fixed time (Asia/Shanghai)."""

@scheduler.command("run")
@click.option("--at", "at", default="08:00", show_default=True, help="Daily time of the sweep, HH:MM.")
@click.option("--via", envvar="LIFECYCLE_VIA", default=None,
              help="A directory for .eml files, or smtp://HOST:PORT; without it notices wait in the outbox.")
@click.option("--once", is_flag=True, help="Catch up a missed sweep, deliver, and exit.")
@click.option("--ics", "ics", type=click.Path(file_okay=False), default=None,
              help="Rewrite the calendar feeds in this directory after each sweep (DIR/<district>.ics, DIR/all.ics).")
@click.option("--dashboard", "dashboard_dir", default=None, type=click.Path(file_okay=False),
              help="Refresh the dashboard in this folder after each sweep, e.g. /srv/dashboard.")
@click.option("--checkpoint-key", "checkpoint_key", default=None,
              help="Sign a checkpoint after each sweep with this key of `lifecycle keygen`.")
@click.option("--checkpoint-dir", "checkpoint_dir", default=None, type=click.Path(file_okay=False),
              help="Where each sweep's checkpoint goes, named by its time: DIR/CP-20261120T010000Z.json.")
@click.option("--checkpoint-to", "checkpoint_to", multiple=True,
              help="Mail each checkpoint to this address (repeatable); default: the city contacts.")
@pass_ctx
def scheduler_run(c: Context, at: str, via: str | None, once: bool, ics: str | None, dashboard_dir: str | None,
                  checkpoint_key: str | None, checkpoint_dir: str | None, checkpoint_to: tuple[str, ...]) -> None:
    """Run the daemon until SIGTERM or Ctrl-C; it sweeps and sends on working days only.

    Example: lifecycle scheduler run --at 08:00 --via smtp://mail:25 --ics /var/lib/lifecycle/ics
    """
    from lifecycle import scheduler as daemon
    from lifecycle.notifications.mail import transport_for
    hour, minute = daemon.parse_at(at)
    if via:
        transport_for(via)   # a bad --via is bad input now, not at 08:00
    steps = [s for s in (_dashboard_refresher(c, dashboard_dir),
                         _checkpointer(c, checkpoint_key, checkpoint_dir, checkpoint_to, via)) if s]
    daemon.run(c.store, clock, hour, minute, via, once=once, say=_say, ics=ics,
               after_sweep=(lambda day: [step(day) for step in steps]) if steps else None)


def _checkpointer(c: Context, key: str | None, folder: str | None, to: tuple[str, ...], via: str | None) -> Any:
    """`--checkpoint-key KEY --checkpoint-dir DIR`: after each sweep, a signed checkpoint, mailed
    (lifecycle.services.witness); the key and the folder are checked now, not at the first sweep."""
    from lifecycle.core.errors import BadInput
    if key is None and folder is None:
        if to:
            raise BadInput(said("scheduler run: --checkpoint-to needs --checkpoint-key KEY and --checkpoint-dir DIR"))
        return None
    if key is None or folder is None:
        raise BadInput(said("scheduler run: give --checkpoint-key KEY and --checkpoint-dir DIR together"))
    from lifecycle.commands.base import input_path
    from lifecycle.services import witness
    w = witness.witness_for(input_path(key, "--checkpoint-key"), folder, to)

    def sign(day: Any) -> None:
        for line in witness.after_sweep(c.store, w, via, clock().now):
            _say(line)
    return sign


def _dashboard_refresher(c: Context, folder: str | None) -> Any:
    """`--dashboard DIR`: after each sweep, write the dashboard as of the sweep's day."""
    if folder is None:
        return None
    from pathlib import Path

    from lifecycle.services.dashboard import write_dashboard

    def refresh(day: Any) -> None:
        done = write_dashboard(c.store, Path(folder), day, None, clock())
        _say(said("dashboard as of {day}: {pages} pages written to {index}", day=day.isoformat(), pages=done["pages"],
                  index=done["index"]))
    return refresh


def _say(line: str) -> None:
    """A daemon's log line goes out at once, even into a pipe, in the reader's language."""
    click.echo(say(line))
    sys.stdout.flush()


def _need_via(via: str | None) -> str:
    if not via:
        from lifecycle.core.errors import BadInput, said
        raise BadInput(said("notices send: say where to deliver: --via DIR or --via smtp://HOST:PORT"))
    return via


def _check_text(result: dict[str, Any]) -> str:
    from lifecycle.core.text_table import render
    from lifecycle.commands.i18n import _, say
    from lifecycle.core.errors import said
    if result.get("dry_run"):
        head = say(said("sweep as of {day}: {created} notices in {letters} letters would be created (dry run: "
                        "nothing written)", day=result["as_of"], created=result["created"],
                        letters=len(result["letters"])))
    else:
        head = say(said("sweep as of {day}: {created} notices in {letters} letters created", day=result["as_of"],
                        created=result["created"], letters=len(result["letters"])))
    if not result["letters"]:
        return head
    return head + "\n" + render([_("letter"), _("number"), _("from"), _("to"), _("notices"), _("subject")], [
        [l["id"] or "-", l["number"] or "-", l["issuer"] or _("(none)"), l["recipient"], len(l["notices"]),
         l["subject"]] for l in result["letters"]])


def _notices_text(rows: list[dict[str, Any]]) -> str:
    from lifecycle.commands.outbox_text import notices_text
    return notices_text(rows)


def _send_text(result: dict[str, Any]) -> str:
    from lifecycle.commands.outbox_text import send_text
    return send_text(result)


COMMANDS = [contact, check, notices, scheduler]
