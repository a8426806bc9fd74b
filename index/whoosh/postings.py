"""Whoosh's W3 posting lists, gathered and written a term at a time.

Whoosh gathers a segment's postings as one tuple each, sorts them all at the commit, then
writes them one posting at a time: four method calls each (``FieldWriter.add_postings`` ->
``W3FieldWriter.add`` -> ``W3PostingsWriter.add_posting``, with type assertions), and each
posting's field length read back from the length column on disk. That was 60 % of a
sub-writer's time. Here :class:`TermGroupedPool` gathers the postings by term, so the commit
sorts the terms (a tenth as many), and :class:`TermAtATimeCodec` builds each term's blocks in
one pass, from field lengths read once per segment. The files are Whoosh's, byte for byte
(``tests/test_postings.py`` holds it to that), so Whoosh reads them as it reads its own.
"""

from __future__ import annotations

import heapq
import pickle
import zlib
from array import array
from collections.abc import Callable, Iterable, Iterator
from itertools import chain, groupby, islice
from operator import itemgetter

from whoosh.codec.base import OutOfOrderError
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3Codec, W3FieldWriter, W3TermInfo
from whoosh.formats import Positions
from whoosh.system import pack_int, pack_long, pack_ushort
from whoosh.util.numeric import length_to_byte
from whoosh.writing import PostingPool, SegmentWriter

from ..analysis.compounds import compound_lines, compounds_file
from .rankfile import RankFileWriter, rank_file_name


# Blocks smaller than this are written uncompressed. Measured on the 72,000 blocks of 5,000
# Lovdata and NoReC documents: under 96 bytes (40,000 blocks: a term in one or two documents)
# zlib's header and checksum make a block 1.0-1.5x larger; from 96 to 256 bytes (17,000) it
# saves 0.6 MB of 2.5, 2 % of the index, for 55 % of the remaining zlib calls, which were 12 %
# of a writer's time. Whoosh meant to skip small blocks ("if the pickle is less than 20 bytes,
# don't bother compressing"), but its next line sets the level again. Readers check each
# block's level.
MIN_COMPRESSED_BYTES = 256


class TermAtATimeCodec(W3Codec):
    """Whoosh's ``W3Codec`` (posting lists in blocks of ``blocklimit``, each block
    zlib-compressed at level ``compression`` when it has at least ``min_compressed_bytes``)
    whose field writer writes a term at a time. For each field in ``compound_fields`` a
    segment also gets a file of the compounds among its terms (:mod:`index.analysis.compounds`),
    and for each in ``rank_fields`` its postings as arrays (:mod:`index.whoosh.rankfile`)."""

    def __init__(
        self,
        blocklimit: int = 128,
        compression: int = 3,
        min_compressed_bytes: int = MIN_COMPRESSED_BYTES,
        compound_fields: tuple[str, ...] = (),
        rank_fields: tuple[str, ...] = (),
    ):
        super().__init__(blocklimit=blocklimit, compression=compression, inlinelimit=1)
        self.min_compressed_bytes = min_compressed_bytes
        self.compound_fields = compound_fields
        self.rank_fields = rank_fields

    def field_writer(self, storage, segment) -> W3FieldWriter:
        return TermAtATimeFieldWriter(self, storage, segment)


class TermAtATimeFieldWriter(W3FieldWriter):
    """``W3FieldWriter`` whose ``add_postings`` writes each term's postings in one go."""

    _terms: dict[str, int] | None = None  # the field's terms and their document frequencies
    _ranks: RankFileWriter | None = None

    def start_field(self, fieldname, fieldobj) -> None:
        super().start_field(fieldname, fieldobj)
        self._terms = {} if fieldname in getattr(self._codec, "compound_fields", ()) else None
        if fieldname in getattr(self._codec, "rank_fields", ()) and type(fieldobj.format) is Positions:
            self._ranks = RankFileWriter(self._create_file(rank_file_name(fieldname)))

    def finish_field(self) -> None:
        if self._ranks is not None:
            self._ranks.close()
            self._ranks = None
        if self._terms is not None:
            for by_compound in (False, True):
                file = self._create_file(compounds_file(self._fieldname, by_compound))
                file.write(compound_lines(self._terms, by_compound))
                file.close()
            self._terms = None
        super().finish_field()

    def add_postings(self, schema, lengths, items) -> None:
        """Write sorted ``(field, term bytes, docnum, weight, value bytes)`` postings, as
        Whoosh's ``FieldWriter.add_postings`` does (docnum -1 marks a spelling word, skipped)."""
        field_lengths = _FieldLengths(schema, lengths)
        last = None
        flengths: list = []
        for fieldname, btext, postings in _by_term(items):
            if last is not None and (fieldname, btext) <= last:
                raise OutOfOrderError(f"Term {last[0]}:{last[1]!r} .. {fieldname}:{btext!r}")
            if last is None or fieldname != last[0]:
                if last is not None:
                    self.finish_field()
                self.start_field(fieldname, schema[fieldname])
                flengths = field_lengths[fieldname]
            last = (fieldname, btext)
            if postings[0][0] == -1:  # sorted first
                postings = [posting for posting in postings if posting[0] != -1]
                if not postings:
                    continue
            self._write_term(btext, postings, flengths)
        if last is not None:
            self.finish_field()

    def _write_term(self, btext: bytes, postings: list, flengths) -> None:
        """One term's posting list, as ``W3PostingsWriter`` and ``W3TermInfo`` write it."""
        codec = self._codec
        limit, level, min_compressed = codec._blocklimit, codec._compression, codec.min_compressed_bytes
        fixedsize = self._format.fixed_value_size()
        ids, weights, values = zip(*postings)
        doc_lengths = list(map(flengths.__getitem__, ids))
        chunks = [WHOOSH3_HEADER_MAGIC]
        total_weight = 0
        minlength, maxlength, maxweight = None, 0, 0
        count = len(ids)
        for first in range(0, count, limit):
            last = first + limit
            block_ids = ids[first:last]
            block_weights = array("f", weights[first:last])  # stored as 32-bit floats
            block_maxweight = max(0, max(weights[first:last]))
            known_lengths = [length for length in doc_lengths[first:last] if length]
            block_min = min(known_lengths) if known_lengths else None
            block_max = max(known_lengths) if known_lengths else 0

            total_weight += sum(block_weights)
            minlength = block_min if minlength is None else min(minlength, block_min)
            maxlength = max(maxlength, block_max)
            maxweight = max(maxweight, block_maxweight)

            gaps = tuple(docnum - previous for previous, docnum in zip((0,) + block_ids, block_ids))
            data = pickle.dumps((gaps, _mini_weights(block_weights), _mini_values(values[first:last], fixedsize)), 2)
            compression = level if len(data) >= min_compressed else 0
            if compression:
                data = zlib.compress(data, compression)
            info = pickle.dumps(
                (len(block_ids), block_ids[-1], block_maxweight, compression, length_to_byte(block_min), length_to_byte(block_max)),
                2,
            )
            size = len(info) + len(data)
            chunks += (pack_int(-size if last >= count else size), info, data)
        blob = b"".join(chunks)
        start = self._postfile.tell()
        self._postfile.write(blob)
        terminfo = _TERMINFO.pack(
            False,
            total_weight,
            count,
            0 if minlength is None else length_to_byte(minlength),
            length_to_byte(maxlength),
            maxweight,
            ids[0],
            ids[-1],
        )
        self._tindex.add(pack_ushort(self._fieldid) + btext, terminfo + pack_long(start) + pack_int(len(blob)))
        if self._ranks is not None:
            self._ranks.add(start, ids, weights, values)
        if self._terms is not None:
            self._terms[btext.decode("utf-8")] = count


_TERMINFO = W3TermInfo._struct


def _by_term(items):
    """``(field, term bytes, [(docnum, weight, value bytes), ...])`` of sorted postings: from
    a :class:`TermGroupedPool` as it holds them, else grouped from Whoosh's posting tuples."""
    by_term = getattr(items, "by_term", None)
    if by_term is not None:
        return by_term()
    return ((field, btext, [posting[2:] for posting in group]) for (field, btext), group in groupby(items, key=itemgetter(0, 1)))


class _FieldLengths(dict):
    """Each field's length in every document of the segment, read once per field. (Whoosh
    records lengths of scorable fields only: the others are 0.)"""

    def __init__(self, schema, lengths):
        super().__init__()
        self._schema = schema
        self._lengths = lengths

    def __missing__(self, fieldname: str) -> list:
        if self._lengths is None or not self._schema[fieldname].scorable:
            return _NoLengths()
        length_of = self._lengths.doc_field_length
        self[fieldname] = found = [length_of(docnum, fieldname) for docnum in range(self._lengths.doc_count_all())]
        return found


class _NoLengths:
    def __getitem__(self, docnum: int) -> int:
        return 0


def _mini_weights(weights: array):
    """A block's weights as Whoosh stores them: ``None`` when all are 1.0, one number when all
    are the same, else a tuple."""
    if weights.count(1.0) == len(weights):
        return None
    if weights.count(weights[0]) == len(weights):
        return weights[0]
    return tuple(weights)


def _mini_values(values: tuple[bytes, ...], fixedsize: int | None):
    """A block's value bytes as Whoosh stores them (empty values are left out, as Whoosh does)."""
    values = tuple(value for value in values if value)
    if fixedsize is None or fixedsize < 0:
        return values
    if fixedsize == 0:
        return None
    return b"".join(values)


class TermGroupedPool(PostingPool):
    """Whoosh's ``PostingPool`` (postings held in memory up to ``limitmb``, then sorted out to a
    temporary file, a run, and the runs merged at the end), holding each term's postings
    together: sorting them is sorting the terms, and a run holds one pickle per
    :data:`TERMS_PER_PICKLE` terms where Whoosh's holds one per posting. A writer adds each
    term's postings in document order, and a later run holds later documents, so merging
    runs is joining each term's lists in run order."""

    def __init__(self, tempstore, segment, limitmb: float = 128, whole_fields: bool = False, **kwargs):
        super().__init__(tempstore, segment, limitmb=limitmb, **kwargs)
        self._fields: dict[str, dict[bytes, list]] = {}  # field -> term -> [(docnum, weight, value)]
        # Whether a document's fields may come a field at a time (:func:`index.whoosh.adding.add_document`):
        # not when the schema has spelling or vector fields, which that path leaves out.
        self.whole_fields = whole_fields

    def add(self, item: tuple) -> None:
        fieldname, tbytes, docnum, weight, vbytes = item
        self.add_field(fieldname, docnum, [(tbytes, 0, weight, vbytes)])

    def add_field(self, fieldname: str, docnum: int, items: Iterable[tuple[bytes, int, float, bytes]]) -> int:
        """Add one document's postings in one field (the items of ``field.index(value)``), as
        as many :meth:`add` calls would; return the sum of their frequencies."""
        terms = self._fields.get(fieldname)
        if terms is None:
            terms = self._fields[fieldname] = {}
            self.fieldnames.add(fieldname)
        per_posting = 150 + len(fieldname)  # Whoosh's estimate of a posting's memory, with the term's and value's lengths
        length = size = 0
        for tbytes, freq, weight, vbytes in items:
            postings = terms.get(tbytes)
            if postings is None:
                postings = terms[tbytes] = []
            postings.append((docnum, weight * 1.0, vbytes))  # Whoosh multiplies by the field boost
            length += freq
            size += per_posting + 2 * len(tbytes) + len(vbytes or b"")
        self.currentsize += size
        if self.currentsize > self.limit:
            self.save()
        return length

    def _take_terms(self) -> Iterator[tuple[str, bytes, list]]:
        """The terms held in memory, sorted, each with its postings; the pool is left empty."""
        fields, self._fields = self._fields, {}
        self.currentsize = 0
        for fieldname in sorted(fields):
            terms = fields[fieldname]
            for tbytes in sorted(terms):
                postings = terms[tbytes]
                postings.sort()  # in document order already: one linear check
                yield fieldname, tbytes, postings

    def save(self) -> None:
        """Write the terms held in memory out as a run."""
        path, file = self._new_run()
        with file:
            terms = self._take_terms()
            while chunk := list(islice(terms, TERMS_PER_PICKLE)):
                pickle.dump(chunk, file, pickle.HIGHEST_PROTOCOL)
        self.runs.append(path)

    def _read_run(self, path: str) -> Iterator[tuple[str, bytes, list]]:
        with self._open_run(path) as file:
            while True:
                try:
                    chunk = pickle.load(file)
                except EOFError:
                    break
                yield from chunk
        self._remove_run(path)

    def _merged_terms(self) -> Iterator[tuple[str, bytes, list]]:
        runs, self.runs = self.runs, []
        streams = [self._read_run(path) for path in runs] + [self._take_terms()]
        merged = heapq.merge(*streams, key=_term_key)  # stable: equal terms come in run order
        for (field, btext), same_term in groupby(merged, key=_term_key):
            parts = [postings for _, _, postings in same_term]
            yield field, btext, parts[0] if len(parts) == 1 else list(chain.from_iterable(parts))

    def items(self, maxfiles: int = 128) -> _HeldPostings:
        """The postings in order; every run is open at once (``maxfiles`` is not used: with
        ``limitmb`` in the hundreds, one commit's runs are a handful)."""
        return _HeldPostings(self._merged_terms if self.runs else self._take_terms)

    def cleanup(self) -> None:
        for path in self.runs:
            self._remove_run(path)
        self.runs = []


# A run's terms are pickled in chunks: one pickle a term costs more than its postings.
TERMS_PER_PICKLE = 1024
_term_key = itemgetter(0, 1)


class _HeldPostings:
    """A pool's postings: Whoosh's sorted posting tuples, or (:func:`_by_term`) by term."""

    def __init__(self, by_term: Callable[[], Iterator[tuple[str, bytes, list]]]):
        self.by_term = by_term

    def __iter__(self):
        for field, btext, postings in self.by_term():
            for posting in postings:
                yield (field, btext, *posting)


def group_postings_by_term(writer: SegmentWriter) -> None:
    """Give a new ``SegmentWriter`` (no postings yet) a :class:`TermGroupedPool`."""
    pool = writer.pool
    if pool.current or pool.runs or getattr(pool, "_fields", None):
        raise ValueError("the writer already holds postings")
    plain = not any(field.separate_spelling() or field.vector for _, field in writer.schema.items())
    writer.pool = TermGroupedPool(pool.tempstore, pool.segment, limitmb=pool.limit / (1024 * 1024), whole_fields=plain)
