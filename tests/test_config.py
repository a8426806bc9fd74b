"""``index.config.load_config``: the layers (defaults, --config file, environment, flags),
and errors that name the key, the variable or the file."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from index.config import DEFAULT_FILE, ConfigError, load_config


def toml(tmp_path: Path, text: str, name: str = "norsearch.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def defaults():
    return load_config(environ={})


# --- defaults --------------------------------------------------------------------------


def test_defaults_load(defaults):
    assert defaults.ingest.source == Path("seeds")
    assert defaults.ingest.include[:2] == ("*.txt", "*.md") and "*.pdf" in defaults.ingest.include and "*.mbox" in defaults.ingest.include
    assert defaults.ingest.reader_timeout == 30 and defaults.ingest.reader_memory_mb == 1024
    assert defaults.ingest.exclude == (".*", "*~", "*.tmp")
    assert defaults.ingest.max_file_size == 20_000_000
    assert defaults.schedule.interval_seconds == 300.0 and defaults.schedule.cron == ""
    assert defaults.schedule.misfire_grace_time == 60
    assert defaults.index.path == Path("var/index") and defaults.index.lock_timeout == 30.0
    assert defaults.search.limit == 10 and defaults.search.snippet_chars == 300
    assert defaults.search.title_boost == 0.5
    assert defaults.logging.level == "INFO" and defaults.logging.json_file is None
    assert defaults.logging.rotation == "10 MB" and defaults.logging.retention == 5


def test_the_packaged_defaults_are_config_default_toml_itself():
    """One source of truth: index/default.toml (what the wheel ships) links to config/default.toml."""
    root = Path(__file__).resolve().parents[1]
    assert (root / "index" / "default.toml").is_symlink()
    assert Path(str(DEFAULT_FILE)).resolve() == root / "config" / "default.toml"


def test_environ_argument_replaces_the_process_environment(monkeypatch):
    monkeypatch.setenv("NORSEARCH__SEARCH__LIMIT", "99")
    assert load_config(environ={}).search.limit == 10
    assert load_config().search.limit == 99  # environ=None reads os.environ


# --- --config file ---------------------------------------------------------------------


def test_config_file_overrides_only_its_keys(tmp_path, defaults):
    path = toml(tmp_path, '[search]\nlimit = 3\n\n[ingest]\nsource = "/srv/nyheter"\n')
    config = load_config(path, environ={})
    assert config.search == dataclasses.replace(defaults.search, limit=3)
    assert config.ingest == dataclasses.replace(defaults.ingest, source=Path("/srv/nyheter"))
    assert config.schedule == defaults.schedule
    assert config.index == defaults.index
    assert config.logging == defaults.logging


def test_config_file_as_string_path(tmp_path):
    path = toml(tmp_path, '[logging]\nlevel = "debug"\njson_file = "logg/norsearch.jsonl"\n')
    config = load_config(str(path), environ={})
    assert config.logging.level == "DEBUG"  # normalised to upper case
    assert config.logging.json_file == Path("logg/norsearch.jsonl")


def test_valid_cron_is_accepted(tmp_path):
    assert load_config(toml(tmp_path, '[schedule]\ncron = "*/10 * * * *"\n'), environ={}).schedule.cron == "*/10 * * * *"


def test_empty_config_file_changes_nothing(tmp_path, defaults):
    assert load_config(toml(tmp_path, "# ingenting her\n"), environ={}) == defaults


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("[serach]\nlimit = 3\n", "[serach]"),
        ('["søk"]\nlimit = 3\n', "[søk]"),
        ("[search]\nlimt = 3\n", "search.limt"),
        ("[ingest]\nkilde = \"dokumenter\"\n", "ingest.kilde"),
        ("limit = 3\n", "[limit]"),
        ("search = 3\n", "[search] must be a table"),
    ],
)
def test_unknown_section_or_key_is_refused(tmp_path, text, named):
    path = toml(tmp_path, text)
    with pytest.raises(ConfigError) as error:
        load_config(path, environ={})
    assert named in str(error.value)
    assert str(path) in str(error.value)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("[search]\nlimit = -3\n", "search.limit"),
        ("[search]\nlimit = 0\n", "search.limit"),
        ("[search]\nlimit = \"ti\"\n", "search.limit"),
        ("[search]\nlimit = 2.5\n", "search.limit"),
        ("[search]\nlimit = true\n", "search.limit"),
        ("[search]\ntitle_boost = 0\n", "search.title_boost"),
        ("[search]\ntitle_boost = nan\n", "search.title_boost"),
        ("[schedule]\ncron = \"* * *\"\n", "schedule.cron"),
        ("[schedule]\ncron = \"61 * * * *\"\n", "schedule.cron"),
        ("[schedule]\ninterval_seconds = -1\n", "schedule.interval_seconds"),
        ("[logging]\nlevel = \"VERBOSE\"\n", "logging.level"),
        ("[logging]\nlevel = 3\n", "logging.level"),
        ("[logging]\nretention = -1\n", "logging.retention"),
        ("[ingest]\ninclude = \"*.txt\"\n", "ingest.include"),
        ("[ingest]\nexclude = [\"\"]\n", "ingest.exclude"),
        ("[ingest]\nsource = \"\"\n", "ingest.source"),
        ("[ingest]\nmax_file_size = \"20 MB\"\n", "ingest.max_file_size"),
        ("[index]\nlock_timeout = \"lenge\"\n", "index.lock_timeout"),
        ("[ingest]\nid_prefix = \"oslo\"\n", "ingest.id_prefix"),
        ("[ingest]\nid_prefix = \"/oslo/\"\n", "ingest.id_prefix"),
        ("[ingest]\nid_prefix = \"oslo/../bergen/\"\n", "ingest.id_prefix"),
        ("[ingest]\nid_prefix = \"oslo#1/\"\n", "ingest.id_prefix"),
        ("[ingest]\nid_prefix = \"oslo//\"\n", "ingest.id_prefix"),
        ("[ingest]\nid_prefix = 3\n", "ingest.id_prefix"),
        ("[opensearch]\nretry_budget_seconds = 0\n", "opensearch.retry_budget_seconds"),
        ("[opensearch]\nretry_budget_seconds = \"ett minutt\"\n", "opensearch.retry_budget_seconds"),
    ],
)
def test_bad_value_names_the_key(tmp_path, text, key):
    with pytest.raises(ConfigError, match="^" + re.escape(key) + " = "):
        load_config(toml(tmp_path, text), environ={})


def test_bad_cron_message_says_what_is_wrong(tmp_path):
    with pytest.raises(ConfigError, match=r"schedule\.cron = '\* \* \*'.*(fields|5)"):
        load_config(toml(tmp_path, '[schedule]\ncron = "* * *"\n'), environ={})


def test_log_level_message_lists_the_levels(tmp_path):
    with pytest.raises(ConfigError, match="DEBUG, INFO"):
        load_config(toml(tmp_path, '[logging]\nlevel = "VERBOSE"\n'), environ={})


def test_zero_retention_is_allowed(tmp_path):
    assert load_config(toml(tmp_path, "[logging]\nretention = 0\n"), environ={}).logging.retention == 0


def test_invalid_toml_names_the_file(tmp_path):
    path = toml(tmp_path, "[search\nlimit = 3\n", name="ødelagt.toml")
    with pytest.raises(ConfigError, match="not valid TOML") as error:
        load_config(path, environ={})
    assert str(path) in str(error.value)
    assert "line 1" in str(error.value)


def test_missing_config_file_names_the_file(tmp_path):
    missing = tmp_path / "finnes-ikke.toml"
    with pytest.raises(ConfigError, match="not found") as error:
        load_config(missing, environ={})
    assert str(missing) in str(error.value)


def test_config_error_is_a_value_error():
    assert issubclass(ConfigError, ValueError)


# --- environment -----------------------------------------------------------------------


def test_environment_overrides(defaults):
    config = load_config(environ={"NORSEARCH__SEARCH__LIMIT": "5"})
    assert config.search.limit == 5
    assert config.search.snippet_chars == defaults.search.snippet_chars


def test_environment_values_are_toml_or_bare_strings():
    config = load_config(
        environ={
            "NORSEARCH__INGEST__SOURCE": "/srv/dokumenter/nyheter",  # bare string
            "NORSEARCH__INGEST__INCLUDE": '["*.tekst", "*.txt"]',  # a TOML list
            "NORSEARCH__SEARCH__TITLE_BOOST": "3.5",
            "NORSEARCH__LOGGING__ROTATION": "1 week",
            "NORSEARCH__SCHEDULE__CRON": "0 6 * * 1-5",
            "NORSEARCH__LOGGING__JSON_FILE": "",
            "PATH": "/usr/bin",  # not ours: ignored
        }
    )
    assert config.ingest.source == Path("/srv/dokumenter/nyheter")
    assert config.ingest.include == ("*.tekst", "*.txt")
    assert config.search.title_boost == 3.5
    assert config.logging.rotation == "1 week"
    assert config.schedule.cron == "0 6 * * 1-5"
    assert config.logging.json_file is None


def test_environment_wins_over_config_file(tmp_path):
    path = toml(tmp_path, "[search]\nlimit = 3\nsnippet_chars = 120\n")
    config = load_config(path, environ={"NORSEARCH__SEARCH__LIMIT": "5"})
    assert config.search.limit == 5
    assert config.search.snippet_chars == 120


def test_environment_names_are_case_insensitive_after_the_prefix():
    assert load_config(environ={"NORSEARCH__search__limit": "7"}).search.limit == 7


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        ({"NORSEARCH__SEARCH__LIMIT": "0"}, "search.limit"),
        ({"NORSEARCH__SEARCH__LIMIT": "fem"}, "search.limit"),
        ({"NORSEARCH__SEARCH__LIMT": "5"}, "search.limt"),
        ({"NORSEARCH__SØK__LIMIT": "5"}, "[søk]"),
        ({"NORSEARCH__SEARCH": "5"}, "NORSEARCH__SEARCH"),
        ({"NORSEARCH__SEARCH__LIMIT__X": "5"}, "NORSEARCH__SEARCH__LIMIT__X"),
    ],
)
def test_bad_environment_variable_is_named(environ, named):
    with pytest.raises(ConfigError) as error:
        load_config(environ=environ)
    assert named in str(error.value)


# --- flags -----------------------------------------------------------------------------


def test_flags_win_over_environment_and_file(tmp_path):
    path = toml(tmp_path, "[search]\nlimit = 3\n")
    config = load_config(
        path,
        overrides={"search": {"limit": 7}, "ingest": {"source": "/tmp/kilde"}},
        environ={"NORSEARCH__SEARCH__LIMIT": "5", "NORSEARCH__INGEST__SOURCE": "/srv/dokumenter"},
    )
    assert config.search.limit == 7
    assert config.ingest.source == Path("/tmp/kilde")


def test_none_flag_means_not_given(tmp_path):
    path = toml(tmp_path, "[index]\npath = \"/data/indeks\"\n")
    config = load_config(
        path,
        overrides={"search": {"limit": None, "snippet_chars": 80}, "index": {"path": None}},
        environ={"NORSEARCH__SEARCH__LIMIT": "5"},
    )
    assert config.search.limit == 5  # from the environment, not erased by None
    assert config.search.snippet_chars == 80
    assert config.index.path == Path("/data/indeks")  # from the file


def test_bad_flag_value_and_unknown_flag_are_named():
    with pytest.raises(ConfigError, match=r"^search\.limit = 0"):
        load_config(overrides={"search": {"limit": 0}}, environ={})
    with pytest.raises(ConfigError, match=r"command line: unknown key search\.grense"):
        load_config(overrides={"search": {"grense": 3}}, environ={})


def test_interval_flag_takes_a_float():
    assert load_config(overrides={"schedule": {"interval_seconds": 0.5}}, environ={}).schedule.interval_seconds == 0.5


def test_an_empty_include_list_is_refused():
    """With no include glob a pass finds no files, and would delete every document."""
    with pytest.raises(ConfigError, match="ingest.include"):
        load_config(overrides={"ingest": {"include": []}}, environ={})


@pytest.mark.parametrize("value", ["inf", "nan"])
def test_infinite_numbers_are_refused(value):
    with pytest.raises(ConfigError, match="search.title_boost"):
        load_config(environ={"NORSEARCH__SEARCH__TITLE_BOOST": value})


@pytest.mark.parametrize("prefix", ["", "oslo/", "vest/bergen/", "tromsø/"])
def test_good_id_prefixes_are_taken(tmp_path, prefix):
    config = load_config(toml(tmp_path, f'[ingest]\nid_prefix = "{prefix}"\n'), environ={})
    assert config.ingest.id_prefix == prefix
