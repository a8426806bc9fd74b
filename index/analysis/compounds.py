"""Compounds: ``skatt`` also finds ``eiendomsskatt`` and ``skattekontor``, ``bistandsadvokat``
also finds ``advokat``.

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

Decompounding, as retrieval in German, Dutch and the Scandinavian languages does it
(Braschler and Ripplinger, *How effective is stemming and decompounding for German text
retrieval?*, 2004), also counts a compound as an occurrence of its first part: a text about
the ``napoleonskrigene`` is about Napoleon, one on ``skattekontoret`` about tax. And a query
word that is itself a compound of two terms also searches for them, since a text may say
``advokat`` or ``bistand`` where the question says ``bistandsadvokat``, or split what it writes
as one word (``trøbbel med motoren`` for ``motortrøbbel``): together its parts weigh no more
than the word (their boost is the ratio of its idf to the sum of theirs). A word typed with a
capital past the question's first word is a name, not split (``Finland`` is no ``fin land``); a
first part that is a stop word is a prefix or a particle (``for|hold``, ``opp|hold``), not split
off either.

Measured in bench/relevance.py (nDCG@10, passages, even / odd questions): 0.9415 / 0.9418
before, 0.9440 / 0.9437 with query words split into their parts, 0.9458 / 0.9449 with
compounds beginning with a word as well; with 20,000 distractors, 0.9146 / 0.9187 before and
0.9197 / 0.9228 after (bench/README.md). They rank and are marked in a hit, but do not choose
its snippet (:func:`looser_terms`).
"""
from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
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


def compounds_file(fieldname: str, by_compound: bool = False) -> str:
    """The extension of a segment's file of compounds in ``fieldname``, sorted by last part
    or ``by_compound`` (named like the segment's own files, it goes when they go)."""
    return f".{fieldname}.{'compoundstarts' if by_compound else 'compounds'}"


def compound_lines(terms: Mapping[str, int], by_compound: bool = False) -> bytes:
    """The ways ``terms`` (term -> document frequency) split into a first part that is a term
    (itself, or followed by a linking ``s``/``e``) of at least :data:`MIN_FIRST_PART` letters
    and a last part of at least :data:`MIN_PART`, as the file keeps them:
    ``last part \t term \t frequency`` lines, UTF-8, sorted by last part; or, ``by_compound``,
    only those whose last part is a term too (the compounds that begin with a word are two
    terms: :func:`compounds_beginning_with`), in the order of the terms, which is how they are
    made. The writer keeps both files: sorting by compound when a search first needed it took
    0.16 s per 20,000 documents, and looking up the last parts at search time 3.8 ms a word
    at 100,000.

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
            if len(term) - cut >= MIN_PART and "\n" not in term and (not by_compound or term[cut:] in terms):
                lines.append(f"{term[cut:]}\t{term}\t{frequency}")
        prefixes.append(term)
    return "\n".join(lines if by_compound else sorted(lines)).encode("utf-8")


class CompoundTerm(query.Term):
    """A compound searched for ``word``, the term it ends in (proximity leaves it out, and
    snippets weigh it as ``word``)."""

    def __init__(self, fieldname: str, text: str, word: str, boost: float = 1.0):
        super().__init__(fieldname, text, boost=boost)
        self.word = word


class CompoundStart(CompoundTerm):
    """A compound that begins with ``word``, searched for it (:func:`compounds_beginning_with`)."""


class CompoundPart(CompoundTerm):
    """A part of the compound ``word``, searched for it (:func:`parts_of`)."""


def words_of_compounds(q: query.Query) -> dict[str, str]:
    """Each compound term of ``q`` that ends in the word it is searched for, and that word."""
    return {leaf.text: leaf.word for leaf in q.leaves() if type(leaf) is CompoundTerm}


def looser_terms(q: query.Query) -> frozenset[str]:
    """The terms of ``q`` that are a compound beginning with a query word or a part of one: they
    rank and are marked in a hit, but do not choose its snippet (measured: the share of snippets
    that hold the answer fell from 0.835 / 0.830 to 0.822 / 0.822, even / odd questions, when
    they did)."""
    return frozenset(leaf.text for leaf in q.leaves() if isinstance(leaf, (CompoundStart, CompoundPart)))


class _Lines:
    """A sorted file of lines, kept as its bytes and where each line starts and ends
    (a 100,000-document segment's compounds: a few MB, not the many more of as many strings);
    ``by_second``: sorted by what follows the first tab of each line."""

    def __init__(self, data: bytes, by_second: bool = False):
        self.data = data
        self.by_second = by_second
        self.starts: Sequence[int] = ()
        self.ends: Sequence[int] = ()
        if data:
            import numpy as np  # here: writers import this module for compound_lines, and need no numpy

            newlines = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 10)
            self.starts = np.concatenate(([0], newlines + 1))
            self.ends = np.concatenate((newlines, [len(data)]))

    def line(self, index: int) -> bytes:
        return self.data[self.starts[index] : self.ends[index]]

    def _key(self, index: int) -> bytes:
        line = self.line(index)
        return line[line.index(b"\t") + 1 :] if self.by_second else line

    def starting_with(self, prefix: bytes) -> list[bytes]:
        """The lines that start with ``prefix`` (after their first tab, ``by_second``), in order."""
        at = bisect_left(range(len(self.starts)), prefix, key=self._key)
        found = []
        while at < len(self.starts) and self._key(at).startswith(prefix):
            found.append(self.line(at))
            at += 1
        return found


_NONE = _Lines(b"")
_SEGMENTS: dict[tuple[str, str, str, bool], _Lines] = {}
MAX_CACHED_SEGMENTS = 64


def _compounds_in(reader: SegmentReader, fieldname: str, by_compound: bool = False) -> _Lines:
    """The segment's compounds of ``fieldname`` (none for a segment written without the
    file, or the empty reader of an index with no segment yet), read once per segment;
    ``by_compound``: in the order of the compounds, not of their last parts."""
    storage = getattr(reader, "_storage", None)
    if storage is None:
        return _NONE
    key = (str(getattr(storage, "folder", id(storage))), reader.segment().segment_id(), fieldname, by_compound)
    lines = _SEGMENTS.get(key)
    if lines is None:
        name = reader.segment().make_filename(compounds_file(fieldname, by_compound))
        data = b""
        if storage.file_exists(name):
            with storage.open_file(name) as file:
                data = file.read()
        lines = _Lines(data, by_second=by_compound)
        if len(_SEGMENTS) >= MAX_CACHED_SEGMENTS:
            _SEGMENTS.clear()
        _SEGMENTS[key] = lines
    return lines


def prepare_compounds(reader: IndexReader, fieldname: str = "text") -> None:
    """Read the compounds of every segment of ``reader`` now, so that no search pays for it
    within its time budget."""
    for segment, _offset in reader.leaf_readers():
        _compounds_in(segment, fieldname)
        _compounds_in(segment, fieldname, by_compound=True)


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
    return _commonest(frequencies)


def compounds_beginning_with(reader: IndexReader, fieldname: str, word: str) -> list[str]:
    """The index terms of ``fieldname`` that are compounds of the term ``word`` (itself, or
    followed by a linking ``s``/``e``) and another term, commonest first, at most
    :data:`MAX_COMPOUNDS`; none for a word shorter than :data:`MIN_PART`, as for
    :func:`compounds_of`."""
    if len(word) < MIN_PART:
        return []
    prefix = word.encode("utf-8")
    firsts = {word, *(word + letter for letter in LINKING_LETTERS)}
    frequencies: Counter[str] = Counter()
    for segment, _offset in reader.leaf_readers():
        found = {}  # a compound cut two ways (skatt|ekontor, skatte|kontor) counts once
        for line in _compounds_in(segment, fieldname, by_compound=True).starting_with(prefix):
            last, compound, frequency = line.decode("utf-8").split("\t")
            if compound[: len(compound) - len(last)] in firsts:
                found[compound] = int(frequency)
        frequencies.update(found)
    return _commonest(frequencies)


def _commonest(frequencies: Counter[str]) -> list[str]:
    ranked = sorted(frequencies.items(), key=lambda item: (-item[1], item[0]))
    return [compound for compound, _ in ranked[:MAX_COMPOUNDS]]


def parts_of(reader: IndexReader, fieldname: str, word: str) -> tuple[str, ...]:
    """The first part and the last part of the term ``word`` when it is a compound of two
    terms of ``fieldname``, split as :func:`compound_lines` splits (a first part of at least
    :data:`MIN_FIRST_PART` letters that is not a stop word, itself or with a linking ``s`` or
    ``e``, and a last part of at least :data:`MIN_PART`), the longest last part first; none
    when it is not one."""
    from . import NORWEGIAN_STOP_WORDS  # here: the analysis package imports the writers' modules

    for cut in range(MIN_FIRST_PART, len(word) - MIN_PART + 1):
        last = word[cut:]
        if (fieldname, last) not in reader:
            continue
        for first in (word[:cut], word[: cut - 1] if word[cut - 1] in LINKING_LETTERS else ""):
            if len(first) >= MIN_FIRST_PART and first not in NORWEGIAN_STOP_WORDS and (fieldname, first) in reader:
                return first, last
    return ()


def expand_compounds(
    q: query.Query, searcher: Searcher, fieldname: str = "text", names: Collection[str] = ()
) -> query.Query:
    """``q`` with each plain word of ``fieldname`` also searched as the compounds of that field
    that end or begin with it, and as its parts when it is a compound of two terms, unless its
    term is one of ``names`` (only in that field: a title is searched for the word itself)."""
    if type(q) is query.Term and q.fieldname == fieldname:
        return _with_compounds(q, [q], searcher, fieldname, names)
    if type(q) is query.Or and q.subqueries and all(type(t) is query.Term for t in q.subqueries):
        if len({t.text for t in q.subqueries}) == 1 and any(t.fieldname == fieldname for t in q.subqueries):
            return _with_compounds(q, q.subqueries, searcher, fieldname, names)
    if q.is_leaf():
        return q
    return q.apply(lambda child: expand_compounds(child, searcher, fieldname, names))


def _with_compounds(
    q: query.Query, terms: list[query.Term], searcher: Searcher, fieldname: str, names: Collection[str]
) -> query.Query:
    word = terms[0].text
    reader = searcher.reader()
    compounds = list(dict.fromkeys(compounds_of(reader, fieldname, word) + compounds_beginning_with(reader, fieldname, word)))
    parts = () if word in names else parts_of(reader, fieldname, word)
    if not compounds and not parts:
        return q
    word_idf = searcher.idf(fieldname, word)
    alternatives: list[query.Query] = list(terms)
    searched = [t for t in terms if t.fieldname == fieldname]
    for compound in compounds:
        weight = min(1.0, word_idf / searcher.idf(fieldname, compound))
        kind = CompoundTerm if compound.endswith(word) else CompoundStart
        alternatives += [kind(t.fieldname, compound, word, boost=t.boost * weight) for t in searched]
    if parts:
        held = reader.doc_frequency(fieldname, word) > 0  # a word the index lacks is searched as its parts
        weight = min(1.0, word_idf / sum(searcher.idf(fieldname, part) for part in parts)) if held else 1.0
        alternatives += [CompoundPart(t.fieldname, part, word, boost=t.boost * weight) for part in parts for t in searched]
    return query.Or(alternatives, boost=q.boost if q is not terms[0] else 1.0)
