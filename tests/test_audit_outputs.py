"""What `make audit DOC=` writes and says (present/audit_report.py, run/audit.py): findings.csv
and .json, audit.html with each checked cell marked, its PDF, tables.xlsx, the folder put in
place whole, and the command's messages and exit codes. The audits here are built by hand
over real readings (the seed as text, and small documents of the tests' own): what the checks
find is tested with the checks."""

from __future__ import annotations

import csv
import dataclasses
import json
import re
import shutil
import subprocess
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pipeline import cli
from pipeline.check.document.result import (
    FAILS,
    HOLDS,
    NOT_UNDERSTOOD,
    Audit,
    CellMark,
    DocumentFinding,
    Where,
)
from pipeline.check.rules import Finding
from pipeline.present import audit_report
from pipeline.read.document import read, understand
from pipeline.run import audit as command

from .conftest import ROOT

DOCS = ROOT / "tests" / "documents"
EFFICIENCY = "C. Perbandingan Pencapaian Kinerja dan Anggaran"
CAPAIAN = ("Target dan Realisasi Indikator Kinerja Utama Dinas Sosial, Pemberdayaan "
           "Masyarakat dan Desa Tahun 2024")
SMALL = ("## Capaian =HYPERLINK(\"x\") IKU\n\n"
         "| No | Uraian | Target | Realisasi | Capaian |\n|---|---|---|---|---|\n"
         "| 1 | =1+1 | 10,5% | 9,8% | 93,33% |\n"
         "| 2 | Angka kemiskinan | 8,60% | 29,03% | 22,64% |\n"
         "| | Jumlah | 1.234 | 2.036.000.00 | 12345678901234567 |\n")
needs_make = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
needs_source = pytest.mark.skipif(
    "source" not in {f.name for f in dataclasses.fields(DocumentFinding)},
    reason="DocumentFinding has no source field yet")
QUARTER = "A. REALISASI KINERJA TRIWULAN I Dinas Sosial, Pemberdayaan Masyarakat dan Desa"
NAME, NAME_PRINTED = "Suparmi A. Aspian, S.ST, MT", "Suparni A. Aspian, S.ST., MT."
NIP_PRINTED = "19730927 1999403 1 006"


def _table(reading, title: str):
    return next(t for t in reading.tables if t.table.title == title)


def _where(t, row: int, column: int) -> Where:
    table = t.table
    return Where(table.number, table.title, table.page, table.paragraph, row,
                 t.rows[row].label, column, t.columns[column].label)


@pytest.fixture(scope="module")
def seed_reading():
    return understand(read(DOCS / "seed.md"))


@pytest.fixture(scope="module")
def seed_audit(seed_reading):
    """The seed's capaian table holding, and the efficiency table's first capaian not (the
    seed prints 1.15 % for 113,65 %), its last efficiency not understood; one warning about
    a paragraph."""
    capaian, efficiency = _table(seed_reading, CAPAIAN), _table(seed_reading, EFFICIENCY)
    marks = [CellMark(capaian.table.number, r, c, HOLDS, "CAPAIAN")
             for r in range(2) for c in (2, 3, 4)]
    marks += [CellMark(efficiency.table.number, 0, 3, HOLDS, "CAPAIAN"),
              CellMark(efficiency.table.number, 0, 4, HOLDS, "CAPAIAN"),
              CellMark(efficiency.table.number, 0, 5, FAILS, "CAPAIAN", "113,65 %"),
              CellMark(efficiency.table.number, 0, 5, HOLDS, "EFISIENSI"),
              CellMark(efficiency.table.number, 1, 9, NOT_UNDERSTOOD, "EFISIENSI")]
    found = [DocumentFinding(Finding("CAPAIAN", "error", "seed.md", "", "capaian", "1.15 %",
                                     "113,65 %", "Capaian tidak sesuai target dan realisasi"),
                             _where(efficiency, 0, 5)),
             DocumentFinding(Finding("NIP", "warning", "seed.md", "", "nip",
                                     "19740512 200003 1 0041", "18 digit",
                                     "=NIP dicetak dengan 19 digit"),
                             Where(paragraph=388))]
    return Audit(seed_reading, found, marks, ["Polaritas Persentase PMKS Mandiri: positif "
                                              "(rumus R/T pada baris lain)"])


@pytest.fixture
def small_doc(tmp_path) -> Path:
    path = tmp_path / "kiriman.md"
    path.write_text(SMALL, encoding="utf-8")
    return path


def small_audit(reading) -> Audit:
    """The small document's audit: row 1's capaian holds, row 2's does not (an error)."""
    t = reading.tables[0]
    finding = Finding("CAPAIAN", "error", reading.document.name, "", "capaian", "22,64%",
                      "337,56 %", "Capaian tidak sesuai target dan realisasi")
    return Audit(reading, [DocumentFinding(finding, _where(t, 1, 4))],
                 [CellMark(1, 0, 4, HOLDS, "CAPAIAN"),
                  CellMark(1, 1, 4, FAILS, "CAPAIAN", "337,56 %"),
                  CellMark(1, 2, 3, NOT_UNDERSTOOD, "JUMLAH")])


def graded_audit(reading) -> Audit:
    """The small document's audit with a finding of every severity on its cells, one figure
    not understood, and two findings outside its table (a signature's NIP and name):
    row 1's capaian a rounding warning (its mark without a severity, as the checks across the
    document leave it), row 2's an error, the Jumlah's target a note (its mark's severity)."""
    t = reading.tables[0]
    name = reading.document.name
    found = [
        DocumentFinding(Finding("CAPAIAN", "warning", name, "", "capaian", "93,33%", "93,34 %",
                                "Selisih pembulatan"), _where(t, 0, 4)),
        DocumentFinding(Finding("CAPAIAN", "error", name, "", "capaian", "22,64%", "337,56 %",
                                "Capaian tidak sesuai target dan realisasi"), _where(t, 1, 4)),
        DocumentFinding(Finding("JUMLAH", "info", name, "", "target", "1.234", "19,10 %",
                                "Jumlah persentase tidak bermakna"), _where(t, 2, 2)),
        DocumentFinding(Finding("ANGKA-TIDAK-DIPAHAMI", "warning", name, "", "realisasi",
                                '"2.036.000.00"', "satu angka yang terbaca jelas",
                                "Realisasi tidak dipahami"), _where(t, 2, 3)),
        DocumentFinding(Finding("NIP-TIDAK-SAH", "error", name, "", "nip", NIP_PRINTED,
                                "NIP 18 digit yang sah", "NIP dicetak dengan 19 digit"),
                        Where(page=3, paragraph=12)),
        DocumentFinding(Finding("NAMA-BERBEDA", "warning", name, "", "nama", NAME_PRINTED,
                                NAME, "Ejaan nama penanda tangan berbeda"),
                        Where(page=3, paragraph=12))]
    marks = [CellMark(1, 0, 2, HOLDS, "CAPAIAN"), CellMark(1, 0, 3, HOLDS, "CAPAIAN"),
             CellMark(1, 0, 4, FAILS, "CAPAIAN", "93,34 %"),
             CellMark(1, 1, 4, FAILS, "CAPAIAN", "337,56 %", "error"),
             CellMark(1, 2, 2, FAILS, "JUMLAH", "19,10 %", "info"),
             CellMark(1, 2, 3, NOT_UNDERSTOOD, "JUMLAH")]
    return Audit(reading, found, marks)


@pytest.fixture
def graded(small_doc) -> Audit:
    return graded_audit(understand(read(small_doc)))


def _finding_row(html: str, no: int) -> str:
    """The findings list's row of finding `no`, as HTML."""
    return re.search(rf'<tr[^>]* id="temuan-{no}">.*?</tr>', html, re.S).group(0)


def warning_audit(reading) -> Audit:
    t = reading.tables[0]
    finding = Finding("CAPAIAN", "warning", reading.document.name, "", "capaian", "93,33%",
                      "93,34 %", "Selisih pembulatan")
    return Audit(reading, [DocumentFinding(finding, _where(t, 0, 4))],
                 [CellMark(1, 0, 4, HOLDS, "CAPAIAN")])


# --- findings.csv and findings.json ----------------------------------------------------------

def test_findings_csv_and_json_one_row_per_finding_with_its_place(seed_audit, tmp_path):
    audit_report.write_findings(seed_audit, tmp_path)
    with open(tmp_path / "findings.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == audit_report.FINDING_COLUMNS == [
        "no", "tempat", "halaman", "tabel", "judul_tabel", "baris", "label_baris", "kolom",
        "label_kolom", "tercetak", "hitung_ulang", "dibandingkan_dengan", "aturan", "tingkat",
        "pesan"]
    label = ("Meningkatnya Kemandirian Penyandang Masalah Kesejahteraan Sosial (PMKS) Penerima "
             "manfaat pelayanan rehabilitasi kesejahteraan Sosial dan Pemberdayaan "
             "Kelembagaan Sosial")
    assert rows[1] == ["1", f'tabel 25 ({EFFICIENCY}), baris "{label}", kolom "Kinerja / '
                       'Capaian (%)"', "", "25", EFFICIENCY, "1", label, "6",
                       "Kinerja / Capaian (%)", "1.15 %", "113,65 %", "", "CAPAIAN", "kesalahan",
                       "Capaian tidak sesuai target dan realisasi"]
    # a message from a received document starting with = is no formula in a spreadsheet
    assert rows[2] == ["2", "paragraf 388", "", "", "", "", "", "", "", "19740512 200003 1 0041",
                       "18 digit", "", "NIP", "peringatan", "'=NIP dicetak dengan 19 digit"]
    records = json.loads((tmp_path / "findings.json").read_text(encoding="utf-8"))
    assert [list(r) for r in records] == [audit_report.FINDING_COLUMNS] * 2
    assert (records[0]["tabel"], records[0]["baris"], records[0]["kolom"],
            records[0]["halaman"]) == (25, 1, 6, None)
    assert records[1]["pesan"] == "=NIP dicetak dengan 19 digit"


def test_findings_csv_and_json_name_the_figure_compared_with_when_the_check_does(
        seed_audit, tmp_path):
    """`dibandingkan_dengan` comes after `hitung_ulang`, empty for a finding without one."""
    audit_report.write_findings(seed_audit, tmp_path)
    records = json.loads((tmp_path / "findings.json").read_text(encoding="utf-8"))
    assert list(records[0])[10:13] == ["hitung_ulang", "dibandingkan_dengan", "aturan"]
    assert [r["dibandingkan_dengan"] for r in records] == ["", ""]


@needs_source
def test_a_findings_source_is_in_the_csv_json_and_under_its_message(seed_audit, tmp_path):
    compared = ('halaman 25, tabel 6 (Perjanjian Kinerja Tahun 2024), baris "Persentase Desa '
                'Mandiri", kolom "TARGET"')
    first = seed_audit.findings[0]
    audit = dataclasses.replace(seed_audit, findings=[
        DocumentFinding(first.finding, first.where, source=compared),
        seed_audit.findings[1]])
    audit_report.write_findings(audit, tmp_path)
    with open(tmp_path / "findings.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["dibandingkan_dengan"] for r in rows] == [compared, ""]
    records = json.loads((tmp_path / "findings.json").read_text(encoding="utf-8"))
    assert records[0]["dibandingkan_dengan"] == compared
    html = audit_report.render_html(audit)
    assert ('Capaian tidak sesuai target dan realisasi<span class="dibandingkan">dibandingkan '
            'dengan: halaman 25, tabel 6 (Perjanjian Kinerja Tahun 2024), baris &#34;Persentase '
            'Desa Mandiri&#34;, kolom &#34;TARGET&#34;</span></td></tr>') in _finding_row(html, 1)
    assert "dibandingkan dengan" not in _finding_row(html, 2)


def test_counts_of_the_first_page(seed_audit):
    n = audit_report.counts(seed_audit)
    assert (n.errors, n.warnings, n.notes) == (1, 1, 0)
    assert (n.cells, n.read, n.ambiguous, n.unread, n.share) == (495, 494, 0, 1, "99,8 %")
    # the failing capaian also read by a rule that held counts once, at its worst
    assert (n.checked, n.holds, n.fails, n.not_understood) == (10, 8, 1, 1)


def test_first_page_splits_failing_cells_by_severity_and_counts_findings_outside_tables(
        graded):
    n = audit_report.counts(graded)
    assert (n.errors, n.warnings, n.notes) == (2, 3, 1)
    assert (n.checked, n.holds, n.fails, n.not_understood) == (6, 2, 3, 1)
    assert n.fails_said == "3 tidak cocok (1 kesalahan, 1 peringatan, 1 catatan)"
    assert (n.in_tables_total, n.outside_total) == (4, 2)
    assert n.in_tables_said == ("1 kesalahan, 2 peringatan, 1 catatan, pada 4 sel bertanda "
                                "(3 tidak cocok, 1 tidak dipahami)")
    assert n.outside_said == "1 kesalahan, 1 peringatan"
    html = audit_report.render_html(graded)
    for said in ('Temuan di tabel</th><td class="num">4</td><td>1 kesalahan, 2 peringatan, 1 '
                 'catatan, pada 4 sel bertanda (3 tidak cocok, 1 tidak dipahami)</td>',
                 'Temuan di luar tabel</th><td class="num">2</td><td>1 kesalahan, 1 peringatan: '
                 'blok tanda tangan, identitas dan kalimat di teks',
                 "sel yang dibaca aturan pemeriksaan: 2 cocok, 3 tidak cocok (1 kesalahan, 1 "
                 "peringatan, 1 catatan), 1 tidak dipahami",
                 "6 diperiksa: 2 cocok, 3 tidak cocok (1 kesalahan, 1 peringatan, 1 catatan), "
                 "1 tidak dipahami"):
        assert said in html, said
    # no arithmetic in the templates: every count is a name the Python side computed
    templates = Path(audit_report.__file__).parent / "templates" / "audit"
    for template in templates.glob("*.j2"):
        assert not re.search(r"\{\{[^}]*[-+*/][^}]*\}\}", template.read_text("utf-8")), template


# --- audit.html ---------------------------------------------------------------------------------

class Cells(HTMLParser):
    """audit.html's tables as read: (table, body row, column) -> (class, text), the findings'
    rows by id, and the links in each."""

    def __init__(self, html: str):
        super().__init__()
        self.cells: dict[tuple[int, int, int], tuple[str, str]] = {}
        self.links: dict[tuple[int, int, int], list[str]] = {}
        self.findings: dict[str, str] = {}
        self.table = self.row = self.column = self.cell = None
        self.in_body = False
        self.finding = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section" and (attrs.get("id") or "").startswith("tabel-"):
            self.table, self.row = int(attrs["id"].removeprefix("tabel-")), -1
        elif tag == "tbody":
            self.in_body = True
        elif tag == "tr" and self.in_body and self.table is not None:
            self.row, self.column = self.row + 1, -2  # the first cell is the row's number
        elif tag == "tr" and (attrs.get("id") or "").startswith("temuan-"):
            self.finding = attrs["id"]
            self.findings[self.finding] = ""
        elif tag == "td" and self.in_body and self.table is not None:
            self.column += 1
            if self.column >= 0:
                self.cell = (self.table, self.row, self.column)
                self.cells[self.cell] = (attrs.get("class") or "", "")
        elif tag == "a" and self.cell:
            self.links.setdefault(self.cell, []).append(attrs["href"])
        elif tag == "a" and self.finding:
            self.findings[self.finding] += f"<{attrs['href']}>"

    def handle_endtag(self, tag):
        if tag == "tbody":
            self.in_body = False
        elif tag == "tr":
            self.finding = None
        elif tag == "td":
            self.cell = None

    def handle_data(self, data):
        if self.cell:
            css, text = self.cells[self.cell]
            self.cells[self.cell] = (css, text + data)
        if self.finding:
            self.findings[self.finding] += data


def test_html_marks_each_checked_cell_and_shows_the_recomputation(seed_audit):
    html = audit_report.render_html(seed_audit, "ab" * 32)
    page = Cells(html)
    assert page.cells[(25, 0, 5)] == ("num tidak-cocok", "1.15 %hitung ulang: 113,65 % [1]")
    assert page.links[(25, 0, 5)] == ["#temuan-1"]
    assert page.cells[(25, 0, 3)] == ("num cocok", "22.05 %")
    assert page.cells[(25, 1, 9)] == ("num tidak-dipahami", "-91.49")
    assert page.cells[(25, 0, 6)] == ("num", "3.385.637.000")  # read, not checked
    assert page.cells[(25, 0, 2)] == ("", "Persentase PMKS Mandiri")
    assert [page.cells[(9, r, c)][0] for r in range(2) for c in (2, 3, 4)] == \
        ["num cocok"] * 6
    # the seed's one figure not read, marked though no rule read it, with the reason
    unread = next(v for v in page.cells.values() if v[1].startswith("2.036.000.00"))
    assert unread == ("num tak-terbaca", "2.036.000.00pemisah titik tidak setiap 3 digit")
    assert page.findings["temuan-1"].startswith("1tabel 25, setelah paragraf 182<#tabel-25>25: "
                                                "C. Perbandingan")
    assert "kesalahan" in page.findings["temuan-1"]
    assert page.findings["temuan-2"].startswith("2paragraf 388")
    assert "=NIP dicetak dengan 19 digit" in page.findings["temuan-2"]
    for said in ("Kesalahan</th><td class=\"num\">1<", "Terbaca tanpa ragu</th><td class=\"num\">"
                 "494<", "99,8 % dari sel angka dipahami", "8 cocok, 1 tidak cocok (1 "
                 "kesalahan), 1 tidak dipahami", "Polaritas Persentase PMKS Mandiri: positif",
                 "ab" * 32, 'id="tabel-25"', "tabel 25, setelah paragraf 182 · 14 sel angka "
                 "terbaca; 4 diperiksa: 2 cocok, 1 tidak cocok (1 kesalahan), 1 tidak dipahami"):
        assert said in html, said
    assert "style=" not in html


def test_a_failing_cell_is_marked_by_its_findings_severity(graded):
    html = audit_report.render_html(graded)
    page = Cells(html)
    assert page.cells[(1, 0, 4)] == ("num tidak-cocok-peringatan",
                                     "93,33%hitung ulang: 93,34 % [1]")
    assert page.cells[(1, 1, 4)] == ("num tidak-cocok", "22,64%hitung ulang: 337,56 % [2]")
    assert page.cells[(1, 2, 2)] == ("num tidak-cocok-catatan", "1.234hitung ulang: 19,10 % [3]")
    assert page.cells[(1, 2, 3)][0] == "num tidak-dipahami"
    assert page.cells[(1, 0, 3)] == ("num cocok", "9,8%")
    assert 'title="tidak cocok: peringatan (selisih pembulatan): CAPAIAN"' in html
    # the legend has a state for each
    legend = re.search(r'<p class="legenda">.*?</p>', html, re.S).group(0)
    assert re.findall(r'class="contoh ([^"]+)">[^<]*</span> ([^<]+)</span>', legend) == [
        ("cocok", "cocok"), ("tidak-cocok", "tidak cocok: kesalahan"),
        ("tidak-cocok-peringatan", "tidak cocok: peringatan (selisih pembulatan)"),
        ("tidak-cocok-catatan", "tidak cocok: catatan"), ("tidak-dipahami", "tidak dipahami"),
        ("tak-terbaca", "tidak terbaca tanpa ragu, tidak diperiksa")]


def test_a_failing_mark_without_a_finding_or_severity_stays_an_error(small_doc):
    audit = small_audit(understand(read(small_doc)))
    audit.findings = []
    audit.marks = [CellMark(1, 1, 4, FAILS, "CAPAIAN", "337,56 %")]
    state = audit_report.cell_states(audit)[(1, 1, 4)]
    assert (state.status, state.severity, state.look.css) == (FAILS, "error", "tidak-cocok")


def test_findings_list_wraps_words_and_breaks_figures_only_at_their_separators():
    def shown(text):
        view = audit_report.value_view(text)
        return str(view.html), view.css

    assert shown(NAME_PRINTED) == ("Suparni A. Aspian, S.ST., MT.", "teks")
    assert shown("satu angka yang terbaca jelas") == ("satu angka yang terbaca jelas", "teks")
    assert shown("3.385.637.000") == ("3.<wbr>385.<wbr>637.<wbr>000", "num")
    assert shown("17,548,200") == ("17,<wbr>548,<wbr>200", "num")
    assert shown("Rp. 7.537.949.495,-") == ("Rp. 7.<wbr>537.<wbr>949.<wbr>495,-", "num")
    assert shown("22.64 %") == ("22.64\u00a0%", "num")
    assert shown("113,65%") == ("113,65%", "num")
    # a NIP breaks only after its date groups, its short last groups kept together
    assert shown(NIP_PRINTED) == ("19730927 1999403\u00a01\u00a0006", "num")
    assert shown('"2.036.000.00"') == ("&#34;2.<wbr>036.<wbr>000.00&#34;", "num")


def test_findings_list_has_no_value_kept_on_one_line_and_its_widths_fill_the_page(graded):
    html = audit_report.render_html(graded)
    findings = re.search(r'<section class="temuan">.*?</section>', html, re.S).group(0)
    assert "kunci" not in findings
    assert (f'<td class="teks">{NAME_PRINTED}</td><td class="teks">{NAME}</td><td><code>'
            "NAMA-BERBEDA</code>") in _finding_row(html, 6)
    assert ('<td class="num">19730927 1999403\u00a01\u00a0006</td><td class="teks">NIP 18 digit '
            'yang sah</td>') in _finding_row(html, 5)
    css = (Path(audit_report.__file__).parent / "templates" / "audit" /
           "audit.css").read_text(encoding="utf-8")
    widths = dict(re.findall(r"table\.daftar-temuan th\.(k-[a-z]+) \{ width: (\d+)%; \}", css))
    columns = re.findall(r'<th scope="col" class="(k-[a-z]+)">', findings)
    assert len(columns) == 10 and sum(int(widths[c]) for c in columns) == 100


def test_the_printed_version_leaves_out_tables_of_words_and_names_them(seed_audit):
    whole = audit_report.render_html(seed_audit)
    printed = audit_report.render_html(seed_audit, printed=True)
    # tabel 7 (tindak lanjut, 21 rows of words) is in audit.html, named only in the PDF's
    assert 'id="tabel-7"' in whole and 'id="tabel-7"' not in printed
    assert 'id="tabel-26"' in printed  # the budget table holds figures
    assert "Tabel tanpa angka tidak dicetak ulang di sini" in printed
    assert "7 (DINAS SOSIAL, PEMBERDAYAAN MASYARAKAT DAN DESA KABUPATEN BARITO UTARA)" in printed


def test_html_merges_a_header_cell_over_its_columns_and_rows():
    header = [["No", "Kinerja", "Kinerja", "Keterangan"],
              ["No", "Target", "Realisasi", "Keterangan"]]
    merged = audit_report.merged_header(header, 4)
    assert [[(c.text, c.colspan, c.rowspan) for c in row] for row in merged] == [
        [("No", 1, 2), ("Kinerja", 2, 1), ("Keterangan", 1, 2)],
        [("Target", 1, 1), ("Realisasi", 1, 1)]]


def test_a_quarter_groups_target_is_not_merged_with_the_annual_target_beside_it(
        seed_reading, seed_audit):
    """The seed's quarterly tables: `Target` over two rows, then `Capaian Triwulan I` over
    the quarter's Target, Realisasi and Capaian %."""
    table = _table(seed_reading, QUARTER).table
    merged = audit_report.merged_header(table.header, table.width)
    assert [[(c.text, c.colspan, c.rowspan) for c in row] for row in merged] == [
        [("No", 1, 2), ("Sasaran", 1, 2), ("Indikator Kinerja Utama", 1, 2), ("Target", 1, 2),
         ("Capaian Triwulan I", 3, 1), ("Keterangan", 1, 2)],
        [("Target", 1, 1), ("Realisasi", 1, 1), ("Capaian %", 1, 1)]]
    # table 34: a header cell left empty under a group is its own cell, never merged
    shifted = next(t.table for t in seed_reading.tables if t.table.number == 34)
    merged = audit_report.merged_header(shifted.header, shifted.width)
    assert [[(c.text, c.colspan, c.rowspan) for c in row] for row in merged][1] == [
        ("Target", 1, 1), ("Realisasi", 1, 1), ("", 1, 1), ("Capaian %", 1, 1)]
    html = audit_report.render_html(seed_audit)
    head = re.search(r'id="tabel-32">.*?<thead>(.*?)</thead>', html, re.S).group(1)
    assert ('<th scope="col" rowspan="2">Target</th><th scope="col" colspan="3">Capaian '
            'Triwulan I</th>') in head
    assert ('<tr><th scope="col">Target</th><th scope="col">Realisasi</th><th scope="col">'
            'Capaian %</th></tr>') in head


def test_equal_neighbours_merge_within_one_group_only():
    header = [["Tahun", "Tahun", "Tahun", "Tahun"],
              ["2023", "2023", "2024", "2024"],
              ["Target", "Realisasi", "Target", "Realisasi"]]
    merged = audit_report.merged_header(header, 4)
    assert [[(c.text, c.colspan, c.rowspan) for c in row] for row in merged] == [
        [("Tahun", 4, 1)], [("2023", 2, 1), ("2024", 2, 1)],
        [("Target", 1, 1), ("Realisasi", 1, 1), ("Target", 1, 1), ("Realisasi", 1, 1)]]
    # under two different groups, the same word stays two cells
    assert [[(c.text, c.colspan) for c in row] for row in audit_report.merged_header(
        [["TW I", "TW II"], ["Nilai", "Nilai"]], 2)] == [
        [("TW I", 1), ("TW II", 1)], [("Nilai", 1), ("Nilai", 1)]]


def test_html_escapes_received_text_and_names_pages_without_text(small_doc):
    document = read(small_doc)
    document.without_text = (2, 5)
    document.tables[0].title = "Capaian <b>IKU</b>"
    document.tables[0].body[1][1] = "<script>alert(1)</script>"
    html = audit_report.render_html(small_audit(understand(document)))
    assert "<b>IKU" not in html and "Tabel 1: Capaian &lt;b&gt;IKU&lt;/b&gt;</h3>" in html
    assert "<script" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Halaman tanpa lapisan teks (pindaian) tidak dibaca: 2, 5." in html
    page = Cells(html)
    assert page.cells[(1, 1, 4)] == ("num tidak-cocok", "22,64%hitung ulang: 337,56 % [1]")
    assert page.cells[(1, 2, 3)] == ("num tidak-dipahami",
                                     "2.036.000.00pemisah titik tidak setiap 3 digit")


# --- tables.xlsx ----------------------------------------------------------------------------

def test_workbook_holds_every_table_as_read_values_fills_and_no_formula(small_doc, tmp_path):
    from openpyxl import load_workbook

    path = audit_report.write_workbook(small_audit(understand(read(small_doc))),
                                       tmp_path / "tables.xlsx")
    book = load_workbook(path)
    assert book.sheetnames == ["Daftar", "Temuan", 'T1 Capaian =HYPERLINK("x") IKU']
    index = book["Daftar"]
    assert [c.value for c in index[1]] == audit_report.INDEX_COLUMNS
    assert [c.value for c in index[2]] == [
        1, 'T1 Capaian =HYPERLINK("x") IKU', "tabel 1, setelah paragraf 1", None,
        'Capaian =HYPERLINK("x") IKU', 3, 5, 3, 1, 1, 1]
    sheet = book['T1 Capaian =HYPERLINK("x") IKU']
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    # the body rows numbered first, as the findings cite them
    assert rows == [["Baris", "No", "Uraian", "Target", "Realisasi", "Capaian"],
                    [1, 1, "=1+1", 10.5, 9.8, 93.33],
                    [2, 2, "Angka kemiskinan", 8.6, 29.03, 22.64],
                    # not read, and too many digits for a spreadsheet: as printed
                    [3, None, "Jumlah", 1234, "2.036.000.00", "12345678901234567"]]
    assert sheet["C2"].data_type == "s"
    assert sheet["D2"].number_format == '#,##0.0" %"'
    assert sheet["E3"].number_format == '#,##0.00" %"'
    assert sheet["D4"].number_format == "#,##0"
    fills = {ref: sheet[ref].fill.fgColor.rgb for ref in ("F2", "F3", "E4", "E2")}
    assert fills == {"F2": "00C6EFCE", "F3": "00FFC7CE", "E4": "00D9D9D9", "E2": "00000000"}
    assert sheet["F3"].comment.text == ("tidak cocok: kesalahan\nhitung ulang: 337,56 %\n"
                                        "aturan: CAPAIAN\ntemuan no. 1")
    assert sheet.freeze_panes == "B2"
    with zipfile.ZipFile(path) as parts:
        xml = "".join(parts.read(n).decode("utf-8") for n in parts.namelist()
                      if n.startswith("xl/worksheets/"))
    assert "<f>" not in xml and "<f " not in xml


def test_workbook_fills_by_severity_and_lists_the_findings_linked_to_their_cells(
        graded, tmp_path):
    from openpyxl import load_workbook

    book = load_workbook(audit_report.write_workbook(graded, tmp_path / "tables.xlsx"))
    name = 'T1 Capaian =HYPERLINK("x") IKU'
    sheet = book[name]
    fills = {ref: sheet[ref].fill.fgColor.rgb for ref in ("F2", "F3", "D4", "E4", "D2")}
    assert fills == {"F2": "00FFEB9C", "F3": "00FFC7CE", "D4": "00EEF3F9", "E4": "00D9D9D9",
                     "D2": "00C6EFCE"}
    assert sheet["D4"].border.left.style == "thin" and sheet["F3"].border.left.style is None
    assert sheet["F2"].comment.text.startswith("tidak cocok: peringatan (selisih pembulatan)\n")
    # the not-understood cell's comment says why
    assert sheet["E4"].comment.text == ("tidak dipahami\npemisah titik tidak setiap 3 digit\n"
                                        "aturan: JUMLAH\ntemuan no. 4")
    findings = book["Temuan"]
    rows = [[c.value for c in row] for row in findings.iter_rows()]
    assert rows[0] == [*audit_report.FINDING_COLUMNS, "sel"]
    assert rows[1] == [1, 'tabel 1 (Capaian =HYPERLINK("x") IKU), baris "=1+1", kolom '
                       '"Capaian"', None, 1, 'Capaian =HYPERLINK("x") IKU', 1, "=1+1", 5,
                       "Capaian", "93,33%", "93,34 %", None, "CAPAIAN", "peringatan",
                       "Selisih pembulatan", f"{name} › F2"]
    assert findings["P2"].hyperlink.location == f"'{name}'!F2"
    assert [findings.cell(r, 16).value for r in range(3, 8)] == [
        f"{name} › F3", f"{name} › D4", f"{name} › E4", None, None]
    assert rows[5][:3] == [5, "halaman 3, paragraf 12", 3]
    assert findings["G2"].data_type == "s" and findings.freeze_panes == "B2"
    index = book["Daftar"]
    assert index["B2"].hyperlink.location == f"'{name}'!A1"
    legend = index.cell(index.max_row, 1).value
    assert "kuning = tidak cocok, peringatan (selisih pembulatan)" in legend
    assert "kolom Baris (nomor baris isi yang disebut temuan)" in legend


def test_baris_column_spans_a_header_of_two_rows(seed_audit, tmp_path):
    from openpyxl import load_workbook

    book = load_workbook(audit_report.write_workbook(seed_audit, tmp_path / "tables.xlsx"))
    sheet = next(book[n] for n in book.sheetnames if n.startswith("T32 "))
    assert [c.value for c in sheet["A"]] == ["Baris", None, 1, 2]
    assert [str(r) for r in sheet.merged_cells.ranges] == ["A1:A2"]
    assert [c.value for c in sheet[3]][:2] + [c.value for c in sheet[3]][3:5] == [
        1, 1, "Persentase PMKS Mandiri", 22.05]
    assert sheet.freeze_panes == "B3"


def test_sheet_names_keep_the_number_and_drop_what_excel_refuses():
    assert audit_report.sheet_name(12, "Capaian: IKU [2024] / TW*?") == "T12 Capaian IKU 2024 TW"
    assert audit_report.sheet_name(3, "") == "T3"
    long = audit_report.sheet_name(44, "Tabel Realisasi Program dan Kegiatan Tahun 2024")
    assert long == "T44 Tabel Realisasi Program dan" and len(long) <= 31


# --- the PDF -----------------------------------------------------------------------------------

def test_pdf_of_the_audit_is_landscape_with_the_marks_text(small_doc, tmp_path):
    from pypdf import PdfReader

    html = audit_report.render_html(small_audit(understand(read(small_doc))))
    audit_report.write_pdf(html, tmp_path / "audit.pdf")
    pdf = PdfReader(tmp_path / "audit.pdf")
    box = pdf.pages[0].mediabox
    assert box.width > box.height
    text = " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)
    assert "hitung ulang: 337,56 %" in text and "Tabel seperti terbaca" in text


def test_pdf_findings_list_keeps_each_value_inside_its_column(graded, tmp_path):
    """Read back from the PDF's ruled findings list, each value is whole in its own column
    (a name or NIP once printed over the rule's column)."""
    import pdfplumber

    audit_report.write_pdf(audit_report.render_html(graded, printed=True), tmp_path / "a.pdf")
    with pdfplumber.open(tmp_path / "a.pdf") as pdf:
        page = next(page for page in pdf.pages if "Tercetak" in (page.extract_text() or ""))
        rows = {row[0]: [" ".join((c or "").split()) for c in row]
                for table in page.extract_tables() for row in table
                if row and row[0] and row[0].isdigit() and len(row) == 10}
    assert rows["6"][5:8] == [NAME_PRINTED, NAME, "NAMA-BERBEDA"]
    assert rows["5"][5:8] == [NIP_PRINTED, "NIP 18 digit yang sah", "NIP-TIDAK-SAH"]
    # a rule's name wraps after one of its hyphens, inside its column
    assert rows["4"][5:8] == ['"2.036.000.00"', "satu angka yang terbaca jelas",
                              "ANGKA-TIDAK- DIPAHAMI"]


def _pages_of(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(path).pages]


def test_pdf_findings_follow_the_first_pages_text_without_a_page_left_blank(graded, tmp_path):
    """The findings list starts under the first page's text when it runs over onto a second
    page (the seed's four notes do), else at the top of the next page: never on a page of
    its own after a page holding only what ran over."""
    ends, heads = "disebut daftar temuan.", "Temuan No Tempat Tabel Baris Kolom Tercetak"
    audit_report.write_pdf(audit_report.render_html(graded, printed=True), tmp_path / "a.pdf")
    pages = _pages_of(tmp_path / "a.pdf")
    assert ends in pages[0] and pages[1].startswith(heads)
    graded.notes = [
        'Rumus capaian "Persentase PMKS Mandiri": realisasi ÷ target × 100; capaian tercetak '
        "pada 9 baris hanya cocok dengan rumus ini.",
        'Rumus capaian "Persentase Desa Mandiri": realisasi ÷ target × 100; capaian tercetak '
        "pada 8 baris hanya cocok dengan rumus ini.",
        'Tabel 25: tingkat efisiensi dihitung seperti judul kolomnya "Tingkat Efisiensi (6 – '
        '9)": "Kinerja / Capaian (%)" − "Anggaran / Capaian (%)", dari capaian yang dihitung '
        "ulang.",
        'Tabel 34: kolom "Keterangan" berisi angka, kolom "Keterangan / Capaian %" di '
        "sebelahnya kosong; judul kolom bergeser (sel judul gabungan), angkanya dibaca "
        'sebagai "Keterangan / Capaian %".']
    audit_report.write_pdf(audit_report.render_html(graded, printed=True), tmp_path / "b.pdf")
    pages = _pages_of(tmp_path / "b.pdf")
    assert ends not in pages[0] and ends in pages[1]
    assert heads in pages[1] and pages[1].index(ends) < pages[1].index(heads)


# --- the command ------------------------------------------------------------------------------

@pytest.fixture
def checks(monkeypatch):
    """The command's checks replaced by a hand-built audit (set .audit to choose which)."""
    chosen = {"audit": small_audit}
    monkeypatch.setattr(command, "_checks", lambda: lambda reading: chosen["audit"](reading))
    return chosen


def test_command_writes_the_folder_says_the_counts_and_exits_1_on_errors(
        small_doc, tmp_path, checks, capsys):
    out = tmp_path / "keluaran"
    code = cli.main(["audit", "--doc", str(small_doc), "--out", str(out),
                     "--raw", str(tmp_path / "data")])
    said = capsys.readouterr().out.splitlines()
    folder = out / "kiriman-audit"
    assert code == 1
    assert sorted(p.name for p in folder.iterdir()) == sorted(audit_report.FILES)
    assert [p.name for p in out.iterdir()] == ["kiriman-audit"]  # no staging left
    assert said == [
        "Audit kiriman.md (teks, 1 tabel): 9 sel angka, 8 terbaca tanpa ragu (88,9 %), "
        "1 tidak dipahami",
        "Diperiksa 3 sel: 1 cocok, 1 tidak cocok (1 kesalahan), 1 tidak dipahami",
        "Temuan: 1 kesalahan, 0 peringatan, 0 catatan",
        '  [1] tabel 1 (Capaian =HYPERLINK("x") IKU), baris "Angka kemiskinan", kolom '
        '"Capaian": Capaian tidak sesuai target dan realisasi (tercetak 22,64%, seharusnya '
        "337,56 %)",
        f"Keluaran: {folder}/ (audit.html, audit.pdf, findings.csv, findings.json, "
        "tables.xlsx)"]
    checks["audit"] = warning_audit
    assert cli.main(["audit", "--doc", str(small_doc), "--out", str(out),
                     "--raw", str(tmp_path / "data")]) == 0
    assert "Temuan: 0 kesalahan, 1 peringatan, 0 catatan" in capsys.readouterr().out


def test_screen_names_pages_not_read_and_counts_the_errors_not_shown(small_doc, tmp_path):
    document = read(small_doc)
    document.without_text = (2, 5)
    reading = understand(document)
    audit = small_audit(reading)
    audit.findings = audit.findings * 7
    said = command.lines(audit, tmp_path / "kiriman-audit")
    assert said[2] == "Halaman tanpa lapisan teks (pindaian, tidak dibaca): 2, 5"
    assert said[3] == "Temuan: 7 kesalahan, 0 peringatan, 0 catatan"
    assert [line[:6] for line in said[4:9]] == ["  [1] ", "  [2] ", "  [3] ", "  [4] ", "  [5] "]
    assert said[9] == f"  … dan 2 kesalahan lagi: {tmp_path / 'kiriman-audit' / 'findings.csv'}"


def test_a_failed_audit_leaves_the_previous_folder_whole(small_doc, tmp_path, checks,
                                                         monkeypatch, capsys):
    out = tmp_path / "keluaran"
    assert command.run(small_doc, out).code == 1
    folder = out / "kiriman-audit"
    before = {p.name: p.read_bytes() for p in folder.iterdir()}

    def full_disk(audit, path):
        raise OSError(28, "No space left on device", str(path))

    monkeypatch.setattr(audit_report, "write_workbook", full_disk)
    checks["audit"] = warning_audit
    assert cli.main(["audit", "--doc", str(small_doc), "--out", str(out),
                     "--raw", str(tmp_path / "data")]) == 4
    assert "Keluaran sebelumnya tidak diubah." in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert [p.name for p in out.iterdir()] == ["kiriman-audit"]


def test_a_folder_holding_other_files_is_never_replaced(small_doc, tmp_path, checks, capsys):
    out = tmp_path / "keluaran"
    (out / "kiriman-audit").mkdir(parents=True)
    (out / "kiriman-audit" / "catatan.txt").write_text("milik pemeriksa", encoding="utf-8")
    assert cli.main(["audit", "--doc", str(small_doc), "--out", str(out),
                     "--raw", str(tmp_path / "data")]) == 2
    err = capsys.readouterr().err
    assert "folder audit berisi file yang tidak ditulis make audit (nilai: 'catatan.txt')" in err
    assert [p.name for p in (out / "kiriman-audit").iterdir()] == ["catatan.txt"]


def test_command_without_doc_or_with_a_missing_one_says_so(tmp_path, capsys):
    assert cli.main(["audit", "--out", str(tmp_path / "o")]) == 2
    assert capsys.readouterr().err == (
        "Sebutkan dokumen yang diperiksa: make audit DOC=<dokumen> (.pdf, .docx, .doc, .odt, "
        ".rtf, .html, .md atau .txt)\n")
    missing = tmp_path / "lkip_2024.pdf"
    assert cli.main(["audit", "--doc", str(missing), "--out", str(tmp_path / "o")]) == 2
    assert capsys.readouterr().err == (
        f"{missing}: dokumen tidak ditemukan; yang diharapkan: jalur file yang ada, mis. "
        "DOC=arsip/lkip_2024.pdf\n")
    assert not (tmp_path / "o").exists()


def test_command_refuses_an_unknown_kind_and_a_scanned_pdf_with_exit_2(tmp_path, capsys):
    from PIL import Image

    odd = tmp_path / "lkip.xyz"
    odd.write_text("apa saja", encoding="utf-8")
    assert cli.main(["audit", "--doc", str(odd), "--out", str(tmp_path / "o")]) == 2
    assert capsys.readouterr().err == (
        "lkip.xyz: jenis dokumen tidak dikenal (.xyz); yang diharapkan: .pdf, .docx, .doc, "
        ".odt, .rtf, .html, .md atau .txt\nKeluaran sebelumnya tidak diubah.\n")
    scan = tmp_path / "pindaian.pdf"
    Image.new("RGB", (595, 842), "white").save(scan, "PDF", resolution=72)
    assert cli.main(["audit", "--doc", str(scan), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("pindaian.pdf: PDF tanpa lapisan teks (hasil pindai): angka di "
                          "dalamnya tidak dapat dibaca tanpa OCR (1 halaman tanpa teks)")
    assert "Traceback" not in err and not (tmp_path / "o").exists()


def test_command_refuses_out_inside_the_data_folder(small_doc, tmp_path, capsys):
    raw = tmp_path / "data" / "raw"
    raw.mkdir(parents=True)
    assert cli.main(["audit", "--doc", str(small_doc), "--out", str(raw / "audit"),
                     "--raw", str(raw)]) == 2
    err = capsys.readouterr().err
    assert f"{raw / 'audit'}: folder keluaran berada di dalam folder data" in err
    assert list(raw.iterdir()) == []


def test_command_refuses_a_document_inside_the_folder_it_would_replace(tmp_path, checks,
                                                                       capsys):
    """audit.html of an earlier audit, audited again: replacing its folder would delete it."""
    out = tmp_path / "keluaran"
    inside = out / "audit-audit" / "audit.html"
    inside.parent.mkdir(parents=True)
    inside.write_text("<table><tr><td>1</td></tr></table>", encoding="utf-8")
    assert cli.main(["audit", "--doc", str(inside), "--out", str(out),
                     "--raw", str(tmp_path / "data")]) == 2
    assert "dokumen berada di dalam folder yang akan diganti audit" in capsys.readouterr().err
    assert inside.is_file()


def test_folder_name_from_the_document_name():
    assert command.folder_name(Path("arsip/LKIP 2024.final.pdf")) == "LKIP 2024.final-audit"
    assert command.folder_name(Path(".tersembunyi.docx")) == "tersembunyi-audit"
    assert command.folder_name(Path("a\x1bb.pdf")) == "a_b-audit"


@needs_make
def test_make_audit_passes_doc_and_its_own_default_out():
    def command_line(*variables):
        done = subprocess.run(["make", "--no-print-directory", "-n", "audit", *variables],
                              cwd=ROOT, capture_output=True, text=True, timeout=60, check=True)
        return next(ln for ln in done.stdout.splitlines() if " -m pipeline " in ln)

    assert command_line("DOC=lkip.pdf").endswith(
        'pipeline audit --doc "lkip.pdf" --out "outputs/audit" --raw "data/raw"')
    assert command_line("DOC=lkip.pdf", "OUT=periksa").endswith(
        'pipeline audit --doc "lkip.pdf" --out "periksa" --raw "data/raw"')
    assert 'pipeline audit  --out "outputs/audit"' in command_line()
    help_text = subprocess.run(["make", "--no-print-directory", "help"], cwd=ROOT,
                               capture_output=True, text=True, timeout=60, check=True).stdout
    assert "  make audit        periksa LKIP yang diterima: DOC=" in help_text
