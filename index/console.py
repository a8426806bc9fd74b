"""What both commands share at the terminal: one-line errors and reliable exit codes.

Exit codes, as scripts can rely on them: 0 success, 1 nothing found (``search``, like
grep), 2 an error (bad config, no index, bad query, lock held), 130 interrupted.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from .config import ConfigError
from .errors import SearchIndexError

EXIT_OK, EXIT_NOTHING_FOUND, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130


@contextmanager
def cli_errors(prog: str, expected: tuple[type[BaseException], ...] = ()) -> Iterator[None]:
    """Turn an expected error into ``prog: error: message`` on stderr and exit 2, no traceback."""
    try:
        yield
    except (ConfigError, SearchIndexError, OSError, *expected) as error:
        message = str(error) or type(error).__name__
        print(f"{prog}: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_ERROR) from None
    except KeyboardInterrupt:
        print(f"{prog}: interrupted", file=sys.stderr)
        raise SystemExit(EXIT_INTERRUPTED) from None
