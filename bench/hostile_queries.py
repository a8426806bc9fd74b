"""Hostile queries and a huge document: how long ``Index.search`` takes to answer or refuse each.

Builds (or reuses, ``--index DIR``) an index of the first ``--docs`` Lovdata sections (default
10,000) with :class:`index.IndexWriter`, then runs each query of issue 16 (item 8) once through
``open_index(dir).search(q)`` and prints its time and what it gave: hits, or the one-line error.
With ``--huge``, it also indexes one single-line document of about 19 MB (Lovdata text run
together) beside 100 others and times queries that match it (item 9). Also prints the time to
open the index (``open_index``) and to check it in full (:func:`index.whoosh.storage.check_index`).
A script that prints figures, not a test; see bench/README.md.

    .venv/bin/python bench/hostile_queries.py --index /tmp/lov10k          # build once, reuse after
    .venv/bin/python bench/hostile_queries.py --index /tmp/lov10k --huge /tmp/huge
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from benchmain import BenchError, bench_main

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index import Document, IndexWriter, QueryError, open_index  # noqa: E402
from index.whoosh.storage import check_index  # noqa: E402

LOVDATA = ROOT.parent / "shared" / "data" / "bulk_lovdata" / "lovdata_sections.jsonl.gz"
HUGE_CHARS = 19_000_000

LONG_QUESTION = (
    "Hvilke regler gjelder for kommunens plikt til å behandle klage på vedtak om tildeling av "
    "sykehjemsplass, og hvordan skal fylkesmannen, statsforvalteren eller departementet vurdere "
    "saken dersom kommunen ikke har fulgt forvaltningsloven, helse- og omsorgstjenesteloven, "
    "pasient- og brukerrettighetsloven, plan- og bygningsloven eller forskrift om kvalitet i "
    "pleie- og omsorgstjenestene, særlig når det gjelder frister, begrunnelse, innsyn, "
    "taushetsplikt, opplysningsplikt, veiledningsplikt, partsrettigheter, klagerett, omgjøring, "
    "oppsettende virkning, erstatning, tilsyn, pålegg, tvangsmulkt, sanksjoner, dispensasjon, "
    "ekspropriasjon, skjønn, rettergang, voldgift, foreldelse, arv, skifte, ekteskap, barn, "
    "verge, skatt, merverdiavgift, toll, fiske, jordbruk, reindrift, skogbruk, vassdrag, energi, "
    "petroleum, havner, veier, jernbane, luftfart, post, telekommunikasjon, kringkasting, "
    "opplæring, universiteter, barnehager, folketrygd, arbeidsmiljø, likestilling, diskriminering, "
    "personvern, arkiv, statistikk, valg, kommuneloven, sivilbeskyttelse, forsvar, politi, "
    "domstoler, straffeprosess, fengsel, utlendinger, statsborgerskap, folkeregister, regnskap, "
    "revisjon, aksjeselskaper, stiftelser, konkurranse, anskaffelser, forbrukerkjøp og husleie?"
)
PREFIXES = "ar be da en fo ge ha in ka la ma ne ob pe ra sa ta un ve ar".split()


def hostile_queries() -> dict[str, str]:
    """The queries of issue 16, item 8, by name."""
    words = [f"{p}{chr(97 + i % 26)}*" for i in range(5) for p in PREFIXES]
    return {
        "**": "**",
        "?*": "?*",
        "*": "*",
        "[a TO z]": "[a TO z]",
        "100 OR-ed prefixes": " OR ".join(words[:100]),
        "5,000-word query": " ".join(["forskrift", "kommune", "skatt", "vedtak", "departementet"] * 1000),
        "1,000-character question": LONG_QUESTION[:1000],
        "1,000 characters of phrases": " ".join(f'"{p}"' for p in LONG_QUESTION.split(", "))[:1000],
        "1,000 characters of prefixes": " ".join(w[:4] + "*" for w in LONG_QUESTION.split() if len(w) > 4)[:1000],
        "a*": "a*",
        "fuzzy Stortinget~2": "Stortinget~2",
        "plain: klage på vedtak": "klage på vedtak",
    }


def lovdata(limit: int) -> Iterator[dict]:
    if not LOVDATA.exists():
        raise BenchError(f"{LOVDATA} is absent: this benchmark needs the shared Lovdata corpus")
    with gzip.open(LOVDATA, "rt", encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            if number >= limit:
                return
            yield json.loads(line)


def document(number: int, section: dict) -> Document:
    return Document(
        id=f"{number:06d}.txt",
        path=f"/lovdata/{number:06d}.txt",
        title=section["title"],
        text=f"{section['title']}\n{section['text']}",
        date=section.get("date") or None,
    )


def build(path: Path, docs: int) -> None:
    started = time.perf_counter()
    with IndexWriter(path) as writer:
        for number, section in enumerate(lovdata(docs)):
            writer.upsert(document(number, section))
    print(f"built {docs} documents in {time.perf_counter() - started:.1f} s: {path}")


def build_huge(path: Path) -> None:
    sections = list(lovdata(20_000))
    parts, size = [], 0
    for section in sections:
        parts.append(section["text"].replace("\n", " "))
        size += len(parts[-1]) + 1
        if size >= HUGE_CHARS:
            break
    while size < HUGE_CHARS:  # the corpus runs out before 19 MB: repeat it
        parts += parts[: len(parts)]
        size *= 2
    huge = " ".join(parts)[:HUGE_CHARS] + " Avslutningsvis nevnes hvalfangstinspektøren."
    with IndexWriter(path) as writer:
        writer.upsert(Document(id="huge.txt", path="/huge.txt", title="Én linje på 19 MB", text=huge))
        for number, section in enumerate(sections[:100]):
            writer.upsert(document(number, section))
    print(f"built the huge document ({len(huge):,} characters) and 100 others: {path}")


def timed(ix, name: str, text: str) -> None:
    started = time.perf_counter()
    try:
        results = ix.search(text)
        outcome = f"{results.total} hits"
    except QueryError as error:
        outcome = f"QueryError: {error}"
    print(f"  {name:<28} {time.perf_counter() - started:6.3f} s  {outcome[:110]}")


def measure(path: Path, queries: dict[str, str]) -> None:
    started = time.perf_counter()
    ix = open_index(path)
    print(f"  open_index                   {time.perf_counter() - started:6.3f} s")
    started = time.perf_counter()
    problems = check_index(path)
    print(f"  check_index                  {time.perf_counter() - started:6.3f} s  {len(problems)} problems")
    with ix:
        timed(ix, "warm-up: forskrift", "forskrift")
        for name, text in queries.items():
            timed(ix, name, text)


def run(argv: list[str] | None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", type=Path, required=True, help="index folder: built when absent, else reused")
    parser.add_argument("--docs", type=int, default=10_000, help="Lovdata sections to index (default 10,000)")
    parser.add_argument("--huge", type=Path, help="also build (when absent) and time an index with a 19 MB document")
    args = parser.parse_args(argv)
    if not args.index.exists():
        build(args.index, args.docs)
    print(f"hostile queries, {args.index}:")
    measure(args.index, hostile_queries())
    if args.huge:
        if not args.huge.exists():
            build_huge(args.huge)
        print(f"a 19 MB document, {args.huge}:")
        measure(args.huge, {"hvalfangstinspektøren (at its end)": "hvalfangstinspektøren",
                            "forskrift": "forskrift", "klage på vedtak": "klage på vedtak"})
    return 0


if __name__ == "__main__":
    sys.exit(bench_main("hostile_queries", run))
