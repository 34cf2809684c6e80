"""Which duties a project owes, and when: obligations derived from the rulebook.

Pure: every function takes the project, the rulebook and the working-day
calendar, and returns or updates `Obligation`s. Nothing here reads the clock;
"overdue" is a view computed against a date the caller passes in.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Iterable

from lifecycle.calendar import Due, WorkCalendar, shift_months

if TYPE_CHECKING:
    from lifecycle.project import Project, Term
    from lifecycle.rulebook import Rule, Rulebook

# Duties that a project's exit does not waive when their period had begun:
# an expired term still owes its last reports.
_SURVIVE_EXPIRY = {"final_report", "annual_report", "briefing", "quarterly_report", "weekly_report"}
# Periodic duties a suspension excuses when they fall due while suspended.
_EXCUSED_BY_SUSPENSION = {"briefing", "weekly_report", "supervision_visit", "quarterly_report"}


@dataclass
class Obligation:
    id: str
    kind: str
    rule: str
    basis: str
    due: date
    provisional: bool
    status: str = "open"            # open | met | waived (overdue is a view, see `status_on`)
    window_start: date | None = None
    subject: str | None = None      # the staff member, where the duty is per person
    required: float | None = None   # hours or count, where the duty is a quantity
    progress: float = 0.0
    met_on: date | None = None
    met_seq: int | None = None
    setting: bool = False           # the due date rests on a local setting, not on law
    note: str | None = None
    match: dict[str, Any] | None = None   # what an event must carry to meet it

    def status_on(self, today: date | None) -> str:
        if self.status == "open" and today is not None and today > self.due:
            return "overdue"
        return self.status

    def met_late(self) -> bool:
        return self.met_on is not None and self.met_on > self.due

    def as_dict(self, today: date | None = None) -> dict[str, Any]:
        out = asdict(self)
        out["status"] = self.status_on(today)
        for key in ("due", "window_start", "met_on"):
            out[key] = out[key].isoformat() if out[key] else None
        return out

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Obligation:
        raw = dict(raw)
        for key in ("due", "window_start", "met_on"):
            raw[key] = date.fromisoformat(raw[key]) if raw.get(key) else None
        if raw.get("status") == "overdue":
            raw["status"] = "open"
        return cls(**raw)


class Owed:
    """Builds obligations for one project under one rulebook and calendar."""

    def __init__(self, project: Project, book: Rulebook, cal: WorkCalendar) -> None:
        self.p, self.book, self.cal = project, book, cal

    # -- helpers -------------------------------------------------------------
    def add(self, rule: Rule, oid: str, kind: str, due: Due, **extra: Any) -> Obligation | None:
        if oid in self.p.obligations:
            return None
        ob = Obligation(id=oid, kind=kind, rule=rule.id, basis=rule.basis, due=due.date,
                        provisional=due.provisional, **extra)
        self.p.obligations[oid] = ob
        return ob

    def period(self, start: date, period: dict[str, int]) -> Due:
        (unit, n), = period.items()
        if unit == "days":
            return self.cal.add_days(start, n)
        if unit == "working_days":
            return self.cal.add_working_days(start, n)
        if unit == "months":
            return self.cal.add_months(start, n)
        if unit == "years":
            return self.cal.add_years(start, n)
        raise ValueError(f"unknown period unit {unit!r}")

    # -- one-shot deadlines ---------------------------------------------------
    def after(self, trigger: str, on: date, seq: int) -> None:
        """Deadlines that an event of type `trigger` starts (award → contract, sign → filing, ...)."""
        for rule in self.book.of_type("deadline"):
            if rule.get("after") != trigger:
                continue
            kind = rule.get("obligation")
            ob = self.add(rule, kind, kind, self.period(on, rule.get("period")), window_start=on,
                          match={"events": rule.get("met_by"), "when": rule.get("when")})
            if ob and rule.get("when") == "all_qualified" and all(s["qualified"] for s in self.p.roster):
                meet(ob, on, seq)

    def on_open(self, year: int, on: date, seq: int) -> None:
        for rule in self.book.of_type("annual_date"):
            if "open" in rule.get("met_by", ()):
                ob = self.add(rule, f"{rule.get('obligation')}:{year}", rule.get("obligation"),
                              self.cal.end_of_period(date(year, rule.get("month"), rule.get("day"))),
                              window_start=date(year - 1, 1, 1), match={"events": rule.get("met_by"), "year": year})
                if ob:
                    meet(ob, on, seq)
        for rule in self.book.of_type("fixed_dates"):
            if rule.get("year") != year:
                continue
            for item in rule.get("dates"):
                ob = self.add(rule, f"{item['obligation']}:{year}", item["obligation"],
                              self.cal.end_of_period(item["due"]), window_start=date(year, 1, 1),
                              match={"events": item["met_by"]})
                if ob and "open" in item["met_by"]:
                    meet(ob, on, seq)

    def term_decision(self, term: Term) -> None:
        for rule in self.book.of_type("term_decision"):
            self.add(rule, f"term_decision:T{term.no}", "term_decision", self.cal.roll_forward(term.end),
                     window_start=term.start, match={"events": rule.get("met_by")})

    # -- service duties over a term -------------------------------------------
    def service_years(self, term: Term) -> list[tuple[int, date, date]]:
        years, k = [], 1
        while True:
            start = shift_months(term.start, 12 * (k - 1))
            if start >= term.end:
                return years
            years.append((k, start, min(shift_months(term.start, 12 * k), term.end)))
            k += 1

    def term_duties(self, term: Term) -> None:
        """Everything a term of service owes, from the first day in post to the term's end."""
        service_from = max(term.start, self.p.staffed_on or term.start)
        grace = self.book.setting("report_grace_days")
        for rule in self.book.of_type("reports"):
            if rule.get("monthly"):
                self._briefings(rule, service_from, term.end)
            if rule.get("midterm"):
                mid = shift_months(term.start, term.months // 2)
                self.add(rule, f"midterm_report:T{term.no}", "midterm_report", self.cal.add_days(mid, grace),
                         window_start=term.start, setting=True, match={"report": "midterm"})
            if rule.get("final"):
                self.add(rule, f"final_report:T{term.no}", "final_report", self.cal.add_days(term.end, grace),
                         window_start=term.start, setting=True, match={"report": "final"})
            if rule.get("annual"):
                for k, ws, we in self.service_years(term):
                    self.add(rule, f"annual_report:T{term.no}Y{k}", "annual_report", self.cal.add_days(we, grace),
                             window_start=ws, setting=True, match={"report": "annual"})
        for rule in self.book.of_type("yearly_report"):
            kind = rule.get("obligation")
            for k, ws, we in self.service_years(term):
                self.add(rule, f"{kind}:T{term.no}Y{k}", kind, self.cal.roll_forward(we), window_start=ws,
                         match={"report": rule.get("report_kind")})
        for rule in self.book.of_type("evaluation"):
            step = 12 // rule.get("per_year")
            n, start = 1, term.start
            while start < term.end:
                end = min(shift_months(term.start, step * n), term.end)
                self.add(rule, f"evaluation:T{term.no}-{n}", "evaluation", self.cal.roll_forward(end),
                         window_start=start, match={"events": ["evaluate"]})
                start, n = end, n + 1
        for rule in self.book.of_type("count"):
            for k, ws, we in self.service_years(term):
                need = math.ceil(rule.get("count") * _months_between(ws, we) / 12)
                self.add(rule, f"{rule.get('obligation')}:T{term.no}Y{k}", rule.get("obligation"),
                         self.cal.roll_forward(we), window_start=ws, required=need,
                         match={"events": [rule.get("event")]})
        for rule in self.book.of_type("hours"):
            if rule.get("per") == "station" and not rule.get("once"):
                for k, ws, we in self.service_years(term):
                    self._hours(rule, f"{rule.get('obligation')}:T{term.no}Y{k}", ws, we, None)
        self.person_duties(term, [s["name"] for s in self.p.roster], service_from)
        for rule in self.book.of_type("quarterly"):
            self._quarters(rule, service_from, term.end)
        for rule in self.book.of_type("weekly"):
            self._weeks(rule, service_from, term.end)
        for rule in self.book.of_type("monthly_visit"):
            for ms, me in _months(service_from, term.end):
                self.add(rule, f"{rule.get('obligation')}:{ms:%Y-%m}", rule.get("obligation"), self.cal.roll_forward(me),
                         window_start=ms, match={"events": [rule.get("event")], "min_hours": rule.get("min_hours")})
        for rule in self.book.of_type("annual_date"):
            if rule.get("while") != "service":
                continue
            kind = rule.get("obligation")
            for year in range(service_from.year, term.end.year + 1):
                day = date(year, rule.get("month"), rule.get("day"))
                if service_from <= day <= term.end:
                    self.add(rule, f"{kind}:{year}", kind, self.cal.end_of_period(day), window_start=date(year, 1, 1),
                             match={"events": rule.get("met_by"), "report": rule.get("report_kind"), "year": year})
        for rule in self.book.of_type("annual_date"):
            if "file_plan" not in rule.get("met_by", ()):
                continue
            kind = rule.get("obligation")
            for year in range(self.p.year + 1, term.end.year + 1):
                day = date(year, rule.get("month"), rule.get("day"))
                if day <= term.end:
                    self.add(rule, f"{kind}:{year}", kind, self.cal.end_of_period(day), window_start=date(year - 1, 1, 1),
                             match={"events": ["file_plan"], "year": year})

    def person_duties(self, term: Term, names: Iterable[str], service_from: date) -> None:
        for rule in self.book.of_type("hours"):
            if rule.get("per") != "person":
                continue
            for name in names:
                if rule.get("once"):
                    join = max(service_from, self.p.joined.get(name, service_from))
                    months = self.book.settings.get("pre_service_months", 1)
                    self._hours(rule, f"{rule.get('obligation')}:{name}", join,
                                shift_months(join, months), name, setting=True)
                    continue
                for k, ws, we in self.service_years(term):
                    self._hours(rule, f"{rule.get('obligation')}:T{term.no}Y{k}:{name}", ws, we, name)

    def _hours(self, rule: Rule, oid: str, ws: date, we: date, person: str | None, setting: bool = False) -> None:
        need = rule.get("hours") if rule.get("once") else math.ceil(rule.get("hours") * _months_between(ws, we) / 12)
        self.add(rule, oid, rule.get("obligation"), self.cal.roll_forward(we), window_start=ws, subject=person,
                 required=need, setting=setting,
                 match={"events": [rule.get("event")], "training_kind": rule.get("training_kind")})

    def _briefings(self, rule: Rule, start: date, end: date) -> None:
        due_day = self.book.setting("briefing_due_day")
        for ms, _me in _months(start, end):
            following = shift_months(ms, 1)
            self.add(rule, f"briefing:{ms:%Y-%m}", "briefing",
                     self.cal.end_of_period(following.replace(day=due_day)), window_start=ms, setting=True,
                     match={"report": "monthly", "period": f"{ms:%Y-%m}"})

    def _quarters(self, rule: Rule, start: date, end: date) -> None:
        days = self.book.setting("quarterly_report_due_days")
        q_start = date(start.year, 3 * ((start.month - 1) // 3) + 1, 1)
        while q_start <= end:
            q_end = shift_months(q_start, 3) - timedelta(days=1)
            label = f"{q_start.year}-Q{(q_start.month - 1) // 3 + 1}"
            self.add(rule, f"{rule.get('obligation')}:{label}", rule.get("obligation"), self.cal.add_days(q_end, days),
                     window_start=q_start, setting=True, match={"report": rule.get("report_kind"), "period": label})
            q_start = shift_months(q_start, 3)

    def _weeks(self, rule: Rule, start: date, end: date) -> None:
        monday = start - timedelta(days=start.weekday())
        while monday <= end:
            iso = monday.isocalendar()
            label = f"{iso.year}-W{iso.week:02d}"
            # FJ-cadence (每周一报送): the week's report is due on the following Monday
            self.add(rule, f"{rule.get('obligation')}:{label}", rule.get("obligation"),
                     self.cal.roll_forward(monday + timedelta(days=7)), window_start=monday,
                     match={"report": rule.get("report_kind"), "period": label})
            monday += timedelta(days=7)


def _months(start: date, end: date) -> list[tuple[date, date]]:
    """Calendar months overlapping [start, end], as (first day, last day)."""
    out, ms = [], start.replace(day=1)
    while ms <= end:
        nxt = shift_months(ms, 1)
        out.append((ms, nxt - timedelta(days=1)))
        ms = nxt
    return out


def _months_between(start: date, end: date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    return max(1, min(12, months + (1 if end.day > start.day else 0)))


def meet(ob: Obligation, on: date, seq: int) -> None:
    if ob.status == "open":
        ob.status, ob.met_on, ob.met_seq = "met", on, seq


def open_obligations(obligations: dict[str, Obligation], kind: str | None = None) -> list[Obligation]:
    found = [o for o in obligations.values() if o.status == "open" and (kind is None or o.kind == kind)]
    return sorted(found, key=lambda o: (o.due, o.id))


def waive_after_exit(obligations: dict[str, Obligation], exit_on: date, expired: bool, keep: set[str]) -> None:
    """Termination waives future service duties (those due after the exit date)."""
    for ob in obligations.values():
        if ob.status != "open" or ob.due <= exit_on or ob.kind in keep:
            continue
        if expired and ob.kind in _SURVIVE_EXPIRY and (ob.window_start or exit_on) <= exit_on:
            continue
        ob.status, ob.note = "waived", f"waived by exit on {exit_on.isoformat()}"


def waive_suspended(obligations: dict[str, Obligation], since: date, until: date) -> None:
    for ob in obligations.values():
        if ob.status == "open" and ob.kind in _EXCUSED_BY_SUSPENSION and since < ob.due <= until:
            ob.status, ob.note = "waived", f"fell due while suspended {since.isoformat()}–{until.isoformat()}"
