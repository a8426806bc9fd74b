"""Whoosh's multiprocessing writer, made safe to kill.

``MpWriter`` forks sub-writers that analyse and write documents, each into its own segment
(measured here on 2 cores: 1.8x the documents a second of one writer). But when the parent
is killed (``kill -9``), the forked sub-writers live on, blocked on their job queue and
holding the index lock they inherited, and the next ``ingest`` waits for ever. So each
sub-writer here asks the kernel (Linux ``prctl(PR_SET_PDEATHSIG)``) to be killed with its
parent. Where that is not available, :func:`parallel_writing_available` is false and the
index is written by one process.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import os
import pickle
import signal
import sys

from whoosh.multiproc import MpWriter, SubWriterTask

from .adding import add_document
from .postings import TermGroupedPool, group_postings_by_term

PR_SET_PDEATHSIG = 1


def _libc():
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    except OSError:
        return None


_LIBC = _libc()


def parallel_writing_available() -> bool:
    """Whether sub-writers can be tied to their parent's life (Linux)."""
    return _LIBC is not None


class _SubWriterBoundToParent(SubWriterTask):
    """A sub-writer that the kernel kills when the process that started it dies."""

    def run(self) -> None:
        parent = os.getppid()
        _LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # the parent died before the request took effect
            os._exit(1)
        # A sub-writer makes millions of small acyclic objects (postings) and keeps them:
        # CPython's default (a collection every 700 allocations) spent ~10 % of its time
        # scanning them for cycles that are not there.
        gc.set_threshold(100_000, 50, 100)
        super().run()

    def _process_file(self, filename: str, doc_count: int) -> None:
        """Whoosh's: add the documents of one job file, here through :func:`add_document`."""
        writer = self.writer
        if not isinstance(writer.pool, TermGroupedPool):
            group_postings_by_term(writer)
        tempstorage = writer.temp_storage()
        with tempstorage.open_file(filename).raw_file() as file:
            for _ in range(doc_count):
                code, fields = pickle.load(file)
                if code != 0:  # the only job Whoosh's MpWriter sends: add_document
                    raise ValueError(f"unknown sub-writer job {code!r}")
                add_document(writer, fields)
        tempstorage.delete_file(filename)


class ParallelWriter(MpWriter):
    """``MpWriter`` with ``multisegment=True`` whose sub-writers die with it."""

    def __init__(self, ix, procs: int, **writer_options):
        super().__init__(ix, procs=procs, multisegment=True, **writer_options)

    def _new_task(self) -> SubWriterTask:
        task = _SubWriterBoundToParent(
            self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs, self.multisegment
        )
        self.tasks.append(task)
        task.start()
        return task
