"""Bytes to clean text: byte-order mark, strict UTF-8, else the legacy encoding that reads
as the most plausible Norwegian; then mojibake repair, Unicode NFC and ``\\n`` line endings.

Every change made on the way is named in ``repairs``: ``bom`` (a byte-order mark was
removed), ``mojibake`` (UTF-8 that had been read as cp1252 and saved again, ``Ã¸`` for
``ø``), ``nfd`` (decomposed letters, as macOS writes them, composed), ``crlf`` and ``cr``
(line endings). Bytes that are not text raise :class:`NotTextError` with the reason.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

# Encodings Norwegian text has really been saved in, besides UTF-8 and UTF-16: Windows,
# ISO Latin-1 and Latin-9 (with €), Mac OS Roman, and the DOS code pages (Nordic, Western).
LEGACY_ENCODINGS = ("cp1252", "iso-8859-15", "iso-8859-1", "mac-roman", "cp865", "cp850")

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# How much each character beyond ASCII says "this is Norwegian": æ ø å most; then what
# Norwegian writing uses often (« » § – é ´); then the letters of names and loanwords and
# common typography; capitals of those least. Anything else (symbols, box drawing, Greek,
# math) counts against, control characters most.
_WEIGHTS = {
    **dict.fromkeys("æøåÆØÅ", 6),
    **dict.fromkeys("«»§–é", 4),
    **dict.fromkeys("èêëáàâäãóòôöõúüñçßšž“”‘’„…€°·½—´", 2),
    **dict.fromkeys("ìíîïùûÉÈÊËÁÀÂÄÃÓÒÔÖÕÚÙÛÜÍÌÎÏÑÇŠŽ", 1),
}
SYMBOL_WEIGHT, CONTROL_WEIGHT, OUT_OF_PLACE = -6, -20, -8
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
# Inside a word only letters and apostrophes stand; after Æ, Å (and Ø, but for "Øy") no vowel.
_APOSTROPHES = frozenset("'’´")
_NO_VOWEL_AFTER = {"Æ": "aeiouyæøå", "Å": "aeiouyæøå", "Ø": "aeiouæøå"}
SAMPLE_BYTES = 65_536
# The mark of UTF-8 read as cp1252: a lead byte (0xC2-0xF4: "Â" to "ô") followed by a
# continuation byte (0x80-0xBF: "€" to "¿", some of them cp1252's letters and punctuation).
_CONTINUATION = "".join(sorted({bytes([b]).decode("cp1252", "ignore") for b in range(0x80, 0xC0)} - {""}))
_MOJIBAKE_HINT = re.compile(f"[\u00c2-\u00f4][{re.escape(_CONTINUATION)}]")
# What ftfy may leave behind in a short text (it weighs each sequence against the rest):
# æ ø å Æ Ø Å as cp1252 mojibake, which no Norwegian text holds as such.
_NORWEGIAN_MOJIBAKE = {letter.encode("utf-8").decode("cp1252"): letter for letter in "æøåÆØÅ"}
_NORWEGIAN_MOJIBAKE_PATTERN = re.compile("|".join(map(re.escape, _NORWEGIAN_MOJIBAKE)))


class NotTextError(ValueError):
    """The bytes are not a text document; the message says why."""


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str
    repairs: tuple[str, ...]


def has_text_bom(data: bytes) -> bool:
    """Whether ``data`` starts with a byte-order mark of UTF-8, UTF-16 or UTF-32."""
    return any(data.startswith(bom) for bom, _ in _BOMS)


def _decode_bom(data: bytes) -> tuple[str, str] | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding), encoding
            except UnicodeDecodeError as error:
                raise NotTextError(f"has a {encoding} byte-order mark but is not {encoding} ({error.reason})") from None
    return None


def _unlisted_weight(char: str) -> int:
    """Other Latin letters with a diacritic (``č``, ``ł``: names) count a little; everything
    else against, control characters most."""
    name = unicodedata.name(char, "")
    if name.startswith("LATIN") and " WITH " in name:
        return 1
    return CONTROL_WEIGHT if unicodedata.category(char) in ("Cc", "Cn", "Co") else SYMBOL_WEIGHT


def plausibility(text: str) -> int:
    """How Norwegian the characters beyond ASCII of ``text`` look (see ``_WEIGHTS``), in
    their place: a capital right after a small letter (``PokŽmon``), punctuation inside a
    word (``Ant—nio``) or a vowel after Æ or Å (``Æexploratory``) counts against. ASCII
    counts nothing: it reads the same in every encoding considered."""
    score = 0
    for match in _NON_ASCII.finditer(text):
        char, at = match.group(), match.start()
        weight = _WEIGHTS.get(char)
        if weight is None:
            weight = _unlisted_weight(char)
        before = text[at - 1] if at else " "
        after = text[at + 1] if at + 1 < len(text) else " "
        if char.isupper() and before.islower():
            weight = min(weight, 0) + OUT_OF_PLACE
        elif not char.isalpha() and char not in _APOSTROPHES and before.isalpha() and after.isalpha():
            weight += OUT_OF_PLACE
        elif after in _NO_VOWEL_AFTER.get(char, ""):
            weight = min(weight, 0) + OUT_OF_PLACE
        score += weight
    return score


def _best_legacy(data: bytes) -> tuple[int, str] | None:
    """The legacy encoding whose reading of ``data`` (its first :data:`SAMPLE_BYTES`) is the
    most plausible Norwegian, with its score. Ties go to chardet's guess (its
    ``confidence`` is no probability in chardet 7, so it is not used), then to the order
    of :data:`LEGACY_ENCODINGS`."""
    sample = data[:SAMPLE_BYTES]
    import chardet  # here, not at the top: only bytes that are not UTF-8 get here

    guess = chardet.detect(sample, compat_names=False, include_encodings=LEGACY_ENCODINGS)["encoding"]
    guess = codecs.lookup(guess).name if guess else None
    best: tuple[int, bool, int, str] | None = None
    for rank, encoding in enumerate(LEGACY_ENCODINGS):
        name = codecs.lookup(encoding).name
        try:
            score = plausibility(sample.decode(name))
        except UnicodeDecodeError:
            continue
        candidate = (score, name == guess, -rank, name)
        if best is None or candidate > best:
            best = candidate
    return (best[0], best[3]) if best else None


def _decode_legacy(data: bytes) -> tuple[str, str]:
    """Decode bytes that are not UTF-8 with :func:`_best_legacy`'s encoding."""
    best = _best_legacy(data)
    if best is None:  # every encoding above has undefined bytes: ISO-8859-1 has none
        return data.decode("iso-8859-1"), "iso8859-1"
    return data.decode(best[1]), best[1]


def _decode_utf8(data: bytes) -> tuple[str, str]:
    """Strict UTF-8, unless the text reads as implausible (even after mojibake repair) and a
    legacy encoding reads the same bytes as plausible Norwegian: a short Mac Roman text
    holding ``«Å`` happens to be valid UTF-8 (``ǁ``)."""
    text = data.decode("utf-8")
    sample = text[:SAMPLE_BYTES]
    score = plausibility(unicodedata.normalize("NFC", repair_mojibake(sample)))
    if score < 0:
        best = _best_legacy(data)
        if best is not None and best[0] > 0:
            return data.decode(best[1]), best[1]
    return text, "utf-8"


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 that was decoded as cp1252 and encoded again, which leaves valid UTF-8
    that no detector can see (``BlÃ¥bÃ¦r`` for ``Blåbær``). Text without a mark of it is
    returned as it is. A text that is mojibake throughout is reversed exactly; otherwise
    ftfy decides which sequences are mojibake, and the Norwegian letters it leaves in a
    short text (``Ã…lesund``) are repaired after it. A repair is kept only when it reads as
    more plausible Norwegian than the text: clean ``«GÅ»`` also reverses, to ``«GŻ``."""
    if not _MOJIBAKE_HINT.search(text):
        return text
    import ftfy  # here, not at the top: most texts never get here, and it is a tenth of `ingest`'s start-up
    import ftfy.bad_codecs  # noqa: F401 - registers "sloppy-windows-1252"

    try:  # sloppy: cp1252's five undefined bytes pass through as U+0081 etc., as on Windows
        repaired = text.encode("sloppy-windows-1252").decode("utf-8")
    except UnicodeError:
        fixed = ftfy.fix_encoding(text)
        repaired = _NORWEGIAN_MOJIBAKE_PATTERN.sub(lambda match: _NORWEGIAN_MOJIBAKE[match.group(0)], fixed)
    return repaired if _unmangled(repaired) > _unmangled(text) else text


def _unmangled(text: str) -> int:
    """:func:`plausibility`, less :data:`OUT_OF_PLACE` for each pair of characters that looks
    like a UTF-8 sequence read as cp1252 (``Ã¥``, ``â€``): what a mojibake repair removes."""
    return plausibility(text) + OUT_OF_PLACE * len(_MOJIBAKE_HINT.findall(text))


def decode(data: bytes) -> DecodedText:
    """Decode and normalise the bytes of one file; raise :class:`NotTextError` if not text."""
    if not data.strip():
        raise NotTextError("empty file" if not data else "only whitespace")
    repairs: list[str] = []
    with_bom = _decode_bom(data)
    if with_bom is not None:
        text, encoding = with_bom
        repairs.append("bom")
    elif b"\x00" in data:
        raise NotTextError("binary file (contains NUL bytes)")
    else:
        try:
            text, encoding = _decode_utf8(data)
        except UnicodeDecodeError:
            text, encoding = _decode_legacy(data)
    if "\x00" in text:
        raise NotTextError("binary file (contains NUL characters)")
    if not text.strip():  # a byte-order mark and nothing else: Notepad's empty "UTF-8 with BOM"
        raise NotTextError("no text after the byte-order mark")
    return normalise(text, encoding, tuple(repairs))


def normalise(text: str, encoding: str, repairs: tuple[str, ...] = ()) -> DecodedText:
    """Decoded text made clean: mojibake repaired, ``\\n`` line endings, NFC; ``repairs``
    (what was done to get the text) extended with what is done here. Also for text decoded
    by a charset its format declared (:mod:`ingest.formats.charset`)."""
    done = list(repairs)
    repaired = repair_mojibake(text)
    if repaired != text:
        text = repaired
        done.append("mojibake")
    if "\r\n" in text:
        text = text.replace("\r\n", "\n")
        done.append("crlf")
    if "\r" in text:
        text = text.replace("\r", "\n")
        done.append("cr")
    normalised = unicodedata.normalize("NFC", text)
    if normalised != text:
        done.append("nfd")
    return DecodedText(normalised, encoding, tuple(done))
