"""Opening and creating the index folder, and knowing which schema built it.

Beside Whoosh's own files the folder holds ``norsearch.json`` with the schema version, so an
index built by an older analysis is refused for search and rebuilt by ingest, never
silently searched with mismatched analysis.
"""

from __future__ import annotations

import json
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.index import FileIndex

from .errors import IndexNotFoundError, IndexVersionError
from .schema import SCHEMA_VERSION, build_schema

VERSION_FILE = "norsearch.json"


def _stored_version(path: Path) -> int | None:
    try:
        return int(json.loads((path / VERSION_FILE).read_text("utf-8"))["schema_version"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def open_existing(path: Path) -> FileIndex:
    """Open an index for reading; raise if there is none or it was built by another schema."""
    if not whoosh_index.exists_in(str(path)):
        raise IndexNotFoundError(f"{path}: no index here (run `ingest once` to build it)")
    version = _stored_version(path)
    if version != SCHEMA_VERSION:
        raise IndexVersionError(
            f"{path}: index has schema version {version}, this program needs {SCHEMA_VERSION} "
            "(run `ingest once` to rebuild it)"
        )
    return whoosh_index.open_dir(str(path))


def open_or_create(path: Path) -> tuple[FileIndex, bool]:
    """Open an index for writing, creating it (or recreating an outdated one); True if new."""
    if whoosh_index.exists_in(str(path)) and _stored_version(path) == SCHEMA_VERSION:
        return whoosh_index.open_dir(str(path)), False
    path.mkdir(parents=True, exist_ok=True)
    ix = whoosh_index.create_in(str(path), build_schema())
    (path / VERSION_FILE).write_text(json.dumps({"schema_version": SCHEMA_VERSION}) + "\n", "utf-8")
    return ix, True
