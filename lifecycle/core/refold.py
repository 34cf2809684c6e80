"""Refold a changed log and check it again: what a late entry, a correction and a void share.

Pure. The projection is the fold of the log in effective order (see
`lifecycle.core.events.effective_history`), so an event entered late, a
correction moving or changing an event, and a void retracting one all change
what every later event meets. `refold_checked` folds the whole changed log,
judging again each event from the point of change on: its transition in the
state it now meets, and the rulebook's guards. The first event that has
become illegal is named; nothing is appended then.
"""
from __future__ import annotations

from typing import Callable

from lifecycle.core.calendar import WorkCalendar
from lifecycle.core.errors import Reasons, Refused, Said, said
from lifecycle.core.events import Event, effective_history
from lifecycle.core.guards import Market, check
from lifecycle.core.project import Folder, Project
from lifecycle.core.rulebook import Rulebook

# judge(e): the market to judge event e's guards against, or None to leave its guards alone
Judge = Callable[[Event], "Market | None"]
# say(e, why): the sentence refusing the change because event e would become illegal (a `Said`,
# so that the refusal is said in the reader's language, `why` with it)
Say = Callable[[Event, str], str]


def refold_checked(log: list[Event], book: Rulebook, cal: WorkCalendar, project_id: str, judge: Judge,
                   say: Say) -> Project:
    """The project folded from `log` (in effective order), every event judged by `judge` checked
    again; raises Refused (`say`) at the first event the changed history makes illegal."""
    history = effective_history(log)
    opened = next((e for e in history if e.type == "open"), None)
    project = Project(id=project_id)
    folder = Folder(project, book, cal)
    for e in history:
        if opened is not None and e.effective < opened.effective:
            raise Refused(say(e, said("it would be effective {on}, before the project opened on {opened}",
                                      on=e.effective.isoformat(), opened=opened.effective.isoformat())))
        market = judge(e) if e.type != "open" else None
        if market is not None:
            reasons = check(e.type, project, e.data, folder.book, market, e.effective)
            if reasons:
                raise Refused(say(e, said("it would break a rule: {reasons}", reasons=Reasons(reasons))),
                              reasons=reasons)
        try:
            folder.apply(e)
        except (ValueError, KeyError) as exc:
            why = exc.args[0] if exc.args and isinstance(exc.args[0], Said) else str(exc)
            raise Refused(say(e, why)) from None
    if log:
        project.head_seq, project.head_hash = log[-1].seq, log[-1].hash
    return project


def since(first: tuple, judged: Callable[[Event], "Market | None"]) -> Judge:
    """A judge for the events at or after `first` = (effective, seq) in effective order."""
    return lambda e: judged(e) if (e.effective, e.seq) >= first else None


def prefix(log: list[Event], upto: tuple) -> list[Event]:
    """The effective history strictly before `upto` = (effective, seq): what an event placed there meets."""
    return [e for e in effective_history(log) if (e.effective, e.seq) < upto]
