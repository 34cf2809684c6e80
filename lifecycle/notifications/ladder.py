"""The ladder a duty climbs: reminder, overdue, escalation, in working days.

- `reminder`: the duty falls due today or within N working days ahead
  (N = rulebook setting `reminder_working_days`), i.e. there are at most N
  working days d with today < d <= due;
- `overdue`: from the day after it falls due;
- `escalation`: once M full working days overdue have passed
  (M = `escalation_working_days`), i.e. from the (M+1)-th working day after
  the due date: more than M working days d with due < d <= today.

A sweep that runs late creates only the stage that applies on its date: a
first sweep twenty working days after the due date escalates at once and
does not send the reminder and the overdue notice it missed.

Pure: the calendar and the date are passed in.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from lifecycle.core.calendar import WorkCalendar

_ONE_DAY = timedelta(days=1)
DEFAULT_REMINDER_WORKING_DAYS = 3
DEFAULT_ESCALATION_WORKING_DAYS = 10


@dataclass(frozen=True)
class Ladder:
    reminder_working_days: int = DEFAULT_REMINDER_WORKING_DAYS
    escalation_working_days: int = DEFAULT_ESCALATION_WORKING_DAYS

    @classmethod
    def from_settings(cls, settings: dict[str, object]) -> Ladder:
        return cls(int(settings.get("reminder_working_days", DEFAULT_REMINDER_WORKING_DAYS)),
                   int(settings.get("escalation_working_days", DEFAULT_ESCALATION_WORKING_DAYS)))

    def stage(self, due: date, today: date, cal: WorkCalendar) -> str | None:
        """The stage a duty due on `due` stands at on `today` (None: not yet near)."""
        if due >= today:
            return "reminder" if cal.working_days_between(today, due) <= self.reminder_working_days else None
        if cal.working_days_between(due, today) > self.escalation_working_days:
            return "escalation"
        return "overdue"

    def bounds(self, today: date, cal: WorkCalendar) -> Bounds:
        """The same ladder as due-date bounds, so that one indexed query can find the candidates."""
        # due <= reminder_to  <=>  at most N working days in (today, due]
        reminder_to = cal.add_working_days(today, self.reminder_working_days + 1).date - _ONE_DAY
        # due < escalate_before  <=>  more than M working days in (due, today]
        return Bounds(today, reminder_to, _nth_working_day_back(today, self.escalation_working_days + 1, cal))


@dataclass(frozen=True)
class Bounds:
    today: date
    reminder_to: date       # due in [today, reminder_to]: reminder
    escalate_before: date   # due in [escalate_before, today): overdue; before it: escalation


def _nth_working_day_back(today: date, n: int, cal: WorkCalendar) -> date:
    """The n-th working day counting back from today (today included if it is one)."""
    day, seen = today, 0
    while True:
        if cal.is_working_day(day):
            seen += 1
            if seen == n:
                return day
        day -= _ONE_DAY
