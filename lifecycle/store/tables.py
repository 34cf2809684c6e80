"""Every SQL table of the engine, on one `metadata`: the event log, its projections, the
reference data, and the notice side (contacts, outbox, sweep log).

The `events` table is the truth: rows are inserted and read, never updated
or deleted. `projects` and `obligations` are projections, rebuilt from the
log by replay. The outbox's unique constraint on (project, obligation,
stage) is what makes each notice exist at most once, whoever sweeps and
however often.
"""
from __future__ import annotations

from sqlalchemy import (Boolean, Column, Date, Float, Index, Integer, MetaData, String, Table, Text,
                        UniqueConstraint, false, text)

metadata = MetaData()

stations = Table(
    "stations", metadata,
    Column("id", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("district", String(100), nullable=False),
    Column("kind", String(16), nullable=False, default="street"),
    Column("villages", Integer, nullable=False, default=0),
)

contractors = Table(
    "contractors", metadata,
    Column("id", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("credit_code", String(18), unique=True),
    Column("district", String(100)),
)

# append-only: what a station, contractor or contact was before each change, who changed it and when
reference_changes = Table(
    "reference_changes", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),          # station | contractor | contact
    Column("ref_id", String(64), nullable=False),
    Column("action", String(16), nullable=False),        # update | remove
    Column("before", Text, nullable=False),              # JSON of the row before
    Column("after", Text),                               # JSON of the row after; NULL when removed
    Column("actor", String(100), nullable=False),
    Column("recorded", String(40), nullable=False),
    Index("ix_reference_changes_ref", "kind", "ref_id"),
)

events = Table(
    "events", metadata,
    Column("project_id", String(64), primary_key=True),
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("type", String(32), nullable=False),
    Column("effective", Date, nullable=False),
    Column("recorded", String(40), nullable=False),
    Column("actor", String(100), nullable=False),
    Column("data", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

projects = Table(
    "projects", metadata,
    Column("id", String(64), primary_key=True),
    Column("station_id", String(64), nullable=False, index=True),
    Column("district", String(100), nullable=False, index=True),
    Column("rulebook", String(32), nullable=False),
    Column("rulebook_version", String(32), nullable=False),
    Column("state", String(16), nullable=False),
    Column("contractor_id", String(64), index=True),
    Column("term_end", Date),
    Column("head_seq", Integer, nullable=False),
    Column("head_hash", String(64), nullable=False),
    Column("last_effective", Date),
    Column("snapshot", Text, nullable=False),
)

obligations = Table(
    "obligations", metadata,
    Column("project_id", String(64), primary_key=True),
    Column("id", String(120), primary_key=True),
    Column("kind", String(40), nullable=False),
    Column("rule", String(40), nullable=False),
    Column("basis", String(200), nullable=False),
    Column("due", Date, nullable=False),
    Column("provisional", Boolean, nullable=False),
    Column("status", String(8), nullable=False),
    Column("subject", String(100)),
    Column("met_on", Date),
    Column("met_seq", Integer),
    # the rest of an Obligation (revision 0013): the rows alone hold the duties, the snapshot does not
    Column("window_start", Date),
    Column("window_end", Date),
    Column("required", Float),
    Column("progress", Float, nullable=False, default=0.0, server_default="0"),
    Column("setting", Boolean, nullable=False, default=False, server_default=false()),
    Column("note", Text),
    Column("match", Text),                               # JSON: what an event must carry to meet it
    Column("district", String(100), nullable=False),
    Column("station_id", String(64), nullable=False),
    # the due date this duty had before a refold moved it (recompute, a late entry, a rebase): the sweep's
    # corrections (更正通知) look only at these rows. Not part of the projection (verify does not compare it).
    Column("moved_from", Date),
    Index("ix_obligations_open_due", "status", "due", "project_id", "id"),  # the sweep, from the index alone
    Index("ix_obligations_district_status_due", "district", "status", "due"),  # deadlines --district
    Index("ix_obligations_moved", "project_id", "id", sqlite_where=text("moved_from IS NOT NULL"),
          postgresql_where=text("moved_from IS NOT NULL")),
)

# every field of an Obligation, in its order (lifecycle.core.obligations): what a row holds and verify compares
OBLIGATION_COLUMNS = ("id", "kind", "rule", "basis", "due", "provisional", "status", "window_start", "window_end",
                      "subject", "required", "progress", "met_on", "met_seq", "setting", "note", "match")


# -- the notice side ---------------------------------------------------------------
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
    Column("letter_id", Integer),                        # the letter that carries it (NULL: made before letters)
    UniqueConstraint("project_id", "obligation_id", "stage", name="uq_notice_obligation_stage"),
    Index("ix_notices_status", "status"),
    Index("ix_notices_letter", "letter_id"),
)

# Who signs a district's letters, and the city bureau's: `lifecycle issuer set`.
# scope is the district's name, or "" for the city bureau.
issuers = Table(
    "issuers", metadata,
    Column("level", String(8), primary_key=True),        # district | city
    Column("scope", String(100), primary_key=True),      # the district; "" for the city
    Column("name", String(200), nullable=False),         # 济南市历下区民政局
    Column("prefix", String(40), nullable=False),        # 历民函: 历民函〔2026〕12号
    Column("contact", String(100)),
    Column("phone", String(40)),
    Column("email", String(254)),
)

# Engine-wide settings as key = value (runner: who runs the engine, district | city).
engine_settings = Table(
    "engine_settings", metadata,
    Column("key", String(40), primary_key=True),
    Column("value", String(200), nullable=False),
)

# The last 发文字号 given per issuer and year: raised in the letter's own transaction, so never
# reused or skipped.
letter_numbers = Table(
    "letter_numbers", metadata,
    Column("issuer", String(120), primary_key=True),     # level:scope
    Column("year", Integer, primary_key=True, autoincrement=False),
    Column("last", Integer, nullable=False),
)

# One letter per (issuer, addressee) per sweep, listing its notices. Its stored text and
# addressee never change after it is made; only the delivery columns move.
letters = Table(
    "letters", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("issuer", String(120)),                       # level:scope, NULL: no issuer (an internal reminder)
    Column("issuer_name", String(200)),
    Column("year", Integer),
    Column("serial", Integer),                           # n of 历民函〔2026〕n号; NULL when unnumbered
    Column("number", String(80)),                        # 历民函〔2026〕12号
    Column("stage", String(16), nullable=False),
    Column("recipient", String(16), nullable=False),     # the role addressed
    Column("recipient_key", String(120)),                # its district or contractor id
    Column("addressee", String(200), nullable=False),    # the institution (主送)
    Column("recipient_name", String(200)),
    Column("email", String(254)),
    Column("cc", Text, nullable=False, default="[]"),
    Column("sender", String(300)),                       # From: the issuer's address
    Column("language", String(8), nullable=False, default="zh"),
    Column("subject", Text, nullable=False),
    Column("body_text", Text, nullable=False),
    Column("body_html", Text, nullable=False),
    Column("as_of", Date, nullable=False),
    Column("created_at", String(40), nullable=False),
    Column("status", String(16), nullable=False, default="pending"),  # pending | sending | sent | failed | uncertain
    Column("attempts", Integer, nullable=False, default=0),
    Column("last_error", Text),
    Column("next_attempt_at", String(40)),
    Column("sent_at", String(40)),
    Column("message_id", String(200)),
    Column("claimed_by", String(120)),                   # host:pid of the sender that began a delivery
    Column("district", String(100)),                     # the district of all its notices (NULL: several);
                                                         # whose roles read it (revision 0010), not sealed
    UniqueConstraint("issuer", "year", "serial", name="uq_letter_number"),
    Index("ix_letters_status", "status"),
)

# The letters' seal chain (lifecycle.store.seals): append-only, one row per letter made and per
# delivery state change; the database refuses UPDATE and DELETE (revision 0008).
letter_seals = Table(
    "letter_seals", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("letter_id", Integer, nullable=False),
    Column("kind", String(8), nullable=False),            # made | state | address
    Column("content_sha256", String(64)),                # made, address: the sealed columns' SHA-256
    Column("state", String(16)),                         # made, state: the delivery state from then on
    Column("recorded_at", String(40), nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Index("ix_letter_seals_letter", "letter_id"),
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


# -- the districts: duties owed by the district, not by each project ----------------------
district_events = Table(   # each district's own append-only, hash-chained log (district report ...)
    "district_events", metadata,
    Column("district", String(100), primary_key=True),
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("type", String(32), nullable=False),
    Column("effective", Date, nullable=False),
    Column("recorded", String(40), nullable=False),
    Column("actor", String(100), nullable=False),
    Column("data", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

districts = Table(   # a district's projection: its duties folded from its projects and its log
    "districts", metadata,
    Column("name", String(100), primary_key=True),
    Column("head_seq", Integer, nullable=False),
    Column("snapshot", Text, nullable=False),
)

district_obligations = Table(
    "district_obligations", metadata,
    Column("district", String(100), primary_key=True),
    Column("id", String(120), primary_key=True),
    Column("kind", String(40), nullable=False),
    Column("rule", String(40), nullable=False),
    Column("basis", String(200), nullable=False),
    Column("due", Date, nullable=False),
    Column("provisional", Boolean, nullable=False),
    Column("status", String(8), nullable=False),
    Column("met_on", Date),
    Column("rulebook", String(32), nullable=False),
    Column("rulebook_version", String(32), nullable=False),
    Column("moved_from", Date),   # as obligations.moved_from
    Index("ix_district_obligations_status_due", "status", "due"),
)

# -- who may do what, on PostgreSQL: `lifecycle access grant` (read by the row-level security policies) --
access_roles = Table(
    "access_roles", metadata,
    Column("role", String(63), primary_key=True),        # the database role
    Column("district", String(100)),                     # its district; NULL: an auditor, who reads every district
    Column("read_only", Boolean, nullable=False),
)
