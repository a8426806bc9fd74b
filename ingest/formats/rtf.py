"""RTF, with striprtf (BSD): the text, ``\\'xx`` escapes read in the document's code page
(``\\ansicpg``, cp1252 when it names none) and ``\\uN`` as Unicode; the ``{\\info}`` group
gives the title (``\\title``) and the date (``\\creatim\\yr\\mo\\dy``, at the precision given:
``\\mo0`` is no month). A table's cells stay apart (a tab between them).
"""

from __future__ import annotations

import re

from index.dates import PartialDate

from .base import PRIVATE_USE, Extracted, UnreadableError

_TITLE = re.compile(rb"\{\\title\s?((?:[^{}\\]|\\.|\\[a-z]+-?\d* ?)*)\}")
_CREATED = re.compile(rb"\\creatim\s*\\yr(\d+)\s*(?:\\mo(\d+))?\s*(?:\\dy(\d+))?")
_CODEPAGE = re.compile(rb"\\ansicpg(\d+)")


class RtfReader:
    name = "rtf"
    extensions = (".rtf",)

    def sniff(self, head: bytes) -> bool:
        return head.lstrip()[:5] == b"{\\rtf"

    def read(self, data: bytes, name: str) -> list[Extracted]:
        codepage = _CODEPAGE.search(data[:4096])
        encoding = f"cp{int(codepage.group(1))}" if codepage else "cp1252"
        text = _to_text(data, encoding)
        title_match = _TITLE.search(data)
        title = " ".join(_to_text(b"{\\rtf1 " + title_match.group(1) + b"}", encoding).split()) if title_match else ""
        paragraphs = [_line(line) for line in PRIVATE_USE.sub(" ", text).splitlines()]
        return [Extracted("\n\n".join(filter(None, paragraphs)), title or None, _created(data), encoding)]


def _line(line: str) -> str:
    """One line of striprtf's text, white space collapsed; a table row (striprtf ends each
    cell with ``|``) with its cells apart by a tab."""
    if line.rstrip().endswith("|"):
        return "\t".join(" ".join(cell.split()) for cell in line.rstrip().rstrip("|").split("|"))
    return " ".join(line.split())


def _to_text(data: bytes, encoding: str) -> str:
    from striprtf.striprtf import rtf_to_text

    try:
        "".encode(encoding)
    except LookupError:
        raise UnreadableError(f"RTF in an unknown code page ({encoding})") from None
    # RTF is 7-bit: Latin-1 maps its bytes one to one; striprtf decodes the \'xx escapes
    return rtf_to_text(data.decode("latin-1"), encoding=encoding, errors="replace")


def _created(data: bytes) -> PartialDate | None:
    match = _CREATED.search(data)
    if not match:
        return None
    year, month, day = (int(part) if part and int(part) else None for part in match.groups())
    try:
        return PartialDate.of(year, month, day if month else None) if year else None
    except ValueError:
        return None


READER = RtfReader()
