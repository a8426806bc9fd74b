"""The ingest state (``ingest-state.sqlite``) beside the index: written under the write lock,
and never a reason for a pass or ``ingest status`` to fail (issue 16)."""

from __future__ import annotations

import pytest

from index.errors import IndexLockedError
from index.lock import WriteLock
from ingest import ingest_folder
from ingest.state import IngestState

from .test_pipeline import write


def test_the_lock_is_held_until_the_state_is_saved(sample_folder, tmp_path, monkeypatch):
    """A second writer that got the lock between the commit and the state saw a stale state
    and re-indexed everything."""
    index = tmp_path / "index"
    write(sample_folder, "ferje.txt", "Ferja til Hareid går igjen fra mandag.")
    held_while_saving = []
    save_files = IngestState.save_files

    def save_and_probe(self, *args, **kwargs):
        try:  # another writer (an flock on another open file, even in this process) must wait
            WriteLock(index, timeout=0).release()
            held_while_saving.append(False)
        except IndexLockedError:
            held_while_saving.append(True)
        return save_files(self, *args, **kwargs)

    monkeypatch.setattr(IngestState, "save_files", save_and_probe)
    ingest_folder(sample_folder, index)
    assert held_while_saving == [True]
    WriteLock(index, timeout=0).release()  # and released after the pass
