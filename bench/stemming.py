"""How well a stemmer conflates the inflected forms of Norwegian words, and how often it
merges different words: measured on the gold lemmas of the Norwegian Dependency Treebank.

For every (lemma, part of speech) group with more than one form: *conflation* is the share
of groups whose forms all get one stem (``bok``, ``boka``, ``bøker`` -> one term). For every
stem: *over-stemming* is the share of stems that forms of different lemmas share
(``stammer`` and ``stammen``). Both are also given weighted by token count. Run:

    .venv/bin/python bench/stemming.py [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import csv
import platform
import sys
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_DATA = ROOT.parent / "shared" / "data"
FILES = {"Bokmål (NDT)": "ndt_nob_full.tsv", "Nynorsk (NDT)": "ndt_nno_full.tsv"}


def read_rows(path: Path) -> list[tuple[str, str, str, int]]:
    with path.open(encoding="utf-8") as handle:
        reader = csv.DictReader(handle, delimiter="\t")
        return [(r["word_form"], r["gold_lemma"], r["upos"], int(r["count"])) for r in reader]


def measure(rows: list[tuple[str, str, str, int]], stem: Callable[[str], str]) -> dict[str, float]:
    groups: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    lemmas_of_stem: dict[str, set[tuple[str, str]]] = defaultdict(set)
    tokens_of_stem: dict[str, int] = defaultdict(int)
    for form, lemma, upos, count in rows:
        s = stem(form)
        groups[(lemma, upos)][form] = count
        lemmas_of_stem[s].add((lemma, upos))
        tokens_of_stem[s] += count
    multi = {key: forms for key, forms in groups.items() if len(forms) > 1}
    conflated = [key for key, forms in multi.items() if len({stem(f) for f in forms}) == 1]
    weight = {key: sum(forms.values()) for key, forms in multi.items()}
    merged = [s for s, lemmas in lemmas_of_stem.items() if len({lemma for lemma, _ in lemmas}) > 1]
    return {
        "groups": len(multi),
        "conflation": len(conflated) / len(multi),
        "conflation_tokens": sum(weight[k] for k in conflated) / sum(weight.values()),
        "stems": len(lemmas_of_stem),
        "overstemming": len(merged) / len(lemmas_of_stem),
        "overstemming_tokens": sum(tokens_of_stem[s] for s in merged) / sum(tokens_of_stem.values()),
    }


def stemmers() -> dict[str, Callable[[str], str]]:
    import Stemmer
    from whoosh.lang.snowball.norwegian import NorwegianStemmer

    from index.analysis import norwegian_analyzer

    analyzer = norwegian_analyzer()

    def ours(word: str) -> str:
        # The full chain, stop words kept: what a word becomes in the index.
        return " ".join(t.text for t in analyzer(word, mode="index", removestops=False))

    return {
        "none (lowercase)": str.lower,
        "Snowball, PyStemmer": Stemmer.Stemmer("norwegian").stemWord,
        "Snowball, Whoosh's port": NorwegianStemmer().stem,
        "ours (norwegian_analyzer)": ours,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared data folder")
    args = parser.parse_args(argv)
    folder = args.data / "treebank_lemmas"
    if not folder.is_dir():
        print(f"stemming.py: {folder} not found (give the shared data folder with --data)", file=sys.stderr)
        return 2
    print(f"stemming.py  {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, Python {platform.python_version()}")
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}\n")
    header = f"{'variety':<14} {'stemmer':<26} {'groups':>6} {'conflation':>10} {'(tokens)':>8} {'stems':>6} {'over-stemming':>13} {'(tokens)':>8}"
    print(header)
    print("-" * len(header))
    for variety, name in FILES.items():
        rows = read_rows(folder / name)
        for label, stem in stemmers().items():
            m = measure(rows, stem)
            print(
                f"{variety:<14} {label:<26} {m['groups']:>6} {m['conflation']:>10.3f} {m['conflation_tokens']:>8.3f} "
                f"{m['stems']:>6} {m['overstemming']:>13.3f} {m['overstemming_tokens']:>8.3f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
