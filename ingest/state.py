"""What the last pass saw of each file, so the next one can tell what changed.

Kept in ``ingest-state.sqlite`` inside the index folder and written *after* the index
commit. A crash between the two leaves the state older than the index; the next pass then
sees those files as changed and upserts them again by id, which is harmless. The reverse
(state claiming work the index lacks) cannot happen.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from index.permissions import create_like_folder
from index.status import STATE_FILE  # read back, read-only, by index.status

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
"""


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
    """The state store of one index folder."""

    def __init__(self, index_dir: Path):
        if index_dir.is_dir():  # private as the index (its journal files take its mode)
            create_like_folder(index_dir / STATE_FILE)
        self._db = sqlite3.connect(index_dir / STATE_FILE)
        self._db.executescript(_SCHEMA)
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(files)")}
        if "parts" not in columns:  # a state written before files could hold several documents
            with self._db:
                self._db.execute("ALTER TABLE files ADD COLUMN parts INTEGER NOT NULL DEFAULT 0")

    def files(self) -> dict[str, FileState]:
        """Every file of the last pass, by id."""
        rows = self._db.execute("SELECT id, size, mtime_ns, ctime_ns, sha256, parts FROM files")
        return {row[0]: FileState(*row) for row in rows}

    def save_files(self, changed: Iterable[FileState], removed: Iterable[str] = ()) -> None:
        """Record files as the index now holds them, in one transaction; call after the commit."""
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO files (id, size, mtime_ns, ctime_ns, sha256, parts) VALUES (?, ?, ?, ?, ?, ?)",
                [(f.id, f.size, f.mtime_ns, f.ctime_ns, f.sha256, f.parts) for f in changed],
            )
            self._db.executemany("DELETE FROM files WHERE id = ?", [(doc_id,) for doc_id in removed])

    def record_pass(self, started: float, report: dict) -> None:
        """Keep the report of the pass that just ended (only the last one is kept)."""
        with self._db:
            self._db.execute("DELETE FROM passes")
            self._db.execute("INSERT INTO passes VALUES (?, ?)", (started, json.dumps(report)))

    def record_schedule(self, next_run: float | None) -> None:
        """Note when this process's ``ingest run`` will make its next pass."""
        with self._db:
            self._db.execute("DELETE FROM schedule")
            self._db.execute("INSERT INTO schedule VALUES (?, ?)", (next_run, os.getpid()))

    def clear(self) -> None:
        """Forget everything: the index was (re)created empty."""
        with self._db:
            self._db.execute("DELETE FROM files")
            self._db.execute("DELETE FROM passes")

    def close(self) -> None:
        self._db.close()
