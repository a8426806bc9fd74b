"""PDF: real files made by LibreOffice (tests/fixtures/formats/README.md), read by pypdfium2."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.dates import PartialDate
from ingest.formats import UnreadableError, read_document, reader_for
from ingest.formats.pdf import _date, fold_ligatures

FIXTURES = Path(__file__).parent / "fixtures" / "formats"


def read(name: str):
    [doc] = read_document((FIXTURES / name).read_bytes(), name)
    return doc


def test_title_date_and_paragraphs():
    doc = read("rapport.pdf")
    assert doc.title == "Akershus slott og festning"
    assert doc.date == PartialDate(2023, 7, 14)  # /CreationDate D:20230714103010Z, made under faketime
    assert doc.encoding == "pdf"
    heading, first, *rest = doc.text.split("\n\n")
    assert heading == "Akershus slott og festning"  # a larger type: a paragraph of its own
    assert first.startswith("Akershus slott og festning (ofte bare") and first.endswith("det strengeste fengselet i Norge.")
    assert rest[0].startswith("Festningen har navn etter gården Aker")


def test_words_hyphenated_at_the_line_end_are_joined_and_real_hyphens_kept():
    text = read("orddeling.pdf").text
    for word in ("Dagsavisen/Arbeiderbladet", "europeisk", "overraskelse", "ja-partiene", "styringspartier"):
        assert word in text
    assert "EØS-avtalen" in text and "EØS-garantisten" in text and "EØS-skeptikerne" in text
    assert not set(text) & {"\ufffe", "\x02", "\u00ad"}


def test_two_columns_are_read_column_by_column():
    text = read("tospalter.pdf").text
    assert ("Grunnbeløpet i folketrygden (forkortes vanligvis til G) benyttes som grunnlag for å "
            "beregne norske trygde- og pensjonsytelser.") in text
    assert "G brukes også for å beregne pensjonspoeng.\n\nGrunnbeløpets størrelse ble før 2011" in text


def test_running_heads_and_feet_repeated_on_every_page_are_dropped():
    text = read("topptekst.pdf").text
    assert "Trøndelag idrettskrets" not in text and "Internt dokument" not in text
    assert text.startswith("Sportsnytt fra Midt-Norge\n\nFOTO: Norges Skiforbund")
    assert "sier pappa Øyvind Skaanes" in text and text.endswith("sier Molde-trener Erling Moe.")


def test_an_owner_password_alone_does_not_stop_reading():
    assert "Akersneset i Oslo" in read("eierpassord.pdf").text


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("kryptert.pdf", "encrypted (needs a password)"),
        ("skannet.pdf", "no text layer (scanned? OCR is not done)"),
        ("avkuttet.pdf", "damaged or truncated PDF"),
    ],
)
def test_pdfs_that_cannot_be_read_say_why(name, reason):
    with pytest.raises(UnreadableError) as error:
        read_document((FIXTURES / name).read_bytes(), name)
    assert str(error.value) == reason


def test_a_pdf_that_is_really_text_is_read_as_text():
    assert reader_for("Møtereferat fra styret".encode(), "referat.pdf").name == "text"


@pytest.mark.parametrize(
    ("value", "date"),
    [
        ("D:20230714103010Z'", PartialDate(2023, 7, 14)),
        ("D:20230714", PartialDate(2023, 7, 14)),
        ("D:202307", PartialDate(2023, 7)),
        ("D:2023", PartialDate(2023)),
        ("D:20231345", None),
        ("i går", None),
        ("", None),
    ],
)
def test_creation_date_at_its_own_precision(value, date):
    assert _date(value) == date


def test_ligatures_are_folded_and_nothing_else():
    assert fold_ligatures("ﬁskeﬂåten ﬀ ½ km²") == "fiskeflåten ff ½ km²"
