"""Array scoring gives the matcher path's ranking, scores and totals, on real Norwegian text."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh import query

from index import Document, IndexWriter
from index.search.arrayscore import ArrayScorer, plain_words
from index.search.query import build_parser, parse_query
from index.search.scoring import NorwegianBM25
from index.whoosh.searcher import date_filter, rank_with_matchers
from index.whoosh.storage import open_existing

from .conftest import SAMPLE, shared_data
from .test_search import DOCS

QUERIES = [
    "fred Ukraina",
    "samtaler",
    "Hvor ble fredsavtalen underskrevet?",
    "Hvem har møtt russere?",
    "roman nynorsk Tromsø familie",
    "hemmelige samtaler om Ukraina og fred",
    "title:fred",
    "ordsomikkefinnes ukraina",
    "Hvem har møtt russere i Øst-Europa?",
    "fred-ukraina samtaler",
]


def _matcher_path(searcher, q, limit, within=None):
    ranked = rank_with_matchers(searcher, q, limit, within)
    assert ranked.total == len(list(q.docs(searcher)) if within is None else set(q.docs(searcher)) & set(within.docs(searcher)))
    return ranked.total, list(ranked.docnums), list(ranked.scores)


def _array_path(searcher, q, limit, within=None):
    allowed = set(within.docs(searcher)) if within is not None else None
    ranked = ArrayScorer().rank(searcher, plain_words(q), limit, allowed)
    return ranked.total, list(ranked.docnums), list(ranked.scores)


def assert_same(searcher, parser, text, limit=10, within=None):
    q = parse_query(parser, text)
    assert plain_words(q) is not None, text
    total, docnums, scores = _array_path(searcher, q, limit, within)
    expected_total, expected_docnums, expected_scores = _matcher_path(searcher, q, limit, within)
    assert (total, docnums) == (expected_total, expected_docnums), text
    assert scores == pytest.approx(expected_scores, rel=1e-12), text


@pytest.fixture
def small_index(tmp_path: Path) -> Path:
    """Three segments and a deleted document: the sample, the test documents, a rewrite."""
    path = tmp_path / "index"
    sample = SAMPLE.read_text(encoding="utf-8")
    with IndexWriter(path) as writer:
        writer.upsert(Document(id="sample.txt", path=str(SAMPLE), title=sample.splitlines()[1], text=sample))
    with IndexWriter(path) as writer:
        for doc in DOCS:
            writer.upsert(doc)
    with IndexWriter(path) as writer:
        writer.upsert(Document(id="kultur/bok.txt", path="/b", title="Ny roman", text="Romanen om fred i Tromsø."))
    return path


def test_plain_words_are_recognised_and_the_rest_is_not():
    parser = build_parser(open_schema(), 0.5)
    assert plain_words(parse_query(parser, "Hvem er talsperson for RSL?")) == [
        (("title", "talsperson", 0.5), ("text", "talsperson", 1.0)),
        (("title", "rsl", 0.5), ("text", "rsl", 1.0)),
    ]
    assert plain_words(parse_query(parser, "text:ukraina")) == [(("text", "ukrain", 1.0),)]
    assert plain_words(parse_query(parser, "Øst-Europa")) == [  # a hyphenated word: its parts, OR-ed
        (("title", "øst", 0.5), ("title", "europ", 0.5), ("text", "øst", 1.0), ("text", "europ", 1.0))
    ]
    for text in ('"hemmelige samtaler"', "nato*", "Zelenskyj~", "ukraina NOT fred", "ukraina^2 fred", "(fred ukraina)^3"):
        assert plain_words(parse_query(parser, text)) is None, text


def open_schema():
    from index.whoosh.schema import build_schema

    return build_schema()


def test_same_as_matchers_across_segments_and_deletions(small_index):
    ix = open_existing(small_index)
    with ix.searcher(weighting=NorwegianBM25()) as searcher:
        assert len(searcher.reader().leaf_readers()) > 1 or searcher.reader().has_deletions()
        parser = build_parser(ix.schema, 0.5)
        for text in QUERIES:
            assert_same(searcher, parser, text)
            assert_same(searcher, parser, text, limit=1)


def test_same_as_matchers_within_dates(small_index):
    ix = open_existing(small_index)
    with ix.searcher(weighting=NorwegianBM25()) as searcher:
        parser = build_parser(ix.schema, 0.5)
        for since, until in [("2021", None), (None, "2022-12"), ("2023-07-14", "2023-07-14")]:
            for text in QUERIES:
                assert_same(searcher, parser, text, within=date_filter(since, until))


@pytest.fixture(scope="module")
def norquad_index(tmp_path_factory) -> tuple[Path, list[str]]:
    """The 755 NorQuAD passages, written by two writer processes (several segments)."""
    corpus = shared_data("norquad_retrieval") / "corpus.jsonl"
    path = tmp_path_factory.mktemp("norquad") / "index"
    words: set[str] = set()
    with IndexWriter(path, processes=2) as writer, corpus.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            writer.upsert(Document(id=record["id"], path=record["id"], title=record["title"], text=record["text"]))
            words.update(record["text"].split()[:40])
    return path, sorted(w.strip(".,:;!?«»()\"'") for w in words if len(w) > 2 and w.isalpha())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_same_as_matchers_on_norquad(norquad_index, data):
    path, vocabulary = norquad_index
    words = data.draw(st.lists(st.sampled_from(vocabulary), min_size=1, max_size=8))
    if len(words) > 2 and data.draw(st.booleans()):  # a hyphenated word
        words[:2] = ["-".join(words[:2])]
    text = " ".join(words)
    ix = open_existing(path)
    with ix.searcher(weighting=NorwegianBM25()) as searcher:
        q = parse_query(build_parser(ix.schema, 0.5), text)
        if q is query.NullQuery or plain_words(q) is None:  # all stop words
            return
        assert_same(searcher, build_parser(ix.schema, 0.5), text)


def test_matcher_path_totals_are_exact(small_index):
    """Queries that need matchers: the total counts every match, with and without dates."""
    ix = open_existing(small_index)
    with ix.searcher(weighting=NorwegianBM25()) as searcher:
        parser = build_parser(ix.schema, 0.5)
        for text in ('"hemmelige samtaler"', "fred*", "Ukrain~1 fred", "ukraina NOT fred", "ukraina^2 fred"):
            q = parse_query(parser, text)
            for within in (None, date_filter("2021", None)):
                for limit in (1, 10):
                    _matcher_path(searcher, q, limit, within)
