"""What both commands share at the terminal: one-line errors, reliable exit codes, and text
that cannot command the terminal.

Exit codes, as scripts can rely on them: 0 success, 1 nothing found (``search``, like
grep), 2 an error (bad config, no index, bad query, lock held), 130 interrupted, 141 the
reader of the output went away (``search … | head``), silently, as other Unix tools do.

Document text, titles and file names are hostile: an ``ESC[2J`` clears the screen, OSC 0
sets the window title, OSC 8 hides a link, a newline forges an extra line. What the commands
print for people goes through :func:`printable`; their JSON through :func:`json_text`.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from .config import ConfigError
from .errors import SearchIndexError

EXIT_OK, EXIT_NOTHING_FOUND, EXIT_ERROR, EXIT_INTERRUPTED, EXIT_BROKEN_PIPE = 0, 1, 2, 130, 141
DISTRIBUTION = "norsearch"  # pyproject.toml's [project] name, whose metadata holds the version


class VersionAction(argparse.Action):
    """``--version``: ``prog`` and the installed package's version, from its metadata.

    Read only when asked: importing importlib.metadata costs ~0.2 s of every command's start-up.
    """

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help="print the version and exit")

    def __call__(self, parser: argparse.ArgumentParser, *_: Any) -> None:
        from importlib.metadata import version

        print(f"{parser.prog} {version(DISTRIBUTION)}")
        parser.exit()


# What a name or a document may hold that a terminal would act on or a reader be misled by:
# C0 controls and DEL (ESC starts CSI and OSC sequences: clear screen, window title, hidden
# OSC 8 links; a newline forges a line), C1 controls (U+009B is CSI on its own), the line and
# paragraph separators, bidirectional overrides (text shown in another order than it is), and
# lone surrogates (bytes of a name that are not UTF-8).
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# Left raw by json.dumps(ensure_ascii=False) though a terminal acts on DEL, C1 and on the bidi
# controls, and not encodable (lone surrogates) or taken as line ends by some readers (U+2028,
# U+2029). The encoder escapes C0 itself, and C0 stands outside strings as indentation.
_JSON_RAW = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _escape(match: re.Match) -> str:
    char = match.group()
    code = ord(char)
    return _NAMED.get(char) or (f"\\x{code:02x}" if code < 0x80 else f"\\u{code:04x}")


def printable(text: str) -> str:
    """``text`` safe to show on a terminal or in a text log: every character of
    :data:`_UNPRINTABLE` as an escape (``\\n``, ``\\x1b``, ``\\u009b``), as ``git``
    (core.quotePath) and ``ls`` show such names. Everything else, ``æøå`` included, stays."""
    return _UNPRINTABLE.sub(_escape, text)


def json_text(value: object) -> str:
    """``value`` as indented JSON for the terminal: readable (``ensure_ascii=False``) but with
    C1 controls, U+2028/U+2029, bidi controls and lone surrogates written as ``\\uXXXX`` escapes."""
    text = json.dumps(value, ensure_ascii=False, indent=2)
    return _JSON_RAW.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


@contextmanager
def cli_errors(prog: str, expected: tuple[type[BaseException], ...] = ()) -> Iterator[None]:
    """Turn an expected error into ``prog: error: message`` on stderr and exit 2, no traceback."""
    try:
        yield
        sys.stdout.flush()  # a closed pipe shows here, not at interpreter exit
    except BrokenPipeError:
        # Python would report the pipe again when it flushes stdout at exit: point it at /dev/null.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise SystemExit(EXIT_BROKEN_PIPE) from None
    except (ConfigError, SearchIndexError, OSError, *expected) as error:
        message = str(error) or type(error).__name__
        print(f"{prog}: error: {printable(message)}", file=sys.stderr)
        raise SystemExit(EXIT_ERROR) from None
    except KeyboardInterrupt:
        print(f"{prog}: interrupted", file=sys.stderr)
        raise SystemExit(EXIT_INTERRUPTED) from None
