"""Filesystem events (watchdog): a change under the source folder brings the next pass forward.

Only events that change something count (created, modified, deleted, moved, closed after
writing); the opens and reads of our own pass would otherwise trigger the next one. Events
under the index folder are ignored, in case it lies inside the source. The schedule stays
as the safety net: inotify queues can overflow and events can be missed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from loguru import logger
from watchdog.events import (
    EVENT_TYPE_CLOSED,
    EVENT_TYPE_CREATED,
    EVENT_TYPE_DELETED,
    EVENT_TYPE_MODIFIED,
    EVENT_TYPE_MOVED,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver

CHANGE_EVENTS = frozenset(
    {EVENT_TYPE_CREATED, EVENT_TYPE_DELETED, EVENT_TYPE_MODIFIED, EVENT_TYPE_MOVED, EVENT_TYPE_CLOSED}
)


class _ChangeHandler(FileSystemEventHandler):
    def __init__(self, on_change: Callable[[], None], ignore: Path):
        self._on_change = on_change
        self._ignore = str(ignore.resolve())

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in CHANGE_EVENTS:
            return
        if str(event.src_path).startswith(self._ignore):
            return
        self._on_change()


def watch_folder(source: Path, on_change: Callable[[], None], ignore: Path) -> BaseObserver | None:
    """Start watching ``source`` recursively; ``on_change()`` runs on watchdog's thread.

    Returns ``None``, with a warning, when the folder cannot be watched (inotify's watch
    limit; a tree deeper than watchdog's recursive ``os.walk`` can go): the schedule then
    keeps the index in step on its own, rather than the service dying at every start."""
    observer = Observer()
    observer.schedule(_ChangeHandler(on_change, ignore), str(source), recursive=True)
    try:
        observer.start()
    except (OSError, RecursionError) as error:
        observer.stop()
        logger.warning("{}: cannot watch for changes ({}: {}); passes run on the schedule only", source, type(error).__name__, error)
        return None
    return observer
