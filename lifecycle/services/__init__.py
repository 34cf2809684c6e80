"""The application services: each function is one command's transaction, load → act → append → commit.

- `projects`  — open and advance a project (`record`/`commit`: the tail every write shares).
- `correct`   — supersede an event's data or effective date, beside `advance`.
- `replay`    — history, replay as of a date or as known at a moment, `--verify`, recompute.
- `reference` — stations, contractors, the project list.
- `deadlines` — duties owed across projects on a date.
- `sweep`     — the daily deadline sweep that drafts the notices.

They take a `Store` and a `Clock` and use the core (`lifecycle.core`), the
store and the notification and audit adapters; the command line calls them.
"""
