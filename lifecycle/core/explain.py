"""The receipt of a due date: why an obligation is due on the day it is, step by step.

Pure. From the event that started the duty (its trigger), the rule that owes
it and the working-day calendar, `receipts` rebuilds each due date the way the
Civil Code counts it: art. 201 (the first day is not counted), art. 202 (the
corresponding day, else the month's last day), each rest day skipped with its
holiday's name and each 调休 working day counted, then art. 203 (a last day on a
rest day moves to the next working day). The due date a receipt arrives at is
the one the fold computed (a test checks every obligation of the demo), and a
provisional date says which year's schedule it lacks.

`lifecycle.core.receipt_words` tells a receipt in words; its `sentence` is the receipt in one sentence, for letters and the audit report:
`9月26日发出中标通知书，次日起算10日，第10日10月6日为国庆节、中秋节假期，顺延至10月9日`.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Callable, Iterable
from weakref import WeakKeyDictionary

from lifecycle.core.calendar import WorkCalendar, shift_months
from lifecycle.core.errors import said
from lifecycle.core.events import Event
from lifecycle.core.obligations import Obligation
from lifecycle.core.project import Folder, Project
from lifecycle.core.rulebook import Rule, Rulebook

_ONE_DAY = timedelta(days=1)
UNITS = ("days", "months", "working_days", "fixed")
# How far a holiday block is looked for around a rest day: the longest official run is 10 days.
_BLOCK_REACH = 12


@dataclass(frozen=True)
class Step:
    """One line of the receipt. `what`: start, day, corresponding, month_end, fixed, rest, adjusted,
    counted, working, roll. `rule` is the clause or practice that takes the step."""

    date: date
    rule: str
    what: str
    holidays: tuple[str, ...] = ()
    n: int | None = None


@dataclass(frozen=True)
class Trigger:
    seq: int
    event: str
    date: date


@dataclass(frozen=True)
class Reckoning:
    """How a rule counts a duty's period: `unit` and `count` from `anchor`, which is the trigger's
    day (`from_`="event"), the last day of the period the duty covers ("period_end") or, for a
    fixed date, the date itself ("fixed"). `setting` names the rulebook setting it rests on."""

    unit: str
    count: int | None
    anchor: date
    from_: str
    setting: str | None = None
    years: bool = False  # the rule says years; counted as 12 months each (art. 202)


@dataclass(frozen=True)
class Receipt:
    project: str
    obligation: Obligation
    rule: Rule | None
    citation: str
    citation_en: str
    trigger: Trigger | None
    reckoning: Reckoning
    setting_value: Any
    steps: tuple[Step, ...]
    due: date
    provisional: bool
    missing_years: tuple[int, ...]

    def as_dict(self) -> dict[str, Any]:
        """The receipt as data (`explain --json`): the same in every language."""
        from lifecycle.core.receipt_words import note, sentence
        ob, r = self.obligation, self.reckoning
        return {
            "project": self.project, "obligation": ob.id, "kind": ob.kind, "subject": ob.subject,
            "rule": ob.rule, "basis": ob.basis, "citation": self.citation, "citation_en": self.citation_en,
            "trigger": ({"seq": self.trigger.seq, "event": self.trigger.event, "date": self.trigger.date.isoformat()}
                        if self.trigger else None),
            "period": {"count": r.count, "unit": r.unit, "from": r.from_, "anchor": r.anchor.isoformat(),
                       "setting": ({"key": r.setting, "value": self.setting_value} if r.setting else None)},
            "steps": [{"date": s.date.isoformat(), "rule": s.rule, "what": s.what, "holidays": list(s.holidays),
                       "note": note(s, self, "zh"), "note_en": note(s, self, "en")} for s in self.steps],
            "due": self.due.isoformat(), "provisional": self.provisional,
            "missing_years": list(self.missing_years),
            "sentence": sentence(self, "zh"), "sentence_en": sentence(self, "en"),
        }


# --- which event started each duty -------------------------------------------------------

def receipts(events: Iterable[Event], book: Rulebook, cal: WorkCalendar, project_id: str,
             after_each: Callable[[Event, Project], None] | None = None) -> dict[str, Receipt]:
    """Every obligation of a project's (correction-applied) events with its receipt, by id.
    Folding event by event also tells which event started each duty: its trigger. `after_each`
    sees the project after every event (the audit report's timeline takes its states from it)."""
    return fold_with_receipts(events, book, cal, project_id, after_each)[1]


def fold_with_receipts(events: Iterable[Event], book: Rulebook, cal: WorkCalendar, project_id: str,
                       after_each: Callable[[Event, Project], None] | None = None
                       ) -> tuple[Project, dict[str, Receipt]]:
    """`receipts`, with the project the fold made (the audit bundle folds once for both)."""
    project = Project(id=project_id)
    folder = Folder(project, book, cal)
    born: dict[str, Event] = {}
    for e in events:
        folder.apply(e)
        if after_each is not None:
            after_each(e, project)
        if len(born) != len(project.obligations):
            for oid in project.obligations:
                born.setdefault(oid, e)
    return project, {oid: receipt(project_id, ob, book, cal, born.get(oid)) for oid, ob in project.obligations.items()}


def stored_receipt(project_id: str, ob: Obligation, book: Rulebook, cal: WorkCalendar) -> Receipt:
    """The receipt of a duty read from a stored snapshot, without its log: a deadline's trigger is
    the event type its rule starts `after`, on the first day of its window (what `Owed.after` made)."""
    rule = book.rule(ob.rule)
    after = rule.get("after") if rule is not None and rule.type == "deadline" else None
    trigger = Trigger(0, after, ob.window_start) if after and ob.window_start else None
    return receipt(project_id, ob, book, cal, None, trigger)


def receipt(project_id: str, ob: Obligation, book: Rulebook, cal: WorkCalendar, started_by: Event | None,
            trigger: Trigger | None = None) -> Receipt:
    rule = book.rule(ob.rule)
    how = reckoning(ob, rule, book)
    if how.unit == "fixed" and rule is not None and not rule.rolls:
        # a fixed date (期日, the rule's due_kind): the day itself, no art. 203 roll, no calendar needed
        steps, due, missing = [Step(how.anchor, "fixed", "fixed")], how.anchor, ()
    else:
        steps, first_year = _count(how, cal)
        due = steps[-1].date
        missing = tuple(y for y in range(first_year, due.year + 1) if not cal.has_data(y))
    if started_by is not None:
        trigger = Trigger(started_by.seq, started_by.type, started_by.effective)
    value = book.settings.get(how.setting) if how.setting else None
    from lifecycle.core.receipt_words import citation
    return Receipt(project_id, ob, rule, citation(rule, book, "zh"), citation(rule, book, "en"), trigger, how, value,
                   tuple(steps), due, bool(missing), missing)


def reckoning(ob: Obligation, rule: Rule | None, book: Rulebook) -> Reckoning:
    """How the duty's rule counts its period, read back from the obligation as `Owed` made it
    (lifecycle.core.duties: each branch below names the generator it mirrors)."""
    kind = rule.type if rule else ""
    end = ob.window_end or ob.due
    if kind == "deadline":  # Owed.after: the rule's period from the trigger's day
        (unit, n), = rule.get("period").items()
        if unit == "years":
            return Reckoning("months", 12 * n, ob.window_start, "event", years=True)
        return Reckoning(unit, n, ob.window_start, "event")
    if kind == "reports":  # Owed._reports: a briefing on a set day of the next month, reports some days on
        if ob.kind == "briefing":
            month = ob.window_start.replace(day=1)
            day = shift_months(month, 1).replace(day=book.setting("briefing_due_day"))
            return Reckoning("fixed", None, day, "fixed", "briefing_due_day")
        return Reckoning("days", book.setting("report_grace_days"), end, "period_end", "report_grace_days")
    if kind == "quarterly":  # Owed._quarters: days after the quarter's last day
        year, quarter = ob.id.split(":", 1)[1].split("-Q")
        q_end = shift_months(date(int(year), 3 * int(quarter) - 2, 1), 3) - _ONE_DAY
        return Reckoning("days", book.setting("quarterly_report_due_days"), q_end, "period_end",
                         "quarterly_report_due_days")
    if kind == "weekly":  # Owed._weeks: the following Monday
        monday = ob.window_start - timedelta(days=ob.window_start.weekday())
        return Reckoning("fixed", None, monday + timedelta(days=7), "fixed")
    if kind == "hours" and rule.get("once"):  # Owed.person_duties: months from joining (a setting)
        return Reckoning("months", book.settings.get("pre_service_months", 1), ob.window_start, "event",
                         "pre_service_months")
    # annual_date, fixed_dates: a calendar date; term_decision, evaluation, hours, count, monthly_visit,
    # yearly_report: the last day of the period the duty covers
    return Reckoning("fixed", None, end, "fixed" if kind in ("annual_date", "fixed_dates") else "period_end")


# --- counting ------------------------------------------------------------------------------

# memo of `_count` per calendar (immutable once built): a portfolio's duties share their anchors
_COUNTED: WeakKeyDictionary[WorkCalendar, dict[tuple[str, int | None, date], tuple[tuple[Step, ...], int]]] = \
    WeakKeyDictionary()


def _count(how: Reckoning, cal: WorkCalendar) -> tuple[list[Step], int]:
    """The steps from the anchor to the due date, and the first year the calendar looked at
    (as `WorkCalendar` marks a result provisional)."""
    memo = _COUNTED.setdefault(cal, {})
    key = (how.unit, how.count, how.anchor)
    if key not in memo:
        steps, first = _counted(how, cal)
        memo[key] = (tuple(steps), first)
    steps, first = memo[key]
    return list(steps), first


def _counted(how: Reckoning, cal: WorkCalendar) -> tuple[list[Step], int]:
    start = how.anchor
    if how.unit == "days":  # art. 201: day 1 is start + 1, so day n is start + n
        last = start + timedelta(days=how.count)
        steps = [Step(start, "art. 201", "start"), Step(last, "art. 201", "day", n=how.count)]
        return steps + _roll(last, cal), last.year
    if how.unit == "months":  # art. 202: the corresponding day, else the month's last day
        last = shift_months(start, how.count)
        what = "corresponding" if last.day == start.day else "month_end"
        steps = [Step(start, "art. 201", "start"), Step(last, "art. 202", what, n=how.count)]
        return steps + _roll(last, cal), last.year
    if how.unit == "working_days":
        return _working(start, how.count, cal), (start + _ONE_DAY).year if how.count else start.year
    if how.unit == "fixed":
        return [Step(start, "fixed", "fixed")] + _roll(start, cal), start.year
    raise ValueError(said("unknown period unit {unit!r}", unit=how.unit))


def _roll(last: date, cal: WorkCalendar) -> list[Step]:
    """Civil Code art. 203: a last day on a rest day moves to the first working day after it."""
    if cal.is_working_day(last):
        return [Step(last, "art. 203", "working")]
    steps, day = [], last
    while cal.is_rest_day(day):
        steps.append(Step(day, "art. 203", "rest", _block(day, cal)))
        day += _ONE_DAY
    return steps + [Step(day, "art. 203", "roll")]


def _working(start: date, n: int, cal: WorkCalendar) -> list[Step]:
    """The n-th working day after `start` (start not counted): every rest day passed over, every
    调休 working day counted."""
    steps = [Step(start, "art. 201", "start")]
    if n == 0:
        return steps + _roll(start, cal)
    counted, day = 0, start
    while counted < n:
        day += _ONE_DAY
        if cal.is_rest_day(day):
            steps.append(Step(day, "working days", "rest", _block(day, cal)))
            continue
        counted += 1
        if cal.is_adjusted_workday(day):
            steps.append(Step(day, "working days", "adjusted", _named(day, cal), n=counted))
    if steps[-1].date != day:
        steps.append(Step(day, "working days", "counted", n=n))
    return steps


def _named(day: date, cal: WorkCalendar) -> tuple[str, ...]:
    code = cal.holiday_of(day)
    return (code,) if code else ()


def _block(day: date, cal: WorkCalendar) -> tuple[str, ...]:
    """The holidays of the run of rest days `day` lies in (国庆节 and 中秋节 share one in 2025);
    nothing for a plain weekend day."""
    if cal.holiday_of(day) is None:
        return ()
    first = last = day
    for _ in range(_BLOCK_REACH):
        if not cal.is_rest_day(first - _ONE_DAY):
            break
        first -= _ONE_DAY
    for _ in range(_BLOCK_REACH):
        if not cal.is_rest_day(last + _ONE_DAY):
            break
        last += _ONE_DAY
    names: list[str] = []
    d = first
    while d <= last:
        code = cal.holiday_of(d)
        if code and code not in names:
            names.append(code)
        d += _ONE_DAY
    return tuple(names)
