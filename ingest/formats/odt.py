"""OpenDocument text (ODT), with zipfile and lxml: ``content.xml``'s headings, paragraphs,
list items and table cells in document order, each a paragraph of its own (frames and
sections too); annotations and note citations left out. Title: ``dc:title`` of
``meta.xml``, else the first heading; date: ``meta:creation-date``.
"""

from __future__ import annotations

from .base import Extracted, UnreadableError, partial_date
from .container import has_member, is_zip, open_zip, read_member
from .xmltext import blocks, local, parse_xml

_BLOCK = frozenset({"p", "h"})
_SKIP = frozenset({"note-citation", "annotation", "tracked-changes", "bookmark-ref", "sequence-decls"})


def odf_mimetype(head: bytes) -> bytes:
    """The ``mimetype`` an OpenDocument or EPUB container stores first, uncompressed."""
    return head[38:100].split(b"PK", 1)[0] if is_zip(head) and head[30:38] == b"mimetype" else b""


class OdtReader:
    name = "odt"
    extensions = (".odt", ".ott")

    def sniff(self, head: bytes) -> bool:
        return odf_mimetype(head).startswith(b"application/vnd.oasis.opendocument.text")

    def read(self, data: bytes, name: str) -> list[Extracted]:
        archive = open_zip(data)
        if not has_member(archive, "content.xml"):
            raise UnreadableError("not an OpenDocument text (no content.xml)")
        root = parse_xml(read_member(archive, "content.xml"), "OpenDocument text")
        heading, paragraphs = None, []
        for element, text in blocks(root, block=_BLOCK, skip=_SKIP, breaks=frozenset({"line-break"}), spaces=frozenset({"tab", "s"})):
            paragraphs.append(text)
            if heading is None and local(element.tag) == "h":
                heading = text
        title, created = (odf_meta(read_member(archive, "meta.xml")) if has_member(archive, "meta.xml") else (None, None))
        return [Extracted("\n\n".join(paragraphs), title or heading, created, "odt")]


def odf_meta(xml: bytes):
    """``(dc:title, meta:creation-date)`` of an OpenDocument ``meta.xml``."""
    root = parse_xml(xml, "document properties")
    fields = {}
    for element in root.iter():
        name = local(element.tag)
        if name in ("title", "creation-date") and name not in fields:
            fields[name] = (element.text or "").strip()
    return " ".join(fields.get("title", "").split()) or None, partial_date(fields.get("creation-date", ""))


READER = OdtReader()
