"""Every format end to end: the real ``ingest once`` and ``search`` commands over the
LibreOffice-made fixtures (tests/fixtures/formats/README.md) and the bad files beside them.

One pass over one folder holding them all; each format is then found by a word with æ/ø/å,
filtered by its date and shown with a marked snippet; each bad file is one line in
``failed`` and costs nothing else.
"""

from __future__ import annotations

import io
import shutil
import time
import zipfile
from pathlib import Path

import pytest

from ingest.formats import UnreadableError
from ingest.formats.sandbox import Sandbox

from .test_cli import ingest_once, search_json

FIXTURES = Path(__file__).parent / "fixtures" / "formats"
GOOD = ("rapport.pdf", "eierpassord.pdf", "tospalter.pdf", "orddeling.pdf", "topptekst.pdf", "rapport.docx",
        "rapport.odt", "rapport.rtf", "rapport.epub", "budsjett.xlsx", "budsjett.ods", "budsjett.csv", "budsjett.tsv")
BAD = {
    "kryptert.pdf": "encrypted (needs a password)",
    "skannet.pdf": "no text layer (scanned? OCR is not done)",
    "avkuttet.pdf": "damaged or truncated PDF",
    "avkuttet.docx": "damaged ZIP container",
    "skadet.docx": "damaged ZIP container",
    "rapport.doc": "legacy Word/Office file (OLE2: .doc, .xls, .ppt) is not supported",
    "bombe.docx": "zip bomb refused",
    "tom.pdf": "empty file",
}


def zip_bomb() -> bytes:
    """A DOCX-shaped ZIP whose document inflates from ~100 KB to 100 MB (ratio ~1000)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<w:document>" + b"\x20" * 100_000_000 + b"</w:document>")
    return buffer.getvalue()


def bad_file(name: str) -> bytes:
    if name == "bombe.docx":
        return zip_bomb()
    if name == "tom.pdf":
        return b""
    return (FIXTURES / name).read_bytes()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """(cwd, index, report) after one ``ingest once`` over every fixture, good and bad."""
    cwd = tmp_path_factory.mktemp("formats")
    source = cwd / "kilde"
    source.mkdir()
    for name in GOOD:
        shutil.copy(FIXTURES / name, source / name)
    for name in BAD:
        (source / name).write_bytes(bad_file(name))
    index = cwd / "index"
    return cwd, index, ingest_once(cwd, source, index)


def test_every_good_file_is_indexed_and_every_bad_one_is_one_line(corpus):
    _, _, report = corpus
    assert report["added"] == len(GOOD) and report["documents"] == len(GOOD)
    failed = {Path(f["path"]).name: f["error"] for f in report["failed"]}
    assert set(failed) == set(BAD)
    for name, reason in BAD.items():
        assert failed[name].startswith(reason) and "\n" not in failed[name]


@pytest.mark.parametrize(
    ("query", "name", "date"),
    [
        ("Akersneset", "rapport.pdf", "2023-07-14"),
        ("Akersneset", "eierpassord.pdf", "2023-07-14"),
        ("pensjonspoeng", "tospalter.pdf", "2023-07-14"),
        ("styringspartier", "orddeling.pdf", "2023-07-14"),  # styrings-/partier across two lines
        ("Øyvind Skaanes", "topptekst.pdf", "2023-07-14"),
        ("høytidlige anledninger", "rapport.docx", "2023-07-14"),
        ("høytidlige anledninger", "rapport.odt", "2023-07-14"),
        ("høytidlige anledninger", "rapport.rtf", "2023-07-14"),
        ("høytidlige anledninger", "rapport.epub", "2023-07-14"),
        ("svømmehall Sørås", "budsjett.xlsx", "2024-01-15"),
        ("svømmehall Sørås", "budsjett.ods", "2024-01-15"),
        ("avløp", "budsjett.csv", None),
        ("avløp", "budsjett.tsv", None),
    ],
)
def test_each_format_is_found_by_a_norwegian_word_with_its_date_and_snippet(corpus, query, name, date):
    cwd, index, _ = corpus
    rc, payload = search_json(cwd, index, query, "--limit", "20")
    hits = {hit["id"]: hit for hit in payload["hits"]}
    assert rc == 0 and name in hits
    hit = hits[name]
    assert hit["date"] == date
    assert "<mark>" in hit["snippet"] and "\ufffd" not in hit["snippet"]
    if date:
        _, inside = search_json(cwd, index, query, "--limit", "20", "--since", date, "--until", date)
        _, outside = search_json(cwd, index, query, "--limit", "20", "--until", "2010")
        assert name in {h["id"] for h in inside["hits"]} and name not in {h["id"] for h in outside["hits"]}


def test_titles_come_from_the_formats_metadata(corpus):
    cwd, index, _ = corpus
    _, payload = search_json(cwd, index, "Akersneset", "--limit", "20")
    assert {hit["title"] for hit in payload["hits"]} == {"Akershus slott og festning"}
    _, payload = search_json(cwd, index, "Sørås", "--limit", "20")
    titles = {hit["id"]: hit["title"] for hit in payload["hits"]}
    assert titles["budsjett.xlsx"] == titles["budsjett.ods"] == "Budsjett for Fjordvik kommune"
    _, payload = search_json(cwd, index, "avløp", "--limit", "20")
    assert {hit["id"]: hit["title"] for hit in payload["hits"]}["budsjett.csv"].startswith("Område")


def test_each_bad_file_fails_in_under_a_second_with_bounded_memory():
    with Sandbox(timeout=30, memory_mb=1024) as sandbox:
        sandbox.call(len, b"")  # the child is up: what follows is the cost of each file
        for name in BAD:
            data = bad_file(name)
            started = time.perf_counter()
            with pytest.raises(UnreadableError):
                sandbox.read(data, name)
            assert time.perf_counter() - started < 1.0, name
        # the zip bomb was refused from its directory: nothing near its 100 MB was inflated
        status = Path(f"/proc/{sandbox._child.pid}/status").read_text()
        peak_kb = int(next(line for line in status.splitlines() if line.startswith("VmHWM:")).split()[1])
        assert peak_kb < 100_000


def test_a_reader_over_the_time_limit_is_one_failed_line_and_the_pass_goes_on(tmp_path):
    from index import open_index
    from index.config import load_config
    from ingest import ingest_folder

    source = tmp_path / "kilde"
    source.mkdir()
    shutil.copy(FIXTURES / "rapport.pdf", source / "rapport.pdf")
    shutil.copy(FIXTURES / "rapport.docx", source / "rapport.docx")
    (source / "notat.txt").write_text("Notat om fjellvettreglene på Hardangervidda.", encoding="utf-8")
    config = load_config(overrides={"ingest": {"reader_timeout": 0.0001}}).ingest  # no PDF is read that fast
    report = ingest_folder(source, tmp_path / "index", config)
    assert sorted(Path(f.path).name for f in report.failed) == ["rapport.docx", "rapport.pdf"]
    assert all(f.error == "reading took longer than 0.0001 s (ingest.reader_timeout); stopped" for f in report.failed)
    with open_index(tmp_path / "index") as ix:
        assert [hit.id for hit in ix.search("Hardangervidda")] == ["notat.txt"]
    report = ingest_folder(source, tmp_path / "index")  # with the default limit, both are read next time
    assert report.added == 2 and report.failed == []
