"""`explain`: the receipt of a due date, from the project's log, read in one transaction."""
from __future__ import annotations

from typing import Any

from lifecycle.core.errors import BadInput, Refused, said
from lifecycle.core.events import effective_history
from lifecycle.core.explain import Receipt, receipts
from lifecycle.store import Store, load_events, load_snapshot
from lifecycle.wiring import book_of, calendar_for


def explain(store: Store, project_id: str, obligation_id: str | None = None) -> list[tuple[Receipt, dict[str, Any]]]:
    """The receipt of one obligation (or of every one, by due date), each with its stored row as
    `status` shows it: a stored due date that differs means the projection predates new holiday data."""
    with store.reading_initialised() as conn:
        events = load_events(conn, project_id)
        if not events:
            raise BadInput(said("unknown project {project}", project=project_id))
        stored = load_snapshot(conn, project_id) or {}
    try:
        found = receipts(effective_history(events), book_of(events[0].data), calendar_for(store), project_id)
    except (ValueError, KeyError) as exc:
        raise Refused(said("project {project}: the events do not replay ({exc}); run `lifecycle replay {project} --verify` to find the first bad event",
                project=project_id, exc=exc)) from None
    rows = {o["id"]: o for o in stored.get("obligations", ())}
    if obligation_id is not None:
        if obligation_id not in found:
            known = sorted(found, key=lambda oid: (found[oid].due, oid))
            hint = f"; it owes {', '.join(known[:6])}{', ...' if len(known) > 6 else ''}" if known else \
                "; it owes nothing yet"
            raise BadInput(said("project {project} has no obligation {obligation_id!r}{hint}",
                    project=project_id, obligation_id=obligation_id, hint=hint))
        return [(found[obligation_id], rows.get(obligation_id, {}))]
    ordered = sorted(found.values(), key=lambda r: (r.obligation.due, r.obligation.id))
    return [(r, rows.get(r.obligation.id, {})) for r in ordered]
