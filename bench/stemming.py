"""How well a stemmer conflates the inflected forms of Norwegian words, and how often it
merges different words: measured on the gold lemmas of the Norwegian Dependency Treebank.

For every (lemma, part of speech) group with more than one form: *conflation* is the share
of groups whose forms all get one stem (``bok``, ``boka``, ``bøker`` -> one term). For every
stem: *over-stemming* is the share of stems that forms of different lemmas share
(``stammer`` and ``stammen``). Both are also given weighted by token count.

Next to Snowball it measures Savoy's light and minimal Norwegian stemmers (as in Lucene,
with Bokmål and Nynorsk endings), which are implemented here for the comparison only. Run:

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


# Jacques Savoy's light and minimal Norwegian stemmers, for comparison with Snowball. The
# published algorithm: Savoy's CLEF stemmers (http://members.unine.ch/jacques.savoy/clef/,
# BSD licence, (c) 2005 Jacques Savoy) as updated in Apache Lucene's NorwegianLightStemmer and
# NorwegianMinimalStemmer (Apache License 2.0), which have separate Bokmål and Nynorsk
# endings. This is our own Python following those rules (it gives Lucene's results on its
# nb_light, nb_minimal and nn_minimal test vocabularies): a possessive -s is removed from a
# word of more than 4 letters, then, in one pass, the first ending found, group by group in
# this order, is removed if the word is longer than the group's length; nothing is re-applied.
# Each group: (length, endings of both varieties, Bokmål endings, Nynorsk endings).
SAVOY_LIGHT = (
    (7, (), ("heter", "heten"), ("heita",)),  # hemmelig-heten, hemmeleg-heita
    (8, (), (), ("heiter", "leiken", "leikar")),  # hemmeleg-heiter, trygg-leiken
    (5, ("dom",), ("het",), ()),  # kristen-dom, hemmelig-het
    (6, (), (), ("heit", "semd", "leik")),  # hemmeleg-heit, verk-semd, trygg-leik
    (7, ("elser", "elsen"), (), ()),  # føl-elser, føl-elsen
    (6, ("else",), ("ende", "este", "eren"), ("ande", "aste", "aren")),  # sov-ende, fin-este
    (5, ("ene",), ("ere", "est"), ("are", "ast", "ane")),  # fin-ere, hus-ene, gut-ane
    (4, ("er", "en", "et", "te"), ("st",), ("ar",)),  # bil-er, bil-en, hus-et, billig-st
    (3, ("a", "e", "n"), (), ()),  # vesk-a, vesk-e
)
# The minimal stemmer: the plural and definite endings of nouns only, after the genitive -s.
SAVOY_MINIMAL = (
    (5, ("ene",), (), ("ane",)),  # hus-ene, gut-ane
    (4, ("er", "en", "et"), (), ("ar",)),  # bil-er, bil-en, hus-et, gut-ar
    (3, ("a", "e"), (), ()),  # vesk-a, vesk-e
)


def savoy_stemmer(rules, bokmal: bool = True, nynorsk: bool = True) -> Callable[[str], str]:
    """The stemmer of ``rules`` (``SAVOY_LIGHT`` or ``SAVOY_MINIMAL``) with the endings of the
    chosen varieties; it lower-cases first, as the Lucene filter expects lower-case input."""
    groups = [
        (length, both + (nb if bokmal else ()) + (nn if nynorsk else ()))
        for length, both, nb, nn in rules
    ]

    def stem(word: str) -> str:
        word = word.lower()
        if len(word) > 4 and word[-1] == "s":  # possessive -s (bilens -> bilen), then go on
            word = word[:-1]
        for length, endings in groups:
            if len(word) > length:
                for ending in endings:
                    if word.endswith(ending):
                        return word[: -len(ending)]
        return word

    return stem


def stemmers() -> dict[str, Callable[[str], str]]:
    import Stemmer
    from whoosh.analysis import LowercaseFilter, RegexTokenizer
    from whoosh.lang.snowball.norwegian import NorwegianStemmer

    from index.analysis import WORD_PATTERN, IrregularPluralFilter, norwegian_analyzer

    analyzer = norwegian_analyzer()

    def ours(word: str) -> str:
        # The full chain, stop words kept: what a word becomes in the index.
        return " ".join(t.text for t in analyzer(word, mode="index", removestops=False))

    plurals = RegexTokenizer(WORD_PATTERN) | LowercaseFilter() | IrregularPluralFilter()
    minimal = savoy_stemmer(SAVOY_MINIMAL)

    def minimal_with_plurals(word: str) -> str:
        # Our chain with the minimal stemmer in Snowball's place (stop words kept).
        return " ".join(minimal(t.text) for t in plurals(word))

    return {
        "none (lowercase)": str.lower,
        "Snowball, PyStemmer": Stemmer.Stemmer("norwegian").stemWord,
        "Snowball, Whoosh's port": NorwegianStemmer().stem,
        "light, Bokmål": savoy_stemmer(SAVOY_LIGHT, nynorsk=False),
        "light, Nynorsk": savoy_stemmer(SAVOY_LIGHT, bokmal=False),
        "light, both": savoy_stemmer(SAVOY_LIGHT),
        "minimal, both": minimal,
        "minimal, both + plurals": minimal_with_plurals,
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
