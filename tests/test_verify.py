"""``ingest verify``: every path of the source accounted for against the index, nothing changed;
and, for any history of changes and passes (killed and interrupted ones too), no file
without a reason and no orphan."""

from __future__ import annotations

import dataclasses
import json
import shutil
import tempfile
import threading
from pathlib import Path
from unittest.mock import patch

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index import IndexWriter
from index.config import load_config
from index.document import Document
from ingest import ingest_folder, pipeline
from ingest.verify import verify_folder

from .test_cli import assert_one_line_error, ingest
from .test_pipeline import write

BINARY = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 8
CONFIG = dataclasses.replace(load_config().ingest, max_file_size=4000)


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def folder(tmp_path) -> tuple[Path, Path]:
    """A source after one pass: good files, a binary one, a dot folder, a link out of it."""
    source, index = tmp_path / "kilde", tmp_path / "indeks"
    write(source, "budsjett.txt", "Stortinget vedtok revidert nasjonalbudsjett torsdag.")
    write(source, "sak/ferje.md", "Ferja til Hareid går igjen fra mandag.")
    (source / "bilde.txt").write_bytes(BINARY)
    write(source, ".git/HEAD.txt", "ref: refs/heads/main")
    write(source, "les-meg.rst", "Ikke med.")
    write(tmp_path / "utenfor", "hemmelig.txt", "Passord: sommer2024")
    (source / "lenke.txt").symlink_to(tmp_path / "utenfor" / "hemmelig.txt")
    ingest_folder(source, index, CONFIG)
    return source, index


def test_after_a_pass_everything_is_accounted_for(folder):
    source, index = folder
    before = _snapshot(source.parent)
    report = verify_folder(source, index, CONFIG)
    assert _snapshot(source.parent) == before  # verify changes nothing, neither folder nor index
    assert report.accounted_for and report.missing == report.orphans == report.index_problems == []
    assert sorted(report.current) == ["budsjett.txt", "sak/ferje.md"]
    assert {e.id: e.reason for e in report.failed} == {
        "bilde.txt": "binary file of no supported format (contains NUL bytes)",
        "lenke.txt": report.failed[-1].reason,
    } and "outside the source folder" in report.failed[-1].reason
    assert {e.id: e.reason for e in report.excluded} == {
        ".git/": "excluded by '.*'",
        "les-meg.rst": f"not matched by include ({', '.join(load_config().ingest.include)})",
    }


def test_changes_since_the_pass_are_stale_or_pending(folder):
    source, index = folder
    write(source, "budsjett.txt", "Stortinget vedtok et helt annet budsjett.")
    write(source, "ny.txt", "En ny sak om bompenger i Bergen.")
    (source / "sak/ferje.md").unlink()
    report = verify_folder(source, index, CONFIG)
    assert report.accounted_for
    assert [(e.id, e.reason) for e in report.stale] == [("budsjett.txt", "changed since the last pass")]
    assert sorted((e.id, e.reason) for e in report.pending) == [
        ("ny.txt", "new since the last pass"),
        ("sak/ferje.md", "deleted since the last pass"),
    ]


def test_a_file_turned_binary_is_stale_with_the_reason(folder):
    source, index = folder
    (source / "budsjett.txt").write_bytes(BINARY)
    ingest_folder(source, index, CONFIG)
    (entry,) = verify_folder(source, index, CONFIG).stale
    assert entry.id == "budsjett.txt" and "binary" in entry.reason and "earlier version" in entry.reason


def test_an_orphan_and_a_missing_document_are_found(folder):
    source, index = folder
    with IndexWriter(index) as writer:  # what a bug would leave: the index out of step with the state
        writer.delete("sak/ferje.md")
        writer.upsert(Document(id="borte.txt", path=str(source / "borte.txt"), title="Borte", text="Borte vekk.",
                               size=11, mtime_ns=1, sha256="0" * 64))  # fmt: skip
    report = verify_folder(source, index, CONFIG)
    assert not report.accounted_for
    assert (report.missing, report.orphans) == (["sak/ferje.md"], ["borte.txt"])


def test_cli_exit_codes(folder, tmp_path):
    source, index = folder
    ok = ingest(tmp_path, "verify", "--source", source, "--index", index)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith("everything accounted for: 2 current") and "failed: bilde.txt: binary" in ok.stdout

    with IndexWriter(index) as writer:
        writer.delete("budsjett.txt")
    bad = ingest(tmp_path, "verify", "--json", "--source", source, "--index", index)
    assert bad.returncode == 1, bad.stderr
    assert json.loads(bad.stdout)["missing"] == ["budsjett.txt"]

    shutil.rmtree(index)
    assert "no index" in assert_one_line_error(ingest(tmp_path, "verify", "--source", source, "--index", index), "ingest")


def test_a_damaged_index_is_an_index_problem(folder):
    source, index = folder
    max(index.glob("MAIN_*.*"), key=lambda p: p.stat().st_size).write_bytes(b"\0" * 10)
    report = verify_folder(source, index, CONFIG)
    assert not report.accounted_for and "damaged" in report.index_problems[0]


# ------------------------------------------------------------------ the property test

NAMES = ["notat.txt", "sak/budsjett.txt", "sak/ferje.md", "arkiv/2019/snø.txt", "Ørsta.txt", ".skjult.txt"]
TEXTS = [
    "Kommunestyret i Molde vedtok budsjettet etter en lang debatt.",
    "Ferja til Hareid er innstilt på grunn av sterk vind.",
    "Dato: 3. mars 2021\nStortinget vedtok revidert nasjonalbudsjett.",
    "Vêret på Vestlandet blir vått og vindfullt heile helga.",
]
name = st.sampled_from(NAMES)
operation = st.one_of(
    st.tuples(st.just("write"), name, st.sampled_from(TEXTS)),
    st.tuples(st.just("delete"), name),
    st.tuples(st.just("move"), name, name),
    st.tuples(st.just("binary"), name),
    st.tuples(st.just("empty"), name),
    st.tuples(st.just("too large"), name),
    st.tuples(st.just("pass")),
    st.tuples(st.just("interrupt"), st.integers(0, 3)),
    st.tuples(st.just("kill"), st.integers(0, 3), st.booleans()),
)


class _Killed(Exception):
    """Stands for ``kill -9`` in the middle of a pass: nothing after it runs."""


def _apply(source: Path, op: tuple) -> None:
    kind, target = op[0], source / op[1]
    if kind == "write":
        write(source, op[1], op[2])
    elif kind in ("binary", "empty", "too large"):
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes({"binary": BINARY, "empty": b"", "too large": ("Langt. " * 1000).encode()}[kind])
    elif kind == "delete":
        target.unlink(missing_ok=True)
    elif kind == "move" and target.exists():
        (source / op[2]).parent.mkdir(parents=True, exist_ok=True)
        target.rename(source / op[2])


def _pass(source: Path, index: Path, op: tuple) -> bool:
    """Run the pass ``op`` asks for; whether it was complete."""
    if op[0] == "pass":
        ingest_folder(source, index, CONFIG)
        return True
    stop, after = threading.Event(), op[1]
    handled = []

    def on_file(total: int) -> None:
        handled.append(total)
        if len(handled) > after:
            if op[0] == "kill":
                raise _Killed
            stop.set()

    try:
        with patch.object(pipeline, "CHECKPOINT_SECONDS", -1.0 if op[0] == "kill" and op[2] else 60.0):
            ingest_folder(source, index, CONFIG, on_file=on_file, stop=stop)
    except _Killed:
        pass
    return False


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(operation, min_size=1, max_size=10))
def test_after_any_pass_every_file_has_a_reason_and_no_document_is_an_orphan(operations):
    with tempfile.TemporaryDirectory(prefix="norsearch-verify-") as tmp:
        source, index = Path(tmp) / "kilde", Path(tmp) / "indeks"
        for i, name in enumerate(NAMES[:4]):  # files to edit, move and delete from the start
            write(source, name, TEXTS[i])
        for op in [("pass",), *operations, ("pass",)]:
            if op[0] not in ("pass", "interrupt", "kill"):
                _apply(source, op)
                continue
            complete = _pass(source, index, op)
            if not index.exists():
                continue
            before = _snapshot(Path(tmp))
            report = verify_folder(source, index, CONFIG)
            assert _snapshot(Path(tmp)) == before
            assert (report.missing, report.orphans, report.index_problems) == ([], [], []), (op, report)
            if complete:
                assert report.pending == [], (op, report)
                assert all("earlier version" in entry.reason for entry in report.stale), (op, report)
