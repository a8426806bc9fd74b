"""The ingest state (``ingest-state.sqlite``) beside the index: written under the write lock,
and never a reason for a pass or ``ingest status`` to fail (issue 16)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index.errors import IndexLockedError
from index.lock import WriteLock
from ingest import ingest_folder
from ingest.state import STATE_FILE, IngestState

from .smalldisk import fill, small_disk
from .test_cli import ingest, no_traceback
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
    assert held_while_saving and all(held_while_saving)
    WriteLock(index, timeout=0).release()  # and released after the pass


def _malform(path: Path) -> None:
    """Overwrite the middle pages of a SQLite file: ``database disk image is malformed``."""
    data = bytearray(path.read_bytes())
    data[4096 : len(data) - 4096] = b"\xa5" * (len(data) - 8192)
    path.write_bytes(bytes(data))


def _many(folder: Path, n: int = 60) -> None:
    for i in range(n):
        write(folder, f"saker/sak{i:03d}.txt", f"Sak {i} om ferjene i Hardanger og bompengene i Bergen. " * 20)


DAMAGE = {
    "malformed": lambda path: _malform(path),
    "not a database": lambda path: path.write_bytes(b"ikke en database" * 100),
    "unreadable": lambda path: (path.unlink(), path.mkdir()),  # a folder in its place: root cannot open it either
    "empty": lambda path: path.write_bytes(b""),
}


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_a_damaged_state_is_rebuilt_from_the_index(sample_folder, tmp_path, damage):
    index = tmp_path / "indeks"
    _many(sample_folder)
    ingest_folder(sample_folder, index)
    damage(index / STATE_FILE)

    result = ingest(tmp_path, "once", "--json", "--source", sample_folder, "--index", index)
    no_traceback(result)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["added"], report["updated"], report["unchanged"]) == (0, 0, 61)  # nothing read again
    if damage is not DAMAGE["empty"]:  # (an empty file is a valid empty database: only older than the index)
        assert len(result.stderr.splitlines()) == 1 and "ingest state" in result.stderr, result.stderr

    status = ingest(tmp_path, "status", "--json", "--index", index)
    no_traceback(status)
    assert status.returncode == 0, status.stderr
    assert json.loads(status.stdout)["documents"] == 61


def test_status_reports_a_damaged_state_in_one_line(sample_folder, tmp_path):
    index = tmp_path / "indeks"
    ingest_folder(sample_folder, index)
    _malform_whole(index / STATE_FILE)
    status = ingest(tmp_path, "status", "--index", index)
    no_traceback(status)
    assert status.returncode == 0 and "documents: 1" in status.stdout
    assert len(status.stderr.splitlines()) == 1 and "ingest state" in status.stderr


def _malform_whole(path: Path) -> None:
    path.write_bytes(b"SQLite format 3\x00" + b"\xa5" * 8000)


def test_a_state_the_disk_was_too_full_to_save_is_rebuilt(sample_folder, tmp_path, monkeypatch):
    """The index commit fits, the state does not: the next pass must not add again what it had."""
    with small_disk(tmp_path / "disk") as disk:
        index = disk / "indeks"
        ingest_folder(sample_folder, index)
        _many(sample_folder)
        save_files = IngestState.save_files
        fillers = []

        def fill_then_save(self, *args, **kwargs):
            fillers.append(fill(disk))
            return save_files(self, *args, **kwargs)

        monkeypatch.setattr(IngestState, "save_files", fill_then_save)
        report = ingest_folder(sample_folder, index)  # warns, does not fail
        assert (report.added, report.documents) == (60, 61)
        monkeypatch.undo()
        for filler in fillers:
            filler.unlink()
        again = ingest_folder(sample_folder, index)
        assert (again.added, again.updated, again.unchanged, again.documents) == (0, 0, 61, 61)
