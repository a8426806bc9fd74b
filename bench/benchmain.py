"""What every benchmark script shares: a one-line error for problems the user can fix,
temporary folders removed on SIGTERM too, and exit codes (0 done, 2 error, 130 stopped)."""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Callable


class BenchError(Exception):
    """A problem the user can fix (missing data, missing package); printed as one line."""


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt  # so that SIGTERM, too, unwinds and removes temporary folders


def bench_main(name: str, run: Callable[[list[str] | None], int], argv: list[str] | None = None) -> int:
    """Run a benchmark's ``run(argv)``, turning its expected failures into exit codes."""
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        return run(argv)
    except BenchError as error:
        print(f"{name}: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{name}: interrupted", file=sys.stderr)
        return 130


def chosen_systems(parser: argparse.ArgumentParser, text: str, known: tuple[str, ...]) -> list[str]:
    """The systems named in ``--systems`` (comma-separated), or a usage error naming the unknown ones."""
    systems = [s.strip() for s in text.split(",") if s.strip()]
    unknown = [s for s in systems if s not in known]
    if unknown or not systems:
        parser.error(f"--systems: unknown {', '.join(unknown) or '(none given)'}; choose from {', '.join(known)}")
    return systems
