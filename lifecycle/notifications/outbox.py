"""The outbox: notices are rows first, delivered second; a failure leaves the row and the error.

A row moves pending → sending → sent, or → failed (attempts + 1, last error,
next_attempt_at after an exponential back-off) and back through sending.
Claiming is one UPDATE that only succeeds on a pending or failed row, so two
senders never send the same notice; marking sent is its own short
transaction right after the server accepted the message, so a notice once
accepted is never sent again. While a row is `sending`, next_attempt_at holds
the end of the sender's lease: a row still sending after that (its sender
died) goes back to failed.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Callable

from sqlalchemy import func, or_, select, update

from lifecycle.notifications.contacts import Directory, missing_address
from lifecycle.notifications.mail import Copy, Transport, build_message, describe_error, sender
from lifecycle.core.errors import BadInput, said
from lifecycle.store import Store, notices, projects

# A district's own duties (issue 10) have their notices kept under `district:NAME`, with no project row.
_DISTRICT = func.coalesce(projects.c.district, func.substr(notices.c.project_id, len("district:") + 1)).label("district")

STATUSES = ("pending", "sending", "sent", "failed", "uncertain")
LEASE = timedelta(minutes=10)
FIRST_RETRY = timedelta(minutes=5)
LONGEST_RETRY = timedelta(hours=6)


def backoff(attempts: int) -> timedelta:
    """5 min, 10 min, 20 min, ... at most 6 hours, after the n-th failed attempt."""
    return min(FIRST_RETRY * (2 ** max(0, attempts - 1)), LONGEST_RETRY)


def list_notices(store: Store, project: str | None = None, status: str | None = None) -> list[dict[str, Any]]:
    store.require()
    from lifecycle.store import letters
    q = (select(notices, letters.c.number.label("letter_number"))
         .outerjoin(letters, letters.c.id == notices.c.letter_id).order_by(notices.c.id))
    if project:
        q = q.where(notices.c.project_id == project)
    if status:
        q = q.where(notices.c.status == status)
    with store.reading() as conn:
        rows = conn.execute(q).all()
    return [{"id": r.id, "project": r.project_id, "obligation": r.obligation_id, "stage": r.stage,
             "recipient": r.recipient, "email": r.email, "subject": r.subject, "status": r.status,
             "attempts": r.attempts, "last_error": r.last_error, "letter": r.letter_id, "number": r.letter_number}
            for r in rows]


@dataclass
class Delivery:
    sent: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    undeliverable: list[int] = field(default_factory=list)
    recovered: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"sent": len(self.sent), "failed": len(self.failed), "undeliverable": len(self.undeliverable),
                "recovered": self.recovered, "sent_ids": self.sent, "failed_ids": self.failed}


def deliver(store: Store, transport: Transport, now: datetime, respect_backoff: bool = False,
            should_stop: Callable[[], bool] = lambda: False) -> Delivery:
    """Try every pending and failed notice (the daemon: only those whose back-off has run out)."""
    store.require()
    stamp = utc_stamp(now)
    out = Delivery()
    with store.transaction() as conn:
        out.recovered = conn.execute(
            update(notices).where(notices.c.status == "sending", notices.c.next_attempt_at < stamp,
                                  notices.c.letter_id.is_(None))
            .values(status="failed", last_error="delivery interrupted (the sender stopped); it may have gone out")
        ).rowcount
        # Addresses are looked up again at every delivery: a contact added since the sweep is used now.
        directory = Directory.load(conn)
        q = (select(notices.c.id, notices.c.recipient, notices.c.email, notices.c.last_error, _DISTRICT,
                    projects.c.contractor_id)
             .outerjoin(projects, projects.c.id == notices.c.project_id)
             .where(notices.c.status.in_(("pending", "failed")), notices.c.letter_id.is_(None))
             .order_by(notices.c.id))
        if respect_backoff:
            q = q.where(or_(notices.c.next_attempt_at.is_(None), notices.c.next_attempt_at <= stamp))
        due = []
        for r in conn.execute(q).all():
            if r.email or directory.find(r.recipient, r.district, r.contractor_id):
                due.append(r.id)
                continue
            out.undeliverable.append(r.id)   # stays pending, never dropped; says why
            why = missing_address(r.recipient, r.district, r.contractor_id)
            if r.last_error != why:
                conn.execute(update(notices).where(notices.c.id == r.id).values(last_error=why))
    try:
        for notice_id in due:
            if should_stop():
                break
            _deliver_one(store, transport, notice_id, now, directory, out)
    finally:
        transport.close()
    return out


def _deliver_one(store: Store, transport: Transport, notice_id: int, now: datetime, directory: Directory,
                 out: Delivery) -> None:
    with store.transaction() as conn:
        row = conn.execute(select(notices, _DISTRICT, projects.c.contractor_id)
                           .outerjoin(projects, projects.c.id == notices.c.project_id)
                           .where(notices.c.id == notice_id)).first()
        if row is None or row.status not in ("pending", "failed"):
            return
        to = directory.find(row.recipient, row.district, row.contractor_id)
        copies = [Copy(c["role"], *(_pair(directory.find(c["role"], row.district, row.contractor_id)) or
                                    (c.get("name"), c.get("email")))) for c in json.loads(row.cc or "[]")]
        name, email = (to.name, to.email) if to else (row.recipient_name, row.email)
        claimed = conn.execute(
            update(notices).where(notices.c.id == notice_id, notices.c.status.in_(("pending", "failed")))
            .values(status="sending", recipient_name=name, email=email,
                    cc=json.dumps([c.__dict__ for c in copies], ensure_ascii=False),
                    next_attempt_at=utc_stamp(now + LEASE))).rowcount
        if claimed != 1:
            return   # another sender has it
        row = conn.execute(select(notices).where(notices.c.id == notice_id)).first()
    message = build_message(row, copies, now, sender())
    try:
        transport.send(message)
    except Exception as exc:  # noqa: BLE001 - any failure of the transport leaves the row in the outbox
        attempts = row.attempts + 1
        with store.transaction() as conn:
            conn.execute(update(notices).where(notices.c.id == notice_id, notices.c.status == "sending").values(
                status="failed", attempts=attempts, last_error=describe_error(exc),
                next_attempt_at=utc_stamp(now + backoff(attempts))))
        out.failed.append(notice_id)
        return
    with store.transaction() as conn:
        conn.execute(update(notices).where(notices.c.id == notice_id, notices.c.status == "sending").values(
            status="sent", attempts=row.attempts + 1, last_error=None, next_attempt_at=None, sent_at=utc_stamp(now),
            message_id=message["Message-ID"]))
    out.sent.append(notice_id)


def _pair(contact: Any) -> tuple[str, str] | None:
    return (contact.name, contact.email) if contact else None


def utc_stamp(moment: datetime) -> str:
    """UTC, microseconds: stamps compare as text in SQL only when they share one form."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")


def render_notice(store: Store, notice_id: int, lang: str = "en") -> str:
    """A notice as `notices show` prints it: who, what, its delivery state (in `lang`), then the letter."""
    store.require()
    with store.reading() as conn:
        row = conn.execute(select(notices).where(notices.c.id == notice_id)).first()
        from lifecycle.store import letters
        letter = (conn.execute(select(letters).where(letters.c.id == row.letter_id)).first()
                  if row is not None and row.letter_id else None)
    if row is None:
        raise BadInput(said("unknown notice {notice_id}", notice_id=notice_id))
    from lifecycle.notifications.heads import notice_head
    head = notice_head(row, letter, lang)
    if letter is not None:
        return "\n".join(head) + letter.body_text
    return "\n".join(head) + row.body_text
