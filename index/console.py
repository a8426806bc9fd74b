"""What both commands share at the terminal: one-line errors and reliable exit codes.

Exit codes, as scripts can rely on them: 0 success, 1 nothing found (``search``, like
grep), 2 an error (bad config, no index, bad query, lock held), 130 interrupted, 141 the
reader of the output went away (``search … | head``), silently, as other Unix tools do.
"""

from __future__ import annotations

import argparse
import os
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
        print(f"{prog}: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_ERROR) from None
    except KeyboardInterrupt:
        print(f"{prog}: interrupted", file=sys.stderr)
        raise SystemExit(EXIT_INTERRUPTED) from None
