"""Pagination (``offset``) and facet counts over all matches in ``Index.search``."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index import Document, IndexWriter, QueryError, open_index

from .conftest import write_index

_TOPICS = ["Skatten på eiendom øker", "Kommunen varsler ny skatt", "Fylket kutter skatten for bønder"]


def _docs() -> list[Document]:
    """30 documents about tax over three years and both written standards, some undated."""
    docs = []
    for n in range(30):
        docs.append(
            Document(
                id=f"skatt/{n:02}.txt",
                path=f"/data/skatt/{n:02}.txt",
                title=f"{_TOPICS[n % 3]} ({n})",
                text=f"{_TOPICS[n % 3]}. Sak nummer {n} om eigedomsskatt og skatt i kommunen."
                + (" Ukraina nevnes også." if n % 5 == 0 else ""),
                date=None if n % 10 == 9 else f"{2019 + n % 3}-0{1 + n % 9}",
                language="nn" if n % 4 == 0 else "nb",
            )
        )
    return docs


DOCS = _docs()


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory) -> Path:
    return write_index(tmp_path_factory.mktemp("facets") / "index", DOCS)


def _expected(docs, since_year: int | None = None) -> dict:
    chosen = [d for d in docs if since_year is None or (d.date and int(d.date[:4]) >= since_year)]
    years: dict[str, int] = {}
    languages: dict[str, int] = {}
    for doc in chosen:
        if doc.date:
            years[doc.date[:4]] = years.get(doc.date[:4], 0) + 1
        languages[doc.language] = languages.get(doc.language, 0) + 1
    return {"year": years, "language": languages}


@pytest.mark.parametrize("query", ["skatt", "skatt*", '"skatt i kommunen"'])  # arrays, then Whoosh's matchers
def test_facets_count_every_match_not_only_the_page(index_dir, query):
    with open_index(index_dir) as ix:
        results = ix.search(query, limit=3)
    assert results.total == 30 and len(results) == 3
    assert results.facets == _expected(DOCS)
    assert list(results.facets["year"]) == ["2021", "2020", "2019"]  # newest first
    assert list(results.facets["language"]) == ["nb", "nn"]  # most frequent first


@pytest.mark.parametrize("query", ["skatt", '"skatt i kommunen"'])
def test_facets_follow_the_date_filter(index_dir, query):
    with open_index(index_dir) as ix:
        results = ix.search(query, since="2020")
    assert results.facets == _expected(DOCS, since_year=2020)
    assert sum(results.facets["language"].values()) == results.total


def test_facets_of_a_narrow_query_and_of_no_match(index_dir):
    with open_index(index_dir) as ix:
        ukraina = ix.search("Ukraina")
        nothing = ix.search("sjokoladefabrikk")
    assert ukraina.total == 6
    assert ukraina.facets == _expected([d for d in DOCS if "Ukraina" in d.text])
    assert nothing.total == 0 and nothing.facets == {"year": {}, "language": {}}


def test_hits_carry_their_language(index_dir):
    with open_index(index_dir) as ix:
        results = ix.search("skatt", limit=30)
    by_id = {doc.id: doc.language for doc in DOCS}
    assert all(hit.language == by_id[hit.id] for hit in results)


@pytest.mark.parametrize("query", ["skatt kommunen", "skatt* OR Ukraina"])
def test_pages_are_slices_of_one_ranking(index_dir, query):
    with open_index(index_dir) as ix:
        everything = ix.search(query, limit=30)
        pages = [ix.search(query, limit=7, offset=offset) for offset in range(0, 42, 7)]
    assert [hit.id for page in pages for hit in page] == [hit.id for hit in everything]
    assert [hit.rank for page in pages for hit in page] == list(range(1, len(everything) + 1))
    assert all(page.offset == 7 * n and page.total == everything.total for n, page in enumerate(pages))
    assert len(pages[-1]) == 0  # past the end: no hits, same total and facets
    assert pages[-1].facets == everything.facets


@settings(max_examples=30, deadline=None)
@given(offset=st.integers(0, 40), limit=st.integers(1, 40))
def test_any_page_is_the_slice_of_the_full_ranking(index_dir, offset, limit):
    with open_index(index_dir) as ix:
        full = [hit.id for hit in ix.search("skatt kommune", limit=100)]
        page = [hit.id for hit in ix.search("skatt kommune", limit=limit, offset=offset)]
    assert page == full[offset : offset + limit]


def test_negative_offset_is_a_query_error(index_dir):
    with open_index(index_dir) as ix, pytest.raises(QueryError, match="offset"):
        ix.search("skatt", offset=-1)


def test_replaced_and_deleted_documents_are_not_counted(tmp_path):
    path = write_index(tmp_path / "index", DOCS[:4])
    with IndexWriter(path) as writer:
        writer.upsert(Document(id=DOCS[0].id, path="/x", title="Skatt", text="Skatt på nynorsk.", date="2024", language="nn"))
        writer.delete(DOCS[1].id)
    with open_index(path) as ix:
        results = ix.search("skatt")
    assert results.total == 3
    assert results.facets == _expected([*DOCS[2:4], Document(id="x", path="", title="", text="", date="2024", language="nn")])


def test_language_filter_keeps_one_language_and_its_counts(index_dir):
    with open_index(index_dir) as ix:
        nynorsk = ix.search("skatt", limit=30, language="nn")
        both = ix.search('"skatt i kommunen"', since="2021", language="nn")
    assert {hit.language for hit in nynorsk} == {"nn"} and nynorsk.total == 8
    assert nynorsk.facets["language"] == {"nn": 8}
    assert both.total == sum(1 for d in DOCS if d.language == "nn" and d.date and d.date >= "2021")


def test_mark_marks_every_match_in_the_whole_text(index_dir):
    text = "Skatt og skatten.\n\nIngen skatt her? Jo: skattene!"
    doc = Document(id="x.txt", path="x.txt", title="Skatt", text=text)
    with open_index(index_dir) as ix:
        marked = ix.mark(doc, "skatt")
    (fragment,) = marked.fragments
    assert "".join(part for part, _ in fragment) == text  # whitespace and line breaks kept
    assert [part for part, matched in fragment if matched] == ["Skatt", "skatten", "skatt", "skattene"]
    with open_index(index_dir) as ix, pytest.raises(QueryError):
        ix.mark(doc, "   ")
