"""Postings gathered and written a term at a time, and text indexed a word at a time, make
the index Whoosh's own writer makes: the same files, byte for byte, and the same postings."""

from __future__ import annotations

import json
import pickle
import random
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import index as whoosh_index
from whoosh.fields import TEXT

from index import Document, IndexWriter
from index.whoosh.adding import add_document
from index.analysis import NORWEGIAN_STOP_WORDS, norwegian_analyzer
from index.whoosh.postings import MIN_COMPRESSED_BYTES, TermAtATimeCodec, group_postings_by_term
from index.whoosh.schema import build_schema
from index.whoosh.textfield import WordAtATimeText
from index.whoosh.writer import document_fields

from .conftest import SAMPLE, shared_data

SAMPLE_TEXT = SAMPLE.read_text(encoding="utf-8")
SAMPLE_WORDS = sorted(set(re.findall(r"\w+", SAMPLE_TEXT)))
ODD_WORDS = ["Bøkene", "tjenestemenn", "Krekars", "NATO-relaterte", "3.5", "red.anm", "e.g", "ÆØÅ", "x", "Å", "_"]


def sample_documents(count: int, seed: int = 7) -> list[Document]:
    """The sample document, and ``count`` made of its words, stop words and odd tokens, so that
    common terms run to several blocks of postings and rare ones to one."""
    rng = random.Random(seed)
    vocabulary = SAMPLE_WORDS + sorted(NORWEGIAN_STOP_WORDS) + ODD_WORDS
    docs = [Document(id="sample", path=str(SAMPLE), title=SAMPLE_TEXT.splitlines()[1], text=SAMPLE_TEXT, date="2023-07")]
    for n in range(count):
        words = [rng.choice(vocabulary) for _ in range(rng.randint(0, 60))]
        docs.append(Document(id=f"doc{n}", path=f"/doc{n}", title=" ".join(words[:4]), text=" ".join(words), language="nb"))
    return docs


def whoosh_schema():
    """The project's schema with Whoosh's own TEXT field for title and text."""
    schema = build_schema()
    for name in ("title", "text"):
        schema._fields[name] = TEXT(analyzer=schema[name].analyzer, stored=True)
    return schema


def write_segment(path: Path, docs: list[Document], ours: bool, limitmb: float) -> tuple[dict[str, bytes], bool]:
    """One segment of ``docs``, written by Whoosh's writer or ours: its files by extension, and
    whether the postings were spilled to temporary files on the way."""
    path.mkdir()
    ix = whoosh_index.create_in(str(path), build_schema() if ours else whoosh_schema())
    codec = TermAtATimeCodec(min_compressed_bytes=0) if ours else None  # every block compressed, as Whoosh does
    writer = ix.writer(codec=codec, compound=False, limitmb=limitmb)
    if ours:
        group_postings_by_term(writer)
    for doc in docs:
        if ours:
            add_document(writer, document_fields(doc))
        else:
            writer.add_document(**document_fields(doc))
    spilled = bool(writer.pool.runs)
    writer.commit()
    return {file.name.split(".", 1)[1]: file.read_bytes() for file in path.iterdir() if file.name.startswith("MAIN_") and "." in file.name}, spilled


@pytest.mark.parametrize("limitmb", [128, 0.05], ids=["in memory", "spilled to disk"])
def test_segment_files_are_whooshs_byte_for_byte(tmp_path: Path, limitmb: float):
    docs = sample_documents(400)
    theirs, _ = write_segment(tmp_path / "whoosh", docs, ours=False, limitmb=limitmb)
    ours, spilled = write_segment(tmp_path / "ours", docs, ours=True, limitmb=limitmb)
    assert spilled == (limitmb < 1)
    assert sorted(ours) == sorted(theirs) and "pst" in ours and "trm" in ours
    for extension in theirs:
        assert ours[extension] == theirs[extension], extension


def test_segment_files_on_real_passages_are_whooshs_byte_for_byte(tmp_path: Path):
    lines = (shared_data("norquad_retrieval") / "corpus.jsonl").read_text(encoding="utf-8").splitlines()[:300]
    records = [json.loads(line) for line in lines]
    docs = [Document(id=r["id"], path=r["id"], title=r["title"], text=r["text"]) for r in records]
    theirs, _ = write_segment(tmp_path / "whoosh", docs, ours=False, limitmb=0.5)
    ours, spilled = write_segment(tmp_path / "ours", docs, ours=True, limitmb=0.5)
    assert spilled and ours == theirs


def postings_by_id(path: Path) -> dict[tuple[str, bytes], dict[str, tuple]]:
    """Every term's postings as {document id: (weight, positions)}, over all segments."""
    ix = whoosh_index.open_dir(str(path))
    found: dict[tuple[str, bytes], dict[str, tuple]] = {}
    with ix.searcher() as searcher:
        ids = {docnum: fields["id"] for docnum, fields in searcher.iter_docs()}
        reader = searcher.reader()
        for field, term in reader.all_terms():
            if field not in ("title", "text"):
                continue
            matcher = reader.postings(field, term)
            postings = found[(field, term)] = {}
            while matcher.is_active():
                postings[ids[matcher.id()]] = (matcher.weight(), tuple(matcher.value_as("positions")))
                matcher.next()
    ix.close()
    return found


def test_index_from_parallel_writers_holds_whooshs_postings(tmp_path: Path):
    """Two sub-writers, small blocks left uncompressed, a document replaced: the same postings."""
    docs = sample_documents(300, seed=11)
    replaced = Document(id="doc5", path="/doc5", title="Ny tittel", text="Hemmelige samtaler om fred.")
    with IndexWriter(tmp_path / "ours", processes=2) as writer:
        for doc in docs:
            writer.upsert(doc)
    with IndexWriter(tmp_path / "ours") as writer:
        writer.upsert(replaced)

    (tmp_path / "whoosh").mkdir()
    ix = whoosh_index.create_in(str(tmp_path / "whoosh"), whoosh_schema())
    with ix.writer() as writer:
        for doc in docs[:6] + [replaced] + docs[7:]:
            writer.add_document(**document_fields(doc))
    ix.close()
    assert MIN_COMPRESSED_BYTES > 0
    assert postings_by_id(tmp_path / "ours") == postings_by_id(tmp_path / "whoosh")


TEXT_PIECES = st.lists(
    st.one_of(
        st.sampled_from(SAMPLE_WORDS + sorted(NORWEGIAN_STOP_WORDS) + ODD_WORDS),
        st.sampled_from([" ", "  ", "\n", ". ", ", ", "-", "«", "»", "?", "…"]),
        st.text(max_size=6),
    ),
    max_size=40,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(TEXT_PIECES)
def test_word_at_a_time_text_indexes_as_whooshs_text(value: str):
    analyzer = norwegian_analyzer()
    ours = WordAtATimeText(analyzer=analyzer, stored=True)
    theirs = TEXT(analyzer=analyzer, stored=True)
    assert sorted(ours.index(value)) == sorted(theirs.index(value))


def test_word_at_a_time_text_numbers_positions_past_stop_words():
    """Stop words take no position, and the first word kept keeps its own (Whoosh's StopFilter)."""
    field = WordAtATimeText(analyzer=norwegian_analyzer())
    positions = {term.decode(): field.format.decode_positions(value) for term, _, _, value in field.index("Det er en bok om bøker")}
    assert positions == {"bok": [3, 4]}


def test_word_at_a_time_text_pickles_without_its_memo():
    field = WordAtATimeText(analyzer=norwegian_analyzer())
    list(field.index("Hemmelige samtaler"))
    copy = pickle.loads(pickle.dumps(field))
    assert "_words" not in copy.__dict__ and copy == field
    assert sorted(copy.index("Hemmelige samtaler")) == sorted(field.index("Hemmelige samtaler"))


def test_word_memo_that_starts_over_gives_the_same_positions():
    from index.analysis.wordterms import WordTerms

    roomy, tight = WordTerms(norwegian_analyzer()), WordTerms(norwegian_analyzer(), capacity=5)
    for text in (SAMPLE_TEXT, "Bøkene og bøker om tjenestemenn", SAMPLE_TEXT[:500], "Det er en bok om bøker"):
        assert tight.term_positions(text) == roomy.term_positions(text)


def test_a_schema_with_term_vectors_is_added_through_whooshs_own_method(tmp_path: Path):
    """The field-at-a-time path leaves vectors out, so a pool for such a schema refuses it."""
    from whoosh.fields import ID, Schema

    schema = Schema(id=ID(stored=True), text=TEXT(analyzer=norwegian_analyzer(), vector=True))
    ix = whoosh_index.create_in(str(tmp_path), schema)
    writer = ix.writer()
    group_postings_by_term(writer)
    assert not writer.pool.whole_fields
    add_document(writer, {"id": "a", "text": "Hemmelige samtaler om fred"})
    writer.commit()
    with ix.searcher() as searcher:
        assert dict(searcher.vector_as("weight", 0, "text")) == {"fred": 1.0, "hemmelig": 1.0, "samtal": 1.0}
