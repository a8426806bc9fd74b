"""The proximity bonus: query words close together rank a document higher."""

from __future__ import annotations

from pathlib import Path

import pytest

from index import Document, open_index
from index.limits import Deadline
from index.search.plan import plan_query
from index.search.proximity import _positions, proximity_bonuses
from index.search.query import build_parser, parse_query, plain_terms
from index.whoosh.schema import build_schema
from index.search.scoring import K1, NorwegianBM25, lucene_idf
from index.whoosh.storage import open_existing

from .conftest import write_index

# The same words in both texts, so BM25 cannot tell them apart; "far" is indexed first,
# so it would win the tie without the bonus.
FAR = "Flyplassen ligger nord for byen. Mange reisende i Moss tar bussen fra sentrum."
NEAR = "Flyplassen i Moss ligger nord for byen. Mange reisende tar bussen fra sentrum."
DOCS = [
    Document(id="far.txt", path="/data/far.txt", title="Reiseråd", text=FAR),
    Document(id="near.txt", path="/data/near.txt", title="Reiseråd", text=NEAR),
    Document(id="moss.txt", path="/data/moss.txt", title="Valg", text="Moss kommune har fått ny ordfører."),
    Document(id="fotball.txt", path="/data/fotball.txt", title="Fotball", text="Vålerenga vant mot Brann i går."),
    Document(id="bok.txt", path="/data/bok.txt", title="Ny roman", text="Romanen handler om en familie i Tromsø."),
]


@pytest.fixture
def index_dir(tmp_path: Path) -> Path:
    return write_index(tmp_path / "index", DOCS)


def test_words_close_together_rank_first(index_dir):
    with open_index(index_dir) as ix:
        results = ix.search("Hva heter flyplassen i Moss?")
    assert [hit.id for hit in results][:3] == ["near.txt", "far.txt", "moss.txt"]
    assert results[0].score > results[1].score
    assert results.total == 3


def test_one_word_gets_no_bonus(index_dir):
    with open_index(index_dir) as ix:
        results = ix.search("flyplassen")
    assert [hit.id for hit in results] == ["far.txt", "near.txt"]
    assert results[0].score == results[1].score


def test_bonus_grows_as_the_words_come_closer_and_is_bounded(index_dir):
    with open_existing(index_dir).searcher(weighting=NorwegianBM25()) as searcher:
        docnum = {searcher.stored_fields(n)["id"]: n for n in searcher.reader().all_doc_ids()}
        bonuses = proximity_bonuses(searcher, ["flyplass", "moss", "ukjent"], docnum.values())
        documents = searcher.doc_count_all()
        bound = sum(
            min(1.0, lucene_idf(documents, searcher.doc_frequency("text", term))) * (K1 + 1)
            for term in ("flyplass", "moss")
        )
    assert set(bonuses) == {docnum["near.txt"], docnum["far.txt"]}  # moss.txt has one of the words
    assert bound > bonuses[docnum["near.txt"]] > bonuses[docnum["far.txt"]] > 0


def test_only_plain_words_count_for_proximity():
    parser = build_parser(build_schema(), title_boost=0.5)
    q = parse_query(parser, '"fred mulig" samtal* Tromsø~ Ukraina Moss NOT russere')
    assert plain_terms(q, "text") == {"ukrain", "moss"}
    assert plain_terms(q, "title") == {"ukrain", "moss"}


def test_the_rankings_postings_give_the_positions_that_reading_them_again_gives(tmp_path):
    """Proximity takes positions from the postings the array ranking read, of every segment."""
    path = write_index(tmp_path / "index", DOCS[:3])
    write_index(path, DOCS[3:] + [Document(id="mer.txt", path="/data/mer.txt", title="Moss", text=NEAR + " " + FAR)])
    with open_index(path) as ix:
        searcher = ix._searcher()
        assert len(searcher.reader().leaf_readers()) == 2
        plan = plan_query(ix._parser, searcher, ix._words, "Hva heter flyplassen i Moss?")
        ranked = ix._rank(searcher, plan, 10, None, Deadline(1.0))
        terms = sorted(term for term in plan.text_terms if ("text", term) in searcher.reader())
        assert terms == ["flyplass", "moss"]  # heter is in no document
        assert all(ranked.postings.has("text", term) for term in terms)
        docnums = sorted(ranked.docnums)
        for term in terms:
            again = list(_positions(searcher.reader().postings("text", term), docnums))
            assert again and list(ranked.postings.positions("text", term, docnums)) == again
        with_read = proximity_bonuses(searcher, plan.text_terms, ranked.docnums, ranked.postings)
        assert with_read == proximity_bonuses(searcher, plan.text_terms, ranked.docnums)
        assert len(with_read) == 3
