"""Compounds learned from the index's own words: ``skatt`` finds ``eiendomsskatten``, ``eiendom``
finds it too, and ``bistandsadvokat`` finds ``advokat``."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index import Document, IndexWriter, open_index
from index.analysis.compounds import compounds_beginning_with, compounds_of, parts_of

from .conftest import write_index

DOCS = [
    Document(id="eiendom.txt", path="/e", title="Kommunebudsjettet", text="Kommunen innfører eiendomsskatten neste år. Eiendom er dyrt."),
    Document(id="skatt.txt", path="/s", title="Budsjettet", text="Skatten øker for alle som bor i kommunen."),
    Document(id="ministre.txt", path="/m", title="Reise", text="Utenriksministeren reiser til Brussel, sier utenriks og forsvar."),
    Document(id="katt.txt", path="/k", title="Dyr", text="Katten sover i sola hele dagen."),
    Document(id="klubb.txt", path="/g", title="Fotball", text="Gutteklubben samlet gutter fra hele byen. Klubben vant."),
]


@pytest.fixture(scope="module")
def index_path(tmp_path_factory) -> Path:
    return write_index(tmp_path_factory.mktemp("compounds") / "index", DOCS)


def ids(results) -> list[str]:
    return [hit.id for hit in results]


def test_a_word_finds_the_compounds_that_end_in_it_below_itself(index_path):
    with open_index(index_path) as ix:
        found = ix.search("skatt")
        assert ids(found) == ["skatt.txt", "eiendom.txt"]
        assert "eiendoms<mark>skatten</mark>" in found[1].snippet.html()  # the part asked for


def test_first_part_must_be_a_word_of_the_index_itself_or_with_a_linking_letter(index_path):
    with open_index(index_path) as ix:
        reader = ix._searcher().reader()
        assert compounds_of(reader, "text", "skatt") == ["eiendomsskatt"]  # eiendom + s
        assert compounds_of(reader, "text", "klubb") == ["gutteklubb"]  # gutt + e
        assert compounds_of(reader, "text", "katt") == []  # "eiendomss" is no word: not a cat
        assert ids(ix.search("katt")) == ["katt.txt"]


def test_compounds_are_split_against_the_terms_with_their_frequencies():
    from index.analysis.compounds import compound_lines

    terms = {"eiendom": 3, "skatt": 5, "eiendomsskatt": 2, "gutt": 1, "klubb": 2, "gutteklubb": 1, "katt": 1, "lov": 4, "straffelov": 1}
    lines = compound_lines(terms).decode().split("\n")
    assert lines == sorted(lines)
    assert "skatt\teiendomsskatt\t2" in lines and "klubb\tgutteklubb\t1" in lines
    assert not [line for line in lines if line.startswith(("katt\t", "lov\t"))]  # eiendomss is no word; lov is short
    assert b"skatt\teiendomsskatt\t1" in compound_lines({"eiendom": 1, "eiendomsskatt": 1}).split(b"\n")  # skatt need not occur alone


def _every_cut(terms):
    """compound_lines by its definition: every place a term could be cut, looked up."""
    lines = []
    for term, frequency in terms.items():
        for cut in range(3, len(term) - 4 + 1):
            first = term[:cut]
            if first in terms or (first.endswith(("s", "e")) and len(first) > 3 and first[:-1] in terms):
                lines.append(f"{term[cut:]}\t{term}\t{frequency}")
    return "\n".join(sorted(lines)).encode("utf-8")


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(alphabet="abeslkø", min_size=1, max_size=12), st.integers(1, 9), max_size=40))
def test_compounds_found_in_one_pass_are_every_cut_looked_up(terms):
    from index.analysis.compounds import compound_lines

    assert compound_lines(terms) == _every_cut(terms)
    by_compound = compound_lines(terms, by_compound=True).split(b"\n")
    two_terms = [line for line in compound_lines(terms).split(b"\n") if line.split(b"\t")[0].decode() in terms]
    assert sorted(line for line in by_compound if line) == sorted(two_terms)  # the cuts into two terms
    compounds = [line.split(b"\t")[1] for line in by_compound if line]
    assert compounds == sorted(compounds)  # in the order of the compounds, for a binary search


def test_short_words_are_not_looked_for_inside_compounds(index_path):
    with open_index(index_path) as ix:
        assert compounds_of(ix._searcher().reader(), "text", "år") == []
        assert compounds_of(ix._searcher().reader(), "text", "dag") == []  # "hele dagen": no "...dag" looked for


def test_every_segment_keeps_its_compounds_through_merges(tmp_path):
    path = tmp_path / "index"
    for n in range(10):  # the last commit merges ten one-document segments
        with IndexWriter(path) as writer:
            writer.upsert(Document(id=f"{n}.txt", path=f"/{n}", title=f"Dok {n}", text=f"Eiendom og eiendomsskatt nummer {n}."))
    segments = {name.split(".")[0] for name in (p.name for p in path.iterdir()) if name.endswith(".trm")}
    compounds = [p for p in path.iterdir() if p.name.endswith(".text.compounds")]
    assert len(compounds) == len(segments) < 10
    with open_index(path) as ix:
        assert ix.search("skatt").total == 10


def test_a_word_finds_the_compounds_that_begin_with_it(index_path):
    with open_index(index_path) as ix:
        reader = ix._searcher().reader()
        assert compounds_beginning_with(reader, "text", "eiendom") == ["eiendomsskatt"]  # eiendom + s + skatt
        assert compounds_beginning_with(reader, "text", "utenriks") == []  # "ministeren" is no word of the index
        assert compounds_beginning_with(reader, "text", "katt") == []
        [hit] = ix.search("eiendom")
        assert hit.id == "eiendom.txt" and "<mark>eiendomsskatten</mark>" in hit.snippet.html()
        assert ids(ix.search("gutt")) == ["klubb.txt"]  # gutter, and gutteklubben: gutt + e + klubb


PARTS = [
    Document(id="advokat.txt", path="/a", title="Rettssaken", text="Advokaten for familien ba om bistand fra kommunen."),
    Document(id="motor.txt", path="/m", title="Skipet", text="Skipet fikk trøbbel med motoren i stormen."),
    Document(id="finland.txt", path="/f", title="Nabolandet", text="Finland har mange innsjøer og skoger."),
    Document(id="fin.txt", path="/n", title="Turen", text="Fin natur på land og til sjøs."),
    Document(id="opphold.txt", path="/o", title="Ferien", text="Oppholdet var langt, vi var oppe hver natt. Hold deg fast."),
]


@pytest.fixture(scope="module")
def parts_path(tmp_path_factory) -> Path:
    return write_index(tmp_path_factory.mktemp("parts") / "index", PARTS)


def test_a_compound_query_word_finds_its_parts(parts_path):
    with open_index(parts_path) as ix:
        reader = ix._searcher().reader()
        assert parts_of(reader, "text", "bistandsadvokat") == ("bistand", "advokat")  # bistand + s + advokat
        assert parts_of(reader, "text", "motortrøbbel") == ("motor", "trøbbel")
        assert ids(ix.search("bistandsadvokat")) == ["advokat.txt"]
        assert ids(ix.search("Når fikk skipet motortrøbbel?")) == ["motor.txt"]
        [hit] = ix.search("motortrøbbel", explain=True)
        assert {form.how for form in hit.explain.words[0].matched} == {"part"}


def test_names_and_prefixes_are_not_split(parts_path):
    with open_index(parts_path) as ix:
        reader = ix._searcher().reader()
        assert parts_of(reader, "text", "finland") == ("fin", "land")  # as a word could be
        assert ids(ix.search("Hvor mange innsjøer har Finland?")) == ["finland.txt"]  # a name is not
        assert parts_of(reader, "text", "opphold") == ()  # opp is a particle (a stop word), not a word of it
