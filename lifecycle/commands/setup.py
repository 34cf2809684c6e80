"""Set-up and reference data: init, stations, contractors, rulebooks, the state diagram."""
from __future__ import annotations

from typing import Any

import click

from lifecycle.commands.base import Context, clock, emit, json_option, pass_ctx
from lifecycle.core.errors import said
from lifecycle.commands.i18n import _, language, say
from lifecycle.core.speech import N_


@click.command()
@click.option("--demo", is_flag=True, help="Also load a sample district with projects at every stage.")
@pass_ctx
def init(c: Context, demo: bool) -> None:
    """Create or upgrade the schema. Example: lifecycle init --demo"""
    from lifecycle.store import migrate
    version = migrate.upgrade(c.store)
    click.echo(say(said("database {db} is at schema {version}", db=c.db, version=version)))
    from lifecycle.services.replay import refold_stale
    refolded = refold_stale(c.store)   # projections made before the districts' duties (issue 10)
    if refolded:
        click.echo(say(said("{count} projects refolded for the new schema", count=len(refolded))))
    if demo:
        from lifecycle.demo import load_demo
        summary = load_demo(c.store, "demo", clock(), program=invoked_as())
        click.echo(summary)


@click.group()
def station() -> None:
    """Stations (社工站): add, import, update, list."""


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
    from lifecycle.services.reference import add_station
    row = add_station(c.store, station_id, name, district, kind, villages)
    from lifecycle.core.names import station_kind_name
    click.echo(say(said("station {row} {row2} ({row3}, {row4}) added", row=row['id'], row2=row['name'],
                        row3=row['district'], row4=station_kind_name(row['kind'], language()))))


@station.command("import")
@click.argument("file")
@pass_ctx
def station_import(c: Context, file: str) -> None:
    """Import stations from CSV or XLSX (id,name,district[,kind][,villages]); all or nothing.

    Example: lifecycle station import stations.csv
    """
    from pathlib import Path

    from lifecycle.commands.base import input_path
    from lifecycle.services.reference import import_stations
    n = import_stations(c.store, input_path(file, "station import"))
    click.echo(say(said("{count} stations imported from {file}", count=n, file=file)))


@station.command("update")
@click.argument("station_id")
@click.option("--name", default=None, help="New name, e.g. 解放路街道社会工作服务站.")
@click.option("--district", default=None, help="New district; refused where a contractor would then run "
                                                 "stations in two districts (DY-exclusive).")
@click.option("--kind", type=click.Choice(["street", "town", "general"]), default=None, help="street, town or general.")
@click.option("--villages", type=click.IntRange(min=0), default=None, help="Villages/communities it covers.")
@json_option
@pass_ctx
def station_update(c: Context, station_id: str, name: str | None, district: str | None, kind: str | None,
                   villages: int | None, as_json: bool) -> None:
    """Change a station; the change is kept (`lifecycle changes`), events keep the old name.

    Example: lifecycle station update LX-JFL --name 解放路街道社会工作服务中心
    """
    from lifecycle.services.reference_changes import update_station
    done = update_station(c.store, station_id, {"name": name, "district": district, "kind": kind,
                                                "villages": villages}, c.actor, clock())
    emit(done, as_json, lambda d: say(said("station {id} updated: {change}", id=station_id, change=_diff(d))))


# the fields a change names (station, contractor, contact), as a heading names them
_FIELDS = {"name": N_("name"), "district": N_("district"), "kind": N_("kind"), "villages": N_("villages"),
           "credit_code": N_("credit code"), "email": N_("email"), "role": N_("role"),
           "contractor_id": N_("contractor")}


def _field_value(field: str, value: Any) -> Any:
    from lifecycle.core.names import role_name, station_kind_name
    named = {"kind": station_kind_name, "role": role_name}.get(field)
    return named(value, language()) if named and isinstance(value, str) else value


def _diff(d: dict[str, Any]) -> str:
    before, after = d["before"], d["after"]
    changed = [f"{_(_FIELDS.get(k, k))} {_field_value(k, before.get(k))} → {_field_value(k, after[k])}"
               for k in after if k != "id" and before.get(k) != after[k]]
    return ("；" if language() == "zh" else "; ").join(changed) or _("nothing changed")


@station.command("list")
@json_option
@pass_ctx
def station_list(c: Context, as_json: bool) -> None:
    """List stations. Example: lifecycle station list --json"""
    from lifecycle.services.reference import list_stations
    from lifecycle.core.text_table import render
    rows = list_stations(c.store)
    from lifecycle.core.names import station_kind_name
    emit(rows, as_json, lambda rs: render([_("id"), _("name"), _("district"), _("kind"), _("villages")],
                                          [[r["id"], r["name"], r["district"], station_kind_name(r["kind"], language()),
                                            r["villages"]] for r in rs]))


@click.group()
def contractor() -> None:
    """Contractors (承接机构): add, update, list."""


@contractor.command("add")
@click.argument("contractor_id")
@click.option("--name", required=True, help="Registered name, e.g. 济南市历下区阳光社会工作服务中心.")
@click.option("--credit-code", default=None, help="18-character unified social credit code (GB 32100-2015).")
@click.option("--district", default=None, help="Home district of the contractor.")
@pass_ctx
def contractor_add(c: Context, contractor_id: str, name: str, credit_code: str | None, district: str | None) -> None:
    """Register a contractor. Example: lifecycle contractor add YG --name 阳光社工 --credit-code 52370102MJD1234562"""
    from lifecycle.services.reference import add_contractor
    row = add_contractor(c.store, contractor_id, name, credit_code, district)
    click.echo(say(said("contractor {row} {row2} added", row=row['id'], row2=row['name'])))


@contractor.command("update")
@click.argument("contractor_id")
@click.option("--name", default=None, help="New registered name.")
@click.option("--credit-code", default=None, help="New 18-character unified social credit code.")
@click.option("--district", default=None, help="New home district.")
@json_option
@pass_ctx
def contractor_update(c: Context, contractor_id: str, name: str | None, credit_code: str | None,
                      district: str | None, as_json: bool) -> None:
    """Change a contractor; the change is kept (`lifecycle changes`), awards keep the old name.

    Example: lifecycle contractor update YG --credit-code 52370102MJD304172K
    """
    from lifecycle.services.reference_changes import update_contractor
    done = update_contractor(c.store, contractor_id, {"name": name, "credit_code": credit_code,
                                                      "district": district}, c.actor, clock())
    emit(done, as_json, lambda d: say(said("contractor {id} updated: {change}", id=contractor_id, change=_diff(d))))


@click.command()
@click.option("--kind", type=click.Choice(["station", "contractor", "contact"]), default=None,
              help="Only changes of this kind of reference data.")
@click.option("--id", "ref_id", default=None, help="Only the changes of this station, contractor or contact id.")
@json_option
@pass_ctx
def changes(c: Context, kind: str | None, ref_id: str | None, as_json: bool) -> None:
    """The history of reference data: every update and removal, who made it and when.

    Example: lifecycle changes --kind station --id LX-JFL
    """
    from lifecycle.core.text_table import render
    from lifecycle.services.reference_changes import list_changes

    def what(r: dict[str, Any]) -> str:
        if r["after"] is None:
            return _("removed: ") + ", ".join(f"{_(_FIELDS.get(k, k))} {_field_value(k, v)}"
                                              for k, v in r["before"].items() if k != "id")
        return _diff(r)
    emit(list_changes(c.store, kind, ref_id), as_json, lambda rs: render(
        ["#", _("kind"), _("id"), _("action"), _("recorded"), _("actor"), _("change")],
        [[r["id"], _(_CHANGED.get(r["kind"], r["kind"])), r["ref"], _(_ACTIONS.get(r["action"], r["action"])),
          r["recorded"], r["actor"], what(r)] for r in rs]))


_CHANGED = {"station": N_("station"), "contractor": N_("contractor"), "contact": N_("contact")}
_ACTIONS = {"update": N_("updated"), "remove": N_("removed")}


@contractor.command("list")
@json_option
@pass_ctx
def contractor_list(c: Context, as_json: bool) -> None:
    """List contractors. Example: lifecycle contractor list"""
    from lifecycle.services.reference import list_contractors
    from lifecycle.core.text_table import render
    emit(list_contractors(c.store), as_json, lambda rs: render(
        [_("id"), _("name"), _("credit code"), _("district")],
        [[r["id"], r["name"], r["credit_code"], r["district"]] for r in rs]))


@click.group()
def rules() -> None:
    """Rulebooks: list them, show one with every rule's id, period and citation."""


@rules.command("list")
@json_option
def rules_list(as_json: bool) -> None:
    """List the installed rulebooks. Example: lifecycle rules list"""
    from lifecycle.core import rulebook
    from lifecycle.core.text_table import render
    books = [rulebook.load(n) for n in rulebook.available()]
    data = [{"name": b.name, "version": b.version, "title": b.title, "extends": b.extends,
             "valid_from": b.valid_from, "valid_to": b.valid_to, "rules": len(b.rules)} for b in books]
    emit(data, as_json, lambda rs: render([_("name"), _("version"), _("rules"), _("valid"), _("title")], [
        [r["name"], r["version"], r["rules"], f"{r['valid_from'] or ''}..{r['valid_to'] or ''}", r["title"]] for r in rs]))


@rules.command("show")
@click.argument("name")
@json_option
def rules_show(name: str, as_json: bool) -> None:
    """Show a rulebook's rules with their citations. Example: lifecycle rules show dongying"""
    from lifecycle.core import rulebook
    from lifecycle.core.text_table import render
    data = rulebook.describe(rulebook.load(name))

    def human(d: dict[str, Any]) -> str:
        from lifecycle.commands.i18n import basis
        from lifecycle.core.names import period_name, rule_type_name
        lang = language()
        window = (said("valid {start} to {end}", start=d["valid_from"] or "…", end=d["valid_to"]) if d["valid_to"]
                  else said("valid {start} to open", start=d["valid_from"] or "…"))
        head = f"{d['title']} ({d['name']} {d['version']}, {say(window)})"
        if lang == "zh":
            head = f"{d['title']}（{d['name']} {d['version']}，{say(window)}）"
        rows = [[r["id"], rule_type_name(r["type"], lang), period_name(r["period"], lang), _due_text(r),
                 basis(r["basis"]), r["summary"] if lang == "zh" else r["summary_en"]] for r in d["rules"]]
        return head + "\n" + render([_("id"), _("type"), _("period"), _("due"), _("basis"), _("summary")], rows)
    emit(data, as_json, human)


@rules.command("diff")
@click.argument("old")
@click.argument("new")
@json_option
def rules_diff(old: str, new: str, as_json: bool) -> None:
    """What changed between two rulebook versions (NAME@VERSION, or NAME for the installed one):
    window, settings, rules added, removed or changed. Example: lifecycle rules diff dongying@2022-62 dongying"""
    from lifecycle.core import rulebook
    d = rulebook.diff(rulebook.parse_ref(old), rulebook.parse_ref(new))

    def human(d: dict[str, Any]) -> str:
        lines = [f"{d['old']} -> {d['new']}"]
        lines += [f"  {_('window')} {k}: {v['old']} -> {v['new']}" for k, v in d["window"].items()]
        lines += [f"  {_('setting')} {k}: {v['old']} -> {v['new']}" for k, v in d["settings"].items()]
        lines += [f"  + {r}" for r in d["added"]] + [f"  - {r}" for r in d["removed"]]
        for c in d["changed"]:
            lines += [f"  ~ {c['id']} {k}: {v['old']} -> {v['new']}" for k, v in c["fields"].items()]
        return "\n".join(lines) if len(lines) > 1 else lines[0] + _(": no differences")
    emit(d, as_json, human)


def _due_text(rule: dict[str, Any]) -> str:
    """期日 (a fixed date, does not roll) or 期间 (a period, rolls under art. 203); a setting says so."""
    from lifecycle.core.rulebook import DUE_KINDS
    zh = language() == "zh"
    text = ""
    if rule["due_kind"]:
        kind, _en = DUE_KINDS[rule["due_kind"]]
        rolls = (_("rolls") if rule["rolls"] else _("fixed"))
        text = f"{kind}，{rolls}" if zh else f"{kind} {rolls}"
    if rule["valid_from"] or rule["valid_to"]:
        window = (said("from {start} to {end}", start=rule["valid_from"] or "…", end=rule["valid_to"])
                  if rule["valid_to"] else said("from {start}", start=rule["valid_from"]))
        text += ("，" if zh and text else " ") + say(window)
    if rule["setting"]:
        text += ("（" + _("local setting") + "）") if zh else " 设定 setting"
    return text.strip()


@click.command()
@click.option("--format", "fmt", type=click.Choice(["mermaid"]), default="mermaid", show_default=True,
              help="Diagram format.")
def diagram(fmt: str) -> None:
    """Print the live state machine. Example: lifecycle diagram > lifecycle.mmd"""
    from lifecycle.core.states import diagram as draw
    click.echo(draw(), nl=False)


def invoked_as() -> str:
    """How the person ran this program, so that suggested commands work as printed: `lifecycle` when
    that name on PATH is this program, else the path they typed (e.g. `.venv/bin/lifecycle`)."""
    import os
    import shutil
    import sys
    typed = sys.argv[0] if sys.argv else ""
    if os.path.basename(typed) != "lifecycle":
        return "lifecycle"   # run some other way (python -m, a test runner): the installed name
    on_path = shutil.which("lifecycle")
    if on_path and os.path.realpath(on_path) == os.path.realpath(typed):
        return "lifecycle"
    return typed


COMMANDS = [init, station, contractor, changes, rules, diagram]
