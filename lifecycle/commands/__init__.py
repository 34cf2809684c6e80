"""The command line, a skin over the services: one module of click commands per area.

- `base`     — the `lifecycle` group, its context, the shared `--json` option and output helpers;
- `setup`    — init, station, contractor, rules, diagram;
- `projects` — project open/list, advance, status, deadlines, recompute;
- `audit`    — history, replay, verify, correct, audit, export;
- `notices`  — contact, check, notices, scheduler;
- `text`     — the terminal text of status, deadlines, history and replay.

Each module lists its commands in `COMMANDS`; the top-level `cli.py` adds them to the group.
Heavy libraries are imported inside the commands that need them, so `--help` starts fast.
"""
