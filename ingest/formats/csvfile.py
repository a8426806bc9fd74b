"""CSV and TSV: any encoding (:mod:`ingest.read`'s detector, as for plain text), any
delimiter (``;`` tab ``,`` ``|``, the one that splits the rows most consistently); each row
a line, its cells apart by a tab, so a quoted cell's comma (``"Vei, vann og avløp"``)
stays in its cell and cells are never glued together.
"""

from __future__ import annotations

import csv
import io
from collections import Counter

from ..read import NotTextError, decode
from .base import Extracted, UnreadableError
from .text import READER as TEXT

DELIMITERS = ";\t,|"
SAMPLE_CHARS = 16_384
SAMPLE_LINES = 50


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
        # the limit is the csv module's, for the whole process: raised for a long cell, never lowered
        csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
        delimiter = "\t" if name.lower().endswith((".tsv", ".tab")) else _delimiter(text[:SAMPLE_CHARS])
        try:
            rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
            lines = ["\t".join(" ".join(cell.split()) for cell in row).strip() for row in rows]
        except csv.Error as error:
            raise UnreadableError(f"not a readable CSV table ({error})") from None
        return [Extracted("\n".join(filter(None, lines)), encoding=decoded.encoding, repairs=decoded.repairs)]


def _delimiter(sample: str) -> str:
    """The delimiter of a CSV sample: the candidate that splits its first lines into the same
    number of cells most consistently, and into the most cells; ties in the order of
    :data:`DELIMITERS` (``;`` first: Norwegian Excel's, as ``,`` is the decimal comma).
    csv.Sniffer prefers ``,`` and takes ``blåbær;Ås, Akershus`` for two cells."""
    lines = sample.splitlines()[:SAMPLE_LINES]
    if len(sample) == SAMPLE_CHARS and len(lines) > 1:
        lines.pop()  # cut off in the middle
    best, best_score = ",", None
    for rank, delimiter in enumerate(DELIMITERS):
        widths = Counter(len(row) for row in csv.reader(lines, delimiter=delimiter) if row)
        if not widths:
            continue
        width, rows = widths.most_common(1)[0]
        score = (width > 1, round(rows / sum(widths.values()), 1), width, -rank)
        if best_score is None or score > best_score:
            best, best_score = delimiter, score
    return best


READER = CsvReader()
