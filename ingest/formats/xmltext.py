"""XML parsed without entities, DTDs or the network, and its text taken a block at a time:
what DOCX, ODT and EPUB chapters share.

A *block* is a paragraph, heading, list item or table cell: its text is one paragraph of
the document (white space collapsed, line breaks kept), so table cells and list items are
never glued together.
"""

from __future__ import annotations

from collections.abc import Iterator

from .base import UnreadableError

_PARSER = None


def parse_xml(data: bytes, what: str):
    """The root element of ``data``; entities stay unexpanded (no billion laughs), no DTD or
    network is fetched. UnreadableError names ``what`` when it is no well-formed XML."""
    from lxml import etree

    global _PARSER
    if _PARSER is None:
        _PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=False)
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as error:
        raise UnreadableError(f"damaged {what} ({' '.join(str(error).split())[:120]})") from None
    if root is None:
        raise UnreadableError(f"damaged {what} (empty)")
    return root


def local(tag) -> str:
    """``{namespace}p`` → ``p`` (comments and processing instructions → ``""``)."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def blocks(root, *, block: frozenset[str], skip: frozenset[str] = frozenset(), breaks: frozenset[str] = frozenset(),
           spaces: frozenset[str] = frozenset()) -> Iterator[tuple[object, str]]:
    """``(element, text)`` of each block under ``root`` in document order, empty ones left
    out; tags by local name: ``block`` start a block (a block inside another, a cell's
    paragraph, ends the outer one's text so far), ``skip`` are left out with what they hold,
    ``breaks`` are line breaks, ``spaces`` (tabs) a space."""
    pieces: list[str] = []
    opened: list[object] = []

    def flush(element) -> Iterator[tuple[object, str]]:
        text = "\n".join(" ".join(line.split()) for line in "".join(pieces).split("\n")).strip()
        pieces.clear()
        if text:
            yield element, text

    def walk(element) -> Iterator[tuple[object, str]]:
        name = local(element.tag)
        if name in skip:
            return
        is_block = name in block
        if is_block:
            if opened:
                yield from flush(opened[-1])
            opened.append(element)
        if name in breaks:
            pieces.append("\n")
        elif name in spaces:
            pieces.append(" ")
        if element.text and name:
            pieces.append(element.text)
        for child in element:
            yield from walk(child)
            if child.tail:
                pieces.append(child.tail)
        if is_block:
            opened.pop()
            yield from flush(element)

    yield from walk(root)
