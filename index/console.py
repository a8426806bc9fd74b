"""What both commands share at the terminal: one-line errors and reliable exit codes.

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


# What a terminal acts on or that changes how a line reads: C0 controls (ESC, newline, ...),
# DEL, C1 controls (U+009B is a one-character CSI), line and paragraph separators, and the
# bidi embeddings, overrides and isolates (which reverse text: ``exe.txt`` shown as ``txt.exe``).
_C0 = r"\x00-\x1f"
_OTHER_UNSAFE = r"\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
_UNSAFE = re.compile(f"[{_C0}{_OTHER_UNSAFE}]")
# In JSON, C0 controls are escaped by the encoder, and stand outside strings as indentation.
_UNSAFE_IN_JSON = re.compile(f"[{_OTHER_UNSAFE}]")
_NAMED = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _escape(match: re.Match[str]) -> str:
    character = match.group()
    code = ord(character)
    return _NAMED.get(character) or (f"\\x{code:02x}" if code < 0x80 else f"\\u{code:04x}")


def printable(text: str) -> str:
    """``text`` safe to show on a terminal, as ``git``'s ``core.quotePath`` and ``ls`` show
    names: each character above as an escape (``\\n``, ``\\t``, ``\\x1b``,
    ``\\u009b``, ``\\u202e``), the rest (æ, ø, å, any printable letter) as it is. Backslashes
    are left alone, so ordinary text reads as written."""
    return _UNSAFE.sub(_escape, text)


def json_text(value: object) -> str:
    """``value`` as indented JSON, non-ASCII letters as they are, and each character above as a
    ``\\u`` escape: the JSON encoder escapes only the C0 controls, and a C1 control or a bidi
    override in a string would still act on a terminal that shows it."""
    encoded = json.dumps(value, ensure_ascii=False, indent=2)
    return _UNSAFE_IN_JSON.sub(lambda match: f"\\u{ord(match.group()):04x}", encoded)


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
