"""The record of one ingested file, as the index stores and returns it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Document:
    """One file, normalised: what ingest writes and ``Index.get`` gives back.

    ``id`` is the path relative to the source folder with ``/`` separators; ``date`` is an
    ISO date at its own precision (``2023``, ``2023-07``, ``2023-07-14``) or ``None``;
    ``language`` is ``nb`` (Bokmål), ``nn`` (Nynorsk) or ``other``.
    ``repairs`` names every change made to the bytes on the way to ``text`` (``bom``,
    ``mojibake``, ``nfd``, ``crlf``, ...), so a surprising result can be traced to its cause.
    """

    id: str
    path: str
    title: str
    text: str
    date: str | None = None
    encoding: str = "utf-8"
    repairs: tuple[str, ...] = ()
    size: int = 0
    mtime_ns: int = 0
    sha256: str = ""
    language: str = "nb"
