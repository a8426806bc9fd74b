"""A checksum of every index file, written at each commit and checked on open, as Lucene does
with the footer of each of its files.

Without them, damage went unnoticed: of 120 tamperings with a real index, a removed
``_text_len.col`` changed the scores and a removed ``_stored.col`` gave a traceback, with no
word of damage, and ``ingest`` went on using it. Whoosh's files have no checksums of their
own, so each commit writes ``checksums-N.json`` (N the generation of the table of contents it
goes with) just before the new table of contents is renamed into place: the size and CRC-32
of the table and of every segment file, and of the manifest itself. A crash before the rename
leaves the previous table and its manifest in force; after it, both are there.

Opening for search checks what is cheap: the manifest, the table of contents, every segment
file's size, the whole of each file up to :data:`FULL_CHECK_AT_OPEN` bytes and the first and
last :data:`ENDS` bytes of bigger ones (on 10,000 documents, 21 MB: the postings, terms and
stored texts are bigger). A full check (:func:`index.whoosh.storage.check_index`, and every
``ingest`` pass before it writes) reads every byte: about 50 ms for those 21 MB.
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Iterable
from pathlib import Path

from ..permissions import write_file

FULL_CHECK_AT_OPEN = 1 << 20
ENDS = 1 << 16
_CHUNK = 1 << 20
_MANIFEST = re.compile(r"checksums-([0-9]+)\.json")
# Whoosh's segment files (MAIN_<id>.<ext>) and tables of contents (_MAIN_<generation>.toc).
_INDEX_FILE = re.compile(r"MAIN_[0-9a-z]+\.[A-Za-z0-9_.]+|_MAIN_[0-9]+\.toc")

Sums = tuple[int, int, int]  # size, CRC-32 of the whole file, CRC-32 of its first and last ENDS bytes


def manifest_name(generation: int) -> str:
    return f"checksums-{generation}.json"


def file_sums(path: Path) -> Sums:
    """Size, CRC-32 of all of it and CRC-32 of its ends, of the file at ``path``."""
    crc, size = 0, 0
    with path.open("rb") as file:
        while chunk := file.read(_CHUNK):
            crc = zlib.crc32(chunk, crc)
            size += len(chunk)
    return size, crc, _ends_crc(path, size)


def _ends_crc(path: Path, size: int) -> int:
    with path.open("rb") as file:
        head = file.read(ENDS)
        file.seek(max(size - ENDS, len(head)))
        return zlib.crc32(head + file.read(ENDS))


def _signed(body: dict) -> int:
    return zlib.crc32(json.dumps(body, sort_keys=True).encode("utf-8"))


def write_manifest(folder: Path, generation: int, toc_written_as: str, file_mode: int) -> None:
    """Record the sums of every index file in ``folder`` and of the new table of contents (for
    now under the name ``toc_written_as``). Segment files never change once written, so the
    sums of the previous manifest are kept for those of the same size, and only new files are
    read (just written, they are in the page cache)."""
    known = _latest_files(folder)
    files: dict[str, Sums] = {}
    for entry in folder.iterdir():
        if _INDEX_FILE.fullmatch(entry.name) and entry.is_file():
            size = entry.stat().st_size
            previous = known.get(entry.name)
            files[entry.name] = tuple(previous) if previous and previous[0] == size else file_sums(entry)
    files[f"_MAIN_{generation}.toc"] = file_sums(folder / toc_written_as)
    body = {"generation": generation, "files": files}
    manifest = {**body, "check": _signed(body)}
    write_file(folder / manifest_name(generation), (json.dumps(manifest, sort_keys=True) + "\n").encode("utf-8"), file_mode)


def remove_other_manifests(folder: Path, generation: int) -> None:
    """Delete the manifests of other generations (after the table of ``generation`` is in place)."""
    for entry in folder.iterdir():
        match = _MANIFEST.fullmatch(entry.name)
        if match and int(match[1]) != generation:
            entry.unlink(missing_ok=True)


def _latest_files(folder: Path) -> dict[str, list[int]]:
    generations = [int(m[1]) for entry in folder.iterdir() if (m := _MANIFEST.fullmatch(entry.name))]
    if not generations:
        return {}
    try:
        return read_manifest(folder, max(generations))
    except ValueError:
        return {}


def read_manifest(folder: Path, generation: int) -> dict[str, list[int]]:
    """The recorded sums by file name; raise ValueError saying why they cannot be trusted."""
    name = manifest_name(generation)
    try:
        manifest = json.loads((folder / name).read_bytes())
        files, check = manifest["files"], manifest.pop("check")
        valid = isinstance(files, dict) and check == _signed(manifest) and manifest["generation"] == generation
    except FileNotFoundError:
        raise ValueError(f"{name} is missing") from None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        valid = False
    if not valid:
        raise ValueError(f"{name} is damaged")
    return files


def verify(folder: Path, generation: int, segment_ids: Iterable[str] | None, full: bool) -> list[str]:
    """What is wrong with the table of contents of ``generation`` and the files of
    ``segment_ids`` (``None``: only the table), against their manifest: every byte when
    ``full``, else what is cheap (see the module's docstring). Empty when sound."""
    try:
        files = read_manifest(folder, generation)
    except ValueError as error:
        return [str(error)]
    toc = f"_MAIN_{generation}.toc"
    problems = _file_problems(folder, toc, files.get(toc), full=True)
    for segment in segment_ids or ():
        names = [name for name in files if name.startswith(f"{segment}.")]
        if not names:
            problems.append(f"{manifest_name(generation)} has no files of segment {segment}")
        for name in sorted(names):
            problems += _file_problems(folder, name, files[name], full)
    return problems


def _file_problems(folder: Path, name: str, sums: list[int] | None, full: bool) -> list[str]:
    if sums is None:
        return [f"{name} is not in the manifest"]
    path = folder / name
    try:
        size = path.stat().st_size
        if size != sums[0]:
            return [f"{name} has {size} bytes, was written with {sums[0]}"]
        if full or size <= FULL_CHECK_AT_OPEN:
            matches = file_sums(path)[1] == sums[1]
        else:
            matches = _ends_crc(path, size) == sums[2]
    except FileNotFoundError:
        return [f"{name} is missing"]
    except OSError as error:
        return [f"{name} cannot be read ({error.strerror})"]
    return [] if matches else [f"{name} does not match its checksum"]
