"""Which duties a project owes, and when: obligations generated from the rulebook.

Pure: `Owed` takes the project, its rulebook and the working-day calendar and
adds `Obligation`s to the project's ledger as events start them. Due dates
follow the Civil Code (arts. 201-203, see `lifecycle.core.calendar`); a date that
rests on a local setting rather than on a clause is marked `setting=True`.
Ids are stable and readable: `contract`, `plan:2027`, `briefing:2026-05`,
`evaluation:T1-2`, `training:T1Y1:张三`, `term_decision:T1`.
"""
from __future__ import annotations

from lifecycle.core.errors import said

import math
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Iterable

from lifecycle.core.calendar import Due, WorkCalendar, shift_months
from lifecycle.core.obligations import Ledger, Obligation, meet

if TYPE_CHECKING:
    from lifecycle.core.project import Project, Term
    from lifecycle.core.rulebook import Rule, Rulebook

_ONE_DAY = timedelta(days=1)
# Kinds `Owed` names itself; every other kind is a rule's `obligation` (see `kinds_of`).
FIXED_KINDS = ("term_decision", "briefing", "midterm_report", "final_report", "annual_report", "evaluation")


def kinds_of(book: Rulebook) -> set[str]:
    """Every obligation kind a project under `book` can come to owe."""
    kinds = set(FIXED_KINDS)
    for rule in book.rules:
        if rule.get("obligation"):
            kinds.add(rule.get("obligation"))
        kinds |= {item["obligation"] for item in rule.get("dates") or ()}
    return kinds


def service_years(term: Term) -> list[tuple[int, date, date]]:
    """Service years of a term: (k, first day, last day). Year k ends on the day
    corresponding to the start k years on (art. 202); the next begins the day after.
    The first year also counts the signing day itself; the last is cut at the term's end."""
    years, k, first = [], 1, term.start
    while True:
        last = min(shift_months(term.start, 12 * k), term.end)
        years.append((k, first, last))
        if last >= term.end:
            return years
        first, k = last + _ONE_DAY, k + 1


def months_in(first: date, last: date) -> int:
    """Months a period covers, a started month counted whole, between 1 and 12."""
    months = (last.year - first.year) * 12 + last.month - first.month + (1 if last.day >= first.day else 0)
    return max(1, min(12, months))


def calendar_months(first: date, last: date) -> list[tuple[date, date]]:
    """Calendar months overlapping [first, last], as (first day, last day)."""
    out, ms = [], first.replace(day=1)
    while ms <= last:
        nxt = shift_months(ms, 1)
        out.append((ms, nxt - _ONE_DAY))
        ms = nxt
    return out


class Owed:
    """Builds obligations for one project under one rulebook and calendar."""

    def __init__(self, project: Project, ledger: Ledger, book: Rulebook, cal: WorkCalendar,
                 district: Ledger | None = None, province: Ledger | None = None) -> None:
        self.p, self.ledger, self.book, self.cal = project, ledger, book, cal
        # duties owed by the district (the purchaser as an organ), not by the project: `owed_by = "district"`
        self.district = district if district is not None else Ledger({})
        # and by the province (FJ-cadence: the monthly bulletin and quarterly dispatch): `owed_by = "province"`
        self.province = province if province is not None else Ledger({})
        self._types: dict[str, list[Rule]] = {}
        for rule in book.rules:
            self._types.setdefault(rule.type, []).append(rule)

    def rules(self, kind: str) -> list[Rule]:
        return self._types.get(kind, [])

    # -- helpers -------------------------------------------------------------
    def add(self, rule: Rule, oid: str, kind: str, due: Due, **extra: Any) -> Obligation | None:
        owner = rule.get("owed_by")
        ledger = self.district if owner == "district" else self.province if owner == "province" else self.ledger
        if oid in ledger:
            return None
        if rule.is_setting:  # a rule that is local practice marks every duty it makes (NAT-term-end)
            extra["setting"] = True
        ob = Obligation(id=oid, kind=kind, rule=rule.id, basis=rule.basis, due=due.date,
                        provisional=due.provisional, **extra)
        ledger.add(ob)
        return ob

    def on_day(self, rule: Rule, day: date) -> Due:
        """A date the rule names ("by 31 March", "12月底前"): a fixed date (期日) is due on that
        day, rest day or not; Civil Code arts. 201-203 govern periods (期间), and only a rule
        that says `due_kind = "period"` rolls its day forward under art. 203."""
        return self.cal.roll_forward(day) if rule.rolls else Due(day, False)

    def period(self, start: date, period: dict[str, int]) -> tuple[Due, date]:
        """The due date of a period from `start`, and its last day before any art. 203 roll."""
        (unit, n), = period.items()
        if unit == "days":  # art. 201: day 1 is start + 1, so day n is start + n
            end = start + timedelta(days=n)
        elif unit in ("months", "years"):  # art. 202: the corresponding day, else the month's last
            end = shift_months(start, n * (12 if unit == "years" else 1))
        elif unit == "working_days":  # the n-th working day after start, 调休 counted
            due = self.cal.add_working_days(start, n)
            return due, due.date
        else:
            raise ValueError(said("unknown period unit {unit!r}", unit=unit))
        return self.cal.roll_forward(end), end  # art. 203

    # -- one-shot deadlines ---------------------------------------------------
    def after(self, trigger: str, on: date, seq: int) -> None:
        """Deadlines an event of type `trigger` starts: award → contract, sign → filing, exit → hand-over."""
        for rule in self.rules("deadline"):
            if rule.get("after") != trigger or not rule.in_force(on):
                continue  # a rule not yet (or no longer) in force on the day that would start it
            kind = rule.get("obligation")
            due, end = self.period(on, rule.get("period"))
            ob = self.add(rule, kind, kind, due, window_start=on, window_end=end,
                          match={"events": rule.get("met_by"), "when": rule.get("when")})
            if ob and rule.get("when") == "all_qualified" and self.p.roster \
                    and all(s["qualified"] for s in self.p.roster):
                meet(ob, on, seq)

    def on_open(self, year: int, on: date, seq: int) -> None:
        # JN-plan (济南 四(一)): opening a project records its year's plan as filed
        for rule in self.rules("annual_date"):
            if "open" in rule.get("met_by", ()):
                ob = self._plan(rule, year)
                if ob:
                    meet(ob, on, seq)
        # BH-timeline (滨海 二(三)): the 2022 set-up dates, for projects of that year only
        for rule in self.rules("fixed_dates"):
            if rule.get("year") != year:
                continue
            for item in rule.get("dates"):
                ob = self.add(rule, f"{item['obligation']}:{year}", item["obligation"],
                              self.on_day(rule, item["due"]), window_start=date(year, 1, 1),
                              window_end=item["due"], match={"events": item["met_by"]})
                if ob and "open" in item["met_by"]:
                    meet(ob, on, seq)

    def _plan(self, rule: Rule, year: int) -> Obligation | None:
        day = date(year, rule.get("month"), rule.get("day"))
        return self.add(rule, f"{rule.get('obligation')}:{year}", rule.get("obligation"), self.on_day(rule, day),
                        window_start=date(year - 1, 1, 1), window_end=day,
                        match={"events": [e for e in rule.get("met_by") if e != "open"], "year": year})

    def on_term(self, term: Term) -> None:
        """What signing (or renewing) a term starts before any service: the decision at
        its end and, in Jinan, each later year's plan by 31 March (JN-plan, 四(一))."""
        for rule in self.rules("term_decision"):
            self.add(rule, f"term_decision:T{term.no}", "term_decision", self.cal.roll_forward(term.end),
                     window_start=term.start, window_end=term.end, match={"events": rule.get("met_by")})
        for rule in self.rules("annual_date"):
            if "file_plan" not in rule.get("met_by", ()):
                continue
            for year in range(max(self.p.year + 1, term.start.year), term.end.year + 1):
                if date(year, rule.get("month"), rule.get("day")) <= term.end:
                    self._plan(rule, year)

    # -- service duties over a term -------------------------------------------
    def term_duties(self, term: Term) -> None:
        """Everything a term of service owes, from the first day in post to the term's end."""
        service_from = max(term.start, self.p.staffed_on or term.start)
        years = service_years(term)
        for rule in self.rules("reports"):
            self._reports(rule, term, years, service_from)
        for rule in self.rules("yearly_report"):
            kind = rule.get("obligation")
            for k, ws, we in years:  # BH-registers (滨海 附件一.3): updated every year
                self.add(rule, f"{kind}:T{term.no}Y{k}", kind, self.cal.roll_forward(we), window_start=ws,
                         window_end=we, match={"report": rule.get("report_kind"), "from": ws.isoformat()})
        for rule in self.rules("evaluation"):
            self._evaluations(rule, term, years)
        for rule in self.rules("count"):
            for k, ws, we in years:  # BH-cases (滨海 三(一)): per station, per year, prorated
                need = math.ceil(rule.get("count") * months_in(ws, we) / 12)
                self.add(rule, f"{rule.get('obligation')}:T{term.no}Y{k}", rule.get("obligation"),
                         self.cal.roll_forward(we), window_start=ws, window_end=we, required=need,
                         match={"events": [rule.get("event")]})
        for rule in self.rules("hours"):
            if rule.get("per") == "station":
                for k, ws, we in years:
                    self._hours(rule, f"{rule.get('obligation')}:T{term.no}Y{k}", ws, we, None)
        self.person_duties(term, [s["name"] for s in self.p.roster])
        for rule in self.rules("monthly"):
            self._months(rule, service_from, term.end)
        for rule in self.rules("quarterly"):
            self._quarters(rule, service_from, term.end)
        for rule in self.rules("weekly"):
            self._weeks(rule, service_from, term.end)
        for rule in self.rules("monthly_visit"):
            # DG-supervision (东莞 三(五)12): a visit of >= 16 hours in every month of service
            for ms, me in calendar_months(service_from, term.end):
                we = min(me, term.end)
                self.add(rule, f"{rule.get('obligation')}:{ms:%Y-%m}", rule.get("obligation"),
                         self.cal.roll_forward(we), window_start=max(ms, service_from), window_end=we,
                         match={"events": [rule.get("event")], "min_hours": rule.get("min_hours")})
        for rule in self.rules("annual_date"):
            if rule.get("while") != "service":
                continue
            kind = rule.get("obligation")
            for year in range(service_from.year, term.end.year + 1):
                day = date(year, rule.get("month"), rule.get("day"))
                if service_from <= day <= term.end:
                    # JN-annual-report (济南 四(五)) / DG-assessment (东莞 三(六)14): each year in service
                    self.add(rule, f"{kind}:{year}", kind, self.on_day(rule, day), window_start=date(year, 1, 1),
                             window_end=day, match={"events": rule.get("met_by"), "report": rule.get("report_kind"),
                                                    "year": year, "from": f"{year}-01-01"})

    def _reports(self, rule: Rule, term: Term, years: list[tuple[int, date, date]], service_from: date) -> None:
        # JN-reports (济南 四(四)) / DY-service (东营 art. 26): "on time" without a day, so the
        # due dates below rest on the rulebook's settings (briefing_due_day, report_grace_days).
        grace = self.book.setting("report_grace_days")
        if rule.get("monthly"):
            due_day = self.book.setting("briefing_due_day")
            for ms, me in calendar_months(service_from, term.end):
                following = shift_months(ms, 1)
                self.add(rule, f"briefing:{ms:%Y-%m}", "briefing",
                         self.cal.end_of_period(following.replace(day=due_day)), window_start=max(ms, service_from),
                         window_end=min(me, term.end), setting=True,
                         match={"report": "monthly", "period": f"{ms:%Y-%m}"})
        if rule.get("midterm"):
            mid = shift_months(term.start, term.months // 2)
            self.add(rule, f"midterm_report:T{term.no}", "midterm_report", self.cal.add_days(mid, grace),
                     window_start=term.start, window_end=mid, setting=True,
                     match={"report": "midterm", "from": term.start.isoformat()})
        if rule.get("final"):
            self.add(rule, f"final_report:T{term.no}", "final_report", self.cal.add_days(term.end, grace),
                     window_start=term.start, window_end=term.end, setting=True,
                     match={"report": "final", "from": term.start.isoformat()})
        if rule.get("annual"):
            for k, ws, we in years:
                self.add(rule, f"annual_report:T{term.no}Y{k}", "annual_report", self.cal.add_days(we, grace),
                         window_start=ws, window_end=we, setting=True, match={"report": "annual", "from": ws.isoformat()})

    def _evaluations(self, rule: Rule, term: Term, years: list[tuple[int, date, date]]) -> None:
        # JN-eval (济南 四(五)): once a service year; DY-eval (东营 art. 28): at least twice a
        # year, read as one per half of the service year. Any evaluation from the start of
        # its service year counts, earliest duty first, so two early ones cover a year.
        per_year = rule.get("per_year")
        n = 1
        for _k, ys, ye in years:
            first = ys
            for part in range(1, per_year + 1):
                last = min(shift_months(term.start, 12 * (_k - 1) + 12 * part // per_year), ye)
                if first > ye:
                    break
                self.add(rule, f"evaluation:T{term.no}-{n}", "evaluation", self.cal.roll_forward(last),
                         window_start=first, window_end=last, match={"events": ["evaluate"], "from": ys.isoformat()})
                first, n = last + _ONE_DAY, n + 1

    def person_duties(self, term: Term, names: Iterable[str]) -> None:
        """Per-person hours a year (DY-training/-supervision, BH-education, DG-training*),
        prorated by the months a person serves in the year."""
        for rule in self.rules("hours"):
            if rule.get("per") != "person":
                continue
            for name in names:
                join = self.p.joined.get(name) or self.p.staffed_on or term.start
                if rule.get("once"):
                    # DG-training-pre (东莞 三(五)11): 15 h pre-service, within a set time of joining
                    start = max(join, term.start)
                    months = self.book.settings.get("pre_service_months", 1)
                    self._hours(rule, f"{rule.get('obligation')}:{name}", start, shift_months(start, months), name,
                                setting=True)
                    continue
                for k, ws, we in service_years(term):
                    if we < join:
                        continue
                    self._hours(rule, f"{rule.get('obligation')}:T{term.no}Y{k}:{name}", ws, we, name,
                                served_from=max(ws, join))

    def _hours(self, rule: Rule, oid: str, ws: date, we: date, person: str | None, setting: bool = False,
               served_from: date | None = None) -> None:
        if rule.get("once"):
            need = rule.get("hours")
        else:
            need = math.ceil(rule.get("hours") * months_in(served_from or ws, we) / 12)
        self.add(rule, oid, rule.get("obligation"), self.cal.roll_forward(we), window_start=ws, window_end=we,
                 subject=person, required=need, setting=setting,
                 match={"events": [rule.get("event")], "training_kind": rule.get("training_kind")})

    def _months(self, rule: Rule, start: date, end: date) -> None:
        # FJ-cadence (福建 一.三, 每月一通报): every month of service; the day is a setting
        days = self.book.setting(rule.get("due_days_setting", "monthly_report_due_days"))
        for ms, me in calendar_months(start, end):
            self.add(rule, f"{rule.get('obligation')}:{ms:%Y-%m}", rule.get("obligation"), self.cal.add_days(me, days),
                     window_start=max(ms, start), window_end=min(me, end), setting=True,
                     match={"report": rule.get("report_kind"), "period": f"{ms:%Y-%m}"})

    def _quarters(self, rule: Rule, start: date, end: date) -> None:
        # DY-county-report (东营 art. 38), FJ-cadence (福建 一.三, 每季一调度): every quarter; the day is a setting
        days = self.book.setting(rule.get("due_days_setting", "quarterly_report_due_days"))
        q_start = date(start.year, 3 * ((start.month - 1) // 3) + 1, 1)
        while q_start <= end:
            q_end = shift_months(q_start, 3) - _ONE_DAY
            label = f"{q_start.year}-Q{(q_start.month - 1) // 3 + 1}"
            self.add(rule, f"{rule.get('obligation')}:{label}", rule.get("obligation"), self.cal.add_days(q_end, days),
                     window_start=max(q_start, start), window_end=min(q_end, end), setting=True,
                     match={"report": rule.get("report_kind"), "period": label})
            q_start = shift_months(q_start, 3)

    def _weeks(self, rule: Rule, start: date, end: date) -> None:
        monday = start - timedelta(days=start.weekday())
        while monday <= end:
            iso = monday.isocalendar()
            label = f"{iso.year}-W{iso.week:02d}"
            # FJ-cadence (福建 一.三, 每周一报送): a week's report is due on the following
            # Monday, or the first working day after it (art. 203)
            self.add(rule, f"{rule.get('obligation')}:{label}", rule.get("obligation"),
                     self.cal.roll_forward(monday + timedelta(days=7)), window_start=max(monday, start),
                     window_end=min(monday + timedelta(days=6), end),
                     match={"report": rule.get("report_kind"), "period": label})
            monday += timedelta(days=7)
