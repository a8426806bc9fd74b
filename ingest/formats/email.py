"""E-mail messages (``.eml``, RFC 5322 and MIME), read with the standard library.

The text is the message's body: its text/plain part, else its text/html part through the
HTML reader's article extraction (:func:`ingest.formats.html.page_document`); attachments
are ignored (a text file attached is not the message's text), and so are the headers but
the sender, which leads the text as ``Fra: …`` so that a search for the sender finds the
message. Parts are decoded from quoted-printable or base64 and then by their declared
charset through :mod:`ingest.formats.charset` (WHATWG labels; the detector where the charset
is missing or the bytes belie it, as 8-bit bytes under ``us-ascii``). Headers are decoded the
same way, RFC 2047 encoded words by their charsets and raw 8-bit bytes by the detector:
never a U+FFFD. A ``format=flowed`` part's paragraphs are joined again. The title is the Subject; the date is ``Date:``'s day, in the sender's own
time zone, and none when the header is missing or broken.

:func:`message_document` reads one message; the mailbox reader (:mod:`ingest.formats.mbox`)
uses it for each of its messages.
"""

from __future__ import annotations

import re
from dataclasses import replace

from index.dates import PartialDate

from ..read import DecodedText, NotTextError
from .base import Extracted, UnreadableError
from .charset import decode_declared
from .html import declared_charset, page_document

# A header block: header lines (name, colon), folded continuation lines, up to a blank line.
_HEADER_LINE = re.compile(rb"[!-9;-~]+:[^\n]*(?:\n|\Z)|[ \t][^\n]*(?:\n|\Z)")
_MAIL_HEADERS = frozenset({b"from", b"received", b"return-path", b"message-id", b"mime-version"})
_FOLD = re.compile(r"\r?\n(?=[ \t])")


class EmailReader:
    name = "email"
    extensions = (".eml",)

    def sniff(self, head: bytes) -> bool:
        return looks_like_headers(head)

    def read(self, data: bytes, name: str) -> list[Extracted]:
        return [message_document(data)]


def looks_like_headers(head: bytes) -> bool:
    """Whether ``head`` starts with a block of at least two header lines (up to a blank line
    or the end of ``head``), one of them a header only mail has (``From:``, ``Received:``,
    ``Message-ID:``, ...): a text that starts ``Date: 2021-11-03`` is no e-mail."""
    head = head.replace(b"\r\n", b"\n")
    names, at = set(), 0
    while at < len(head) and head[at : at + 1] != b"\n":
        line = _HEADER_LINE.match(head, at)
        if line is None:
            return False
        if line.group(0)[:1] not in b" \t":
            names.add(line.group(0).split(b":", 1)[0].lower())
        at = line.end()
    return len(names) >= 2 and bool(names & _MAIL_HEADERS)


def message_document(raw: bytes) -> Extracted:
    """One message's text, Subject and date (see the module docstring); a message that
    cannot be read raises :class:`UnreadableError` with the reason."""
    import email.errors  # here, not at the top, as every reader's library: a folder of .txt files needs none
    import email.policy

    try:
        message = email.message_from_bytes(raw, policy=email.policy.default)
        if not message.keys():
            raise UnreadableError("not an e-mail message (no headers)")
        decoded = _body(message)
        sender, subject, date = header_text(message, "from"), header_text(message, "subject"), message_date(message)
    except UnreadableError:
        raise
    except (ValueError, LookupError, TypeError, AttributeError, RecursionError, email.errors.MessageError) as error:
        raise UnreadableError(f"malformed message ({type(error).__name__}: {error})") from None
    text = "\n\n".join(filter(None, (f"Fra: {sender}" if sender else "", decoded.text.strip())))
    return Extracted(text, subject, date, decoded.encoding, decoded.repairs)


def _body(message) -> DecodedText | Extracted:
    """The decoded text of the message's text/plain part, else (none, or an empty one, as
    some mailers send beside their HTML) of its text/html part."""
    reason = "no text/plain or text/html part; attachments are not read"
    for subtype in ("plain", "html"):
        part = message.get_body(preferencelist=(subtype,))
        if part is None:
            continue
        payload = part.get_payload(decode=True) or b""
        charset = part.get_content_charset()
        try:
            if subtype == "html":
                return page_document(decode_declared(payload, charset or declared_charset(payload)))
            decoded = decode_declared(payload, charset)
            if str(part.get_param("format", "")).lower() == "flowed":
                decoded = replace(decoded, text=unflow(decoded.text, str(part.get_param("delsp", "")).lower() == "yes"))
        except (NotTextError, UnreadableError) as error:
            reason = str(error)
            continue
        if decoded.text.strip():
            return decoded
        reason = "an empty body"
    raise UnreadableError(f"no text in the message ({reason})")


def unflow(text: str, delsp: bool = False) -> str:
    """A ``format=flowed`` text (RFC 3676, as Thunderbird and Apple Mail send) with its
    paragraphs whole again: a line ending in a space goes on in the next line of the same
    quote depth (its space dropped too with ``DelSp=yes``); space-stuffing undone; the
    signature line ``-- `` never flows."""
    out: list[str] = []
    flowing: tuple[int, str] | None = None  # quote depth and text of a paragraph going on
    for line in text.split("\n"):
        depth = len(line) - len(line.lstrip(">"))
        content = line[depth:].removeprefix(" ")
        if flowing is not None and flowing[0] == depth:
            content = flowing[1] + content
        elif flowing is not None:
            out.append(_quoted(*flowing))
        flowing = None
        if content.endswith(" ") and content != "-- ":
            flowing = (depth, content[:-1] if delsp else content)
        else:
            out.append(_quoted(depth, content))
    if flowing is not None:
        out.append(_quoted(*flowing))
    return "\n".join(out)


def _quoted(depth: int, content: str) -> str:
    return f"{'>' * depth} {content}" if depth else content


def header_text(message, name: str) -> str | None:
    """A header's text, unfolded, with encoded words and raw 8-bit bytes decoded (see the
    module docstring); None when the message has no such header or it is empty."""
    raw = next((value for key, value in message.raw_items() if key.lower() == name), None)
    if raw is None:
        return None
    return " ".join(decode_header_value(_FOLD.sub("", str(raw))).split()) or None


def decode_header_value(value: str) -> str:
    """An unfolded header value as text: RFC 2047 encoded words by their charsets (a wrong
    or unknown one by the detector), bytes beyond ASCII as they came (surrogate-escaped by
    the parser) by the detector."""
    import email.errors
    import email.header

    if not value.isascii():
        return _decoded(value.encode("ascii", "surrogateescape"), None)
    try:
        parts = email.header.decode_header(value)
    except email.errors.HeaderParseError:
        return value
    return "".join(part if isinstance(part, str) else _decoded(part, charset) for part, charset in parts)


def _decoded(data: bytes, charset: str | None) -> str:
    if not data.strip():
        return data.decode("latin-1")  # white space between words
    try:
        return decode_declared(data, charset).text
    except NotTextError:
        return ""


def message_date(message) -> PartialDate | None:
    """The day of the ``Date:`` header as the sender wrote it; None when it is missing or
    no date (never today's)."""
    import email.utils

    value = header_text(message, "date")
    if not value:
        return None
    try:
        sent = email.utils.parsedate_to_datetime(value)
        return PartialDate.of(sent.year, sent.month, sent.day)
    except (ValueError, TypeError, IndexError, OverflowError):
        return None


READER = EmailReader()
