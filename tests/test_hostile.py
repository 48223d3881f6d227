"""Hostile text from people: it must come out as text in the HTML and the PDF, never as
markup or code, and exported tables must not carry spreadsheet formulas."""

import csv
import os
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from pipeline.present import render

CHROMIUM = "/usr/bin/chromium"
pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def hostile(hostile_built):
    """The published folder of the session's hostile build (conftest: hostile_built; its
    texts are in tests/hostile_cases.py)."""
    return hostile_built.folder


def test_html_shows_hostile_text_as_text(hostile):
    html = (hostile / "LKIP_2025.html").read_text(encoding="utf-8")
    assert "<script" not in html.lower()
    assert "<iframe" not in html.lower()
    assert 'href="javascript:' not in html.lower()
    assert "<img src=x" not in html and '<img src="x"' not in html
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in html
    assert "Dinas &lt;b&gt;Ketahanan&lt;/b&gt; Pangan" in html
    assert "&amp;lt;b&amp;gt;entitas" not in html  # entities in Markdown are not doubled
    assert render.layout_overflows(html) == []  # the very long word wraps


def test_pdf_shows_hostile_text_as_text(hostile):
    text = "\n".join(p.extract_text() for p in PdfReader(hostile / "LKIP_2025.pdf").pages)
    assert "<script>window.__pwned = 1</script>" in text
    assert "Dinas <b>Ketahanan</b> Pangan" in text


def test_exported_tables_carry_no_formula(hostile):
    with open(hostile / "ledger.csv", encoding="utf-8") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert any(cell.startswith("'=HYPERLINK") for cell in cells)
    risky = [c for c in cells if c[:1] in ("=", "+", "-", "@")
             and not re.fullmatch(r"[+-]?[\d.,]*", c)]
    assert risky == []


@pytest.mark.skipif(not Path(CHROMIUM).exists() and not os.environ.get("CI"),
                    reason="Debian's chromium is installed by `make test`")
def test_browser_loads_without_errors_requests_or_injected_script(hostile):
    from playwright.sync_api import sync_playwright

    url = (hostile / "LKIP_2025.html").resolve().as_uri()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        page = browser.new_page()
        messages, requests = [], []
        page.on("console", lambda m: messages.append((m.type, m.text)))
        page.on("pageerror", lambda e: messages.append(("pageerror", str(e))))
        page.on("request", lambda r: requests.append(r.url))
        page.goto(url, wait_until="load")
        page.wait_for_timeout(300)
        pwned = page.evaluate("window.__pwned === undefined ? null : window.__pwned")
        for link in page.query_selector_all("a"):
            href = link.get_attribute("href") or ""
            assert not href.lower().startswith("javascript:"), href
        title = page.title()
        browser.close()
    assert pwned is None
    assert [m for m in messages if m[0] in ("error", "pageerror")] == []
    assert [r for r in requests if not r.startswith(("file:", "data:"))] == []
    assert "Dinas <b>Ketahanan</b> Pangan" in title
