"""One huge document does not slow every query that finds it: snippets and re-ranking analyse
a bounded part of each hit (its start, or around its first match), as Lucene's highlighter
stops at ``maxDocCharsToAnalyze``. (The time it takes is measured by bench/hostile_queries.py.)"""

from __future__ import annotations

import pytest

from index import Document, QueryLimits, open_index
from index.analysis import norwegian_analyzer
from index.search.snippets import analysed_part, make_snippet
from index.analysis.wordterms import WordTerms

from .conftest import write_index

WORDS = WordTerms(norwegian_analyzer())
FILLER = "Kommunestyret behandlet budsjettet for neste år, og flertallet ønsket en grundigere utredning. "
# About 1 MB on one line, the word asked for only at its very end.
HUGE = FILLER * 11_000 + "Til slutt nevnes Hvalfangstinspektøren, som fører tilsyn om bord."


def test_a_match_past_the_analysed_part_still_gets_its_snippet():
    snippet = make_snippet(HUGE, frozenset({"hvalfangstinspektør"}), WORDS, 200, max_analyzed=5_000)
    assert "<mark>Hvalfangstinspektøren</mark>, som fører tilsyn om bord." in snippet.html()
    assert snippet.starts_inside and not snippet.ends_inside


def test_a_match_at_the_start_is_shown_from_the_start():
    snippet = make_snippet(HUGE, frozenset({"kommunestyr"}), WORDS, 200, max_analyzed=5_000)
    assert snippet.html().startswith("<mark>Kommunestyret</mark> behandlet budsjettet")
    assert not snippet.starts_inside and snippet.ends_inside


@pytest.mark.parametrize(
    "text, near, expected",
    [
        ("kort tekst", 0, (0, 10)),
        ("en to tre fire fem seks sju", 0, (0, 9)),  # cut at the last whole word
        ("en to tre fire fem seks sju", 20, (15, 23)),  # around ``near`` (fem seks), whole words
        ("x" * 100, 50, (30, 70)),  # one long word: cut where it must be
    ],
)
def test_the_analysed_part_is_bounded(text, near, expected):
    start, end = analysed_part(text, max_analyzed=10 if len(text) < 50 else 40, near=near)
    assert (start, end) == expected


@pytest.mark.parametrize(
    "text, found",
    [
        ("Budsjettet. Hvalfangstinspektøren kom.", 12),  # capitalised
        ("HVALFANGSTINSPEKTØREN kom.", 0),  # upper case
        ("overhvalfangstinspektøren og hvalfangstinspektør", 29),  # not inside another word
        ("hvalfangstinspektørenes?", 0),
        ("ingen her", None),
    ],
)
def test_first_match_finds_whole_words_in_any_common_case(text, found):
    assert WORDS.first_match(text, frozenset({"hvalfangstinspektør"})) == found


def test_search_bounds_what_it_analyses_of_a_huge_document(tmp_path):
    index = write_index(
        tmp_path / "index",
        [
            Document(id="stor.txt", path="/stor.txt", title="Én lang linje", text=HUGE),
            Document(id="liten.txt", path="/liten.txt", title="Tilsyn", text="Hvalfangstinspektøren fører tilsyn."),
        ],
    )
    with open_index(index, limits=QueryLimits(max_analyzed_chars=5_000)) as ix:
        hits = {hit.id: hit for hit in ix.search("hvalfangstinspektøren tilsyn")}
        assert "<mark>Hvalfangstinspektøren</mark>" in hits["stor.txt"].snippet.html()
        assert ix.search("kommunestyret")[0].snippet.plain().startswith("Kommunestyret behandlet")
