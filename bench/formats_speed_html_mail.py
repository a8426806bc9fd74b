"""Documents a second that the HTML, e-mail and mailbox readers read on one core, on 1-2
page documents made from NorQuAD news passages (two passages a document, ~3,900
characters): each as a news page (tests/fixtures/formats/html_dagsavisen_utf8.html with the
passages put at the start of its article body: menu, cookie banner, "Les også" box, share
links, footer, scripts, JSON-LD; ~4,700 characters of text, ~9 KB) in UTF-8 and in
windows-1252 declared as ISO-8859-1; as an ISO-8859-1 quoted-printable e-mail with an RFC 2047
Subject; and all the e-mails as one mailbox. CPU seconds of this process are counted (not
wall time), so other work on a busy machine slows the figures less; the targets of issue 14
are 150 pages a second and 200 messages a second.

    .venv/bin/python bench/formats_speed_html_mail.py [--data ../shared/data] [--docs 200]
"""

from __future__ import annotations

import argparse
import base64
import html
import json
import quopri
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingest.formats import read_document  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data"
TEMPLATE = ROOT / "tests" / "fixtures" / "formats" / "html_dagsavisen_utf8.html"
_ARTICLE_BODY = re.compile(r'(<div class="article-body">).*?(<aside class="les-ogsa">)', re.S)


def articles(data: Path, count: int) -> list[tuple[str, list[str]]]:
    """(title, paragraphs) of ``count`` documents, two news passages each."""
    with (data / "norquad_retrieval" / "corpus.jsonl").open(encoding="utf-8") as lines:
        passages = [json.loads(line) for line in lines]
    news = [passage for passage in passages if passage["source"] == "news"]
    return [
        (news[2 * n % len(news)]["title"], (news[2 * n % len(news)]["text"] + "\n" + news[(2 * n + 1) % len(news)]["text"]).split("\n"))
        for n in range(count)
    ]


def page(template: str, title: str, paragraphs: list[str]) -> str:
    body = "\n".join(f"<p>{html.escape(paragraph)}</p>" for paragraph in paragraphs)
    page = _ARTICLE_BODY.sub(lambda match: f"{match.group(1)}\n{body}\n{match.group(2)}", template, count=1)
    return page.replace("Fortsatt ikke i mål med gjenåpning av Moss lufthavn Rygge i 2020", html.escape(title))


def message(title: str, paragraphs: list[str], number: int) -> bytes:
    subject = base64.b64encode(title.encode("utf-8")).decode()
    head = (
        f"From: =?ISO-8859-1?Q?K=E5re_=D8deg=E5rd?= <kare@example.no>\nTo: alle@example.no\n"
        f"Subject: =?UTF-8?B?{subject}?=\nDate: Tue, 12 Nov 2019 09:{number % 60:02d}:00 +0100\n"
        f"Message-ID: <{number}@example.no>\nMIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=ISO-8859-1\nContent-Transfer-Encoding: quoted-printable\n\n"
    )
    body = "\n\n".join(paragraphs).encode("iso-8859-1", "replace")
    return head.encode("ascii") + quopri.encodestring(body) + b"\n"


def rate(name: str, files: list[tuple[bytes, str]], documents: int | None = None) -> None:
    """Read every file once (after one warm-up read) and print documents a second."""
    read_document(*files[0])
    cpu, wall, count = time.process_time(), time.perf_counter(), 0
    for data, file_name in files:
        count += len(read_document(data, file_name))
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    size = sum(len(data) for data, _ in files) / (documents or len(files))
    print(f"{name:<34} {count:>5} docs  {count / cpu:>7.0f} docs/s (CPU)  {count / wall:>7.0f} docs/s (wall)  {size / 1000:.1f} KB/doc")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared data folder")
    parser.add_argument("--docs", type=int, default=200, help="documents of each kind")
    args = parser.parse_args(argv)
    if not (args.data / "norquad_retrieval" / "corpus.jsonl").is_file():
        print(f"formats_speed_html_mail.py: no norquad_retrieval in {args.data} (give it with --data)", file=sys.stderr)
        return 2
    template = TEMPLATE.read_text(encoding="utf-8")
    docs = articles(args.data, args.docs)
    pages = [page(template, title, paragraphs) for title, paragraphs in docs]
    latin1 = [text.replace('<meta charset="utf-8">', '<meta charset="iso-8859-1">') for text in pages]
    mails = [message(title, paragraphs, n) for n, (title, paragraphs) in enumerate(docs)]
    mbox = b"".join(b"From kare@example.no Tue Nov 12 09:15:00 2019\n" + mail + b"\n" for mail in mails)
    rate("HTML, UTF-8", [(text.encode("utf-8"), "side.html") for text in pages])
    rate("HTML, cp1252 declared iso-8859-1", [(text.encode("cp1252", "replace"), "side.html") for text in latin1])
    rate("EML, ISO-8859-1 quoted-printable", [(mail, "melding.eml") for mail in mails])
    rate("MBOX, the same messages", [(mbox, "arkiv.mbox")], documents=len(mails))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
