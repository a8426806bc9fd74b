"""Norwegian letters restored for words typed on an ASCII keyboard."""

from __future__ import annotations

from pathlib import Path

import pytest

from index import Document, IndexWriter, open_index
from index.analysis.letters import MAX_PLACES, letter_variants


def test_variants_of_ascii_spellings():
    assert "løsning" in letter_variants("losning")
    assert "ålesund" in letter_variants("aalesund")
    assert "ærlig" in letter_variants("aerlig")
    assert "før" in letter_variants("foer") and "før" in letter_variants("for")
    assert set(letter_variants("ma")) == {"må", "mæ"}
    assert letter_variants("lyd") == []  # nothing to restore
    assert letter_variants("løsning") == []  # already has the letters
    assert letter_variants("bo" * (MAX_PLACES + 1)) == []  # too many places to try


@pytest.fixture
def index_dir(tmp_path: Path) -> Path:
    path = tmp_path / "index"
    texts = {
        "losning.txt": "Regjeringen fant en løsning på konflikten.",
        "alesund.txt": "Fergen går fra Ålesund hver morgen.",
        "far.txt": "Far kom hjem sent.",
        "faar.txt": "Hun får en ny bok.",
    }
    with IndexWriter(path) as writer:
        for name, text in texts.items():
            writer.upsert(Document(id=name, path=name, title=name, text=text))
    return path


def test_ascii_typed_words_find_the_norwegian_spelling(index_dir):
    with open_index(index_dir) as ix:
        hits = ix.search("losning")
        assert [hit.id for hit in hits] == ["losning.txt"]
        assert "løsning" in [text for fragment in hits[0].snippet.fragments for text, marked in fragment if marked]
        assert [hit.id for hit in ix.search("Aalesund ferge")][0] == "alesund.txt"


def test_a_word_the_index_holds_is_not_changed(index_dir):
    with open_index(index_dir) as ix:
        assert [hit.id for hit in ix.search("far")] == ["far.txt"]  # not får
        assert ix.search("får").total == 1


def test_a_restored_form_is_analysed_as_typed_words_are(tmp_path: Path):
    """``går`` is indexed as its stem ``gå``, so ``gaar`` is restored as typed (``går``) and
    then analysed (``gå``): restoring its term ``gaar`` would give ``går``, which is no term."""
    texts = {
        "gaar.txt": "Toget går fra Bergen klokken åtte.",
        "gaa.txt": "Vi må gå hjem etter konserten.",
        "hoyre.txt": "Partiet Høyre vant valget i kommunen.",
        "kjaere.txt": "Kjære venner, takk for i kveld.",
        "gar.txt": "Gården ligger ved fjorden.",
    }
    with IndexWriter(tmp_path / "index") as writer:
        for name, text in texts.items():
            writer.upsert(Document(id=name, path=name, title=name, text=text))
    with open_index(tmp_path / "index") as ix:
        hits = ix.search("gaar")
        assert {hit.id for hit in hits} == {"gaar.txt", "gaa.txt"}
        marked = {text for hit in hits for fragment in hit.snippet.fragments for text, is_marked in fragment if is_marked}
        assert marked == {"går", "gå"}
        assert [hit.id for hit in ix.search("hoyre")] == ["hoyre.txt"]
        assert [hit.id for hit in ix.search("kjaere venner")][0] == "kjaere.txt"
