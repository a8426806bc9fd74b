"""Opening and creating the index folder, and knowing which schema built it.

Beside Whoosh's own files the folder holds ``norsearch.json`` with the schema version. An
index built by an older analysis is refused for search and rebuilt by ingest, never
searched with mismatched analysis. A folder that has the version file but no readable
Whoosh index (a deleted or torn table of contents, a truncated segment) is *damaged*,
not new: search says so, and ingest rebuilds it from the source folder and says why.
"""

from __future__ import annotations

import json
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.index import FileIndex

from .errors import IndexCorruptError, IndexNotFoundError, IndexVersionError
from .schema import SCHEMA_VERSION, build_schema

VERSION_FILE = "norsearch.json"


def _stored_version(path: Path) -> int | None:
    try:
        return int(json.loads((path / VERSION_FILE).read_text("utf-8"))["schema_version"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _open_checked(path: Path) -> FileIndex:
    """Open the Whoosh index and every segment of it, or raise :class:`IndexCorruptError`."""
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
    (path / VERSION_FILE).write_text(json.dumps({"schema_version": SCHEMA_VERSION}) + "\n", "utf-8")
    return ix, reason
