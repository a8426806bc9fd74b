"""``ingest run``: file changes bring a pass within seconds; ``status`` names the next pass."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from index import open_index


def wait_for(condition, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def found(index: Path, word: str) -> bool:
    try:
        with open_index(index) as ix:
            return ix.search(word).total > 0
    except Exception:  # noqa: BLE001 - not built yet
        return False


@pytest.mark.slow
def test_a_new_file_is_indexed_soon_without_waiting_for_the_schedule(sample_folder, tmp_path):
    index = tmp_path / "index"
    process = subprocess.Popen(
        [sys.executable, "-m", "ingest.cli", "run", "--source", str(sample_folder), "--index", str(index),
         "--interval", "3600"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert wait_for(lambda: found(index, "samtale")), "first pass did not happen"
        status = subprocess.run(
            [sys.executable, "-m", "ingest.cli", "status", "--index", str(index), "--json"],
            capture_output=True, text=True, timeout=30,
        )
        next_pass = json.loads(status.stdout)["next_pass"]
        assert next_pass["pid"] == process.pid

        (sample_folder / "ny").mkdir()
        (sample_folder / "ny" / "nyhet.txt").write_text("Dato: 2. mai 2024\nFergen til Kvitsøy er i rute igjen.")
        assert wait_for(lambda: found(index, "Kvitsøy"), timeout=15), "the change was not picked up"
        (sample_folder / "ny" / "nyhet.txt").unlink()
        assert wait_for(lambda: not found(index, "Kvitsøy"), timeout=15), "the deletion was not picked up"
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "Traceback" not in err
