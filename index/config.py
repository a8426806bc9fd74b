"""Configuration for both commands, validated once at start-up.

Layers, later wins: ``config/default.toml`` (every key, with its default), the file given
with ``--config`` (only the keys it changes), environment variables
``NORSEARCH__SECTION__KEY`` and command-line flags. Unknown keys and bad values raise
:class:`ConfigError` naming the key, so a typo never silently falls back to a default.

The defaults are read as a resource of this package, ``index/default.toml``: in the checkout a
symlink to ``config/default.toml``, in a wheel a copy of it, so an installed ``ingest`` finds
them from any working directory.

It lives in ``index`` because both sides need it and ``index`` never imports ``ingest``.
"""

from __future__ import annotations

import math
import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

DEFAULT_FILE = files(__package__) / "default.toml"
ENV_PREFIX = "NORSEARCH__"
LOG_LEVELS = ("TRACE", "DEBUG", "INFO", "SUCCESS", "WARNING", "ERROR", "CRITICAL")


class ConfigError(ValueError):
    """A configuration file, variable or flag that cannot be used; the message names it."""


@dataclass(frozen=True)
class IngestConfig:
    source: Path
    include: tuple[str, ...]
    exclude: tuple[str, ...]
    max_file_size: int
    oversize: str
    reader_timeout: float
    reader_memory_mb: int
    follow_symlinks: str
    id_prefix: str


@dataclass(frozen=True)
class ScheduleConfig:
    interval_seconds: float
    cron: str
    misfire_grace_time: int
    watch: bool
    debounce_seconds: float


@dataclass(frozen=True)
class IndexConfig:
    path: Path
    lock_timeout: float
    writer_processes: int
    writer_memory_mb: int
    mode: int
    backend: str


@dataclass(frozen=True)
class OpenSearchConfig:
    """Where the ``opensearch`` backend keeps the documents; credentials come from the
    environment variables named by ``username_env`` and ``password_env``, never from a file."""

    hosts: tuple[str, ...]
    index: str
    shards: int
    replicas: int
    username_env: str
    password_env: str
    verify_certs: bool
    ca_certs: Path | None
    timeout_seconds: float
    bulk_batch: int
    retries: int
    retry_budget_seconds: float


@dataclass(frozen=True)
class SearchConfig:
    limit: int
    snippet_chars: int
    title_boost: float
    max_query_chars: int
    max_expansions: int
    time_budget_seconds: float
    max_analyzed_chars: int


@dataclass(frozen=True)
class ServeConfig:
    host: str
    port: int
    token: str
    public: bool
    workers: int
    threads: int
    busy_seconds: float
    max_limit: int
    max_offset: int


@dataclass(frozen=True)
class LoggingConfig:
    level: str
    json_file: Path | None
    rotation: str
    retention: int


@dataclass(frozen=True)
class Config:
    ingest: IngestConfig
    schedule: ScheduleConfig
    index: IndexConfig
    search: SearchConfig
    serve: ServeConfig
    logging: LoggingConfig
    opensearch: OpenSearchConfig


def _path(value: Any) -> Path:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("expected a non-empty path")
    return Path(value).expanduser()


def _optional_path(value: Any) -> Path | None:
    if value == "":
        return None
    return _path(value)


def _globs(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ValueError("expected a list of non-empty glob strings")
    return tuple(value)


def _some_globs(value: Any) -> tuple[str, ...]:
    """At least one glob: with none, every pass would find no files and delete everything."""
    globs = _globs(value)
    if not globs:
        raise ValueError("expected at least one glob")
    return globs


def _positive_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError("expected a positive integer")
    return value


def _non_negative_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError("expected an integer >= 0")
    return value


def _positive_number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < math.inf:
        raise ValueError("expected a positive number")
    return float(value)


def _file_mode(value: Any) -> int:
    """An octal file mode as a string (``"0600"``, ``"0640"``): read and write for the owner,
    nothing executable (folders get ``x`` where files have ``r``)."""
    try:
        mode = int(value, 8) if isinstance(value, str) else -1
    except ValueError:
        mode = -1
    if not 0 <= mode <= 0o666 or mode & 0o600 != 0o600 or mode & 0o111:
        raise ValueError('expected an octal file mode in quotes, with read and write for the owner and no x, e.g. "0600" or "0640"')
    return mode


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("expected true or false")
    return value


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("expected a string")
    return value


def _port(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 65535:
        raise ValueError("expected a port number from 0 (any free port) to 65535")
    return value


def _host(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("expected an address to listen on, e.g. 127.0.0.1")
    return value.strip()


def _one_of(*choices: str) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if value not in choices:
            raise ValueError(f"expected one of {', '.join(choices)}")
        return value

    return check


def _hosts(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(
        isinstance(v, str) and v.startswith(("http://", "https://")) for v in value
    ):
        raise ValueError("expected a non-empty list of URLs (http://host:port or https://host:port)")
    return tuple(value)


def _index_name(value: Any) -> str:
    """OpenSearch's rules for an index name: lower case, no path or wildcard characters."""
    if not isinstance(value, str) or not value or value != value.lower() or value[0] in "-_+" or any(
        c in value for c in ' "*\\<|,>/?#:'
    ):
        raise ValueError("expected an OpenSearch index name: lower case, no spaces or any of \" * \\ < | , > / ? # :")
    return value


def _id_prefix(value: Any) -> str:
    """What this ingest puts before every id it writes (``"oslo/"``), so that several ingest
    machines can feed one index without touching each other's documents."""
    if not isinstance(value, str):
        raise ValueError("expected a string")
    if value and (
        not value.endswith("/") or value.startswith("/") or ".." in value or "#" in value
        or "//" in value or any(ord(c) < 32 or c in "\\\x7f" for c in value)
    ):
        raise ValueError('expected "" or a prefix ending in "/", e.g. "oslo/" (no leading "/", no "..", "#", "//", backslash or control character)')
    return value


def _cron(value: Any) -> str:
    text = _text(value)
    if text:
        from apscheduler.triggers.cron import CronTrigger

        CronTrigger.from_crontab(text)  # raises ValueError naming the bad field
    return text


def _level(value: Any) -> str:
    if not isinstance(value, str) or value.upper() not in LOG_LEVELS:
        raise ValueError(f"expected one of {', '.join(LOG_LEVELS)}")
    return value.upper()


_SECTIONS: dict[str, tuple[type, dict[str, Callable[[Any], Any]]]] = {
    "ingest": (
        IngestConfig,
        {
            "source": _path,
            "include": _some_globs,
            "exclude": _globs,
            "max_file_size": _positive_int,
            "oversize": _one_of("skip", "truncate"),
            "reader_timeout": _positive_number,
            "reader_memory_mb": _positive_int,
            "follow_symlinks": _one_of("inside", "all", "none"),
            "id_prefix": _id_prefix,
        },
    ),
    "schedule": (
        ScheduleConfig,
        {
            "interval_seconds": _positive_number,
            "cron": _cron,
            "misfire_grace_time": _positive_int,
            "watch": _bool,
            "debounce_seconds": _positive_number,
        },
    ),
    "index": (
        IndexConfig,
        {
            "path": _path,
            "lock_timeout": _positive_number,
            "writer_processes": _positive_int,
            "writer_memory_mb": _positive_int,
            "mode": _file_mode,
            "backend": _one_of("whoosh", "opensearch"),
        },
    ),
    "search": (
        SearchConfig,
        {
            "limit": _positive_int,
            "snippet_chars": _positive_int,
            "title_boost": _positive_number,
            "max_query_chars": _positive_int,
            "max_expansions": _positive_int,
            "time_budget_seconds": _positive_number,
            "max_analyzed_chars": _positive_int,
        },
    ),
    "serve": (
        ServeConfig,
        {
            "host": _host,
            "port": _port,
            "token": _text,
            "public": _bool,
            "workers": _positive_int,
            "threads": _positive_int,
            "busy_seconds": _positive_number,
            "max_limit": _positive_int,
            "max_offset": _non_negative_int,
        },
    ),
    "logging": (
        LoggingConfig,
        {"level": _level, "json_file": _optional_path, "rotation": _text, "retention": _non_negative_int},
    ),
    "opensearch": (
        OpenSearchConfig,
        {
            "hosts": _hosts,
            "index": _index_name,
            "shards": _positive_int,
            "replicas": _non_negative_int,
            "username_env": _text,
            "password_env": _text,
            "verify_certs": _bool,
            "ca_certs": _optional_path,
            "timeout_seconds": _positive_number,
            "bulk_batch": _positive_int,
            "retries": _non_negative_int,
            "retry_budget_seconds": _positive_number,
        },
    ),
}


def _read_toml(path: Path | Traversable) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found") from None
    except OSError as error:
        raise ConfigError(f"{path}: cannot read config file ({error.strerror})") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML ({error})") from None


def _merge(base: dict[str, dict[str, Any]], layer: Mapping[str, Any], origin: str) -> None:
    """Merge one layer into ``base`` in place, refusing sections and keys that do not exist."""
    for section, values in layer.items():
        if section not in _SECTIONS:
            raise ConfigError(f"{origin}: unknown section [{section}] (known: {', '.join(_SECTIONS)})")
        if not isinstance(values, Mapping):
            raise ConfigError(f"{origin}: [{section}] must be a table of keys")
        known = _SECTIONS[section][1]
        for key, value in values.items():
            if key not in known:
                raise ConfigError(f"{origin}: unknown key {section}.{key} (known: {', '.join(known)})")
            base[section][key] = value


def _env_layer(environ: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    """Read ``NORSEARCH__SECTION__KEY=value``; the value is parsed as TOML, else kept as a string."""
    layer: dict[str, dict[str, Any]] = {}
    for name, raw in environ.items():
        if not name.startswith(ENV_PREFIX):
            continue
        parts = name[len(ENV_PREFIX) :].lower().split("__")
        if len(parts) != 2:
            raise ConfigError(f"environment variable {name}: expected {ENV_PREFIX}SECTION__KEY")
        try:
            value = tomllib.loads(f"v = {raw}")["v"]
        except tomllib.TOMLDecodeError:
            value = raw
        layer.setdefault(parts[0], {})[parts[1]] = value
    return layer


def load_config(
    path: str | Path | None = None,
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Config:
    """Build the validated configuration; ``overrides`` holds flag values (``None`` = not given)."""
    values: dict[str, dict[str, Any]] = {section: {} for section in _SECTIONS}
    _merge(values, _read_toml(DEFAULT_FILE), str(DEFAULT_FILE))
    if path is not None:
        _merge(values, _read_toml(Path(path)), str(path))
    _merge(values, _env_layer(os.environ if environ is None else environ), "environment")
    flags = {s: {k: v for k, v in keys.items() if v is not None} for s, keys in (overrides or {}).items()}
    _merge(values, flags, "command line")

    sections = {}
    for section, (cls, rules) in _SECTIONS.items():
        checked = {}
        for key, rule in rules.items():
            if key not in values[section]:
                raise ConfigError(f"{DEFAULT_FILE}: missing key {section}.{key}")
            try:
                checked[key] = rule(values[section][key])
            except ValueError as error:
                raise ConfigError(f"{section}.{key} = {values[section][key]!r}: {error}") from None
        sections[section] = cls(**checked)
    return Config(**sections)
