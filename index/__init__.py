"""A Norwegian full-text index on Whoosh: open it, search it, write to it.

    from index import open_index
    with open_index("var/index") as ix:
        for hit in ix.search("hemmelige samtaler", limit=5, since="2023"):
            print(hit.rank, hit.title, hit.date, hit.snippet)

Writers (the ingest job) use :class:`IndexWriter`; everything else only reads.
"""

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
from .searcher import Hit, Index, SearchResults, open_index
from .snippets import Snippet
from .writer import IndexWriter

__all__ = [
    "Document",
    "Hit",
    "Index",
    "IndexCorruptError",
    "IndexLockedError",
    "IndexNotFoundError",
    "IndexVersionError",
    "IndexWriter",
    "PartialDate",
    "QueryError",
    "SearchIndexError",
    "SearchResults",
    "Snippet",
    "open_index",
]
