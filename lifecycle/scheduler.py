"""APScheduler wiring: a clock that calls the sweep and the delivery services, nothing more.

- On start: if the last recorded sweep is before today (or there is none),
  sweep now as of today (a missed 08:00 is caught up), then deliver.
- Every day at --at (Asia/Shanghai): sweep as of that day, then deliver.
- Every few minutes: retry failed notices whose back-off has run out.
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

from lifecycle.core.errors import BadInput
from lifecycle.notifications.mail import DirectoryTransport, SmtpTransport
from lifecycle.notifications.outbox import deliver
from lifecycle.services.sweep import last_sweep_day, sweep
from lifecycle.store import Store

ZONE = "Asia/Shanghai"
RETRY_MINUTES = 5
Transport = DirectoryTransport | SmtpTransport


def parse_at(text: str) -> tuple[int, int]:
    m = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", text.strip())
    if not m:
        raise BadInput(f"scheduler run: --at {text!r} is not a time of day HH:MM (e.g. 08:00)")
    return int(m[1]), int(m[2])


class Daemon:
    """The steps the jobs run; `stop` is checked between steps and between notices."""

    def __init__(self, store: Store, clock: Callable[[], Any], make_transport: Callable[[], Transport] | None,
                 say: Callable[[str], None], after_sweep: Callable[[Any], None] | None = None) -> None:
        self.store, self.clock, self.make_transport, self.say = store, clock, make_transport, say
        self.after_sweep = after_sweep  # e.g. refresh the dashboard (`scheduler run --dashboard DIR`)
        self.stop = threading.Event()
        self._lock = threading.Lock()   # one step at a time within this process

    def catch_up(self) -> None:
        today = self.clock().today
        last = last_sweep_day(self.store)
        if last is None or last < today:
            self.sweep_now("catch-up")

    def daily(self) -> None:
        self.sweep_now("daemon")
        self.deliver()

    def sweep_now(self, trigger: str) -> None:
        with self._lock:
            if self.stop.is_set():
                return
            day = self.clock().today
            result = sweep(self.store, day, lambda: self.clock().now, trigger=trigger)
            self.say(f"sweep as of {day.isoformat()} ({trigger}): {result['created']} notices created")
            if self.after_sweep is not None:
                self.after_sweep(day)

    def deliver(self) -> None:
        if self.make_transport is None:
            return
        with self._lock:
            if self.stop.is_set():
                return
            out = deliver(self.store, self.make_transport(), self.clock().now, respect_backoff=True,
                          should_stop=self.stop.is_set)
            if out.sent or out.failed:
                self.say(f"delivery: {len(out.sent)} sent, {len(out.failed)} failed, "
                         f"{len(out.undeliverable)} without an address")


def run(store: Store, clock: Callable[[], Any], hour: int, minute: int,
        make_transport: Callable[[], Transport] | None, once: bool = False,
        say: Callable[[str], None] = print, after_sweep: Callable[[Any], None] | None = None) -> None:
    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.triggers.cron import CronTrigger
    from apscheduler.triggers.interval import IntervalTrigger

    store.require()
    daemon = Daemon(store, clock, make_transport, say, after_sweep)
    previous = {sig: signal.signal(sig, lambda *_: daemon.stop.set()) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        if make_transport is None:
            say("no --via given: notices are created and wait in the outbox (`lifecycle notices send --via ...`)")
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
        say(f"scheduler running: sweep daily at {hour:02d}:{minute:02d} {ZONE}, retries every {RETRY_MINUTES} min")
        while not daemon.stop.wait(timeout=1.0):
            pass
        jobs.shutdown(wait=True)
        say("scheduler stopped")
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
