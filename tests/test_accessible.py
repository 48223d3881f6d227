"""The PDFs a screen reader can follow (tagged: headings, tables with header cells, figures
with their captions as alternative text, language `id`) while staying PDF/A-3b with their
data; and keys, codes and figures printed whole, never hyphenated, in the PDF and the HTML.

The annual report and a quarterly one are built once per session (conftest: built,
early_build) and read here.
"""

from __future__ import annotations

import html as htmllib
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from pipeline.present import render

pytestmark = pytest.mark.e2e

CHAPTERS = ["KATA PENGANTAR", "IKHTISAR EKSEKUTIF", "BAB I PENDAHULUAN",
            "BAB II PERENCANAAN KINERJA", "BAB III AKUNTABILITAS KINERJA", "BAB IV PENUTUP",
            "LAMPIRAN"]
NIP = re.compile(r"\d{8} \d{6,7} \d \d{3}")
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                   reason="poppler-utils (pdftotext, pdfinfo) is not installed")


@pytest.fixture(scope="module")
def documents(built, early_build):
    """(PDF, HTML, findings.json) of the annual report and of a quarterly report."""
    _, folder = built
    written, out = early_build
    return [(folder / "LKIP_2024.pdf", folder / "LKIP_2024.html", folder / "findings.json"),
            (written.pdf, written.html, out / "findings.json")]


class Structure:
    """A PDF's structure tree, with the text each element marks on the pages."""

    def __init__(self, path: Path):
        self.reader = PdfReader(path)
        self.root = self.reader.trailer["/Root"]
        self.pages = {page.indirect_reference.idnum: page for page in self.reader.pages}
        self.marked: dict[tuple[int, int], str] = {}
        self.read: set[int] = set()
        self.elements: list[tuple[dict, dict | None]] = []  # (element, parent)
        for kid in self._kids(self.root["/StructTreeRoot"].get_object()):
            self._walk(kid, None)

    @staticmethod
    def _kids(element) -> list:
        kids = element.get("/K")
        return [] if kids is None else list(kids) if isinstance(kids, list) else [kids]

    def _walk(self, element, parent) -> None:
        element = element.get_object()
        if isinstance(element, dict) and "/S" in element:
            self.elements.append((element, parent))
            for kid in self._kids(element):
                if not isinstance(kid, int):
                    self._walk(kid, element)

    def all(self, tag: str) -> list[dict]:
        return [e for e, _ in self.elements if e["/S"] == tag]

    def parent(self, element: dict) -> dict | None:
        return next(p for e, p in self.elements if e is element)

    def within(self, element: dict, tag: str) -> list[dict]:
        """The elements of one kind at any depth under `element`."""
        found = []
        for kid in self._kids(element):
            kid = kid if isinstance(kid, int) else kid.get_object()
            if isinstance(kid, dict) and "/S" in kid:
                found += [kid] if kid["/S"] == tag else self.within(kid, tag)
        return found

    def lines(self, element: dict) -> list[str]:
        """The text an element marks, one item per marked run (a line of a cell)."""
        out = []
        for kid in self._kids(element):
            if isinstance(kid, int):
                out.append(self._marked_text(element.raw_get("/Pg").idnum, kid))
            elif isinstance(kid.get_object(), dict) and "/S" in kid.get_object():
                out += self.lines(kid.get_object())
        return out

    def text(self, element: dict) -> str:
        return " ".join(" ".join(self.lines(element)).split())

    def _marked_text(self, page: int, mcid: int) -> str:
        if page not in self.read:
            self._read_page(page)
        return self.marked.get((page, mcid), "")

    def _read_page(self, page: int) -> None:
        stack: list = []

        def operator(op, args, *_):
            if op == b"BDC":
                stack.append(args[1].get("/MCID") if hasattr(args[1], "get") else None)
            elif op == b"BMC":
                stack.append(None)
            elif op == b"EMC":
                stack.pop()

        def text(value, *_):
            mcid = next((m for m in reversed(stack) if m is not None), None)
            if mcid is not None:
                self.marked[(page, mcid)] = self.marked.get((page, mcid), "") + value

        self.read.add(page)
        self.pages[page].extract_text(visitor_operand_before=operator, visitor_text=text)


def _header_texts(html: str) -> set[str]:
    """Each <th>'s text as the HTML has it, spaces collapsed."""
    return {" ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", cell)).split())
            for cell in re.findall(r"<th\b[^>]*>(.*?)</th>", html, flags=re.S)}


def _finding_tokens(path: Path) -> list[str]:
    """What an auditor copies from the findings lampiran: file names, each `column=value` of
    a row key whose value is a code, column names and NIPs."""
    tokens = []
    for f in json.loads(path.read_text(encoding="utf-8")):
        parts = f["key"].split(";")
        tokens.append(f["file"])
        tokens += [p + ";" * (n < len(parts)) for n, p in enumerate(parts, 1) if " " not in p]
        tokens += f["field"].split(", ")
        tokens += NIP.findall(f"{f['printed']} {f['expected']} {f['message']}")
    return tokens


# -- tagged -----------------------------------------------------------------------------

def test_pdfs_are_tagged_in_indonesian_and_stay_pdfa_3b_with_their_data(documents):
    for pdf, _, _ in documents:
        tree = Structure(pdf)
        assert tree.root["/Lang"] == "id"
        assert bool(tree.root["/MarkInfo"]["/Marked"])
        assert tree.all("/Document")
        xmp = tree.root["/Metadata"].get_object().get_data().decode("utf-8")
        assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="B"' in xmp
        assert "findings.csv" in tree.reader.attachments


@needs_poppler
def test_pdfinfo_says_tagged(documents):
    for pdf, _, _ in documents:
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                              check=True).stdout
        assert re.search(r"^Tagged:\s+yes$", info, flags=re.M), info


def test_headings_are_tagged_for_the_title_and_each_chapter(documents):
    annual, quarter = (Structure(pdf) for pdf, _, _ in documents)
    assert [annual.text(h) for h in annual.all("/H1")] == [
        "LKIP Dinas Sosial, Pemberdayaan Masyarakat dan Desa Tahun 2024"]
    chapters = [annual.text(h) for h in annual.all("/H2")]
    for chapter in CHAPTERS:
        assert chapter in chapters, chapter
    assert annual.all("/H3") and annual.all("/H4")
    assert len(quarter.all("/H1")) == 1
    assert "LAMPIRAN" in [quarter.text(h) for h in quarter.all("/H2")]


def test_every_figure_has_its_caption_as_alternative_text(documents):
    for pdf, html, _ in documents:
        tree = Structure(pdf)
        figures, captions = tree.all("/Figure"), tree.all("/Caption")
        assert figures and len(figures) == len(captions)
        for caption in captions:
            (figure,) = tree.within(tree.parent(caption), "/Figure")
            assert figure["/Alt"] == tree.text(caption)
            assert re.fullmatch(r"Grafik \d+\. \S.*", figure["/Alt"])
        # the HTML says the same: each chart's alt is its caption
        shown = html.read_text(encoding="utf-8")
        pairs = re.findall(r'<img [^>]*alt="([^"]*)"><figcaption>(.*?)</figcaption>', shown)
        assert len(pairs) == len(figures) and all(alt == text for alt, text in pairs)


def test_every_table_has_header_cells_with_a_scope(documents):
    for pdf, html, _ in documents:
        tree = Structure(pdf)
        tables = tree.all("/Table")
        assert tables
        for table in tables:
            assert tree.within(table, "/TH"), tree.text(table)[:80]
        shown = html.read_text(encoding="utf-8")
        cells = re.findall(r"<th\b[^>]*>", shown)
        assert cells and all(re.search(r'scope="(col|colgroup|row)"', c) for c in cells)


# -- never hyphenated ---------------------------------------------------------------------

def test_the_style_keeps_keys_figures_and_headers_whole():
    css = re.sub(r"/\*.*?\*/", "", (render.TEMPLATES / "style.css").read_text(encoding="utf-8"),
                 flags=re.S)
    rules = dict(re.findall(r"^([^{@][^{]*)\{([^}]*)\}", css, flags=re.M))

    def rule(selector):  # every declaration for the selector, wherever it is listed
        return " ".join(body for sel, body in rules.items()
                        if selector in [s.strip() for s in sel.split(",")])

    assert "hyphens: none" in rule("th") and "overflow-wrap: normal" in rule("th")
    assert "hyphens: none" in rule("td.num") and "overflow-wrap: normal" in rule("td.num")
    assert all(p in rule(".kunci") for p in ("white-space: nowrap", "hyphens: none",
                                             "overflow-wrap: normal"))
    templates = "".join(p.read_text(encoding="utf-8") for p in render.TEMPLATES.rglob("*.j2"))
    assert "&shy;" not in templates and "<wbr>" not in templates
    assert "hyphens" not in templates  # in the style sheets only


def test_the_html_marks_each_key_and_file_of_a_finding_whole(documents):
    for _, html, found in documents:
        shown = html.read_text(encoding="utf-8")
        assert "&shy;" not in shown and "<wbr>" not in shown
        for f in json.loads(found.read_text(encoding="utf-8")):
            assert f'<code class="kunci">{htmllib.escape(f["file"])}</code>' in shown
            for part in f["key"].split(";"):
                if " " not in part:
                    assert re.search(rf'<code class="kunci">{re.escape(part)};?</code>', shown)
            for nip in NIP.findall(f["printed"]):
                assert f'<span class="kunci">{nip}</span>' in shown


def test_pdf_table_headers_wrap_between_words_only(documents):
    for pdf, html, _ in documents:
        tree = Structure(pdf)
        headers = _header_texts(html.read_text(encoding="utf-8"))
        for th in tree.all("/TH"):
            # lines joined by a space; a break after a hyphen the header has joins without
            printed = re.sub(r"- ", "-", " ".join(" ".join(tree.lines(th)).split()))
            assert printed in headers, printed


@needs_poppler
def test_pdf_text_has_each_finding_key_whole_on_one_line(documents):
    for pdf, _, found in documents:
        layout = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                                text=True, check=True).stdout
        lines = layout.splitlines()
        tokens = _finding_tokens(found)
        assert tokens
        for token in tokens:
            assert any(token in line for line in lines), token
        # in content order, hyphens kept (pdftotext joins hyphenated words otherwise)
        raw = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True,
                             text=True, check=True).stdout
        for before, after in re.findall(r"(\S+)-\n\s*(\S+)", raw):
            joined = before + after  # a word the line break hyphenated: never a key
            assert not re.search(r"[=_]|;\S|\.csv", joined), f"{before}-|{after}"
