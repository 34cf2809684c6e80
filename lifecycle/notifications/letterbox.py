"""The letters as stored: listed (`lifecycle letters`), shown as text, HTML or Word (`letters show`)."""
from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from lifecycle.core.errors import BadInput, said
from lifecycle.notifications.gongwen import docx_bytes, stored_html
from lifecycle.store import Store, letters, notices

FORMATS = ("text", "html", "docx")


def list_letters(store: Store, status: str | None = None) -> list[dict[str, Any]]:
    store.require()
    q = select(letters).order_by(letters.c.id)
    if status:
        q = q.where(letters.c.status == status)
    with store.reading() as conn:
        rows = conn.execute(q).all()
        carried: dict[int, list[int]] = {}
        for n in conn.execute(select(notices.c.id, notices.c.letter_id).where(notices.c.letter_id.isnot(None))
                              .order_by(notices.c.id)):
            carried.setdefault(n.letter_id, []).append(n.id)
    return [{"id": r.id, "number": r.number, "issuer": r.issuer_name, "recipient": r.addressee, "role": r.recipient,
             "email": r.email, "cc": json.loads(r.cc or "[]"), "stage": r.stage, "subject": r.subject,
             "as_of": r.as_of.isoformat(), "status": r.status, "attempts": r.attempts, "last_error": r.last_error,
             "notices": carried.get(r.id, [])} for r in rows]


def letter_row(store: Store, letter_id: int) -> Any:
    store.require()
    with store.reading() as conn:
        row = conn.execute(select(letters).where(letters.c.id == letter_id)).first()
    if row is None:
        raise BadInput(said("letters show: unknown letter {letter_id}", letter_id=letter_id))
    return row


def render_letter(store: Store, letter_id: int, fmt: str = "text", lang: str = "en") -> str | bytes:
    """The stored letter: its text (with a head saying who, what and its delivery state), its HTML, or a .docx."""
    if fmt not in FORMATS:
        raise BadInput(said("letters show: --format {fmt!r} is not one of {names}",
                fmt=fmt, names=', '.join(FORMATS)))
    row = letter_row(store, letter_id)
    if fmt == "html":
        return stored_html(row)
    if fmt == "docx":
        return docx_bytes(row.body_text, row.language, row.as_of)
    from lifecycle.notifications.heads import letter_head
    head = letter_head(row, lang)
    return "\n".join(head) + row.body_text
