"""How well a stemmer joins the forms of one Norwegian word into one term, and how often it
joins the forms of different words: measured per written standard and part of speech on the
gold lemmas of the Norwegian Dependency Treebank (NDT).

*Recall*: of the pairs of different forms of one lemma (``lærar``/``lærarane``, same lemma and
part of speech), the share that get one term. *False merges*: the pairs of different forms
that share no lemma (``farleg``/``far``) and still get one term. Forms that are stop words
(``er``, ``var``, ``ikkje``) are left out: the index never holds them.

The treebank is split in two halves by a hash of the lemma (``even``, ``odd``): rules are
developed on one half and kept only when they help the other too; both halves and the whole
are printed. Next to ours it measures plain Snowball and Apache Lucene's
``NorwegianLightStemmer`` (its Bokmål and Nynorsk flags), ported below. Run:

    .venv/bin/python bench/stemming.py [--data ../shared/data] [--half even|odd] [--examples N]
"""

from __future__ import annotations

import argparse
import csv
import platform
import sys
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_DATA = ROOT.parent / "shared" / "data"
FILES = {"nb": "ndt_nob_full.tsv", "nn": "ndt_nno_full.tsv"}
STANDARDS = {"nb": "Bokmål", "nn": "Nynorsk"}
PARTS = ("NOUN", "VERB", "ADJ")
HALVES = ("even", "odd")


@dataclass(frozen=True)
class Row:
    form: str
    lemma: str
    pos: str
    count: int


def read_rows(path: Path) -> list[Row]:
    """The treebank's (form, lemma, part of speech) rows, stop words left out."""
    from index.analysis import NORWEGIAN_STOP_WORDS

    with path.open(encoding="utf-8") as handle:
        return [
            Row(r["word_form"], r["gold_lemma"], r["upos"], int(r["count"]))
            for r in csv.DictReader(handle, delimiter="\t")
            if r["word_form"] not in NORWEGIAN_STOP_WORDS
        ]


def half_of(lemma: str) -> str:
    """``even`` or ``odd``: the half of the treebank a lemma (with all its forms) belongs to."""
    return HALVES[zlib.crc32(lemma.encode("utf-8")) % 2]


def same_term_pairs(forms_of: dict[str, set[str]], term: dict[str, str]) -> Iterable[tuple[str, str]]:
    """The pairs of forms (keys of ``forms_of``: form -> its lemmas) that share no lemma but get one term."""
    by_term: dict[str, list[str]] = defaultdict(list)
    for form in forms_of:
        by_term[term[form]].append(form)
    for forms in by_term.values():
        for a, b in combinations(sorted(forms), 2):
            if not forms_of[a] & forms_of[b]:
                yield a, b


@dataclass
class Figures:
    pairs: dict[str, int]  # part of speech ("all" too) -> pairs of forms of one lemma
    joined: dict[str, int]  # of those, how many get one term
    false_merges: dict[str, int]  # pairs of forms of different lemmas that get one term
    missed: Counter  # (form, form) -> tokens, pairs of one lemma kept apart
    merged: Counter  # (form, form) -> tokens, pairs of different lemmas joined

    def recall(self, part: str = "all") -> float:
        return self.joined[part] / self.pairs[part] if self.pairs[part] else 0.0


def measure(rows: list[Row], stem: Callable[[str], str]) -> Figures:
    term = {form: stem(form) for form in {r.form for r in rows}}
    count = Counter()
    for r in rows:
        count[r.form] += r.count
    forms_of_lemma: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in rows:
        forms_of_lemma[(r.lemma, r.pos)].add(r.form)
    pairs, joined = Counter(), Counter()
    missed = Counter()
    for (_, pos), forms in forms_of_lemma.items():
        for a, b in combinations(sorted(forms), 2):
            same = term[a] == term[b]
            for part in (pos, "all"):
                pairs[part] += 1
                joined[part] += same
            if not same:
                missed[(a, b)] = min(count[a], count[b])
    false_merges, merged = Counter(), Counter()
    for part in (*PARTS, "all"):
        lemmas_of_form: dict[str, set[str]] = defaultdict(set)
        for r in rows:
            if part in (r.pos, "all"):
                lemmas_of_form[r.form].add(r.lemma)
        for a, b in same_term_pairs(lemmas_of_form, term):
            false_merges[part] += 1
            if part == "all":
                merged[(a, b)] = min(count[a], count[b])
    return Figures(pairs, joined, false_merges, missed, merged)


# Apache Lucene's NorwegianLightStemmer (Apache License 2.0; after Jacques Savoy's CLEF
# stemmers, BSD licence, (c) 2005 Jacques Savoy), its published rules in Python for this
# comparison only (it gives Lucene's results on Lucene's nb_light test vocabulary): a
# possessive -s is removed from a word of more than 4 letters, then the first ending found,
# group by group in this order, is removed if the word is longer than the group's length;
# nothing is re-applied. Each group: (length, endings of both standards, Bokmål, Nynorsk).
LUCENE_LIGHT = (
    (7, (), ("heter", "heten"), ("heita",)),  # hemmelig-heten, hemmeleg-heita
    (8, (), (), ("heiter", "leiken", "leikar")),  # hemmeleg-heiter, trygg-leiken
    (5, ("dom",), ("het",), ()),  # kristen-dom, hemmelig-het
    (6, (), (), ("heit", "semd", "leik")),  # hemmeleg-heit, verk-semd, trygg-leik
    (7, ("elser", "elsen"), (), ()),  # føl-elser, føl-elsen
    (6, ("else",), ("ende", "este", "eren"), ("ande", "aste", "aren")),  # sov-ende, fin-este
    (5, ("ene",), ("ere", "est"), ("are", "ast", "ane")),  # fin-ere, hus-ene, gut-ane
    (4, ("er", "en", "et", "te"), ("st",), ("ar",)),  # bil-er, bil-en, hus-et, billig-st
    (3, ("a", "e", "n"), (), ()),  # vesk-a, kak-e
)


def lucene_light(bokmal: bool = True, nynorsk: bool = True) -> Callable[[str], str]:
    """Lucene's light stemmer with the endings of the chosen standards (its BOKMAAL and
    NYNORSK flags); it lower-cases first, as the Lucene filter expects lower-case input."""
    groups = [(length, both + (nb if bokmal else ()) + (nn if nynorsk else ())) for length, both, nb, nn in LUCENE_LIGHT]

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


def analyzer_stem(language: str | None) -> Callable[[str], str]:
    """What a word becomes in the index: the whole chain of ``norwegian_analyzer(language)``."""
    from index.analysis import norwegian_analyzer

    return chain_stem(norwegian_analyzer(language))


def chain_stem(analyzer) -> Callable[[str], str]:
    return lambda word: " ".join(t.text for t in analyzer(word, mode="index", removestops=False))


def schema_8_stem() -> Callable[[str], str]:
    """Ours before the inflection filters (schema version 8): Snowball after the irregular plurals."""
    from whoosh.analysis import LowercaseFilter, RegexTokenizer, StopFilter

    from index.analysis import (
        NORWEGIAN_STOP_WORDS, WORD_PATTERN, AcronymGenitiveFilter, IrregularPluralFilter, SnowballStemFilter,
    )

    return chain_stem(
        RegexTokenizer(WORD_PATTERN) | AcronymGenitiveFilter() | LowercaseFilter()
        | StopFilter(stoplist=NORWEGIAN_STOP_WORDS, minsize=1) | IrregularPluralFilter()
        | SnowballStemFilter("norwegian", genitive_s=True)
    )


def stemmers() -> dict[str, Callable[[str], str]]:
    import Stemmer

    return {
        "Snowball (plain)": Stemmer.Stemmer("norwegian").stemWord,
        "Lucene light, nb": lucene_light(nynorsk=False),
        "Lucene light, nn": lucene_light(bokmal=False),
        "Lucene light, nb+nn": lucene_light(),
        "ours, schema 8": schema_8_stem(),
        "ours": analyzer_stem(None),
    }


def print_examples(figures: Figures, n: int) -> None:
    for title, pairs in (("missed", figures.missed), ("false merges", figures.merged)):
        top = ", ".join(f"{a}/{b}" for (a, b), _ in pairs.most_common(n))
        print(f"    {title} (commonest first): {top}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared data folder")
    parser.add_argument("--half", choices=HALVES, help="only this half of the lemmas (default: each half, then all)")
    parser.add_argument("--examples", type=int, default=0, metavar="N",
                        help="also list ours' N commonest missed pairs and false merges")
    args = parser.parse_args(argv)
    folder = args.data / "treebank_lemmas"
    if not folder.is_dir():
        print(f"stemming.py: {folder} not found (give the shared data folder with --data)", file=sys.stderr)
        return 2
    print(f"stemming.py  {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, Python {platform.python_version()}")
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    print("recall: share of pairs of forms of one lemma with one term; false merges: pairs of forms of")
    print("different lemmas with one term; halves by a hash of the lemma\n")
    header = (
        f"{'standard':<8} {'half':<4} {'stemmer':<20} {'pairs':>6} {'recall':>6} "
        + " ".join(f"{p:>5}" for p in PARTS)
        + f" {'false merges':>12} "
        + " ".join(f"{p:>5}" for p in PARTS)
    )
    print(header)
    print("-" * len(header))
    chosen = stemmers()
    for standard, name in FILES.items():
        rows = read_rows(folder / name)
        halves = [args.half] if args.half else [*HALVES, "all"]
        for half in halves:
            part_rows = rows if half == "all" else [r for r in rows if half_of(r.lemma) == half]
            for label, stem in chosen.items():
                f = measure(part_rows, stem)
                print(
                    f"{STANDARDS[standard]:<8} {half:<4} {label:<20} {f.pairs['all']:>6} {100 * f.recall():>5.1f}% "
                    + " ".join(f"{100 * f.recall(p):>5.1f}" for p in PARTS)
                    + f" {f.false_merges['all']:>12} "
                    + " ".join(f"{f.false_merges[p]:>5}" for p in PARTS)
                )
                if args.examples and label == "ours":
                    print_examples(f, args.examples)
            print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
