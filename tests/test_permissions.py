"""The index holds every document's text: its folder is 0700 and its files 0600 (or what
``index.mode`` says), whatever the umask, and so is the JSON log."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from index import Document, IndexWriter
from index.config import ConfigError, load_config
from index.permissions import folder_mode
from index.whoosh.storage import PrivateStorage

from .test_cli import ingest, make_source, search


@contextmanager
def umask(mask: int) -> Iterator[None]:
    """The umask of a service started by root (0022): everything readable by everyone by default."""
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def modes(folder: Path) -> dict[str, int]:
    """The permission bits of ``folder`` (as ``.``) and of everything in it."""
    found = {".": stat.S_IMODE(folder.stat().st_mode)}
    for path in folder.rglob("*"):
        found[str(path.relative_to(folder))] = stat.S_IMODE(path.lstat().st_mode)
    return found


def test_a_folder_gets_x_where_its_files_have_r():
    assert [folder_mode(m) for m in (0o600, 0o640, 0o644, 0o660)] == [0o700, 0o750, 0o755, 0o770]


def test_whoosh_creates_files_and_temporary_folders_with_the_mode(tmp_path):
    """Before any sweep: each file Whoosh makes (writing processes, lock, temporary folders)."""
    with umask(0o022):
        storage = PrivateStorage(tmp_path / "index", 0o640).create()
        storage.create_file("MAIN_x.pst").close()
        storage.lock("MAIN_WRITELOCK").acquire()
        temporary = storage.temp_storage()
        temporary.create_file("run.0").close()
    assert modes(tmp_path / "index") == {
        ".": 0o750,
        "MAIN_x.pst": 0o640,
        "MAIN_WRITELOCK": 0o640,
        Path(temporary.folder).name: 0o750,
        f"{Path(temporary.folder).name}/run.0": 0o640,
    }


@pytest.mark.parametrize("processes", [1, 2])
def test_an_index_written_under_umask_0022_is_private(tmp_path, processes):
    index = tmp_path / "index"
    with umask(0o022):
        with IndexWriter(index, processes=processes) as writer:
            for number in range(40):
                writer.upsert(Document(id=f"{number}.txt", path=f"/d/{number}.txt", title="Fred", text=f"Fred nummer {number}"))
            writer.checkpoint()
            writer.upsert(Document(id="siste.txt", path="/d/siste.txt", title="Siste", text="Den siste teksten."))
    found = modes(index)
    assert found.pop(".") == 0o700
    assert len(found) > 8 and set(found.values()) == {0o600}, found


def test_ingest_and_its_log_are_private_and_index_mode_is_honoured(tmp_path):
    source = make_source(tmp_path / "source")
    index, log = tmp_path / "index", tmp_path / "logs" / "ingest.jsonl"
    config = tmp_path / "config.toml"
    config.write_text(f'[logging]\njson_file = "{log}"\n')
    with umask(0o022):
        result = ingest(tmp_path, "once", "--source", source, "--index", index, "--config", config)
        assert result.returncode == 0, result.stderr
        found = modes(index)
        assert found.pop(".") == 0o700 and set(found.values()) == {0o600}, found
        assert "ingest-state.sqlite" in found and "norsearch.lock" in found
        assert stat.S_IMODE(log.stat().st_mode) == 0o600

        # An index made by another version (files 0644) is made private by the next pass;
        # and index.mode makes a group-readable one, for a search service in that group.
        for path in index.iterdir():
            path.chmod(0o644)
        config.write_text('[index]\nmode = "0640"\n')
        assert ingest(tmp_path, "once", "--source", source, "--index", index, "--config", config).returncode == 0
        found = modes(index)
        assert found.pop(".") == 0o750 and set(found.values()) == {0o640}, found
        assert search(tmp_path, "samtaler", "--index", index).returncode == 0


@pytest.mark.parametrize("mode", ["0644x", "0400", "0700", "0777", "1600", 600])
def test_a_bad_index_mode_is_a_config_error_naming_the_key(mode):
    with pytest.raises(ConfigError, match="index.mode"):
        load_config(environ={"NORSEARCH__INDEX__MODE": repr(mode) if isinstance(mode, str) else str(mode)})
