"""Move a project to another rulebook (version) from a date on: `lifecycle project rebase`.

A `rebase` event, effective the day the other rulebook starts to govern the project, names
the rulebook and version and the reason. The fold (`lifecycle.core.project.Folder.on_rebase`)
keeps every duty triggered before that day under the rulebook it was triggered under, and
triggers the duties of events from that day on under the new one. It is refused, writing
nothing, when the rulebook or version is unknown, when its window does not cover the day,
when the day is before the project opened or in the future, or when the project is already
under that rulebook version then. A day before the project's last event is a late entry: the
whole log is refolded and every later event judged again under the rulebook then in force.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from lifecycle.core import rulebook as rulebooks
from lifecycle.core.clock import Clock
from lifecycle.core.errors import BadInput, Refused, Said, said
from lifecycle.core.events import Event
from lifecycle.core.guards import Market
from lifecycle.core.obligations import view_on
from lifecycle.core.project import fold, pinned_book
from lifecycle.core.refold import prefix
from lifecycle.core.states import State
from lifecycle.services.projects import _check_date, commit_late, load_project, record
from lifecycle.store import Store
from lifecycle.store.access import recorded_actor
from lifecycle.wiring import calendar_for


def _window(book: rulebooks.Rulebook) -> Said:
    start = book.valid_from.isoformat() if book.valid_from else said("open")
    end = book.valid_to.isoformat() if book.valid_to else said("open")
    return said("{start} to {end}", start=start, end=end)


def rebase(store: Store, project_id: str, ref: str, on: date, reason: str, actor: str, clock: Clock) -> dict[str, Any]:
    """Record that `ref` (`NAME` or `NAME@VERSION`) governs the project from `on`; returns the snapshot."""
    store.require()
    reason = (reason or "").strip()
    if not reason:
        raise BadInput(said("project {project}: rebase refused: --reason must say why the rulebook changes",
                            project=project_id))
    try:
        target = rulebooks.parse_ref(ref)
    except BadInput as exc:
        raise BadInput(said("project {project}: rebase refused: {why}", project=project_id, why=exc.message)) from None
    with store.transaction() as conn:
        actor = recorded_actor(conn, actor)
        project, book, history = load_project(conn, store, project_id)
        _check_date(project_id, "rebase", on, project.opened_on, clock)
        if not target.in_force(on):
            raise Refused(said("project {project}: rebase refused: rulebook {rulebook} {version} is in force "
                               "{window}, which does not cover {on}", project=project_id, rulebook=target.name,
                               version=target.version, window=_window(target), on=on.isoformat()))
        cal = calendar_for(store)
        seq = project.head_seq + 1
        late = project.last_effective is not None and on < project.last_effective
        at = fold(prefix(history, (on, seq)), book, cal, project_id) if late else project
        if at.state is State.closed:
            raise Refused(said("project {project}: rebase refused: the project was closed on {closed}; "
                               "no duty remains to follow another rulebook", project=project_id,
                               closed=at.closed_on.isoformat() if at.closed_on else on.isoformat()))
        current = pinned_book(at, book)
        if (current.name, current.version) == (target.name, target.version):
            raise Refused(said("project {project}: rebase refused: it is already under rulebook {rulebook} "
                               "{version} on {on}", project=project_id, rulebook=target.name,
                               version=target.version, on=on.isoformat()))
        data = {"rulebook": target.name, "rulebook_version": target.version, "rulebook_digest": target.digest,
                "previous": f"{current.name}@{current.version}", "reason": reason}
        e = Event.new(project_id, seq, "rebase", on, clock.recorded, actor, data, project.head_hash)
        if not late:
            return view_on(record(conn, project, book, cal, e, Market(), check=False), clock.today)

        def say(later: Event, why: str) -> str:
            return said("project {project}: rebase refused: from {on} under {rulebook} {version}, event {seq} "
                        "({type}, effective {effective}) would become illegal: {why}", project=project_id,
                        on=on.isoformat(), rulebook=target.name, version=target.version, seq=later.seq,
                        type=later.type, effective=later.effective.isoformat(), why=why)
        return view_on(commit_late(conn, project, history, e, book, cal, say), clock.today)
