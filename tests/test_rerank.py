"""Re-ranking the best hits: the exact-form and best-sentence bonuses, and how they add up."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index import Document, open_index
from index.analysis import WORD_PATTERN, norwegian_analyzer
from index.limits import Deadline
from index.search.bestsentence import best_sentence_bonuses
from index.search.exactforms import exact_form_bonuses, typed_forms
from index.search.plan import plan_query
from index.search.query import build_parser, parse_query, plain_terms
from index.search.rerank import RERANK_DEPTH, bounded_bonuses, rerank
from index.whoosh.schema import build_schema
from index.analysis.wordterms import WordTerms, _words_beginning_with

from .conftest import write_index

WORDS = WordTerms(norwegian_analyzer())


def test_bonuses_add_up_and_reorder_the_head_only():
    ranked = [(10.0 - n, n) for n in range(RERANK_DEPTH + 2)]
    reranked = rerank(ranked, {2: 5.0}, {2: 0.5, 1: 0.5, RERANK_DEPTH + 1: 99.0})
    assert reranked[:3] == [(13.5, 2), (10.0, 0), (9.5, 1)]
    assert reranked[RERANK_DEPTH:] == ranked[RERANK_DEPTH:]  # beyond the depth nothing moves


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(0, 20, allow_nan=False),  # score
            st.floats(0, 3, allow_nan=False),  # a known bonus
            st.lists(st.floats(0, 4, allow_nan=False), min_size=2, max_size=2),  # the costly bonuses
            st.floats(0, 2, allow_nan=False),  # how far the bound is above them
        ),
        min_size=1,
        max_size=RERANK_DEPTH + 5,
    ),
    st.integers(1, 30),
)
def test_bounded_bonuses_give_the_page_that_every_bonus_gives(documents, wanted):
    ranked = sorted(((score, docnum) for docnum, (score, *_rest) in enumerate(documents)), key=lambda hit: (-hit[0], hit[1]))
    known = {docnum: bonus for docnum, (_score, bonus, _costly, _slack) in enumerate(documents)}
    costly = {docnum: dict(zip(("a", "b"), values)) for docnum, (_score, _bonus, values, _slack) in enumerate(documents)}
    bounds = {docnum: sum(values) + slack for docnum, (_score, _bonus, values, slack) in enumerate(documents)}
    gathered = []

    def gather(docnum):
        gathered.append(docnum)
        return costly[docnum]

    found = bounded_bonuses(ranked, wanted, [known], bounds.__getitem__, gather)
    every = {name: {docnum: values[name] for docnum, values in costly.items()} for name in ("a", "b")}
    page = rerank(ranked, known, *found.values())[:wanted]
    full = rerank(ranked, known, *every.values())[:wanted]
    if page != full:  # only where totals are the same but for the last bits (summed in another order)
        assert [score for score, _ in page] == pytest.approx([score for score, _ in full], rel=1e-9, abs=1e-9)
    assert len(gathered) == len(set(gathered)) <= min(len(ranked), RERANK_DEPTH)


def test_bounded_bonuses_stop_where_no_document_can_reach_the_page():
    ranked = [(100.0 - n, n) for n in range(RERANK_DEPTH)]
    gathered = []

    def gather(docnum):
        gathered.append(docnum)
        return {"text": 1.0}

    found = bounded_bonuses(ranked, 10, [], lambda docnum: 2.0, gather)
    # The 10th best total is 91 + 1; the 11th hit (90 + at most 2) could tie it, the 12th cannot.
    assert gathered == list(range(11))
    assert found == {"text": {docnum: 1.0 for docnum in range(11)}}


def test_typed_forms_are_the_plain_and_phrase_words_as_typed():
    parser = build_parser(build_schema(), title_boost=0.5)
    text = 'Hvem leder "Norges Bank" og samtalene* om Ukraina~ NOT Russland?'
    q = parse_query(parser, text)
    forms = typed_forms(text, plain_terms(q, "text", phrases=True), WORDS)
    assert forms == {"leder": "led", "norges": "norg", "bank": "bank"}  # no prefix, fuzzy, NOT or stop word
    assert plain_terms(q, "text") == {"led"}  # proximity: plain words only


def test_a_document_in_the_typed_form_gets_the_words_idf():
    texts = {
        1: "Samtalene ble avlyst i går.",
        2: "Samtaler om fred ble avlyst. SAMTALENE startet igjen.",
        3: "Samtaler ble avlyst.",
    }
    terms = frozenset({WORDS.term("samtale"), WORDS.term("avlyst")})
    matches = {docnum: WORDS.prefix_matches(text, terms) for docnum, text in texts.items()}
    bonuses = exact_form_bonuses(texts, matches, {"samtalene": 2.0, "avlyst": 0.5})
    assert bonuses == {1: 2.5, 2: 2.5, 3: 0.5}  # any case, each form once


def test_the_best_sentence_counts_the_different_words_it_holds():
    texts = {
        1: "Flyplassen i Moss er stengt. Den åpner igjen neste år.",
        2: "Flyplassen er stengt. Moss kommune har fått ny ordfører. Moss vant.",
        3: "Moss kommune har fått ny ordfører.",
    }
    idf = {WORDS.term("flyplassen"): 3.0, WORDS.term("Moss"): 2.0, WORDS.term("stengt"): 1.0}
    matches = {docnum: WORDS.prefix_matches(text, frozenset(idf)) for docnum, text in texts.items()}
    bonuses = best_sentence_bonuses(texts, matches, idf, idf)
    assert bonuses == {1: 6.0, 2: 4.0, 3: 2.0}
    assert best_sentence_bonuses(texts, matches, [WORDS.term("Moss")], idf) == {}  # one word: no sentence tells more


def test_prefix_matches_are_whole_tokens_as_the_tokenizer_cuts_them():
    text = "Flyplassene og flyplass.no, ikke storflyplass; 3.5 og 3 MOSS, Mossefjorden"
    terms = frozenset({WORDS.term("flyplass"), "3", "moss"})
    found = [text[start:end] for start, end, _term in WORDS.prefix_matches(text, terms)]
    # not 3.5 or flyplass.no (tokens, and terms, of their own), storflyplass, Mossefjorden
    assert found == ["Flyplassene", "3", "MOSS"]
    assert WORDS.prefix_matches(text, terms) == WORDS.matches(text, terms)


NORWEGIAN = st.sampled_from(
    "Samtalene samtaler bøkene boka Moss flyplassen EUs 3.5 red.anm. ikkje kva er i og "
    "tjenestemennene Norges hemmeligheten skrev".split()
)


@settings(max_examples=200, deadline=None)
@given(st.lists(NORWEGIAN, min_size=1, max_size=30), st.lists(NORWEGIAN, min_size=1, max_size=4))
def test_prefix_matches_are_the_matches_of_words_that_begin_with_their_term(words, query):
    text = " ".join(words)
    terms = frozenset(filter(None, map(WORDS.term, query)))
    expected = [m for m in WORDS.matches(text, terms) if text[m[0] : m[1]].lower().startswith(m[2])]
    assert WORDS.prefix_matches(text, terms) == expected


# The same stems in both, so BM25 and proximity cannot tell them apart; "other" is indexed
# first and would win the tie without the bonuses.
OTHER = "Samtaler om fred ble avlyst i fjor. Partene møttes aldri."
TYPED = "Samtalene ble avlyst i fjor. Partene møttes aldri om fred."


@pytest.fixture
def index_dir(tmp_path: Path) -> Path:
    docs = [
        Document(id="other.txt", path="/data/other.txt", title="Fred", text=OTHER),
        Document(id="typed.txt", path="/data/typed.txt", title="Fred", text=TYPED),
    ]
    return write_index(tmp_path / "index", docs)


def test_the_typed_form_ranks_first(index_dir):
    with open_index(index_dir) as ix:
        assert [hit.id for hit in ix.search("samtalene")] == ["typed.txt", "other.txt"]
        assert [hit.id for hit in ix.search("samtaler")] == ["other.txt", "typed.txt"]


@settings(max_examples=100, deadline=None)
@given(st.lists(NORWEGIAN, min_size=1, max_size=30), st.lists(NORWEGIAN, min_size=1, max_size=4), st.integers(1, 8))
def test_matches_are_the_same_whether_the_words_are_known_or_learnt_on_the_way(words, query, capacity):
    """Words seen for the first time are analysed together after the scan; a memo that starts
    over when full (``capacity``) still finds every match."""
    text = " ".join(words)
    terms = frozenset(filter(None, map(WORDS.term, query)))
    expected = [(m.start(), m.end(), WORDS.term(m.group())) for m in re.finditer(WORD_PATTERN, text)]
    expected = [m for m in expected if m[2] in terms]
    assert WordTerms(norwegian_analyzer(), capacity).matches(text, terms) == expected
    fresh = WordTerms(norwegian_analyzer(), capacity)
    assert fresh.prefix_matches(text, terms) == WORDS.prefix_matches(text, terms)


CASED = st.sampled_from(
    "Moss MOSS mOSS moss. Mossefjorden flyplass.no Flyplassen FLYPLASSENE 3.5 red.anm. İstanbul "
    "ıstanbul ſamtale SAMTALENE Samtaler samtal…«Moss» µg μg ΣΟΦΙΑ Kelvin \u212aELVIN \u212bRET e-post".split()
)


@settings(max_examples=200, deadline=None)
@given(st.lists(CASED, min_size=1, max_size=20), st.lists(st.sampled_from(["-", " ", "\n", ".", ""]), min_size=20, max_size=20),
       st.lists(st.sampled_from(["moss", "Flyplassene", "samtale", "red.anm", "3.5", "µg", "kelvin", "året"]), min_size=1, max_size=3))
def test_prefix_matches_by_find_are_those_of_the_regular_expression(words, gaps, query):
    """Found by ``str.find`` in the lower-cased text or by the expression (texts with letters that
    lower-casing and IGNORECASE treat differently), the same matches."""
    text = "".join(word + gap for word, gap in zip(words, gaps))
    terms = frozenset(filter(None, map(WORDS.term, query))) | {"istanbul", "samtal"}
    expected = WORDS._matching(_words_beginning_with(terms).finditer(text), terms)
    assert WORDS.prefix_matches(text, terms) == expected


@settings(max_examples=200, deadline=None)
@given(st.lists(NORWEGIAN, min_size=1, max_size=30), st.lists(NORWEGIAN, min_size=1, max_size=4))
def test_matches_with_the_index_counts_are_the_matches(words, query):
    """Given how many words have each term (as the index counts them), the matches are found
    among the words that begin with their term, or, when an irregular form is among them
    (``bøkene`` for ``bok``), by analysing every word: the same either way."""
    text = " ".join(words)
    terms = frozenset(filter(None, map(WORDS.term, query)))
    counts = {term: len(positions) for term, positions in WORDS.term_positions(text).items()}
    assert WORDS.matches(text, terms, counts) == WORDS.matches(text, terms)


def test_the_snippet_finds_irregular_forms_with_the_index_counts(tmp_path):
    text = "Bøkene ligger på bordet. Boka er ny, og bøker er dyre. Bokhandelen selger bøker."
    path = write_index(tmp_path / "index", [Document(id="b.txt", path="/data/b.txt", title="Lesing", text=text)])
    with open_index(path) as ix:
        searcher = ix._searcher()
        hit = ix.search("bok")[0]
        ranked = ix._rank(searcher, plan_query(ix._parser, searcher, ix._words, "bok"), 10, None, Deadline(1.0))
        counts = ranked.postings.counts("text", ["bok"], ranked.docnums)
    assert counts == {0: {"bok": 4}}
    assert [segment for fragment in hit.snippet.fragments for segment, matched in fragment if matched] == [
        "Bøkene", "Boka", "bøker", "bøker"
    ]


def test_a_search_gathers_text_bonuses_for_fewer_hits_and_shows_the_same_page(tmp_path: Path, monkeypatch):
    from index.whoosh import searcher as whoosh_searcher

    from .test_postings import sample_documents

    path = write_index(tmp_path / "index", sample_documents(400))
    queries = ["samtalene om fred", "Hvem har møtt russere i Øst-Europa?", "hemmelige samtaler Ukraina", "Zelenskyj"]
    pages = [(10, 0), (3, 0), (5, 7)]
    gathered = []
    bounded = whoosh_searcher.bounded_bonuses

    def counting(ranked, wanted, known, bound, gather):
        return bounded(ranked, wanted, known, bound, lambda docnum: gathered.append(docnum) or gather(docnum))

    def results():
        with open_index(path) as ix:
            return [[(h.id, h.score, h.snippet.plain()) for h in ix.search(q, limit=n, offset=o)] for q in queries for n, o in pages]

    monkeypatch.setattr(whoosh_searcher, "bounded_bonuses", counting)
    pruned, pruned_count = results(), len(gathered)
    gathered.clear()
    unbounded = lambda ranked, wanted, known, bound, gather: counting(ranked, wanted, known, lambda d: float("inf"), gather)
    monkeypatch.setattr(whoosh_searcher, "bounded_bonuses", unbounded)
    assert results() == pruned
    assert pruned_count < len(gathered)
