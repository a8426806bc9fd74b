"""``ingest verify``: account for every file of the source folder against the index, changing
neither.

Each path the walk meets lands in one list, with its reason:

- ``current``: indexed as it is now (same ``stat``, or same SHA-256 when only touched);
- ``stale``: indexed, but changed since the last pass (or the last pass could not read it
  again: the index keeps the earlier version, and the reason says why);
- ``pending``: not in the index yet, or gone from the folder but still in it, for a reason
  the next pass resolves (new since the last pass, the last pass interrupted);
- ``failed``: not indexed, with the reason of the last pass (binary, unreadable, a symlink
  out of the source, ...), and what the index keeps from under a folder it cannot read;
- ``excluded``: left out by a glob (which) or being the index folder;
- ``missing``: in the folder, not in the index, and no reason: a bug;
- ``orphans``: in the index, with no file and no reason: a bug.

Plus the index's own integrity check (:func:`index.whoosh.storage.check_index`). Everything is
accounted for when ``missing``, ``orphans`` and ``index_problems`` are empty.
"""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import asdict, dataclass, field
from pathlib import Path

from index import IndexNotFoundError, SearchIndexError, open_index
from index.config import IngestConfig, load_config
from index.whoosh.storage import check_index

from .state import STATE_FILE, FileState, IngestState, indexed_files
from .walk import Skipped, SourceFile, WalkProblem, walk, with_id_prefix


@dataclass(frozen=True)
class Entry:
    """A path (its id: relative, a folder's ending in ``/``) and why it is in its list."""

    id: str
    reason: str


@dataclass
class VerifyReport:
    """Where every path of the source folder stands against the index (see the module)."""

    current: list[str] = field(default_factory=list)
    stale: list[Entry] = field(default_factory=list)
    pending: list[Entry] = field(default_factory=list)
    failed: list[Entry] = field(default_factory=list)
    excluded: list[Entry] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)
    index_problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def accounted_for(self) -> bool:
        return not (self.missing or self.orphans or self.index_problems)

    def summary(self) -> str:
        counts = ", ".join(
            f"{len(getattr(self, name))} {name.replace('_', ' ')}"
            for name in ("current", "stale", "pending", "failed", "excluded", "missing", "orphans", "index_problems")
        )
        return f"{'everything accounted for' if self.accounted_for else 'NOT accounted for'}: {counts}"

    def to_json(self) -> dict:
        return {"accounted_for": self.accounted_for, **asdict(self)}


@dataclass
class _LastPass:
    """What the state says of the last pass: its files, failures, start and whether it ended."""

    files: dict[str, FileState] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)
    started: float | None = None  # of the last pass, complete or not
    complete: bool = False


def _last_pass(index_dir: Path, notes: list[str]) -> _LastPass:
    if not (index_dir / STATE_FILE).is_file():
        notes.append("no ingest state: reasons of the last pass unknown")
        return _LastPass()
    try:
        state = IngestState(index_dir, read_only=True)
        try:
            last = state.last_pass()
            result = _LastPass(state.files(), _if_recorded(state.failures, {}))
            unfinished = _if_recorded(state.unfinished_pass, None)
        finally:
            state.close()
    except sqlite3.Error as error:
        notes.append(f"the ingest state cannot be read ({error}): reasons of the last pass unknown; the next pass rebuilds it")
        return _LastPass()
    result.started = unfinished if unfinished is not None else (last or {}).get("started")
    result.complete = unfinished is None and last is not None and not last.get("interrupted")
    return result


def _if_recorded(read, default):
    """``read()``, or ``default`` from a state written before its table existed."""
    try:
        return read()
    except sqlite3.OperationalError as error:
        if "no such table" in str(error):
            return default
        raise


def _unchanged(file: SourceFile, indexed: FileState, seen: FileState | None) -> bool:
    """Whether the file holds what the index has: same ``stat``; or the last pass saw it with
    this ``stat`` and the indexed hash (touched, not changed); or else the same bytes."""
    if (file.size, file.mtime_ns) == (indexed.size, indexed.mtime_ns):
        return True
    if seen is not None and (seen.size, seen.mtime_ns, seen.sha256) == (file.size, file.mtime_ns, indexed.sha256):
        return True
    if file.size != indexed.size:
        return False
    try:
        with open(file.path, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest() == indexed.sha256
    except OSError:
        return False


def verify_folder(source: str | Path, index_dir: str | Path, config: IngestConfig | None = None) -> VerifyReport:
    """Account for every file of ``source`` against the index at ``index_dir`` (see the
    module), reading both and writing neither. Raises :class:`index.IndexNotFoundError`
    when there is no index, and ``SourceNotFoundError`` when there is no folder."""
    from .pipeline import SourceNotFoundError

    source, index_dir = Path(source), Path(index_dir)
    if not source.is_dir():
        raise SourceNotFoundError(f"{source}: source folder not found")
    config = config or load_config().ingest
    try:
        open_index(index_dir).close()
    except IndexNotFoundError:
        raise  # before the first pass: an error, not a finding
    except SearchIndexError:
        pass  # damaged or of another version: check_index says how
    report = VerifyReport(index_problems=check_index(index_dir))
    if report.index_problems:
        return report  # what a damaged index holds cannot be trusted: the next pass rebuilds it
    indexed = {doc.id: doc for doc in indexed_files(index_dir, prefix=config.id_prefix)}
    last = _last_pass(index_dir, report.notes)
    if last.complete:
        since = "since the last pass"
    elif last.started is not None:
        since = "since the last complete pass (the last one was interrupted or killed)"
    else:
        since = "(nothing is known of the last pass)"

    def changed_since_pass(file: SourceFile) -> bool:
        return last.started is None or max(file.mtime_ns, file.ctime_ns) >= last.started * 1e9

    seen: set[str] = set()
    kept_prefixes: list[str] = []
    for item in with_id_prefix(walk(source, config.include, config.exclude, follow_symlinks=config.follow_symlinks,
                                    skip=(index_dir,), report_skipped=True), config.id_prefix):  # fmt: skip
        seen.add(item.id)
        if isinstance(item, Skipped):
            report.excluded.append(Entry(item.id, item.reason))
        elif isinstance(item, WalkProblem):
            report.failed.append(Entry(item.id, item.error))
            if item.keep:
                kept_prefixes.append(item.id)
        elif item.id in indexed:
            if _unchanged(item, indexed[item.id], last.files.get(item.id)):
                report.current.append(item.id)
            elif item.id in last.failures:
                report.stale.append(Entry(item.id, f"the index keeps an earlier version: {last.failures[item.id]}"))
            elif changed_since_pass(item) or not last.complete:
                report.stale.append(Entry(item.id, f"changed {since}"))
            else:
                report.missing.append(item.id)  # changed before a complete pass that did not update it
        elif item.id in last.failures:
            report.failed.append(Entry(item.id, last.failures[item.id]))
        elif item.id in last.files:
            report.missing.append(item.id)  # the state says it is indexed, the index has not got it
        elif changed_since_pass(item) or not last.complete:
            report.pending.append(Entry(item.id, f"new {since}"))
        else:
            report.missing.append(item.id)
    for doc_id in sorted(set(indexed) - seen):
        if any(doc_id == kept or (kept.endswith("/") or kept == "") and doc_id.startswith(kept) for kept in kept_prefixes):
            report.failed.append(Entry(doc_id, "kept from an earlier pass: its folder cannot be read now"))
        elif doc_id in last.files or not last.complete:
            report.pending.append(Entry(doc_id, f"deleted {since}"))
        else:
            report.orphans.append(doc_id)
    return report
