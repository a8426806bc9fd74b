"""Fit a power law ``y = a * N**b`` to figures measured at several corpus sizes N (least squares
on log y against log N), and a line ``y = c + d * N`` (least squares) beside it, and extrapolate
both: how our Whoosh index's ingest time and search
latency grow with the number of documents (README "Scaling out"). A script that prints
figures, not a test; the figures come from bench/ingest_speed.py and bench/search_speed.py.

    .venv/bin/python bench/scaling_fit.py "search p95 CPU ms" 10000=52 30000=71 100000=120 --at 300000,1000000
    .venv/bin/python bench/scaling_fit.py "ingest CPU s" 10000=20 30000=61 100000=205 300000=640 --holdout 100000

``--holdout N``: sizes above N are left out of the fit and shown against its prediction, to see
how far the extrapolation can be trusted.
"""

from __future__ import annotations

import argparse
import math
import sys

import numpy as np

from benchmain import bench_main


def point(text: str) -> tuple[int, float]:
    """``N=VALUE``, e.g. ``100000=120.5`` or ``100_000=120.5``."""
    size, sep, value = text.partition("=")
    try:
        n, y = int(size), float(value)
    except ValueError:
        n = y = 0
    if not sep or n < 1 or not y > 0:
        raise argparse.ArgumentTypeError(f"expected N=VALUE with N and VALUE above 0, got {text!r}")
    return n, y


def sizes(text: str) -> list[int]:
    try:
        values = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        values = []
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError(f"expected sizes like 300000,1000000, got {text!r}")
    return values


def fit(points: list[tuple[int, float]]) -> tuple[float, float, float]:
    """``(a, b, r2)`` of ``y = a * N**b``, least squares on the logarithms; r2 on the logarithms."""
    x = np.log([n for n, _ in points])
    y = np.log([v for _, v in points])
    b, log_a = np.polyfit(x, y, 1)
    residuals = y - (log_a + b * x)
    spread = float(((y - y.mean()) ** 2).sum())
    r2 = 1.0 - float((residuals**2).sum()) / spread if spread > 0 else 1.0
    return math.exp(log_a), float(b), r2


def line(points: list[tuple[int, float]]) -> tuple[float, float]:
    """``(c, d)`` of ``y = c + d * N``, least squares."""
    d, c = np.polyfit([n for n, _ in points], [v for _, v in points], 1)
    return float(c), float(d)


def run(argv: list[str] | None) -> int:
    parser = argparse.ArgumentParser(prog="scaling_fit.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("label", help="what the values are, e.g. 'search p95 CPU ms'")
    parser.add_argument("points", nargs="+", type=point, metavar="N=VALUE")
    parser.add_argument("--at", type=sizes, default=[300_000, 1_000_000], metavar="N,N,…",
                        help="sizes to extrapolate to (default 300000,1000000)")
    parser.add_argument("--holdout", type=int, metavar="N", help="leave sizes above N out of the fit, and compare")
    args = parser.parse_args(argv)
    used = [p for p in args.points if args.holdout is None or p[0] <= args.holdout]
    if len({n for n, _ in used}) < 2:
        parser.error("the fit needs values at two sizes at least")
    a, b, r2 = fit(used)
    c, d = line(used)
    print(f"{args.label}: power law y = {a:.4g} * N^{b:.3f} (least squares on log y ~ log N, {len(used)} points, "
          f"R^2 {r2:.4f} on the logs; doubling N multiplies y by {2 ** b:.2f}); line y = {c:.4g} + {d:.4g} * N")
    for n, y in args.points:
        power, linear = a * n**b, c + d * n
        role = "fitted" if (n, y) in used else "held out"
        print(f"  N {n:>9,}  measured {y:>10.4g}  power law {power:>10.4g} ({y / power:4.2f}x)  "
              f"line {linear:>10.4g} ({y / linear:4.2f}x)  ({role})")
    for n in args.at:
        print(f"  N {n:>9,}  extrapolated: power law {a * n**b:>10.4g}  line {c + d * n:>10.4g}")
    return 0


def main(argv: list[str] | None = None) -> int:
    return bench_main("scaling_fit.py", run, argv)


if __name__ == "__main__":
    sys.exit(main())
