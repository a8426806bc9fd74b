"""What the last pass saw of each file, so the next one can tell what changed.

Kept in ``ingest-state.sqlite`` inside the index folder and written *after* the index
commit, under the same write lock, with the generation of that commit. The state is only a
cache of what the index itself stores (every document's size, mtime and SHA-256), so it is
never a reason for a pass to fail: a state file that cannot be read (damaged, unreadable)
or that is older than the index (a pass that could not save it: a full disk, ``kill -9``)
is rebuilt from the index, with one warning, and the pass goes on. A state that cannot be
written either is kept in memory for the pass. The reverse (state claiming work the index
lacks) cannot happen.

It also keeps the reason each file failed in the last pass, for ``ingest verify``; the
report of the last pass and the next scheduled one are read back by :mod:`index.status`.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from loguru import logger

from index.config import Config
from index.permissions import create_like_folder
from index.status import STATE_FILE

_SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
    id TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    ctime_ns INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    parts INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS passes (
    started REAL NOT NULL,
    report TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS schedule (
    next_run REAL,
    pid INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS failures (
    id TEXT PRIMARY KEY,
    reason TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS generation (
    value INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS running (
    started REAL NOT NULL
);
"""


# Rows whose id starts with a prefix (parameters: its length, the prefix; "" takes every row).
_UNDER = "substr(id, 1, ?) = ?"


@dataclass(frozen=True)
class FileState:
    """A file as last ingested: ``stat`` fields to skip it cheaply, the hash to be sure;
    ``parts``: how many documents it holds when it holds several (a mailbox's messages,
    ``<id>#1`` …), 0 when it is one document under its own id."""

    id: str
    size: int
    mtime_ns: int
    ctime_ns: int
    sha256: str
    parts: int = 0


class IngestState:
    """The state store of one index folder (``path=":memory:"`` for one kept in memory).

    Writing never raises: the first write that fails (a full disk) is logged as one
    warning and the store takes no more writes, so that what it holds stays older than
    the index and the next pass rebuilds it."""

    def __init__(self, index_dir: Path, path: str | None = None, *, read_only: bool = False):
        self.path = index_dir / STATE_FILE
        if read_only:  # for `ingest verify`, which changes nothing
            self._db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True)
            self._writable = False
            return
        if path is None and index_dir.is_dir():  # private as the index (its journal files take its mode)
            create_like_folder(self.path)
        self._db = sqlite3.connect(path or self.path)
        self._writable = True
        try:
            self._db.executescript(_SCHEMA)
            columns = {row[1] for row in self._db.execute("PRAGMA table_info(files)")}
            if "parts" not in columns:  # a state written before files could hold several documents
                with self._db:
                    self._db.execute("ALTER TABLE files ADD COLUMN parts INTEGER NOT NULL DEFAULT 0")
        except BaseException:
            self._db.close()
            raise

    def check(self) -> None:
        """Raise :class:`sqlite3.DatabaseError` unless the file is whole (``quick_check``)."""
        result = self._db.execute("PRAGMA quick_check").fetchone()
        if result != ("ok",):
            raise sqlite3.DatabaseError(f"quick_check: {result[0] if result else 'no answer'}")

    def files(self, prefix: str = "") -> dict[str, FileState]:
        """Every file of the last pass whose id starts with ``prefix``, by id."""
        rows = self._db.execute(
            f"SELECT id, size, mtime_ns, ctime_ns, sha256, parts FROM files WHERE {_UNDER}", (len(prefix), prefix)
        )
        return {row[0]: FileState(*row) for row in rows}

    def generation(self) -> int | None:
        """The index commit the files are true to (``None``: unknown)."""
        row = self._db.execute("SELECT value FROM generation").fetchone()
        return row[0] if row else None

    def _write(self, *statements: tuple[str, Iterable | tuple]) -> None:
        """Run ``(sql, rows)`` statements in one transaction; on failure warn once, stop writing."""
        if not self._writable:
            return
        try:
            with self._db:
                for sql, rows in statements:
                    if isinstance(rows, tuple):
                        self._db.execute(sql, rows)
                    else:
                        self._db.executemany(sql, rows)
        except sqlite3.Error as error:
            self._writable = False
            logger.warning("{}: cannot save the ingest state ({}); the next pass rebuilds it from the index", self.path, error)

    def save_files(self, changed: Iterable[FileState], removed: Iterable[str] = (), generation: int | None = None) -> None:
        """Record files as the index now holds them, and the generation of the commit that
        made it so, in one transaction; call after the commit."""
        self._write(
            ("INSERT OR REPLACE INTO files (id, size, mtime_ns, ctime_ns, sha256, parts) VALUES (?, ?, ?, ?, ?, ?)",
             [(f.id, f.size, f.mtime_ns, f.ctime_ns, f.sha256, f.parts) for f in changed]),
            ("DELETE FROM files WHERE id = ?", [(doc_id,) for doc_id in removed]),
            ("DELETE FROM generation", ()),
            ("INSERT INTO generation VALUES (?)", (generation,)),
        )

    def replace_files(self, files: Iterable[FileState], generation: int | None, prefix: str = "") -> None:
        """Forget every file whose id starts with ``prefix`` and record ``files`` instead (a
        state rebuilt from the index)."""
        self._write((f"DELETE FROM files WHERE {_UNDER}", (len(prefix), prefix)))
        self.save_files(files, generation=generation)

    def save_failures(self, failures: dict[str, str], handled: Iterable[str], complete: bool, prefix: str = "") -> None:
        """Record why files failed, by id. After a ``complete`` pass these are all the
        failures under ``prefix``; after an interrupted one they replace those of the ``handled`` ids."""
        self._write(
            (f"DELETE FROM failures WHERE {_UNDER}", (len(prefix), prefix)) if complete
            else ("DELETE FROM failures WHERE id = ?", [(i,) for i in handled]),
            ("INSERT OR REPLACE INTO failures VALUES (?, ?)", list(failures.items())),
        )

    def failures(self) -> dict[str, str]:
        """Why each file failed in the last pass, by id (a folder's id ends in ``/``)."""
        return dict(self._db.execute("SELECT id, reason FROM failures"))

    def record_start(self, started: float) -> None:
        """Note that a pass started; :meth:`record_pass` clears it, so a note left says the
        pass did not end (killed, or failed)."""
        self._write(("DELETE FROM running", ()), ("INSERT INTO running VALUES (?)", (started,)))

    def unfinished_pass(self) -> float | None:
        """When the pass that did not end started, or ``None`` if the last one ended."""
        row = self._db.execute("SELECT started FROM running").fetchone()
        return row[0] if row else None

    def record_pass(self, started: float, report: dict) -> None:
        """Keep the report of the pass that just ended (only the last one is kept)."""
        self._write(
            ("DELETE FROM passes", ()),
            ("INSERT INTO passes VALUES (?, ?)", (started, json.dumps(report))),
            ("DELETE FROM running", ()),
        )

    def last_pass(self) -> dict | None:
        """The report of the last pass, or ``None`` before the first."""
        row = self._db.execute("SELECT report FROM passes").fetchone()
        return json.loads(row[0]) if row else None

    def record_schedule(self, next_run: float | None) -> None:
        """Note when this process's ``ingest run`` will make its next pass."""
        self._write(("DELETE FROM schedule", ()), ("INSERT INTO schedule VALUES (?, ?)", (next_run, os.getpid())))

    def clear(self, generation: int | None = None) -> None:
        """Forget everything: the index was (re)created empty."""
        self._write(("DELETE FROM passes", ()), ("DELETE FROM failures", ()))
        self.replace_files((), generation)

    def close(self) -> None:
        self._db.close()


def open_state(
    index_dir: Path, generation: int, index_files: Callable[[], Iterable[FileState]] | None, prefix: str = ""
) -> IngestState:
    """The state of the index at ``index_dir``, true to its commit ``generation``.

    ``index_files()`` gives every document (of ids under ``prefix``, the only ones a rebuild
    replaces) as the index stores it; ``None`` means the index was just created empty. A
    state file that cannot be read is replaced (or, when that cannot be done either, kept in
    memory for this pass), and one that is older than the index is refilled, from
    ``index_files()``, with one warning line."""
    try:
        state = IngestState(index_dir)
    except (sqlite3.Error, OSError) as error:  # OSError: made private before SQLite opens it
        state, problem = _fresh_state(index_dir, f"cannot be read ({error})")
    else:
        try:
            state.check()
            if index_files is None or state.generation() == generation:
                if index_files is None:
                    state.clear(generation)
                return state
            problem = (
                "is older than the index (the pass that wrote the index could not save it, or another state wrote it since)"
                if state.generation() is not None else "is new (a new machine, or a new index.path)"
            )
        except sqlite3.Error as error:
            state.close()
            state, problem = _fresh_state(index_dir, f"cannot be read ({error})")
    logger.warning("{}: the ingest state {}; rebuilt from the index", state.path, problem)
    state.replace_files(index_files() if index_files else (), generation, prefix)
    return state


def indexed_files(index_dir: Path, settings: Config | None = None, prefix: str = "") -> list[FileState]:
    """Every file of the index whose id starts with ``prefix`` (``ingest.id_prefix``) as a
    :class:`FileState` (its ``ctime_ns`` is not stored: 0). The documents ``<id>#1``,
    ``<id>#2``, … of a file that holds several (their stored path is the file's, ending in
    ``<id>`` less the prefix) are one file of that many parts."""
    from index import open_index

    with open_index(index_dir, config=settings) as ix:
        docs = list(ix.stamps(prefix))
    files: dict[str, FileState] = {}
    for doc in docs:
        file_id, _, part = doc.id.rpartition("#")
        if file_id and part.isdigit() and doc.path.endswith(file_id[len(prefix):].replace("/", os.sep)):
            known = files.get(file_id)
            parts = max(int(part), known.parts if known else 0)
            files[file_id] = FileState(file_id, doc.size, doc.mtime_ns, 0, doc.sha256, parts)
        else:
            files[doc.id] = FileState(doc.id, doc.size, doc.mtime_ns, 0, doc.sha256)
    return list(files.values())


def _fresh_state(index_dir: Path, problem: str) -> tuple[IngestState, str]:
    """An empty state in place of an unusable file, or in memory when it cannot be replaced;
    and ``problem``, completed for the warning."""
    path = index_dir / STATE_FILE
    try:
        for name in (path, Path(f"{path}-journal"), Path(f"{path}-wal"), Path(f"{path}-shm")):
            name.unlink(missing_ok=True)
        return IngestState(index_dir), problem
    except (OSError, sqlite3.Error) as error:
        return IngestState(index_dir, ":memory:"), f"{problem} and cannot be replaced ({error}): kept in memory for this pass"
