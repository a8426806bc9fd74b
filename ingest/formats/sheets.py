"""Spreadsheets (XLSX, XLSM, ODS), with python-calamine (Rust; MIT): every sheet in order,
its name a paragraph, then its rows, one line each, cells in row order apart by a tab (a
number as it reads: ``2023``, not ``2023.0``). The ZIP is checked for a bomb first
(:mod:`.container`). Title and date: XLSX ``docProps/core.xml`` (``dc:title``,
``dcterms:created``), ODS ``meta.xml`` (``dc:title``, ``meta:creation-date``).
"""

from __future__ import annotations

import datetime
import io

from .base import Extracted, UnreadableError
from .container import has_member, is_zip, open_zip, read_member
from .docx import core_properties
from .odt import odf_meta, odf_mimetype


class SpreadsheetReader:
    name = "spreadsheet"
    extensions = (".xlsx", ".xlsm", ".ods")

    def sniff(self, head: bytes) -> bool:
        return odf_mimetype(head).startswith(b"application/vnd.oasis.opendocument.spreadsheet") or (
            is_zip(head) and b"xl/" in head
        )

    def read(self, data: bytes, name: str) -> list[Extracted]:
        import python_calamine

        archive = open_zip(data)
        if has_member(archive, "docProps/core.xml"):
            title, created = core_properties(read_member(archive, "docProps/core.xml"))
        elif has_member(archive, "meta.xml"):
            title, created = odf_meta(read_member(archive, "meta.xml"))
        else:
            title = created = None
        try:
            workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
            paragraphs = []
            for sheet_name in workbook.sheet_names:
                rows = workbook.get_sheet_by_name(sheet_name).to_python(skip_empty_area=True)
                lines = ["\t".join(_cell(value) for value in row).strip() for row in rows]
                paragraphs.append("\n".join([sheet_name, *filter(None, lines)]))
        except python_calamine.PasswordError:
            raise UnreadableError("encrypted (needs a password)") from None
        except python_calamine.CalamineError as error:
            raise UnreadableError(f"damaged spreadsheet ({' '.join(str(error).split())[:120]})") from None
        return [Extracted("\n\n".join(paragraphs), title, created, "xlsx" if has_member(archive, "xl/workbook.xml") else "ods")]


def _cell(value) -> str:
    """A cell as it reads: whole numbers without ``.0``, dates in ISO form."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return " ".join(str(value).split())


READER = SpreadsheetReader()
