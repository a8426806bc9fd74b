"""The one way to change an index: upserts and deletes, committed together, one writer at a time.

Whoosh's file lock (``flock``) is released by the kernel when a process dies, so a killed
ingest never leaves a lock behind; a second writer waits ``lock_timeout`` seconds, then
gets :class:`IndexLockedError`. Nothing is visible to searchers until :meth:`commit`, and
a writer left without commit (an exception, a crash) changes nothing.
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType

from whoosh.index import LockError

from .dates import PartialDate
from .document import Document
from .errors import IndexLockedError
from .storage import open_or_create


def document_fields(doc: Document) -> dict[str, object]:
    """The Whoosh field values of a document (``date`` also as its span of days)."""
    fields: dict[str, object] = {
        "id": doc.id,
        "path": doc.path,
        "title": doc.title,
        "text": doc.text,
        "encoding": doc.encoding,
        "repairs": list(doc.repairs),
        "size": doc.size,
        "mtime_ns": doc.mtime_ns,
        "sha256": doc.sha256,
    }
    if doc.date:
        date = PartialDate.parse(doc.date)
        fields.update(date=date.iso(), date_first=date.first_day(), date_last=date.last_day())
    return fields


class IndexWriter:
    """Open (or create) the index at ``path`` for writing, holding its lock until closed."""

    def __init__(self, path: str | Path, lock_timeout: float = 30.0):
        self.path = Path(path)
        self._index, self.created = open_or_create(self.path)
        self._closed = False
        try:
            self._writer = self._index.writer(timeout=lock_timeout)
        except LockError:
            self._index.close()
            raise IndexLockedError(
                f"{self.path}: another process is writing this index; gave up after {lock_timeout:g} s"
            ) from None

    def upsert(self, doc: Document) -> None:
        """Add the document, replacing any earlier one with the same id."""
        self._writer.update_document(**document_fields(doc))

    def delete(self, doc_id: str) -> None:
        """Remove the document with this id, if there is one."""
        self._writer.delete_by_term("id", doc_id)

    def commit(self) -> int:
        """Make every change since opening visible at once and release the lock; return the
        number of documents the index now holds."""
        self._writer.commit()
        self._closed = True
        count = self._index.doc_count()
        self._index.close()
        return count

    def cancel(self) -> None:
        """Drop every change since opening, and release the lock."""
        self._writer.cancel()
        self._closed = True
        self._index.close()

    def __enter__(self) -> IndexWriter:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._closed:
            return
        if exc_type is None:
            self.commit()
        else:
            self.cancel()
