"""Was each notice warranted? The outbox checked against the event log.

Notices are not a pure projection of the log: a sweep creates them on the
day it runs, from what the bureau knew then. So a notice is judged against
the replay *as known when it was created* (events recorded by its
`created_at`, corrections recorded by then applied), never against today's
replay: a later correction that moves a due date makes an old notice look
unwarranted, and that is history, not tampering.

A notice (obligation O, stage S, due D, as_of A) is warranted when, in that
replay:

- O exists;
- O was not met on or before A (a duty met before the sweep date needs no notice);
- S fits the replayed due date `due` of O at A, with the rulebook's settings
  N = `reminder_working_days` and M = `escalation_working_days`:
  - reminder:   A <= due and at most N working days lie in (A, due];
  - overdue:    A > due;
  - escalation: more than M working days lie in (due, A];

(the ladder of `lifecycle.notifications.ladder`; an overdue notice created
after the escalation point is late, not unwarranted).
- D equals `due`, unless O is provisional (new holiday data may since have
  moved a provisional due date without any event).

A correction (stage `correction`, the 更正通知 a sweep sends after `recompute`
moved a due date a letter named) is warranted when O exists, was not met by A,
D equals the replayed `due`, and an earlier letter about O named another date.

Pure: the caller passes the events, the outbox rows, the rulebook and the calendar.
"""
from __future__ import annotations

from bisect import bisect_right
from copy import copy
from datetime import date
from typing import Any

from lifecycle.core import names
from lifecycle.core.calendar import WorkCalendar
from lifecycle.core.events import RECORDS, Event, effective_history
from lifecycle.core.obligations import Obligation
from lifecycle.core.project import Folder, Project, fold
from lifecycle.core.rulebook import Rulebook
from lifecycle.core.errors import said

STAGES = tuple(names.STAGES)  # reminder, overdue, escalation, correction


def stage_warranted(stage: str, due: date, as_of: date, book: Rulebook, cal: WorkCalendar) -> bool:
    """Whether a notice of `stage` fits a duty due on `due`, for a sweep on `as_of`."""
    if stage == "reminder":
        window = int(book.settings.get("reminder_working_days", 3))
        return as_of <= due and cal.working_days_between(as_of, due) <= window
    if stage == "overdue":
        return as_of > due
    if stage == "escalation":
        after = int(book.settings.get("escalation_working_days", 10))
        return as_of > due and cal.working_days_between(due, as_of) > after
    return False


def notice_problems(events: list[Event], notices: list[dict[str, Any]], book: Rulebook,
                    cal: WorkCalendar, replayed: Project | None = None) -> list[str]:
    """Every notice the log could never have warranted, each as one sentence; empty when all fit.

    `replayed` is the fold of the whole log when the caller has it (`fold_log(events, ...)`):
    notices made after the last event are judged against it instead of a fold of their own.
    """
    if not events or not notices:
        return []
    pid = events[0].project
    cuts = [_utc(str(n["created_at"])) for n in notices]
    recorded = [e.recorded for e in events]
    if all(a <= b for a, b in zip(recorded, recorded[1:])):
        # the usual log, recorded in order: what was known at a cut is a prefix of it
        known = _known_prefixes(events, sorted({bisect_right(recorded, c) for c in cuts}), book, cal, replayed)
        known_at = [known[bisect_right(recorded, c)] for c in cuts]
    else:
        by_seen: dict[tuple[int, ...], dict[str, Obligation] | str] = {}
        known_at = []
        for cut in cuts:
            seen = [e for e in events if e.recorded <= cut]
            key = tuple(e.seq for e in seen)
            if key not in by_seen:
                by_seen[key] = _obligations_or_error(seen, book, cal, pid)
            known_at.append(by_seen[key])
    problems = []
    # due dates `recompute` moved (reschedule events): a letter that named the old date was warranted then
    moved = {(m["obligation"], m["old"]) for e in events if e.type == "reschedule" for m in e.data.get("moves", ())}
    for n, obligations in zip(notices, known_at):
        if isinstance(obligations, str):
            return [said("project {project}: notice {n}: the events known at {n2} do not replay: {obligations}", project=pid, n=n['id'], n2=n['created_at'], obligations=obligations)]
        if n["stage"] == "correction":
            why = _correction_unwarranted(n, obligations, notices)
        else:
            why = _unwarranted(n, obligations, book, cal, moved)
        if why:
            problems.append(said("project {project}: notice {n} ({n2} for {n3}, as of {iso}) was never warranted: {why}", project=pid, n=n['id'], n2=n['stage'], n3=n['obligation_id'], iso=_iso(n['as_of']), why=why))
    return problems


def _known_prefixes(events: list[Event], counts: list[int], book: Rulebook, cal: WorkCalendar,
                    replayed: Project | None) -> dict[int, dict[str, Obligation] | str]:
    """The obligations (or why they do not replay) as known after each of `counts` events, in order.

    Without corrections one fold runs through the log, the obligations copied at each cut;
    a correction patches an earlier event, so a log that has one is folded afresh for each cut.
    """
    pid = events[0].project
    out: dict[int, dict[str, Obligation] | str] = {}
    if any(e.type in RECORDS for e in events) or any(b.effective < a.effective for a, b in zip(events, events[1:])):
        # a correction patches an earlier event and a late entry folds before events recorded
        # ahead of it: the prefixes are folded afresh
        for k in counts:
            out[k] = _obligations_or_error(events[:k], book, cal, pid)
        return out
    project = Project(id=pid)
    folder, done, broken = Folder(project, book, cal), 0, None
    for k in counts:
        if k == len(events) and replayed is not None:
            out[k] = replayed.obligations
            continue
        if broken is None:
            try:
                for e in events[done:k]:
                    folder.apply(e)
            except (ValueError, KeyError) as exc:
                broken = str(exc)  # every longer prefix holds the event that failed, so it fails alike
            done = k
        out[k] = broken if broken is not None else {oid: copy(ob) for oid, ob in project.obligations.items()}
    return out


def _obligations_or_error(seen: list[Event], book: Rulebook, cal: WorkCalendar,
                          pid: str) -> dict[str, Obligation] | str:
    try:
        return fold(effective_history(seen), book, cal, pid).obligations
    except (ValueError, KeyError) as exc:
        return str(exc)


def _correction_unwarranted(n: dict[str, Any], obligations: dict[str, Obligation],
                            notices: list[dict[str, Any]]) -> str | None:
    """A correction (更正通知) names the duty's due date as replayed, after a letter that named another."""
    ob = obligations.get(n["obligation_id"])
    if ob is None:
        return "the log, as known when the correction was created, owes no such obligation"
    if ob.met_on is not None and ob.met_on <= _day(n["as_of"]):
        return said("the duty was met on {met_on} (event {met_seq}), before the sweep date", met_on=ob.met_on.isoformat(), met_seq=ob.met_seq)
    if _day(n["due"]) != ob.due:
        return said("it names due date {iso}, the replay {due}", iso=_iso(n['due']), due=ob.due.isoformat())
    earlier = [m for m in notices if m["obligation_id"] == n["obligation_id"] and m["id"] < n["id"]
               and m["stage"] != "correction" and _day(m["due"]) != ob.due]
    return None if earlier else "no earlier letter named another due date"


def _unwarranted(n: dict[str, Any], obligations: dict[str, Obligation], book: Rulebook,
                 cal: WorkCalendar, moved: frozenset[tuple[str, str]] | set[tuple[str, str]] = frozenset()) -> str | None:
    ob = obligations.get(n["obligation_id"])
    as_of = _day(n["as_of"])
    if ob is None:
        return "the log, as known when the notice was created, owes no such obligation"
    if n["stage"] not in STAGES:
        return said("stage {n!r} is not one of {names}", n=n['stage'], names=', '.join(STAGES))
    if ob.met_on is not None and ob.met_on <= as_of:
        return said("the duty was met on {met_on} (event {met_seq}), before the sweep date", met_on=ob.met_on.isoformat(), met_seq=ob.met_seq)
    due = ob.due
    if (n["obligation_id"], _iso(n["due"])) in moved:
        due = _day(n["due"])   # the date the letter named, before `recompute` moved it: judged by that
    elif _day(n["due"]) != ob.due and not ob.provisional:
        return said("it names due date {iso}, the replay {due}", iso=_iso(n['due']), due=ob.due.isoformat())
    if not stage_warranted(n["stage"], due, as_of, book, cal):
        return said("a {n} does not fit a duty due {due} on {as_of}", n=n['stage'], due=due.isoformat(), as_of=as_of.isoformat())
    return None


def _day(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _iso(value: date | str) -> str:
    return _day(value).isoformat()


def _utc(stamp: str) -> str:
    """`created_at` in the form events' `recorded` takes, so the two compare as strings."""
    from datetime import datetime, timezone
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")
