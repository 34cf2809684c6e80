"""The project aggregate's state: what a fold builds (terms, roster, duties, findings) and its snapshot.

Pure. `lifecycle.core.project.Folder` applies events to a `Project`; `Project.snapshot()` is the
projection `status --json` shows and `verify` compares.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from lifecycle.core.obligations import Obligation
from lifecycle.core.states import State


@dataclass
class Term:
    no: int
    start: date      # the day the contract (or renewal) took effect; art. 201: not counted
    months: int
    end: date        # art. 202: the corresponding day of the final month
    amount: float | None = None   # a renewal's amount (the first term's is the project's `amount`)

    def as_dict(self) -> dict[str, Any]:
        return {"no": self.no, "start": self.start.isoformat(), "months": self.months, "end": self.end.isoformat()}


@dataclass
class Finding:
    rule: str
    basis: str
    on: date
    text: str
    seq: int

    def as_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "basis": self.basis, "on": self.on.isoformat(), "text": self.text, "seq": self.seq}


@dataclass
class Project:
    id: str
    station: str = ""
    station_name: str = ""
    district: str = ""
    station_kind: str = "street"
    villages: int = 0
    rulebook: str = ""
    rulebook_version: str = ""
    year: int = 0
    budget: float | None = None
    state: State = State.plan_filed
    opened_on: date | None = None
    contractor: str | None = None
    contractor_name: str | None = None
    awarded_on: date | None = None
    signed_on: date | None = None
    amount: float | None = None
    terms: list[Term] = field(default_factory=list)
    staffed_on: date | None = None
    roster: list[dict[str, Any]] = field(default_factory=list)
    joined: dict[str, date] = field(default_factory=dict)
    evaluations: list[dict[str, Any]] = field(default_factory=list)
    payments: list[dict[str, Any]] = field(default_factory=list)
    reports: dict[str, int] = field(default_factory=dict)   # "kind:period" -> the seq of the report holding it
    subprojects: list[dict[str, Any]] = field(default_factory=list)   # DY-1+N
    points: list[dict[str, Any]] = field(default_factory=list)        # DG-points
    premises_on: date | None = None                                   # BH-timeline, FJ-built
    services: list[dict[str, Any]] = field(default_factory=list)      # FJ-built 有服务, JN-scope
    pins: list[dict[str, Any]] = field(default_factory=list)          # rulebook (version) from a date on
    counts_built: bool = False                                        # the rulebook defines FJ-built
    suspended_on: date | None = None
    exit_on: date | None = None
    closed_on: date | None = None
    tenders_failed: int = 0
    obligations: dict[str, Obligation] = field(default_factory=dict)
    district_duties: dict[str, Obligation] = field(default_factory=dict)  # what the district owes through it
    province_duties: dict[str, Obligation] = field(default_factory=dict)  # and the province (FJ-cadence)
    province: str = ""                                                    # the province those are owed by
    findings: list[Finding] = field(default_factory=list)
    head_seq: int = 0
    head_hash: str = ""
    last_effective: date | None = None

    @property
    def term(self) -> Term | None:
        return self.terms[-1] if self.terms else None

    @property
    def term_end(self) -> date | None:
        return self.term.end if self.term else None

    def last_evaluation(self) -> dict[str, Any] | None:
        return self.evaluations[-1] if self.evaluations else None

    @property
    def contract_amount(self) -> float | None:
        """The signed amount plus every renewal's; None while no amount is known."""
        amounts = [self.amount] + [t.amount for t in self.terms[1:]]
        known = [a for a in amounts if a is not None]
        return _number(sum(known)) if known else None

    @property
    def paid(self) -> float:
        return _number(sum(p["amount"] for p in self.payments))

    def term_on(self, day: date) -> Term | None:
        """The term `day` falls in: the last one started by then (after the end, the last term)."""
        started = [t for t in self.terms if t.start <= day]
        return started[-1] if started else None

    def district_view(self) -> list[dict[str, Any]]:
        """The district duties this project gives rise to, as the snapshot keeps them."""
        return [o.as_dict() for o in sorted(self.district_duties.values(), key=lambda o: (o.due, o.id))]

    def province_view(self) -> list[dict[str, Any]]:
        """The province's duties this project gives rise to (FJ-cadence's bulletin and dispatch)."""
        return [o.as_dict() for o in sorted(self.province_duties.values(), key=lambda o: (o.due, o.id))]

    def snapshot(self, today: date | None = None, duties: bool = True) -> dict[str, Any]:
        """The projection as plain data: what `status --json` shows and `verify` compares. Without
        `duties`, the lean snapshot the `projects` row stores (no "obligations": the rows hold them)."""
        obligations = sorted(self.obligations.values(), key=lambda o: (o.due, o.id)) if duties else ()
        return {
            "project": self.id, "station": self.station, "station_name": self.station_name,
            "district": self.district, "station_kind": self.station_kind, "villages": self.villages,
            "rulebook": self.rulebook, "rulebook_version": self.rulebook_version, "year": self.year,
            "budget": self.budget, "state": self.state.value,
            "opened_on": _iso(self.opened_on), "contractor": self.contractor,
            "contractor_name": self.contractor_name, "awarded_on": _iso(self.awarded_on),
            "signed_on": _iso(self.signed_on), "amount": self.amount,
            "contract_amount": self.contract_amount, "paid": self.paid,
            "term_start": _iso(self.term.start) if self.term else None, "term_end": _iso(self.term_end),
            "terms": [t.as_dict() for t in self.terms], "staffed_on": _iso(self.staffed_on),
            "roster": self.roster, "evaluations": self.evaluations, "payments": self.payments,
            "suspended_on": _iso(self.suspended_on), "exit_on": _iso(self.exit_on),
            "closed_on": _iso(self.closed_on), "tenders_failed": self.tenders_failed,
            **({"obligations": [o.as_dict(today) for o in obligations]} if duties else {}),
            "district_duties": self.district_view(),
            "findings": [f.as_dict() for f in self.findings],
            "head_seq": self.head_seq, "head_hash": self.head_hash, "last_effective": _iso(self.last_effective),
            # only when recorded, so that the projections of older databases still equal their replay
            **({"subprojects": self.subprojects} if self.subprojects else {}),
            **({"points": self.points} if self.points else {}),
            **({"premises_on": _iso(self.premises_on)} if self.premises_on else {}),
            **({"services": self.services} if self.services else {}),
            # FJ-built where the rulebook defines it, once a service is recorded (older projections lack both)
            **({"built": built_status_of(self)} if self.services and self.counts_built else {}),
            **({"rulebooks": self.pins} if len(self.pins) > 1 else {}),
            **({"province": self.province, "province_duties": self.province_view()} if self.province_duties else {}),
        }


def built_status_of(project: Project) -> dict[str, Any]:
    from lifecycle.core.coverage import built_status
    return built_status({"state": project.state.value, "roster": project.roster, "services": project.services,
                         "premises_on": _iso(project.premises_on), "staffed_on": _iso(project.staffed_on)})


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _number(x: float) -> float:
    return int(x) if float(x).is_integer() else x
