"""A segment's terms with the look-ups remembered: the same answers as Whoosh's own reader."""

from __future__ import annotations

from pathlib import Path

from index import open_index
from index.search.scoring import NorwegianBM25
from index.whoosh.storage import open_existing
from index.whoosh.terminfos import RememberedTerms, remember_terms

from .conftest import write_index
from .test_search import DOCS

TERMS = [("text", "ukrain"), ("title", "fred"), ("text", "samtal"), ("text", "finnesikke"), ("text", "fred")]


def _answers(reader):
    answers = []
    for field, term in TERMS:
        held = (field, term) in reader
        postings = list(reader.postings(field, term).all_ids()) if held else None
        answers.append((held, reader.doc_frequency(field, term), reader.frequency(field, term), postings))
    return answers


def test_remembered_terms_answer_as_the_reader_does(tmp_path: Path):
    path = write_index(tmp_path / "index", DOCS[:2])
    write_index(path, DOCS[2:])  # two segments
    with open_existing(path).searcher(weighting=NorwegianBM25()) as searcher:
        reader = searcher.reader()
        expected = _answers(reader)
        assert any(a[0] for a in expected) and not all(a[0] for a in expected)
        remember_terms(reader)
        segments = [segment for segment, _ in reader.leaf_readers()]
        assert len(segments) == 2 and all(isinstance(s._terms, RememberedTerms) for s in segments)
        assert _answers(reader) == expected
        assert _answers(reader) == expected  # from what was remembered
        assert all(s._terms._infos for s in segments)


def test_searches_use_remembered_terms(tmp_path: Path):
    path = write_index(tmp_path / "index", DOCS)
    with open_index(path) as ix:
        hits = [(h.id, h.score) for h in ix.search("fred Ukraina")]
        segment = next(s for s, _ in ix._searcher().reader().leaf_readers())
        assert isinstance(segment._terms, RememberedTerms) and segment._terms._infos
        assert [(h.id, h.score) for h in ix.search("fred Ukraina")] == hits and hits
