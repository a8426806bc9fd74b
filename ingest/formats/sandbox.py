"""Format libraries run in a child process, so that one that hangs, crashes or eats memory
costs one file, not the pass.

    with Sandbox(timeout=30, memory_mb=1024) as sandbox:
        docs = sandbox.read(data, "rapport.pdf")     # list[Extracted], or UnreadableError

Plain text is read in-process (our own code, and most files); every other reader runs in
one long-lived child (``python -m ingest.formats.sandbox``, started at the first such file)
under an address-space limit of ``memory_mb``. A call that takes longer than ``timeout``
seconds kills the child, and the next call starts a new one. Whatever goes wrong is an
:class:`UnreadableError` with a one-line reason: never a traceback, and the pass goes on.

The child is fed pickled ``(function, args)`` frames on stdin and answers on stdout; the
function is pickled by name (a module-level function), so it is any code of ours, not code
from the file.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import struct
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .base import Extracted, UnreadableError

_LENGTH = struct.Struct("<Q")
START_SECONDS = 60.0  # for the child to start, on a machine as busy as it gets
_ROOT = str(Path(__file__).resolve().parents[2])


class Sandbox:
    """Runs format readers in a child process with a time and a memory limit (see the module)."""

    def __init__(self, timeout: float = 30.0, memory_mb: int = 1024):
        self.timeout = timeout
        self.memory_mb = memory_mb
        self._child: subprocess.Popen | None = None

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def read(self, data: bytes, name: str) -> list[Extracted]:
        """:func:`ingest.formats.read_document`, plain text in-process (a bug of ours is one
        line too), the rest in the child."""
        from . import TEXT, read_document, reader_for

        if reader_for(data, name) is not TEXT:
            return self.call(read_document, data, name)
        return _unwrap(*_answer(read_document, (data, name)))

    def call(self, function: Callable[..., Any], *args: Any) -> Any:
        """``function(*args)`` in the child; its :class:`UnreadableError` is raised here as it
        is; anything else it raises, a crash or a time-out becomes one."""
        child = self._child if self._child and self._child.poll() is None else self._start()
        request = pickle.dumps((function, args), protocol=pickle.HIGHEST_PROTOCOL)
        try:
            child.stdin.write(_LENGTH.pack(len(request)) + request)
            child.stdin.flush()
            answer = pickle.loads(self._receive(child, self.timeout))
        except _Stopped:
            self._kill()
            raise UnreadableError(f"reading took longer than {self.timeout:g} s (ingest.reader_timeout); stopped") from None
        except (BrokenPipeError, EOFError):
            raise UnreadableError(self._crash_reason()) from None
        return _unwrap(*answer)

    def close(self) -> None:
        """End the child (it also ends by itself when this process goes)."""
        if self._child is not None:
            self._child.stdin.close()
            try:
                self._child.wait(timeout=2)
            except subprocess.TimeoutExpired:
                self._kill()
            self._child = None

    def _start(self) -> subprocess.Popen:
        """A new child, once it says it is ready: its start (Python, our imports) is not
        part of the first file's time limit."""
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, (_ROOT, os.environ.get("PYTHONPATH"))))}
        self._child = subprocess.Popen(
            [sys.executable, "-m", "ingest.formats.sandbox", str(self.memory_mb)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,  # a library's own complaints are no user's business
            env=env,
        )
        try:
            self._receive(self._child, START_SECONDS)
        except (_Stopped, EOFError):
            self._kill()
            raise UnreadableError("the process for format libraries did not start") from None
        return self._child

    def _receive(self, child: subprocess.Popen, timeout: float) -> bytes:
        """One answer frame, within ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        buffer = bytearray()
        wanted = _LENGTH.size
        while len(buffer) < wanted:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([child.stdout], [], [], left)[0]:
                raise _Stopped
            chunk = os.read(child.stdout.fileno(), max(wanted - len(buffer), 65536))
            if not chunk:
                raise EOFError
            buffer += chunk
            if wanted == _LENGTH.size and len(buffer) >= wanted:
                wanted += _LENGTH.unpack_from(buffer)[0]
        return bytes(buffer[_LENGTH.size : wanted])

    def _crash_reason(self) -> str:
        code = self._child.wait() if self._child else None
        self._child = None
        if code is not None and code < 0:
            name = signal.Signals(-code).name if -code in signal.valid_signals() else str(-code)
            return f"the format library crashed ({name})"
        return "the format library crashed"

    def _kill(self) -> None:
        if self._child is not None:
            self._child.kill()
            self._child.wait()
            self._child = None


class _Stopped(Exception):
    """A call went past its time limit."""


def _read_exact(stream, size: int) -> bytes | None:
    data = stream.read(size)
    return data if len(data) == size else None


def _answer(function: Callable[..., Any], args: tuple) -> tuple[str, Any]:
    """Run one request; every failure as one line."""
    try:
        return "ok", function(*args)
    except UnreadableError as error:
        return "unreadable", str(error)
    except MemoryError:
        return "failed", "needs more memory than ingest.reader_memory_mb allows"
    except RecursionError:
        return "failed", "nested too deeply to read"
    except Exception as error:  # a library's bug is one file's failure, said in one line
        detail = " ".join(str(error).split())[:200]
        return "failed", f"the format library failed ({type(error).__name__}{': ' + detail if detail else ''})"


def _unwrap(status: str, value: Any) -> Any:
    """The value of an :func:`_answer`, or its one-line reason raised."""
    if status == "ok":
        return value
    raise UnreadableError(value)


def main(memory_mb: int) -> None:
    """The child: set the memory limit, then answer frames until stdin closes. Ctrl-C and
    SIGTERM are for the parent, which ends the pass after its current file and then this
    child (by closing stdin); the child dies with the parent all the same (stdin closes)."""
    import resource

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)

    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    source, sink = sys.stdin.buffer, sys.stdout.buffer
    ready = pickle.dumps(("ok", None))
    sink.write(_LENGTH.pack(len(ready)) + ready)
    sink.flush()
    while (header := _read_exact(source, _LENGTH.size)) is not None:
        request = _read_exact(source, _LENGTH.unpack(header)[0])
        if request is None:
            break
        function, args = pickle.loads(request)
        answer = pickle.dumps(_answer(function, args), protocol=pickle.HIGHEST_PROTOCOL)
        sink.write(_LENGTH.pack(len(answer)) + answer)
        sink.flush()


if __name__ == "__main__":
    main(int(sys.argv[1]))
