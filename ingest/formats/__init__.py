"""One reader per document format, chosen by what the bytes are, the name a hint.

    from ingest.formats import read_document
    docs = read_document(data, "rapport.pdf")      # list[Extracted], or UnreadableError

Each format is a module with a ``READER`` meeting :class:`~ingest.formats.base.Reader`;
:data:`READERS` is the one table that lists them, in the order they are sniffed (formats with
a signature of their own first, plain text last). Readers import their libraries only in
``read``, so a folder of ``.txt`` files never loads a PDF library.
"""

from __future__ import annotations

from dataclasses import replace

from ..metadata import parse_header
from .base import SNIFF_BYTES, Extracted, Reader, UnreadableError
from .csvfile import READER as CSV
from .docx import LEGACY as LEGACY_OFFICE
from .docx import READER as DOCX
from .email import READER as EMAIL
from .epub import READER as EPUB
from .html import READER as HTML
from .mbox import READER as MBOX
from .odt import READER as ODT
from .pdf import READER as PDF
from .rtf import READER as RTF
from .sheets import READER as SPREADSHEET
from .text import READER as TEXT

READERS: tuple[Reader, ...] = (PDF, DOCX, ODT, EPUB, SPREADSHEET, RTF, LEGACY_OFFICE, HTML, EMAIL, MBOX, TEXT, CSV)
MAGIC: tuple[Reader, ...] = (PDF, DOCX, ODT, EPUB, SPREADSHEET, RTF, LEGACY_OFFICE)
"""Formats known by a signature at the start of the bytes, which no plain text has."""
PLAIN = (TEXT, CSV)
"""Readers that take any text: the name decides, unless a signature says otherwise."""


def reader_for(data: bytes, name: str) -> Reader:
    """The reader for a file: the one its extension names if the bytes agree (a ``.pdf``
    that is really text is read as text), except that a magic number (:data:`MAGIC`) beats
    a plain-text name (an RTF saved as ``.txt`` is RTF); else the first whose sniffing
    recognises the bytes; :class:`UnreadableError` when none does."""
    head = data[:SNIFF_BYTES]
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    hinted = [reader for reader in READERS if suffix in reader.extensions and reader.sniff(head)]
    if hinted and hinted[0] not in PLAIN:
        return hinted[0]
    magic = next((reader for reader in MAGIC if reader.sniff(head)), None)
    if magic is not None:
        return magic
    if hinted:
        return hinted[0]
    for reader in READERS:
        if reader.sniff(head):
            return reader
    raise UnreadableError("binary file of no supported format (contains NUL bytes)")


def read_document(data: bytes, name: str) -> list[Extracted]:
    """The documents of one file's bytes (see :func:`reader_for`), each with its header
    applied (:func:`with_header`); documents without text are left out, and a file left
    with none raises :class:`UnreadableError`."""
    documents = [with_header(doc) for doc in reader_for(data, name).read(data, name)]
    documents = [doc for doc in documents if doc.text]
    if not documents:
        raise UnreadableError("no text in it")
    return documents


def with_header(doc: Extracted) -> Extracted:
    """The one place the text's own header is read, for every format: YAML front matter or
    a leading date line (:func:`ingest.metadata.parse_header`) is taken off the text, and its
    date wins over the format's (someone wrote it there on purpose); the format's title
    wins over the front matter's."""
    header = parse_header(doc.text)
    warnings = doc.warnings + ((header.warning,) if header.warning else ())
    return replace(
        doc,
        text=header.body.strip(),
        date=header.date or doc.date,
        title=doc.title or header.title,
        warnings=warnings,
    )


__all__ = ["READERS", "Extracted", "Reader", "UnreadableError", "read_document", "reader_for", "with_header"]
