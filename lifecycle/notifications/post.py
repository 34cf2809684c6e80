"""Delivering letters, with a promise kept: a letter the server may have accepted is never sent again by itself.

A letter moves pending → sending → sent, or → failed (attempts + 1, the
error, a back-off) and back through sending. Claiming is one UPDATE that
only succeeds on a pending or failed row, committed before the first byte
goes out; marking sent is its own transaction right after the server
accepted. A delivery interrupted between the two (the sender killed, the
connection lost mid-message) may have gone out: the row becomes `uncertain`
and stays so until a person settles it (`letters resolve ID --sent` or
`--resend`). A row is known interrupted when its sender's lease has run out,
or at once when its sender was a process on this host that is gone.

Each state change is sealed in its transaction (`lifecycle.store.seals`).

A run stops at its deadline, and after 3 consecutive connection failures
(the server is down: the rest stay pending for the next run).
"""
from __future__ import annotations

import json
import os
import smtplib
import socket
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable

from sqlalchemy import or_, select, update

from lifecycle.core.errors import BadInput, Refused, said
from lifecycle.notifications.contacts import Directory, missing_address
from lifecycle.notifications.delivery_errors import INTERRUPTED, NOT_TRIED, NOT_TRIED_AFTER
from lifecycle.notifications.gongwen import docx_bytes
from lifecycle.notifications.mail import (ConnectionFailed, NotSent, Transport, build_letter_message,
                                          describe_error)
from lifecycle.notifications.outbox import LEASE, backoff, utc_stamp
from lifecycle.store import Store, letters, notices
from lifecycle.store.seals import seal_address, seal_state

STATUSES = ("pending", "sending", "sent", "failed", "uncertain")
STOP_AFTER_CONNECTION_FAILURES = 3


@dataclass
class LetterDelivery:
    sent: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    uncertain: list[int] = field(default_factory=list)      # interrupted in this run, or found interrupted
    undeliverable: list[int] = field(default_factory=list)
    waiting_uncertain: int = 0                              # uncertain rows still waiting for a person
    stopped: str | None = None                              # why the run stopped early


def _me() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _gone(claimed_by: str | None) -> bool:
    """Whether the sender that claimed a row was a process on this host that no longer runs."""
    if not claimed_by or ":" not in claimed_by:
        return False
    host, _, pid = claimed_by.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _mirror(conn: Any, letter_id: int, **values: Any) -> None:
    """The letter's notices share its delivery state."""
    keep = {k: v for k, v in values.items() if k in ("status", "attempts", "last_error", "sent_at", "message_id",
                                                     "next_attempt_at")}
    conn.execute(update(notices).where(notices.c.letter_id == letter_id).values(**keep))


def deliver_letters(store: Store, transport: Transport, now: datetime, respect_backoff: bool = False,
                    should_stop: Callable[[], bool] = lambda: False,
                    past_deadline: Callable[[], bool] = lambda: False) -> LetterDelivery:
    """Try every pending and failed letter (the daemon: only those whose back-off has run out)."""
    store.require()
    stamp = utc_stamp(now)
    out = LetterDelivery()
    with store.transaction() as conn:
        for r in conn.execute(select(letters.c.id, letters.c.next_attempt_at, letters.c.claimed_by)
                              .where(letters.c.status == "sending")).all():
            if (r.next_attempt_at or "") < stamp or _gone(r.claimed_by):
                why = INTERRUPTED.format(id=r.id)
                conn.execute(update(letters).where(letters.c.id == r.id, letters.c.status == "sending")
                             .values(status="uncertain", last_error=why))
                _mirror(conn, r.id, status="uncertain", last_error=why)
                seal_state(conn, r.id, "uncertain", stamp)
                out.uncertain.append(r.id)
        directory = Directory.load(conn)
        q = (select(letters.c.id, letters.c.recipient, letters.c.recipient_key, letters.c.email, letters.c.last_error)
             .where(letters.c.status.in_(("pending", "failed"))).order_by(letters.c.id))
        if respect_backoff:
            q = q.where(or_(letters.c.next_attempt_at.is_(None), letters.c.next_attempt_at <= stamp))
        due = []
        for r in conn.execute(q).all():
            district = r.recipient_key if r.recipient in ("purchaser", "street") else ""
            found = directory.find(r.recipient, district, r.recipient_key if r.recipient == "contractor" else None)
            if found and (found.email != r.email):
                # an address added or changed since the sweep is used now (the addressee stays as written)
                conn.execute(update(letters).where(letters.c.id == r.id)
                             .values(email=found.email, recipient_name=found.name, last_error=None))
                seal_address(conn, r.id, stamp)
            if r.email or found:
                due.append(r.id)
                continue
            out.undeliverable.append(r.id)   # stays pending, never dropped; says why
            why = missing_address(r.recipient, r.recipient_key or "every district", r.recipient_key)
            if r.last_error != why:
                conn.execute(update(letters).where(letters.c.id == r.id).values(last_error=why))
        out.waiting_uncertain = len(conn.execute(select(letters.c.id).where(letters.c.status == "uncertain")).all())
    in_a_row, tried = 0, 0
    try:
        for letter_id in due:
            if should_stop():
                out.stopped = said("asked to stop")
                break
            if past_deadline():
                out.stopped = said("the run's deadline passed")
                break
            outcome = _deliver_one(store, transport, letter_id, now, out)
            tried += 1
            in_a_row = in_a_row + 1 if outcome == "connection" else 0
            if in_a_row >= STOP_AFTER_CONNECTION_FAILURES:
                out.stopped = said("{count} connection failures in a row: the server is down", count=in_a_row)
                break
    finally:
        transport.close()
    if out.stopped and due[tried:]:
        _note_untried(store, due[tried:], out)
    return out


def _note_untried(store: Store, untried: list[int], out: LetterDelivery) -> None:
    """The letters a stopped run did not begin stay pending, and say why."""
    last = ""
    if out.failed:
        with store.reading() as conn:
            last = conn.execute(select(letters.c.last_error).where(letters.c.id == out.failed[-1])).scalar() or ""
    why = (NOT_TRIED_AFTER.format(stopped=out.stopped, last=last) if last
           else NOT_TRIED.format(stopped=out.stopped))
    with store.transaction() as conn:
        conn.execute(update(letters).where(letters.c.id.in_(untried), letters.c.status.in_(("pending", "failed")))
                     .values(last_error=why))


def _deliver_one(store: Store, transport: Transport, letter_id: int, now: datetime, out: LetterDelivery) -> str:
    with store.transaction() as conn:
        claimed = conn.execute(
            update(letters).where(letters.c.id == letter_id, letters.c.status.in_(("pending", "failed")))
            .values(status="sending", claimed_by=_me(), next_attempt_at=utc_stamp(now + LEASE))).rowcount
        if claimed != 1:
            return "skipped"   # another sender has it
        _mirror(conn, letter_id, status="sending")
        seal_state(conn, letter_id, "sending", utc_stamp(now))
        row = conn.execute(select(letters).where(letters.c.id == letter_id)).first()
    message = build_letter_message(row, now, docx_bytes(row.body_text, row.language, row.as_of))
    try:
        transport.send(message)
    except (ConnectionFailed, NotSent, smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused) as exc:
        # refused before anything was accepted: certainly not delivered, tried again later
        attempts = row.attempts + 1
        values = dict(status="failed", attempts=attempts, last_error=describe_error(exc),
                      next_attempt_at=utc_stamp(now + backoff(attempts)))
        with store.transaction() as conn:
            conn.execute(update(letters).where(letters.c.id == letter_id, letters.c.status == "sending")
                         .values(**values))
            _mirror(conn, letter_id, **values)
            seal_state(conn, letter_id, values["status"], utc_stamp(now))
        out.failed.append(letter_id)
        return "connection" if isinstance(exc, (ConnectionFailed, NotSent)) else "refused"
    except Exception as exc:  # noqa: BLE001 - lost mid-message: it may have gone out
        values = dict(status="uncertain", attempts=row.attempts + 1,
                      last_error=f"{describe_error(exc)}; " + INTERRUPTED.format(id=letter_id))
        with store.transaction() as conn:
            conn.execute(update(letters).where(letters.c.id == letter_id, letters.c.status == "sending")
                         .values(**values))
            _mirror(conn, letter_id, **values)
            seal_state(conn, letter_id, values["status"], utc_stamp(now))
        out.uncertain.append(letter_id)
        return "uncertain"
    values = dict(status="sent", attempts=row.attempts + 1, last_error=None, next_attempt_at=None,
                  sent_at=utc_stamp(now), message_id=message["Message-ID"])
    with store.transaction() as conn:
        conn.execute(update(letters).where(letters.c.id == letter_id, letters.c.status == "sending").values(**values))
        _mirror(conn, letter_id, **values)
        seal_state(conn, letter_id, "sent", utc_stamp(now))
    out.sent.append(letter_id)
    return "sent"


def resolve(store: Store, letter_id: int, sent: bool, now: datetime, actor: str) -> dict[str, Any]:
    """A person settles an uncertain letter: it did go out (`--sent`), or send it again (`--resend`)."""
    store.require()
    with store.transaction() as conn:
        row = conn.execute(select(letters.c.id, letters.c.status).where(letters.c.id == letter_id)).first()
        if row is None:
            raise BadInput(said("letters resolve: unknown letter {letter_id}", letter_id=letter_id))
        if row.status != "uncertain":
            raise Refused(said("letters resolve: letter {letter_id} is {status}, not uncertain: only an interrupted delivery is settled by hand",
                    letter_id=letter_id, status=row.status))
        if sent:
            values = dict(status="sent", sent_at=utc_stamp(now), next_attempt_at=None,
                          last_error=f"marked sent by {actor}")
        else:
            values = dict(status="pending", next_attempt_at=None, last_error=f"to be sent again ({actor})")
        conn.execute(update(letters).where(letters.c.id == letter_id, letters.c.status == "uncertain").values(**values))
        _mirror(conn, letter_id, **values)
        seal_state(conn, letter_id, values["status"], utc_stamp(now))
    return {"id": letter_id, "status": values["status"]}
