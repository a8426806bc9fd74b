"""Files that hold several documents (a mailbox): ids ``<path>#<n>``, change tracking per
file, the documents a file no longer holds deleted with it; and the state store of an index
made before files could hold several documents."""

from __future__ import annotations

import mailbox
import sqlite3
from email.message import EmailMessage
from pathlib import Path

import pytest

from index import open_index
from ingest import ingest_folder
from ingest.state import STATE_FILE, IngestState

SUBJECTS = ("Møte om budsjettet", "Referat fra årsmøtet", "Ny rutine for sykefravær")


def write_mailbox(path: Path, subjects) -> None:
    box = mailbox.mbox(path)
    for n, subject in enumerate(subjects, 1):
        message = EmailMessage()
        message["From"] = "Åse Ødegård <ase@example.no>"
        message["To"] = "styret@example.no"
        message["Subject"] = subject
        message["Date"] = f"Mon, 0{n} May 2023 10:00:00 +0200"
        message.set_content(f"Hei! Her kommer {subject.lower()}, som avtalt på møtet i Tromsø.")
        box.add(message)
    box.flush()
    box.close()


def test_a_mailbox_is_one_document_per_message_and_shrinks_and_goes_as_one_file(tmp_path):
    pytest.importorskip("ingest.formats.mbox", reason="the MBOX reader (branch formats-b) is not merged yet")
    source, index_dir = tmp_path / "kilde", tmp_path / "index"
    source.mkdir()
    write_mailbox(source / "styret.mbox", SUBJECTS)
    report = ingest_folder(source, index_dir)
    assert (report.added, report.documents, report.failed) == (1, 3, [])
    with open_index(index_dir) as ix:
        assert sorted(ix.ids()) == ["styret.mbox#1", "styret.mbox#2", "styret.mbox#3"]
        assert ix.get("styret.mbox#2").title == "Referat fra årsmøtet"
        assert [hit.id for hit in ix.search("sykefravær")] == ["styret.mbox#3"]

    (source / "styret.mbox").unlink()
    write_mailbox(source / "styret.mbox", SUBJECTS[:2])
    report = ingest_folder(source, index_dir)
    assert (report.updated, report.documents) == (1, 2)
    with open_index(index_dir) as ix:
        assert sorted(ix.ids()) == ["styret.mbox#1", "styret.mbox#2"]

    (source / "styret.mbox").rename(source / "arkiv.mbox")
    report = ingest_folder(source, index_dir)
    assert (report.moved, report.documents) == (1, 2)
    with open_index(index_dir) as ix:
        assert sorted(ix.ids()) == ["arkiv.mbox#1", "arkiv.mbox#2"]

    (source / "arkiv.mbox").unlink()
    report = ingest_folder(source, index_dir)
    assert (report.deleted, report.documents) == (1, 0)


def test_a_state_store_from_before_parts_is_read_and_kept(tmp_path):
    with sqlite3.connect(tmp_path / STATE_FILE) as db:
        db.execute("CREATE TABLE files (id TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, "
                   "ctime_ns INTEGER NOT NULL, sha256 TEXT NOT NULL)")
        db.execute("INSERT INTO files VALUES ('notat.txt', 10, 20, 30, 'abc')")
    db.close()
    state = IngestState(tmp_path)
    try:
        [file] = state.files().values()
        assert (file.id, file.sha256, file.parts) == ("notat.txt", "abc", 0)
    finally:
        state.close()
