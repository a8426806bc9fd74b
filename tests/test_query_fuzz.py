"""No query can crash a search: any text gives results or a QueryError, quickly."""

from __future__ import annotations

import os
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index import Document, IndexWriter, QueryError, open_index

SYNTAX = list('"():~*?^[]{}-+!/\\\'') + ["AND", "OR", "NOT", "TO", "title:", "text:", "date:", "2023-07"]
WORDS = ["fred", "Ukraina", "samtaler", "hemmelige", "blåbær", "Tromsø", "ÆØÅ", "og", "i", "hvem"]
QUERY_PARTS = st.one_of(
    st.sampled_from(SYNTAX),
    st.sampled_from(WORDS),
    st.text(min_size=1, max_size=12),
    st.characters(codec="utf-8"),
)
queries = st.lists(QUERY_PARTS, min_size=0, max_size=12).map(lambda parts: " ".join(parts)) | st.text(max_size=60)


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    path = tmp_path_factory.mktemp("fuzz") / "index"
    with IndexWriter(path) as writer:
        writer.upsert(Document("a.txt", "/a.txt", "Fred", "Hemmelige samtaler om fred i Ukraina.", "2023-07"))
        writer.upsert(Document("b.txt", "/b.txt", "Bær", "Blåbær og multer fra Tromsø.", "2019"))
    with open_index(path) as ix:
        yield ix


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "300")), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=queries, explain=st.booleans())
def test_any_query_gives_results_or_a_query_error(index, text, explain):
    start = time.perf_counter()
    try:
        results = index.search(text, explain=explain)
    except QueryError as error:
        assert str(error)
    else:
        assert results.total >= len(results)
        for hit in results:
            hit.snippet.html()
            if explain:  # whatever the query, its parts add up to the score
                assert abs(hit.explain.total - hit.score) < 1e-6, (text, hit.explain)
                hit.explain.text(), hit.explain.json()
    assert time.perf_counter() - start < 2.0


@pytest.mark.parametrize(
    "text",
    ['"unbalanced', "(a b", "a)", ":", "title:", "~", "*", "*a", "a~9", "\x00\x01\x1b", "ord " * 2500, "date:[2020 TO"],
)
def test_known_nasty_queries(index, text):
    try:
        index.search(text)
    except QueryError:
        pass
