"""The letter seals: one append-only hash chain binding every letter's content and delivery state.

When a letter is made, a `made` seal records the SHA-256 of its sealed content (number, issuer,
addressee, recipient, address, subject and text, as stored) and its first state; each delivery
state change adds a `state` seal, and an address changed before delivery (`deliver_letters`
uses a contact added since the sweep) an `address` seal with the content's new hash. Each seal's
hash covers the one before it (one chain for the whole database, numbered by `seq`), and the
database refuses UPDATE and DELETE on the table (revision 0008). A seal is written in the same
transaction as the change it records; `lifecycle.audit.letter_seals` checks them.
"""
from __future__ import annotations

import hashlib
import json
from typing import Any, Mapping

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from lifecycle.store.tables import letter_seals, letters

GENESIS = "0" * 64
SEALED = ("number", "issuer", "issuer_name", "recipient", "recipient_key", "addressee", "email", "cc",
          "sender", "language", "subject", "body_text", "body_html", "as_of")
LOCK = 0x1E77E5   # the PostgreSQL advisory lock that queues writers of the chain


def canonical(payload: Any) -> bytes:
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def content_hash(row: Mapping[str, Any]) -> str:
    """The SHA-256 of a letter's sealed columns (a row as stored, or the values inserted)."""
    return hashlib.sha256(canonical({k: _plain(row.get(k)) for k in SEALED})).hexdigest()


def _plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def seal_hash(seq: int, letter_id: int, kind: str, content: str | None, state: str | None, recorded_at: str,
              prev_hash: str) -> str:
    return hashlib.sha256(canonical({"seq": seq, "letter": letter_id, "kind": kind, "content": content,
                                     "state": state, "recorded_at": recorded_at, "prev": prev_hash})).hexdigest()


def seal(conn: Connection, letter_id: int, kind: str, recorded_at: str, state: str | None = None,
         content: str | None = None, after: tuple[int, str] | None = None) -> tuple[int, str]:
    """Append one seal after the chain's head, in the caller's transaction; returns the new head.

    `after`: the head this transaction's previous seal returned (the lock is held and the head
    known: a sweep seals its letters one after the other without reading the head again)."""
    if after is None:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({LOCK})")   # one head, whoever writes at once
        if conn.dialect.name == "postgresql" and conn.exec_driver_sql(
                "SELECT to_regprocedure('lifecycle_letter_seal_head()')").scalar() is not None:
            # the head as the owner sees it: a district's role reads only its district's seals (revision 0010)
            head = conn.exec_driver_sql("SELECT seq, hash FROM lifecycle_letter_seal_head()").first()
        else:
            head = conn.execute(select(letter_seals.c.seq, letter_seals.c.hash)
                                .order_by(letter_seals.c.seq.desc()).limit(1)).first()
        seq, prev = (head.seq + 1, head.hash) if head else (1, GENESIS)
    else:
        seq, prev = after[0] + 1, after[1]
    digest = seal_hash(seq, letter_id, kind, content, state, recorded_at, prev)
    conn.execute(letter_seals.insert(), dict(   # one statement, compiled once: a sweep seals thousands
        seq=seq, letter_id=letter_id, kind=kind, content_sha256=content, state=state, recorded_at=recorded_at,
        prev_hash=prev, hash=digest))
    return seq, digest


def seal_made(conn: Connection, letter_id: int, row: Mapping[str, Any], recorded_at: str,
              after: tuple[int, str] | None = None) -> tuple[int, str]:
    return seal(conn, letter_id, "made", recorded_at, state=row["status"], content=content_hash(row), after=after)


def seal_state(conn: Connection, letter_id: int, state: str, recorded_at: str) -> None:
    seal(conn, letter_id, "state", recorded_at, state=state)


def seal_address(conn: Connection, letter_id: int, recorded_at: str) -> None:
    """The letter's content after its address was updated, read back as stored."""
    row = conn.execute(select(letters).where(letters.c.id == letter_id)).mappings().one()
    seal(conn, letter_id, "address", recorded_at, content=content_hash(row))


def chain_head(conn: Connection) -> tuple[int, str] | None:
    row = conn.execute(select(letter_seals.c.seq, letter_seals.c.hash)
                       .where(letter_seals.c.seq == select(func.max(letter_seals.c.seq)).scalar_subquery())).first()
    return (row.seq, row.hash) if row else None


def hash_at(conn: Connection, seq: int) -> str | None:
    return conn.execute(select(letter_seals.c.hash).where(letter_seals.c.seq == seq)).scalar()
