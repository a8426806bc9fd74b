"""The contract every search engine behind ``norsearch`` meets, and the one place that picks
the engine (``index.backend`` in the configuration).

As Haystack 2's ``DocumentStore``: a :class:`typing.Protocol` per side, one implementation
per engine, each as specific as its engine needs; they meet here and nowhere else.
Whoosh: :class:`index.whoosh.writer.IndexWriter` and :class:`index.whoosh.searcher.Index`, in ``index.path``.
OpenSearch: :mod:`index.opensearch`, in a cluster; ``index.path`` then holds only ingest's
state and the writer's lock.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Protocol, Self

from .config import Config, load_config
from .document import Document, Stamp
from .limits import QueryLimits
from .permissions import DEFAULT_FILE_MODE

if TYPE_CHECKING:
    from .search.snippets import Snippet
    from .whoosh.searcher import SearchResults


class DocumentWriter(Protocol):
    """The write side: one writer per index at a time (it holds the lock in ``index.path``).

    ``created_because`` is why the index was created empty (``"new index"``, damage, an old
    version) or ``None``: ingest then forgets its state and reads every file again.
    ``generation`` numbers the last commit (of the ids under the writer's ``id_prefix``),
    what ingest's state says it is true to.
    A context manager that commits on success and cancels on an exception.
    """

    created_because: str | None
    generation: int

    def upsert(self, doc: Document) -> None:
        """Add the document, replacing any with the same id."""

    def delete(self, doc_id: str) -> None:
        """Remove the document with this id, if there is one."""

    def checkpoint(self) -> int:
        """Make what was written durable and go on writing; return the number of documents."""

    def commit(self, *, release: bool = True) -> int:
        """Make what was written durable and visible and, unless ``release=False`` (then
        :meth:`release` does), release the lock; return the number of documents."""

    def release(self) -> None:
        """Release the lock after ``commit(release=False)``; nothing when it is not held."""

    def cancel(self) -> None:
        """Release the lock without committing (what the engine already took may stay)."""

    def __enter__(self) -> Self: ...

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...


class SearchIndex(Protocol):
    """The read side: ranked search with snippets, facets and explanations, a document's
    matches marked, whole documents, counts. Thread-safe."""

    def search(
        self,
        text: str,
        limit: int = 10,
        since: str | None = None,
        until: str | None = None,
        offset: int = 0,
        language: str | None = None,
        explain: bool = False,
    ) -> SearchResults:
        """Ranked hits ``offset + 1`` to ``offset + limit`` for ``text`` (query syntax in the
        README), optionally within dates and of one language."""

    def mark(self, doc: Document, query_text: str) -> Snippet:
        """``doc``'s text whole, each word of it that ``query_text`` matches marked (the page
        of a document found by that query)."""

    def get(self, doc_id: str) -> Document | None: ...

    def count(self) -> int: ...

    def ids(self) -> Iterator[str]: ...

    def stamps(self, prefix: str = "") -> Iterator[Stamp]:
        """The :class:`Stamp` of every document whose id starts with ``prefix``."""

    def close(self) -> None: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...


def open_writer(
    path: str | Path,
    config: Config | None = None,
    *,
    lock_timeout: float = 30.0,
    processes: int = 1,
    memory_mb: int = 128,
    file_mode: int = DEFAULT_FILE_MODE,
    id_prefix: str = "",
) -> DocumentWriter:
    """The writer of the configured backend (``config``, default :func:`load_config`), its
    lock and local state in ``path`` (files of ``file_mode``). ``processes`` and
    ``memory_mb`` are Whoosh's. ``id_prefix`` (``ingest.id_prefix``): the ids this writer's
    ``generation`` is about (Whoosh numbers its commits for the whole index)."""
    config = config or load_config()
    if config.index.backend == "opensearch":
        from .opensearch.writer import OpenSearchWriter

        return OpenSearchWriter(
            path, config.opensearch, lock_timeout=lock_timeout, file_mode=file_mode, id_prefix=id_prefix
        )
    from .whoosh.writer import IndexWriter

    return IndexWriter(path, lock_timeout=lock_timeout, processes=processes, memory_mb=memory_mb, file_mode=file_mode)


def open_search_index(
    path: str | Path,
    config: Config | None = None,
    *,
    title_boost: float = 0.5,
    snippet_chars: int = 300,
    limits: QueryLimits = QueryLimits(),
) -> SearchIndex:
    """The read side of the configured backend; see :func:`index.open_index`."""
    config = config or load_config()
    if config.index.backend == "opensearch":
        from .opensearch.searcher import OpenSearchIndex

        return OpenSearchIndex(config.opensearch, title_boost=title_boost, snippet_chars=snippet_chars, limits=limits)
    from .whoosh.searcher import Index

    return Index(path, title_boost=title_boost, snippet_chars=snippet_chars, limits=limits)
