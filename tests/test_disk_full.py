"""A disk that fills during a pass (issue 16): one line, exit 2, no temporary files left, the
last commit intact, and the next pass, with room again, completes. On a real small file
system (a tmpfs: root only; CI runs as root)."""

from __future__ import annotations

import json
import random
import subprocess
from pathlib import Path

import pytest

from .smalldisk import small_disk
from .test_cli import assert_one_line_error, ingest
from .test_pipeline import write

WORDS = ("ferje", "bompenger", "kommunestyret", "budsjett", "Bergen", "Tromsø", "fylkeskommunen", "vedtak",
         "utredning", "sykehus", "skole", "veien", "havn", "fiskeri", "bolig", "strøm")  # fmt: skip


def _documents(folder: Path, count: int, seed: int) -> None:
    """``count`` documents of varied words (``ferje1234``: many distinct terms, a large index)."""
    rng = random.Random(seed)
    for i in range(count):
        text = " ".join(f"{rng.choice(WORDS)}{rng.randint(0, 9999)}" for _ in range(1000))
        write(folder, f"saker/{seed}-{i:03d}.txt", f"Sak {i} om ferjene\n\n{text}\n")


def _index_files(index: Path) -> set[str]:
    return {p.name for p in index.iterdir() if p.name not in ("ingest-state.sqlite", "norsearch.lock")}


@pytest.mark.slow
@pytest.mark.parametrize("processes", [1, 2])
def test_a_full_disk_is_one_line_and_leaves_the_last_commit(tmp_path, processes):
    source = tmp_path / "kilde"
    _documents(source, 5, seed=1)
    config = tmp_path / "norsearch.toml"
    config.write_text(f"[index]\nwriter_processes = {processes}\n")
    with small_disk(tmp_path / "disk", "2m") as disk:
        index = disk / "indeks"
        first = ingest(tmp_path, "once", "--json", "--config", config, "--source", source, "--index", index)
        assert first.returncode == 0, first.stderr
        committed = _index_files(index)

        _documents(source, 40, seed=2)  # an index of some 4 MB: it cannot fit
        full = ingest(tmp_path, "once", "--config", config, "--source", source, "--index", index)
        line = assert_one_line_error(full, "ingest")
        assert "No space left on device" in line
        assert _index_files(index) == committed  # no MAIN.tmp, no segment of the failed pass
        status = ingest(tmp_path, "status", "--json", "--index", index)
        assert json.loads(status.stdout)["documents"] == 5  # the last commit, whole

        subprocess.run(["mount", "-o", "remount,size=64m", str(disk)], check=True)
        again = ingest(tmp_path, "once", "--json", "--config", config, "--source", source, "--index", index)
        assert again.returncode == 0, again.stderr
        report = json.loads(again.stdout)
        assert (report["added"], report["documents"]) == (40, 45)
