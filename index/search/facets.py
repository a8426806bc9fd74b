"""Facet counts over every match of a query (not only the page shown): year and language.

A page of ten hits says nothing about where the other 3,000 lie, so a filter needs counts
over the whole match set. Reading the stored fields of each match would cost a pickle per
document; instead each segment is turned once into two small arrays (the year and the
language of each of its documents, as codes, from the postings of the ``date`` field's
year terms and of the ``language`` terms), kept while the segment is open. A query's
counts are then one ``bincount`` per segment.
"""

from __future__ import annotations

import weakref
from collections import Counter

import numpy as np
from whoosh.reading import SegmentReader
from whoosh.searching import Searcher

from .arrayscore import _postings

FACETS = ("year", "language")

# facet -> (code of each document of the segment, 0 = none; the label of code i + 1)
_SegmentFacets = dict[str, tuple[np.ndarray, list[str]]]


def _is_year(term: str) -> bool:
    return len(term) == 4 and term.isdigit()  # the date field holds 2023, 2023-07 and 2023-07-14


_TERMS = {"year": ("date", _is_year), "language": ("language", lambda term: True)}


class FacetCounter:
    """Counts matches by year and language for one index; caches per-segment code arrays."""

    def __init__(self) -> None:
        self._segments: weakref.WeakKeyDictionary[SegmentReader, _SegmentFacets] = weakref.WeakKeyDictionary()

    def count(self, searcher: Searcher, matched: np.ndarray) -> dict[str, dict[str, int]]:
        """``{"year": {"2023": 12, ...}, "language": {"nb": 30, ...}}`` over the global document
        numbers ``matched``; years newest first, languages most frequent first."""
        totals: dict[str, Counter[str]] = {facet: Counter() for facet in FACETS}
        matched = np.asarray(matched, dtype=np.int64)
        for reader, offset in searcher.reader().leaf_readers():
            size = reader.doc_count_all()
            local = matched[(matched >= offset) & (matched < offset + size)] - offset
            if not len(local):
                continue
            for facet, (codes, labels) in self._facets(reader).items():
                counts = np.bincount(codes[local], minlength=len(labels) + 1)
                for label, n in zip(labels, counts[1:].tolist()):
                    if n:
                        totals[facet][label] += n
        return {
            "year": dict(sorted(totals["year"].items(), reverse=True)),
            "language": dict(totals["language"].most_common()),
        }

    def _facets(self, reader: SegmentReader) -> _SegmentFacets:
        facets = self._segments.get(reader)
        if facets is None:
            facets = self._segments[reader] = {facet: _codes(reader, *_TERMS[facet]) for facet in FACETS}
        return facets


def _codes(reader: SegmentReader, field: str, wanted) -> tuple[np.ndarray, list[str]]:
    codes = np.zeros(reader.doc_count_all(), dtype=np.int32)
    labels: list[str] = []
    if field in reader.schema and reader.doc_count_all():
        for raw in reader.lexicon(field):
            term = raw.decode("utf-8") if isinstance(raw, bytes) else raw
            if wanted(term):
                labels.append(term)
                codes[_postings(reader, field, term).ids] = len(labels)
    return codes, labels
