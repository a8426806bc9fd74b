"""``ingest status``: how many documents the index holds and what the last pass did."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from index import open_index

from .state import IngestState


def index_status(index_dir: str | Path) -> dict:
    """Documents in the index and the last pass's report (with ``started_at`` in ISO 8601).
    Raises :class:`index.IndexNotFoundError` before the first pass."""
    index_dir = Path(index_dir)
    with open_index(index_dir) as ix:
        documents = ix.count()
    state = IngestState(index_dir)
    try:
        last = state.last_pass()
    finally:
        state.close()
    if last:
        last["started_at"] = datetime.fromtimestamp(last["started"], timezone.utc).isoformat(timespec="seconds")
    return {"index": str(index_dir), "documents": documents, "last_pass": last}
