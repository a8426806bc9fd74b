"""One writer per index across processes: an ``flock`` on ``norsearch.lock`` in the folder.

The kernel drops an ``flock`` when its process dies, however it dies, so a lock is never
stale: after ``kill -9`` the next writer gets it at once. The file holds the owner's pid,
only to name it in the message of a writer that gave up waiting.
"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path

from .errors import IndexLockedError
from .permissions import DEFAULT_FILE_MODE, make_folder, open_file

LOCK_FILE = "norsearch.lock"
POLL_SECONDS = 0.1


class WriteLock:
    """Held from construction until :meth:`release`; waits up to ``timeout`` seconds for it.
    Creates the folder, and the lock file, with the modes for ``file_mode``."""

    def __init__(self, folder: Path, timeout: float, file_mode: int = DEFAULT_FILE_MODE):
        make_folder(folder, file_mode)
        self._fd = open_file(folder / LOCK_FILE, os.O_RDWR, file_mode)
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    owner = os.pread(self._fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
                    os.close(self._fd)
                    raise IndexLockedError(
                        f"{folder}: another process (pid {owner}) is writing this index; "
                        f"gave up after {timeout:g} s"
                    ) from None
                time.sleep(POLL_SECONDS)
        os.ftruncate(self._fd, 0)
        os.pwrite(self._fd, f"{os.getpid()}\n".encode("ascii"), 0)

    def release(self) -> None:
        if self._fd >= 0:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = -1
