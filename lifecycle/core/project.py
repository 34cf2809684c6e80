"""The project aggregate: fold events into state, terms, roster and obligations.

Pure. `fold(events, book, cal)` is the only way a project comes to be: the
service layer stores its result as a projection, and `replay --verify`
folds again and compares. Guards run before an event is appended (see
`lifecycle.core.guards`); applying an event never refuses.
"""
from __future__ import annotations

from datetime import date
from typing import Any, Iterable

from lifecycle.core.calendar import WorkCalendar, shift_months
from lifecycle.core import finding_texts as ft
from lifecycle.core.errors import Said, said
from lifecycle.core.events import Event, effective_history
from lifecycle.core.duties import Owed
from lifecycle.core.obligations import (Ledger, lapse_on_close, meet, meet_by,
                                        reopen_after_suspension, waive_after_exit, waive_for_suspension)
from lifecycle.core import rulebook as rulebooks
from lifecycle.core.errors import BadInput
from lifecycle.core.rulebook import Rulebook
from lifecycle.core.projectstate import Finding, Project, Term, _iso, _number  # noqa: F401 - the aggregate's state
from lifecycle.core.states import State, next_state


def pinned_book(project: Project, book: Rulebook) -> Rulebook:
    """The rulebook a project folded so far is under: `book` (its opening one) unless a `rebase`
    moved it to another rulebook or version from a date on."""
    if not project.rulebook or (project.rulebook, project.rulebook_version) == (book.name, book.version):
        return book
    return rulebooks.load(project.rulebook, project.rulebook_version)


# Events that say which law governs rather than move the project through its lifecycle
LAW_EVENTS = ("open", "rebase")


class Folder:
    """Applies events one by one to a Project under a rulebook and calendar.

    `book` is the rulebook the project was opened under; a folder that continues a project
    already folded takes the rulebook the project is pinned to by then (see `pinned_book`)."""

    def __init__(self, project: Project, book: Rulebook, cal: WorkCalendar) -> None:
        self.p, self.cal = project, cal
        self.ledger = Ledger(project.obligations)
        self.district = Ledger(project.district_duties)
        self.province = Ledger(project.province_duties)
        self.under(pinned_book(project, book))

    def under(self, book: Rulebook) -> None:
        """From here on, duties are triggered under `book` (those already triggered stay as they are)."""
        self.book = book
        self.p.counts_built = bool(book.checks("built"))
        self.owed = Owed(self.p, self.ledger, book, self.cal, self.district, self.province)
        self.p.province = book.settings.get("province") or self.p.province
        self._fail = book.settings.get("evaluation_fail")

    def apply(self, e: Event) -> None:
        p, d, on = self.p, e.data, e.effective
        self.before = p.state
        if e.type not in LAW_EVENTS:
            dest = next_state(p.state, e.type, {"result": d.get("result"), "evaluation_fail": self._fail})
            if dest is None:  # the guards let it in, so only a tampered log gets here
                raise ValueError(said("event {seq} ({type}) is not allowed in state {state}",
                        seq=e.seq, type=e.type, state=p.state.value))
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
        p.pins = [{"rulebook": p.rulebook, "rulebook_version": p.rulebook_version, "from": on.isoformat(), "seq": e.seq}]
        if not self.book.in_force(on):
            window = dict(name=self.book.name, start=_iso(self.book.valid_from), on=on.isoformat())
            self.find("RULEBOOK", "rulebook validity", on, e.seq,
                      Said(ft.RULEBOOK_WINDOW, {**window, "end": _iso(self.book.valid_to)}) if self.book.valid_to
                      else Said(ft.RULEBOOK_OPEN_ENDED, window))
        self.owed.on_open(p.year, on, e.seq)

    def on_rebase(self, e: Event, d: dict[str, Any], on: date) -> None:
        """The project moves to another rulebook (version) from `on`: duties already triggered stay
        under the one they were triggered under; duties triggered from `on` follow the new one."""
        try:
            book = rulebooks.load(d["rulebook"], d["rulebook_version"])
        except BadInput as exc:   # the command refuses it; only a tampered log or an uninstalled version gets here
            raise ValueError(said("event {seq} (rebase): {why}", seq=e.seq, why=exc.message)) from None
        p = self.p
        p.pins.append({"rulebook": book.name, "rulebook_version": book.version, "from": on.isoformat(),
                       "seq": e.seq, "reason": d.get("reason", "")})
        p.rulebook, p.rulebook_version = book.name, book.version
        self.under(book)
        if not book.in_force(on):   # the command refuses this; only a tampered log gets here
            self.find("RULEBOOK", "rulebook validity", on, e.seq,
                      Said(ft.REBASE_WINDOW, dict(name=book.name, version=book.version, on=on.isoformat())))

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
                self.find(rule.id, rule.basis, on, e.seq, Said(ft.FUNDING, dict(
                    funding=f"{money / (months / 12):,.0f}", least=f"{rule.get('min_yuan_per_year'):,}")))

    def on_staff(self, e: Event, d: dict[str, Any], on: date) -> None:
        p = self.p
        first = p.staffed_on is None
        before = {s["name"] for s in p.roster}
        p.roster = d["roster"]
        for s in p.roster:
            p.joined.setdefault(s["name"], on)
        if first:
            p.staffed_on = on
            self.too_few_subprojects(e, on)
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
                self.find(rule.id, rule.basis, on, e.seq, Said(ft.EVALUATION_FAILED, {}))
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

    def on_service(self, e: Event, d: dict[str, Any], on: date) -> None:
        self.p.services.append({"seq": e.seq, "on": on.isoformat(), "content": d["content"],
                                **({"title": d["title"]} if d.get("title") else {})})

    def on_premises(self, e: Event, d: dict[str, Any], on: date) -> None:
        self.p.premises_on = self.p.premises_on or on

    def on_report(self, e: Event, d: dict[str, Any], on: date) -> None:
        hours = d.get("hours_per_week")
        for rule in self.book.checks("community_hours"):
            # JN-hours (济南 三(五), 每周不少于24小时): 24 hours a week meets it, 23 does not
            if hours is not None and hours < rule.get("min_hours_per_week"):
                self.find(rule.id, rule.basis, on, e.seq, Said(ft.HOURS, dict(
                    hours=f"{hours:g}", least=str(rule.get('min_hours_per_week')))))
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

    def too_few_subprojects(self, e: Event, on: date) -> None:
        # DY-1+N (东营 art. 9, 设置2-3个子项目): by the time the service begins, at least 2 sub-projects
        for rule in self.book.guards("subprojects"):
            least = rule.get("min_subprojects")
            if least and len(self.p.subprojects) < least:
                self.find(rule.id, rule.basis, on, e.seq, Said(ft.SUBPROJECTS, dict(
                    count=str(len(self.p.subprojects)), least=str(least), most=str(rule.get('max_subprojects')))))

    def term_length(self, e: Event, months: int, on: date) -> None:
        # JN-contract (济南 四(三)): "履行期限为3年", a check rather than a cap (the cap is NAT-term)
        for rule in self.book.checks("term_length"):
            if months != rule.get("months"):
                self.find(rule.id, rule.basis, on, e.seq,
                          Said(ft.TERM, dict(months=str(months), months2=str(rule.get('months')))))

    def exit(self, e: Event, on: date) -> None:
        """Termination or expiry: the decision is taken, future service lapses, the hand-over starts."""
        self.p.exit_on = on
        for ob in self.ledger.open("term_decision")[:1]:
            meet(ob, on, e.seq)
        waive_after_exit(self.ledger, on)
        waive_after_exit(self.district, on)   # it no longer gives rise to the district's later periods
        waive_after_exit(self.province, on)
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


def fold_log(events: list[Event], book: Rulebook, cal: WorkCalendar, project_id: str,
             history: list[Event] | None = None) -> Project:
    """Fold a project's full log: corrections applied, the head pointing at the log's real last event.

    `effective_history` drops `correct` events (they patch the events they name), so a plain
    fold would leave `head_seq` at the last corrected-into event; the next append and the
    projection's optimistic-concurrency check need the head of the log as stored. `history`:
    `effective_history(events)`, when the caller has it already.
    """
    project = fold(effective_history(events) if history is None else history, book, cal, project_id)
    if events:
        project.head_seq, project.head_hash = events[-1].seq, events[-1].hash
    return project
