"""The store: SQL tables, the append-only event log, its projections, and migrations (I/O).

- `database`    — `Store`: one URL, one transaction a command (SQLite or PostgreSQL).
- `tables`      — every table on one `metadata` (events, projections, reference data, the outbox).
- `log`         — read and append events; nothing updates or deletes one.
- `projections` — the stored snapshot and obligations rows of each project.
- `migrate`     — `lifecycle init`: Alembic revisions in `migrations/`.

The names most callers need are importable from here.
"""
from __future__ import annotations

from lifecycle.store.database import Store
from lifecycle.store.log import (append_event, event_row, load_events, load_events_between,
                                 scan_between)
from lifecycle.store.projections import (lean, load_lean_snapshot, load_snapshot, match_text,
                                         obligation_rows, project_row, read_status, save_projection,
                                         stored_obligations, stored_obligations_between, with_obligations)
from lifecycle.store.tables import (contacts, contractors, district_events, district_obligations, districts,
                                    engine_settings, events, issuers, letter_numbers, letter_seals, letters, metadata,
                                    notices,
                                    obligations, projects, reference_changes, stations, sweeps)

__all__ = ["Store", "append_event", "event_row", "load_events", "load_events_between", "scan_between",
           "lean", "load_lean_snapshot", "load_snapshot", "match_text", "obligation_rows",
           "project_row", "read_status", "save_projection", "stored_obligations", "stored_obligations_between",
           "with_obligations", "contacts", "contractors", "events", "metadata",
           "notices", "obligations", "projects", "reference_changes", "stations", "sweeps", "district_events",
           "district_obligations", "districts", "issuers", "letters", "letter_numbers", "engine_settings",
           "letter_seals"]
