"""Which files exist under the source folder, and their ``stat``.

Symlinks are followed as ``follow_symlinks`` says: ``"inside"`` (the default) only where
the target resolves inside the source folder, so a link to ``/etc/shadow`` or ``/etc`` is
reported and never read; ``"all"``; or ``"none"``. A folder is walked once: a link back to
a folder being walked is a symlink loop, a second link to a folder already walked elsewhere
is reported as such (walking it again would index its files twice, and a tree of such
links would take exponential time). The index folder is never walked, wherever it lies.
Include and exclude globs match the file name or the path relative to the source
(``docs/*.md``). Names that cannot be an id (not valid UTF-8) are reported, not skipped in
silence.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from fnmatch import fnmatchcase, translate
from pathlib import Path


@dataclass(frozen=True)
class SourceFile:
    """A file to ingest: its id (relative path with ``/``), path (as the walk reached it: a
    ``str``, which costs a tenth of a ``Path`` for each of 100,000 files) and stat. ``inode``
    (device, inode) is the file the walk vetted: a reader opens the path again and must find
    that same file, not one a symlink swapped in since (``/etc/shadow``)."""

    id: str
    path: str
    size: int
    mtime_ns: int
    ctime_ns: int
    inode: tuple[int, int]


@dataclass(frozen=True)
class WalkProblem:
    """A path the walk could not use, and why. ``id`` is its relative path; for a folder it
    ends in ``/``. ``keep`` says whether what the index holds from there stays: yes for a
    passing problem (a folder that cannot be read now), no for a path that is not to be
    ingested at all (a link out of the source folder, a loop)."""

    id: str
    path: str
    error: str
    keep: bool = True


@dataclass(frozen=True)
class Skipped:
    """A path left out on purpose (a glob, the index folder): only with ``report_skipped``,
    for ``ingest verify``. A folder's ``id`` ends in ``/`` and stands for all under it."""

    id: str
    path: str
    reason: str


FOLLOW_SYMLINKS = ("inside", "all", "none")


def _matcher(globs: tuple[str, ...]) -> Callable[[str, str], bool]:
    """Whether a file's name or relative path matches one of ``globs`` (``fnmatchcase``), as
    one regular expression: a walk asks it twice for each of 100,000 files."""
    if not globs:
        return lambda name, relative: False
    match = re.compile("|".join(f"(?:{translate(glob)})" for glob in globs)).match
    return lambda name, relative: match(name) is not None or match(relative) is not None


def _which(globs: tuple[str, ...], name: str, relative: str) -> str:
    """The first of ``globs`` that matches (for the reason of a skipped path)."""
    return next(glob for glob in globs if fnmatchcase(name, glob) or fnmatchcase(relative, glob))


def _stat(path: Path) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _display(path: str) -> str:
    """A path printable whatever bytes its name holds."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def with_id_prefix(items: Iterable[SourceFile | WalkProblem | Skipped], prefix: str) -> Iterator[SourceFile | WalkProblem | Skipped]:
    """The walk's ``items`` with ``prefix`` (``ingest.id_prefix``, e.g. ``oslo/``) before each
    id: the ids this ingest writes, and the only ones it may delete."""
    return (replace(item, id=prefix + item.id) for item in items) if prefix else iter(items)


def walk(
    source: Path,
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    *,
    follow_symlinks: str = "inside",
    skip: tuple[Path, ...] = (),
    report_skipped: bool = False,
) -> Iterator[SourceFile | WalkProblem | Skipped]:
    """Yield every included file under ``source`` (sorted, so ids come in a stable order),
    and a :class:`WalkProblem` for each path that cannot or must not be used. Folders in
    ``skip`` (the index) are never entered; with ``report_skipped``, a :class:`Skipped` says
    so for them and for each path the globs leave out.

    Depth first with an explicit stack of open folders, not recursion: a tree of a thousand
    nested folders is as easy as a flat one (Python's recursion limit is about 1,000)."""
    items = _walk(source, include, exclude, follow_symlinks, skip)
    return items if report_skipped else (item for item in items if not isinstance(item, Skipped))


def _walk(
    source: Path, include: tuple[str, ...], exclude: tuple[str, ...], follow_symlinks: str, skip: tuple[Path, ...]
) -> Iterator[SourceFile | WalkProblem | Skipped]:
    if follow_symlinks not in FOLLOW_SYMLINKS:
        raise ValueError(f"follow_symlinks must be one of {FOLLOW_SYMLINKS}, got {follow_symlinks!r}")
    included, excluded = _matcher(include), _matcher(exclude)
    root = os.path.realpath(source)
    skipped = tuple(os.path.realpath(folder) for folder in skip)
    skipped_keys = {(info.st_dev, info.st_ino) for folder in skip if (info := _stat(folder))}
    walked: dict[tuple[int, int], str] = {}  # every folder entered, and the id it was walked as
    stack: list[tuple[Iterator[os.DirEntry], str, tuple[int, int]]] = []

    def enter(folder: str, prefix: str) -> WalkProblem | Skipped | None:
        """Push ``folder``'s sorted entries onto the stack, or say why it is not walked."""
        try:
            info = os.stat(folder)
            key = (info.st_dev, info.st_ino)
            if key in skipped_keys:
                return Skipped(prefix, _display(folder), "the index folder")
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError as error:
            return WalkProblem(prefix, _display(folder), f"cannot read folder ({error.strerror})")
        if key in walked:
            first = walked[key] or "the source folder"
            if any(key == open_key for _, _, open_key in stack):
                return WalkProblem(prefix, _display(folder), f"symlink loop: leads back to {first}", keep=False)
            return WalkProblem(prefix, _display(folder), f"not walked twice: the same folder as {first}", keep=False)
        walked[key] = prefix
        stack.append((iter(entries), prefix, key))
        return None

    def link_problem(entry: os.DirEntry, relative: str) -> WalkProblem | Skipped | None:
        """Why the symlink ``entry`` is not followed, or ``None`` when it is."""
        target = os.path.realpath(entry.path)
        if any(_inside(target, folder) for folder in skipped):
            return Skipped(relative, _display(entry.path), "the index folder")
        if follow_symlinks == "none":
            reason = 'symlink not followed (ingest.follow_symlinks = "none")'
        elif follow_symlinks == "inside" and not _inside(target, root):
            reason = f'symlink to {_display(target)}, outside the source folder: not followed (ingest.follow_symlinks = "inside")'
        else:
            return None
        return WalkProblem(relative, _display(entry.path), reason, keep=False)

    if problem := enter(str(source), ""):
        yield problem
    while stack:
        entries, prefix, _ = stack[-1]
        entry = next(entries, None)
        if entry is None:
            stack.pop()
            continue
        relative = prefix + entry.name
        if excluded(entry.name, relative):
            folder = "/" if entry.is_dir() else ""  # the listing gives the type: a stat only for a symlink
            yield Skipped(relative + folder, _display(entry.path), f"excluded by {_which(exclude, entry.name, relative)!r}")
            continue
        try:
            is_dir = entry.is_dir()
            is_file = not is_dir and entry.is_file()
        except OSError as error:
            yield WalkProblem(relative, _display(entry.path), f"cannot stat ({error.strerror})")
            continue
        if (is_dir or (is_file and included(entry.name, relative))) and entry.is_symlink():
            if problem := link_problem(entry, relative + "/" * is_dir):
                yield problem
                continue
        if is_dir:
            if problem := enter(entry.path, relative + "/"):
                yield problem
            continue
        if not is_file:
            if entry.is_symlink() and included(entry.name, relative):
                yield WalkProblem(relative, _display(entry.path), "broken symlink")
            continue
        if not included(entry.name, relative):
            yield Skipped(relative, _display(entry.path), f"not matched by include ({', '.join(include)})")
            continue
        try:
            relative.encode("utf-8")
        except UnicodeEncodeError:
            yield WalkProblem(relative, _display(entry.path), "file name is not valid UTF-8")
            continue
        try:
            stat = entry.stat()
        except OSError as error:
            yield WalkProblem(relative, _display(entry.path), f"cannot stat ({error.strerror})")
            continue
        yield SourceFile(relative, entry.path, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, (stat.st_dev, stat.st_ino))
