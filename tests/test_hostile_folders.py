"""Hostile folders (issue 16): deep trees, symlinks, the index inside the source, control
characters in names, damaged state, a full disk. Each test failed on the main of the day."""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import tempfile
from pathlib import Path

import pytest

from index import open_index
from index.config import load_config
from index.console import json_text, printable
from ingest import ingest_folder
from ingest.pipeline import _read_bytes, _Unreadable
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


# ------------------------------------------------------------------ control characters

HOSTILE = {
    "clear": "\x1b[2J\x1b[Hrent.txt",  # clears the screen
    "title": "\x1b]0;du er hacket\x07.txt",  # OSC 0: the window title
    "link": "\x1b]8;;https:svindel.example\x1b\\\\Trygg lenke\x1b]8;;\x1b\\\\.txt",  # OSC 8: a hidden link
    "csi": "\u009b2Jc1.txt",  # C1 CSI: clears the screen on many terminals
    "forged": "ond.txt\nfailed: forfalsket.txt: ikke ekte\nWARNING alt er i orden.txt",  # forges lines
}
RAW = ("\x1b", "\x07", "\u009b")


def test_printable_escapes_what_commands_a_terminal():
    assert printable("Møte i Tromsø\x1b[2J") == "Møte i Tromsø\\x1b[2J"
    assert printable("a\nb\tc\rd\x7f\u009b\u202e") == "a\\nb\\tc\\rd\\x7f\\u009b\\u202e"
    assert printable("æøå ÆØÅ – «sitat» 😀") == "æøå ÆØÅ – «sitat» 😀"
    for name in HOSTILE.values():
        shown = printable(name)
        assert "\n" not in shown and not any(char in shown for char in RAW)


def test_json_text_escapes_c1_controls():
    text = json_text({"tittel": "\u009b2J Bodø \x1b"})
    assert "\u009b" not in text and "\\u009b" in text and "Bodø" in text
    assert json.loads(text) == {"tittel": "\u009b2J Bodø \x1b"}


@pytest.fixture
def hostile_names(tmp_path) -> Path:
    """A source whose files have hostile names; each fails (binary), so each name is printed."""
    source = tmp_path / "kilde"
    write(source, "god.txt", "Ferja til Hareid går igjen fra mandag.")
    for name in HOSTILE.values():
        (source / name).write_bytes(b"\x00\x01binary\x00" * 20)
    return source


def _assert_harmless(text: str) -> None:
    assert not any(char in text for char in RAW), text


def test_ingest_once_and_status_show_hostile_names_escaped(tmp_path, hostile_names):
    index = tmp_path / "indeks"
    once = ingest(tmp_path, "once", "--source", hostile_names, "--index", index)
    no_traceback(once)
    assert once.returncode == 0, once.stderr
    for output in (once.stdout, once.stderr):
        _assert_harmless(output)
    lines = once.stdout.splitlines()
    assert len(lines) == 1 + len(HOSTILE)  # the summary, then one line per failure: none forged
    assert sum(line.startswith("failed:") for line in lines) == len(HOSTILE)
    assert "ond.txt\\nfailed: forfalsket.txt" in once.stdout
    assert sum("WARNING" in line for line in once.stderr.splitlines()) == len(HOSTILE)  # one log line each

    status = ingest(tmp_path, "status", "--index", index)
    _assert_harmless(status.stdout)
    assert sum(line.startswith("failed:") for line in status.stdout.splitlines()) == len(HOSTILE)

    for command in (["once", "--source", hostile_names], ["status"]):
        result = ingest(tmp_path, *command, "--json", "--index", index)
        _assert_harmless(result.stdout)
        payload = json.loads(result.stdout)
        report = payload.get("last_pass") or payload
        assert {Path(f["path"]).name for f in report["failed"]} == set(HOSTILE.values())


def test_a_link_swapped_out_of_the_source_after_the_walk_is_not_read(tmp_path):
    source, outside = tmp_path / "kilde", tmp_path / "etc"
    write(source, "ekte.txt", "Kommunestyret i Molde vedtok budsjettet.")
    write(outside, "shadow.txt", "root:$6$hemmelig:19000:0:99999:7:::")
    (source / "lenke.txt").symlink_to("ekte.txt")
    (vetted,) = [item for item in walk(source, ("lenke.txt",), ()) if isinstance(item, SourceFile)]
    (source / "lenke.txt").unlink()
    (source / "lenke.txt").symlink_to(outside / "shadow.txt")  # between the walk and the read
    with pytest.raises(_Unreadable, match="replaced by another file"):
        _read_bytes(vetted, load_config().ingest)
