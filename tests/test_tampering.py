"""Every damage to an index file is either reported by search as one line (IndexCorruptError)
and repaired by the next ingest, or harmless: the results are exactly what they were.

Each kind of damage (delete, zero, truncate to half, flip a byte at the start or in the
middle, append) to each kind of file of a small real index (segment files, table of contents,
checksums, version file, lock files). ``ingest-state.sqlite`` is the ingest side's (issue 16,
item 5) and is left out here.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from index import IndexCorruptError, open_index
from index.whoosh.storage import check_index
from ingest import ingest_folder

from .test_cli import make_source, write

QUERIES = ["samtaler", "Stortinget budsjett", "fred*", '"fred mulig"', "Ukraina NOT fred", "title:chatter", "date:2023"]
STATE = "ingest-state.sqlite"


def results(index: Path) -> list:
    """Everything a user can see: every query's hits (id, score, title, snippet), the totals,
    and every stored document."""
    with open_index(index) as ix:
        seen: list = [(ix.count(), sorted(ix.ids()))]
        for query in QUERIES:
            found = ix.search(query)
            seen.append((found.total, [(h.id, round(h.score, 9), h.title, h.date, h.snippet.html()) for h in found]))
        seen.append([ix.get(doc_id) for doc_id in sorted(ix.ids())])
    return seen


def _flip(at: Callable[[int], int]) -> Callable[[Path], None]:
    def damage(path: Path) -> None:
        data = bytearray(path.read_bytes())
        if data:
            data[at(len(data))] ^= 0xFF
            path.write_bytes(bytes(data))

    return damage


DAMAGE: dict[str, Callable[[Path], None]] = {
    "delete": lambda path: path.unlink(),
    "zero": lambda path: path.write_bytes(bytes(path.stat().st_size)),
    "truncate to half": lambda path: path.write_bytes(path.read_bytes()[: path.stat().st_size // 2]),
    "flip the first byte": _flip(lambda size: 0),
    "flip a byte in the middle": _flip(lambda size: size // 2),
    "append": lambda path: path.write_bytes(path.read_bytes() + b"\x00garbage\n"),
}


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> tuple[Path, Path, list]:
    """A source folder, its index (two segments: two writing processes) and what it answers."""
    folder = tmp_path_factory.mktemp("tampering")
    source = make_source(folder / "source")
    write(source, "lofoten.txt", "Dato: 1. februar 2019\nFiske i Lofoten\n\nSkreifisket i Lofoten samler mange båter.")
    index = folder / "index"
    ingest_folder(source, index, writer_processes=2)
    return source, index, results(index)


def _kinds_of_files(index: Path) -> list[str]:
    """One file of each kind: the extension of segment files, the others by name."""
    kinds = {}
    for path in sorted(index.iterdir()):
        if path.name != STATE:
            kinds.setdefault(path.name.split(".", 1)[1] if path.name.startswith("MAIN_") and "." in path.name else path.name, path.name)
    return sorted(kinds.values())


def test_the_index_has_every_kind_of_file(pristine):
    _, index, _ = pristine
    names = " ".join(_kinds_of_files(index))
    for kind in ("_stored.col", "_text_len.col", ".pst", ".trm", ".id.col", ".compounds", ".toc", "checksums-", "norsearch.json", "norsearch.lock", "WRITELOCK"):
        assert kind in names, names
    assert check_index(index) == []


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_damage_is_reported_and_repaired_or_harmless(pristine, tmp_path, damage):
    source, original, expected = pristine
    for name in _kinds_of_files(original):
        index = tmp_path / name
        shutil.copytree(original, index)
        damage(index / name)
        try:
            seen = results(index)
        except IndexCorruptError as error:
            assert "\n" not in str(error) and "ingest once" in str(error), error
            reported = True
        else:
            assert seen == expected, f"{name}: silently different results"
            reported = False
        assert bool(check_index(index)) == reported, name

        report = ingest_folder(source, index, writer_processes=2)
        assert bool(report.rebuilt) == reported, (name, report.rebuilt)
        assert results(index) == expected, f"{name}: different results after ingest"
        assert check_index(index) == []


def test_what_opening_leaves_unchecked_ingest_and_check_index_find(pristine, tmp_path, monkeypatch):
    """Opening reads only the ends of files over FULL_CHECK_AT_OPEN bytes (here: of every
    file, 16 bytes at each end); a byte changed in the middle of one is found by check_index,
    and by every ingest pass, which checks every byte before it writes."""
    from index.whoosh import checksums

    source, _, expected = pristine
    monkeypatch.setattr(checksums, "FULL_CHECK_AT_OPEN", 0)
    monkeypatch.setattr(checksums, "ENDS", 16)
    index = tmp_path / "index"
    ingest_folder(source, index)
    stored = next(index.glob("MAIN_*._stored.col"))
    _flip(lambda size: size // 2)(stored)
    open_index(index).close()  # the cheap checks pass
    assert check_index(index) == [f"{index}: {stored.name} does not match its checksum"]
    report = ingest_folder(source, index)
    assert report.rebuilt and "does not match its checksum" in report.rebuilt
    assert results(index) == expected


def test_a_damaged_commit_made_after_opening_is_reported(pristine, tmp_path):
    """A long-running reader (a web server) checks each new commit as opening does."""
    source, original, _ = pristine
    index = tmp_path / "index"
    shutil.copytree(original, index)
    with open_index(index) as ix:
        assert ix.search("Lofoten").total == 1
        write(source, "ny.txt", "Torsk fra Lofoten\n\nTørrfisken fra Lofoten selges til Italia.")
        try:
            ingest_folder(source, index)
        finally:
            (source / "ny.txt").unlink()
        newest = max(index.glob("MAIN_*._text_len.col"), key=lambda path: path.stat().st_mtime_ns)
        newest.unlink()  # silently other scores, no error from Whoosh
        with pytest.raises(IndexCorruptError, match="_text_len.col is missing.*ingest once"):
            ix.search("Lofoten")
