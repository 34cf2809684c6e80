"""The project aggregate: fold events into state, terms, roster and obligations.

Pure. `fold(events, book, cal)` is the only way a project comes to be: the
service layer stores its result as a projection, and `replay --verify`
folds again and compares. Guards run before an event is appended (see
`lifecycle.core.guards`); applying an event never refuses.
"""
from __future__ import annotations

from lifecycle.core.errors import said

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterable

from lifecycle.core.calendar import WorkCalendar, shift_months
from lifecycle.core.events import Event, effective_history
from lifecycle.core.duties import Owed
from lifecycle.core.obligations import (Ledger, Obligation, lapse_on_close, meet, meet_by,
                                        reopen_after_suspension, waive_after_exit, waive_for_suspension)
from lifecycle.core.rulebook import Rulebook
from lifecycle.core.states import State, next_state


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
    suspended_on: date | None = None
    exit_on: date | None = None
    closed_on: date | None = None
    tenders_failed: int = 0
    obligations: dict[str, Obligation] = field(default_factory=dict)
    district_duties: dict[str, Obligation] = field(default_factory=dict)  # what the district owes through it
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

    def snapshot(self, today: date | None = None) -> dict[str, Any]:
        """The projection as plain data: what `status --json` shows and `verify` compares."""
        obligations = sorted(self.obligations.values(), key=lambda o: (o.due, o.id))
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
            "obligations": [o.as_dict(today) for o in obligations],
            "district_duties": self.district_view(),
            "findings": [f.as_dict() for f in self.findings],
            "head_seq": self.head_seq, "head_hash": self.head_hash, "last_effective": _iso(self.last_effective),
            # only when recorded, so that the projections of older databases still equal their replay
            **({"subprojects": self.subprojects} if self.subprojects else {}),
            **({"points": self.points} if self.points else {}),
            **({"premises_on": _iso(self.premises_on)} if self.premises_on else {}),
        }


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _number(x: float) -> float:
    return int(x) if float(x).is_integer() else x


class Folder:
    """Applies events one by one to a Project under a rulebook and calendar."""

    def __init__(self, project: Project, book: Rulebook, cal: WorkCalendar) -> None:
        self.p, self.book, self.cal = project, book, cal
        self.ledger = Ledger(project.obligations)
        self.district = Ledger(project.district_duties)
        self.owed = Owed(project, self.ledger, book, cal, self.district)
        self._fail = book.settings.get("evaluation_fail")

    def apply(self, e: Event) -> None:
        p, d, on = self.p, e.data, e.effective
        self.before = p.state
        if e.type != "open":
            dest = next_state(p.state, e.type, {"result": d.get("result"), "evaluation_fail": self._fail})
            if dest is None:  # the guards let it in, so only a tampered log gets here
                raise ValueError(said("event {seq} ({type}) is not allowed in state {value}",
                        seq=e.seq, type=e.type, value=p.state.value))
            p.state = dest
        # what the event meets first, then what it starts or ends
        meet_by(self.ledger, e, p.roster)
        meet_by(self.district, e, p.roster)   # the project's own evidence for the district (its opening, say)
        handler = getattr(self, f"on_{e.type}", None)
        if handler:
            handler(e, d, on)
        p.head_seq, p.head_hash, p.last_effective = e.seq, e.hash, on

    # -- state-specific effects ------------------------------------------------
    def on_open(self, e: Event, d: dict[str, Any], on: date) -> None:
        p = self.p
        p.station, p.station_name, p.district = d["station"], d.get("station_name", ""), d.get("district", "")
        p.station_kind, p.villages = d.get("station_kind", "street"), int(d.get("villages") or 0)
        p.rulebook, p.rulebook_version = d["rulebook"], d["rulebook_version"]
        p.year, p.budget, p.opened_on = int(d["year"]), d.get("budget"), on
        if not self.book.in_force(on):
            self.find("RULEBOOK", "rulebook validity", on, e.seq,
                      f"rulebook {self.book.name} (in force {_iso(self.book.valid_from)} to "
                      f"{_iso(self.book.valid_to) or 'open'}) applied on {on.isoformat()}, outside its validity window")
        self.owed.on_open(p.year, on, e.seq)

    def on_fail_tender(self, e: Event, d: dict[str, Any], on: date) -> None:
        self.p.tenders_failed += 1

    def on_award(self, e: Event, d: dict[str, Any], on: date) -> None:
        self.p.contractor, self.p.contractor_name, self.p.awarded_on = d["contractor"], d.get("contractor_name"), on
        self.owed.after("award", on, e.seq)

    def on_sign(self, e: Event, d: dict[str, Any], on: date) -> None:
        p = self.p
        months = int(d["term_months"])
        p.signed_on, p.amount = on, d.get("amount")
        p.terms.append(Term(1, on, months, shift_months(on, months)))
        self.term_length(e, months, on)
        self.owed.after("sign", on, e.seq)
        self.owed.on_term(p.terms[-1])
        for rule in self.book.checks("funding"):
            # DY-funding (东营 art. 15): at least 50,000 yuan a year per station
            money = p.amount if p.amount is not None else p.budget
            if money is not None and money / (months / 12) < rule.get("min_yuan_per_year"):
                self.find(rule.id, rule.basis, on, e.seq,
                          f"funding {money / (months / 12):,.0f} yuan a year is below {rule.get('min_yuan_per_year'):,} yuan")

    def on_staff(self, e: Event, d: dict[str, Any], on: date) -> None:
        p = self.p
        first = p.staffed_on is None
        before = {s["name"] for s in p.roster}
        p.roster = d["roster"]
        for s in p.roster:
            p.joined.setdefault(s["name"], on)
        if first:
            p.staffed_on = on
            self.owed.after("staff", on, e.seq)
            self.owed.term_duties(p.term)
            return
        now = {s["name"] for s in p.roster}
        for ob in self.ledger:
            # a leaver's duties for periods not yet complete lapse; missed past ones stay owed
            if ob.status == "open" and ob.subject and ob.subject not in now and (ob.window_end or ob.due) >= on:
                ob.status, ob.note = "waived", f"{ob.subject} left the roster on {on.isoformat()}"
        for name in now - before:
            p.joined[name] = on
        self.owed.person_duties(p.term, sorted(now - before))

    def on_evaluate(self, e: Event, d: dict[str, Any], on: date) -> None:
        self.p.evaluations.append({"seq": e.seq, "on": on.isoformat(), "result": d["result"], "by": d.get("by")})
        if d["result"] == "fail":
            for rule in self.book.guards("outcome"):
                self.find(rule.id, rule.basis, on, e.seq, "evaluation failed: no renewal and no balance payment")
            if self.p.state is State.terminated and self.before is not State.terminated:
                self.exit(e, on)

    def on_pay(self, e: Event, d: dict[str, Any], on: date) -> None:
        self.p.payments.append({"seq": e.seq, "on": on.isoformat(), "kind": d["kind"], "amount": d["amount"],
                                **({"subproject": d["subproject"]} if d.get("subproject") else {})})

    def on_subproject(self, e: Event, d: dict[str, Any], on: date) -> None:
        self.p.subprojects.append({"seq": e.seq, "on": on.isoformat(), "name": d["name"], "budget": d["budget"],
                                   "contractor": d.get("contractor") or self.p.contractor})

    def on_point(self, e: Event, d: dict[str, Any], on: date) -> None:
        self.p.points.append({"seq": e.seq, "on": on.isoformat(), "villages": d["villages"],
                              "residents": d.get("residents"), "area": d["area"], "name": d.get("name")})

    def on_premises(self, e: Event, d: dict[str, Any], on: date) -> None:
        self.p.premises_on = self.p.premises_on or on

    def on_report(self, e: Event, d: dict[str, Any], on: date) -> None:
        hours = d.get("hours_per_week")
        for rule in self.book.checks("community_hours"):
            # JN-hours (济南 三(五), 每周不少于24小时): 24 hours a week meets it, 23 does not
            if hours is not None and hours < rule.get("min_hours_per_week"):
                self.find(rule.id, rule.basis, on, e.seq, f"staff served {hours:g} hours a week in the communities, "
                          f"below {rule.get('min_hours_per_week')} hours")
        if d.get("period"):
            self.p.reports.setdefault(f"{d['kind']}:{d['period']}", e.seq)

    def on_suspend(self, e: Event, d: dict[str, Any], on: date) -> None:
        self.p.suspended_on = on
        waive_for_suspension(self.ledger, on)

    def on_resume(self, e: Event, d: dict[str, Any], on: date) -> None:
        if self.p.suspended_on:
            reopen_after_suspension(self.ledger, self.p.suspended_on, on)
        self.p.suspended_on = None

    def on_renew(self, e: Event, d: dict[str, Any], on: date) -> None:
        p = self.p
        months = int(d["term_months"])
        start = p.term.end  # the next term runs on from the day the current one ends
        p.terms.append(Term(p.term.no + 1, start, months, shift_months(start, months), d.get("amount")))
        self.owed.on_term(p.terms[-1])
        self.owed.term_duties(p.terms[-1])

    def on_expire(self, e: Event, d: dict[str, Any], on: date) -> None:
        self.exit(e, on)

    def on_terminate(self, e: Event, d: dict[str, Any], on: date) -> None:
        self.exit(e, on)

    def on_hand_over(self, e: Event, d: dict[str, Any], on: date) -> None:
        self.p.closed_on = on
        lapse_on_close(self.ledger, on)

    def term_length(self, e: Event, months: int, on: date) -> None:
        # JN-contract (济南 四(三)): "履行期限为3年", a check rather than a cap (the cap is NAT-term)
        for rule in self.book.checks("term_length"):
            if months != rule.get("months"):
                self.find(rule.id, rule.basis, on, e.seq,
                          f"a term of {months} months, where the rulebook sets {rule.get('months')} months")

    def exit(self, e: Event, on: date) -> None:
        """Termination or expiry: the decision is taken, future service lapses, the hand-over starts."""
        self.p.exit_on = on
        for ob in self.ledger.open("term_decision")[:1]:
            meet(ob, on, e.seq)
        waive_after_exit(self.ledger, on)
        waive_after_exit(self.district, on)   # it no longer gives rise to the district's later periods
        if self.p.signed_on:  # DY-archives (东营 art. 13): only a contractor that served has archives
            self.owed.after("exit", on, e.seq)

    def find(self, rule: str, basis: str, on: date, seq: int, text: str) -> None:
        self.p.findings.append(Finding(rule, basis, on, text, seq))


def fold(events: Iterable[Event], book: Rulebook, cal: WorkCalendar, project_id: str | None = None) -> Project:
    """Rebuild a project from its (correction-applied) events alone."""
    events = list(events)
    project = Project(id=project_id or (events[0].project if events else ""))
    folder = Folder(project, book, cal)
    for e in events:
        folder.apply(e)
    return project


def fold_log(events: list[Event], book: Rulebook, cal: WorkCalendar, project_id: str) -> Project:
    """Fold a project's full log: corrections applied, the head pointing at the log's real last event.

    `effective_history` drops `correct` events (they patch the events they name), so a plain
    fold would leave `head_seq` at the last corrected-into event; the next append and the
    projection's optimistic-concurrency check need the head of the log as stored.
    """
    project = fold(effective_history(events), book, cal, project_id)
    if events:
        project.head_seq, project.head_hash = events[-1].seq, events[-1].hash
    return project
