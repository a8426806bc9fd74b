"""Bytes whose format declares their character encoding: an HTML page's ``<meta charset>``,
an e-mail part's ``charset=``.

A declaration is read as browsers and mail readers read it, by the WHATWG encoding labels
(``iso-8859-1``, ``latin1`` and ``ascii`` mean windows-1252; labels of no text encoding,
such as ``base64`` or ``zlib``, mean nothing), then checked against the bytes: a byte-order
mark wins over it; bytes that are not the declared encoding (``utf-8`` declared, cp1252
bytes), 8-bit bytes under a declared ``us-ascii``, and valid UTF-8 beyond ASCII under a
declared single-byte charset (a page converted to UTF-8 whose ``<meta>`` was not) are read
by the detector of :mod:`ingest.read` instead, with the repair ``charset``. Missing or
unknown declarations go to the detector too (unknown ones with ``charset``).
"""

from __future__ import annotations

import codecs

from ..read import DecodedText, decode, has_text_bom, normalise

WRONG_CHARSET = "charset"
"""The repair named when the declared charset was not the bytes' and another was used."""


def codec_for(label: str | None) -> str | None:
    """The Python codec a declared charset label means (WHATWG labels), or None for a
    missing label, one of no text encoding, and WHATWG's ``replacement`` and
    ``x-user-defined`` (which no real document uses)."""
    if not label:
        return None
    import webencodings  # here, not at the top: plain text files never need it

    encoding = webencodings.lookup(label.strip().strip("\"'"))
    if encoding is None or encoding.name in ("replacement", "x-user-defined"):
        return None
    return encoding.codec_info.name


def _declares_ascii(label: str) -> bool:
    """Whether ``label`` names US-ASCII (which WHATWG reads as windows-1252)."""
    try:
        return codecs.lookup(label.strip().strip("\"'")).name == "ascii"
    except LookupError:
        return False


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _may_be(data: bytes, label: str, codec: str) -> bool:
    """Whether the bytes may be in the declared ``codec``: not when 8-bit bytes stand under
    a declared US-ASCII, nor when a single-byte or East Asian charset is declared and the
    bytes beyond ASCII are valid UTF-8 (which legacy text next to never is)."""
    if data.isascii() or codec.startswith("utf"):
        return True
    return not _declares_ascii(label) and not _is_utf8(data)


def decode_declared(data: bytes, label: str | None) -> DecodedText:
    """Decode ``data`` by its declared charset ``label`` where the bytes bear it out (see the
    module docstring), else by the detector; cleaned by :func:`ingest.read.normalise`.
    Raises :class:`ingest.read.NotTextError` only where the detector does (empty, NUL
    bytes): declared text may be empty."""
    if has_text_bom(data):
        return decode(data)
    codec = codec_for(label)
    if codec is not None and _may_be(data, label, codec):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            text = "\x00"
        if "\x00" not in text:
            return normalise(text, codec)
    detected = decode(data)
    if label is None:
        return detected
    return DecodedText(detected.text, detected.encoding, (WRONG_CHARSET, *detected.repairs))
