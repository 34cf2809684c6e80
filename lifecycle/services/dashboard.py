"""`dashboard --out DIR`: the portfolio's figures, read in one transaction, and every project's
audit report, written as a static site (`lifecycle.audit.dashboard`).

The reports are the slow part (each verifies and folds its project, then renders): they are
written by `jobs` worker processes (default: one per core), each reading its share of the
projects in a transaction of its own, as `verify --all` does, while this process writes the
figures' pages.
"""
from __future__ import annotations

import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from lifecycle.audit.bundle import bundles_in
from lifecycle.audit.dashboard import report_href, write_site
from lifecycle.audit.html_report import report_html
from lifecycle.core.clock import Clock
from lifecycle.core.errors import BadInput, said
from lifecycle.services.portfolio import figures
from lifecycle.store import Store, projects
from lifecycle.wiring import calendar_for

CHUNK = 50


def write_dashboard(store: Store, out: Path, as_of: date, district: str | None, clock: Clock,
                    jobs: int | None = None) -> dict[str, Any]:
    store.require()
    if out.exists() and not out.is_dir():
        raise BadInput(said("dashboard: --out {out} is a file, not a folder", out=out))
    cal = calendar_for(store)
    with store.reading() as conn:   # the projects the figures will show: their reports start at once
        q = select(projects.c.id).order_by(projects.c.district, projects.c.id)
        ids = [r.id for r in conn.execute(q if district is None else q.where(projects.c.district == district))]
    moment = Clock(today=as_of, now=clock.now)
    try:
        (out / "reports").mkdir(parents=True, exist_ok=True)
        jobs = jobs or os.cpu_count() or 1
        chunks = [ids[i:i + CHUNK] for i in range(0, len(ids), CHUNK)]
        if jobs == 1 or len(chunks) < 2 or store.sqlite_path in (None, ":memory:") and store.url.startswith("sqlite"):
            figs = _figures(store, cal, as_of, district)
            for chunk in chunks:
                _write_reports(store, chunk, out, moment)
            return write_site(out, figs, len(ids), clock.recorded)
        store.dispose()   # no connection of this process's pool is inherited by the forked workers
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() and sys.platform != "darwin" else "spawn"
        with ProcessPoolExecutor(max_workers=min(jobs, len(chunks)),
                                 mp_context=multiprocessing.get_context(method)) as pool:
            done = pool.map(_reports_in_worker, [(store.url, chunk, str(out), moment) for chunk in chunks])
            # while the workers write the reports, this process reads the figures and writes their pages
            site = write_site(out, _figures(store, cal, as_of, district), len(ids), clock.recorded)
            for _ in done:
                pass
        return site
    except OSError as exc:
        raise BadInput(said("dashboard: cannot write into {out}: {value}", out=out, value=exc.strerror or exc)) from None


def _figures(store: Store, cal: Any, as_of: date, district: str | None) -> dict[str, Any]:
    with store.reading() as conn:
        return figures(conn, cal, as_of, district)


def _write_reports(store: Store, ids: list[str], out: Path, moment: Clock) -> None:
    cal = calendar_for(store)
    with store.reading() as conn:
        bundles = bundles_in(conn, cal, ids, moment.today)
    for b in bundles:
        (out / report_href(b.project)).write_text(report_html(b, cal, moment)[0], encoding="utf-8")


def _reports_in_worker(job: tuple[str, list[str], str, Clock]) -> int:
    url, ids, out, moment = job
    store = Store(url, keep_connection=True)
    try:
        _write_reports(store, ids, Path(out), moment)
    finally:
        store.dispose()
    return len(ids)
