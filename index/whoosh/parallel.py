"""Whoosh's multiprocessing writer, made safe to kill.

``MpWriter`` forks sub-writers that analyse and write documents, each into its own segment
(measured here on 2 cores: 1.8x the documents a second of one writer). But when the parent
is killed (``kill -9``), the forked sub-writers live on, blocked on their job queue and
holding the index lock they inherited, and the next ``ingest`` waits for ever. So each
sub-writer here asks the kernel (Linux ``prctl(PR_SET_PDEATHSIG)``) to be killed with its
parent. Where that is not available, :func:`parallel_writing_available` is false and the
index is written by one process.

A sub-writer that fails (a full disk) does not print a traceback: it hands its error to
the parent and exits, and the parent raises it as one error (``OSError`` with its errno,
else :class:`IndexWriteError`) at its next job or at the commit, instead of waiting for
ever on a job queue nobody reads or committing without that sub-writer's documents.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import os
import pickle
import queue
import signal
import sys
from multiprocessing import Queue

from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.util import random_name

from .adding import add_document
from ..errors import IndexWriteError
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
    """A sub-writer that the kernel kills when the process that started it dies, and that
    hands any error to its parent (``errors``: ``(errno or None, message)``) instead of
    printing a traceback."""

    errors: Queue
    parent_pid: int  # the process that forks it, taken before the fork

    def run(self) -> None:
        _LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        # The parent may have died between the fork and the request: the child is then an
        # orphan whose parent is pid 1 (or a subreaper), never the pid taken before the fork.
        # Comparing with os.getppid() read in the child missed exactly that case, and the
        # orphan kept the inherited index lock.
        if os.getppid() != self.parent_pid:
            os._exit(1)
        # A sub-writer makes millions of small acyclic objects (postings) and keeps them:
        # CPython's default (a collection every 700 allocations) spent ~10 % of its time
        # scanning them for cycles that are not there.
        gc.set_threshold(100_000, 50, 100)
        try:
            super().run()
        except Exception as error:  # noqa: BLE001 - the parent reports it, in one line
            self.errors.put((getattr(error, "errno", None), getattr(error, "strerror", None) or f"{type(error).__name__}: {error}"))
            sys.exit(1)

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
        self._errors: Queue = Queue()

    def _new_task(self) -> SubWriterTask:
        task = _SubWriterBoundToParent(
            self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs, self.multisegment
        )
        task.errors = self._errors
        task.parent_pid = os.getpid()
        self.tasks.append(task)
        task.start()
        return task

    def _raise_if_failed(self, finished: bool = False) -> None:
        """Raise the error a sub-writer handed over, if one did. Before ``finished`` (the
        end-of-jobs markers sent and the sub-writers joined) a sub-writer that is gone has
        failed too; after it, only one killed by a signal has. (A process forked from a
        thread other than the main one, as in ``ingest run``, can end with exit code 1
        after finishing its work: CPython's thread clean-up in the child, not a failure.)"""
        dead = [task.exitcode for task in self.tasks if task.exitcode is not None]
        failed = [code for code in dead if code < 0] if finished else dead
        try:
            errno, message = self._errors.get(timeout=1) if failed else self._errors.get_nowait()
        except queue.Empty:
            if not failed:
                return
            errno, message = None, f"a writing process ended unexpectedly (exit code {failed[0]})"
        if errno:
            raise OSError(errno, message)
        raise IndexWriteError(f"{self.storage.folder}: cannot write the index ({message})")

    def _enqueue(self) -> None:
        """Whoosh's: the buffered documents to a job file for the sub-writers; here it never
        waits for ever on a queue whose readers have failed."""
        self._raise_if_failed()
        filename = f"{random_name()}.doclist"
        with self.temp_storage().create_file(filename).raw_file() as file:
            for item in self.docbuffer:
                pickle.dump(item, file, 2)
        if len(self.tasks) < self.procs:
            self._new_task()
        job = (filename, len(self.docbuffer))
        while True:
            try:
                self.jobqueue.put(job, timeout=0.5)
                break
            except queue.Full:
                self._raise_if_failed()
        self.docbuffer = []

    def _commit(self, mergetype, optimize, merge) -> None:
        """Whoosh's, after making sure that every sub-writer finished its segment."""
        if self.docbuffer:
            self._enqueue()
        for _ in self.tasks:
            self.jobqueue.put(None)
        for task in self.tasks:
            task.join()
        self._raise_if_failed(finished=True)
        super()._commit(mergetype, optimize, merge)  # (its end-of-jobs markers find no reader: harmless)

    def cancel(self) -> None:
        """Stop the sub-writers (Whoosh's cancel only tells its own copy of them), then cancel."""
        for task in self.tasks:
            if task.is_alive():
                task.kill()
            task.join()
        self.tasks = []
        super().cancel()
