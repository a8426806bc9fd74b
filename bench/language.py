"""How often ``ingest.language.detect_language`` agrees with the written standard that a
law's own title gives (Nynorsk laws are "...lova", Bokmål laws "...loven"), on every tenth
Lovdata section of 300+ characters. Disagreements include laws whose sections are written
in the other standard than their title, so this is a floor, not an exact accuracy.

    .venv/bin/python bench/language.py [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingest.language import detect_language  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared data folder")
    args = parser.parse_args(argv)
    path = args.data / "bulk_lovdata" / "lovdata_sections.jsonl.gz"
    if not path.is_file():
        print(f"language.py: {path} not found (give the shared data folder with --data)", file=sys.stderr)
        return 2
    pairs: Counter[tuple[str, str]] = Counter()
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            if number % 10:
                continue
            record = json.loads(line)
            title = record["law_title"].lower()
            label = "nn" if re.search(r"lova\b", title) else "nb" if re.search(r"loven\b", title) else None
            if label is None or len(record["text"]) < 300:
                continue
            pairs[(label, detect_language(record["title"] + "\n" + record["text"]))] += 1
    total = sum(pairs.values())
    agree = sum(n for (label, got), n in pairs.items() if label == got)
    print(f"sections: {total}; agreement with the law title's standard: {agree / total:.3f}")
    for (label, got), n in sorted(pairs.items()):
        print(f"  title {label} -> detected {got}: {n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
