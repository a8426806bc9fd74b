"""The ``search`` command: a thin shell over :meth:`index.Index.search`."""

from __future__ import annotations

import argparse
import json
import sys

from .config import load_config
from .console import EXIT_NOTHING_FOUND, EXIT_OK, cli_errors
from .logs import setup_logging
from .searcher import SearchResults, open_index


def results_json(results: SearchResults) -> dict:
    """The ``--json`` shape: snippets HTML-escaped with each match in ``<mark>``."""
    return {
        "query": results.query,
        "total": results.total,
        "hits": [
            {
                "id": hit.id,
                "path": hit.path,
                "title": hit.title,
                "date": hit.date,
                "score": round(hit.score, 4),
                "snippet": hit.snippet.html(),
            }
            for hit in results
        ],
    }


def results_text(results: SearchResults, terminal: bool) -> str:
    """Ranked hits for people: bold matches on a terminal, plain text when piped."""
    bold = (lambda text: f"\033[1m{text}\033[0m") if terminal else (lambda text: text)
    lines = []
    for hit in results:
        date = hit.date or "-"
        lines.append(f"{hit.rank:>2}. {bold(hit.title)}  [{date}]  score {hit.score:.3f}")
        lines.append(f"    {hit.id}")
        snippet = hit.snippet.ansi() if terminal else hit.snippet.plain()
        if snippet:
            lines.append(f"    {snippet}")
        lines.append("")
    shown = f"{len(results)} of {results.total}" if results.total > len(results) else f"{results.total}"
    lines.append(f"{shown} hit{'s' if results.total != 1 else ''} for {results.query!r}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="search", description="Search the Norwegian full-text index.")
    parser.add_argument("query", help='words, "phrases", AND/OR/NOT, field:term, date:2023-07, prefix*, name~')
    parser.add_argument("--config", help="TOML file with settings to override config/default.toml")
    parser.add_argument("--index", help="index folder (default: index.path from the config)")
    parser.add_argument("--limit", type=int, help="number of hits (default: search.limit)")
    parser.add_argument("--since", help="only documents dated on or after YYYY, YYYY-MM or YYYY-MM-DD")
    parser.add_argument("--until", help="only documents dated on or before YYYY, YYYY-MM or YYYY-MM-DD")
    parser.add_argument("--json", action="store_true", help="print JSON for machines")
    args = parser.parse_args(argv)

    with cli_errors("search"):
        config = load_config(args.config, {"index": {"path": args.index}, "search": {"limit": args.limit}})
        setup_logging(config.logging)
        with open_index(
            config.index.path,
            title_boost=config.search.title_boost,
            snippet_chars=config.search.snippet_chars,
            config=config,
        ) as ix:
            results = ix.search(args.query, limit=config.search.limit, since=args.since, until=args.until)
        if args.json:
            print(json.dumps(results_json(results), ensure_ascii=False, indent=2))
        else:
            print(results_text(results, terminal=sys.stdout.isatty()))
    return EXIT_OK if results.total else EXIT_NOTHING_FOUND


if __name__ == "__main__":
    sys.exit(main())
