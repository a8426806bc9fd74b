"""Compounds: ``skatt`` also finds ``eiendomsskatt``, ``minister`` ``utenriksminister``.

Norwegian writes compounds as one word, and the last part says what the whole is: an
``eiendomsskatt`` is a ``skatt``. A query word is searched as itself and as the compounds
the index holds that end in it, where what comes before it is a term of the index too,
itself or without a linking ``s`` or ``e`` (``eiendom-s-skatt``, ``gutt-e-klubb``). The split
is learned from the indexed vocabulary, with no dictionary: when a segment is written, each
of its terms is cut wherever what comes before is one of its terms (:func:`compound_lines`),
and the cuts are kept in a file of the segment, by what comes after; a query looks a word up
there with a binary search.

A compound counts as an occurrence of its last part, no more: its boost is the ratio of the
part's idf to its own, so its rarity does not rank it above the word that was asked for.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from whoosh import query

if TYPE_CHECKING:  # not imported: writers import this module, and whoosh.searching brings numpy
    from whoosh.reading import IndexReader, SegmentReader
    from whoosh.searching import Searcher

# Shorter last parts than this (stemmed) are not looked for inside compounds (``lov``, ``år``).
MIN_PART = 4
# The shortest first part, and the most compounds one word brings, commonest first.
MIN_FIRST_PART = 3
MAX_COMPOUNDS = 10
LINKING_LETTERS = ("s", "e")


def compounds_file(fieldname: str) -> str:
    """The extension of a segment's file of compounds in ``fieldname`` (named like the
    segment's own files, it goes when they go)."""
    return f".{fieldname}.compounds"


def compound_lines(terms: Mapping[str, int]) -> bytes:
    """The ways ``terms`` (term -> document frequency) split into a first part that is a term
    (itself, or followed by a linking ``s``/``e``) of at least :data:`MIN_FIRST_PART` letters
    and a last part of at least :data:`MIN_PART`, as the file keeps them:
    ``last part \t term \t frequency`` lines, sorted, UTF-8.

    In sorted order a term's prefixes come before it, so a stack of the terms that are
    prefixes of one another holds, for each term, exactly the terms it starts with: one pass,
    not one look-up for every place a term could be cut (that was 20 s of a 100,000-document
    ingest)."""
    lines = []
    prefixes: list[str] = []
    for term, frequency in sorted(terms.items()):
        while prefixes and not term.startswith(prefixes[-1]):
            prefixes.pop()
        cuts = set()
        for first in prefixes:
            if len(first) >= MIN_FIRST_PART:
                cuts.add(len(first))
                if term[len(first)] in LINKING_LETTERS:
                    cuts.add(len(first) + 1)
        for cut in cuts:
            if len(term) - cut >= MIN_PART and "\n" not in term:
                lines.append(f"{term[cut:]}\t{term}\t{frequency}")
        prefixes.append(term)
    return "\n".join(sorted(lines)).encode("utf-8")


class CompoundTerm(query.Term):
    """A compound searched for ``word``, the term it ends in (proximity leaves it out, and
    snippets weigh it as ``word``)."""

    def __init__(self, fieldname: str, text: str, word: str, boost: float = 1.0):
        super().__init__(fieldname, text, boost=boost)
        self.word = word


def words_of_compounds(q: query.Query) -> dict[str, str]:
    """Each compound term of ``q`` and the word it is searched for."""
    return {leaf.text: leaf.word for leaf in q.leaves() if isinstance(leaf, CompoundTerm)}


class _Lines:
    """A sorted file of lines, kept as its bytes and where each line starts and ends
    (a 100,000-document segment's compounds: a few MB, not the many more of as many strings)."""

    def __init__(self, data: bytes):
        self.data = data
        self.starts: Sequence[int] = ()
        self.ends: Sequence[int] = ()
        if data:
            import numpy as np  # here: writers import this module for compound_lines, and need no numpy

            newlines = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 10)
            self.starts = np.concatenate(([0], newlines + 1))
            self.ends = np.concatenate((newlines, [len(data)]))

    def line(self, index: int) -> bytes:
        return self.data[self.starts[index] : self.ends[index]]

    def starting_with(self, prefix: bytes) -> list[bytes]:
        """The lines that start with ``prefix``, in order."""
        at = bisect_left(range(len(self.starts)), prefix, key=self.line)
        found = []
        while at < len(self.starts) and (line := self.line(at)).startswith(prefix):
            found.append(line)
            at += 1
        return found


_NONE = _Lines(b"")
_SEGMENTS: dict[tuple[str, str, str], _Lines] = {}
MAX_CACHED_SEGMENTS = 64


def _compounds_in(reader: SegmentReader, fieldname: str) -> _Lines:
    """The segment's compounds of ``fieldname`` (none for a segment written without the
    file, or the empty reader of an index with no segment yet), read once per segment."""
    storage = getattr(reader, "_storage", None)
    if storage is None:
        return _NONE
    key = (str(getattr(storage, "folder", id(storage))), reader.segment().segment_id(), fieldname)
    lines = _SEGMENTS.get(key)
    if lines is None:
        name = reader.segment().make_filename(compounds_file(fieldname))
        data = b""
        if storage.file_exists(name):
            with storage.open_file(name) as file:
                data = file.read()
        if len(_SEGMENTS) >= MAX_CACHED_SEGMENTS:
            _SEGMENTS.clear()
        lines = _SEGMENTS[key] = _Lines(data)
    return lines


def compounds_of(reader: IndexReader, fieldname: str, word: str) -> list[str]:
    """The index terms of ``fieldname`` that are compounds ending in the term ``word``,
    commonest first, at most :data:`MAX_COMPOUNDS`."""
    if len(word) < MIN_PART:
        return []
    prefix = f"{word}\t".encode("utf-8")
    frequencies: Counter[str] = Counter()
    for segment, _offset in reader.leaf_readers():
        for line in _compounds_in(segment, fieldname).starting_with(prefix):
            _, compound, frequency = line.decode("utf-8").split("\t")
            frequencies[compound] += int(frequency)
    ranked = sorted(frequencies.items(), key=lambda item: (-item[1], item[0]))
    return [compound for compound, _ in ranked[:MAX_COMPOUNDS]]


def expand_compounds(q: query.Query, searcher: Searcher, fieldname: str = "text") -> query.Query:
    """``q`` with each plain word of ``fieldname`` also searched as the compounds of that field
    ending in it (only there: a title is searched for the word itself)."""
    if type(q) is query.Term and q.fieldname == fieldname:
        return _with_compounds(q, [q], searcher, fieldname)
    if type(q) is query.Or and q.subqueries and all(type(t) is query.Term for t in q.subqueries):
        if len({t.text for t in q.subqueries}) == 1 and any(t.fieldname == fieldname for t in q.subqueries):
            return _with_compounds(q, q.subqueries, searcher, fieldname)
    if q.is_leaf():
        return q
    return q.apply(lambda child: expand_compounds(child, searcher, fieldname))


def _with_compounds(q: query.Query, terms: list[query.Term], searcher: Searcher, fieldname: str) -> query.Query:
    word = terms[0].text
    compounds = compounds_of(searcher.reader(), fieldname, word)
    if not compounds:
        return q
    word_idf = searcher.idf(fieldname, word)
    alternatives: list[query.Query] = list(terms)
    for compound in compounds:
        weight = min(1.0, word_idf / searcher.idf(fieldname, compound))
        alternatives += [
            CompoundTerm(t.fieldname, compound, word, boost=t.boost * weight) for t in terms if t.fieldname == fieldname
        ]
    return query.Or(alternatives, boost=q.boost if q is not terms[0] else 1.0)
