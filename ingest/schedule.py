"""``ingest run``: one pass at once, then one on every tick of the schedule, until a signal.

APScheduler 3.11 runs the passes (``max_instances=1``: never two at a time; ``coalesce``:
missed ticks become one pass). It has no SIGTERM handling of its own, so SIGINT and
SIGTERM set an event: the pass in flight stops after the file it is on, commits what it
did, and the process exits 0.
"""

from __future__ import annotations

import signal
import threading
from datetime import datetime

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from loguru import logger

from index import SearchIndexError
from index.config import Config

from .pipeline import IngestReport, SourceNotFoundError, ingest_folder


def describe(report: IngestReport) -> str:
    """One line about a pass, for logs and the terminal."""
    text = (
        f"{report.added} added, {report.updated} updated, {report.deleted} deleted, "
        f"{report.unchanged} unchanged, {len(report.failed)} failed; "
        f"{report.documents} documents in {report.seconds:.2f} s"
    )
    return text + (" (interrupted)" if report.interrupted else "")


def _trigger(config: Config, interval: float | None):
    if interval is not None:
        return IntervalTrigger(seconds=interval)
    if config.schedule.cron:
        return CronTrigger.from_crontab(config.schedule.cron)
    return IntervalTrigger(seconds=config.schedule.interval_seconds)


def run_scheduled(config: Config, interval: float | None = None) -> None:
    """Keep the index in step with the source folder until SIGINT or SIGTERM."""
    stop = threading.Event()

    def one_pass() -> None:
        try:
            report = ingest_folder(
                config.ingest.source,
                config.index.path,
                config.ingest,
                lock_timeout=config.index.lock_timeout,
                stop=stop,
            )
            logger.info("pass done: {}", describe(report))
        except (SearchIndexError, SourceNotFoundError, OSError) as error:
            logger.error("pass failed: {}", error)

    scheduler = BackgroundScheduler()
    trigger = _trigger(config, interval)
    scheduler.add_job(
        one_pass,
        trigger,
        id="ingest",
        max_instances=1,
        coalesce=True,
        misfire_grace_time=config.schedule.misfire_grace_time,
        next_run_time=datetime.now().astimezone(),
    )

    def on_signal(signum: int, _frame) -> None:
        logger.info("{} received: finishing the pass in flight, then stopping", signal.Signals(signum).name)
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        scheduler.start()
        logger.info("watching {} into {}; schedule: {}", config.ingest.source, config.index.path, trigger)
        stop.wait()
    finally:
        scheduler.shutdown(wait=True)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    logger.info("stopped")
