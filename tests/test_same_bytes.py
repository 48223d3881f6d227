"""The same PDF bytes whatever optional system libraries are present, and a manifest that names
the system libraries that shape the PDF, so that `make verify` can name the one that differs."""

import io
from types import SimpleNamespace

import pytest

from pipeline.present import render
from pipeline.run import manifest, verify

HTML = """<!doctype html><html lang="id"><head><meta charset="utf-8"></head>
<body style="font-family: 'Source Serif Pro'"><h1 style="font-family: 'Source Sans Pro'">
Laporan Kinerja 2024</h1><p>Capaian <b>97,57%</b> dari target, <i>realisasi</i> Rp 3.385.637.000.
</p></body></html>"""


@pytest.fixture
def pdf_of(tmp_path, monkeypatch):
    """Renders HTML through our PDF-writing function and returns the bytes."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "946684800")

    def pdf(name):
        render.render_pdf(HTML, tmp_path / name)
        return (tmp_path / name).read_bytes()

    return pdf


def _hidden(monkeypatch):
    """WeasyPrint as on a machine without libharfbuzz-subset (render.hide_harfbuzz_subset,
    undone after the test)."""
    from weasyprint.pdf import fonts
    from weasyprint.text import ffi

    monkeypatch.setattr(ffi, "harfbuzz_subset", None)
    monkeypatch.setattr(fonts, "harfbuzz_subset", None)


def test_the_pdf_does_not_depend_on_libharfbuzz_subset(pdf_of, monkeypatch):
    visible = pdf_of("visible.pdf")
    with monkeypatch.context() as m:
        _hidden(m)
        hidden = pdf_of("hidden.pdf")
    assert visible == hidden


def test_libharfbuzz_subset_would_change_the_bytes(pdf_of, monkeypatch):
    """Why the subsetter is pinned: where libharfbuzz-subset is installed, WeasyPrint left to
    itself writes other font bytes than fontTools does."""
    from weasyprint.pdf import fonts
    from weasyprint.text import ffi

    if ffi.harfbuzz_subset is None:
        pytest.skip("libharfbuzz-subset is not installed here")
    pinned = pdf_of("pinned.pdf")
    monkeypatch.setattr(render, "pin_font_subsetter", lambda: None)
    monkeypatch.setattr(fonts, "harfbuzz_subset", ffi.harfbuzz_subset)
    assert pdf_of("harfbuzz.pdf") != pinned


def test_the_lean_subsetter_writes_what_fonttools_writes(pdf_of, monkeypatch):
    """render._lean_subset only skips reading the tables WeasyPrint drops."""
    from fontTools import subset
    from weasyprint.pdf import fonts

    class Dated(subset.Subsetter):  # the font's own date, as the lean subsetter keeps it
        def subset(self, font):
            font.recalcTimestamp = False
            super().subset(font)

    plain = SimpleNamespace(Options=subset.Options, Subsetter=Dated)
    lean = pdf_of("lean.pdf")
    monkeypatch.setattr(fonts, "subset", plain)
    monkeypatch.setattr(render, "_lean_subset", lambda: plain)
    monkeypatch.setattr(render, "_SUBSETS", {})  # made again, not taken from the lean run
    assert pdf_of("fonttools.pdf") == lean


def test_a_font_subset_does_not_take_the_documents_date(pdf_of, monkeypatch):
    """Each document builds with its own SOURCE_DATE_EPOCH; the fonts embedded do not carry
    it, so a subset remembered from one document is right for the next."""
    monkeypatch.setattr(render, "_SUBSETS", {})
    first = pdf_of("first.pdf")
    monkeypatch.setattr(render, "_SUBSETS", {})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")
    assert pdf_of("later.pdf") == first


def test_a_remembered_font_subset_is_the_one_made_again(pdf_of, monkeypatch):
    """The second PDF takes its fonts from the subsets the first one made: the same bytes as
    when each is made anew, and each subset holds the repertoire whatever the text uses."""
    from fontTools.ttLib import TTFont

    first = pdf_of("first.pdf")
    kept = dict(render._SUBSETS)
    assert kept and all(isinstance(font, bytes) for font in kept.values())
    assert pdf_of("again.pdf") == first
    assert render._SUBSETS == kept  # nothing new was subset
    monkeypatch.setattr(render, "_SUBSETS", {})
    assert pdf_of("anew.pdf") == first
    for content in render._SUBSETS.values():
        font = TTFont(io.BytesIO(content))
        drawn = {name for name in font.getGlyphOrder() if font["glyf"][name].numberOfContours}
        cmap = font.getBestCmap()
        assert {cmap[c] for c in map(ord, "Rp3.385.637.000−×≤ÄÉéñ")} <= drawn


def test_the_system_libraries_are_those_weasyprint_loads():
    from weasyprint.text import ffi

    found = manifest.system_libraries()
    assert set(found) == {"Pango", "HarfBuzz", "HarfBuzz-subset", "fontconfig", "FreeType",
                          "zlib"}
    major, minor, micro = (int(p) for p in found["Pango"].split("."))
    assert ffi.pango.pango_version() == major * 10000 + minor * 100 + micro
    major, minor, micro = (int(p) for p in found["HarfBuzz"].split("."))
    assert ffi.harfbuzz.hb_version_atleast(major, minor, micro)
    assert not ffi.harfbuzz.hb_version_atleast(major, minor, micro + 1)
    assert (found["HarfBuzz-subset"] is None) == (ffi.harfbuzz_subset is None)
    assert all(found[name] for name in ("fontconfig", "FreeType", "zlib"))


ENVIRONMENT = {"python": "3.11.7", "paket": {"weasyprint": "70.0", "pandas": "2.2.3"},
               "pustaka": {"Pango": "1.50.12", "HarfBuzz": "8.3.0", "HarfBuzz-subset": None}}


def _with(**libraries):
    return {**ENVIRONMENT, "pustaka": {**ENVIRONMENT["pustaka"], **libraries}}


def test_verify_names_the_system_library_that_differs():
    assert verify.environment_changes(ENVIRONMENT, _with(HarfBuzz="10.1.0")) == [
        "  pustaka sistem HarfBuzz 8.3.0 -> 10.1.0"]
    assert verify.environment_changes(ENVIRONMENT, _with(**{"HarfBuzz-subset": "ada"})) == [
        "  pustaka sistem HarfBuzz-subset tidak ada -> ada"]


def test_verify_says_when_no_version_differs():
    assert verify.environment_changes(ENVIRONMENT, ENVIRONMENT) == [
        "  tidak ada versi yang berbeda: Python, paket dan pustaka sistem sama dengan manifest "
        "terbitan; penyebabnya di luar yang dicatat manifest"]


def test_verify_says_an_older_manifest_did_not_record_system_libraries():
    older = {k: v for k, v in ENVIRONMENT.items() if k != "pustaka"}
    assert verify.environment_changes(older, ENVIRONMENT) == [
        "  pustaka sistem: tidak tercatat di manifest terbitan"]
