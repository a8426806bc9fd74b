"""The Python API of ``index``: search semantics, date filters, documents, threads."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from index import (
    Document,
    IndexNotFoundError,
    IndexWriter,
    QueryError,
    open_index,
)
from index.whoosh.storage import VERSION_FILE

from .conftest import SAMPLE, write_index

DOCS = [
    Document(
        id="krig/ukraina.txt",
        path="/data/krig/ukraina.txt",
        title="Hemmelige samtaler om Ukraina",
        text="Hemmelige samtaler om Ukraina. Amerikanske diplomater har møtt russere. Er fred mulig i Ukraina?",
        date="2023-07",
    ),
    Document(
        id="krig/fred.txt",
        path="/data/krig/fred.txt",
        title="Fredsavtale",
        text="Fredsavtalen ble underskrevet i Oslo. Fred og forsoning var temaet for samtalen.",
        date="2021-03-04",
    ),
    Document(
        id="kultur/bok.txt",
        path="/data/kultur/bok.txt",
        title="Ny roman",
        text="Romanen handler om en familie i Tromsø. Boka er skrevet på nynorsk og kom ut i fjor.",
        date="2019",
    ),
    Document(
        id="udatert.txt",
        path="/data/udatert.txt",
        title="Uten dato",
        text="Denne teksten har ingen dato, men nevner Ukraina én gang.",
    ),
]


@pytest.fixture
def index_dir(tmp_path: Path) -> Path:
    return write_index(tmp_path / "index", DOCS)


def ids(results) -> list[str]:
    return [hit.id for hit in results]


def test_more_matching_words_rank_first_but_partial_matches_are_found(index_dir):
    with open_index(index_dir) as ix:
        results = ix.search("fred Ukraina")
    assert ids(results)[0] == "krig/ukraina.txt"  # the only one with both words
    assert set(ids(results)) == {"krig/ukraina.txt", "krig/fred.txt", "udatert.txt"}
    assert results.total == 3


def test_stemming_finds_other_forms(index_dir):
    with open_index(index_dir) as ix:
        assert "krig/fred.txt" in ids(ix.search("samtaler"))  # text has "samtalen"
        assert "kultur/bok.txt" in ids(ix.search("romaner"))


def test_natural_language_question(index_dir):
    with open_index(index_dir) as ix:
        assert ids(ix.search("Hvor ble fredsavtalen underskrevet?"))[0] == "krig/fred.txt"
        assert ids(ix.search("Hvem har møtt russere?"))[0] == "krig/ukraina.txt"


def test_phrase_and_boolean_operators(index_dir):
    with open_index(index_dir) as ix:
        assert ids(ix.search('"fred mulig"')) == ["krig/ukraina.txt"]
        assert ids(ix.search('"mulig fred"')) == []
        assert ids(ix.search("Ukraina AND fred")) == ["krig/ukraina.txt"]
        assert set(ids(ix.search("Tromsø OR Oslo"))) == {"kultur/bok.txt", "krig/fred.txt"}
        assert set(ids(ix.search("Ukraina NOT fred"))) == {"udatert.txt"}


def test_field_and_date_queries(index_dir):
    with open_index(index_dir) as ix:
        assert ids(ix.search("title:roman")) == ["kultur/bok.txt"]
        assert ids(ix.search("date:2023-07")) == ["krig/ukraina.txt"]
        assert ids(ix.search("date:2021")) == ["krig/fred.txt"]
        assert ids(ix.search("date:2021-03")) == ["krig/fred.txt"]


@pytest.mark.parametrize(
    "query, named",
    [("date:garbage", "garbage"), ("date:2023-13", "month 13"), ('date:"2023 juli"', "juli"),
     ("date:[2020 TO juli]", "juli"), ("date:juli*", "juli"), ("Ukraina NOT date:2023-02-30", "day 30")],
)
def test_a_bad_date_in_a_field_query_is_a_query_error(index_dir, query, named):
    """``date:garbage`` could never match (the field holds only dates): an error, as for ``--since``."""
    with open_index(index_dir) as ix:
        with pytest.raises(QueryError, match=named):
            ix.search(query)
        assert ids(ix.search("date:202*")) == ["krig/ukraina.txt", "krig/fred.txt"]
        assert set(ids(ix.search("date:[2020 TO 2023]"))) == {"krig/ukraina.txt", "krig/fred.txt"}


def test_prefix_and_fuzzy(index_dir):
    with open_index(index_dir) as ix:
        assert "kultur/bok.txt" in ids(ix.search("Trom*"))
        assert "kultur/bok.txt" in ids(ix.search("Tromsø~"))
        assert "kultur/bok.txt" in ids(ix.search("Tromso~"))


def test_question_mark_is_not_a_wildcard(index_dir):
    with open_index(index_dir) as ix:
        assert ids(ix.search("Tromsø?")) == ["kultur/bok.txt"]


@pytest.mark.parametrize(
    "since, until, expected",
    [
        ("2023-07-14", None, {"krig/ukraina.txt"}),  # July 2023 reaches the 14th
        ("2023-08", None, set()),
        (None, "2023-07-01", {"krig/ukraina.txt", "krig/fred.txt", "kultur/bok.txt"}),
        (None, "2023-06", {"krig/fred.txt", "kultur/bok.txt"}),
        ("2019-12-31", "2021-03-04", {"kultur/bok.txt", "krig/fred.txt"}),
        ("2021-03-05", "2021", set()),
        ("2020", "2020", set()),
    ],
)
def test_since_until_compare_at_the_documents_precision(index_dir, since, until, expected):
    with open_index(index_dir) as ix:
        results = ix.search("Ukraina OR fred OR roman OR samtale", since=since, until=until)
        assert set(ids(results)) == expected
        assert results.total == len(expected)


def test_bad_dates_and_empty_queries_raise_query_error(index_dir):
    with open_index(index_dir) as ix:
        with pytest.raises(QueryError, match="since"):
            ix.search("fred", since="2023-13")
        with pytest.raises(QueryError, match="after"):
            ix.search("fred", since="2024", until="2023")
        with pytest.raises(QueryError, match="empty"):
            ix.search("   ")


def test_limit_and_exact_total(index_dir):
    with open_index(index_dir) as ix:
        results = ix.search("Ukraina OR fred OR roman", limit=1)
    assert len(results) == 1 and results.total == 4
    assert results[0].rank == 1


def test_hit_fields_and_snippet(index_dir):
    with open_index(index_dir) as ix:
        hit = ix.search("samtale")[0]
    assert (hit.id, hit.path, hit.date) in {
        ("krig/ukraina.txt", "/data/krig/ukraina.txt", "2023-07"),
        ("krig/fred.txt", "/data/krig/fred.txt", "2021-03-04"),
    }
    assert hit.score > 0
    assert "<mark>samtale" in hit.snippet.html().lower()


def test_get_count_ids(index_dir):
    with open_index(index_dir) as ix:
        assert ix.count() == 4
        assert sorted(ix.ids()) == sorted(doc.id for doc in DOCS)
        assert ix.get("kultur/bok.txt") == DOCS[2]
        assert ix.get("finnes/ikke.txt") is None


def test_upsert_replaces_and_delete_removes(index_dir):
    with IndexWriter(index_dir) as writer:
        writer.upsert(Document(id="kultur/bok.txt", path="/p", title="Ny", text="Helt ny tekst om Bergen."))
        writer.delete("udatert.txt")
    with open_index(index_dir) as ix:
        assert ix.count() == 3
        assert ids(ix.search("Bergen")) == ["kultur/bok.txt"]
        assert ids(ix.search("Tromsø")) == []
        assert sorted(ix.ids()) == ["krig/fred.txt", "krig/ukraina.txt", "kultur/bok.txt"]


def test_searcher_sees_new_commits(index_dir):
    with open_index(index_dir) as ix:
        assert ids(ix.search("Bergen")) == []
        with IndexWriter(index_dir) as writer:
            writer.upsert(Document(id="ny.txt", path="/p", title="Bergen", text="Regn i Bergen."))
        assert ids(ix.search("Bergen")) == ["ny.txt"]


def test_a_failed_writer_changes_nothing(index_dir):
    with pytest.raises(RuntimeError):
        with IndexWriter(index_dir) as writer:
            writer.delete("krig/fred.txt")
            raise RuntimeError("crash in the middle")
    with open_index(index_dir) as ix:
        assert ix.count() == 4


def test_one_index_shared_by_threads(index_dir):
    errors: list[BaseException] = []
    with open_index(index_dir) as ix:

        def work() -> None:
            try:
                for _ in range(20):
                    assert ids(ix.search("fred Ukraina"))[0] == "krig/ukraina.txt"
                    assert ix.count() == 4
            except BaseException as error:  # noqa: BLE001 - reported below
                errors.append(error)

        threads = [threading.Thread(target=work) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert not errors


def test_missing_and_outdated_index(tmp_path, index_dir):
    with pytest.raises(IndexNotFoundError, match="ingest once"):
        open_index(tmp_path / "nothing")
    (index_dir / VERSION_FILE).write_text('{"schema_version": 0}')
    with pytest.raises(Exception, match="rebuild"):
        open_index(index_dir)


def test_a_new_empty_index_has_no_ids(tmp_path):
    with IndexWriter(tmp_path / "index"):
        pass
    with open_index(tmp_path / "index") as ix:
        assert ix.count() == 0 and list(ix.ids()) == []
        assert ix.search("fred").total == 0


def test_upserting_twice_in_a_new_index_keeps_one_document(tmp_path):
    with IndexWriter(tmp_path / "index") as writer:
        writer.upsert(Document(id="a.txt", path="/a", title="Først", text="Første versjon om Narvik."))
        writer.checkpoint()
        writer.upsert(Document(id="a.txt", path="/a", title="Så", text="Andre versjon om Bodø."))
    with open_index(tmp_path / "index") as ix:
        assert list(ix.ids()) == ["a.txt"]
        assert ix.search("Narvik").total == 0 and ix.search("Bodø").total == 1


def test_checkpoints_add_segments_and_the_last_commit_merges_them(tmp_path):
    from whoosh import index as whoosh_index

    path = tmp_path / "index"
    with IndexWriter(path) as writer:
        for n in range(9):
            writer.upsert(Document(id=f"{n}.txt", path="/p", title=f"Notat {n}", text=f"Notat nummer {n} om Lofoten."))
            writer.checkpoint()
        assert len(whoosh_index.open_dir(str(path))._segments()) == 9
    assert len(whoosh_index.open_dir(str(path))._segments()) == 1  # nine of one size became one
    with open_index(path) as ix:
        assert ix.search("Lofoten").total == 9 and sorted(ix.ids()) == [f"{n}.txt" for n in range(9)]


def test_a_parallel_writer_gives_the_same_index(tmp_path):
    with IndexWriter(tmp_path / "index", processes=2) as writer:
        for doc in DOCS:
            writer.upsert(doc)
    with open_index(tmp_path / "index") as ix:
        assert ix.count() == 4 and ids(ix.search("fred Ukraina"))[0] == "krig/ukraina.txt"
        assert ix.get("kultur/bok.txt") == DOCS[2]


def test_a_writer_short_of_memory_spills_postings_and_gives_the_same_index(tmp_path, monkeypatch):
    """``memory_mb`` bounds the postings a writer holds: with 1 MB the sample's ~1,500 words
    make it sort runs out to temporary files, and the index is the same."""
    from index.whoosh.postings import TermGroupedPool

    saves = []
    original_save = TermGroupedPool.save
    monkeypatch.setattr(TermGroupedPool, "save", lambda pool: saves.append(1) or original_save(pool))
    sample = SAMPLE.read_text("utf-8")
    with IndexWriter(tmp_path / "index", memory_mb=1) as writer:
        for i in range(40):
            writer.upsert(Document(id=f"{i}.txt", path=f"/{i}.txt", title=f"Prøve {i}", text=sample))
        for doc in DOCS:
            writer.upsert(doc)
    assert saves, "the writer never ran out of its 1 MB"
    with open_index(tmp_path / "index") as ix:
        assert ix.count() == 44 and ids(ix.search("fred Ukraina"))[0] == "krig/ukraina.txt"
        assert ix.search("hemmelige samtaler").total == 42  # the 40 copies, Ukraina and samtalen


def test_a_prefix_is_lower_cased_and_never_stemmed():
    """``samt*`` is the start of samtale/samtid, not the stem of a past form (``sam``)."""
    from index.search.query import build_parser, parse_query
    from index.whoosh.schema import build_schema

    parsed = parse_query(build_parser(build_schema(), 0.5), "Samt* OR title:Hemmelige*")
    assert {(leaf.fieldname, leaf.text) for leaf in parsed.leaves()} == {
        ("title", "samt"), ("text", "samt"), ("title", "hemmelige")
    }
