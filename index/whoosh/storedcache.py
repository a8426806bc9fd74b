"""The stored fields of the documents read lately, kept for the next searches (as Solr's
``documentCache``).

Re-ranking reads the stored text of the best hundred hits of every query (unpickled and
decompressed: a sixth of the time of a search), and the same documents come back in the best
hundred of other queries: the long and central ones. The fields of one searcher's documents
are kept, least recently used first out, up to a number of characters of text.
"""

from __future__ import annotations

from collections import OrderedDict

from whoosh.searching import Searcher

# Characters of stored text kept per thread (each thread has its own searcher): about 16 MB
# (with Latin-1 text) at most.
CAPACITY_CHARS = 16_000_000


class StoredFields:
    """``get(docnum)``: the stored fields of a document of ``searcher``, read once."""

    def __init__(self, searcher: Searcher, capacity_chars: int = CAPACITY_CHARS):
        self.searcher = searcher
        self._capacity = capacity_chars
        self._kept: OrderedDict[int, dict] = OrderedDict()
        self._chars = 0

    def get(self, docnum: int) -> dict:
        fields = self._kept.get(docnum)
        if fields is not None:
            self._kept.move_to_end(docnum)
            return fields
        fields = self.searcher.stored_fields(docnum)
        size = _size(fields)
        if size <= self._capacity:
            self._kept[docnum] = fields
            self._chars += size
            while self._chars > self._capacity:
                _, dropped = self._kept.popitem(last=False)
                self._chars -= _size(dropped)
        return fields


def _size(fields: dict) -> int:
    return len(fields.get("text") or "") + 1
