"""``ingest run``: one pass at once, then one on every tick of the schedule and soon after
files change, until a signal.

APScheduler 3.11 runs the passes as one job (``max_instances=1``: never two at a time;
``coalesce``: missed ticks become one pass). A filesystem event moves that job's next run
to ``debounce_seconds`` from now, so a burst of changes makes one pass; an event during a
pass brings another right after it. APScheduler has no SIGTERM handling of its own, so
SIGINT and SIGTERM set an event: the pass in flight stops after the file it is on,
commits what it did, and the process exits 0.
"""

from __future__ import annotations

import signal
import sqlite3
import threading
from datetime import datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from loguru import logger

from index import SearchIndexError
from index.config import Config

from .pipeline import IngestReport, SourceNotFoundError, ingest_folder
from .state import IngestState
from .watch import watch_folder

JOB_ID = "ingest"


def _schedule(config: Config, interval: float | None) -> tuple[BaseTrigger, str]:
    """The trigger of the passes (``--interval``, else the cron, else the interval), and its words for the log."""
    if interval is None and config.schedule.cron:
        return CronTrigger.from_crontab(config.schedule.cron), f"cron {config.schedule.cron!r}"
    seconds = config.schedule.interval_seconds if interval is None else interval
    return IntervalTrigger(seconds=seconds), f"every {seconds:g} s"


def _now() -> datetime:
    return datetime.now().astimezone()


class IngestService:
    """The scheduler, the watcher and the stop event of one ``ingest run``."""

    def __init__(self, config: Config, interval: float | None = None):
        self.config = config
        self.stop = threading.Event()
        self._changed_during_pass = threading.Event()
        self._idle = threading.Event()  # no pass in flight
        self._idle.set()
        self._scheduler = BackgroundScheduler()
        self._trigger, self._schedule_words = _schedule(config, interval)

    def one_pass(self) -> None:
        """The scheduled job: a pass, logged; a failed pass (whatever the error) is logged in one
        line (the traceback at DEBUG) and retried on schedule."""
        if self.stop.is_set():
            return
        self._idle.clear()
        try:
            self._pass()
        finally:
            self._idle.set()

    def _pass(self) -> None:
        self._changed_during_pass.clear()
        try:
            report = ingest_folder(
                self.config.ingest.source,
                self.config.index.path,
                self.config.ingest,
                lock_timeout=self.config.index.lock_timeout,
                writer_processes=self.config.index.writer_processes,
                writer_memory_mb=self.config.index.writer_memory_mb,
                index_mode=self.config.index.mode,
                stop=self.stop,
                settings=self.config,
            )
            logger.info("pass done: {}", report.summary())
        except (SearchIndexError, SourceNotFoundError, OSError) as error:
            logger.error("pass failed: {}", error)
        except Exception as error:  # noqa: BLE001 - a service must outlive one bad pass, not crash-loop
            logger.opt(exception=error).debug("the failed pass")
            logger.error("pass failed: {}: {}; retrying on schedule", type(error).__name__, error)
        if self.stop.is_set():
            return  # the scheduler is shutting down: asking it anything could deadlock
        if self._changed_during_pass.is_set():
            self.on_change()
        self._record_next_run()

    def on_change(self) -> None:
        """Bring the next pass forward to ``debounce_seconds`` from now (watchdog's thread)."""
        self._changed_during_pass.set()
        if self.stop.is_set():
            return
        job = self._scheduler.get_job(JOB_ID)
        due = _now() + timedelta(seconds=self.config.schedule.debounce_seconds)
        if job is not None and (job.next_run_time is None or job.next_run_time > due):
            job.modify(next_run_time=due)

    def _record_next_run(self) -> None:
        if not self.config.index.path.is_dir():
            return
        job = self._scheduler.get_job(JOB_ID)
        next_run = job.next_run_time.timestamp() if job and job.next_run_time else None
        try:
            state = IngestState(self.config.index.path)
        except sqlite3.Error:
            return  # a state that cannot be read: the next pass rebuilds it, and warns
        try:
            state.record_schedule(next_run)
        finally:
            state.close()

    def run(self) -> None:
        """Run until SIGINT or SIGTERM; the signal handlers are restored afterwards."""
        if not self.config.ingest.source.is_dir():
            raise SourceNotFoundError(f"{self.config.ingest.source}: source folder not found")
        self._scheduler.add_job(
            self.one_pass,
            self._trigger,
            id=JOB_ID,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=self.config.schedule.misfire_grace_time,
            next_run_time=_now(),
        )

        def on_signal(signum: int, _frame) -> None:
            logger.info("{} received: finishing the pass in flight, then stopping", signal.Signals(signum).name)
            self.stop.set()

        previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
        observer = None
        logger.info(
            "keeping index {} in step with {}: a pass now, then {}{}",
            self.config.index.path,
            self.config.ingest.source,
            self._schedule_words,
            " and soon after files change" if self.config.schedule.watch else "",
        )
        try:
            self._scheduler.start()
            if self.config.schedule.watch:
                observer = watch_folder(self.config.ingest.source, self.on_change, ignore=self.config.index.path)
            self.stop.wait()
        finally:
            if observer is not None:
                observer.stop()
                observer.join()
            # APScheduler's shutdown holds its job-store lock while it waits for the pass in
            # flight, and a pass that asks the scheduler anything then waits forever: let
            # the pass end first (it stops after its current file).
            self._idle.wait()
            self._scheduler.shutdown(wait=True)
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        logger.info("stopped")


def run_scheduled(config: Config, interval: float | None = None) -> None:
    """Keep the index in step with the source folder until SIGINT or SIGTERM."""
    IngestService(config, interval).run()
