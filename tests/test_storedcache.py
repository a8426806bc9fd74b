"""The stored fields of recently read documents, kept per searcher: the same fields, bounded."""

from __future__ import annotations

from pathlib import Path

import pytest

from index import open_index
from index.search.scoring import NorwegianBM25
from index.whoosh.storage import open_existing
from index.whoosh.storedcache import StoredFields

from .conftest import write_index
from .test_search import DOCS


@pytest.fixture
def index_dir(tmp_path: Path) -> Path:
    return write_index(tmp_path / "index", DOCS)


def test_the_kept_fields_are_what_the_searcher_reads_and_stay_within_capacity(index_dir):
    with open_existing(index_dir).searcher(weighting=NorwegianBM25()) as searcher:
        docnums = list(searcher.reader().all_doc_ids())
        sizes = {d: len(searcher.stored_fields(d)["text"]) + 1 for d in docnums}
        capacity = sum(sorted(sizes.values())[-2:])  # room for the two longest texts
        kept = StoredFields(searcher, capacity)
        for _ in range(2):
            for docnum in docnums:
                assert kept.get(docnum) == searcher.stored_fields(docnum)
                assert kept._chars == sum(sizes[d] for d in kept._kept) <= capacity
        assert list(kept._kept)[-1] == docnums[-1]  # the last read stays
        none = StoredFields(searcher, 0)
        assert none.get(docnums[0]) == searcher.stored_fields(docnums[0]) and not none._kept


def test_searches_give_the_same_hits_with_the_fields_read_or_kept(index_dir):
    queries = ["fred Ukraina", "Hvem har møtt russere?", "samtaler", "roman"]
    with open_index(index_dir) as ix:
        first = [[(h.id, h.score, h.title, h.snippet.html()) for h in ix.search(q)] for q in queries]
        assert ix._local.stored._kept  # read, and kept
        again = [[(h.id, h.score, h.title, h.snippet.html()) for h in ix.search(q)] for q in queries]
    assert first == again and any(first)
