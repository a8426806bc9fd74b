"""The record of one ingested file, as the index stores and returns it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple


class Stamp(NamedTuple):
    """What ingest's change tracking needs of a stored document, without its text: a state
    rebuilt from the index is made of these (:meth:`index.backend.SearchIndex.stamps`)."""

    id: str
    path: str
    size: int
    mtime_ns: int
    sha256: str


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

    @classmethod
    def from_stored(cls, fields: Mapping[str, Any]) -> Document:
        """The document back from what an engine stored of it (Whoosh's stored fields,
        OpenSearch's ``_source``): every field, ``repairs`` as a tuple again."""
        return cls(
            id=fields["id"],
            path=fields["path"],
            title=fields["title"],
            text=fields["text"],
            date=fields.get("date"),
            encoding=fields["encoding"],
            repairs=tuple(fields["repairs"]),
            size=fields["size"],
            mtime_ns=fields["mtime_ns"],
            sha256=fields["sha256"],
            language=fields["language"],
        )
