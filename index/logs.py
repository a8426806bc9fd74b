"""Logging for both commands: loguru to stderr, optionally a rotated JSON-lines file, and
the standard-library logs of Whoosh and APScheduler routed into loguru. Every message is
made printable first (:func:`index.console.printable`): a file name holding ESC or a
newline can neither command the terminal nor forge a log line."""

from __future__ import annotations

import logging
import sys

from loguru import logger

from .config import ConfigError, LoggingConfig
from .console import printable

STDLIB_LOGGERS = ("whoosh", "apscheduler")


class InterceptHandler(logging.Handler):
    """Hand a standard-library log record to loguru, keeping its level and origin."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            level: str | int = logger.level(record.levelname).name
        except ValueError:
            level = record.levelno
        logger.opt(exception=record.exc_info, depth=6).log(level, "{}: {}", record.name, record.getMessage())


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
            )
        except ValueError as error:
            raise ConfigError(f"logging.rotation = {config.rotation!r}: {error}") from None
    handler = InterceptHandler()
    for name in STDLIB_LOGGERS:
        stdlib = logging.getLogger(name)
        stdlib.handlers = [handler]
        stdlib.setLevel(logging.DEBUG if config.level in ("TRACE", "DEBUG") else logging.INFO)
        stdlib.propagate = False
