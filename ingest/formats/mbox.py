"""Mailboxes (``.mbox``, RFC 4155): one document per message, numbered from 1 in file order.

Split from the bytes ourselves (``mailbox.mbox`` wants a path, and we hold bytes): a message
starts at a ``From `` line at the start of the file or after a blank line; a body line that
was escaped as ``>From `` (or ``>>From ``, mboxrd) loses one ``>``. Each message is read by
:func:`ingest.formats.email.message_document`. A message that cannot be read is left out
with a warning naming it, and the others keep their numbers (a message's id does not change
when an earlier one becomes readable); a mailbox with no readable message is refused.
"""

from __future__ import annotations

import re
from dataclasses import replace

from loguru import logger

from .base import Extracted, UnreadableError
from .email import looks_like_headers, message_document

# The From_ line RFC 4155 starts each message with: "From sender date", the date ending in a year.
_FROM_LINE = re.compile(rb"From \S+[^\n]*\d{4}[ \t]*\r?\n")
_SEPARATOR = re.compile(rb"(?:\A|\r?\n\r?\n)(?=From \S+[^\n]*\d{4}[ \t]*\r?\n)")
_ESCAPED_FROM = re.compile(rb"^>(>*From )", re.MULTILINE)


class MboxReader:
    name = "mbox"
    extensions = (".mbox", ".mbx")

    def sniff(self, head: bytes) -> bool:
        """A ``From `` line, then a block of mail headers."""
        line = _FROM_LINE.match(head)
        return line is not None and looks_like_headers(head[line.end() :])

    def read(self, data: bytes, name: str) -> list[Extracted]:
        documents, first_error = [], None
        for number, raw in enumerate(split_mbox(data), start=1):
            try:
                documents.append(replace(message_document(raw), part=number))
            except UnreadableError as error:
                first_error = first_error or f"message {number}: {error}"
                logger.warning("{}: message {} left out: {}", name, number, error)
        if not documents:
            raise UnreadableError(f"no readable message in the mailbox ({first_error or 'no From line'})")
        return documents


def split_mbox(data: bytes) -> list[bytes]:
    """The messages of a mailbox's bytes, without their ``From `` lines, ``>From `` unescaped."""
    messages = []
    for chunk in _SEPARATOR.split(data):
        line = _FROM_LINE.match(chunk)
        if line is not None:
            messages.append(_ESCAPED_FROM.sub(rb"\1", chunk[line.end() :]))
    return messages


READER = MboxReader()
