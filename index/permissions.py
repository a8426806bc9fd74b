"""Who may read the index: its folder 0700 and its files 0600 unless ``index.mode`` says otherwise.

The index holds every document's text (``*_stored.col``), so it is as private as the folder
it was made from may be, or more: readable by its owner only, whatever the umask of the
process that writes it (a service running as root has 0022). The umask is process-wide, so
it is left alone: files are created with their mode (and ``fchmod`` to it exactly, as the
umask only ever takes bits away), and the folder is swept after each commit so that a file
made by someone else (SQLite's state database, Whoosh's lock file) gets the mode too. A
folder's mode is the files' mode with ``x`` wherever there is ``r`` (``0600`` -> ``0700``,
``0640`` -> ``0750``).
"""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_FILE_MODE = 0o600


def folder_mode(file_mode: int) -> int:
    """The mode of a folder whose files have ``file_mode``: search (x) wherever read (r)."""
    return file_mode | (file_mode & 0o444) >> 2


def file_mode_of(folder: Path) -> int:
    """The mode of the files of a folder with the mode :func:`folder_mode` gave it."""
    return folder.stat().st_mode & 0o666


def make_folder(folder: Path, file_mode: int = DEFAULT_FILE_MODE) -> None:
    """Create ``folder`` (and missing parents, with the umask's mode) and give it the mode of
    a folder whose files have ``file_mode``; an existing folder gets that mode too."""
    folder.mkdir(parents=True, exist_ok=True, mode=folder_mode(file_mode))
    if folder.stat().st_mode & 0o777 != folder_mode(file_mode):
        folder.chmod(folder_mode(file_mode))


def open_file(path: Path | str, flags: int, file_mode: int = DEFAULT_FILE_MODE) -> int:
    """``os.open`` creating the file with exactly ``file_mode`` (an existing one gets it too)."""
    fd = os.open(path, flags | os.O_CREAT, file_mode)
    try:
        os.fchmod(fd, file_mode)
    except BaseException:
        os.close(fd)
        raise
    return fd


def write_file(path: Path, data: bytes, file_mode: int = DEFAULT_FILE_MODE) -> None:
    """Write ``data`` to ``path`` through a temporary file renamed into place, with ``file_mode``."""
    temporary = path.with_name(f"{path.name}.tmp")
    with os.fdopen(open_file(temporary, os.O_WRONLY | os.O_TRUNC, file_mode), "wb") as file:
        file.write(data)
    temporary.replace(path)


def create_like_folder(path: Path) -> None:
    """Create the file ``path`` if it is not there, with the mode its folder's mode implies
    (``0700`` -> ``0600``): for files that another library opens (SQLite's database, whose
    journal files then take its mode too)."""
    os.close(open_file(path, os.O_RDONLY, file_mode_of(path.parent)))


def secure_folder(folder: Path, file_mode: int = DEFAULT_FILE_MODE) -> None:
    """Give ``folder`` and everything in it (one level of sub-folders: Whoosh's temporary
    ones) the mode for ``file_mode``. Files that vanish meanwhile are left alone."""
    make_folder(folder, file_mode)
    for entry in folder.iterdir():
        try:
            if entry.is_symlink():
                continue
            if entry.is_dir():
                make_folder(entry, file_mode)
                for inner in entry.iterdir():
                    if not inner.is_symlink() and inner.is_file():
                        inner.chmod(file_mode)
            elif entry.stat().st_mode & 0o777 != file_mode:
                entry.chmod(file_mode)
        except FileNotFoundError:
            continue
