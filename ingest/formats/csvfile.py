"""CSV and TSV: any encoding (:mod:`ingest.read`'s detector, as for plain text), any
delimiter (``,`` ``;`` tab ``|``, found by :class:`csv.Sniffer`, else by counting); each row
a line, its cells apart by a tab, so a quoted cell's comma (``"Vei, vann og avløp"``)
stays in its cell and cells are never glued together.
"""

from __future__ import annotations

import csv
import io

from ..read import NotTextError, decode
from .base import Extracted, UnreadableError
from .text import READER as TEXT

DELIMITERS = ",;\t|"
SAMPLE_CHARS = 16_384


class CsvReader:
    name = "csv"
    extensions = (".csv", ".tsv", ".tab")

    def sniff(self, head: bytes) -> bool:
        """Text: only a ``.csv``/``.tsv`` name says it is a table (the text reader comes first)."""
        return TEXT.sniff(head)

    def read(self, data: bytes, name: str) -> list[Extracted]:
        try:
            decoded = decode(data)
        except NotTextError as error:
            raise UnreadableError(str(error)) from None
        text = decoded.text
        delimiter = "\t" if name.lower().endswith((".tsv", ".tab")) else _delimiter(text[:SAMPLE_CHARS])
        csv.field_size_limit(len(text) + 1)
        try:
            rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
            lines = ["\t".join(" ".join(cell.split()) for cell in row).strip() for row in rows]
        except csv.Error as error:
            raise UnreadableError(f"not a readable CSV table ({error})") from None
        return [Extracted("\n".join(filter(None, lines)), encoding=decoded.encoding, repairs=decoded.repairs)]


def _delimiter(sample: str) -> str:
    """The delimiter of a CSV sample: :class:`csv.Sniffer`'s, else the candidate found most
    often in the first lines, else a comma."""
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        head = "\n".join(sample.splitlines()[:20])
        counts = {d: head.count(d) for d in DELIMITERS}
        best = max(counts, key=counts.get)
        return best if counts[best] else ","


READER = CsvReader()
