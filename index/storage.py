"""Opening and creating the index folder, and knowing which schema built it.

Beside Whoosh's own files the folder holds ``norsearch.json`` with the schema version. An
index built by an older analysis is refused for search and rebuilt by ingest, never
searched with mismatched analysis. A folder that has the version file but no readable
Whoosh index (a deleted or torn table of contents, a missing or truncated segment file) is
*damaged*, not new: search says so, and ingest rebuilds it from the source folder and says why.

Segments are written as separate files, not Whoosh's compound file: opening a compound file
copies every part of it into memory (a 460 MB index took 0.9 s to open and 900 MB of RAM to
search). Separate files have no header that shows a truncation, so the writer records the
size of each segment file in ``segment-sizes.json`` (they never change once written), and
opening compares them.
"""

from __future__ import annotations

import json
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.index import FileIndex

from .errors import IndexCorruptError, IndexNotFoundError, IndexVersionError, SearchIndexError
from .schema import SCHEMA_VERSION, build_schema

VERSION_FILE = "norsearch.json"
SIZES_FILE = "segment-sizes.json"
SEGMENT_FILES = "MAIN_*.*"


def record_segment_sizes(path: Path) -> None:
    """Remember the size of every segment file now in the folder; call after each commit."""
    sizes = {file.name: file.stat().st_size for file in path.glob(SEGMENT_FILES)}
    temporary = path / f"{SIZES_FILE}.tmp"
    temporary.write_text(json.dumps(sizes, sort_keys=True) + "\n", "utf-8")
    temporary.replace(path / SIZES_FILE)


def _check_segment_sizes(path: Path) -> None:
    """Raise if a recorded segment file that is still there has another size (truncated)."""
    try:
        recorded = json.loads((path / SIZES_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return  # none yet (a writer was killed before its first record): Whoosh's checks remain
    for name, size in recorded.items():
        try:
            actual = (path / name).stat().st_size
        except FileNotFoundError:
            continue  # merged away since; a file the index still needs fails to open below
        if actual != size:
            raise IndexCorruptError(f"{path}: index is damaged ({name} has {actual} bytes, was written with {size})")


def _stored_version(path: Path) -> int | None:
    try:
        return int(json.loads((path / VERSION_FILE).read_text("utf-8"))["schema_version"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _open_checked(path: Path) -> FileIndex:
    """Open the Whoosh index and every segment of it, or raise :class:`IndexCorruptError`."""
    _check_segment_sizes(path)
    try:
        ix = whoosh_index.open_dir(str(path))
        with ix.reader() as reader:
            reader.doc_count()
        return ix
    except Exception as error:  # noqa: BLE001 - a damaged index fails in many ways inside Whoosh
        raise IndexCorruptError(f"{path}: index is damaged ({type(error).__name__}: {error})") from None


def open_existing(path: Path) -> FileIndex:
    """Open an index for reading; raise if there is none, it is damaged, or was built by
    another schema version."""
    if not (path / VERSION_FILE).exists():
        raise IndexNotFoundError(f"{path}: no index here (run `ingest once` to build it)")
    version = _stored_version(path)
    if version != SCHEMA_VERSION:
        raise IndexVersionError(
            f"{path}: index has schema version {version}, this program needs {SCHEMA_VERSION} "
            "(run `ingest once` to rebuild it)"
        )
    try:
        return _open_checked(path)
    except IndexCorruptError as error:
        raise IndexCorruptError(f"{error}; run `ingest once` to rebuild it") from None


def check_index(path: str | Path) -> list[str]:
    """Every problem found in the index at ``path``, one line each (empty: none found), for
    ``ingest verify``. Today: the damage checks of opening it (schema version, segment file
    sizes, every segment readable)."""
    try:
        open_existing(Path(path)).close()
    except SearchIndexError as error:
        return [str(error)]
    return []


def open_or_create(path: Path) -> tuple[FileIndex, str | None]:
    """Open an index for writing, or create one; the second value says why it was created
    (``None`` when an existing index was opened)."""
    reason = None
    if not (path / VERSION_FILE).exists():
        reason = "new index"
    elif (version := _stored_version(path)) != SCHEMA_VERSION:
        reason = f"built with schema version {version}, rebuilding for version {SCHEMA_VERSION}"
    else:
        try:
            return _open_checked(path), None
        except IndexCorruptError as error:
            reason = f"{error}; rebuilding it"
    path.mkdir(parents=True, exist_ok=True)
    ix = whoosh_index.create_in(str(path), build_schema())
    record_segment_sizes(path)
    (path / VERSION_FILE).write_text(json.dumps({"schema_version": SCHEMA_VERSION}) + "\n", "utf-8")
    return ix, reason
