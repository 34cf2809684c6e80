"""The notice side's adapters: who is told, when, in what words, and how it is delivered.

- `addressing` — the holder of each duty, the addressee and copies at each stage, the issuer, citations.
- `ladder`     — reminder, overdue, escalation, in working days (pure).
- `letters`    — the facts of a notice rendered as an official letter (Jinja2, StrictUndefined).
- `outbox`     — notices are rows first, delivered second; `render_notice` for `notices show`.
- `mail`       — a notice as an RFC 5322 message, to a directory or over SMTP.
- `contacts`   — the contact directory.

The sweep that drafts the notices is a service: `lifecycle.services.sweep`.
"""
