"""Web pages (HTML and XHTML): the article's text, not the page around it.

The text is trafilatura's (Apache-2.0): it drops navigation, cookie banners, related-article
boxes, share links, footers and scripts. We render its article tree ourselves, so that
paragraphs stay apart (a blank line), list items and table rows get a line each and a
row's cells a tab between them (never glued), and we drop the "Les også:" teasers Norwegian
newsrooms set inside the article.

The encoding: a byte-order mark, then ``<meta charset>`` / ``http-equiv`` Content-Type, then
an XML declaration, read by :mod:`ingest.formats.charset` (WHATWG labels, checked against the
bytes), then the detector of :mod:`ingest.read`.

Title and date are our own, from the parsed page, never trafilatura's or htmldate's guesses
(they fill a month's day with today's and date pages from their footers): the title is
``og:title``, else the article's (or the page's first) ``<h1>``, else ``<title>``; the date,
at the precision written, is the first of ``article:published_time``, ``<meta
name="date">``, the article's first ``<time datetime>``, JSON-LD ``datePublished``. A
"© 2024" in a footer is never a date.
"""

from __future__ import annotations

import codecs
import json
import logging
import re
from collections.abc import Iterator

from index.dates import PartialDate

from ..metadata import parse_date
from ..read import DecodedText, NotTextError
from .base import Extracted, UnreadableError
from .charset import codec_for, decode_declared

_SIGNATURE = re.compile(rb"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)
_META_CHARSET = re.compile(rb"<meta\s[^>]*?charset\s*=\s*[\"']?\s*([a-z0-9_.:-]+)", re.I)
_XML_ENCODING = re.compile(rb"\A\s*<\?xml[^>]*?encoding\s*=\s*[\"']([a-z0-9_.:-]+)", re.I)
# "Les også: <a>…</a>" and its kin (Bokmål, Nynorsk), set between an article's paragraphs;
# "Relatert" only as a label ("Relaterte saker", "Relatert:"), not "Relatert til dette er …".
_TEASER = re.compile(r"(?:les|sjå|se)\s+(?:også|òg|mer)\b|relaterte?(?:\s+(?:saker|artikler|innhold))?\s*(?::|$)", re.I)
TEASER_MAX_CHARS = 200
# Classes newsrooms give an article's lead paragraph: "lead", "article-lead", "ingress", "standfirst".
_LEAD_CLASS = r"(^|[\s_-])(lead|ingress|standfirst|preamble)([\s_-]|$)"
_EXSLT = {"re": "http://exslt.org/regular-expressions"}
JSON_LD_MAX_CHARS = 1_000_000
_SEPARATED = frozenset({"p", "head", "quote", "code", "list", "item", "table", "row", "cell", "div", "graphic"})


class HtmlReader:
    name = "html"
    extensions = (".html", ".htm", ".xhtml", ".xht", ".shtml")

    def sniff(self, head: bytes) -> bool:
        """A document starting (after a byte-order mark, an XML declaration, comments or white
        space) with ``<!DOCTYPE html>``, ``<html>``, ``<head>`` or ``<body>``."""
        if head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
            head = head.decode("utf-16", "ignore").encode("ascii", "ignore")
        return bool(_SIGNATURE.match(head.removeprefix(codecs.BOM_UTF8)))

    def read(self, data: bytes, name: str) -> list[Extracted]:
        try:
            decoded = decode_declared(data, declared_charset(data))
        except NotTextError as error:
            raise UnreadableError(str(error)) from None
        return [page_document(decoded)]


def page_document(decoded: DecodedText) -> Extracted:
    """The article of a decoded page, with the page's title and date (also for an e-mail's
    HTML part); :class:`UnreadableError` when the page has no text."""
    trafilatura = _trafilatura()
    tree = trafilatura.utils.load_html(decoded.text)
    if tree is None:
        raise UnreadableError("not an HTML page (nothing to parse)")
    title, date, lead = page_title(tree), page_date(tree), article_lead(tree)  # before trafilatura prunes its copy
    found = trafilatura.bare_extraction(tree, fast=True, include_comments=False, include_tables=True)
    text = render(found.body) if found is not None and found.body is not None else ""
    if lead and lead not in text:
        text = f"{lead}\n\n{text}".strip()
    if not text:
        raise UnreadableError("no article text in the page")
    return Extracted(text, title, date, decoded.encoding, decoded.repairs)


def _trafilatura():
    """trafilatura, imported when the first page is read, its log silenced: what it says of
    a page it cannot read, our one-line reason says."""
    import trafilatura
    import trafilatura.utils

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    return trafilatura


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in its first 8 KB: ``<meta charset>`` or ``http-equiv``
    Content-Type, else its XML declaration. A ``<meta>`` that says UTF-16 means UTF-8
    (WHATWG: bytes that could be read as ASCII to find it are no UTF-16)."""
    head = data[:8192]
    meta = _META_CHARSET.search(head)
    if meta:
        label = meta.group(1).decode("ascii")
        codec = codec_for(label)
        return "utf-8" if codec and codec.startswith("utf-16") else label
    xml = _XML_ENCODING.match(head)
    return xml.group(1).decode("ascii") if xml else None


def _clean(text: str | None) -> str | None:
    """White space collapsed; None for nothing."""
    return " ".join(text.split()) or None if text else None


def page_title(tree) -> str | None:
    """``og:title``, else the article's first ``<h1>`` (else the page's), else ``<title>``."""
    for content in tree.xpath("//meta[@property='og:title']/@content"):
        if _clean(content):
            return _clean(content)
    for expression in ("//article//h1", "//h1", "//head/title"):
        for element in tree.xpath(expression):
            if _clean(element.text_content()):
                return _clean(element.text_content())
    return None


def article_lead(tree) -> str | None:
    """The article's lead paragraph (the ingress), which trafilatura leaves out when it
    stands in the article's header beside the title, outside the body it picks: the first
    element of the article (else of ``<main>``, else of the page) whose class names a lead."""
    for scope in ("//article", "//main", ""):
        for element in tree.xpath(f"{scope}//*[re:test(@class, $lead)]", namespaces=_EXSLT, lead=_LEAD_CLASS):
            if _clean(element.text_content()):
                return _clean(element.text_content())
    return None


def page_date(tree) -> PartialDate | None:
    """The first date the page states for itself (see the module docstring), parsed at the
    precision written; a value that is no date is passed over."""
    for value in _date_values(tree):
        try:
            return parse_date(value)
        except ValueError:
            continue
    return None


def _date_values(tree) -> Iterator[str]:
    yield from tree.xpath("//meta[@property='article:published_time']/@content")
    yield from tree.xpath("//meta[translate(@name, 'DATE', 'date')='date']/@content")
    yield from tree.xpath("//article//time/@datetime")
    yield from tree.xpath("//main//time/@datetime")
    for script in tree.xpath("//script[@type='application/ld+json']"):
        yield from _json_ld_dates(script.text or "")


def _json_ld_dates(source: str) -> Iterator[str]:
    """Every ``datePublished`` of a JSON-LD block, in document order (``@graph`` too)."""
    if len(source) > JSON_LD_MAX_CHARS:
        return
    try:
        data = json.loads(source)
    except ValueError:
        return
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if isinstance(item.get("datePublished"), str):
                yield item["datePublished"]
            stack.extend(reversed(list(item.values())))
        elif isinstance(item, list):
            stack.extend(reversed(item))


def render(body) -> str:
    """trafilatura's article tree as text: a block each paragraph, heading, list and table,
    a blank line between blocks; a line each list item and table row; a tab between cells.
    The teasers of other articles ("Les også: …") are left out."""
    blocks: list[str] = []
    if _clean(body.text):
        blocks.append(_clean(body.text))
    skip_list = False
    for element in body:
        if element.tag == "list":
            block = "\n".join(filter(None, (_words(item) for item in element.iterchildren("item"))))
        elif element.tag == "table":
            rows = ("\t".join(filter(None, (_words(cell) for cell in row.iterchildren("cell")))) for row in element.iterchildren("row"))
            block = "\n".join(filter(None, rows))
        else:
            block = _words(element)
        if skip_list and element.tag == "list" or _is_teaser(block):
            skip_list = _TEASER.fullmatch(block.rstrip(":")) is not None
            continue
        skip_list = False
        if block:
            blocks.append(block)
        if _clean(element.tail):
            blocks.append(_clean(element.tail))
    return "\n\n".join(blocks)


def _is_teaser(block: str) -> bool:
    """A short block that starts "Les også", "Sjå òg", "Relaterte saker": a link to another article."""
    return len(block) <= TEASER_MAX_CHARS and _TEASER.match(block) is not None


def _words(element) -> str:
    """The text of an element, its parts' words never glued: a space around every block
    inside it, a line break for ``<lb>``; white space collapsed within each line."""
    parts: list[str] = [element.text or ""]
    for child in element:
        _collect(child, parts)
    lines = "".join(parts).split("\n")
    return "\n".join(filter(None, (" ".join(line.split()) for line in lines)))


def _collect(element, parts: list[str]) -> None:
    if element.tag == "lb":
        parts.append("\n")
    else:
        gap = " " if element.tag in _SEPARATED else ""
        parts.append(gap + (element.text or ""))
        for child in element:
            _collect(child, parts)
        parts.append(gap)
    parts.append(element.tail or "")


READER = HtmlReader()
