"""Opening and creating the index folder, and knowing which schema built it and that it is sound.

Beside Whoosh's own files the folder holds ``norsearch.json`` with the schema version. An
index built by an older analysis is refused for search and rebuilt by ingest, never
searched with mismatched analysis. A folder with a version file or a table of contents whose
files are not as they were written (missing, truncated, changed: :mod:`index.whoosh.checksums`) or
that Whoosh cannot open is *damaged*, not new: search says so, and ingest rebuilds it from the
source folder and says why. An index written before checksums were kept is rebuilt once.

Segments are written as separate files, not Whoosh's compound file: opening a compound file
copies every part of it into memory (a 460 MB index took 0.9 s to open and 900 MB of RAM to
search).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from whoosh.filedb.filestore import FileStorage, ReadOnlyError
from whoosh.filedb.structfile import StructFile
from whoosh.index import TOC, FileIndex
from whoosh.util import random_name

from . import checksums
from ..errors import IndexCorruptError, IndexNotFoundError, IndexVersionError
from ..permissions import DEFAULT_FILE_MODE, make_folder, open_file, secure_folder, write_file
from .schema import SCHEMA_VERSION, build_schema

VERSION_FILE = "norsearch.json"
INDEX_NAME = "MAIN"
OPEN_ATTEMPTS = 3


def _toc_generation(name: str) -> int | None:
    match = TOC._pattern(INDEX_NAME).match(name)
    return int(match[1]) if match else None


class PrivateStorage(FileStorage):
    """Whoosh's file storage, creating its files (segments, table of contents, lock files,
    temporary folders, in every writing process) with ``file_mode`` whatever the umask
    (:mod:`index.permissions`), and each table of contents with its manifest of checksums
    (:mod:`index.whoosh.checksums`)."""

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

    def rename_file(self, oldname: str, newname: str, safe: bool = False) -> None:
        """Rename; a new table of contents gets its manifest of checksums just before."""
        generation = _toc_generation(newname)
        if generation is not None:
            checksums.write_manifest(Path(self.folder), generation, oldname, self.file_mode)
        super().rename_file(oldname, newname, safe)
        if generation is not None:
            checksums.remove_other_manifests(Path(self.folder), generation)

    def temp_storage(self, name: str | None = None) -> PrivateStorage:
        folder = Path(self.folder) / (name or f"{random_name()}.tmp")
        return PrivateStorage(folder, self.file_mode).create()


def after_commit(path: Path, file_mode: int = DEFAULT_FILE_MODE) -> None:
    """Give every file in the folder ``file_mode``; call after each commit."""
    secure_folder(path, file_mode)


def _stored_version(path: Path) -> int | None:
    """The schema version the index was built with; raise IndexCorruptError if the file is
    there but unreadable, ``None`` if it is not there."""
    try:
        version = json.loads((path / VERSION_FILE).read_text("utf-8"))["schema_version"]
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        raise IndexCorruptError(f"{path}: index is damaged ({VERSION_FILE} cannot be read)") from None
    if type(version) is not int:
        raise IndexCorruptError(f"{path}: index is damaged ({VERSION_FILE} holds no version number)")
    return version


def _has_index(path: Path) -> bool:
    """Whether the folder holds an index, whole or damaged: a version file or a table of contents."""
    if not path.is_dir():
        return False
    return (path / VERSION_FILE).exists() or _latest_generation(path) >= 0


def _problems(path: Path, full: bool) -> tuple[list[str], FileIndex | None]:
    """What is wrong with the index at ``path`` (checksums: every byte when ``full``, else
    what is cheap; then whether Whoosh opens every segment), and the index when nothing is.
    Looked at again when a writer committed meanwhile (its commit removes the files of the
    generation before)."""
    for _attempt in range(OPEN_ATTEMPTS):
        generation = _latest_generation(path)
        problems, ix = _problems_of_generation(path, generation, full)
        if ix is not None or _latest_generation(path) == generation:
            break
    return problems, ix


def _latest_generation(path: Path) -> int:
    return TOC._latest_generation(FileStorage(str(path)), INDEX_NAME)


def _problems_of_generation(path: Path, generation: int, full: bool) -> tuple[list[str], FileIndex | None]:
    if generation < 0:
        return ["its table of contents is missing"], None
    problems = checksums.verify(path, generation, None, full)  # the table first: Whoosh unpickles it
    if problems:
        return problems, None
    try:
        ix = FileIndex(PrivateStorage(path), indexname=INDEX_NAME)
        segments = [segment.segment_id() for segment in ix._segments()]
    except Exception as error:  # noqa: BLE001 - a damaged index fails in many ways inside Whoosh
        return [f"{type(error).__name__}: {error}"], None
    problems = checksums.verify(path, generation, segments, full)
    if problems:
        return problems, None
    try:
        with ix.reader() as reader:
            reader.doc_count()
    except Exception as error:  # noqa: BLE001 - as above
        return [f"{type(error).__name__}: {error}"], None
    return [], ix


def _open_checked(path: Path, full: bool, file_mode: int = DEFAULT_FILE_MODE) -> FileIndex:
    """Open the Whoosh index and every segment of it, or raise :class:`IndexCorruptError`."""
    problems, ix = _problems(path, full)
    if ix is None:
        raise IndexCorruptError(f"{path}: index is damaged ({problems[0]})")
    ix.storage.file_mode = file_mode
    return ix


def check_commit(path: Path) -> None:
    """The cheap checks of opening, for a commit made after a reader opened the index (a
    long-running one, moving on to it); raise :class:`IndexCorruptError`."""
    try:
        _open_checked(path, full=False).close()
    except IndexCorruptError as error:
        raise IndexCorruptError(f"{error}; run `ingest once` to rebuild it") from None


def check_index(path: str | Path) -> list[str]:
    """Every problem of the index at ``path``, each a line naming the file and what is wrong
    with it, after reading every byte of it; empty when it is sound. Changes nothing."""
    path = Path(path)
    if not _has_index(path):
        return [f"{path}: no index here"]
    try:
        version = _stored_version(path)
    except IndexCorruptError as error:
        return [str(error)]
    if version is None:
        return [f"{path}: index is damaged ({VERSION_FILE} is missing)"]
    if version != SCHEMA_VERSION:
        return [f"{path}: index has schema version {version}, this program needs {SCHEMA_VERSION}"]
    return [f"{path}: {problem}" for problem in _problems(path, full=True)[0]]


def open_existing(path: Path) -> FileIndex:
    """Open an index for reading (the cheap checks of :mod:`index.whoosh.checksums`); raise if there
    is none, it is damaged, or was built by another schema version."""
    if not _has_index(path):
        raise IndexNotFoundError(f"{path}: no index here (run `ingest once` to build it)")
    try:
        version = _stored_version(path)
        if version is None:
            raise IndexCorruptError(f"{path}: index is damaged ({VERSION_FILE} is missing)")
        if version != SCHEMA_VERSION:
            raise IndexVersionError(
                f"{path}: index has schema version {version}, this program needs {SCHEMA_VERSION} "
                "(run `ingest once` to rebuild it)"
            )
        return _open_checked(path, full=False)
    except IndexCorruptError as error:
        raise IndexCorruptError(f"{error}; run `ingest once` to rebuild it") from None


def open_or_create(path: Path, file_mode: int = DEFAULT_FILE_MODE) -> tuple[FileIndex, str | None]:
    """Open an index for writing (after checking every byte of it), or create one, its files
    with ``file_mode``; the second value says why it was created (``None`` when an existing
    index was opened)."""
    try:
        version = _stored_version(path)
        if not _has_index(path):
            reason = "new index"
        elif version is None:
            raise IndexCorruptError(f"{path}: index is damaged ({VERSION_FILE} is missing)")
        elif version != SCHEMA_VERSION:
            reason = f"built with schema version {version}, rebuilding for version {SCHEMA_VERSION}"
        else:
            ix = _open_checked(path, full=True, file_mode=file_mode)
            secure_folder(path, file_mode)
            return ix, None
    except IndexCorruptError as error:
        reason = f"{error}; rebuilding it"
    storage = PrivateStorage(path, file_mode).create()
    write_file(path / VERSION_FILE, (json.dumps({"schema_version": SCHEMA_VERSION}) + "\n").encode("utf-8"), file_mode)
    ix = FileIndex.create(storage, build_schema(), INDEX_NAME)
    secure_folder(path, file_mode)
    return ix, reason
