"""``--explain``: each hit's score as its words' BM25 parts and its bonuses, which add up to it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index import Document, open_index
from index.analysis import norwegian_analyzer
from index.cli import results_json

from .conftest import write_index
from .test_cli import no_traceback, search
from .test_compounds import DOCS as COMPOUND_DOCS

DOCS = [
    *COMPOUND_DOCS,  # skatt and eiendomsskatten, klubben and gutteklubben
    Document(id="losning.txt", path="/l", title="Svar", text="Løsningen på oppgaven kom fram etter et langt møte. Vi fant en løsning sammen."),
    Document(id="vaer.txt", path="/v", title="Været", text="Været blir kaldt i helgen, med snø i fjellet og regn ved kysten. Før helgen er det mildt."),
    Document(id="samtaler.txt", path="/t", title="Skjulte samtaler", text="De hemmelige samtalene mellom partene varte i tre år. En samtale ble tatt opp."),
]
# Words of the documents, typed as a user would: inflected, without æ/ø/å, as prefixes and fuzzy.
WORDS = [
    "skatt", "skatten", "kommunen", "budsjett", "losning", "løsningen", "oppgaven", "ministeren", "klubben",
    "byen", "vaeret", "snø", "helgen", "samtaler", "hemmelige", "år", "i", "og", "skat*", "kommune*", "klubb~",
    '"hemmelige samtalene"', '"neste år"', "NOT eiendom", "OR", "fredag", "finnesikke",
]  # fmt: skip


@pytest.fixture(scope="module")
def index_path(tmp_path_factory) -> Path:
    return write_index(tmp_path_factory.mktemp("explain") / "index", DOCS)


def word(hit, text: str):
    return next(part for part in hit.explain.words if part.word == text)


def bonuses(hit) -> dict[str, float]:
    return {bonus.name: bonus.score for bonus in hit.explain.bonuses}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=6))
def test_words_and_bonuses_add_up_to_the_score(index_path, words):
    text = " ".join(words)
    with open_index(index_path) as ix:
        try:
            results = ix.search(text, limit=10, explain=True)
        except Exception as error:  # a query such as "OR" alone is refused: not this test's subject
            assert type(error).__name__ == "QueryError", error
            return
        for hit in results:
            assert hit.explain.total == pytest.approx(hit.score, abs=1e-6), (text, hit.id, hit.explain)
            assert all(part.score >= 0 for part in hit.explain.words)
            assert all(not part.matched for part in hit.explain.words if part.score == 0)
        for hit in results_json(results)["hits"]:
            parts = hit["explain"]["words"] + hit["explain"]["bonuses"]
            assert abs(sum(part["score"] for part in parts) - hit["score"]) <= 0.001


def test_a_compound_part_is_shown_as_the_word_it_was_searched_for(index_path):
    with open_index(index_path) as ix:
        hit = next(hit for hit in ix.search("skatt kommunen", explain=True) if hit.id == "eiendom.txt")
    assert [(form.text, form.how) for form in word(hit, "skatt").matched] == [("eiendomsskatten", "compound")]
    assert [form.text for form in word(hit, "kommunen").matched] == ["kommunen"]
    assert "eiendomsskatten (compound)" in hit.explain.text()


def test_a_word_typed_without_norwegian_letters_shows_the_spelling_that_matched(index_path):
    with open_index(index_path) as ix:
        [hit] = ix.search("losning", explain=True)
    assert hit.id == "losning.txt"
    assert [(form.text, form.how) for form in word(hit, "losning").matched] == [("løsningen", "æøå"), ("løsning", "æøå")]
    assert word(hit, "losning").score == pytest.approx(hit.score)  # one word, no bonus


def test_the_typed_form_bonus_goes_to_the_document_with_the_form_typed(index_path):
    with open_index(index_path) as ix:
        hits = {hit.id: hit for hit in ix.search("skatten", explain=True)}
    assert bonuses(hits["skatt.txt"]) == {"exactforms": pytest.approx(hits["skatt.txt"].score - word(hits["skatt.txt"], "skatten").score)}
    assert bonuses(hits["eiendom.txt"]) == {}  # eiendomsskatten is not the form typed
    assert "words in the form typed" in hits["skatt.txt"].explain.text()


def test_a_word_the_hit_lacks_scores_nothing_and_says_so(index_path):
    with open_index(index_path) as ix:
        hit = next(hit for hit in ix.search("ministeren klubben", explain=True) if hit.id == "klubb.txt")
    assert word(hit, "ministeren").score == 0 and word(hit, "ministeren").matched == ()
    assert "ministeren 0 (not found)" in hit.explain.text()


def stem(word: str) -> str:
    """The term the analysis gives ``word`` (the stems follow the rules of index.analysis)."""
    [term] = [token.text for token in norwegian_analyzer()(word)]
    return term


def test_phrases_and_prefixes_get_a_part_per_clause(index_path):
    with open_index(index_path) as ix:
        hits = ix.search('"hemmelige samtalene" samt*', explain=True)
    [hit] = [hit for hit in hits if hit.id == "samtaler.txt"]
    assert [part.word for part in hit.explain.words] == ['"hemmelige samtalene"', "samt*"]
    assert [form.text for form in word(hit, "samt*").matched] == ["samtaler", "samtalene", "samtale"]
    assert hit.explain.total == pytest.approx(hit.score)


def test_without_explain_there_is_none(index_path):
    with open_index(index_path) as ix:
        assert all(hit.explain is None for hit in ix.search("skatt"))
        assert "explain" not in results_json(ix.search("skatt"))["hits"][0]


def test_search_command_explains_in_text_and_json(index_path, tmp_path):
    text = search(tmp_path, "skatten kommunen", "--index", index_path, "--explain")
    no_traceback(text)
    assert text.returncode == 0
    assert "why: skatten " in text.stdout and "words in the form typed" in text.stdout
    result = search(tmp_path, "skatten kommunen", "--index", index_path, "--explain", "--json")
    assert result.returncode == 0
    hit = json.loads(result.stdout)["hits"][0]
    assert [part["word"] for part in hit["explain"]["words"]] == ["skatten", "kommunen"]
    assert {bonus["name"] for bonus in hit["explain"]["bonuses"]} <= {"proximity", "exactforms", "bestsentence"}


def test_a_word_is_named_as_typed_not_as_its_stem(index_path):
    with open_index(index_path) as ix:
        [hit] = ix.search("losningen", explain=True)
    assert [part.word for part in hit.explain.words] == ["losningen"]
    assert {form.text for form in hit.explain.words[0].matched} == {"løsningen", "løsning"}


def test_the_plan_holds_what_each_step_reads(index_path):
    from index.search.plan import plan_query

    with open_index(index_path) as ix:
        plan = plan_query(ix._parser, ix._searcher(), ix._words, 'Losning skatten "hemmelige samtalene" NOT katt')
    assert [clause.label for clause in plan.clauses] == ["losning", "skatten", '"hemmelige samtalene"']
    losning, skatt, phrase = plan.clauses
    assert losning.restored == {"løsning"} and losning.how("løsning") == "æøå"
    assert skatt.terms == {"skatt"} and skatt.compounds == {"eiendomsskatt"} and skatt.how("eiendomsskatt") == "compound"
    assert plan.stands_for == {"eiendomsskatt": "skatt"}
    assert plan.forms == {word: stem(word) for word in ("skatten", "hemmelige", "samtalene")}  # losning: not the form of løsning
    assert "katt" not in plan.highlight and plan.text_terms == {"løsning", "skatt"}
    assert plan.words is None  # a phrase and NOT: Whoosh's matchers, from plan.query
    assert str(plan.parsed) != str(plan.query)  # the parsed tree kept as typed, before restoring and compounds
