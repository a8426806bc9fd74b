"""Plain text and Markdown: the decoding of :mod:`ingest.read`. Its front matter and
leading date line are read by :func:`ingest.formats.read_document`, as for every format."""

from __future__ import annotations

from ..read import NotTextError, decode, has_text_bom
from .base import Extracted, UnreadableError


class TextReader:
    name = "text"
    extensions = (".txt", ".md", ".markdown", ".text")

    def sniff(self, head: bytes) -> bool:
        """Anything without NUL bytes may be text (UTF-16/32 with a byte-order mark too);
        tried last, after every format with a signature of its own."""
        return has_text_bom(head) or b"\x00" not in head

    def read(self, data: bytes, name: str) -> list[Extracted]:
        try:
            decoded = decode(data)
        except NotTextError as error:
            raise UnreadableError(str(error)) from None
        return [Extracted(decoded.text, encoding=decoded.encoding, repairs=decoded.repairs)]


READER = TextReader()
