"""A damaged index is never searched as if empty: search says so, ingest rebuilds it."""

from __future__ import annotations

from pathlib import Path

import pytest

from index import IndexCorruptError, open_index
from ingest import ingest_folder

from .test_pipeline import write


def _largest_segment(index: Path) -> Path:
    """The largest file of any segment (postings, terms, stored fields, columns: Whoosh writes them apart)."""
    return max(index.glob("MAIN_*.*"), key=lambda p: p.stat().st_size)


DAMAGE = {
    "missing table of contents": lambda index: next(index.glob("_MAIN_*.toc")).unlink(),
    "garbage table of contents": lambda index: next(index.glob("_MAIN_*.toc")).write_bytes(b"garbage" * 3),
    "truncated segment": lambda index: _largest_segment(index).write_bytes(_largest_segment(index).read_bytes()[:10]),
    "missing segment": lambda index: _largest_segment(index).unlink(),
}


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_damage_is_reported_by_search_and_repaired_by_ingest(sample_folder, tmp_path, damage):
    index = tmp_path / "index"
    write(sample_folder, "to.txt", "Dato: 1. februar 2019\nEn tekst om Lofoten.")
    ingest_folder(sample_folder, index)
    damage(index)

    with pytest.raises(IndexCorruptError, match="damaged.*ingest once"):
        open_index(index)

    report = ingest_folder(sample_folder, index)
    assert report.rebuilt and "damaged" in report.rebuilt
    assert report.added == 2 and report.documents == 2
    with open_index(index) as ix:
        assert [hit.id for hit in ix.search("Lofoten")] == ["to.txt"]
    assert ingest_folder(sample_folder, index).rebuilt is None


def test_an_old_schema_version_is_rebuilt(sample_folder, tmp_path):
    index = tmp_path / "index"
    ingest_folder(sample_folder, index)
    (index / "norsearch.json").write_text('{"schema_version": 0}')
    report = ingest_folder(sample_folder, index)
    assert "schema version 0" in report.rebuilt and report.added == 1
