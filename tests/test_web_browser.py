"""The page in a real browser: Debian's chromium driven by Playwright, against the real server.

Skips, saying why, where ``/usr/bin/chromium`` is absent (``.ci/run`` installs it). Every test
fails on a JavaScript dialog or a console error, so a document that managed to run script
(``alert``), or a script the Content-Security-Policy had to block, shows.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .webserver import XSS_NAME, corpus_server

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
]  # fmt: skip

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is absent: install Debian's chromium to run the browser tests"),
]
playwright_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with corpus_server(tmp_path_factory.mktemp("browser")) as server:
        yield server


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


class Watched:
    """A page whose dialogs and console errors are recorded (and dialogs dismissed)."""

    def __init__(self, page):
        self.page = page
        self.problems: list[str] = []
        page.on("dialog", lambda dialog: (self.problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))
        page.on("console", lambda message: message.type == "error" and self.problems.append(f"console: {message.text}"))
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))


@pytest.fixture
def watched(browser, server):
    context = browser.new_context(base_url=server.url, locale="nb-NO")
    watched = Watched(context.new_page())
    yield watched
    context.close()
    assert watched.problems == []


@pytest.fixture
def page(watched):
    return watched.page


def hit_dates(page) -> list[str]:
    return page.locator("ol.hits .meta .date").all_inner_texts()


def test_type_a_query_submit_and_see_marked_hits(page):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "nb"
    page.locator("body").press("/")  # the shortcut focuses the search box
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.type("eiendomsskatten")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=eiendomsskatten"))
    assert page.locator("#total").inner_text().startswith("20 treff")
    assert page.locator("ol.hits li").count() == 10
    assert page.locator("ol.hits mark").first.inner_text().lower() == "eiendomsskatten"


def test_date_filter_and_language_filter(page):
    page.goto("/?q=skatten")
    page.fill("#since", "2021")
    page.fill("#until", "2021-12-31")
    page.click("fieldset.filters button")
    page.wait_for_url(re.compile(r"since=2021"))
    dates = hit_dates(page)
    assert dates and all(date.startswith("2021") for date in dates)
    page.select_option("#language", "nn")
    page.click("fieldset.filters button")
    page.wait_for_url(re.compile(r"language=nn"))
    assert all(" · Nynorsk · " in meta for meta in page.locator("ol.hits .meta").all_inner_texts())
    assert all(date.startswith("2021") for date in hit_dates(page))
    page.locator(".facets a", has_text="alle").click()  # the facet's way back to every language
    page.wait_for_url(lambda url: "language=" not in url)
    assert "Bokmål" in page.locator(".facets").inner_text()


def test_pages_and_the_document_view_jump_to_the_first_match(page):
    page.goto("/?q=skatt")
    links = "Array.from(document.querySelectorAll('ol.hits h3 a'), a => a.getAttribute('href'))"
    first_page = page.evaluate(links)
    page.click("a[rel=next]")
    page.wait_for_url(re.compile(r"offset=10"))
    assert page.locator("ol.hits").get_attribute("start") == "11"
    assert set(page.evaluate(links)).isdisjoint(first_page) and len(first_page) == 10
    assert page.locator("nav.pages [aria-current=page]").inner_text() == "2"
    title = page.locator("ol.hits h3 a").first.inner_text()
    page.locator("ol.hits h3 a").first.click()
    page.wait_for_url(re.compile(r"/documents/.*#treff-1$"))
    assert page.locator("h1").inner_text() == title
    first = page.locator("#treff-1")
    assert first.inner_text().lower().startswith("skatt") and first.is_visible()
    assert page.evaluate("document.querySelector('#treff-1').matches(':target')")
    assert "Tegnkoding" in page.locator("dl.metadata").inner_text()


def test_hostile_documents_run_nothing(page):
    page.goto("/?q=skatt+alert+script+mark+klikk&limit=100")
    assert page.locator("ol.hits li").count() > 30
    page.goto("/documents/xss.txt?q=skatt+mark+script")
    assert '<script>alert("tittel")</script>' in page.locator("h1").inner_text()  # shown as text
    assert page.locator("article a[href^='javascript:'], article script, article img, article svg, article iframe").count() == 0
    page.goto(f"/documents/{XSS_NAME.replace('<', '%3C').replace('>', '%3E')}?q=skatt")
    assert page.locator("h1").inner_text() == "Filnavnet er farlig"
    assert XSS_NAME in page.locator("dl.metadata").inner_text()


def test_search_as_you_type(page):
    page.goto("/")
    page.locator("#q").press_sequentially("Vardø skatten", delay=20)
    page.wait_for_selector("#total")
    assert "treff" in page.locator("#total").inner_text()
    assert "q=Vard%C3%B8+skatten" in page.url


def test_works_without_javascript(browser, server):
    context = browser.new_context(base_url=server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/")
    page.fill("#q", "skatten")
    page.press("#q", "Enter")
    page.wait_for_url(re.compile(r"q=skatten"))
    assert page.locator("ol.hits mark").count() > 0
    page.click("a[rel=next]")
    page.wait_for_url(re.compile(r"offset=10"))
    assert page.locator("ol.hits li").count() > 0
    context.close()
