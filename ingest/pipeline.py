"""One ingest pass: make the index hold exactly the documents of the source folder.

walk (which files) → state (which changed: ``stat`` first, then SHA-256) → formats (bytes
to documents, each format by its reader; date header, title) → the backend's writer
(:mod:`index.backend`) → commit, then state, in checkpoints every :data:`CHECKPOINT_SECONDS`.
A file that holds several documents (a mailbox) is still one file to the state; its
documents are ``<id>#1``, ``<id>#2``, …, and the ones it no longer holds are deleted with it.

A file that cannot be ingested is reported with its reason and never stops the pass;
whatever the index held for it stays. Files under a folder that could not be read are
kept too: only a file that is really gone is deleted from the index.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path

from loguru import logger

from index import Document
from index.backend import DocumentWriter, open_writer
from index.config import Config, IngestConfig, load_config

from .language import detect_language
from .formats import Extracted, UnreadableError
from .formats.sandbox import Sandbox
from .metadata import make_title
from .state import FileState, indexed_files, open_state
from .walk import SourceFile, WalkProblem, walk, with_id_prefix


# A long pass commits (and records the state) every this many seconds, so that a killed pass
# loses little work and the next one resumes where it stopped. Each commit adds segments,
# which cost search time until merged, so not more often.
CHECKPOINT_SECONDS = 60.0


class SourceNotFoundError(Exception):
    """The source folder does not exist or is not a folder."""


@dataclass(frozen=True)
class Failure:
    """A file that could not be ingested, and why; ``id`` is its id (relative path)."""

    path: str
    error: str
    id: str = ""


@dataclass
class IngestReport:
    """What one pass did. A file that reappears under another path with the same content
    counts as ``moved``, not as added and deleted. ``documents`` is the number of documents
    in the index after the pass; ``encodings`` and ``repairs`` count, for the files read in
    this pass, the encodings they were read as and the repairs they needed;
    ``rebuilt`` says why the index was created anew in this pass (``None`` if it was not)."""

    added: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    moved: int = 0
    documents: int = 0
    failed: list[Failure] = field(default_factory=list)
    started: float = 0.0
    seconds: float = 0.0
    interrupted: bool = False
    rebuilt: str | None = None
    encodings: dict[str, int] = field(default_factory=dict)
    repairs: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        """One line about the pass, for logs and the terminal."""
        text = (
            f"{self.added} added, {self.updated} updated, {self.deleted} deleted, "
            f"{self.unchanged} unchanged, {len(self.failed)} failed; "
            f"{self.documents} documents in {self.seconds:.2f} s"
        )
        return text + (" (interrupted)" if self.interrupted else "")

    def to_json(self) -> dict:
        return asdict(self)


def _documents(file: SourceFile, extracted: list[Extracted], sha256: str, truncated: bool) -> list[Document]:
    """The index records of one file's extracted documents: the file's id, or
    ``<id>#<part>`` for each document of a file that holds several (a mailbox)."""
    return [
        Document(
            id=file.id if doc.part is None else part_id(file.id, doc.part),
            path=os.path.abspath(file.path),
            title=doc.title or make_title(doc.text),
            text=doc.text,
            date=doc.date.iso() if doc.date else None,
            encoding=doc.encoding,
            repairs=doc.repairs + (("truncated",) if truncated else ()),
            size=file.size,
            mtime_ns=file.mtime_ns,
            sha256=sha256,
            language=detect_language(doc.text),
        )
        for doc in extracted
    ]


def part_id(file_id: str, part: int) -> str:
    """The id of the ``part``-th document (from 1) of a file that holds several."""
    return f"{file_id}#{part}"


def _ids(file_id: str, parts: int) -> list[str]:
    """The ids the index holds for a file of ``parts`` documents (0: one, under the file's id)."""
    return [part_id(file_id, n) for n in range(1, parts + 1)] if parts else [file_id]


def ingest_folder(
    source: str | Path,
    index_dir: str | Path,
    config: IngestConfig | None = None,
    *,
    lock_timeout: float = 30.0,
    writer_processes: int = 1,
    writer_memory_mb: int = 128,
    index_mode: int = 0o600,
    on_file: Callable[[int], None] | None = None,
    stop: threading.Event | None = None,
    settings: Config | None = None,
) -> IngestReport:
    """Bring the index at ``index_dir`` in step with the folder ``source``; return the report.

    ``config`` gives include/exclude globs and the size limit (default: ``config/default.toml``;
    its ``source`` is not used). ``lock_timeout``, ``writer_processes``, ``writer_memory_mb`` and
    ``index_mode`` (the mode of the index's files) go to :class:`index.IndexWriter`.
    ``on_file(total)`` is called once per file handled, with
    the number of files in the pass, for progress displays. When ``stop`` is set the pass
    ends early: what it did so far is committed, deletions wait for a complete pass.
    ``settings`` (default: :func:`index.config.load_config`) chooses the backend
    (``index.backend``); with OpenSearch, ``index_dir`` holds only the state and the lock.
    Every id written starts with ``config.id_prefix``; documents of other ids are never
    touched, so ingests with disjoint prefixes can feed one index.
    """
    source, index_dir = Path(source), Path(index_dir)
    if not source.is_dir():
        raise SourceNotFoundError(f"{source}: source folder not found")
    config = config or (settings or load_config()).ingest
    prefix = config.id_prefix
    report = IngestReport(started=time.time())
    clock = time.perf_counter()

    # The index folder is never walked, even inside the source (before the first pass it holds nothing).
    found = list(with_id_prefix(
        walk(source, config.include, config.exclude, follow_symlinks=config.follow_symlinks, skip=(index_dir,)), prefix
    ))
    files = [item for item in found if isinstance(item, SourceFile)]
    problems = [item for item in found if isinstance(item, WalkProblem)]
    report.failed.extend(Failure(p.path, p.error, p.id) for p in problems)

    with Sandbox(config.reader_timeout, config.reader_memory_mb) as sandbox, open_writer(
        index_dir,
        settings,
        lock_timeout=lock_timeout,
        processes=writer_processes,
        memory_mb=writer_memory_mb,
        file_mode=index_mode,
        id_prefix=prefix,
    ) as writer:
        rebuild = None if writer.created_because else partial(indexed_files, index_dir, settings, prefix)
        state = open_state(index_dir, writer.generation, rebuild, prefix)
        try:
            state.record_start(report.started)
            if writer.created_because:
                if writer.created_because != "new index":
                    logger.warning("{}: {}; re-reading every file of {}", index_dir, writer.created_because, source)
                report.rebuilt = writer.created_because
            known = state.files(prefix)
            batch: list[FileState] = []
            added_hashes: set[str] = set()
            last_checkpoint = time.monotonic()
            handled: list[str] = []
            for file in files:
                if stop is not None and stop.is_set():
                    report.interrupted = True
                    break
                outcome, file_state = _ingest_file(file, known.get(file.id), config, sandbox, writer, report)
                handled.append(file.id)
                if file_state is not None:
                    batch.append(file_state)
                if outcome is ADDED:
                    added_hashes.add(file_state.sha256)
                if on_file:
                    on_file(len(files))
                if time.monotonic() - last_checkpoint > CHECKPOINT_SECONDS:
                    writer.checkpoint()
                    state.save_files(batch, generation=writer.generation)
                    batch, last_checkpoint = [], time.monotonic()
            kept = [p.id for p in problems if p.keep]  # a passing problem keeps what the index holds
            present = {file.id for file in files} | set(kept)
            kept_prefixes = tuple(i for i in kept if i == "" or i.endswith("/"))
            removed = [] if report.interrupted else [
                i for i in known if i not in present and not i.startswith(kept_prefixes)
            ]
            for file_id in removed:
                for doc_id in _ids(file_id, known[file_id].parts):
                    writer.delete(doc_id)
            report.moved = _count_moves(removed, known, added_hashes)
            report.added -= report.moved
            report.deleted = len(removed) - report.moved
            report.documents = writer.commit(release=False)  # held until the state is saved too
            state.save_files(batch, removed, writer.generation)
            state.save_failures(
                {f.id: f.error for f in report.failed}, handled + [p.id for p in problems],
                complete=not report.interrupted, prefix=prefix,
            )
            report.seconds = round(time.perf_counter() - clock, 3)
            state.record_pass(report.started, report.to_json())
        finally:
            state.close()
    for failure in report.failed:
        logger.warning("{}: {}", failure.path, failure.error)
    return report


def _count_moves(removed: list[str], known: dict[str, FileState], added_hashes: set[str]) -> int:
    """How many removed files came back, same content, under a new id in this pass."""
    moved = 0
    for doc_id in removed:
        if known[doc_id].sha256 in added_hashes:
            added_hashes.discard(known[doc_id].sha256)
            moved += 1
    return moved


ADDED, UPDATED, SKIPPED = "added", "updated", "skipped"


class _Unreadable(Exception):
    """A file whose bytes could not be had; the message is the reason for the report."""


def _read_bytes(file: SourceFile, config: IngestConfig) -> tuple[bytes, bool]:
    """The file's bytes (the first ``max_file_size`` of a larger file when ``oversize`` is
    ``truncate``) and whether they were cut. A file that changes while it is read, or is not
    the file the walk vetted (a symlink swapped to ``/etc/shadow`` since), is not used: the
    next pass walks and reads it again."""
    truncate = file.size > config.max_file_size
    if truncate and config.oversize == "skip":
        raise _Unreadable(f"larger than max_file_size ({file.size:,} > {config.max_file_size:,} bytes)")
    try:
        with open(file.path, "rb") as handle:
            opened = os.fstat(handle.fileno())
            if (opened.st_dev, opened.st_ino) != file.inode:  # checked before a byte is read
                raise _Unreadable("replaced by another file since the walk; it is read again on the next pass")
            data = handle.read(config.max_file_size if truncate else -1)
            after = os.fstat(handle.fileno())
    except FileNotFoundError:
        raise _Unreadable("vanished before it could be read") from None
    except OSError as error:
        raise _Unreadable(f"cannot read ({error.strerror})") from None
    if (after.st_size, after.st_mtime_ns) != (file.size, file.mtime_ns) or (not truncate and len(data) != file.size):
        raise _Unreadable("changed while being read; it is read again on the next pass")
    return (_trim_partial_character(data), True) if truncate else (data, False)


def _trim_partial_character(data: bytes) -> bytes:
    """Drop a UTF-8 character that the cut split in two, so UTF-8 is still read as UTF-8."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.reason == "unexpected end of data":
            return data[: error.start]
    return data


def _ingest_file(
    file: SourceFile,
    old: FileState | None,
    config: IngestConfig,
    sandbox: Sandbox,
    writer: DocumentWriter,
    report: IngestReport,
) -> tuple[str, FileState | None]:
    """Handle one file: skip it on an unchanged ``stat`` or hash, else (re)index it.
    Returns :data:`ADDED`, :data:`UPDATED` or :data:`SKIPPED` (unchanged or failed), and
    the file's new state when the state store must learn it."""
    if old and old.size == file.size and old.mtime_ns == file.mtime_ns:
        report.unchanged += 1
        return SKIPPED, None
    display = file.path
    try:
        data, truncated = _read_bytes(file, config)
    except _Unreadable as problem:
        report.failed.append(Failure(display, str(problem), file.id))
        return SKIPPED, None
    sha256 = hashlib.sha256(data).hexdigest()
    if old and old.sha256 == sha256:
        report.unchanged += 1  # touched, not changed: remember the new stat, index nothing
        return SKIPPED, FileState(file.id, file.size, file.mtime_ns, file.ctime_ns, sha256, old.parts)
    try:
        extracted = sandbox.read(data, os.path.basename(file.path))
    except UnreadableError as error:
        report.failed.append(Failure(display, str(error), file.id))
        return SKIPPED, None
    parts = max((doc.part or 0 for doc in extracted), default=0)
    for warning in (w for doc in extracted for w in doc.warnings):
        logger.warning("{}: {}", display, warning)
    if truncated:
        logger.warning("{}: larger than max_file_size ({:,} bytes); indexed its first {:,} bytes", display, file.size, config.max_file_size)
    docs = _documents(file, extracted, sha256, truncated)
    for doc in docs:
        writer.upsert(doc)
        report.encodings[doc.encoding] = report.encodings.get(doc.encoding, 0) + 1
        for repair in doc.repairs:
            report.repairs[repair] = report.repairs.get(repair, 0) + 1
    if old:
        for stale in set(_ids(file.id, old.parts)) - {doc.id for doc in docs}:
            writer.delete(stale)
    state = FileState(file.id, file.size, file.mtime_ns, file.ctime_ns, sha256, parts)
    if old:
        report.updated += 1
        return UPDATED, state
    report.added += 1
    return ADDED, state
