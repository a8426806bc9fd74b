"""Format readers' speed: documents a second per reader on one core, the cost of the
sandbox (the child process format libraries run in), and a mixed-format ``ingest once``.

The documents are the LibreOffice-made fixtures of ``tests/fixtures/formats`` (1-3 pages
each; README there). Each reader reads its files again and again in this process for
``--seconds`` each (one thread: one core), counted per second of this process's CPU time
(``docs/CPU-s``: what one core does, whatever else the machine runs) and of wall time;
then the same through :class:`Sandbox` (wall time: pickling, the pipe, the child); then ``--files`` copies of the fixtures, all formats mixed, go
through ``ingest.ingest_folder`` with the default settings. A script that prints figures,
not a test.

    .venv/bin/python bench/formats_speed.py                 # about 40 s
    .venv/bin/python bench/formats_speed.py --seconds 0.5 --files 200
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmain import bench_main  # noqa: E402

from ingest import ingest_folder  # noqa: E402
from ingest.formats import read_document, reader_for  # noqa: E402
from ingest.formats.sandbox import Sandbox  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "formats"
FILES = ("rapport.pdf", "orddeling.pdf", "tospalter.pdf", "rapport.docx", "rapport.odt", "rapport.epub", "rapport.rtf",
         "budsjett.xlsx", "budsjett.ods", "budsjett.csv", "budsjett.tsv")
TEXT = "date 2023-07\nSkjulte chatter?\n\n" + "Ifølge NBC har tidligere tjenestemenn holdt hemmelige samtaler. " * 60


def rate(function, seconds: float, clock=time.perf_counter) -> float:
    """Calls of ``function()`` a second of ``clock``, over about ``seconds`` of it."""
    function()  # warm: imports, first-call caches
    count, started = 0, clock()
    while (elapsed := clock() - started) < seconds:
        function()
        count += 1
    return count / elapsed


def run(argv: list[str] | None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="time per reader and file (default 2)")
    parser.add_argument("--files", type=int, default=500, help="files in the mixed ingest (default 500)")
    args = parser.parse_args(argv)
    samples = {name: (FIXTURES / name).read_bytes() for name in FILES}
    samples["notat.txt"] = TEXT.encode()

    print(f"{'file':<16} {'reader':<12} {'KB':>5} {'docs/CPU-s':>10} {'docs/s':>8} {'sandboxed':>10}")
    with Sandbox() as sandbox:
        for name, data in samples.items():
            cpu = rate(lambda: read_document(data, name), args.seconds, time.process_time)
            wall = rate(lambda: read_document(data, name), args.seconds)
            boxed = rate(lambda: sandbox.read(data, name), args.seconds)
            print(f"{name:<16} {reader_for(data, name).name:<12} {len(data) / 1024:>5.1f} {cpu:>10.0f} {wall:>8.0f} {boxed:>10.0f}")

    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "kilde"
        names = list(samples)
        for n in range(args.files):
            name = names[n % len(names)]
            target = source / f"{n // 100:03d}" / f"{n:05d}_{name}"
            target.parent.mkdir(parents=True, exist_ok=True)
            if name in FILES:
                shutil.copy(FIXTURES / name, target)
            else:
                target.write_bytes(samples[name] + f"\nDokument {n}.".encode())
        started = time.perf_counter()
        report = ingest_folder(source, Path(folder) / "index")
        seconds = time.perf_counter() - started
    print(f"\nmixed ingest once: {args.files} files ({len(names)} kinds), {report.documents} documents, "
          f"{len(report.failed)} failed, {seconds:.2f} s, {args.files / seconds:.0f} files/s")
    return 0


if __name__ == "__main__":
    sys.exit(bench_main("formats_speed", run))
