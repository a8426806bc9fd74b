"""Hostile folders (issue 16): deep trees, symlinks, the index inside the source, control
characters in names, damaged state, a full disk. Each test failed on the main of the day."""

from __future__ import annotations

import os
import signal
import tempfile
from pathlib import Path

import pytest

from ingest import ingest_folder
from ingest.walk import SourceFile, walk

from .test_cli import IngestRun, _status, ingest, no_traceback, wait_for, write

DEEP = 990  # one-letter folders: a path of about 2 KB, past Python's recursion limit of ~1,000


def _remove_tree(top: Path) -> None:
    """``shutil.rmtree`` without recursion (Python 3.11's recurses once per folder): pytest's
    own clean-up of a deep tree would crash a later test session."""
    stack = [(str(top), False)]
    while stack:
        path, emptied = stack.pop()
        if emptied:
            os.rmdir(path)
            continue
        stack.append((path, True))
        for entry in os.scandir(path):
            if entry.is_dir(follow_symlinks=False):
                stack.append((entry.path, False))
            else:
                os.unlink(entry.path)


@pytest.fixture
def deep_folder():
    """A folder (outside pytest's temporary folders, whose clean-up recurses) holding
    ``a/a/…/a/dyp.txt``, :data:`DEEP` folders down; removed after the test."""
    root = Path(tempfile.mkdtemp(prefix="norsearch-deep-"))
    folder = str(root / "kilde")
    os.mkdir(folder)
    for _ in range(DEEP):  # os.makedirs itself recurses once per folder
        folder = os.path.join(folder, "a")
        os.mkdir(folder)
    write(Path(folder), "dyp.txt", "Dypt nede i mappene ligger en rapport om ferjene i Bergen.")
    yield root
    _remove_tree(root)


def test_a_walk_has_no_depth_limit(deep_folder):
    (item,) = walk(deep_folder / "kilde", ("*.txt",), ())
    assert isinstance(item, SourceFile) and item.id == "a/" * DEEP + "dyp.txt"


def test_ingest_once_on_a_deep_folder(deep_folder):
    result = ingest(deep_folder, "once", "--source", "kilde", "--index", "indeks")  # relative: deeper still
    no_traceback(result)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("1 added")


@pytest.mark.slow
def test_ingest_run_keeps_running_on_a_deep_folder(tmp_path, deep_folder):
    index = tmp_path / "indeks"
    service = IngestRun(tmp_path, deep_folder / "kilde", index)
    try:
        wait_for(lambda: (s := _status(tmp_path, index)) and s["documents"] == 1, 30, "the first pass", service.proc)
        returncode = service.stop(signal.SIGTERM, timeout=15)
    finally:
        service.close()
    assert returncode == 0 and "Traceback" not in service.stderr(), service.stderr()
