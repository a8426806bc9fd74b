"""What an index folder says about itself and the ingest that keeps it: documents, the last
pass, the next pass of a running ``ingest run``.

``ingest`` records its passes in ``ingest-state.sqlite`` in the index folder
(:mod:`ingest.state` writes it); reading that record lives here, read-only, so that
``ingest status`` and the web server's ``/api/status`` say the same without ``index``
importing ``ingest``.
"""

from __future__ import annotations

import json
import os
import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .backend import SearchIndex
    from .config import Config

STATE_FILE = "ingest-state.sqlite"


def index_status(index_dir: str | Path, config: Config | None = None) -> dict:
    """Documents in the index, the last pass's report (with ``started_at`` in ISO 8601) and
    the next scheduled pass of a running ``ingest run`` (``None`` if none runs).
    Raises :class:`index.IndexNotFoundError` before the first pass."""
    from .whoosh.searcher import open_index  # the searching half loads on use: ingest's state module imports this one

    with open_index(index_dir, config=config) as ix:  # first: raises before the first pass
        return status_of(ix, Path(index_dir))


def status_of(ix: SearchIndex, index_dir: Path) -> dict:
    """:func:`index_status` of an index that is already open (``index_dir``: its ``index.path``,
    where ingest keeps its state, whatever the backend)."""
    last, scheduled = _recorded(index_dir)  # before the count, so a commit in between cannot make them disagree
    documents = ix.count()
    if last:
        last["started_at"] = _iso(last["started"])
    next_pass = None
    if scheduled and scheduled[0] and _alive(scheduled[1]):
        next_pass = {"at": _iso(scheduled[0]), "pid": scheduled[1]}
    return {"index": str(index_dir), "documents": documents, "last_pass": last, "next_pass": next_pass}


def _recorded(index_dir: Path) -> tuple[dict | None, tuple[float | None, int] | None]:
    """The last pass's report and ``(next pass time, pid)`` as ingest recorded them; ``None``
    for what was never recorded (an index written without ``ingest``)."""
    path = index_dir / STATE_FILE
    if not path.exists():
        return None, None
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)  # never creates or writes
    except sqlite3.Error as error:
        return _unreadable(path, error)
    try:
        report = db.execute("SELECT report FROM passes").fetchone()
        scheduled = db.execute("SELECT next_run, pid FROM schedule").fetchone()
    except sqlite3.OperationalError as error:
        if "no such table" in str(error):  # tables not created yet
            return None, None
        return _unreadable(path, error)
    except sqlite3.Error as error:  # damaged: "database disk image is malformed", "file is not a database"
        return _unreadable(path, error)
    finally:
        db.close()
    return (json.loads(report[0]) if report else None), scheduled


def _unreadable(path: Path, error: sqlite3.Error) -> tuple[None, None]:
    """Nothing recorded can be read: say so in one line; the next ingest pass rebuilds the state."""
    from loguru import logger

    logger.warning("{}: cannot read the ingest state ({}); the next pass rebuilds it", path, error)
    return None, None


def _iso(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, timezone.utc).isoformat(timespec="seconds")


def _alive(pid: int) -> bool:
    """Whether the ``ingest run`` that noted the schedule is still running."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
