"""DOCX, ODT, EPUB, XLSX/ODS, CSV/TSV and RTF readers, and the ZIP safety they share, on
the LibreOffice-made fixtures (tests/fixtures/formats/README.md) and on small files made
here where a case needs one (a zip bomb, a second chapter, a Word RTF in a code page)."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.dates import PartialDate
from ingest.formats import UnreadableError, read_document, reader_for
from ingest.formats.container import MAX_MEMBERS, open_zip, read_member

FIXTURES = Path(__file__).parent / "fixtures" / "formats"
TABLE_AND_LIST = ["Slottskirken og Kongemausoleet", "Norges Hjemmefrontmuseum", "Skansene på østsiden",
                  "Bygning", "Oppført", "Akershus slott", "1299", "Festningsmuren", "1600-tallet"]


def read(name: str, data: bytes | None = None):
    [doc] = read_document(data if data is not None else (FIXTURES / name).read_bytes(), name)
    return doc


def rezip(name: str, change) -> bytes:
    """The fixture ``name`` with its members passed through ``change(name, data)`` (None drops one)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(FIXTURES / name) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = change(info.filename, source.read(info))
            if data is not None:
                target.writestr(info, data)
    return buffer.getvalue()


@pytest.mark.parametrize("name", ["rapport.docx", "rapport.odt", "rapport.epub", "rapport.rtf"])
def test_documents_keep_paragraphs_list_items_and_table_cells_apart(name):
    doc = read(name)
    assert doc.title == "Akershus slott og festning" and doc.date == PartialDate(2023, 7, 14)
    paragraphs = doc.text.split("\n\n")
    assert paragraphs[0] == "Akershus slott og festning"
    assert paragraphs[1].startswith("Akershus slott og festning (ofte bare") and paragraphs[1].endswith("fengselet i Norge.")
    words = [cell for paragraph in paragraphs for line in paragraph.split("\n") for cell in line.split("\t")]
    for item in TABLE_AND_LIST:
        assert item in words, item


@pytest.mark.parametrize(("name", "meta"), [("rapport.docx", "docProps/core.xml"), ("rapport.odt", "meta.xml")])
def test_without_metadata_the_first_heading_is_the_title_and_there_is_no_date(name, meta):
    doc = read(name, rezip(name, lambda member, data: None if member == meta else data))
    assert doc.title == "Akershus slott og festning" and doc.date is None


def test_epub_chapters_come_in_spine_order_and_the_nav_is_left_out():
    def change(member: str, data: bytes):
        if member.endswith(".opf"):
            return (data.replace(b'<item href="sections/section0001.xhtml"', b'<item href="sections/forord.xhtml" id="forord" media-type="application/xhtml+xml"/><item href="sections/section0001.xhtml"')
                    .replace(b'<itemref idref="section0001"/>', b'<itemref idref="forord"/><itemref idref="section0001"/>'))
        return data

    data = rezip("rapport.epub", change)
    buffer = io.BytesIO(data)
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("OEBPS/sections/forord.xhtml", "<?xml version='1.0' encoding='utf-8'?><html xmlns='http://www.w3.org/1999/xhtml'><head><title>x</title>"
                         "<script>var a = 1;</script></head><body><h1>Forord</h1><p>Om festningen&nbsp;på Akersneset.</p></body></html>")
    doc = read("rapport.epub", buffer.getvalue())
    assert doc.text.startswith("Forord\n\nOm festningen på Akersneset.\n\nAkershus slott og festning")
    assert "var a" not in doc.text and "Innhold" not in doc.text


@pytest.mark.parametrize("name", ["budsjett.xlsx", "budsjett.ods"])
def test_spreadsheets_every_sheet_cells_in_row_order(name):
    doc = read(name)
    assert doc.title == "Budsjett for Fjordvik kommune" and doc.date == PartialDate(2024, 1, 15)
    drift, investering = doc.text.split("\n\n")
    assert drift.split("\n")[:2] == ["Driftsbudsjett", "Område\t2023\t2024"]
    assert "Vei, vann og avløp\t120400\t118900" in drift.split("\n")
    assert investering.split("\n")[-1] == "Gang- og sykkelvei langs Fjordveien\t23500\t2024"


def test_csv_in_windows_1252_with_semicolons_and_tsv_in_utf8():
    csv_doc, tsv_doc = read("budsjett.csv"), read("budsjett.tsv")
    assert csv_doc.encoding == "cp1252" and tsv_doc.encoding == "utf-8"
    assert csv_doc.text == tsv_doc.text
    assert csv_doc.text.split("\n")[3] == "Vei, vann og avløp\t120400\t118900"


@pytest.mark.parametrize(
    ("data", "line"),
    [
        ('Kommune,Fylke\n"Ås, Akershus",Viken\nTromsø,Troms\n'.encode("utf-8"), "Ås, Akershus\tViken"),
        ("navn|sted\nÅse|Bodø\nPål|Alta\n".encode("cp865"), "Åse\tBodø"),
        ("ord\nblåbær\n".encode("utf-8"), "blåbær"),
    ],
)
def test_csv_any_delimiter_any_encoding(data, line):
    assert line in read("liste.csv", data).text.split("\n")


def test_rtf_escapes_in_the_documents_code_page_and_its_info_block():
    doc = read("word.rtf", rb"{\rtf1\ansi\ansicpg1252\deff0{\info{\title Bl\'e5b\'e6r fra \'d8stlandet}"
                           rb"{\creatim\yr2019\mo3\dy0}}Bl\'e5b\'e6rsyltet\'f8y fra \'c5sgardstrand.\par Neste avsnitt.}")
    assert (doc.title, doc.date, doc.encoding) == ("Blåbær fra Østlandet", PartialDate(2019, 3), "cp1252")
    assert doc.text == "Blåbærsyltetøy fra Åsgardstrand.\n\nNeste avsnitt."
    dos = read("dos.rtf", rb"{\rtf1\ansi\ansicpg865\deff0 Bl\'86b\'91rsyltet\'9by.}")
    assert dos.text == "Blåbærsyltetøy." and dos.date is None


def test_legacy_word_is_refused_as_unsupported():
    with pytest.raises(UnreadableError, match=r"legacy Word/Office file \(OLE2"):
        read("rapport.doc")


def test_the_content_decides_not_the_name():
    docx = (FIXTURES / "rapport.docx").read_bytes()
    assert reader_for(docx, "rapport.odt").name == "docx"
    assert reader_for((FIXTURES / "rapport.odt").read_bytes(), "rapport.zip").name == "odt"
    assert reader_for((FIXTURES / "budsjett.ods").read_bytes(), "budsjett.docx").name == "spreadsheet"
    assert reader_for((FIXTURES / "rapport.rtf").read_bytes(), "rapport.txt").name == "rtf"


def bomb(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (bomb({"word/document.xml": bytes(50_000_000)}), r"zip bomb refused: 'word/document.xml' inflates \d[\d,]* times"),
        (bomb({f"{n}.xml": b"" for n in range(MAX_MEMBERS + 1)}), r"zip bomb refused: 10,001 members"),
        (bomb({f"{n}.bin": bytes(4 * 2**20) for n in range(3)}).replace(b"\x00\x00\x40\x00", b"\x00\x00\x40\x10"),
         r"zip bomb refused: [\d,]+ bytes uncompressed \(more than 536,870,912\)"),
    ],
)
def test_zip_bombs_are_refused_from_the_directory(data, reason):
    with pytest.raises(UnreadableError, match=reason):
        open_zip(data)


def test_a_member_that_inflates_past_its_declared_size_is_refused():
    data = bomb({"content.xml": b"<a>" + b" " * 100_000 + b"</a>"})
    archive = open_zip(data)
    archive.getinfo("content.xml").file_size = 1000  # what a lying directory would say
    with pytest.raises(UnreadableError, match=r"damaged ZIP container \(Bad CRC-32"):
        read_member(archive, "content.xml")


def test_xml_entities_are_not_expanded():
    laughs = (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "hahahahaha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
              b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>'
              b'<w:t>Latter &b;</w:t></w:r></w:p></w:body></w:document>')
    data = rezip("rapport.docx", lambda member, old: laughs if member == "word/document.xml" else old)
    assert "haha" not in read("latter.docx", data).text


def test_a_date_header_in_the_text_wins_over_the_formats_date():
    def change(member: str, data: bytes):
        if member == "word/document.xml":
            return data.replace(b"<w:t>Akershus slott og festning</w:t>", b"<w:t>Dato: 1. feb. 2019</w:t>", 1)
        return data

    doc = read("rapport.docx", rezip("rapport.docx", change))
    assert doc.date == PartialDate(2019, 2, 1)  # not dcterms:created, 2023-07-14
    assert doc.text.startswith("Akershus slott og festning (ofte bare") and "Dato" not in doc.text


_WORDS = st.sampled_from(["blåbær", "Østfold", "Ås, Akershus", "sjøfart", "Ærøy", "fjell", "12,5", "«sitat»", "Tromsø"])


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(st.lists(_WORDS, min_size=3, max_size=3), min_size=3, max_size=8),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    encoding=st.sampled_from(["utf-8", "cp1252", "iso-8859-1", "utf-16"]),
)
def test_csv_rows_survive_any_delimiter_and_encoding(rows, delimiter, encoding):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    doc = read("tabell.csv", buffer.getvalue().encode(encoding))
    assert doc.text.split("\n") == ["\t".join(row) for row in rows]
