"""Word (DOCX, Office Open XML), with zipfile and lxml: the body of ``word/document.xml`` in
document order; each paragraph, list item and table cell a paragraph of its own; deleted
text (tracked changes) and field codes left out. Title: ``dc:title`` of
``docProps/core.xml``, else the first heading; date: ``dcterms:created``.

Legacy Word (``.doc``, an OLE2 compound file) is refused as unsupported, with that reason.
"""

from __future__ import annotations

from .base import Extracted, UnreadableError, partial_date
from .container import has_member, is_zip, open_zip, read_member
from .xmltext import blocks, local, parse_xml

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_BLOCK = frozenset({"p"})
_SKIP = frozenset({"delText", "instrText", "pPr", "rPr", "sectPr", "footnoteReference", "commentReference"})
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class DocxReader:
    name = "docx"
    extensions = (".docx", ".docm", ".dotx")

    def sniff(self, head: bytes) -> bool:
        return is_zip(head) and b"word/" in head

    def read(self, data: bytes, name: str) -> list[Extracted]:
        archive = open_zip(data)
        if not has_member(archive, "word/document.xml"):
            raise UnreadableError("not a Word document (no word/document.xml)")
        root = parse_xml(read_member(archive, "word/document.xml"), "Word document")
        title, heading, paragraphs = None, None, []
        for element, text in blocks(root, block=_BLOCK, skip=_SKIP, breaks=frozenset({"br", "cr"}), spaces=frozenset({"tab"})):
            paragraphs.append(text)
            if heading is None and _is_heading(element):
                heading = text
        created = None
        if has_member(archive, "docProps/core.xml"):
            title, created = core_properties(read_member(archive, "docProps/core.xml"))
        return [Extracted("\n\n".join(paragraphs), title or heading, created, "docx")]


def _is_heading(paragraph) -> bool:
    """A paragraph styled as a heading or title (``Heading1``, ``Overskrift1``, ``Title``),
    or with an outline level."""
    properties = paragraph.find(f"{_W}pPr")
    if properties is None:
        return False
    if properties.find(f"{_W}outlineLvl") is not None:
        return True
    style = properties.find(f"{_W}pStyle")
    value = (style.get(f"{_W}val") or "").lower() if style is not None else ""
    return value.startswith(("heading", "overskrift", "title", "tittel"))


def core_properties(xml: bytes):
    """``(dc:title, dcterms:created)`` of an Office Open XML ``docProps/core.xml``."""
    root = parse_xml(xml, "document properties")
    fields = {local(child.tag): (child.text or "").strip() for child in root}
    return " ".join(fields.get("title", "").split()) or None, partial_date(fields.get("created", ""))


class LegacyWordReader:
    """``.doc`` and other OLE2 compound files: recognised, to say why they are not read."""

    name = "doc"
    extensions = (".doc", ".dot", ".xls", ".ppt")

    def sniff(self, head: bytes) -> bool:
        return head.startswith(OLE2_SIGNATURE)

    def read(self, data: bytes, name: str) -> list[Extracted]:
        raise UnreadableError("legacy Word/Office file (OLE2: .doc, .xls, .ppt) is not supported; save it as .docx, .odt or PDF")


READER = DocxReader()
LEGACY = LegacyWordReader()
