"""``ingest_folder``: the index follows the folder; bad files are reported, nothing is lost."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from index import open_index
from index.config import load_config
from ingest import SourceNotFoundError, ingest_folder
from ingest.state import IngestState

from .conftest import SAMPLE

SAMPLE_ID = SAMPLE.name


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def counts(report) -> tuple[int, int, int, int]:
    return report.added, report.updated, report.deleted, report.unchanged


def test_first_pass_indexes_the_sample_with_its_metadata(sample_folder, tmp_path):
    report = ingest_folder(sample_folder, tmp_path / "index")
    assert counts(report) == (1, 0, 0, 0) and report.documents == 1 and report.failed == []
    with open_index(tmp_path / "index") as ix:
        doc = ix.get(SAMPLE_ID)
    assert doc.date == "2023-07"
    assert doc.title == "Skjulte chatter?"
    assert doc.text.startswith("Skjulte chatter? Ifølge")  # header removed, title kept in text
    assert doc.encoding == "utf-8" and doc.size == SAMPLE.stat().st_size
    assert len(doc.sha256) == 64 and doc.path == str((sample_folder / SAMPLE_ID).absolute())


def test_changes_are_counted_honestly(sample_folder, tmp_path):
    index_dir = tmp_path / "index"
    write(sample_folder, "a/første.txt", "Dato: 3. mars 2021\nFørste tekst om været i Bergen.")
    write(sample_folder, "a/b/andre.md", "# Andre\nEn tekst om skatt.")
    assert counts(ingest_folder(sample_folder, index_dir)) == (3, 0, 0, 0)
    assert counts(ingest_folder(sample_folder, index_dir)) == (0, 0, 0, 3)

    write(sample_folder, "a/første.txt", "Dato: 3. mars 2021\nFørste tekst om været i Tromsø.")
    (sample_folder / "a/b/andre.md").unlink()
    write(sample_folder, "ny.txt", "Ny fil.")
    report = ingest_folder(sample_folder, index_dir)
    assert counts(report) == (1, 1, 1, 1) and report.documents == 3
    with open_index(index_dir) as ix:
        assert [hit.id for hit in ix.search("Tromsø")] == ["a/første.txt"]
        assert ix.search("Bergen").total == 0
        assert ix.get("a/b/andre.md") is None
        assert ix.get("a/første.txt").date == "2021-03-03"


def test_a_touched_file_is_not_reindexed(sample_folder, tmp_path):
    index_dir = tmp_path / "index"
    ingest_folder(sample_folder, index_dir)
    path = sample_folder / SAMPLE_ID
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 5_000_000_000))
    assert counts(ingest_folder(sample_folder, index_dir)) == (0, 0, 0, 1)
    # and the new mtime was remembered: the third pass does not even read it
    state = IngestState(index_dir)
    assert state.files()[SAMPLE_ID].mtime_ns == path.stat().st_mtime_ns
    state.close()


def test_bad_files_are_reported_and_never_lose_indexed_documents(sample_folder, tmp_path):
    index_dir = tmp_path / "index"
    write(sample_folder, "god.txt", "En god tekst om fjellturer i Jotunheimen.")
    ingest_folder(sample_folder, index_dir)
    (sample_folder / "god.txt").write_bytes(b"\x00\x01\x02binary\x00")
    (sample_folder / "tom.txt").write_bytes(b"")
    report = ingest_folder(sample_folder, index_dir)
    errors = {Path(f.path).name: f.error for f in report.failed}
    assert "NUL" in errors["god.txt"] and "empty" in errors["tom.txt"]
    assert report.documents == 2
    with open_index(index_dir) as ix:
        assert [hit.id for hit in ix.search("Jotunheimen")] == ["god.txt"]
    # once repaired, the file is indexed again
    write(sample_folder, "god.txt", "En god tekst om fjellturer i Rondane.")
    assert ingest_folder(sample_folder, index_dir).updated == 1


def test_files_over_the_size_limit_are_skipped_with_a_reason(sample_folder, tmp_path):
    config = load_config(overrides={"ingest": {"max_file_size": 1000}}).ingest
    report = ingest_folder(sample_folder, tmp_path / "index", config)
    assert report.documents == 0
    assert "max_file_size" in report.failed[0].error and SAMPLE_ID in report.failed[0].path


def test_an_unreadable_folder_does_not_delete_its_documents(sample_folder, tmp_path, monkeypatch):
    index_dir = tmp_path / "index"
    write(sample_folder, "privat/notat.txt", "Notat om hyttetur.")
    ingest_folder(sample_folder, index_dir)
    real_scandir = os.scandir

    def scandir(path):  # the kernel's answer for a folder without read permission (root has them all)
        if Path(path).name == "privat":
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr("ingest.walk.os.scandir", scandir)
    report = ingest_folder(sample_folder, index_dir)
    assert report.deleted == 0 and report.documents == 2
    assert any("cannot read folder (Permission denied)" in f.error for f in report.failed)


def test_a_vanished_source_folder_is_an_error_not_an_empty_index(sample_folder, tmp_path):
    ingest_folder(sample_folder, tmp_path / "index")
    with pytest.raises(SourceNotFoundError, match="source folder not found"):
        ingest_folder(tmp_path / "gone", tmp_path / "index")
    with open_index(tmp_path / "index") as ix:
        assert ix.count() == 1


def test_a_stopped_pass_commits_its_work_and_deletes_nothing(sample_folder, tmp_path):
    index_dir = tmp_path / "index"
    ingest_folder(sample_folder, index_dir)
    (sample_folder / SAMPLE_ID).unlink()
    for n in range(5):
        write(sample_folder, f"fil{n}.txt", f"Fil nummer {n} om sjøfart.")
    stop = threading.Event()
    seen = []

    def on_file(total: int) -> None:
        seen.append(total)
        if len(seen) == 2:
            stop.set()

    report = ingest_folder(sample_folder, index_dir, on_file=on_file, stop=stop)
    assert report.interrupted and report.added == 2 and report.deleted == 0
    with open_index(index_dir) as ix:
        assert ix.count() == 3
    report = ingest_folder(sample_folder, index_dir)
    assert counts(report) == (3, 0, 1, 2)


def test_moved_files_and_renamed_folders_count_as_moves(sample_folder, tmp_path):
    index_dir = tmp_path / "index"
    write(sample_folder, "arkiv/2021/a.txt", "Første notat om Hardangervidda.")
    write(sample_folder, "arkiv/2021/b.txt", "Andre notat om Finnmarksvidda.")
    ingest_folder(sample_folder, index_dir)
    (sample_folder / "arkiv").rename(sample_folder / "gammelt")
    (sample_folder / SAMPLE_ID).rename(sample_folder / "flyttet.txt")
    report = ingest_folder(sample_folder, index_dir)
    assert (report.moved, report.added, report.deleted, report.updated) == (3, 0, 0, 0)
    with open_index(index_dir) as ix:
        assert sorted(ix.ids()) == ["flyttet.txt", "gammelt/2021/a.txt", "gammelt/2021/b.txt"]
        assert [hit.id for hit in ix.search("Hardangervidda")] == ["gammelt/2021/a.txt"]


def test_a_deleted_subtree_is_deleted(sample_folder, tmp_path):
    index_dir = tmp_path / "index"
    for n in range(3):
        write(sample_folder, f"gammelt/{n}/notat.txt", f"Notat {n} om kystradio.")
    ingest_folder(sample_folder, index_dir)
    import shutil

    shutil.rmtree(sample_folder / "gammelt")
    report = ingest_folder(sample_folder, index_dir)
    assert report.deleted == 3 and report.documents == 1


def test_language_encoding_and_repairs_are_recorded(sample_folder, tmp_path):
    index_dir = tmp_path / "index"
    write(sample_folder, "nynorsk.txt", "Eg veit ikkje kva som skjedde, men vi fekk berre beskjed frå ferjeselskapet.")
    write(sample_folder, "dos.txt", "Blåbærsyltetøy fra Østerdalen er det beste som finnes, sa Åse.\r\n", "cp865")
    write(sample_folder, "rotete.txt", "Blåbær og multer fra Tromsø.".encode("utf-8").decode("cp1252"))
    report = ingest_folder(sample_folder, index_dir)
    # cp865 and cp850 (Nordic and Western DOS) read Norwegian letters alike
    assert report.encodings in ({"utf-8": 3, "cp865": 1}, {"utf-8": 3, "cp850": 1})
    assert report.repairs == {"crlf": 1, "mojibake": 1}
    with open_index(index_dir) as ix:
        assert ix.get("nynorsk.txt").language == "nn"
        assert ix.get(SAMPLE_ID).language == "nb"
        dos = ix.get("dos.txt")
        assert dos.encoding in ("cp865", "cp850") and dos.repairs == ("crlf",)
        assert dos.text == "Blåbærsyltetøy fra Østerdalen er det beste som finnes, sa Åse."
        assert ix.get("rotete.txt").text == "Blåbær og multer fra Tromsø."
        assert [hit.id for hit in ix.search("language:nn")] == ["nynorsk.txt"]
        assert [hit.id for hit in ix.search("multer")] == ["rotete.txt"]


def test_front_matter_title_wins(sample_folder, tmp_path):
    write(sample_folder, "notat.md", "---\ntitle: Møtereferat\ndate: 2024-02-01\n---\n# Overskrift\nTekst.")
    ingest_folder(sample_folder, tmp_path / "index")
    with open_index(tmp_path / "index") as ix:
        doc = ix.get("notat.md")
    assert (doc.title, doc.date, doc.text) == ("Møtereferat", "2024-02-01", "# Overskrift\nTekst.")


def test_oversize_files_can_be_truncated_with_a_note(sample_folder, tmp_path):
    write(sample_folder, "stor.txt", "Første del om Bergen. " + "Ærlig talt, blåbær. " * 200)
    config = load_config(overrides={"ingest": {"max_file_size": 1001, "oversize": "truncate"}}).ingest
    report = ingest_folder(sample_folder, tmp_path / "index", config)
    assert report.failed == [] and report.repairs.get("truncated") == 2
    with open_index(tmp_path / "index") as ix:
        doc = ix.get("stor.txt")
        assert "truncated" in doc.repairs and doc.encoding == "utf-8"  # no æ/ø/å cut in half
        assert len(doc.text.encode()) <= 1001 and doc.text.startswith("Første del om Bergen.")


def test_a_file_that_changes_while_being_read_is_read_again_next_pass(sample_folder, tmp_path, monkeypatch):
    index_dir = tmp_path / "index"
    path = write(sample_folder, "skrives.txt", "Første versjon.")
    (sample_folder / SAMPLE_ID).unlink()
    real_fstat = os.fstat
    calls = []

    def fstat_after_a_write(fd):  # another program appends between our read and our check
        calls.append(fd)  # (the first fstat, before the read, checks it is the walked file)
        if len(calls) == 2:
            with path.open("a") as handle:
                handle.write(" Mer tekst.")
        return real_fstat(fd)

    monkeypatch.setattr("ingest.pipeline.os.fstat", fstat_after_a_write)
    report = ingest_folder(sample_folder, index_dir)
    assert [f.error for f in report.failed] == ["changed while being read; it is read again on the next pass"]
    monkeypatch.undo()
    report = ingest_folder(sample_folder, index_dir)
    assert report.added == 1
    with open_index(index_dir) as ix:
        assert ix.get("skrives.txt").text == "Første versjon. Mer tekst."


def test_the_source_folder_is_never_written_to(sample_folder, tmp_path):
    write(sample_folder, "a/b.txt", "Tekst om Lofoten.")
    (sample_folder / "binær.txt").write_bytes(b"\x00\x01")

    def snapshot() -> dict:
        return {
            str(path): (path.stat().st_mtime_ns, path.stat().st_size, path.stat().st_mode)
            for path in [sample_folder, *sample_folder.rglob("*")]
        }

    before = snapshot()
    ingest_folder(sample_folder, tmp_path / "index")
    ingest_folder(sample_folder, tmp_path / "index")
    assert snapshot() == before
