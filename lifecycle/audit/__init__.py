"""The auditors' side: prove the log, correct without erasing, flag, report, export.

- `correct`  — `lifecycle correct`: append-only corrections, refused unless the corrected history replays.
- `warrant`  — was each notice warranted by the replay as known when it was made (pure).
- `verify`   — `verify --all`: chain, stored projection (snapshot, columns, obligations) and notices.
- `flags`    — what auditors look for: back-dating, late and unmet duties, unsent notices,
               findings, rulebooks applied outside their validity window (pure).
- `bundle`   — one project's log, replay, outbox and verification, read in one transaction.
- `report`, `timeline`, `labels` — the HTML audit report (templates/audit/report.html.j2).
- `export`, `ledger`, `ocds` — json, csv, the xlsx 台账 and the OCDS 1.1 release package.
- `cli`      — the `correct`, `audit` and `export` commands.
"""
