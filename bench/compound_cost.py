"""What decompounding costs a search: the CPU time of ours' search with snippets, with the
compounds that begin with a word and the parts of a compound searched for (as shipped), without
the first, and without either (both look-ups of ``index.analysis.compounds`` replaced by ones
that find nothing), on a kept index of bench/search_speed.py. A script that prints figures,
not a test; see bench/README.md.

    .venv/bin/python bench/compound_cost.py --index /tmp/speed100k --queries 400
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

import search_speed  # bench/ is on the path of a script run from it

import index.analysis.compounds as compounds
from index import open_index

HERE = Path(__file__).resolve().parent
VARIANTS = ("as shipped", "no compounds beginning with a word", "no decompounding")


def measure(index_dir: Path, data: Path, queries: int, variant: str) -> list[float]:
    """CPU seconds per query of one variant, after 5 warm-up queries."""
    if variant != VARIANTS[0]:
        compounds.compounds_beginning_with = lambda *args: []
    if variant == VARIANTS[2]:
        compounds.parts_of = lambda *args: ()
    chosen, _ = search_speed.load_queries(data, queries)
    with open_index(index_dir) as ix:
        for query in chosen[:5]:
            [hit.snippet.plain() for hit in ix.search(query.text, limit=10)]
        seconds = []
        for query in chosen:
            start = time.process_time()
            [hit.snippet.plain() for hit in ix.search(query.text, limit=10)]
            seconds.append(time.process_time() - start)
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=Path, required=True, help="a folder kept by bench/search_speed.py --index")
    parser.add_argument("--data", type=Path, default=HERE.parent.parent / "shared" / "data")
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--variant", choices=VARIANTS, help=argparse.SUPPRESS)  # one variant, in a child process
    args = parser.parse_args()
    if args.variant:
        print(" ".join(repr(s) for s in measure(args.index / "ours", args.data, args.queries, args.variant)))
        return 0
    print(f"compound_cost.py: {args.queries} queries of bench/search_speed.py on {args.index / 'ours'}, CPU ms per query")
    print(f"{'variant':36}  p50     p95     mean")
    for variant in VARIANTS:  # each in a fresh process: the replaced look-ups stay in that one
        out = subprocess.run(
            [sys.executable, __file__, "--index", str(args.index), "--data", str(args.data),
             "--queries", str(args.queries), "--variant", variant],
            check=True, capture_output=True, text=True,
        ).stdout
        seconds = [float(s) for s in out.split()]
        p50, p95 = search_speed.percentile(seconds, 50), search_speed.percentile(seconds, 95)
        print(f"{variant:36}  {1000 * p50:6.1f}  {1000 * p95:6.1f}  {1000 * statistics.fmean(seconds):6.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
