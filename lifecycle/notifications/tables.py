"""Tables of the notice side: the contact directory, the outbox, the sweep log.

The outbox's unique constraint on (project, obligation, stage) is what makes
each notice exist at most once, whoever sweeps and however often.
"""
from __future__ import annotations

from sqlalchemy import Column, Date, Integer, String, Table, Text, UniqueConstraint, Index

from lifecycle.store import metadata

contacts = Table(
    "contacts", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("role", String(16), nullable=False),          # purchaser | street | city | contractor
    Column("district", String(100)),                     # for purchaser, street, city
    Column("contractor_id", String(64)),                 # for contractor
    Column("name", String(200), nullable=False),
    Column("email", String(254), nullable=False),
)

notices = Table(
    "notices", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("project_id", String(64), nullable=False),
    Column("obligation_id", String(120), nullable=False),
    Column("stage", String(16), nullable=False),         # reminder | overdue | escalation
    Column("recipient", String(16), nullable=False),     # the role addressed: purchaser | contractor | street | city
    Column("recipient_name", String(200)),
    Column("email", String(254)),                        # NULL: no address known, undeliverable until one is added
    Column("cc", Text, nullable=False, default="[]"),    # JSON list of {role, name, email}
    Column("language", String(8), nullable=False, default="zh"),
    Column("subject", Text, nullable=False),
    Column("body_text", Text, nullable=False),
    Column("body_html", Text, nullable=False),
    Column("due", Date, nullable=False),                 # the obligation's due date when the notice was made
    Column("as_of", Date, nullable=False),               # the sweep date that created it
    Column("created_at", String(40), nullable=False),
    Column("status", String(16), nullable=False, default="pending"),  # pending | sent | failed
    Column("attempts", Integer, nullable=False, default=0),
    Column("last_error", Text),
    Column("next_attempt_at", String(40)),
    Column("sent_at", String(40)),
    Column("message_id", String(200)),
    UniqueConstraint("project_id", "obligation_id", "stage", name="uq_notice_obligation_stage"),
    Index("ix_notices_status", "status"),
)

sweeps = Table(
    "sweeps", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("as_of", Date, nullable=False),
    Column("started_at", String(40), nullable=False),
    Column("finished_at", String(40)),
    Column("created", Integer, nullable=False, default=0),
    Column("trigger", String(16), nullable=False, default="manual"),  # manual | daemon | catch-up
)
