"""Lean notices: a notice carried by a letter keeps no text of its own.

Since letters (revision 0006) a notice is sent in its reader's letter, which
holds the text, once, and is sealed (revision 0008); the notice's own
`body_text` and `body_html` were never sent nor shown again, and took a third of
a national database. The sweep no longer writes them; this revision empties
them in the notices already made that a letter carries. A notice made before
letters (`letter_id` NULL) is sent on its own and keeps its text. The event log
is not touched: events stored before the canonical text (`stored_data`) keep
their form and verify as they are.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""
from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("UPDATE notices SET body_text = '', body_html = '' "
               "WHERE letter_id IS NOT NULL AND (body_text <> '' OR body_html <> '')")


def downgrade() -> None:
    pass   # the texts are in the letters; nothing to give back
