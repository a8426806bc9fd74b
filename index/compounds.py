"""Compounds: ``skatt`` also finds ``eiendomsskatt``, ``minister`` ``utenriksminister``.

Norwegian writes compounds as one word, and the last part says what the whole is: an
``eiendomsskatt`` is a ``skatt``. A query word is searched as itself and as the compounds
the index holds that end in it, where what comes before it is a word of the index too,
itself or without a linking ``s`` or ``e`` (``eiendom-s-skatt``, ``barn-e-hage``). The split
is learned from the indexed vocabulary, with no dictionary. Each segment keeps its terms by
their endings (:func:`index.postings.endings_file`), so finding them is a binary search.

A compound counts as an occurrence of its last part, no more: its boost is the ratio of the
part's idf to its own, so its rarity does not rank it above the word that was asked for.
"""

from __future__ import annotations

from bisect import bisect_left

import numpy as np
from whoosh import query
from whoosh.reading import IndexReader, SegmentReader
from whoosh.searching import Searcher

from .postings import endings_file

# Shorter words than this are not searched inside compounds (``lov`` is in too many).
MIN_PART = 4
# The shortest first part, and the most compounds one word brings, commonest first.
MIN_FIRST_PART = 3
MAX_COMPOUNDS = 10
LINKING_LETTERS = ("s", "e")


class CompoundTerm(query.Term):
    """A compound searched for ``word``, the term it ends in (proximity leaves it out, and
    snippets weigh it as ``word``)."""

    def __init__(self, fieldname: str, text: str, word: str, boost: float = 1.0):
        super().__init__(fieldname, text, boost=boost)
        self.word = word


def words_of_compounds(q: query.Query) -> dict[str, str]:
    """Each compound term of ``q`` and the word it is searched for."""
    return {leaf.text: leaf.word for leaf in q.leaves() if isinstance(leaf, CompoundTerm)}


class _Endings:
    """One segment's file of terms by their endings: the bytes and where each line starts
    (100,000 documents: 7 MB and 3 MB, not the 40 MB of as many strings)."""

    def __init__(self, data: bytes):
        self.data = data
        newlines = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 10)
        self.starts = np.concatenate(([0], newlines + 1)) if data else np.zeros(0, dtype=np.int64)
        self.ends = np.concatenate((newlines, [len(data)])) if data else np.zeros(0, dtype=np.int64)

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


_SEGMENTS: dict[tuple[str, str, str], _Endings] = {}
_NONE = _Endings(b"")
MAX_CACHED_SEGMENTS = 64


def _endings(reader: SegmentReader, fieldname: str) -> _Endings:
    """The segment's terms of ``fieldname`` by their endings (none for a segment written
    without the file), read once per segment."""
    storage = getattr(reader, "_storage", None)
    if storage is None:  # the empty reader of an index with no segment yet
        return _NONE
    key = (str(getattr(storage, "folder", id(storage))), reader.segment().segment_id(), fieldname)
    endings = _SEGMENTS.get(key)
    if endings is None:
        name = reader.segment().make_filename(endings_file(fieldname))
        data = b""
        if storage.file_exists(name):
            with storage.open_file(name) as file:
                data = file.read()
        if len(_SEGMENTS) >= MAX_CACHED_SEGMENTS:
            _SEGMENTS.clear()
        endings = _SEGMENTS[key] = _Endings(data)
    return endings


def compounds_of(reader: IndexReader, fieldname: str, word: str) -> list[str]:
    """The index terms of ``fieldname`` that are compounds ending in the term ``word``,
    commonest first, at most :data:`MAX_COMPOUNDS`."""
    if len(word) < MIN_PART:
        return []
    ending = word[::-1].encode("utf-8")
    found: set[str] = set()
    for segment, _offset in reader.leaf_readers():
        for line in _endings(segment, fieldname).starting_with(ending):
            term = line.decode("utf-8")[::-1]
            if len(term) >= len(word) + MIN_FIRST_PART:
                found.add(term)
    compounds = [term for term in found if _is_word(reader, fieldname, term[: -len(word)])]
    compounds.sort(key=lambda term: (-reader.doc_frequency(fieldname, term), term))
    return compounds[:MAX_COMPOUNDS]


def _is_word(reader: IndexReader, fieldname: str, first: str) -> bool:
    if reader.doc_frequency(fieldname, first):
        return True
    return first.endswith(LINKING_LETTERS) and len(first) > MIN_FIRST_PART and bool(reader.doc_frequency(fieldname, first[:-1]))


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
