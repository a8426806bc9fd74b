"""The ``ingest`` command: ``once``, ``run`` and ``status``, each a few lines over the library."""

from __future__ import annotations

import argparse
import sys

from index.config import Config, load_config
from index.console import EXIT_NOTHING_FOUND, EXIT_OK, VersionAction, cli_errors, json_text, printable
from index.errors import IndexNotFoundError
from index.logs import setup_logging

from .pipeline import SourceNotFoundError, ingest_folder


class ProgressBar:
    """Files done, rate and time left on stderr; created on the first file, when the total is known."""

    def __init__(self) -> None:
        self._bar = None  # a tqdm bar; tqdm is imported with the first file (only on a terminal)

    def __call__(self, total: int) -> None:
        if self._bar is None:
            from tqdm import tqdm

            self._bar = tqdm(total=total, unit="file", file=sys.stderr, dynamic_ncols=True, leave=False)
        self._bar.update(1)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


def _config(args: argparse.Namespace) -> Config:
    overrides = {
        "ingest": {"source": getattr(args, "source", None)},
        "index": {"path": args.index},
    }
    config = load_config(args.config, overrides)
    setup_logging(config.logging)
    return config


def cmd_once(args: argparse.Namespace) -> int:
    config = _config(args)
    progress = ProgressBar() if sys.stderr.isatty() and not args.json else None
    try:
        report = ingest_folder(
            config.ingest.source,
            config.index.path,
            config.ingest,
            lock_timeout=config.index.lock_timeout,
            writer_processes=config.index.writer_processes,
            writer_memory_mb=config.index.writer_memory_mb,
            index_mode=config.index.mode,
            on_file=progress,
            settings=config,
        )
    finally:
        if progress:
            progress.close()
    if args.json:
        print(json_text(report.to_json()))
    else:
        print(report.summary())
        for failure in report.failed:
            print(f"failed: {printable(failure.path)}: {printable(failure.error)}")
    return EXIT_OK


# `run` and `status` import their modules when called: `ingest once` (the common command, and
# the no-op pass on an unchanged folder) need not load the scheduler or the searching code.


def cmd_run(args: argparse.Namespace) -> int:
    from .schedule import run_scheduled

    run_scheduled(_config(args), args.interval)
    return EXIT_OK


def cmd_status(args: argparse.Namespace) -> int:
    from index.status import index_status

    config = _config(args)
    status = index_status(config.index.path, config)
    if args.json:
        print(json_text(status))
    else:
        print(f"index: {printable(status['index'])}")
        print(f"documents: {status['documents']}")
        last = status["last_pass"]
        if last:
            print(f"last pass: {last['started_at']}, {last['seconds']:.2f} s: {last['added']} added, "
                  f"{last['updated']} updated, {last['deleted']} deleted, {last['unchanged']} unchanged, "
                  f"{len(last['failed'])} failed")
            for failure in last["failed"]:
                print(f"failed: {printable(failure['path'])}: {printable(failure['error'])}")
        next_pass = status["next_pass"]
        print(f"next pass: {next_pass['at']} (ingest run, pid {next_pass['pid']})" if next_pass else "next pass: no `ingest run` is running")
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    from .verify import verify_folder

    config = _config(args)
    report = verify_folder(config.ingest.source, config.index.path, config.ingest)
    if args.json:
        print(json_text(report.to_json()))
    else:
        print(report.summary())
        for name in ("stale", "pending", "failed", "excluded"):
            for entry in getattr(report, name):
                print(f"{name}: {printable(entry.id)}: {printable(entry.reason)}")
        for name in ("missing", "orphans"):
            for doc_id in getattr(report, name):
                print(f"{name}: {printable(doc_id)}: no reason (a bug)")
        for line in report.index_problems:
            print(f"index: {printable(line)}")
        for line in report.notes:
            print(f"note: {printable(line)}")
    return EXIT_OK if report.accounted_for else EXIT_NOTHING_FOUND


def positive_seconds(text: str) -> float:
    """argparse type of ``--interval``: a positive number of seconds."""
    try:
        seconds = float(text)
    except ValueError:
        seconds = 0.0
    if not 0 < seconds < float("inf"):
        raise argparse.ArgumentTypeError(f"expected a positive number of seconds, got {text!r}")
    return seconds


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ingest", description="Keep the Norwegian search index in step with a folder.")
    parser.add_argument("--version", action=VersionAction)
    commands = parser.add_subparsers(dest="command", required=True)

    def command(name: str, help: str, source: bool = True) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help, description=help)
        sub.add_argument("--config", help="TOML file with settings to override config/default.toml")
        if source:
            sub.add_argument("--source", help="folder to ingest (default: ingest.source from the config)")
        sub.add_argument("--index", help="index folder (default: index.path from the config)")
        return sub

    once = command("once", "Run one pass: add, update and delete documents, then exit.")
    once.add_argument("--json", action="store_true", help="print the report as JSON")
    once.set_defaults(handler=cmd_once)
    run = command("run", "Run a pass now, then on the schedule, until SIGINT or SIGTERM.")
    run.add_argument("--interval", type=positive_seconds, help="seconds between passes (overrides the schedule)")
    run.set_defaults(handler=cmd_run)
    status = command("status", "Show the index and what the last pass did.", source=False)
    status.add_argument("--json", action="store_true", help="print the status as JSON")
    status.set_defaults(handler=cmd_status)
    verify = command("verify", "Account for every file of the folder against the index; change nothing. "
                     "Exit 0: all accounted for, 1: not, 2: an error.")
    verify.add_argument("--json", action="store_true", help="print the report as JSON")
    verify.set_defaults(handler=cmd_verify)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    with cli_errors("ingest", expected=(SourceNotFoundError, IndexNotFoundError)):
        return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
