"""The format table: a reader is chosen by the bytes, the name only a hint."""

import pytest

from index.dates import PartialDate
from ingest.formats import UnreadableError, read_document, reader_for


def test_text_is_read_with_its_header():
    [doc] = read_document("date 2023-07\nFred i Ukraina\n\nSamtaler nær Kreml.".encode("cp1252"), "notat.txt")
    assert doc.date == PartialDate(2023, 7)
    assert doc.text.startswith("Fred i Ukraina")
    assert doc.encoding == "cp1252"


def test_utf16_with_bom_is_text():
    assert reader_for("\ufeffBlåbærsyltetøy".encode("utf-16"), "syltetøy.txt").name == "text"


def test_binary_of_no_known_kind_is_refused_with_a_reason():
    with pytest.raises(UnreadableError, match="binary file of no supported format"):
        reader_for(b"\x00\x01\x02binary", "data.bin")


def test_empty_text_is_refused_with_a_reason():
    with pytest.raises(UnreadableError, match="empty file"):
        read_document(b"", "tom.txt")
