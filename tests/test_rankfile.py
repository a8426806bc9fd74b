"""Each segment's rank files hold exactly the W3 postings of title and text; ranking reads them,
falls back to Whoosh's blocks without them, and a damaged one is reported as damage."""

from __future__ import annotations

import os
import struct
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index import Document, IndexWriter, open_index
from index.errors import IndexCorruptError
from index.search import arrayscore
from index.search.arrayscore import W3Postings, _w3_postings
from index.whoosh.rankfile import MIN_POSTINGS, DamagedRankFile, RankPostings, encode_record, rank_file
from index.whoosh.textfield import _encoded
from index.whoosh.storage import open_existing

from .test_postings import sample_documents

@pytest.fixture
def index_path(tmp_path: Path) -> Path:
    """Two segments of the sample document and documents of its words, and a deleted document."""
    path = tmp_path / "index"
    docs = sample_documents(300)
    with IndexWriter(path) as writer:
        for doc in docs[:200]:
            writer.upsert(doc)
    with IndexWriter(path) as writer:
        for doc in docs[200:]:
            writer.upsert(doc)
        writer.upsert(Document(id="doc7", path="/doc7", title="Samtalene om fred", text="Samtalene om fred i Tromsø."))
    return path


def _w3(reader, field: str, term: bytes) -> W3Postings:
    return _w3_postings(reader.postings(field, term), reader.schema[field].format)


def test_every_term_of_title_and_text_as_whoosh_holds_it(index_path: Path):
    ix = open_existing(index_path)
    checked = 0
    with ix.reader() as multi:
        segments = [segment for segment, _offset in multi.leaf_readers()]
        assert len(segments) == 2 and any(segment.has_deletions() for segment in segments)
        for segment in segments:
            for field in ("title", "text"):
                ranks = rank_file(segment, field)
                assert ranks is not None
                for term in segment.lexicon(field):
                    info = segment.term_info(field, term)
                    found = ranks.postings(info.extent()[0])
                    if info.doc_frequency() < MIN_POSTINGS:
                        assert found is None
                        continue
                    expected = _w3(segment, field, term)
                    assert found.ids.tolist() == expected.ids.tolist(), term
                    assert found.weights.tolist() == expected.weights.tolist(), term
                    assert [found.positions(i) for i in range(len(found.ids))] == [
                        expected.positions(i) for i in range(len(expected.ids))
                    ], term
                    checked += 1
            assert rank_file(segment, "date") is None  # only the fields ranking reads
    assert checked > 400


def test_ranking_from_whooshs_blocks_is_the_same(index_path: Path, monkeypatch):
    """A segment without rank files (or a term in one document) is ranked from the W3 postings,
    with the same hits, scores and snippets."""
    queries = ["samtalene om fred", "Hvem har møtt russere i Øst-Europa?", "tromsø", "hemmelige samtaler"]
    with open_index(index_path) as ix:
        expected = [[(hit.id, hit.score, hit.snippet.plain()) for hit in ix.search(q)] for q in queries]
    monkeypatch.setattr(arrayscore, "rank_file", lambda reader, field: None)
    with open_index(index_path) as ix:
        assert [[(hit.id, hit.score, hit.snippet.plain()) for hit in ix.search(q)] for q in queries] == expected


def test_a_damaged_rank_file_is_reported_as_damage(index_path: Path):
    biggest = max(index_path.glob("MAIN_*.text.ranks"), key=lambda file: file.stat().st_size)
    data = bytearray(biggest.read_bytes())
    count, table_start, _magic = struct.unpack("<QQ8s", data[-24:])
    first_record = int.from_bytes(data[table_start + 8 * count : table_start + 8 * count + 8], "little")
    data[first_record + 4] = 3  # an id width that does not exist
    biggest.write_bytes(bytes(data))
    with pytest.raises(IndexCorruptError, match=rf"{biggest.name} does not match its checksum"):
        with open_index(index_path) as ix:
            ix.search("fred")


def test_records_that_do_not_add_up_are_refused():
    record = encode_record([3, 9], [2.0, 1.0], [_encoded([1, 5]), _encoded([7])])
    RankPostings(record)
    for bad in (record[:5], record[:-1], record + b"\0", record[:4] + b"\3" + record[5:], record[:7] + b"\7" + record[8:]):
        with pytest.raises(DamagedRankFile):
            RankPostings(bad)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(1, 70_000),  # gap to the document number
            st.lists(st.integers(0, 70_000), min_size=1, max_size=6, unique=True).map(sorted),
        ),
        min_size=MIN_POSTINGS,
        max_size=40,
    ),
    st.sampled_from([1.0, 1.0, 0.5, 2.5]),
)
def test_records_give_back_ids_weights_and_positions(postings, boost):
    ids = np.cumsum([gap for gap, _ in postings]).tolist()
    positions = [doc for _, doc in postings]
    weights = [len(doc) * boost for doc in positions]
    record = RankPostings(encode_record(ids, weights, [_encoded(doc) for doc in positions]))
    assert record.ids.tolist() == ids
    assert record.weights.tolist() == weights
    assert [record.positions(i) for i in range(len(ids))] == positions



def _open_rank_files() -> list[str]:
    fds = Path("/proc/self/fd")
    found = []
    for fd in fds.iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.endswith(".ranks"):
            found.append(target)
    return found


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc/self/fd (Linux) to list open files")
def test_rank_files_are_open_while_the_index_is_and_closed_with_it(index_path: Path):
    before = _open_rank_files()
    ix = open_index(index_path)
    ix.search("fred")
    assert len(_open_rank_files()) == len(before) + 4  # two segments, title and text
    with IndexWriter(index_path) as writer:  # a commit: the next search moves to a new searcher
        writer.upsert(Document(id="ny", path="/ny", title="Fred", text="Fred i Tromsø."))
    ix.search("fred")
    with open_existing(index_path).reader() as reader:
        segments = len(reader.leaf_readers())
    assert len(_open_rank_files()) == len(before) + 2 * segments  # the old searcher's are closed
    ix.close()
    assert _open_rank_files() == before


def test_a_segment_whose_rank_files_are_gone_is_ranked_from_whooshs_blocks(index_path: Path, monkeypatch):
    """A merge may remove a segment's files between a search's reading the table of contents
    and its opening them: the search goes on with the W3 postings it already holds open."""
    from index.whoosh import rankfile

    with open_index(index_path) as ix:
        expected = [(hit.id, hit.score) for hit in ix.search("samtalene om fred")]
    def gone(path):
        raise FileNotFoundError(path)

    monkeypatch.setattr(rankfile, "RankFile", gone)
    with open_index(index_path) as ix:
        assert [(hit.id, hit.score) for hit in ix.search("samtalene om fred")] == expected
