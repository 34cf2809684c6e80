"""The letters' commands: issuer (who signs), letters (list, show, resolve), calendar (an .ics feed)."""
from __future__ import annotations


import click

from lifecycle.commands.base import Context, clock, emit, json_option, pass_ctx
from lifecycle.commands.i18n import _, language, say
from lifecycle.core.errors import Said, said
from lifecycle.core.speech import N_

RUNNERS = {"district": N_("the engine is run by the district"), "city": N_("the engine is run by the city")}


@click.group()
def issuer() -> None:
    """Who signs the letters: a district's civil-affairs bureau, or the city bureau."""

@issuer.command("set")
@click.option("--district", default=None, help="The district whose letters this organ signs, e.g. 历下区.")
@click.option("--city", is_flag=True, help="The city bureau (escalations, letters to the districts).")
@click.option("--name", required=True, help="The organ, e.g. 济南市历下区民政局.")
@click.option("--prefix", required=True, help="The 字 of its document numbers, e.g. 历民函 (历民函〔2026〕12号).")
@click.option("--contact", default=None, help="Contact person named in the letters' 附注, e.g. 王敏.")
@click.option("--phone", default=None, help="Contact phone, e.g. 0531-86081234.")
@click.option("--email", default=None, help="The organ's address: the letters' sender, e.g. mzj@lixia.gov.cn.")
@pass_ctx
def issuer_set(c: Context, district: str | None, city: bool, name: str, prefix: str, contact: str | None,
               phone: str | None, email: str | None) -> None:
    """Record who signs. Example: lifecycle issuer set --district 历下区 --name 济南市历下区民政局 --prefix 历民函"""
    from lifecycle.notifications.issuers import set_issuer
    row = set_issuer(c.store, district, city, name, prefix, contact, phone, email)
    where = row["scope"] or said("the city")
    click.echo(say(said("issuer for {where}: {row}, numbers {row2}〔YYYY〕N号", where=where, row=row['name'],
                        row2=row['prefix'])))

@issuer.command("list")
@json_option
@pass_ctx
def issuer_list(c: Context, as_json: bool) -> None:
    """List the issuers. Example: lifecycle issuer list --json"""
    from lifecycle.core.text_table import render
    from lifecycle.core.names import issuer_level_name
    from lifecycle.notifications.issuers import list_issuers
    emit(list_issuers(c.store), as_json, lambda rs: render(
        [_("level"), _("district"), _("name"), _("prefix"), _("contact"), _("phone"), _("email")],
        [[issuer_level_name(r["level"], language()), r["scope"] or "-", r["name"], r["prefix"], r["contact"],
          r["phone"], r["email"]] for r in rs]))

@issuer.command("runner")
@click.argument("runner", type=click.Choice(["district", "city"]))
@pass_ctx
def issuer_runner(c: Context, runner: str) -> None:
    """Who runs the engine: district (default: escalations are reports to the city) or city (督办通知).

    Example: lifecycle issuer runner city
    """
    from lifecycle.notifications.issuers import set_runner
    click.echo(say(Said(RUNNERS[set_runner(c.store, runner)], {})))


@click.group(invoke_without_command=True)
@click.option("--status", type=click.Choice(["pending", "sending", "sent", "failed", "uncertain"]), default=None,
              help="Only letters in this state.")
@json_option
@click.pass_context
def letters(ctx: click.Context, status: str | None, as_json: bool) -> None:
    """The letters, one per reader per sweep: list them; `show` one; `resolve` an uncertain one.

    Example: lifecycle letters --status uncertain
    """
    if ctx.invoked_subcommand is not None:
        return
    from lifecycle.commands.outbox_text import letters_text
    from lifecycle.notifications.letterbox import list_letters
    c = ctx.find_object(Context)
    emit(list_letters(c.store, status), as_json, letters_text)

@letters.command("show")
@click.argument("letter_id", type=int)
@click.option("--format", "fmt", type=click.Choice(["text", "html", "docx"]), default="text", show_default=True,
              help="The stored text, its HTML, or a Word file.")
@click.option("--out", "out", type=click.Path(dir_okay=False), default=None,
              help="Write to this file (needed for docx), e.g. letter-12.docx.")
@pass_ctx
def letters_show(c: Context, letter_id: int, fmt: str, out: str | None) -> None:
    """Show a letter. Example: lifecycle letters show 12 --format docx --out 历民函-12.docx"""
    from lifecycle.core.errors import BadInput, said
    from lifecycle.notifications.letterbox import render_letter
    if fmt == "docx" and out is None:
        raise BadInput(said("letters show: a Word file needs --out FILE.docx"))
    body = render_letter(c.store, letter_id, fmt, language())
    if out is None:
        click.echo(body)
        return
    data = body if isinstance(body, bytes) else body.encode("utf-8")
    with open(out, "wb") as fh:
        fh.write(data)
    click.echo(say(said("letter {id} written to {out}", id=letter_id, out=out)))

@letters.command("resolve")
@click.argument("letter_id", type=int)
@click.option("--sent", "outcome", flag_value="sent", help="It did go out (the server's log shows it).")
@click.option("--resend", "outcome", flag_value="resend", help="It did not: send it at the next delivery.")
@pass_ctx
def letters_resolve(c: Context, letter_id: int, outcome: str | None) -> None:
    """Settle an uncertain letter. Example: lifecycle letters resolve 12 --sent"""
    from lifecycle.core.errors import BadInput
    from lifecycle.notifications.post import resolve
    if outcome is None:
        raise BadInput(said("letters resolve: say --sent or --resend"))
    row = resolve(c.store, letter_id, outcome == "sent", clock().now, c.actor)
    click.echo(say(said("letter {id}: {status}", id=row["id"], status=row["status"])))


@click.command()
@click.option("--district", default=None, help="Only this district's duties, e.g. 历下区.")
@click.option("--project", default=None, help="Only this project's duties.")
@click.option("--contractor", "contractor_id", default=None, help="Only this contractor's projects.")
@click.option("--out", "out", type=click.Path(dir_okay=False), required=True, help="The .ics file to write.")
@pass_ctx
def calendar(c: Context, district: str | None, project: str | None, contractor_id: str | None, out: str) -> None:
    """Write the open duties as an iCalendar feed. Example: lifecycle calendar --district 历下区 --out lixia.ics"""
    from lifecycle.services.feed import write_feed
    n = write_feed(c.store, out, clock().now, district=district, project=project, contractor=contractor_id)
    click.echo(say(said("{count} duties written to {out}", count=n, out=out)))




COMMANDS = [issuer, letters, calendar]
