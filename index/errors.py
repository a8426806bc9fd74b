"""The errors the index raises: each message is one line a user can act on."""


class SearchIndexError(Exception):
    """Base of every error of the ``index`` package."""


class IndexNotFoundError(SearchIndexError):
    """There is no index at the path (nothing ingested yet)."""


class IndexCorruptError(SearchIndexError):
    """The index folder is damaged (torn or missing files); ingest rebuilds it."""


class IndexVersionError(SearchIndexError):
    """The index was built with other fields or analysis and must be rebuilt."""


class IndexLockedError(SearchIndexError):
    """Another process holds the index's write lock and did not let go in time."""


class QueryError(SearchIndexError):
    """A query or filter that cannot be run (empty, or a bad date)."""


class IndexWriteError(SearchIndexError):
    """Writing the index failed (the last commit is intact)."""
