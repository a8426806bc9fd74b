"""PDF, with pypdfium2 (PDFium, Chrome's PDF engine: Apache-2.0/BSD).

PDFium gives each page's text in the order of its content stream, which is column by column
for the two-column pages of LibreOffice, Word and LaTeX (pdfplumber sorts by position and
reads them straight across). What it gives is then mended:

- lines are joined into paragraphs, a paragraph ending where the gap to the next line is
  clearly larger than the page's usual line pitch, where the type size changes (a
  heading) or where the text moves up (a new column);
- a word PDFium marks as hyphenated at the line end (U+FFFE, U+0002 in older builds) is
  joined again (``norgeshistorien``); a real hyphen at the line end stays (``EØS-regler``),
  and so does the space before ``og``/``eller`` (``trygde- og pensjonsytelser``);
- lines repeated at the top or bottom of most pages (running heads, ``side 3``: digits
  are ignored when comparing) are dropped;
- ligature code points (U+FB00-FB06) are folded to their letters, soft hyphens removed,
  private-use code points (a symbol font's list bullets) made spaces.

Date: ``/CreationDate`` (``D:20230714…``) at the precision it is written with. Title:
``/Title``. A PDF that needs a password to open, or has no text on any page, is refused
with the reason; one with only an owner password (printing, copying forbidden) is read.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from index.dates import PartialDate

from .base import PRIVATE_USE, Extracted, UnreadableError

_LINE_END = re.compile("\u00ad?\r\n|\ufffe|\x02")
_HYPHEN_MARKS = ("\ufffe", "\x02", "\u00ad\r\n")  # a soft hyphen at a line's end marks one too
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_LIGATURES = re.compile("[\ufb00-\ufb06]")
_PDF_DATE = re.compile(r"D:(\d{4})(\d{2})?(\d{2})?")
_DIGITS = re.compile(r"\d+")
_WORD = re.compile(r"[^\W\d_]{3}")
# Words after which a line-end hyphen is a hyphen of its own: "trygde- og pensjonsytelser".
_KEEP_SPACE_AFTER_HYPHEN = ("og ", "eller ", "og\n", "eller\n")
PARAGRAPH_GAP = 1.3  # a gap this many times the usual line pitch ends a paragraph
NEW_SIZE = 1.2  # so does a line this much taller or smaller than the one before (a heading)
# pypdfium2's error codes when a document does not open (FPDF_ERR_*)
_OPEN_ERRORS = {2: "cannot open the PDF (file error)", 3: "damaged or truncated PDF", 4: "encrypted (needs a password)",
                6: "encrypted with an unsupported security handler"}  # fmt: skip


class PdfReader:
    name = "pdf"
    extensions = (".pdf",)

    def sniff(self, head: bytes) -> bool:
        """``%PDF-`` within the first kilobyte (some writers put junk before it)."""
        return b"%PDF-" in head[:1024]

    def read(self, data: bytes, name: str) -> list[Extracted]:
        import pypdfium2

        try:
            pdf = pypdfium2.PdfDocument(data)
        except pypdfium2.PdfiumError as error:
            raise UnreadableError(_OPEN_ERRORS.get(error.err_code, "not a readable PDF")) from None
        try:
            pages = [_page_lines(page) for page in pdf]
            metadata = pdf.get_metadata_dict(skip_empty=True)
        finally:
            pdf.close()
        pages = _without_running_heads(pages)
        text = fold_ligatures("\n\n".join(paragraph for page in pages for paragraph in _paragraphs(page)))
        if not text.strip():
            raise UnreadableError("no text layer (scanned? OCR is not done)")
        title = " ".join(metadata.get("Title", "").split()) or None
        return [Extracted(text, title, _date(metadata.get("CreationDate", "")), "pdf", ())]


class _Line:
    __slots__ = ("text", "top", "bottom", "hyphenated")

    def __init__(self, text: str, top: float, bottom: float, hyphenated: bool):
        self.text, self.top, self.bottom, self.hyphenated = text, top, bottom, hyphenated


def _page_lines(page) -> list[_Line]:
    """The page's lines in PDFium's order, each with the height of its first character."""
    textpage = page.get_textpage()
    try:
        text = PRIVATE_USE.sub(" ", textpage.get_text_range())  # one for one: indexes stay
        # PDFium numbers characters in UTF-16 code units: beyond the BMP, Python's index differs
        units = _utf16_offsets(text) if _ASTRAL.search(text) else None
        lines, start = [], 0
        for end in (*_LINE_END.finditer(text), None):
            stop = end.start() if end else len(text)
            segment = text[start:stop]
            if segment.strip():
                first = start + len(segment) - len(segment.lstrip())
                _, bottom, _, top = textpage.get_charbox(units[first] if units else first, loose=True)
                line = segment.strip().replace("\u00ad", "")
                lines.append(_Line(line, top, bottom, bool(end) and end.group() in _HYPHEN_MARKS))
            if end is None:
                break
            start = end.end()
        return lines
    finally:
        textpage.close()
        page.close()


def _utf16_offsets(text: str) -> list[int]:
    """For each index of ``text``, its offset in UTF-16 code units."""
    offsets, unit = [], 0
    for char in text:
        offsets.append(unit)
        unit += 2 if ord(char) > 0xFFFF else 1
    return offsets


def _without_running_heads(pages: list[list[_Line]]) -> list[list[_Line]]:
    """Pages without the lines that open or close most of them (digits aside)."""
    if len(pages) < 2:
        return pages
    needed = max(2, (len(pages) * 3 + 4) // 5)  # on 60 % of the pages, and on 2 at least
    edges = [_edge_keys(page) for page in pages]
    seen = Counter(key for page_keys in edges for key in set(page_keys.values()))
    repeated = {key for key, count in seen.items() if count >= needed}
    if not repeated:
        return pages
    kept = []
    for page, page_keys in zip(pages, edges):
        drop = {index for index, key in page_keys.items() if key in repeated}
        kept.append([line for index, line in enumerate(page) if index not in drop])
    return kept


def _edge_keys(page: list[_Line]) -> dict[int, tuple[str, str, int]]:
    """The first two and last two lines of a page, by index, as (edge, text without digits,
    height on the page): a running head stands at the same place on every page. Lines
    without words (a table's figures) are not taken for one."""
    edges = [(index, "top") for index in (0, 1) if index < len(page)]
    edges += [(index, "bottom") for index in (len(page) - 1, len(page) - 2) if index >= 2]
    return {
        index: (edge, _DIGITS.sub("#", page[index].text), round(page[index].top))
        for index, edge in edges
        if _WORD.search(page[index].text)
    }


def _paragraphs(lines: list[_Line]) -> list[str]:
    """A page's lines joined into paragraphs (see the module docstring)."""
    if not lines:
        return []
    # the pitch of body text: the smallest that occurs twice (to half a point), as a table's
    # rows may stand wider apart, and more of them than body lines on a page
    pitches = Counter(round(2 * (a.top - b.top)) / 2 for a, b in zip(lines, lines[1:]) if a.top > b.top)
    pitch = min((p for p, n in pitches.items() if n > 1), default=max(pitches, default=0.0))
    paragraphs, current = [], lines[0].text
    for previous, line in zip(lines, lines[1:]):
        gap = previous.top - line.top
        sizes = sorted((previous.top - previous.bottom, line.top - line.bottom))
        if gap <= 0 or (pitch and gap > PARAGRAPH_GAP * pitch) or sizes[1] > NEW_SIZE * sizes[0]:
            paragraphs.append(current)
            current = line.text
        elif previous.hyphenated:
            current += line.text
        elif current.endswith("-") and current[-2:-1].isalpha() and not line.text.startswith(_KEEP_SPACE_AFTER_HYPHEN):
            current += line.text  # EØS-\nregler: a real hyphen that fell at the line end
        else:
            current += " " + line.text
    paragraphs.append(current)
    return paragraphs


def fold_ligatures(text: str) -> str:
    """``ﬁ`` → ``fi`` and the rest of U+FB00-FB06 (NFKC of those alone: NFKC of everything
    would also change ``½``, ``²`` and ``™``), then NFC."""
    return unicodedata.normalize("NFC", _LIGATURES.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text))


def _date(value: str) -> PartialDate | None:
    """``D:YYYYMMDDHHmmSS…`` at the precision given; ``None`` when absent or not a date."""
    match = _PDF_DATE.match(value.strip())
    if not match:
        return None
    try:
        return PartialDate.of(*(int(part) if part else None for part in match.groups()))
    except ValueError:
        return None


READER = PdfReader()
