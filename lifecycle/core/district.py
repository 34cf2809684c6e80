"""Duties owed by the district (the purchaser as an organ), not by each project.

Pure. JN-plan (济南 四(一)), JN-annual-report (济南 四(五)) and DY-county-report
(东营 art. 38) are owed once per district and period, however many projects
the district runs: their rules say `owed_by = "district"`. A project's fold
keeps the district duties it gives rise to apart from its own
(`Project.district_duties`, met there by the project's own evidence, e.g. the
opening that records its year's plan). `fold_district` merges the
contributions of every project of a district, one duty per id, and meets them
with the district's own hash-chained log of `district_report` events
(`lifecycle district report NAME KIND --period P`); a `reschedule` event there records
due dates `recompute` moved (old → new, why) and meets nothing: only the head moves on.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Any, Iterable

from lifecycle.core.errors import BadInput, said
from lifecycle.core.events import Event

# `district report NAME KIND`: what KIND files, as the obligation kind it meets
KINDS = {"plan": "plan", "annual": "district_report", "quarterly": "quarterly_report",
         # the province's own (FJ-cadence, 福建 一.三: 每月一通报、每季一调度), filed under the province's name
         "bulletin": "bulletin", "dispatch": "dispatch"}
_PERIODS = {"plan": (r"\d{4}", "2027"), "annual": (r"\d{4}", "2026"), "quarterly": (r"\d{4}-Q[1-4]", "2026-Q3"),
            "bulletin": (r"\d{4}-(0[1-9]|1[0-2])", "2026-05"), "dispatch": (r"\d{4}-Q[1-4]", "2026-Q3")}
QUARTERLY = ("quarterly", "dispatch")
PREFIX = "district:"   # the key a district's log and notices are kept under (never a project id)


def key(name: str) -> str:
    return PREFIX + name


def check_report(name: str, kind: str, period: str, on: date) -> str:
    """The obligation id a district report of `kind` for `period` meets; BadInput when malformed."""
    if kind not in KINDS:
        raise BadInput(said("district {name}: report kind {kind!r} is not one of {names}",
                name=name, kind=kind, names=', '.join(KINDS)))
    pattern, example = _PERIODS[kind]
    if not re.fullmatch(pattern, period):
        raise BadInput(said("district {name}: {kind} report --period {period!r} is malformed (e.g. --period {example})",
                name=name, kind=kind, period=period, example=example))
    year = int(period[:4])
    first = (date(year, 3 * int(period[-1]) - 2, 1) if kind in QUARTERLY else
             date(year, int(period[5:7]), 1) if kind == "bulletin" else date(year, 1, 1))
    if kind != "plan" and first > on:  # a plan is filed ahead of its year; a report after its period began
        raise BadInput(said("district {name}: {kind} report for {period}: the period begins on {first}, after the report's effective date {on}", name=name, kind=kind, period=period, first=first.isoformat(), on=on.isoformat()))
    return f"{KINDS[kind]}:{period}"


def fold_district(name: str, contributions: Iterable[tuple[str, str, str, list[dict[str, Any]]]],
                  events: list[Event]) -> dict[str, Any]:
    """The district's projection: one duty per id from its projects' contributions
    `(project, rulebook, version, district_duties)`, met by the earliest evidence, the
    projects' or the district log's; waived only when every project waived it."""
    duties: dict[str, dict[str, Any]] = {}
    evidence: dict[str, list[tuple[str, str, int | None]]] = {}
    waived: dict[str, bool] = {}
    for pid, rulebook, version, owed in sorted(contributions, key=lambda c: c[0]):
        for o in owed:
            d = duties.get(o["id"])
            if d is None:
                d = duties[o["id"]] = {
                    "id": o["id"], "kind": o["kind"], "rule": o["rule"], "basis": o["basis"], "due": o["due"],
                    "provisional": o["provisional"], "rulebook": rulebook, "rulebook_version": version,
                    "projects": [], "status": "open", "met_on": None, "met_seq": None, "met_by": None}
            d["projects"].append(pid)
            if o["status"] == "met":
                evidence.setdefault(o["id"], []).append((o["met_on"], f"project {pid} event {o['met_seq']}", None))
            waived[o["id"]] = waived.get(o["id"], True) and o["status"] == "waived"
    reports = []
    for e in events:
        if e.type != "district_report":   # a `reschedule` (due dates `recompute` moved) is a record only
            continue
        oid = f"{KINDS[e.data['kind']]}:{e.data['period']}"
        reports.append({"seq": e.seq, "kind": e.data["kind"], "period": e.data["period"], "on": e.effective.isoformat()})
        if oid in duties:
            evidence.setdefault(oid, []).append((e.effective.isoformat(), f"district event {e.seq}", e.seq))
    for oid, d in duties.items():
        if oid in evidence:
            met_on, by, seq = min(evidence[oid], key=lambda x: (x[0], x[1]))
            d.update(status="met", met_on=met_on, met_seq=seq, met_by=by)
        elif waived[oid]:
            d["status"] = "waived"
    head = events[-1] if events else None
    return {"district": name, "head_seq": head.seq if head else 0, "head_hash": head.hash if head else "",
            "reports": reports, "obligations": sorted(duties.values(), key=lambda d: (d["due"], d["id"]))}
