"""EPUB (2 and 3), with zipfile and lxml (not ebooklib: AGPL): the chapters in the OPF
spine's order, each XHTML chapter's headings, paragraphs, list items and table cells a
paragraph of its own; scripts, styles and the table of contents left out. Title and date:
the OPF's ``dc:title`` and ``dc:date`` (never ``dcterms:modified``, the day it was made).
"""

from __future__ import annotations

import posixpath
import re
from urllib.parse import unquote

from .base import Extracted, UnreadableError, partial_date
from .container import has_member, open_zip, read_member
from .odt import odf_mimetype
from .xmltext import blocks, local, parse_xml

_BLOCK = frozenset({
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th", "dt", "dd", "blockquote", "pre", "div",
    "section", "article", "aside", "header", "footer", "figcaption", "caption", "address", "title",
})  # fmt: skip
_SKIP = frozenset({"head", "script", "style", "nav", "rt", "rp"})
_HEADINGS = frozenset({"h1", "h2", "h3"})
_XML_DECLARATION = re.compile(r"\A\s*<\?xml[^>]*\?>")
_CHAPTER_TYPES = ("application/xhtml+xml", "text/html", "application/x-dtbook+xml")


class EpubReader:
    name = "epub"
    extensions = (".epub",)

    def sniff(self, head: bytes) -> bool:
        return odf_mimetype(head).startswith(b"application/epub+zip")

    def read(self, data: bytes, name: str) -> list[Extracted]:
        archive = open_zip(data)
        if not has_member(archive, "META-INF/container.xml"):
            raise UnreadableError("not an EPUB (no META-INF/container.xml)")
        container = parse_xml(read_member(archive, "META-INF/container.xml"), "EPUB container")
        rootfile = next((e.get("full-path") for e in container.iter() if local(e.tag) == "rootfile"), None)
        if not rootfile:
            raise UnreadableError("damaged EPUB (no package document named)")
        package = parse_xml(read_member(archive, rootfile), "EPUB package")
        title, date, chapters = _package(package, posixpath.dirname(rootfile))
        heading, paragraphs = None, []
        for chapter in chapters:
            if not has_member(archive, chapter):
                continue
            root = _chapter(read_member(archive, chapter))
            for element, text in blocks(root, block=_BLOCK, skip=_SKIP, breaks=frozenset({"br"})):
                paragraphs.append(text)
                if heading is None and local(element.tag) in _HEADINGS:
                    heading = text
        return [Extracted("\n\n".join(paragraphs), title or heading, date, "epub")]


def _chapter(data: bytes):
    """A chapter's root: XHTML as XML, else (EPUB 2's ``&nbsp;`` without a DTD, tag soup)
    by lxml's HTML parser, which forgives what browsers forgive."""
    try:
        return parse_xml(data, "EPUB chapter")
    except UnreadableError:
        import lxml.html
        from lxml.etree import ParserError

        from ..read import NotTextError, decode

        try:  # lxml takes no str that declares an encoding: the text is decoded already
            return lxml.html.document_fromstring(_XML_DECLARATION.sub("", decode(data).text, count=1))
        except NotTextError as error:
            raise UnreadableError(f"damaged EPUB chapter ({error})") from None
        except ParserError as error:  # nothing left to read
            raise UnreadableError(f"damaged EPUB chapter ({error})") from None


def _package(package, folder: str):
    """``(dc:title, dc:date, chapter paths in spine order)`` of an OPF package document."""
    title = date = None
    manifest, spine = {}, []
    for element in package.iter():
        name = local(element.tag)
        if name == "title" and title is None:
            title = " ".join((element.text or "").split()) or None
        elif name == "date" and date is None:
            date = partial_date(element.text or "")
        elif name == "item" and (element.get("media-type") or "") in _CHAPTER_TYPES and "nav" not in (element.get("properties") or "").split():
            manifest[element.get("id")] = posixpath.normpath(posixpath.join(folder, unquote(element.get("href") or "")))
        elif name == "itemref" and element.get("linear", "yes") != "no":
            spine.append(element.get("idref"))
    return title, date, [manifest[idref] for idref in spine if idref in manifest]


READER = EpubReader()
