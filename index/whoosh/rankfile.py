"""Each segment's postings of ``title`` and ``text`` again, as plain arrays: what ranking reads.

Whoosh's W3 postings keep each block of 128 postings as one zlib-compressed pickle of the
document numbers, the weights and the positions together. Ranking a query reads every block of
every term it holds (exact totals, and the array scorer of :mod:`index.search.arrayscore`), and
at 100,000 documents unpickling and decompressing them was 60 % of the ranking and a third of a
search. The writer (:mod:`index.whoosh.postings`) therefore also writes, per field, a file of
each term's postings as little-endian arrays of the narrowest width that holds them, which
numpy reads without a copy:

    record   n (u32), id width, count width, position width, weights kind (u8 each)
             document number gaps (the first one the number itself), n x id width
             counts (positions per document), n x count width
             weights, n x float32, only when they are not the counts (a field boost)
             position gaps per document (the first one the position itself), sum(counts) x position width
    table    the term's postings offset in the W3 file (int64, ascending), one per record;
             each record's offset in this file (int64), and where the table starts
    footer   number of records (u64), where the table starts (u64), :data:`MAGIC`

A term's record is found by the offset of its W3 postings, which the term dictionary gives
anyway, so no second dictionary is kept. Terms in one document are left out
(:data:`MIN_POSTINGS`): a single block of Whoosh's is as quick to read, and they are over half
of the terms. The W3 postings stay as they are, for Whoosh's matchers (phrases, prefixes).
"""

from __future__ import annotations

import os
import pickle
import struct
import sys
import weakref
from array import array
from collections.abc import Sequence
from itertools import chain
from operator import sub

import numpy as np
from whoosh.reading import SegmentReader

MAGIC = b"NSRANKS1"
# Terms with fewer postings are read from Whoosh's postings: at 100,000 documents these are
# 312,000 of the text field's 559,000 terms, and their one small block is read in microseconds.
MIN_POSTINGS = 2

_RECORD = struct.Struct("<IBBBB")
_FOOTER = struct.Struct("<QQ8s")
_DTYPES = {1: np.dtype("<u1"), 2: np.dtype("<u2"), 4: np.dtype("<u4")}
_TYPECODES = {1: "B", 2: "H", 4: "I"}
WEIGHTS_ARE_COUNTS, WEIGHTS_STORED = 0, 1


def rank_file_name(fieldname: str) -> str:
    """The extension of a segment's rank file of ``fieldname``."""
    return f".{fieldname}.ranks"


class DamagedRankFile(ValueError):
    """A rank file whose table or records do not add up."""


# ----------------------------------------------------------------------------- writing


class RankFileWriter:
    """Writes one field's rank file of a segment, a term at a time in the order of the W3
    postings (:meth:`add`), and its table at :meth:`close`."""

    def __init__(self, file) -> None:
        self._file = file
        self._written = 0
        self._postpos = array("q")
        self._offsets = array("q")

    def add(self, postpos: int, ids: Sequence[int], weights: Sequence[float], values: Sequence[bytes]) -> None:
        """One term's postings, as the W3 writer got them: segment document numbers in order,
        weights, and each posting's value as Whoosh's ``Positions`` format encodes it (a count,
        then the pickled position gaps)."""
        if len(ids) < MIN_POSTINGS:
            return
        record = encode_record(ids, weights, values)
        self._postpos.append(postpos)
        self._offsets.append(self._written)
        self._file.write(record)
        self._written += len(record)

    def close(self) -> None:
        table_start = self._written
        self._offsets.append(table_start)
        self._file.write(_little_endian(self._postpos).tobytes())
        self._file.write(_little_endian(self._offsets).tobytes())
        self._file.write(_FOOTER.pack(len(self._postpos), table_start, MAGIC))
        self._file.close()


def encode_record(ids: Sequence[int], weights: Sequence[float], values: Sequence[bytes]) -> bytes:
    """A term's record (see the module docstring)."""
    known = _SHORT_VALUES.get
    gaps_per_doc = [known(value) or _position_gaps(value) for value in values]
    counts = list(map(len, gaps_per_doc))
    id_gaps = [ids[0], *map(sub, ids[1:], ids)]
    id_width, id_bytes = _narrowest(id_gaps)
    count_width, count_bytes = _narrowest(counts)
    position_width, position_bytes = _narrowest(list(chain.from_iterable(gaps_per_doc)))
    kind = WEIGHTS_ARE_COUNTS if list(weights) == counts else WEIGHTS_STORED
    parts = [_RECORD.pack(len(ids), id_width, count_width, position_width, kind), id_bytes, count_bytes]
    if kind == WEIGHTS_STORED:
        parts.append(_little_endian(array("f", weights)).tobytes())  # as W3 keeps them: 32-bit floats
    parts.append(position_bytes)
    return b"".join(parts)


def _position_gaps(value: bytes) -> list[int]:
    """The position gaps of a posting's value, as ``Positions.encode`` wrote them (a count, then
    the pickled gaps). Short values are remembered (:data:`_SHORT_VALUES`): most postings are a
    word's one occurrence in a document, whose value is one of a few thousand, and a look-up is
    a fifth of unpickling."""
    gaps = pickle.loads(value[4:])
    if len(value) <= SHORT_VALUE and len(_SHORT_VALUES) < MAX_SHORT_VALUES:
        _SHORT_VALUES[value] = gaps
    return gaps


SHORT_VALUE = 16  # bytes: a count and one or two gaps
MAX_SHORT_VALUES = 1 << 15
_SHORT_VALUES: dict[bytes, list[int]] = {}


def _narrowest(numbers: list[int]) -> tuple[int, bytes]:
    """The narrowest width (1, 2 or 4 bytes) that holds every one of ``numbers``, and them in it."""
    top = max(numbers, default=0)
    width = 1 if top < 1 << 8 else 2 if top < 1 << 16 else 4
    packed = array(_TYPECODES[width], numbers)
    if packed.itemsize != width:  # "I" is 4 bytes wherever CPython runs today; never trust it silently
        raise RuntimeError(f"array typecode {_TYPECODES[width]!r} is {packed.itemsize} bytes here, not {width}")
    return width, _little_endian(packed).tobytes()


def _little_endian(numbers: array) -> array:
    if sys.byteorder == "big":
        numbers = array(numbers.typecode, numbers)
        numbers.byteswap()
    return numbers


# ----------------------------------------------------------------------------- reading


class RankPostings:
    """One term's postings in one segment: document numbers (``ids``), ``weights`` (what BM25
    takes as the term frequency) and each document's positions (:meth:`positions`)."""

    __slots__ = ("ids", "counts", "weights", "_position_gaps", "_starts")

    def __init__(self, data: bytes) -> None:
        if len(data) < _RECORD.size:
            raise DamagedRankFile("a record shorter than its header")
        n, id_width, count_width, position_width, kind = _RECORD.unpack_from(data)
        try:
            id_type, count_type, position_type = _DTYPES[id_width], _DTYPES[count_width], _DTYPES[position_width]
        except KeyError:
            raise DamagedRankFile("a record with an unknown width") from None
        at = _RECORD.size
        gaps = np.frombuffer(data, id_type, n, at)
        at += n * id_width
        self.counts = np.frombuffer(data, count_type, n, at)
        at += n * count_width
        if kind == WEIGHTS_STORED:
            self.weights = np.frombuffer(data, "<f4", n, at).astype(np.float64)
            at += n * 4
        elif kind == WEIGHTS_ARE_COUNTS:
            self.weights = self.counts.astype(np.float64)
        else:
            raise DamagedRankFile("a record with an unknown kind of weights")
        self.ids = np.cumsum(gaps, dtype=np.int64)
        total = int(self.counts.sum(dtype=np.int64))
        if len(data) != at + total * position_width:
            raise DamagedRankFile("a record whose length does not match its counts")
        self._position_gaps = np.frombuffer(data, position_type, total, at)
        self._starts: np.ndarray | None = None

    def positions(self, index: int) -> list[int]:
        """The positions of the ``index``-th posting (as Whoosh's ``value_as("positions")``)."""
        if self._starts is None:
            self._starts = np.concatenate(([0], np.cumsum(self.counts, dtype=np.int64)))
        start, end = self._starts[index], self._starts[index + 1]
        return np.cumsum(self._position_gaps[start:end], dtype=np.int64).tolist()


class RankFile:
    """A segment's rank file of one field, open for reading; its table read at opening."""

    def __init__(self, path: str) -> None:
        self._fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        self._closer = weakref.finalize(self, os.close, self._fd)
        try:
            size = os.fstat(self._fd).st_size
            if size < _FOOTER.size:
                raise DamagedRankFile(f"{path}: shorter than its footer")
            count, table_start, magic = _FOOTER.unpack(os.pread(self._fd, _FOOTER.size, size - _FOOTER.size))
            if magic != MAGIC or table_start + 8 * (2 * count + 1) + _FOOTER.size != size:
                raise DamagedRankFile(f"{path}: its footer does not match its size")
            table = os.pread(self._fd, 8 * (2 * count + 1), table_start)
            self._postpos = np.frombuffer(table, "<i8", count)
            self._offsets = np.frombuffer(table, "<i8", count + 1, 8 * count)
        except BaseException:
            self.close()
            raise

    def postings(self, postpos: int) -> RankPostings | None:
        """The record of the term whose W3 postings start at ``postpos``, or ``None`` if the
        file has none (a term in fewer than :data:`MIN_POSTINGS` documents)."""
        at = int(np.searchsorted(self._postpos, postpos))
        if at == len(self._postpos) or self._postpos[at] != postpos:
            return None
        start, end = int(self._offsets[at]), int(self._offsets[at + 1])
        data = os.pread(self._fd, end - start, start)
        if len(data) != end - start:
            raise DamagedRankFile("a record past the end of the file")
        return RankPostings(data)

    def close(self) -> None:
        self._closer()


_OPEN: weakref.WeakKeyDictionary[SegmentReader, dict[str, RankFile | None]] = weakref.WeakKeyDictionary()
RANKED_FIELDS = ("title", "text")


def rank_file(reader: SegmentReader, fieldname: str) -> RankFile | None:
    """The rank file of ``fieldname`` in ``reader``'s segment, opened once per reader (closed by
    :func:`close_rank_files`, or when the reader is collected); ``None`` for a segment written
    without one, or whose files a merge removed before it was opened."""
    per_field = _OPEN.get(reader)
    if per_field is None:
        per_field = _OPEN[reader] = {}
    if fieldname not in per_field:
        folder = getattr(getattr(reader, "_storage", None), "folder", None)
        found = None
        if folder is not None:
            try:
                found = RankFile(os.path.join(folder, reader.segment().make_filename(rank_file_name(fieldname))))
            except FileNotFoundError:
                pass
        per_field[fieldname] = found
    return per_field[fieldname]


def open_rank_files(reader) -> None:
    """Open the rank files of every segment of ``reader`` (a searcher's) now, with the
    segment's other files, rather than at its first search, when a merge may have removed them."""
    for segment, _offset in reader.leaf_readers():
        if isinstance(segment, SegmentReader):
            for fieldname in RANKED_FIELDS:
                rank_file(segment, fieldname)


def close_rank_files(reader) -> None:
    """Close the rank files :func:`open_rank_files` opened for ``reader``."""
    for segment, _offset in reader.leaf_readers():
        for found in _OPEN.pop(segment, {}).values():
            if found is not None:
                found.close()
