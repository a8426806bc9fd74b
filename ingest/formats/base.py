"""The contract every format reader meets: bytes and a name in, extracted documents out.

A reader is chosen by what the bytes are (:meth:`Reader.sniff` on the first bytes), with the
file name's extension as a hint (:attr:`Reader.extensions`), as Tika and paperless-ngx do:
a ``.pdf`` that is really text is read as text. It returns one :class:`Extracted` per
document the file holds (one for most formats; one per message for a mailbox), or raises
:class:`UnreadableError` whose message is the one-line reason shown to the user.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from index.dates import PartialDate


class UnreadableError(ValueError):
    """A file that cannot be read as its format; the message says why, in one line."""


@dataclass(frozen=True)
class Extracted:
    """What a reader took from one document: text (NFC, ``\\n`` line endings, paragraphs
    apart by a blank line), and the format's own metadata where it has any.

    ``title`` and ``date`` are ``None`` when the format does not say (never invented: no
    file mtime, no today); ``encoding`` is the character encoding the text was read in
    (``utf-8``, ``cp1252``, ...) or the container's (``pdf``, ``docx``) when it has none;
    ``repairs`` names what was done on the way (see :mod:`ingest.read`); ``part`` numbers the
    documents of a file that holds several (a mailbox's messages, from 1), else ``None``;
    ``warnings`` are lines worth a log entry that do not stop the document (a date header
    that is no real date)."""

    text: str
    title: str | None = None
    date: PartialDate | None = None
    encoding: str = "utf-8"
    repairs: tuple[str, ...] = ()
    part: int | None = None
    warnings: tuple[str, ...] = ()


class Reader(Protocol):
    """One format: how to recognise it and how to read it."""

    name: str
    """Short name of the format (``pdf``, ``html``, ``text``), for reports and logs."""

    extensions: tuple[str, ...]
    """File name endings (lower case, with the dot) that hint at this format."""

    def sniff(self, head: bytes) -> bool:
        """Whether the first bytes of a file (up to :data:`SNIFF_BYTES`) are this format.
        Cheap: no format library is imported here."""
        ...

    def read(self, data: bytes, name: str) -> list[Extracted]:
        """The documents of a file's bytes; raise :class:`UnreadableError` with the reason."""
        ...


SNIFF_BYTES = 8192
PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
"""Private-use code points: a symbol font's list bullets (U+F0B7), never words."""


def partial_date(value: str) -> PartialDate | None:
    """A format's date field (``2023-07-14T10:30:00Z``, ``2023-07``, ``2023``) at the precision
    it is written with; ``None`` when it is empty or no real date (never a guess)."""
    from ..metadata import parse_date

    try:
        return parse_date(value) if value.strip() else None
    except ValueError:
        return None
