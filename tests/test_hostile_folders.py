"""Hostile folders (issue 16): deep trees, symlinks, the index inside the source, control
characters in names, damaged state, a full disk. Each test failed on the main of the day."""

from __future__ import annotations

import dataclasses
import os
import signal
import tempfile
from pathlib import Path

import pytest

from index import open_index
from index.config import load_config
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


# --------------------------------------------------------------------------- symlinks


def _config(**changes):
    return dataclasses.replace(load_config().ingest, **changes)


def test_a_link_out_of_the_source_is_reported_and_its_document_dropped(tmp_path):
    source, outside, index = tmp_path / "kilde", tmp_path / "etc", tmp_path / "indeks"
    write(source, "sak.txt", "Kommunestyret i Molde vedtok budsjettet.")
    write(outside, "shadow.txt", "root:$6$hemmelig:19000:0:99999:7:::")
    write(outside, "passwd.txt", "root:x:0:0:root:/root:/bin/bash")
    (source / "skygge.txt").symlink_to(outside / "shadow.txt")
    (source / "etc").symlink_to(outside, target_is_directory=True)
    assert ingest_folder(source, index, _config(follow_symlinks="all")).documents == 4  # as main did

    report = ingest_folder(source, index)  # the default: "inside"
    assert (report.deleted, report.documents) == (3, 1)
    assert sorted(Path(f.path).name for f in report.failed) == ["etc", "skygge.txt"]  # one line each
    assert all("outside the source folder" in f.error for f in report.failed)
    with open_index(index) as ix:
        assert ix.search("hemmelig").total == 0 and sorted(ix.ids()) == ["sak.txt"]


def test_the_index_inside_the_source_is_never_ingested(tmp_path):
    source = tmp_path / "kilde"
    write(source, "sak.txt", "Kommunestyret i Molde vedtok budsjettet.")
    config = _config(include=("*",), exclude=())
    first = ingest_folder(source, source / "indeks", config)
    second = ingest_folder(source, source / "indeks", config)
    assert (first.added, second.added, second.unchanged, second.documents) == (1, 0, 1, 1)
    with open_index(source / "indeks") as ix:
        assert list(ix.ids()) == ["sak.txt"]
