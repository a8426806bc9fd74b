"""The one way to change an index: upserts and deletes, committed in checkpoints, one
writer at a time.

A writer holds the index's :class:`~index.lock.WriteLock` for its whole life, so a pass can
commit in batches (:meth:`IndexWriter.checkpoint`) without another process slipping in
between. Nothing is visible to searchers before a commit, and a writer left without one
(an exception, ``kill -9``) changes nothing: Whoosh writes the new table of contents to a
temporary file and renames it into place. What a writer that failed (a full disk) or was
killed leaves behind (segment files no commit refers to, ``MAIN.tmp`` with its job and spill
files) is removed when it is cancelled, and again when the next writer opens the index.
"""

from __future__ import annotations

import shutil
from collections import defaultdict
from pathlib import Path
from types import TracebackType

from whoosh.index import LockError, clean_files
from whoosh.reading import SegmentReader
from whoosh.writing import SegmentWriter

from .adding import add_document
from ..dates import PartialDate
from ..document import Document
from ..errors import IndexLockedError
from ..lock import WriteLock
from .parallel import ParallelWriter, parallel_writing_available
from ..permissions import DEFAULT_FILE_MODE
from .postings import TermAtATimeCodec, group_postings_by_term
from .rankfile import RANKED_FIELDS
from .storage import after_commit, open_or_create

SEGMENTS_PER_TIER = 8


def merge_tiers(writer: SegmentWriter, segments: list) -> list:
    """Whoosh merge policy, log-structured: segments are grouped by size (1-9, 10-99,
    100-999, ... documents); a group that reaches :data:`SEGMENTS_PER_TIER` segments is
    merged into one segment of the next size. So an index of N documents has at most about
    8 x log10(N) segments, and a document is rewritten once per size, not at every commit.
    (Whoosh's own MERGE_SMALL only merges segments of a few dozen documents.)"""
    tiers: dict[int, list] = defaultdict(list)
    for segment in segments:
        tiers[len(str(max(segment.doc_count(), 1)))].append(segment)
    merged = [segment for tier in tiers.values() if len(tier) >= SEGMENTS_PER_TIER for segment in tier]
    for segment in merged:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return [segment for segment in segments if segment not in merged]


def keep_segments(writer: SegmentWriter, segments: list) -> list:
    """Whoosh merge policy that merges nothing: for checkpoints in the middle of a pass."""
    return segments


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
        "language": doc.language,
    }
    if doc.date:
        date = PartialDate.parse(doc.date)
        fields.update(date=date.iso(), date_first=date.first_day(), date_last=date.last_day())
    return fields


class IndexWriter:
    """Open (or create) the index at ``path`` for writing. Raises :class:`IndexLockedError`
    when another process holds it for longer than ``lock_timeout`` seconds.

    With ``processes`` > 1, documents are analysed and written by that many sub-processes
    (:mod:`index.whoosh.parallel`), each making its own segment. Each writing process holds about
    ``memory_mb`` of postings in memory, then sorts them out to temporary files (Whoosh's
    ``limitmb``), so memory does not grow with the corpus. Checkpoints merge no segments;
    the last commit merges them by :func:`merge_tiers`.

    The folder and every file in it get ``file_mode`` (the folder ``x`` where ``r``:
    :mod:`index.permissions`), ``0600`` unless told otherwise.

    ``created_because`` says why the index was (re)created empty: ``"new index"``, an old
    schema version, or damage; ``None`` when an existing index was opened. ``generation``
    numbers the last commit (what a cache of the index, like ingest's state, is true to).
    """

    def __init__(
        self,
        path: str | Path,
        lock_timeout: float = 30.0,
        processes: int = 1,
        memory_mb: int = 128,
        file_mode: int = DEFAULT_FILE_MODE,
    ):
        self.path = Path(path)
        self._processes = processes if parallel_writing_available() else 1
        self._memory_mb = memory_mb
        self._file_mode = file_mode
        self._lock = WriteLock(self.path, lock_timeout, file_mode)
        self._written: set[str] = set()
        try:
            self._index, self.created_because = open_or_create(self.path, file_mode)
            self._remove_unused_files()
            self.generation: int = self._index.latest_generation()  # of the last commit
            self._writer: SegmentWriter | None = self._new_writer()
        except BaseException:
            self._lock.release()
            raise

    def _new_writer(self) -> SegmentWriter:
        codec = TermAtATimeCodec(compound_fields=("text",), rank_fields=RANKED_FIELDS)
        options = dict(compound=False, limitmb=self._memory_mb, codec=codec)
        try:
            if self._processes > 1:
                writer = ParallelWriter(self._index, procs=self._processes, **options)
            else:
                writer = self._index.writer(**options)
        except LockError:  # Whoosh's own lock, taken by a program that is not ours
            raise IndexLockedError(f"{self.path}: the index is locked by another Whoosh writer") from None
        group_postings_by_term(writer)
        return writer

    def _open_writer(self) -> SegmentWriter:
        if self._writer is None:
            raise RuntimeError("this IndexWriter was committed or cancelled")
        return self._writer

    def upsert(self, doc: Document) -> None:
        """Add the document, replacing any earlier one with the same id.

        In an index this writer created, an id not yet written cannot be there, so the
        document is added without Whoosh's look-up for an old one to delete.
        """
        writer = self._open_writer()
        if self.created_because and doc.id not in self._written:
            self._written.add(doc.id)
            add_document(writer, document_fields(doc))
        else:
            writer.update_document(**document_fields(doc))

    def delete(self, doc_id: str) -> None:
        """Remove the document with this id, if there is one."""
        self._open_writer().delete_by_term("id", doc_id)

    def checkpoint(self) -> int:
        """Commit what was written so far and go on writing, keeping the lock; return the
        number of documents the index now holds."""
        self._open_writer().commit(mergetype=keep_segments)  # merging waits for the last commit
        after_commit(self.path, self._file_mode)
        self.generation = self._index.latest_generation()
        self._writer = self._new_writer()
        return self._index.doc_count()

    def commit(self, *, release: bool = True) -> int:
        """Commit and close; return the number of documents. With ``release=False`` the lock
        stays held until :meth:`release` (or the end of the ``with`` block), so that what
        must go with the commit (ingest's state) is written before another writer can start."""
        self._open_writer().commit(mergetype=merge_tiers)
        after_commit(self.path, self._file_mode)
        self.generation = self._index.latest_generation()
        self._writer = None
        try:
            return self._index.doc_count()
        finally:
            self._index.close()
            if release:
                self.release()

    def cancel(self) -> None:
        """Drop everything written since the last commit, close and release the lock."""
        if self._writer is not None:
            try:
                self._writer.cancel()
            except Exception:  # noqa: BLE001 - one that failed half-way (a full disk) may fail again closing
                pass  # its files; the error that matters is already on its way, and the files go below
            self._writer = None
            self._remove_unused_files()
            self._index.close()
        self.release()

    def _remove_unused_files(self) -> None:
        """Delete segment files that no commit refers to and Whoosh's temporary folders
        (``MAIN.tmp``: job files, spilled postings), as left by a failed or killed writer.
        Safe under the lock: no other writer can be making them."""
        clean_files(self._index.storage, self._index.indexname, self._index.latest_generation(), self._index._segments())
        for leftover in self.path.glob("*.tmp"):
            if leftover.is_dir():
                shutil.rmtree(leftover, ignore_errors=True)
            else:
                leftover.unlink(missing_ok=True)

    def release(self) -> None:
        """Release the lock (after ``commit(release=False)``); does nothing when it is not held."""
        self._lock.release()

    def __enter__(self) -> IndexWriter:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._writer is None:
            self.release()
            return
        if exc_type is None:
            self.commit()
        else:
            self.cancel()
