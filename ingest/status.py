"""``ingest status``: how many documents the index holds and what the last pass did."""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

from index import open_index
from index.config import Config

from .state import IngestState


def index_status(index_dir: str | Path, config: Config | None = None) -> dict:
    """Documents in the index, the last pass's report (with ``started_at`` in ISO 8601) and
    the next scheduled pass of a running ``ingest run`` (``None`` if none runs).
    Raises :class:`index.IndexNotFoundError` before the first pass."""
    index_dir = Path(index_dir)
    with open_index(index_dir, config=config) as ix:  # first: raises before the first pass
        state = IngestState(index_dir)
        try:  # the report before the count, so a commit in between cannot make them disagree
            last = state.last_pass()
            scheduled = state.next_run()
        finally:
            state.close()
        documents = ix.count()
    if last:
        last["started_at"] = _iso(last["started"])
    next_pass = None
    if scheduled and scheduled[0] and _alive(scheduled[1]):
        next_pass = {"at": _iso(scheduled[0]), "pid": scheduled[1]}
    return {"index": str(index_dir), "documents": documents, "last_pass": last, "next_pass": next_pass}


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
