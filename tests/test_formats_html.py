"""The HTML/XHTML reader on saved pages in the style of Norwegian news sites (see
tests/fixtures/formats/README-html-mail.md): the article and not the page around it, every
encoding read right, titles and dates at the precision the page states."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from index.dates import PartialDate
from ingest.formats import UnreadableError, read_document, reader_for
from ingest.formats.charset import decode_declared
from ingest.formats.html import declared_charset, render

FIXTURES = Path(__file__).parent / "fixtures" / "formats"
# What no article holds: the page around it (menus, cookie banners, teasers of other
# articles, share links, footers, scripts), and broken decoding.
BOILERPLATE = (
    "informasjonskapsler", "samtykke", "Godta", "Forsiden", "Bli abonnent", "Mest lest",
    "Les også", "LES OGSÅ", "Les mer", "Del på", "Del saken", "Del artikkelen", "Twitter", "LinkedIn",
    "©", "Copyright", "Ansvarlig redaktør", "gtag", "dataLayer", "document.", "Hopp til innhold",
    "\ufffd", "Ã", "Â",
)  # fmt: skip


def read(name: str):
    [doc] = read_document((FIXTURES / name).read_bytes(), name)
    assert doc.part is None
    for phrase in BOILERPLATE:
        assert phrase not in doc.text, phrase
    return doc


def test_utf8_news_page_the_article_its_lead_list_and_table():
    doc = read("html_dagsavisen_utf8.html")
    assert doc.title == "Fortsatt ikke i mål med gjenåpning av Moss lufthavn Rygge i 2020"  # og:title
    assert doc.date == PartialDate(2019, 8, 2)  # article:published_time, at day precision
    assert (doc.encoding, doc.repairs) == ("utf-8", ())
    paragraphs = doc.text.split("\n\n")
    assert paragraphs[0] == "Moss lufthavn Rygge har vært stengt siden 2016. Nå forsøker nye eiere å gjenåpne flyplassen."
    assert "Kan snart ikke fortsette å utsette avgjørelsen" in paragraphs  # a heading is a paragraph
    assert "Åpnet for sivil trafikk i 1998\nStengt for rutetrafikk 1. november 2016" in doc.text  # an item a line
    assert "År\tPassasjerer\n2015\t1 900 000" in doc.text  # cells never glued
    assert "Rygge Airport forsøker å kapre" not in doc.text  # the "Les også" box


def test_windows_1252_declared_as_iso_8859_1_is_read_as_browsers_do():
    doc = read("html_bergen_cp1252_declared_latin1.html")
    assert (doc.encoding, doc.repairs) == ("cp1252", ())
    assert "2–3 millimeter" in doc.text and "«novembertørkerekord»" in doc.text  # – is 0x96: cp1252 only
    assert doc.date == PartialDate(2019, 11)  # <meta name="date" content="2019-11">: a month stays a month
    assert doc.title.startswith("Ligger an til tørreste november på 98 år i Bergen")  # <h1>
    assert "Regnrekorden fra 2005" not in doc.text and "Tørke også på Østlandet" not in doc.text
    assert "2005\t525,8 mm" in doc.text


def test_page_declaring_utf8_in_cp1252_is_detected_and_the_repair_named():
    doc = read("html_vaartland_declares_utf8_is_cp1252.html")
    assert (doc.encoding, doc.repairs) == ("cp1252", ("charset",))
    assert "Lørdag skriver Ropstad" in doc.text and "– Minister for alle" in doc.text
    assert doc.title == "Ropstad tar avstand fra seksuell reorientering"  # <h1>, not <title>'s "- Vårt Land"
    assert doc.date == PartialDate(2019, 6, 15)  # <time datetime> in the article
    assert "Misjonskirken Norge tar selvkritikk" not in doc.text


def test_undeclared_page_by_the_detector_and_a_footer_year_is_no_date():
    doc = read("html_breer_undeclared_cp1252.html")
    assert doc.encoding == "cp1252"
    assert "Gråfjellsbreen ved Folgefonna" in doc.text
    assert "Gråfjellsbrea: 82 meter\nNigardsbreen: 81 meter" in doc.text
    assert doc.date is None  # only "Copyright © 2024" in the footer
    assert doc.title == "Urovekkende isbremålinger: Alle krymper"  # <title>: no og:title, no <h1>


def test_xhtml_with_xml_declaration_and_json_ld_graph():
    assert reader_for((FIXTURES / "html_kommune_utf8.xhtml").read_bytes(), "side.xhtml").name == "html"
    doc = read("html_kommune_utf8.xhtml")
    assert doc.title == "Nord-Trøndelag – historie og inndeling"
    assert doc.date == PartialDate(2018, 1, 1)  # JSON-LD datePublished (in @graph), not dateModified
    assert "norrønt Þrǿndalǫg, «trøndernes lovområde»" in doc.text
    assert "Trøndelag.\nNord-Trøndelag ligger" in doc.text  # <br /> a line break, not glued
    assert "Fosen\tKystkultur" in doc.text
    assert "Lokalhistorie" not in doc.text and "Postboks" not in doc.text


def test_html_is_sniffed_by_its_bytes_and_the_name_only_hints():
    page = (FIXTURES / "html_dagsavisen_utf8.html").read_bytes()
    assert reader_for(page, "artikkel").name == "html"
    assert reader_for(page, "lagret.txt").name == "text"  # a .txt is text, whatever it holds
    assert reader_for("\ufeff<!DOCTYPE html><html><body>Blåbær</body></html>".encode("utf-16"), "x").name == "html"
    assert reader_for(b"Hei, <html> er en tagg.", "notat").name == "text"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"<!DOCTYPE html><html><head><title>Tom</title><style>p {}</style></head><body><script>var x = 1;</script></body></html>", "no article text"),
        (b"<html>\x00\x01\x02", "binary"),
    ],
)
def test_bad_pages_get_a_reason(data, reason):
    with pytest.raises(UnreadableError, match=reason):
        read_document(data, "side.html")


def test_a_date_that_is_no_date_is_passed_over_for_the_next():
    page = (
        '<html><head><meta property="article:published_time" content="i går">'
        '<meta name="DATE" content="2023-13-01"></head><body><article>'
        '<time datetime="2021-03">mars</time><p>Statsbudsjettet for neste år ble lagt fram i dag, '
        "med store kutt i bevilgningene til kommunene og en økning i forsvarsbudsjettet.</p>"
        "</article></body></html>"
    )
    [doc] = read_document(page.encode(), "budsjett.html")
    assert doc.date == PartialDate(2021, 3)


def test_render_keeps_blocks_apart_and_drops_teasers():
    body = etree.fromstring(
        "<body><p>Første <hi>avsnitt</hi> her.</p><p>Les også: Nyheter fra Bodø</p>"
        "<head>Relaterte saker</head><list><item>Sak én</item><item>Sak to</item></list>"
        "<list><item>Epler<list><item>Gravenstein</item></list></item><item>Pærer</item></list>"
        "<p>Relatert til dette er kommunens eget vedtak.</p><p>Les og lær om fjorden.</p>"
        "<p>Linje én<lb/>linje to</p><table><row><cell>Oslo</cell><cell><p>709 037</p></cell></row></table></body>"
    )
    assert render(body) == (
        "Første avsnitt her.\n\nEpler Gravenstein\nPærer\n\nRelatert til dette er kommunens eget vedtak.\n\n"
        "Les og lær om fjorden.\n\nLinje én\nlinje to\n\nOslo\t709 037"
    )


@pytest.mark.parametrize(
    ("head", "label"),
    [
        (b'<meta charset="ISO-8859-1">', "ISO-8859-1"),
        (b"<meta http-equiv='Content-Type' content='text/html; charset=windows-1252'>", "windows-1252"),
        (b'<meta charset="utf-16">', "utf-8"),  # WHATWG: a <meta> read as ASCII is no UTF-16
        (b'<?xml version="1.0" encoding="iso-8859-15"?><html>', "iso-8859-15"),
        (b"<html><head><title>Ingen</title>", None),
    ],
)
def test_declared_charset(head, label):
    assert declared_charset(head) == label


WORDS = "blåbær fjøs ærlig søknad Ålesund Tromsø Øyvind ÆRLIG «sjø» kjøre dårlig er på og i Bodø Været".split()
NORWEGIAN = st.lists(st.sampled_from(WORDS), min_size=1, max_size=30).map(" ".join)
# (codec the page is written in, the labels a page may declare it with; None: no declaration)
CHARSETS = [
    ("utf-8", ["utf-8", "UTF8", "unicode-1-1-utf-8", None]),
    ("cp1252", ["windows-1252", "iso-8859-1", "ISO_8859-1", "latin1", "us-ascii", "utf-8", None]),
    ("iso-8859-15", ["iso-8859-15", "latin9", "l9", None]),
    ("utf-16", ["utf-16", None]),  # with its byte-order mark
]


@settings(max_examples=300, deadline=None)
@given(text=NORWEGIAN, charset=st.sampled_from(CHARSETS), data=st.data())
def test_any_declared_charset_gives_back_the_text(text, charset, data):
    codec, labels = charset
    label = data.draw(st.sampled_from(labels))
    meta = f'<meta charset="{label}">' if label else ""
    page = f"<!DOCTYPE html><html><head>{meta}</head><body><p>{text}</p></body></html>".encode(codec)
    decoded = decode_declared(page, declared_charset(page))
    assert f"<p>{text}</p>" in decoded.text
    assert "\ufffd" not in decoded.text


@settings(max_examples=25, deadline=None)
@given(words=st.lists(st.sampled_from(WORDS), min_size=30, max_size=60))
def test_any_page_through_the_reader_keeps_its_words(words):
    text = " ".join(words)
    page = f'<html><head><meta charset="iso-8859-1"></head><body><article><p>{text}</p></article></body></html>'
    [doc] = read_document(page.encode("cp1252"), "side.html")
    assert doc.text == text


ARTICLE = "Blåbærsyltetøy fra Ålesund vant prisen for beste norske syltetøy på matfestivalen i år, foran tyttebær fra Røros."


@pytest.mark.parametrize(
    ("data", "encoding", "repairs"),
    [  # a byte-order mark wins over <meta>; UTF-8 saved again as if cp1252 (Ã¥ for å) is repaired
        (b"\xef\xbb\xbf" + f'<html><head><meta charset="iso-8859-1"></head><body><p>{ARTICLE}</p></body></html>'.encode(), "utf-8", ("bom",)),
        (f'<html><head><meta charset="utf-8"></head><body><p>{ARTICLE}</p></body></html>'.encode().decode("cp1252").encode(), "utf-8", ("mojibake",)),
        (f'<html><head><meta charset="windows-1252"></head><body><p>{ARTICLE}</p></body></html>'.encode(), "utf-8", ("charset",)),
        (f'<html><head><meta charset="zlib"></head><body><p>{ARTICLE}</p></body></html>'.encode("cp1252"), "cp1252", ("charset",)),
    ],
)
def test_encoding_paths(data, encoding, repairs):
    [doc] = read_document(data, "side.html")
    assert (doc.text, doc.encoding, doc.repairs) == (ARTICLE, encoding, repairs)
