"""`notices send` and the daemon's delivery: the letters first, then any notice made before letters existed."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Callable

from sqlalchemy import select

from lifecycle.core.errors import Joined, said
from lifecycle.notifications.delivery_errors import told
from lifecycle.notifications.mail import transport_for
from lifecycle.notifications.outbox import deliver
from lifecycle.notifications.post import deliver_letters
from lifecycle.store import Store, letters


def send_all(store: Store, via: str, now: datetime, timeout: float | None = None, respect_backoff: bool = False,
             should_stop: Callable[[], bool] = lambda: False,
             past_deadline: Callable[[], bool] = lambda: False) -> dict[str, Any]:
    """Deliver; returns {sent, failed, uncertain, undeliverable, ..., ok} (ok: nothing failed or was interrupted)."""
    transport = transport_for(via, timeout=timeout)
    mine = deliver_letters(store, transport, now, respect_backoff, should_stop, past_deadline)
    stop = mine.stopped is not None
    old = deliver(store, transport_for(via, timeout=timeout), now, respect_backoff,
                  should_stop=lambda: stop or should_stop() or past_deadline())
    errors = []
    if mine.failed:
        with store.reading() as conn:
            errors = [said("letter {id}: {error}", id=r.id, error=told(r.last_error)) for r in conn.execute(
                select(letters.c.id, letters.c.last_error).where(letters.c.id.in_(mine.failed[:3])))]
    result = {
        "sent": len(mine.sent) + len(old.sent), "failed": len(mine.failed) + len(old.failed),
        "uncertain": len(mine.uncertain), "undeliverable": len(mine.undeliverable) + len(old.undeliverable),
        "waiting_uncertain": mine.waiting_uncertain, "recovered": old.recovered, "stopped": mine.stopped,
        "sent_ids": mine.sent, "failed_ids": mine.failed, "uncertain_ids": mine.uncertain,
        "notices_sent_ids": old.sent, "errors": errors,
    }
    result["ok"] = not (result["failed"] or result["uncertain"] or result["stopped"])
    return result


def summary(result: dict[str, Any], daemon: bool = False) -> Joined:
    """One line for a delivery's result: `notices send`'s (with the old notices recovered and the
    first errors), or the daemon's (`delivery: …`); said in the reader's language by the command line."""
    counts = dict(sent=result["sent"], failed=result["failed"], uncertain=result["uncertain"],
                  undeliverable=result["undeliverable"])
    if daemon:
        head = said("delivery: {sent} sent, {failed} failed, {uncertain} uncertain, {undeliverable} without an "
                    "address", **counts)
    elif result["recovered"]:
        head = said("notices send: {sent} sent, {failed} failed, {uncertain} uncertain, {undeliverable} without an "
                    "address, {recovered} interrupted old notices back in the outbox", recovered=result["recovered"],
                    **counts)
    else:
        head = said("notices send: {sent} sent, {failed} failed, {uncertain} uncertain, {undeliverable} without an "
                    "address", **counts)
    parts: list[object] = [head]
    if result["waiting_uncertain"]:
        parts.append(said("{waiting} uncertain letters wait for `lifecycle letters resolve ID --sent|--resend`",
                          waiting=result["waiting_uncertain"]))
    if result["stopped"]:
        parts.append(said("stopped early: {why}", why=result["stopped"]))
    if not daemon:
        parts += result["errors"][:3]
    return Joined(parts)
