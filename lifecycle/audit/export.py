"""`lifecycle export (ID | --all) --format json|csv|xlsx|ocds`: projects for people and other systems.

Every format reads the same bundles: the replay of each project's log
(corrections applied) viewed as of today, with its verification result.

- `json`: `{exported_at, as_of, projects: [snapshot + {verified, problems, events}]}`. The
  events (as `history --json` prints them, hashes included) travel with the snapshot, so
  a reader can check the chain and replay without the database.
- `csv`: one row a project, English column names (`LEDGER_FIELDS`), UTF-8 with a BOM, so
  that Excel shows the Chinese (the BOM is prepended where the file is written).
- `xlsx`: the 台账 a bureau keeps, Chinese headers, sheets of projects, obligations, payments,
  evaluations and staff (see `lifecycle.audit.ledger_sheets`, `lifecycle.audit.xlsx_ledger`).
- `ocds`: an OCDS 1.1 release package (see `lifecycle.audit.ocds`), validated against the packaged
  OCDS 1.1.5 schemas before it is written (`lifecycle.audit.ocds_validate`).

"Next duty" is the earliest open duty due on or after today; duties open past
their due date are counted as overdue instead.
"""
from __future__ import annotations

import csv
import io
import json
from typing import Any

from lifecycle.audit.bundle import Bundle, load_bundles, project_ids
from lifecycle.core.clock import Clock
from lifecycle.core.errors import Refused, said
from lifecycle.core.obligations import status_on
from lifecycle.store import Store

LEDGER_FIELDS = ("project", "station", "station_name", "district", "contractor", "contractor_name", "rulebook",
                 "rulebook_version", "state", "signed_on", "term_start", "term_end", "amount", "budget", "paid",
                 "next_duty", "next_duty_kind", "next_due", "overdue", "verified", "head_seq", "head_hash")


def export(store: Store, project_id: str | None, fmt: str, clock: Clock) -> str | bytes:
    ids = [project_id] if project_id else project_ids(store)
    bundles = load_bundles(store, ids, clock.today)
    if fmt == "json":
        return as_json(bundles, clock)
    if fmt == "csv":
        return as_csv(bundles, clock)
    if fmt == "xlsx":
        return as_xlsx(bundles, clock)
    if fmt == "ocds":
        from lifecycle.audit.ocds import release_package
        from lifecycle.audit.ocds_validate import problems
        package = release_package(bundles, clock)
        wrong = problems(package)
        if wrong:  # a bug of ours, never a file to hand to another system
            raise Refused(said("export of {value}: the OCDS release package does not validate against OCDS 1.1.5 ({count} problems, the first: {wrong}); nothing was written",
                    value=project_id or 'all projects', count=len(wrong), wrong=wrong[0]))
        return json.dumps(package, ensure_ascii=False, indent=2) + "\n"
    raise ValueError(said("unknown export format {fmt!r}", fmt=fmt))


def as_json(bundles: list[Bundle], clock: Clock) -> str:
    projects = [{**b.view, "verified": b.verified, "problems": b.problems,
                 "events": [e.as_dict() for e in b.events]} for b in bundles]
    doc = {"exported_at": clock.recorded, "as_of": clock.today.isoformat(), "projects": projects}
    return json.dumps(doc, ensure_ascii=False, indent=2, default=str) + "\n"


def as_csv(bundles: list[Bundle], clock: Clock) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=LEDGER_FIELDS, lineterminator="\n")
    writer.writeheader()
    for b in bundles:
        writer.writerow({k: ("" if v is None else v) for k, v in ledger_row(b, clock).items()})
    return buffer.getvalue()


def as_xlsx(bundles: list[Bundle], clock: Clock) -> bytes:
    from lifecycle.audit import ledger_sheets as sheets
    from lifecycle.audit.xlsx_ledger import workbook
    return workbook([
        ("项目台账", sheets.PROJECT_COLUMNS, [sheets.project_row(b, ledger_row(b, clock)) for b in bundles]),
        ("义务", sheets.OBLIGATION_COLUMNS, [r for b in bundles for r in sheets.obligation_rows(b)]),
        ("付款", sheets.PAYMENT_COLUMNS, [r for b in bundles for r in sheets.payment_rows(b)]),
        ("评估", sheets.EVALUATION_COLUMNS, [r for b in bundles for r in sheets.evaluation_rows(b)]),
        (sheets.STAFF_SHEET, sheets.STAFF_COLUMNS, [r for b in bundles for r in sheets.staff_rows(b)]),
    ], clock)


def ledger_row(b: Bundle, clock: Clock) -> dict[str, Any]:
    """One project as one row of the 台账 (and of the CSV)."""
    s = b.snapshot
    open_duties = sorted((o for o in s.get("obligations", []) if o["status"] == "open"),
                         key=lambda o: (o["due"], o["id"]))
    upcoming = [o for o in open_duties if status_on(o["status"], o["due"], clock.today) == "open"]
    nxt = upcoming[0] if upcoming else None
    return {
        "project": b.project, "station": s.get("station"), "station_name": s.get("station_name"),
        "district": s.get("district"), "contractor": s.get("contractor"), "contractor_name": s.get("contractor_name"),
        "rulebook": s.get("rulebook"), "rulebook_version": s.get("rulebook_version"), "state": s.get("state"),
        "signed_on": s.get("signed_on"), "term_start": s.get("term_start"), "term_end": s.get("term_end"),
        "amount": s.get("amount"), "budget": s.get("budget"),
        "paid": sum(p["amount"] for p in s.get("payments", [])) or None,
        "next_duty": nxt["id"] if nxt else None, "next_duty_kind": nxt["kind"] if nxt else None,
        "next_due": nxt["due"] if nxt else None,
        "overdue": sum(1 for o in open_duties if status_on(o["status"], o["due"], clock.today) == "overdue"),
        "verified": b.verified, "head_seq": b.events[-1].seq, "head_hash": b.events[-1].hash,
    }
