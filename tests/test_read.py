"""``ingest.read.decode``: bytes in every encoding Norwegian text is really saved in come
back as exactly the text that was written, NFC with ``\\n`` line ends, and every repair
made on the way is recorded."""

from __future__ import annotations

import codecs
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.read import LEGACY_ENCODINGS, NotTextError, decode

# News-like Bokmål and Nynorsk, written for these tests. Every sentence is NFC, has no
# carriage return, and together they use æ ø å Æ Ø Å, « », € , “ ”, – and ….
SENTENCES = [
    "Regjeringen la fram statsbudsjettet for 2024 på fredag, og finansministeren varslet at pengebruken må strammes inn.",
    "Ørsta kommune får 12 millioner kroner ekstra til skoler og barnehager.",
    "Ærlig talt trodde ingen at Åsane skulle slå Brann på Stadion i går.",
    "Strømprisen i Sør-Norge steg til 3,20 kroner per kilowattime natt til lørdag.",
    "«Dette er et krafttak for eldreomsorgen», sa helseministeren på pressekonferansen.",
    "Billetten til Flåmsbana koster nå 45 € – nesten dobbelt så mye som i fjor.",
    "“Vi har aldri sett så mange turister på Preikestolen”, sier daglig leder Øyvind Sæther.",
    "Politiet i Trøndelag etterlyser vitner etter en trafikkulykke på E6 ved Støren…",
    "Fylkeskommunen vil leggje ned den vidaregåande skulen i bygda, og det har ført til sterke reaksjonar.",
    "Elevane må då reise over ein time kvar veg for å kome seg til næraste skule.",
    "Ordføraren seier at kommunen vil kjempe for å behalde tilbodet på Voss.",
    "Ålesund hamn har hatt rekordmange cruiseskip innom i sommar, men ikkje alle er nøgde.",
    "Æra for at saka kom opp, går til foreldra som samla over tusen underskrifter på få dagar.",
    "Meteorologane ventar kraftig nedbør på Vestlandet, og Statens vegvesen åtvarar mot ras.",
    "Kva skal vi med ein ny flyplass når toget til Bergen allereie tek sju timar?",
    "Nordlys over Tromsø lokket tusenvis av tilreisende ut i kulda onsdag kveld.",
    "Statistisk sentralbyrå melder at prisveksten falt til 4,8 prosent i oktober.",
    "Øksnes kommune har fått Norges første hurtigladestasjon for elektriske fiskebåter.",
    "Blåbærsyltetøy og brunost gikk tom i butikkene i Ålesund før påske.",
    "Det var ein gong ein gut som budde på ein gard langt inne i fjorden – no er han 97 år.",
]
JOINED = " ".join(SENTENCES)
assert len(JOINED) > 200 and all(unicodedata.is_normalized("NFC", s) for s in SENTENCES)

BOKMAL = (
    "Regjeringen la fram statsbudsjettet på fredag. Finansministeren sa at økte renter og høy "
    "prisvekst gjør det nødvendig å stramme inn. Kommunene får likevel mer penger til skoler, "
    "barnehager og eldreomsorg, særlig i Nord-Norge og på Vestlandet. Ærlig talt er det få som "
    "tror at Øystein og Åse får råd til ferie i år."
)
NYNORSK = (
    "Fylkeskommunen vil leggje ned den vidaregåande skulen i bygda, og det har ført til sterke "
    "reaksjonar. Elevane må då reise over ein time kvar veg for å kome seg til næraste skule. "
    "Ordføraren seier at kommunen vil kjempe for å behalde tilbodet, og at Ålesund og Ørsta "
    "ikkje kan ta imot alle. Æra går til foreldra som samla inn underskrifter."
)
# Everything cp1252 and Mac Roman have that Latin-1/-9 and cp865 lack: € “ ” – …
WINDOWS = (
    "Billetten til Flåmsbana kostar no 45 € – nesten dobbelt så mykje som i fjor… "
    "“Det er for dyrt for familiar med born”, seier Åsmund Ødegård frå Sogndal. "
    "Ærleg talt forstår eg ikkje korleis dei kan forsvare det, legg han til. "
    "Jernbanedirektoratet svarar at prisen følgjer «marknaden»."
)
# Latin-9: € and « », no curly quotes, dash or ellipsis.
LATIN9 = (
    "Strømprisen i Sør-Norge steg til over 3 € per kilowattime i går, og mange husholdninger er "
    "bekymret. Forbrukerrådet advarer mot faste avtaler som ser billige ut, men som kan bli dyre "
    "når vinteren kommer. «Vi får telefoner fra folk som ikke vet hvordan de skal betale "
    "regningen», sier Åse Ødegård. En kopp kaffe koster nå 4 € på Gardermoen."
)
# Old Mac: classic Mac OS Roman, with CR line ends as such files had.
MAC = (
    "Nordlys over Tromsø lokket tusenvis av tilreisende ut i kulda onsdag kveld.\n"
    "“Det var helt magisk – himmelen var grønn og fiolett”, sier Øyvind Sæther.\n"
    "Hotellene melder om fullt belegg, og en natt koster nå over 250 €…\n"
    "Ærlig talt hadde ingen ventet så mange gjester før jul, sier reiselivssjefen i Ålesund."
)
# The Nordic DOS code page has æ ø å Æ Ø Å but neither » nor €; plain quotes then.
DOS = (
    "Meteorologane ventar kraftig nedbør på Vestlandet i helga, og Statens vegvesen åtvarar mot "
    "ras langs fylkesvegane i Sogn. Ferja over Sognefjorden kan bli innstilt. \"Vi følgjer med "
    "heile natta\", seier vaktleiar Øystein Ås. Ærlege bønder i Årdal har allereie sikra "
    "høyet, og skulane i Lærdal held stengt fredag."
)

# The Western European DOS code page (also in LEGACY_ENCODINGS) has » where cp865 has ¤.
DOS_QUOTED = (
    "Opposisjonen på Stortinget kaller budsjettet «ansvarsløst» og «urettferdig». " + NYNORSK
)


def plausible_encodings(data: bytes, text: str) -> set[str]:
    """The legacy encodings (by codec name) that turn ``data`` into exactly ``text``."""
    names = set()
    for encoding in LEGACY_ENCODINGS:
        try:
            if data.decode(encoding) == text:
                names.add(codecs.lookup(encoding).name)
        except UnicodeDecodeError:
            pass
    return names


# --- UTF-8 and UTF-16 ------------------------------------------------------------------


def test_utf8_without_bom_is_exact_and_needs_no_repairs():
    result = decode(JOINED.encode("utf-8"))
    assert result.text == JOINED
    assert result.encoding == "utf-8"
    assert result.repairs == ()


def test_utf8_with_bom_drops_the_bom_and_records_it():
    result = decode(codecs.BOM_UTF8 + JOINED.encode("utf-8"))
    assert result.text == JOINED
    assert not result.text.startswith("\ufeff")
    assert result.encoding == "utf-8"
    assert result.repairs == ("bom",)


@pytest.mark.parametrize(
    ("bom", "codec", "expected"),
    [
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32-be"),
    ],
)
def test_utf16_and_utf32_with_bom(bom, codec, expected):
    result = decode(bom + JOINED.encode(codec))
    assert result.text == JOINED
    assert result.encoding == expected
    assert result.repairs == ("bom",)


def test_utf16_as_python_writes_it():
    """``str.encode("utf-16")`` puts a native-order BOM first, as Windows Notepad does."""
    result = decode(NYNORSK.encode("utf-16"))
    assert result.text == NYNORSK
    assert result.encoding in {"utf-16-le", "utf-16-be"}
    assert result.repairs == ("bom",)


def test_utf16_without_bom_is_not_guessed():
    """Documented: NUL bytes without a UTF-16 byte-order mark mean binary."""
    with pytest.raises(NotTextError, match="NUL bytes"):
        decode(BOKMAL.encode("utf-16-le"))


def test_bom_that_lies_is_not_text():
    with pytest.raises(NotTextError, match="byte-order mark"):
        decode(codecs.BOM_UTF8 + "Blåbærsyltetøy".encode("cp1252"))
    with pytest.raises(NotTextError, match="utf-16-le"):
        decode(codecs.BOM_UTF16_LE + b"\x41")  # an odd number of bytes after the BOM


def test_nul_character_after_a_bom_is_binary():
    with pytest.raises(NotTextError, match=r"NUL characters"):
        decode(("Øl og brus\x00\x00\x00").encode("utf-16"))


# --- legacy single-byte encodings (chardet) --------------------------------------------

LEGACY_CASES = [
    pytest.param(BOKMAL, "cp1252", id="cp1252-bokmal"),
    pytest.param(NYNORSK, "cp1252", id="cp1252-nynorsk"),
    pytest.param(WINDOWS, "cp1252", id="cp1252-euro-quotes-dash-ellipsis"),
    pytest.param(BOKMAL, "iso-8859-1", id="latin1-bokmal"),
    pytest.param(NYNORSK, "iso-8859-1", id="latin1-nynorsk"),
    pytest.param(LATIN9, "iso-8859-15", id="latin9-euro"),
    pytest.param(NYNORSK, "iso-8859-15", id="latin9-nynorsk"),
    pytest.param(MAC, "mac-roman", id="macroman-euro-quotes"),
    pytest.param(BOKMAL, "mac-roman", id="macroman-bokmal"),
    pytest.param(DOS, "cp865", id="cp865-nynorsk"),
    pytest.param(NYNORSK, "cp865", id="cp865-nynorsk-2"),
    pytest.param(DOS_QUOTED, "cp850", id="cp850-guillemets"),
]


@pytest.mark.parametrize(("text", "encoding"), LEGACY_CASES)
def test_legacy_encoding_is_recovered_exactly(text, encoding):
    assert len(text) >= 200
    data = text.encode(encoding)
    assert data != text.encode("utf-8")  # really non-ASCII, so UTF-8 must fail
    result = decode(data)
    assert result.text == text
    # The recorded encoding is one that really gives this text from these bytes.
    assert result.encoding in plausible_encodings(data, text)
    assert result.repairs == ()


@pytest.mark.parametrize(
    ("text", "encoding", "expected"),
    [
        (WINDOWS, "cp1252", "cp1252"),
        (LATIN9, "iso-8859-15", "iso8859-15"),
        (MAC, "mac-roman", "mac-roman"),
        (DOS_QUOTED, "cp850", "cp850"),
    ],
)
def test_legacy_encoding_name_when_the_bytes_tell_it(text, encoding, expected):
    """€ is 0x80 in cp1252, 0xA4 in Latin-9, 0xDB in Mac Roman, and » is 0xAF in cp850
    but ¤ in cp865: only one name fits."""
    assert plausible_encodings(text.encode(encoding), text) == {expected}
    assert decode(text.encode(encoding)).encoding == expected


def test_legacy_text_is_never_lost():
    """Whatever chardet guesses, each byte becomes a character (the Latin-1 fallback)."""
    data = bytes(range(0x80, 0x100)) + b" Tromso"
    result = decode(data)
    assert len(result.text) == len(data)


def test_classic_mac_file_gets_newlines_repaired():
    data = MAC.replace("\n", "\r").encode("mac-roman")
    result = decode(data)
    assert result.text == MAC
    assert result.encoding == "mac-roman"
    assert result.repairs == ("cr",)


# --- line ends and normalisation -------------------------------------------------------


def test_crlf_becomes_newline():
    text = "Været i Bergen\r\n\r\nDet regner igjen på Bryggen.\r\n"
    result = decode(text.encode("utf-8"))
    assert result.text == "Været i Bergen\n\nDet regner igjen på Bryggen.\n"
    assert result.repairs == ("crlf",)


def test_cr_becomes_newline():
    result = decode("Første linje\rAndre linje\rTredje linje på Ål".encode("utf-8"))
    assert result.text == "Første linje\nAndre linje\nTredje linje på Ål"
    assert result.repairs == ("cr",)


def test_mixed_crlf_and_cr_are_both_recorded():
    result = decode("Ørsta\r\nVolda\rÅlesund\n".encode("utf-8"))
    assert result.text == "Ørsta\nVolda\nÅlesund\n"
    assert result.repairs == ("crlf", "cr")


def test_crlf_in_cp1252_windows_file():
    data = WINDOWS.replace(". ", ".\r\n").encode("cp1252")
    result = decode(data)
    assert result.text == WINDOWS.replace(". ", ".\n")
    assert result.encoding == "cp1252"
    assert result.repairs == ("crlf",)


def test_nfd_becomes_nfc():
    nfd = "Blåbærsyltetøy fra Ål og Årdal"
    decomposed = unicodedata.normalize("NFD", nfd)
    assert "a\u030a" in decomposed and "A\u030a" in decomposed  # a/A + combining ring
    result = decode(decomposed.encode("utf-8"))
    assert result.text == nfd
    assert result.repairs == ("nfd",)


def test_a_plus_combining_ring_is_one_character():
    result = decode("Pa\u030a Sto\u0308ren".encode("utf-8"))
    assert result.text == "På Stören"
    assert len(result.text) == len("På Stören")
    assert result.repairs == ("nfd",)


def test_all_repairs_together_in_order():
    text = unicodedata.normalize("NFD", "Åpent brev\r\nom været på Vestlandet\r\n")
    result = decode(codecs.BOM_UTF8 + text.encode("utf-8"))
    assert result.text == "Åpent brev\nom været på Vestlandet\n"
    assert result.repairs == ("bom", "crlf", "nfd")


# --- not text --------------------------------------------------------------------------


def test_empty_file_is_not_text():
    with pytest.raises(NotTextError, match="empty"):
        decode(b"")


@pytest.mark.parametrize("data", [b" ", b"\n\n", b" \t\r\n  \n"])
def test_whitespace_only_is_not_text(data):
    with pytest.raises(NotTextError, match="whitespace"):
        decode(data)


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
        b"%PDF-1.7\n\x00\x01\x02\xff",
        "Rapport fra Stortinget".encode("utf-8") + b"\x00",
    ],
)
def test_nul_bytes_are_binary(data):
    with pytest.raises(NotTextError, match=r"^binary file \(contains NUL bytes\)$"):
        decode(data)


def test_not_text_error_is_a_value_error():
    assert issubclass(NotTextError, ValueError)


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF8,  # an empty file saved by Notepad as "UTF-8 with BOM"
        codecs.BOM_UTF16_LE,
        codecs.BOM_UTF8 + b"  \r\n",
        " \n\n".encode("utf-16"),
    ],
    ids=["utf8-bom-only", "utf16-bom-only", "utf8-bom-whitespace", "utf16-whitespace"],
)
def test_bom_with_nothing_after_it_is_not_text(data):
    with pytest.raises(NotTextError):
        decode(data)


# --- property --------------------------------------------------------------------------

UNICODE_ENCODINGS = {
    "utf-8": (lambda text: text.encode("utf-8"), "utf-8", ()),
    "utf-8-sig": (lambda text: text.encode("utf-8-sig"), "utf-8", ("bom",)),
    "utf-16": (lambda text: text.encode("utf-16"), None, ("bom",)),
    "utf-16-le+bom": (lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"), "utf-16-le", ("bom",)),
    "utf-16-be+bom": (lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"), "utf-16-be", ("bom",)),
}


@settings(max_examples=150, deadline=None)
@given(
    sentences=st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=12),
    separator=st.sampled_from([" ", "\n", "\n\n"]),
    name=st.sampled_from(sorted(UNICODE_ENCODINGS)),
)
def test_unicode_encodings_round_trip(sentences, separator, name):
    text = separator.join(sentences)
    encode, expected_encoding, expected_repairs = UNICODE_ENCODINGS[name]
    result = decode(encode(text))
    assert result.text == text
    assert result.repairs == expected_repairs
    if expected_encoding is None:
        assert result.encoding in {"utf-16-le", "utf-16-be"}
    else:
        assert result.encoding == expected_encoding


# --- mojibake --------------------------------------------------------------------------

MOJIBAKE_CASES = [
    "Blåbærsyltetøy på brødskiva i Ålesund og Tromsø.",
    "Ålesund",
    "Han sa «hei» – og gikk… “Æ e fra Bodø”, sa Øystein.",
    "Fergen til Kvitsøy går igjen. Det melder NRK.",
]


@pytest.mark.parametrize("text", MOJIBAKE_CASES)
def test_double_encoded_utf8_is_repaired(text):
    import ftfy.bad_codecs  # noqa: F401 - Windows keeps cp1252's undefined bytes as U+0081 etc.

    double = text.encode("utf-8").decode("sloppy-windows-1252").encode("utf-8")
    result = decode(double)
    assert result.text == text
    assert "mojibake" in result.repairs and result.encoding == "utf-8"


def test_a_lone_mojibake_letter_in_mostly_ascii_text_is_repaired():
    """ftfy's weak spot: one 'Ã…' or 'Ã¥' in a short, otherwise plain text."""
    assert decode("Ã…lesund er en by".encode()).text == "Ålesund er en by"
    assert decode("Det melder The Guardian om 60-Ã¥rsdagen.".encode()).text == "Det melder The Guardian om 60-årsdagen."


@pytest.mark.parametrize("text", [*SENTENCES[:5], "Prisen er 5 € – «billig»… Ærlig talt, Ørjan?"])
def test_clean_text_is_left_alone(text):
    result = decode(text.encode("utf-8"))
    assert result.text == text and "mojibake" not in result.repairs


def test_short_legacy_texts_read_as_norwegian():
    """60 characters are where detectors fail; the Norwegian letters decide."""
    text = "Ærlig talt: blåbær og tyttebær fra Østerdalen, sa Åse."
    for encoding in ("cp1252", "iso-8859-15", "mac-roman", "cp865"):
        assert decode(text.encode(encoding)).text == text, encoding


def test_clean_text_that_happens_to_reverse_as_mojibake_is_left_alone():
    """Found by the round-trip property test: "Å»" is also cp1252 for the UTF-8 of "Ż"."""
    text = "«KAN GÅ»: Johan Kaggestad har trent mange verdensstjerner"
    assert decode(text.encode("utf-8")).text == text
    assert decode(text.encode("utf-8").decode("cp1252").encode("utf-8")).text == text
