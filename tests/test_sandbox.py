"""The child process format libraries run in: a library that hangs, crashes, raises or eats
memory costs one file, with a one-line reason, and the next file is read as usual."""

from __future__ import annotations

import os
import time

import pytest

from ingest.formats import UnreadableError
from ingest.formats.sandbox import Sandbox


@pytest.fixture
def sandbox():
    with Sandbox(timeout=1.0, memory_mb=512) as box:
        yield box


def test_a_call_that_hangs_is_stopped_and_the_next_call_works(sandbox):
    started = time.monotonic()
    with pytest.raises(UnreadableError, match=r"took longer than 1 s \(ingest.reader_timeout\); stopped"):
        sandbox.call(time.sleep, 30)
    assert time.monotonic() - started < 3
    assert sandbox.call(len, "blåbær".encode()) == 8


def test_a_crash_is_one_line_and_the_next_call_works(sandbox):
    with pytest.raises(UnreadableError, match=r"the format library crashed \(SIGABRT\)"):
        sandbox.call(os.abort)
    assert sandbox.call(str.upper, "ærfugl") == "ÆRFUGL"


def test_an_unexpected_exception_is_one_line(sandbox):
    with pytest.raises(UnreadableError, match=r"the format library failed \(ValueError: invalid literal"):
        sandbox.call(int, "tjue")


def test_memory_is_bounded(sandbox):
    with pytest.raises(UnreadableError, match="needs more memory than ingest.reader_memory_mb allows"):
        sandbox.call(bytearray, 2_000_000_000)
    assert sandbox.call(len, "fortsatt i live") == 15


def test_plain_text_is_read_in_process_and_the_child_only_starts_for_other_formats(sandbox):
    [doc] = sandbox.read("date 2023-07\nFjellvettreglene gjelder.".encode(), "regler.txt")
    assert doc.text == "Fjellvettreglene gjelder." and doc.date.iso() == "2023-07"
    assert sandbox._child is None
