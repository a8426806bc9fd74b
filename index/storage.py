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
import os
from pathlib import Path

from whoosh.filedb.filestore import FileStorage, ReadOnlyError
from whoosh.filedb.structfile import StructFile
from whoosh.index import FileIndex
from whoosh.util import random_name

from .errors import IndexCorruptError, IndexNotFoundError, IndexVersionError
from .permissions import DEFAULT_FILE_MODE, make_folder, open_file, secure_folder, write_file
from .schema import SCHEMA_VERSION, build_schema

VERSION_FILE = "norsearch.json"
SIZES_FILE = "segment-sizes.json"
SEGMENT_FILES = "MAIN_*.*"
INDEX_NAME = "MAIN"


class PrivateStorage(FileStorage):
    """Whoosh's file storage, creating its files (segments, table of contents, lock files,
    temporary folders, in every writing process) with ``file_mode`` whatever the umask
    (:mod:`index.permissions`)."""

    def __init__(self, path: Path, file_mode: int = DEFAULT_FILE_MODE, readonly: bool = False):
        super().__init__(str(path), readonly=readonly)
        self.file_mode = file_mode

    def create(self) -> PrivateStorage:
        make_folder(Path(self.folder), self.file_mode)
        return self

    def create_file(self, name: str, excl: bool = False, mode: str = "wb", **kwargs) -> StructFile:
        if self.readonly:
            raise ReadOnlyError
        flags = (os.O_RDWR if "+" in mode else os.O_WRONLY) | (os.O_EXCL if excl else os.O_TRUNC)
        return StructFile(os.fdopen(open_file(self._fpath(name), flags, self.file_mode), mode), name=name, **kwargs)

    def lock(self, name: str):
        os.close(open_file(self._fpath(name), os.O_RDONLY, self.file_mode))  # Whoosh's FileLock opens it 0777 & ~umask
        return super().lock(name)

    def temp_storage(self, name: str | None = None) -> PrivateStorage:
        folder = Path(self.folder) / (name or f"{random_name()}.tmp")
        return PrivateStorage(folder, self.file_mode).create()


def record_segment_sizes(path: Path, file_mode: int = DEFAULT_FILE_MODE) -> None:
    """Remember the size of every segment file now in the folder, and give every file there
    ``file_mode``; call after each commit."""
    sizes = {file.name: file.stat().st_size for file in path.glob(SEGMENT_FILES)}
    write_file(path / SIZES_FILE, (json.dumps(sizes, sort_keys=True) + "\n").encode("utf-8"), file_mode)
    secure_folder(path, file_mode)


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


def _open_checked(path: Path, file_mode: int = DEFAULT_FILE_MODE) -> FileIndex:
    """Open the Whoosh index and every segment of it, or raise :class:`IndexCorruptError`."""
    _check_segment_sizes(path)
    try:
        ix = FileIndex(PrivateStorage(path, file_mode), indexname=INDEX_NAME)
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


def open_or_create(path: Path, file_mode: int = DEFAULT_FILE_MODE) -> tuple[FileIndex, str | None]:
    """Open an index for writing, or create one, its files with ``file_mode``; the second
    value says why it was created (``None`` when an existing index was opened)."""
    reason = None
    if not (path / VERSION_FILE).exists():
        reason = "new index"
    elif (version := _stored_version(path)) != SCHEMA_VERSION:
        reason = f"built with schema version {version}, rebuilding for version {SCHEMA_VERSION}"
    else:
        try:
            ix = _open_checked(path, file_mode)
            secure_folder(path, file_mode)
            return ix, None
        except IndexCorruptError as error:
            reason = f"{error}; rebuilding it"
    ix = FileIndex.create(PrivateStorage(path, file_mode).create(), build_schema(), INDEX_NAME)
    record_segment_sizes(path, file_mode)
    write_file(path / VERSION_FILE, (json.dumps({"schema_version": SCHEMA_VERSION}) + "\n").encode("utf-8"), file_mode)
    return ix, reason
