"""What the handlers search with: the open index, kept current, and a bounded pool of threads.

The index is opened on the first request that needs it (the server may start before the first
``ingest`` pass) and reopened when ``norsearch.json`` changes, which happens only when ingest
rebuilds the index; new commits of a running ``ingest run`` are picked up by :class:`Index`
itself (each thread's searcher moves to the latest commit). Both checks are a ``stat`` per
request.

Searching is CPU-bound Python: a process runs one search at a time on the GIL, so the server
scales with processes (``serve.workers``), and each process runs at most ``serve.threads``
searches at once; a request that waits ``serve.busy_seconds`` for a thread gets 503 instead of
piling up behind a slow query.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import anyio
import anyio.to_thread

from ..backend import SearchIndex
from ..errors import SearchIndexError
from ..whoosh.searcher import open_index
from ..whoosh.storage import VERSION_FILE

T = TypeVar("T")


class Busy(SearchIndexError):
    """Every search thread stayed taken for the whole wait (sent as 503)."""


class IndexHolder:
    """The index at ``path`` (of the backend ``options["config"]`` chooses), opened when first
    needed and reopened after a rebuild (on OpenSearch: opened once; the cluster serves each
    search from its latest refresh)."""

    def __init__(self, path: Path, **options) -> None:
        self.path = path
        self._options = options
        self._index: SearchIndex | None = None
        self._version: int | None = None
        self._lock = threading.Lock()

    def get(self) -> SearchIndex:
        """The open index; raises :class:`IndexNotFoundError` (and the like) while there is none."""
        try:
            version = (self.path / VERSION_FILE).stat().st_mtime_ns
        except OSError:
            version = None
        with self._lock:
            if self._index is None or version != self._version:
                # Searches still running on the old index finish on it; it closes when dropped.
                self._index = open_index(self.path, **self._options)
                self._version = version
            return self._index


class Pool:
    """Runs blocking work on at most ``threads`` threads at once, waiting ``wait`` seconds at most."""

    def __init__(self, threads: int, wait: float) -> None:
        self._limiter = anyio.CapacityLimiter(threads)
        self._wait = wait

    async def run(self, work: Callable[[], T]) -> T:
        try:
            with anyio.fail_after(self._wait):
                await self._limiter.acquire()
        except TimeoutError:
            raise Busy(f"busy: every search thread was taken for {self._wait:g} s; try again") from None
        try:
            return await anyio.to_thread.run_sync(work)
        finally:
            self._limiter.release()
