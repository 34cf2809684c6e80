"""APScheduler wiring: a clock that calls the sweep and the delivery services, nothing more.

- On start: if the last recorded sweep is before today (or there is none),
  sweep now as of today (a missed 08:00 is caught up), then deliver.
- Every day at --at (Asia/Shanghai): sweep as of that day, then deliver.
- Every few minutes: retry failed letters whose back-off has run out.
- Working days only (调休 Saturdays included): on a rest day nothing is swept
  or sent; the next working day's sweep catches up (the ladder reads dates,
  so a late sweep still makes every notice due).
- `--ics DIR`: after each sweep, rewrite DIR/<district>.ics for every district.
- One log line per step; uncertain letters (an interrupted delivery) are named
  in it until a person settles them.
- SIGTERM or Ctrl-C: stop between steps; the running step finishes first.

The job store is the in-memory default and belongs to this process alone.
Exactly-once comes from the database: two daemons, or a daemon and a manual
`check`, insert the same notice once (the unique constraint) and never send
a row twice (the outbox claim).
"""
from __future__ import annotations

import re
import signal
import threading
from typing import Any, Callable

from pathlib import Path

from lifecycle.core.errors import BadInput, Said, said
from lifecycle.core.speech import N_
from lifecycle.services.delivery import send_all, summary
from lifecycle.services.sweep import last_sweep_day, sweep
from lifecycle.store import Store
from lifecycle.wiring import calendar_for, deadline

ZONE = "Asia/Shanghai"
RETRY_MINUTES = 5
TRIGGERS = {"catch-up": N_("catch-up"), "daemon": N_("daemon")}   # why a sweep ran, as its log line says
RUN_DEADLINE_SECONDS = 240.0   # a delivery run ends before the next retry is due


def parse_at(text: str) -> tuple[int, int]:
    m = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", text.strip())
    if not m:
        raise BadInput(said("scheduler run: --at {text!r} is not a time of day HH:MM (e.g. 08:00)", text=text))
    return int(m[1]), int(m[2])


class Daemon:
    """The steps the jobs run; `stop` is checked between steps and between notices."""

    def __init__(self, store: Store, clock: Callable[[], Any], via: str | None,
                 say: Callable[[str], None], ics: str | None = None,
                 after_sweep: Callable[[Any], None] | None = None) -> None:
        self.store, self.clock, self.via, self.say, self.ics = store, clock, via, say, ics
        self.after_sweep = after_sweep  # e.g. refresh the dashboard (`scheduler run --dashboard DIR`)
        self.stop = threading.Event()
        self._lock = threading.Lock()   # one step at a time within this process

    def working_day(self) -> bool:
        today = self.clock().today
        if calendar_for(self.store).is_working_day(today):
            return True
        self.say(said("{day} is a rest day: nothing swept or sent (the next working day catches up)",
                      day=today.isoformat()))
        return False

    def catch_up(self) -> None:
        if not self.working_day():
            return
        today = self.clock().today
        last = last_sweep_day(self.store)
        if last is None or last < today:
            self.sweep_now("catch-up")

    def daily(self) -> None:
        if not self.working_day():
            return
        self.sweep_now("daemon")
        self.deliver()

    def sweep_now(self, trigger: str) -> None:
        with self._lock:
            if self.stop.is_set():
                return
            day = self.clock().today
            result = sweep(self.store, day, lambda: self.clock().now, trigger=trigger, keep_notices=False)
            self.say(said("sweep as of {day} ({trigger}): {created} notices in {letters} letters created",
                          day=day.isoformat(), trigger=Said(TRIGGERS[trigger], {}), created=result["created"],
                          letters=len(result["letters"])))
            if self.ics:
                self.say(said("calendar feeds: {feeds} written to {folder}",
                              feeds=write_feeds(self.store, self.ics, self.clock().now), folder=self.ics))
            if self.after_sweep is not None:
                self.after_sweep(day)

    def deliver(self) -> None:
        if self.via is None:
            return
        if not calendar_for(self.store).is_working_day(self.clock().today):
            return
        with self._lock:
            if self.stop.is_set():
                return
            out = send_all(self.store, self.via, self.clock().now, respect_backoff=True,
                           should_stop=self.stop.is_set, past_deadline=deadline(RUN_DEADLINE_SECONDS))
            if out["sent"] or out["failed"] or out["uncertain"] or out["waiting_uncertain"]:
                self.say(summary(out, daemon=True))


def write_feeds(store: Store, folder: str, now: Any) -> int:
    """One feed per district (DIR/历下区.ics) and one for all (DIR/all.ics); returns how many files."""
    from sqlalchemy import select
    from lifecycle.services.feed import write_feed
    from lifecycle.store import projects
    Path(folder).mkdir(parents=True, exist_ok=True)
    with store.reading() as conn:
        districts = sorted({r.district for r in conn.execute(select(projects.c.district))})
    write_feed(store, Path(folder) / "all.ics", now)
    for district in districts:
        write_feed(store, Path(folder) / f"{district}.ics", now, district=district)
    return len(districts) + 1


def run(store: Store, clock: Callable[[], Any], hour: int, minute: int,
        via: str | None, once: bool = False, say: Callable[[str], None] = print, ics: str | None = None,
        after_sweep: Callable[[Any], None] | None = None) -> None:
    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.triggers.cron import CronTrigger
    from apscheduler.triggers.interval import IntervalTrigger

    store.require()
    daemon = Daemon(store, clock, via, say, ics, after_sweep)
    previous = {sig: signal.signal(sig, lambda *_: daemon.stop.set()) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        if via is None:
            say(said("no --via given: notices are created and wait in the outbox (`lifecycle notices send --via ...`)"))
        daemon.catch_up()
        daemon.deliver()
        if once or daemon.stop.is_set():
            return
        jobs = BackgroundScheduler(timezone=ZONE)
        jobs.add_job(daemon.daily, CronTrigger(hour=hour, minute=minute, timezone=ZONE), id="daily-sweep",
                     max_instances=1, coalesce=True, misfire_grace_time=3600)
        jobs.add_job(daemon.deliver, IntervalTrigger(minutes=RETRY_MINUTES, timezone=ZONE), id="retry",
                     max_instances=1, coalesce=True)
        jobs.start()
        at = f"{hour:02d}:{minute:02d}"
        say(said("scheduler running: sweep daily at {at} {zone}, retries every {minutes} min",
                 at=at, zone=ZONE, minutes=RETRY_MINUTES))
        while not daemon.stop.wait(timeout=1.0):
            pass
        jobs.shutdown(wait=True)
        say(said("scheduler stopped"))
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
