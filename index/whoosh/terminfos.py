"""The term dictionary of a segment, with the terms looked up lately remembered.

One search looks a term up several times: whether the index holds a word (its æ/ø/å
spellings, the words to highlight), its document frequency (idf, the weight of a compound),
then its postings; and the words of one query come back in the next. Each look-up in Whoosh's
hash file is an MD5 hash and reads from the file: a tenth of a search. :class:`RememberedTerms`
stands in for a segment reader's terms reader and keeps the term infos it found (and the terms
it did not), so each term is looked up once per searcher.
"""

from __future__ import annotations

from whoosh.reading import SegmentReader, TermNotFound

# Term infos kept per segment before starting over: far more than the terms of many queries.
CAPACITY = 50_000


class RememberedTerms:
    """A segment's terms reader (Whoosh's ``W3TermsReader``) whose look-ups of single terms
    are remembered; everything else is the reader's own."""

    def __init__(self, terms, capacity: int = CAPACITY):
        self._terms = terms
        self._capacity = capacity
        self._infos: dict = {}  # (field, term bytes) -> its term info, or None: not in the segment

    def __getattr__(self, name: str):
        return getattr(self._terms, name)

    def _info(self, fieldname: str, tbytes: bytes):
        key = (fieldname, tbytes)
        infos = self._infos
        if key in infos:
            return infos[key]
        try:
            info = self._terms.term_info(fieldname, tbytes)
        except TermNotFound:
            info = None
        if len(infos) >= self._capacity:
            infos.clear()
        infos[key] = info
        return info

    def __contains__(self, term: tuple[str, bytes]) -> bool:
        return self._info(*term) is not None

    def term_info(self, fieldname: str, tbytes: bytes):
        info = self._info(fieldname, tbytes)
        if info is None:
            raise TermNotFound(f"No term {fieldname}:{tbytes!r}")
        return info

    def frequency(self, fieldname: str, tbytes: bytes) -> float:
        info = self._info(fieldname, tbytes)
        if info is None:
            raise KeyError((fieldname, tbytes))  # as Whoosh's terms reader does
        return info.weight()

    def doc_frequency(self, fieldname: str, tbytes: bytes) -> int:
        info = self._info(fieldname, tbytes)
        if info is None:
            raise KeyError((fieldname, tbytes))
        return info.doc_frequency()

    def matcher(self, fieldname: str, tbytes: bytes, format_, scorer=None):
        info = self.term_info(fieldname, tbytes)
        terms = self._terms
        return terms._codec.postings_reader(terms._postfile, info, format_, term=(fieldname, tbytes), scorer=scorer)


def remember_terms(reader) -> None:
    """Give each segment of ``reader`` (a searcher's reader) a :class:`RememberedTerms`."""
    for segment, _offset in reader.leaf_readers():
        if isinstance(segment, SegmentReader) and not isinstance(segment._terms, RememberedTerms):
            segment._terms = RememberedTerms(segment._terms)
