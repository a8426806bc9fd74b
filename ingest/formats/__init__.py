"""One reader per document format, chosen by what the bytes are, the name a hint.

    from ingest.formats import read_document
    docs = read_document(data, "rapport.pdf")      # list[Extracted], or UnreadableError

Each format is a module with a ``READER`` meeting :class:`~ingest.formats.base.Reader`;
:data:`READERS` is the one table that lists them, in the order they are sniffed (formats with
a signature of their own first, plain text last). Readers import their libraries only in
``read``, so a folder of ``.txt`` files never loads a PDF library.
"""

from __future__ import annotations

from .base import SNIFF_BYTES, Extracted, Reader, UnreadableError
from .email import READER as EMAIL
from .html import READER as HTML
from .mbox import READER as MBOX
from .text import READER as TEXT

READERS: tuple[Reader, ...] = (HTML, EMAIL, MBOX, TEXT)


def reader_for(data: bytes, name: str) -> Reader:
    """The reader for a file: the one its extension names if the bytes agree, else the
    first whose sniffing recognises the bytes; :class:`UnreadableError` when none does."""
    head = data[:SNIFF_BYTES]
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    hinted = [reader for reader in READERS if suffix in reader.extensions]
    for reader in (*hinted, *READERS):
        if reader.sniff(head):
            return reader
    raise UnreadableError("not a supported format (binary content of no known kind)")


def read_document(data: bytes, name: str) -> list[Extracted]:
    """The documents of one file's bytes (see :func:`reader_for`)."""
    return reader_for(data, name).read(data, name)


__all__ = ["READERS", "Extracted", "Reader", "UnreadableError", "read_document", "reader_for"]
