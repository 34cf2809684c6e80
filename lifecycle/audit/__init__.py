"""The auditors' side: prove the log, flag what auditors look for, report, export.

- `proof`    — one project's proof: hash chain, stored projection and notices against the replay.
- `warrant`  — was each notice warranted by the replay as known when it was made (pure).
- `verify`   — `verify --all`: every project's proof, in ranges shared among worker processes.
- `flags`    — back-dating, late and unmet duties, unsent notices, findings, rulebooks applied
               outside their validity window (pure).
- `bundle`   — one project's log, replay, outbox and verification, read in one transaction.
- `html_report`, `timeline` — the HTML audit report (templates/audit/report.html.j2).
- `export`, `xlsx_ledger`, `ocds`, `ocds_validate` — json, csv, the xlsx 台账 and the OCDS 1.1
  release package, validated against the OCDS 1.1.5 schemas shipped in `ocds_schema/`.

Corrections are written by `lifecycle.services.correct`; the commands live in `lifecycle.commands.audit`.
"""
