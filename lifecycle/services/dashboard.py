"""`dashboard --out DIR`: the portfolio's figures and every project's audit report, read in one
transaction, written as a static site (`lifecycle.audit.dashboard`)."""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from lifecycle.audit.bundle import bundles_in
from lifecycle.audit.dashboard import write_site
from lifecycle.audit.html_report import report_html
from lifecycle.core.clock import Clock
from lifecycle.core.errors import BadInput
from lifecycle.services.portfolio import figures
from lifecycle.store import Store
from lifecycle.wiring import calendar_for


def write_dashboard(store: Store, out: Path, as_of: date, district: str | None, clock: Clock) -> dict[str, Any]:
    store.require()
    if out.exists() and not out.is_dir():
        raise BadInput(f"dashboard: --out {out} is a file, not a folder")
    cal = calendar_for(store)
    with store.reading() as conn:
        figs = figures(conn, cal, as_of, district)
        ids = [p["project"] for d in figs["districts"] for p in d["projects"]]
        bundles = bundles_in(conn, cal, ids, as_of)
    moment = Clock(today=as_of, now=clock.now)
    reports = {b.project: report_html(b, cal, moment)[0] for b in bundles}
    try:
        return write_site(out, figs, reports, clock.recorded)
    except OSError as exc:
        raise BadInput(f"dashboard: cannot write into {out}: {exc.strerror or exc}") from None
