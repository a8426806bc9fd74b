"""The ``search`` command: a thin shell over :meth:`index.Index.search`."""

from __future__ import annotations

import argparse
import sys

from .config import load_config
from .console import EXIT_NOTHING_FOUND, EXIT_OK, VersionAction, cli_errors, json_text, printable
from .limits import QueryLimits
from .logs import setup_logging
from .whoosh.searcher import SearchResults, open_index


def results_json(results: SearchResults) -> dict:
    """The ``--json`` shape: ``snippet`` is HTML (escaped, each match in ``<mark>``), every
    other string plain text; facets count every match, not only the hits shown; a hit of a
    search asked to explain has its ``explain`` (:meth:`~index.search.explain.Explanation.json`)."""
    return {
        "query": results.query,
        "total": results.total,
        "offset": results.offset,
        "facets": results.facets,
        "hits": [
            {
                "id": hit.id,
                "path": hit.path,
                "title": hit.title,
                "date": hit.date,
                "language": hit.language,
                "score": round(hit.score, 4),
                "snippet": hit.snippet.html(),
                **({"explain": hit.explain.json()} if hit.explain else {}),
            }
            for hit in results
        ],
    }


def results_text(results: SearchResults, terminal: bool) -> str:
    """Ranked hits for people: bold matches on a terminal, plain text when piped; control
    characters of titles, ids and snippets shown escaped (:func:`~index.console.printable`)."""
    bold = (lambda text: f"\033[1m{text}\033[0m") if terminal else (lambda text: text)
    lines = []
    for hit in results:
        date = hit.date or "-"
        lines.append(f"{hit.rank:>2}. {bold(printable(hit.title))}  [{date}]  score {hit.score:.3f}")
        lines.append(f"    {printable(hit.id)}")
        snippet = hit.snippet.ansi() if terminal else hit.snippet.render(str, printable)
        if snippet:
            lines.append(f"    {snippet}")
        if hit.explain:
            lines.append(f"    why: {printable(hit.explain.text())}")
        lines.append("")
    shown = f"{len(results)} of {results.total}" if results.total > len(results) else f"{results.total}"
    lines.append(f"{shown} hit{'s' if results.total != 1 else ''} for {results.query!r}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="search", description="Search the Norwegian full-text index.")
    parser.add_argument("query", nargs="?", help='words, "phrases", AND/OR/NOT, field:term, date:2023-07, prefix*, name~')
    parser.add_argument("--config", help="TOML file with settings to override config/default.toml")
    parser.add_argument("--index", help="index folder (default: index.path from the config)")
    parser.add_argument("--limit", type=int, help="number of hits (default: search.limit)")
    parser.add_argument("--offset", type=int, default=0, help="skip this many hits first (the next page)")
    parser.add_argument("--since", help="only documents dated on or after YYYY, YYYY-MM or YYYY-MM-DD")
    parser.add_argument("--until", help="only documents dated on or before YYYY, YYYY-MM or YYYY-MM-DD")
    parser.add_argument("--language", help="only documents in this language: nb, nn or other")
    parser.add_argument("--json", action="store_true", help="print JSON for machines")
    parser.add_argument("--explain", action="store_true", help="show how each hit's score adds up")
    parser.add_argument("--version", action=VersionAction)
    parser.add_argument("--serve", action="store_true", help="serve the web page and JSON API instead (README)")
    parser.add_argument("--host", help="with --serve: address to listen on (default: serve.host, 127.0.0.1)")
    parser.add_argument("--port", type=int, help="with --serve: port (default: serve.port, 8080; 0: any free one)")
    args = parser.parse_args(argv)
    if (args.query is None) != args.serve:
        parser.error("give a query, or --serve (not both)")

    with cli_errors("search"):
        overrides = {"index": {"path": args.index}, "search": {"limit": args.limit}, "serve": {"host": args.host, "port": args.port}}
        config = load_config(args.config, overrides)
        setup_logging(config.logging)
        if args.serve:
            from .web.server import serve  # the web stack loads only for --serve

            serve(config, args.config, overrides)
            return EXIT_OK
        with open_index(
            config.index.path,
            title_boost=config.search.title_boost,
            snippet_chars=config.search.snippet_chars,
            limits=QueryLimits.of(config.search),
            config=config,
        ) as ix:
            results = ix.search(
                args.query,
                limit=config.search.limit,
                since=args.since,
                until=args.until,
                offset=args.offset,
                language=args.language,
                explain=args.explain,
            )
        if args.json:
            print(json_text(results_json(results)))
        else:
            print(results_text(results, terminal=sys.stdout.isatty()))
    return EXIT_OK if results.total else EXIT_NOTHING_FOUND


if __name__ == "__main__":
    sys.exit(main())
