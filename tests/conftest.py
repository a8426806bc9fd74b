"""Shared fixtures: a real index in a temporary folder, and the optional shared data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "seeds" / "000_efd879e50143b4c9.txt"
SHARED_DATA = ROOT.parent / "shared" / "data"


def shared_data(name: str) -> Path:
    """A folder of ../shared/data, or skip the test with the reason when it is absent."""
    folder = SHARED_DATA / name
    if not folder.is_dir():
        pytest.skip(f"{folder} is absent: the shared Norwegian data only exists beside CI and dev checkouts")
    return folder


def write_index(path: Path, docs) -> Path:
    """An index at ``path`` holding ``docs`` (index.Document records), in one commit."""
    from index import IndexWriter

    with IndexWriter(path) as writer:
        for doc in docs:
            writer.upsert(doc)
    return path


@pytest.fixture
def sample_folder(tmp_path: Path) -> Path:
    """A source folder holding the sample document."""
    source = tmp_path / "source"
    source.mkdir()
    shutil.copy(SAMPLE, source / SAMPLE.name)
    return source
