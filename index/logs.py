"""Logging for both commands: loguru to stderr, optionally a rotated JSON-lines file (0600:
log lines name files and what went wrong with them), and the standard-library logs of Whoosh
and APScheduler routed into loguru. Every message is made printable first
(:func:`index.console.printable`): a file name holding ESC or a newline can neither command
the terminal nor forge a log line."""

from __future__ import annotations

import logging
import sys

from loguru import logger

from .config import ConfigError, LoggingConfig
from .permissions import DEFAULT_FILE_MODE, open_file
from .console import printable

STDLIB_LOGGERS = ("whoosh", "apscheduler", "uvicorn")
# APScheduler tells at INFO of every job it adds, runs and finishes ("Adding job tentatively",
# "Running job", "executed successfully"): chatter beside `ingest run`'s own line per pass, so
# it is logged at DEBUG. Its warnings (a pass skipped or late) stay warnings.
CHATTY_LOGGERS = ("apscheduler",)


class InterceptHandler(logging.Handler):
    """Hand a standard-library log record to loguru, keeping its origin and its level
    (below WARNING, DEBUG when ``chatty``)."""

    def __init__(self, chatty: bool = False) -> None:
        super().__init__()
        self.chatty = chatty

    def emit(self, record: logging.LogRecord) -> None:
        try:
            level: str | int = logger.level(record.levelname).name
        except ValueError:
            level = record.levelno
        if self.chatty and record.levelno < logging.WARNING:
            level = "DEBUG"
        logger.opt(exception=record.exc_info, depth=6).log(level, "{}: {}", record.name, record.getMessage())


def _private(path: str, flags: int) -> int:
    return open_file(path, flags, DEFAULT_FILE_MODE)


def _printable_message(record: dict) -> None:
    record["message"] = printable(record["message"])


def setup_logging(config: LoggingConfig) -> None:
    """Send logs at ``config.level`` and above to stderr (and the JSON file if configured)."""
    logger.remove()
    logger.configure(patcher=_printable_message)
    logger.add(sys.stderr, level=config.level, format="<level>{level: <7}</level> {message}", colorize=None)
    if config.json_file is not None:
        config.json_file.parent.mkdir(parents=True, exist_ok=True)
        try:
            logger.add(
                config.json_file,
                level=config.level,
                serialize=True,
                rotation=config.rotation,
                retention=config.retention,
                encoding="utf-8",
                opener=_private,  # each file loguru opens, the rotated ones too
            )
        except ValueError as error:
            raise ConfigError(f"logging.rotation = {config.rotation!r}: {error}") from None
    verbose = config.level in ("TRACE", "DEBUG")
    for name in STDLIB_LOGGERS:
        chatty = name in CHATTY_LOGGERS
        stdlib = logging.getLogger(name)
        stdlib.handlers = [InterceptHandler(chatty)]
        stdlib.setLevel(logging.DEBUG if verbose else logging.WARNING if chatty else logging.INFO)
        stdlib.propagate = False
