"""``ingest run``: file changes bring a pass within seconds; ``status`` names the next pass."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
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


@pytest.mark.slow
def test_run_says_what_it_does_in_one_line_then_one_line_per_pass_and_warns_of_failed_files(sample_folder, tmp_path):
    """No scheduler chatter (APScheduler's job messages are DEBUG): only what a person watching needs."""
    (sample_folder / "bilde.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    index = tmp_path / "index"
    env = {k: v for k, v in os.environ.items() if not k.startswith("NORSEARCH__")}
    process = subprocess.Popen(
        [sys.executable, "-m", "ingest.cli", "run", "--source", str(sample_folder), "--index", str(index), "--interval", "1"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path,
    )
    killer = threading.Timer(60, process.kill)
    killer.start()
    lines: list[str] = []
    try:
        for line in process.stderr:
            lines.append(line.rstrip("\n"))
            if sum("pass done" in line for line in lines) == 2:
                break
        process.send_signal(signal.SIGTERM)
        rest = process.communicate(timeout=30)[1]
    finally:
        killer.cancel()
        process.kill()
    lines += rest.splitlines()
    assert process.returncode == 0, lines

    assert lines[0] == f"INFO    keeping index {index} in step with {sample_folder}: a pass now, then every 1 s and soon after files change"
    passes = [line for line in lines if line.startswith("INFO    pass done: ")]
    assert len(passes) >= 2 and passes[0].startswith("INFO    pass done: 1 added, 0 updated, 0 deleted, 0 unchanged, 1 failed")
    warnings = [line for line in lines if line.startswith("WARNING ")]
    assert warnings and set(warnings) == {f"WARNING {sample_folder / 'bilde.txt'}: binary file of no supported format (contains NUL bytes)"}
    the_rest = [line for line in lines[1:] if line not in passes and line not in warnings]
    assert the_rest == ["INFO    SIGTERM received: finishing the pass in flight, then stopping", "INFO    stopped"]
