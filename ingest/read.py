"""Bytes to clean text: byte-order mark, strict UTF-8, else a detected legacy encoding;
then Unicode NFC and ``\\n`` line endings.

Every change made on the way is named in ``repairs`` (``bom``, ``nfc``, ``crlf``, ``cr``),
so a document that reads oddly can be traced to what was done to it. Bytes that are not
text (NUL bytes without a UTF-16 byte-order mark, or nothing at all) raise
:class:`NotTextError` with the reason.
"""

from __future__ import annotations

import codecs
import unicodedata
from dataclasses import dataclass

import chardet

# Encodings Norwegian text has really been saved in, besides UTF-8 and UTF-16: Windows,
# ISO Latin-1 and Latin-9 (with €), Mac OS Roman and the Nordic DOS code page.
LEGACY_ENCODINGS = ("cp1252", "iso-8859-15", "iso-8859-1", "mac-roman", "cp865", "cp850")
# Read as a last resort: every byte is a character, so it never fails.
FALLBACK_ENCODING = "iso-8859-1"

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


class NotTextError(ValueError):
    """The bytes are not a text document; the message says why."""


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str
    repairs: tuple[str, ...]


def _decode_bom(data: bytes) -> tuple[str, str] | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding), encoding
            except UnicodeDecodeError as error:
                raise NotTextError(f"has a {encoding} byte-order mark but is not {encoding} ({error.reason})") from None
    return None


def _decode_legacy(data: bytes) -> tuple[str, str]:
    """Decode bytes that are not UTF-8 with the encoding chardet finds most likely among
    :data:`LEGACY_ENCODINGS` (its ``confidence`` is not a probability in chardet 7; unused)."""
    guess = chardet.detect(data, compat_names=False, include_encodings=LEGACY_ENCODINGS)["encoding"]
    for encoding in (guess, FALLBACK_ENCODING):
        if encoding:
            try:
                return data.decode(encoding), codecs.lookup(encoding).name
            except (UnicodeDecodeError, LookupError):
                continue
    raise AssertionError("unreachable: iso-8859-1 decodes every byte")


def decode(data: bytes) -> DecodedText:
    """Decode and normalise the bytes of one file; raise :class:`NotTextError` if not text."""
    if not data.strip():
        raise NotTextError("empty file" if not data else "only whitespace")
    repairs: list[str] = []
    with_bom = _decode_bom(data)
    if with_bom is not None:
        text, encoding = with_bom
        repairs.append("bom")
    elif b"\x00" in data:
        raise NotTextError("binary file (contains NUL bytes)")
    else:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text, encoding = _decode_legacy(data)
    if "\x00" in text:
        raise NotTextError("binary file (contains NUL characters)")
    if not text.strip():  # a byte-order mark and nothing else: Notepad's empty "UTF-8 with BOM"
        raise NotTextError("no text after the byte-order mark")
    if "\r\n" in text:
        text = text.replace("\r\n", "\n")
        repairs.append("crlf")
    if "\r" in text:
        text = text.replace("\r", "\n")
        repairs.append("cr")
    normalised = unicodedata.normalize("NFC", text)
    if normalised != text:
        repairs.append("nfc")
    return DecodedText(normalised, encoding, tuple(repairs))
