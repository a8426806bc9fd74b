"""Plain word queries scored a whole posting list at a time, on arrays.

Whoosh scores one document at a time through a tree of Python matchers: a question whose
words occur in half of 100,000 documents spends most of half a second there, and an exact
total needs every one of those documents visited. Most queries are plain words, OR-ed over
title and text (:class:`~index.search.ranking.CoordinatedOr` of field terms). For those, each
posting list is read once, as arrays from the segment's rank file (:mod:`index.whoosh.rankfile`),
and BM25 with the coordination factor is computed with numpy over all documents at once; the
exact total comes with it.

The scores are the matcher path's, operation for operation (``tests/test_arrayscore.py``
compares the two on real text). Every other query (phrases, prefixes, fuzzy terms, ``NOT``,
boosts) keeps Whoosh's path. A term the rank file does not hold (in one document, or a segment
written without one) is read from Whoosh's blocks, below its public API, in the W3 codec of the
pinned whoosh-reloaded 2.7.5.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from whoosh import query
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher
from whoosh.matching import FilterMatcher
from whoosh.reading import SegmentReader, TermNotFound
from whoosh.searching import Searcher
from whoosh.util.numeric import _length_byte_cache

from ..whoosh.rankfile import rank_file
from .ranking import CoordinatedOr
from .scoring import NorwegianBM25

# One word of a query: the (field, term) alternatives it may match, each with its boost.
Word = tuple[tuple[str, str, float], ...]

_BYTE_TO_LENGTH = np.asarray(_length_byte_cache, dtype=np.float64)


@dataclass(frozen=True)
class Ranked:
    """The best documents (global numbers, best first, with scores), how many matched, and
    the global numbers of all that matched (for facet counts). With ``parts``: each best
    document's score as the parts of the query's words, which add up to it."""

    total: int
    docnums: tuple[int, ...]
    scores: tuple[float, ...]
    matched: np.ndarray
    parts: tuple[tuple[float, ...], ...] | None = None
    postings: ReadPostings | None = None


class ReadPostings:
    """The posting lists that a ranking read, kept for re-ranking: reading a term's postings
    again to find the positions of the best hits (:mod:`index.search.proximity`) opened the
    term, skipped through its blocks and decompressed them a second time."""

    def __init__(self) -> None:
        # (field, term) -> per segment: (offset, its postings of the term)
        self._read: dict[tuple[str, str], list[tuple[int, SegmentPostings]]] = {}

    def add(self, field: str, term: str, offset: int, postings: SegmentPostings) -> None:
        self._read.setdefault((field, term), []).append((offset, postings))

    def has(self, field: str, term: str) -> bool:
        """Whether the ranking read the postings of ``term`` (in every segment)."""
        return (field, term) in self._read

    def counts(self, field: str, terms: Iterable[str], docnums: Iterable[int]) -> dict[int, dict[str, int]] | None:
        """How many times each of ``docnums`` holds each of ``terms`` (the terms it holds), or
        ``None`` when the ranking did not read them all."""
        terms = list(terms)
        if not all(self.has(field, term) for term in terms):
            return None
        wanted = sorted(set(docnums))
        counts: dict[int, dict[str, int]] = {docnum: {} for docnum in wanted}
        for term in terms:
            for docnum, positions in self.positions(field, term, wanted):
                counts[docnum][term] = len(positions)
        return counts

    def holding(self, field: str, term: str, docnums: Sequence[int]) -> set[int]:
        """Those of the global ``docnums`` that hold ``term`` (:meth:`has` must be true)."""
        return {docnum for docnum, _postings, _index in self._found(field, term, docnums)}

    def positions(self, field: str, term: str, docnums: Sequence[int]) -> Iterator[tuple[int, list[int]]]:
        """(docnum, positions) for each of the sorted global ``docnums`` that hold ``term``, as
        ``reader.postings(field, term)`` gives them (:meth:`has` must be true)."""
        for docnum, postings, index in self._found(field, term, docnums):
            yield docnum, postings.positions(index)

    def _found(self, field: str, term: str, docnums: Sequence[int]) -> Iterator[tuple[int, SegmentPostings, int]]:
        """Each of the global ``docnums`` that holds ``term``: the segment's postings of it and
        where in them it is, segment by segment (so in order for sorted ``docnums``)."""
        wanted = np.asarray(docnums, dtype=np.int64)
        for offset, postings in self._read[(field, term)]:
            ids = postings.ids
            local = wanted - offset
            at = np.searchsorted(ids, local)
            inside = at < len(ids)
            for docnum, index in zip(wanted[inside].tolist(), at[inside].tolist()):
                if ids[index] == docnum - offset:
                    yield docnum, postings, index


class SegmentPostings(Protocol):
    """A term's postings in one segment: document numbers in order (deleted ones included),
    weights, and each one's positions by its index."""

    ids: np.ndarray
    weights: np.ndarray

    def positions(self, index: int) -> list[int]: ...


class W3Postings:
    """A term's postings read from Whoosh's W3 blocks; the positions decoded when asked."""

    __slots__ = ("ids", "weights", "_values", "_format")

    def __init__(self, ids: np.ndarray, weights: np.ndarray, values: list[bytes], format_=None) -> None:
        self.ids, self.weights, self._values, self._format = ids, weights, values, format_

    def positions(self, index: int) -> list[int]:
        return self._format.decode_positions(self._values[index])


def plain_words(q: query.Query) -> list[Word] | None:
    """The words of ``q`` if it is plain words OR-ed over fields, without boosts on groups;
    else ``None`` (the query needs Whoosh's matchers)."""
    subqueries = q.subqueries if type(q) is CoordinatedOr else [q]
    if q.boost != 1:
        return None
    words: list[Word] = []
    for sub in subqueries:
        if type(sub) is query.Term:
            terms = [sub]
        elif type(sub) is query.Or and sub.boost == 1:
            terms = _alternatives(sub)
        else:
            return None
        if not all(isinstance(term, query.Term) for term in terms):  # words and their compounds
            return None
        words.append(tuple((term.fieldname, term.text, term.boost) for term in terms))
    return words


def _alternatives(q: query.Or) -> list[query.Query]:
    """The subqueries of ``q``, with those of an ``Or`` among them (not boosted) in its place: a
    hyphenated word (``Øst-Europa``) is its parts OR-ed over fields, and a part its compounds."""
    found: list[query.Query] = []
    for sub in q.subqueries:
        found += _alternatives(sub) if type(sub) is query.Or and sub.boost == 1 else [sub]
    return found


class ArrayScorer:
    """Scores plain word queries for one index; keeps each segment's field lengths as arrays."""

    def __init__(self) -> None:
        # segment reader -> field -> length of that field in each document of the segment
        self._lengths: weakref.WeakKeyDictionary[SegmentReader, dict[str, np.ndarray]] = weakref.WeakKeyDictionary()

    def rank(
        self, searcher: Searcher, words: list[Word], limit: int, allowed: set[int] | None = None, parts: bool = False
    ) -> Ranked:
        """The ``limit`` best documents for ``words`` (scored as :class:`CoordinatedOr` with
        ``searcher``'s :class:`NorwegianBM25`), among ``allowed`` global numbers if given; with
        ``parts``, also each word's part of their scores (kept for all documents meanwhile)."""
        weighting = searcher.weighting
        if not isinstance(weighting, NorwegianBM25):
            raise TypeError(f"array scoring computes NorwegianBM25, not {type(weighting).__name__}")
        size = searcher.doc_count_all()
        scores = np.zeros(size)
        matched = np.zeros(size, dtype=np.int32)
        per_word = np.zeros((len(words), size)) if parts else None
        read = ReadPostings()
        for reader, offset in searcher.reader().leaf_readers():
            doccount = reader.doc_count_all()
            segment_scores = scores[offset : offset + doccount]
            for index, word in enumerate(words):
                word_scores = np.zeros(doccount)
                word_matched = np.zeros(doccount, dtype=bool)
                for field, text, boost in word:
                    postings = _postings(reader, field, text)
                    read.add(field, text, offset, postings)
                    ids = postings.ids
                    if not len(ids):
                        continue
                    lengths = self._field_lengths(reader, field)[ids]
                    term_scores = _bm25(searcher, weighting, field, text, postings.weights, lengths)
                    if boost != 1:
                        term_scores = term_scores * boost
                    word_scores[ids] += term_scores
                    word_matched[ids] = True
                segment_scores += word_scores
                if per_word is not None:
                    per_word[index, offset : offset + doccount] = word_scores
                matched[offset : offset + doccount] += word_matched
            if reader.has_deletions():
                matched[[offset + docnum for docnum in reader.deleted_docs_set]] = 0
        if allowed is not None:
            mask = np.zeros(size, dtype=bool)
            mask[list(allowed)] = True
            matched[~mask] = 0
        candidates = np.flatnonzero(matched)
        final = scores[candidates] * matched[candidates] / len(words)
        if len(candidates) > limit:
            best = np.argpartition(-final, limit - 1)[:limit]
            threshold = final[best].min()
            best = np.flatnonzero(final >= threshold)  # every tie at the cut, ordered below
        else:
            best = np.arange(len(candidates))
        order = best[np.lexsort((candidates[best], -final[best]))][:limit]  # score, then lower docnum
        top = candidates[order]
        return Ranked(
            total=len(candidates),
            docnums=tuple(int(d) for d in top),
            scores=tuple(float(s) for s in final[order]),
            matched=candidates,
            parts=None if per_word is None else tuple(map(tuple, (per_word[:, top] * matched[top] / len(words)).T.tolist())),
            postings=read,
        )

    def _field_lengths(self, reader: SegmentReader, field: str) -> np.ndarray:
        per_field = self._lengths.setdefault(reader, {})
        lengths = per_field.get(field)
        if lengths is None:
            lengths = per_field[field] = _read_field_lengths(reader, field)
        return lengths


def _bm25(searcher: Searcher, weighting: NorwegianBM25, field: str, text: str, tf: np.ndarray, fl: np.ndarray):
    """Whoosh's ``scoring.bm25``, in its order of operations, on arrays."""
    idf = searcher.idf(field, text)
    avgfl = searcher.avg_field_length(field) or 1
    b, k1 = weighting.B, weighting.K1
    return idf * ((tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * fl / avgfl)))


def _postings(reader: SegmentReader, field: str, text: str) -> SegmentPostings:
    """A term's postings in a segment (deleted documents included): from the segment's rank
    file (:mod:`index.whoosh.rankfile`) where it holds the term, else from Whoosh's blocks."""
    terms = getattr(reader, "_terms", None)  # none in the empty reader of an index without segments
    try:
        info = terms.term_info(field, text.encode("utf-8")) if terms is not None else None
    except TermNotFound:
        info = None
    if info is None:
        return _NONE
    ranks = rank_file(reader, field) if not info.is_inlined() else None
    if ranks is not None:
        found = ranks.postings(info.extent()[0])
        if found is not None:
            return found
    return _w3_postings(reader.postings(field, text), reader.schema[field].format)


def _w3_postings(matcher, format_) -> W3Postings:
    """A term's postings from Whoosh's matcher of them, its blocks read below its public API."""
    if isinstance(matcher, FilterMatcher):  # the deletions wrapper: the caller drops deleted documents
        matcher = matcher.child
        matcher.reset()  # the wrapper has already stepped past deleted documents
    values: list[bytes] = []
    if not isinstance(matcher, W3LeafMatcher):  # a term in one document may be kept inline, not in blocks
        ids, weights = [], []
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            values.append(matcher.value())
            matcher.next()
        return W3Postings(np.asarray(ids, dtype=np.int64), np.asarray(weights, dtype=np.float64), values, format_)
    id_blocks, weight_blocks = [], []
    while matcher.is_active():
        matcher._read_data()
        raw_ids, raw_weights, _values = matcher._data
        matcher._read_values()
        values.extend(matcher._values)
        ids = np.asarray(raw_ids, dtype=np.int64)
        id_blocks.append(ids if matcher._byteids else np.cumsum(ids))  # ids are stored as gaps
        if raw_weights is None:  # every weight 1.0
            weight_blocks.append(np.ones(len(ids)))
        elif isinstance(raw_weights, float):  # every weight the same
            weight_blocks.append(np.full(len(ids), raw_weights))
        else:
            weight_blocks.append(np.asarray(raw_weights, dtype=np.float64))
        matcher._next_block()
    return W3Postings(np.concatenate(id_blocks), np.concatenate(weight_blocks), values, format_)


_NONE = W3Postings(np.zeros(0, dtype=np.int64), np.zeros(0), [])


def _read_field_lengths(reader: SegmentReader, field: str) -> np.ndarray:
    """The length of ``field`` in every document of the segment, from its one-byte column."""
    doccount = reader.doc_count_all()
    column = reader._perdoc._cached_reader(f"_{field}_len", LENGTHS_COLUMN)
    codes = np.zeros(doccount, dtype=np.uint8)
    if column is not None:
        stored = np.frombuffer(column._dbfile.get(column._basepos, column._count), dtype=np.uint8)
        codes[: len(stored)] = stored
    return _BYTE_TO_LENGTH[codes]
