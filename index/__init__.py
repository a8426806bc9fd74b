"""A Norwegian full-text index on Whoosh: open it, search it, write to it.

    from index import open_index
    with open_index("var/index") as ix:
        for hit in ix.search("hemmelige samtaler", limit=5, since="2023"):
            print(hit.rank, hit.title, hit.date, hit.snippet)

Writers (the ingest job) use :class:`IndexWriter`; everything else only reads.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from .dates import PartialDate
from .document import Document
from .errors import (
    IndexCorruptError,
    IndexLockedError,
    IndexNotFoundError,
    IndexVersionError,
    QueryError,
    SearchIndexError,
)
from .whoosh.writer import IndexWriter

if TYPE_CHECKING:
    from .backend import DocumentWriter, SearchIndex
    from .limits import QueryLimits
    from .search.explain import Explanation
    from .search.snippets import Snippet
    from .whoosh.searcher import Hit, Index, SearchResults, open_index

# The searching half (numpy, snippets) is imported on first use: writing (`ingest once`) does
# not need it, and it was half of that command's start-up time.
_LAZY = {
    "DocumentWriter": "backend",
    "SearchIndex": "backend",
    "Explanation": "search.explain",
    "Hit": "whoosh.searcher",
    "Index": "whoosh.searcher",
    "SearchResults": "whoosh.searcher",
    "open_index": "whoosh.searcher",
    "Snippet": "search.snippets",
    "QueryLimits": "limits",
}


if not TYPE_CHECKING:  # a module __getattr__ would make every misspelt name valid to mypy

    def __getattr__(name: str):
        module = _LAZY.get(name)
        if module is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = globals()[name] = getattr(importlib.import_module(f".{module}", __name__), name)
        return value


__all__ = [
    "Document",
    "DocumentWriter",
    "Explanation",
    "Hit",
    "Index",
    "IndexCorruptError",
    "IndexLockedError",
    "IndexNotFoundError",
    "IndexVersionError",
    "IndexWriter",
    "PartialDate",
    "QueryError",
    "QueryLimits",
    "SearchIndex",
    "SearchIndexError",
    "SearchResults",
    "Snippet",
    "open_index",
]
