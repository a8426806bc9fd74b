"""ZIP containers (DOCX, ODT, EPUB, XLSX, ODS) opened safely: a zip bomb is refused from
the ZIP directory's sizes and ratios before anything is inflated, and a member is never
inflated past what the directory declared for it (zipfile stops there; the CRC fails).

    archive = open_zip(data)                     # zipfile.ZipFile, or UnreadableError
    xml = read_member(archive, "word/document.xml")
"""

from __future__ import annotations

import io
import zipfile
import zlib

from .base import UnreadableError

MAX_MEMBERS = 10_000
"""More members than this is no office document."""
MAX_TOTAL_BYTES = 512 * 1024 * 1024
"""Declared uncompressed size of all members together."""
MAX_RATIO = 200
"""Uncompressed to compressed, for a member over :data:`RATIO_FROM_BYTES`: text XML packs
10-30 times, a zip bomb thousands of times."""
RATIO_FROM_BYTES = 1024 * 1024
MAX_MEMBER_BYTES = 128 * 1024 * 1024
"""The most a reader inflates of one member."""
_DAMAGE = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError, OSError, KeyError)


def is_zip(head: bytes) -> bool:
    """A local file header at the start: every ZIP-based format begins with one."""
    return head.startswith(b"PK\x03\x04")


def open_zip(data: bytes) -> zipfile.ZipFile:
    """The archive of ``data``, once its directory shows no zip bomb; UnreadableError else."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except _DAMAGE as error:
        raise UnreadableError(f"damaged ZIP container ({_reason(error)})") from None
    if len(members) > MAX_MEMBERS:
        raise UnreadableError(f"zip bomb refused: {len(members):,} members (more than {MAX_MEMBERS:,})")
    total = sum(member.file_size for member in members)
    if total > MAX_TOTAL_BYTES:
        raise UnreadableError(f"zip bomb refused: {total:,} bytes uncompressed (more than {MAX_TOTAL_BYTES:,})")
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_FROM_BYTES and ratio > MAX_RATIO:
            raise UnreadableError(f"zip bomb refused: {member.filename!r} inflates {ratio:,.0f} times (more than {MAX_RATIO})")
    return archive


def read_member(archive: zipfile.ZipFile, name: str) -> bytes:
    """One member's bytes, no more than it declared; UnreadableError when absent or damaged."""
    try:
        member = archive.getinfo(name)
    except KeyError:
        raise UnreadableError(f"damaged container: {name} is missing") from None
    if member.flag_bits & 0x1:
        raise UnreadableError("encrypted (needs a password)")
    if member.file_size > MAX_MEMBER_BYTES:
        raise UnreadableError(f"too large to read: {name} is {member.file_size:,} bytes (more than {MAX_MEMBER_BYTES:,})")
    try:  # zipfile stops at the declared size, and a member that would go on fails its CRC
        return archive.read(member)
    except _DAMAGE as error:
        raise UnreadableError(f"damaged ZIP container ({_reason(error)})") from None


def has_member(archive: zipfile.ZipFile, name: str) -> bool:
    return name in archive.NameToInfo


def _reason(error: Exception) -> str:
    text = " ".join(str(error).split())
    return text[:120] or type(error).__name__
