"""Received LKIP documents read into typed tables (pipeline/document): the seed as Word, PDF,
HTML and text made by scripts/seed_documents.py (tests/documents/), numbers read without
guessing, column and row roles, and every refusal of an untrusted document."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from pipeline.errors import InputError
from pipeline.read.document import DocumentError, bounds, figures, office, read, roles, understand
from pipeline.read.document.__main__ import report
from pipeline.read.document.figures import AMBIGUOUS, NIL, READ, TEXT, UNREAD, Marks

from .conftest import ROOT

DOCS = ROOT / "tests" / "documents"
CAPAIAN_TITLE = ("Target dan Realisasi Indikator Kinerja Utama Dinas Sosial, Pemberdayaan "
                 "Masyarakat dan Desa Tahun 2024")
CAPAIAN_HEADER = [["No", "Indikator Kinerja", "Target", "Realisasi", "Capaian Kinerja",
                   "Keterangan"]]
CAPAIAN_BODY = [["1", "Persentase PMKS Mandiri", "22.05%", "25.06%", "113.65%",
                 "Mencapai Target"],
                ["2", "Persentase Desa Mandiri", "8.60%", "29.03%", "337.56%",
                 "Mencapai Target"]]
PK_TITLE = "Perjanjian Kinerja Dinas Sosial, Pemberdayaan Masyarakat dan Desa Tahun 2024"
PK_HEADER = [["NO", "SASARAN STRATEGIS", "INDIKATOR KINERJA", "TARGET", "PROGRAM KEGIATAN",
              "ANGGARAN ( Rp )"]]
PK_BODY = [["1", "Meningkatnya Kemandirian Penyandang Masalah Kesejahteraan Sosial (PMKS ) "
            "Penerima manfaat Pelayanan Rehabilitasi Kesejahteraan Sosial",
            "Persentase PMKS Mandiri", "22.05 %", "Program Pemberdayaan Sosial Program "
            "Rehabilitasi Sosial Program Perlindungan dan Jaminan Sosial",
            "3.807.800.000 3.301.407.600 584.692.400"],
           ["2", "Meningkatnya Desa Mandiri di Kabupaten Barito Utara", "Persentase Desa Mandiri",
            "8.60 %", "Program Penataan Desa Program Administrasi Pemerintahan Desa Program "
            "Pemberdayaan Lembaga Kemasyarakatan, Lembaga Adat dan Masyarakat Hukum Adat",
            "145.000.000 1.351.120.625 1.789.457.000"]]
EFFICIENCY_COLUMNS = ["No", "Sasaran Strategis", "Indikator Kinerja", "Kinerja / Target",
                      "Kinerja / Realisasi", "Kinerja / Capaian (%)", "Anggaran / Anggaran (Rp)",
                      "Anggaran / Realisasi (Rp)", "Anggaran / Capaian (%)",
                      "Tingkat Efisiensi (6 – 9)"]
FORMATS = ("seed.pdf", "seed.docx", "seed.html", "seed.md")  # `documents`: tests/conftest.py


def titled(document, title: str):
    found = [t for t in document.tables if t.title == title]
    assert len(found) == 1, [t.title for t in document.tables]
    return found[0]


# --- the seed, as an agency sends it -------------------------------------------------------


@pytest.mark.parametrize("name", FORMATS)
def test_every_format_finds_the_seeds_44_tables(documents, name):
    assert len(documents[name].tables) == 44


@pytest.mark.parametrize("name", FORMATS)
def test_capaian_table_reads_as_the_seed_prints_it(documents, name):
    table = titled(documents[name], CAPAIAN_TITLE)
    assert table.header == CAPAIAN_HEADER
    assert table.body == CAPAIAN_BODY


@pytest.mark.parametrize("name", FORMATS)
def test_pk_table_with_its_column_numbers_set_apart(documents, name):
    table = titled(documents[name], PK_TITLE)
    assert table.header == PK_HEADER
    assert table.numbering == ["1", "2", "3", "4", "5", "6"]
    assert table.body == PK_BODY


def test_pk_budget_cell_lists_three_programs(documents):
    reading = understand(documents["seed.pdf"])
    pk = next(t for t in reading.tables if t.table.title == PK_TITLE)
    budget = pk.rows[0].figures[5]
    assert budget.status == READ
    assert budget.values == (Decimal(3807800000), Decimal(3301407600), Decimal(584692400))
    assert sum(budget.values) == Decimal(7693900000)  # 3.807.800.000 + 3.301.407.600 + 584.692.400
    assert pk.rows[0].figures[3].value == Decimal("22.05") and pk.rows[0].figures[3].percent


@pytest.mark.parametrize("name", FORMATS)
def test_merged_header_cells_label_each_column(documents, name):
    table = titled(documents[name], "C. Perbandingan Pencapaian Kinerja dan Anggaran")
    assert table.columns() == EFFICIENCY_COLUMNS
    assert len(table.header) == 2
    assert table.numbering == [str(n) for n in range(1, 11)]
    assert table.body[0][3:] == ["22.05 %", "25.06 %", "1.15 %", "3.385.637.000",
                                 "3.239.181.398", "95.67", "-94.52"]


def test_pdf_places_tables_on_their_pages(documents):
    pdf = documents["seed.pdf"]
    assert pdf.pages == 91
    assert titled(pdf, CAPAIAN_TITLE).place() == "halaman 35"
    assert titled(pdf, PK_TITLE).place() == "halaman 25"
    wide = titled(pdf, "C. Perbandingan Pencapaian Kinerja dan Anggaran")
    assert (wide.page, wide.landscape) == (47, True)  # too wide for a portrait page
    assert not titled(pdf, CAPAIAN_TITLE).landscape


def test_word_places_tables_after_their_paragraph(documents):
    table = titled(documents["seed.docx"], CAPAIAN_TITLE)
    assert table.place() == "tabel 9, setelah paragraf 116"
    assert documents["seed.docx"].paragraphs[115].text == CAPAIAN_TITLE
    assert titled(documents["seed.docx"], "C. Perbandingan Pencapaian Kinerja dan "
                  "Anggaran").landscape


def test_table_cut_by_page_breaks_is_joined_with_its_repeated_header_dropped(documents):
    pdf = titled(documents["seed.pdf"], "Tabel Realisasi Program dan Kegiatan Indikator "
                 "Kinerja Tahun 2024")
    docx = titled(documents["seed.docx"], pdf.title)
    assert pdf.pages == (48, 49, 50, 51, 52)
    assert len(pdf.body) == len(docx.body) == 130
    assert pdf.header == docx.header == [["No", "Program dan Kegiatan", "Target (Rp)",
                                          "Realisasi (Rp)", "Persentase (%)"]]
    differs = [(r, c, a, b) for r, (x, y) in enumerate(zip(docx.body, pdf.body))
               for c, (a, b) in enumerate(zip(x, y)) if a != b]
    # a hyphen that ends a line in the PDF: whether a space followed it is not printed
    assert differs == [
        (87, 1, "Koordinasi dan Penyusunan Dokumen Perubahan RKA- SKPD",
         "Koordinasi dan Penyusunan Dokumen Perubahan RKA-SKPD"),
        (107, 1, "Penyediaan Bahan Bacaan dan Peraturan Perundang- undangan",
         "Penyediaan Bahan Bacaan dan Peraturan Perundang-undangan")]


def test_landscape_table_spanning_five_pages(documents):
    table = titled(documents["seed.pdf"], "DINAS SOSIAL, PEMBERDAYAAN MASYARAKAT DAN DESA "
                   "KABUPATEN BARITO UTARA")
    assert table.pages == (27, 28, 29, 30, 31) and table.landscape
    assert len(table.body) == len(titled(documents["seed.docx"], table.title).body) == 21


def test_seed_text_joins_the_parts_a_page_break_left(documents):
    desa = titled(documents["seed.md"], "Tabel Desa Mandiri Tahun 2024")
    assert len(desa.body) == 27  # 10 rows, the header repeated, 17 rows
    assert desa.body[10] == ["11", "Lemo I", "Teweh Tengah", "2023"]


@pytest.mark.parametrize("name", FORMATS)
def test_numeric_cells_understood(documents, name):
    reading = understand(documents[name])
    assert reading.counts() == {READ: 494, UNREAD: 1}
    assert reading.share() == pytest.approx(494 / 495)  # goal: at least 90 %


def test_the_seeds_malformed_amount_is_not_understood(documents):
    reading = understand(documents["seed.pdf"])
    unread = [(t.table.title, row.label, col.label, f.text, f.reason)
              for t in reading.tables for row in t.rows
              for col, f in zip(t.columns, row.figures) if f.status == UNREAD]
    assert unread == [("Tabel Realisasi Program dan Kegiatan Indikator Kinerja Tahun 2024",
                       "Penyediaan Permakanan", "Target (Rp)", "2.036.000.00",
                       "pemisah titik tidak setiap 3 digit")]


def test_column_and_row_roles_of_the_seed(documents):
    reading = understand(documents["seed.docx"])
    efficiency = next(t for t in reading.tables
                      if t.table.title == "C. Perbandingan Pencapaian Kinerja dan Anggaran")
    assert [c.role.role for c in efficiency.columns] == [
        "no", "sasaran", "indikator", "target", "realisasi", "capaian", "pagu", "realisasi",
        "capaian", "efisiensi"]
    assert [c.role.group for c in efficiency.columns][3:9] == ["Kinerja"] * 3 + ["Anggaran"] * 3
    assert [c.role.unit for c in efficiency.columns][5:9] == ["%", "Rp", "Rp", "%"]
    pmks = next(t for t in reading.tables if t.table.title == "Tabel PMKS Mandiri Tahun 2024")
    assert [(r.role, r.label) for r in pmks.rows][-2:] == [("data", "BPNT"),
                                                           ("jumlah", "Total PMKS Mandiri")]
    assert pmks.columns[2].role == roles.ColumnRole("nilai_tahun", year=2024)
    program = next(t for t in reading.tables if t.table.title.startswith("Tabel Realisasi"))
    assert [r.role for r in program.rows[:3]] == ["kelompok", "kelompok", "data"]
    quarter = next(t for t in reading.tables if t.table.title.startswith(
        "A. REALISASI KINERJA TRIWULAN III"))
    assert quarter.columns[5].role == roles.ColumnRole("realisasi", "Capaian Triwulan III",
                                                       quarter=3)


def test_document_number_format_is_mixed_in_the_seed(documents):
    assert understand(documents["seed.pdf"]).marks.describe() == (
        "desimal koma, desimal titik, ribuan titik, ribuan koma")


# --- other shapes: unruled tables, converted formats ----------------------------------------


def test_unruled_tables_read_from_the_alignment_of_their_words():
    document = read(DOCS / "tanpa_garis.pdf")
    assert [t.title for t in document.tables] == [
        "A. Capaian Kinerja Organisasi", CAPAIAN_TITLE] + [f"Tahun {y}" for y in range(
            2018, 2025)] + ["Tabel PMKS Mandiri Tahun 2024"]
    assert document.tables[0].numbering == ["1", "2", "3", "4", "5"]
    assert document.tables[0].body == [
        ["1", "Persentase PMKS Mandiri", "25.06%", "50%", "22.05%"],
        ["2", "Persentase Desa Mandiri", "29.03%", "100%", "8.60%"]]
    assert document.tables[1].header == CAPAIAN_HEADER
    assert document.tables[1].body == CAPAIAN_BODY
    pmks = document.tables[-1]
    assert pmks.body[1] == ["2", "Orang dengan Kecacatan/ Penyandang Cacat Fisik "
                            "(Disabilitas Fisik)", "11", ""]  # a cell wrapped on two lines
    assert pmks.body[-1] == ["", "Total PMKS Mandiri", "2394", ""]


@pytest.mark.parametrize("name", ["kecil.odt", "kecil.doc"])
def test_odt_and_doc_are_converted_by_libreoffice(name, documents):
    document = read(DOCS / name)
    assert [t.title for t in document.tables][:2] == ["A. Capaian Kinerja Organisasi",
                                                      CAPAIAN_TITLE]
    assert document.tables[1].body == CAPAIAN_BODY
    assert document.tables[-1].body[-1] == ["", "Total PMKS Mandiri", "2394", ""]


def test_markdown_pipe_table_and_its_heading(tmp_path):
    path = tmp_path / "ringkas.md"
    path.write_text("## Capaian IKU\n\n| No | Indikator | Target | Realisasi |\n|---|---|---|---|"
                    "\n| 1 | Angka kemiskinan | 10,5% | 9,8% |\n| | Jumlah | 10,5 | 9,8 |\n",
                    encoding="utf-8")
    table = read(path).tables[0]
    assert (table.title, table.header) == ("Capaian IKU", [["No", "Indikator", "Target",
                                                            "Realisasi"]])
    assert table.body == [["1", "Angka kemiskinan", "10,5%", "9,8%"], ["", "Jumlah", "10,5", "9,8"]]
    rows = understand(read(path)).tables[0].rows
    assert [r.role for r in rows] == ["data", "jumlah"]
    assert rows[0].figures[3].value == Decimal("9.8")


def test_html_caption_spans_nested_table_and_no_script(tmp_path):
    path = tmp_path / "lkip.html"
    path.write_text(
        "<html><head><script>alert(1)</script><style>p{}</style></head><body>"
        "<h2>Realisasi Anggaran</h2><table><caption>Tabel 3 Anggaran</caption>"
        "<tr><th rowspan=2>Program</th><th colspan=2>Anggaran</th></tr>"
        "<tr><th>Pagu</th><th>Realisasi</th></tr>"
        "<tr><td>Program A<table><tr><td>catatan</td></tr></table></td><td>1.000.000</td>"
        "<td>900.000</td></tr></table><p>Sesudah tabel.</p></body></html>", encoding="utf-8")
    document = read(path)
    table = document.tables[0]
    assert table.title == "Tabel 3 Anggaran"
    assert table.columns() == ["Program", "Anggaran / Pagu", "Anggaran / Realisasi"]
    assert table.body == [["Program A catatan", "1.000.000", "900.000"]]
    assert [p.text for p in document.paragraphs] == ["Realisasi Anggaran", "Sesudah tabel."]


# --- numbers ----------------------------------------------------------------------------------


@pytest.mark.parametrize("text, status, values, percent, rupiah, unit", [
    ("3.385.637.000", READ, (Decimal(3385637000),), False, False, ""),
    ("22,05%", READ, (Decimal("22.05"),), True, False, ""),
    ("22.05 %", READ, (Decimal("22.05"),), True, False, ""),
    ("480,000,000", READ, (Decimal(480000000),), False, False, ""),
    ("Rp. 7.537.949.495,-", READ, (Decimal(7537949495),), False, True, ""),
    ("1.500.000,00", READ, (Decimal("1500000.00"),), False, False, ""),
    ("-94.52", READ, (Decimal("-94.52"),), False, False, ""),
    ("186", READ, (Decimal(186),), False, False, ""),
    ("0.500", READ, (Decimal("0.500"),), False, False, ""),  # no thousands group starts with 0
    ("1 dokumen", READ, (Decimal(1),), False, False, "dokumen"),
    ("-", NIL, (), False, False, ""),
    ("n/a", NIL, (), False, False, ""),
    ("2.", TEXT, (), False, False, ""),
    ("Persentase PMKS Mandiri", TEXT, (), False, False, ""),
    ("2.036.000.00", UNREAD, (), False, False, ""),
    # a note mark beside a figure: a finding's number in this project's own PDF, a footnote
    ("[2] 113,65%", READ, (Decimal("113.65"),), True, False, ""),
    ("25,06%*)", READ, (Decimal("25.06"),), True, False, ""),
    ("7¹", READ, (Decimal(7),), False, False, ""),
    ("Catatan [2]", TEXT, (), False, False, ""),
])
def test_number_forms(text, status, values, percent, rupiah, unit):
    figure = figures.resolve(figures.parse(text), Marks(), Marks())
    assert (figure.status, figure.values, figure.percent, figure.rupiah, figure.unit) == (
        status, values, percent, rupiah, unit)


def _column_doc(tmp_path, rows: list[str]) -> Path:
    """A text table: a label column and one figure column holding these cells."""
    path = tmp_path / "kolom.md"
    lines = ["No\tUraian\tNilai"] + [f"{i}\tbaris {i}\t{v}" for i, v in enumerate(rows, 1)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _figure(tmp_path, rows: list[str], row: int = 0) -> figures.Figure:
    return understand(read(_column_doc(tmp_path, rows))).tables[0].rows[row].figures[2]


def test_ambiguous_cell_settled_by_its_column_decimal_point(tmp_path):
    assert _figure(tmp_path, ["1.234", "22.05"]).values == (Decimal("1.234"),)


def test_ambiguous_cell_settled_by_its_column_thousands_dots(tmp_path):
    assert _figure(tmp_path, ["1.234", "3.385.637.000"]).values == (Decimal(1234),)


def test_ambiguous_cell_settled_by_a_decimal_comma_in_its_column(tmp_path):
    assert _figure(tmp_path, ["1.234", "22,05"]).values == (Decimal(1234),)


def test_ambiguous_comma_settled_by_comma_thousands(tmp_path):
    assert _figure(tmp_path, ["1,234", "480,000,000"]).values == (Decimal(1234),)


def test_ambiguous_cell_reported_when_nothing_settles_it(tmp_path):
    figure = _figure(tmp_path, ["1.234", "2"])
    assert figure.status == AMBIGUOUS
    assert figure.choices == (Decimal(1234), Decimal("1.234"))
    assert figure.reason == ("dapat dibaca 1.234 atau 1,234: kolom dan dokumen tidak "
                             "menentukan tanda desimalnya")


def test_ambiguous_cell_settled_by_the_document_when_its_column_cannot(tmp_path):
    path = tmp_path / "dokumen.md"
    path.write_text("No\tUraian\tNilai\n1\ta\t1.234\n\nteks\n\nNo\tUraian\tPersen\n1\tb\t22,05\n",
                    encoding="utf-8")
    reading = understand(read(path))
    assert reading.marks.describe() == "desimal koma"
    assert reading.tables[0].rows[0].figures[2].values == (Decimal(1234),)


def test_ambiguous_cell_stays_ambiguous_in_a_document_of_both_conventions(tmp_path):
    path = tmp_path / "dokumen.md"
    path.write_text("No\tUraian\tNilai\n1\ta\t1.234\n\nteks\n\nNo\tA\tB\n1\tb\t22.05\t"
                    "3.385.637.000\n", encoding="utf-8")
    assert understand(read(path)).tables[0].rows[0].figures[2].status == AMBIGUOUS


def test_ambiguous_cell_in_a_rupiah_column_is_whole_rupiah(tmp_path):
    path = tmp_path / "rupiah.md"
    path.write_text("No\tUraian\tPagu (Rp)\n1\ta\t1.234\n2\tb\t2\n", encoding="utf-8")
    figure = understand(read(path)).tables[0].rows[0].figures[2]
    assert (figure.status, figure.values, figure.rupiah) == (READ, (Decimal(1234),), True)


# --- roles --------------------------------------------------------------------------------------


@pytest.mark.parametrize("parts, expected", [
    (["Pagu Anggaran (Rp)"], roles.ColumnRole("pagu", unit="Rp")),
    (["Sisa Anggaran"], roles.ColumnRole("sisa")),
    (["Rata-rata"], roles.ColumnRole("rata_rata")),
    (["Tahun"], roles.ColumnRole("tahun")),
    (["2023"], roles.ColumnRole("nilai_tahun", year=2023)),
    (["TW III"], roles.ColumnRole("triwulan", quarter=3)),
    (["Satuan"], roles.ColumnRole("satuan")),
    (["%"], roles.ColumnRole("persen", unit="%")),
    (["Capaian (%)"], roles.ColumnRole("capaian", unit="%")),
    (["Jumlah"], roles.ColumnRole("jumlah")),
    (["Ket."], roles.ColumnRole("keterangan")),
    (["No."], roles.ColumnRole("no")),
    (["Indikator Kinerja Utama"], roles.ColumnRole("indikator")),
    (["TARGET KINERJA PADA TAHUN KE -", "(5)"], roles.ColumnRole("target", "TARGET KINERJA "
                                                                           "PADA TAHUN KE -")),
    (["Status/ Progres Penyelesaian"], roles.ColumnRole("")),
])
def test_column_roles_from_the_registry(parts, expected):
    assert roles.column_role(parts) == expected


@pytest.mark.parametrize("label, role", [("Jumlah", "jumlah"), ("TOTAL", "jumlah"),
                                         ("Total PMKS Mandiri", "jumlah"),
                                         ("Sub Total Program 1", "sub_jumlah"),
                                         ("Subtotal", "sub_jumlah"), ("Rata-rata", "rata_rata"),
                                         ("Jumlahkan", ""), ("Program A", "")])
def test_row_roles_from_the_registry(label, role):
    assert roles.row_role(label) == role


def test_registry_defects_name_the_line(tmp_path):
    bad = tmp_path / "peran.csv"
    bad.write_text("jenis,pola,peran,keterangan\nkolum,target,target,\nkolom,(,x,\n"
                   "baris,jumlah,,\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        roles.registry(bad)
    assert str(caught.value) == (
        "Data masukan tidak valid (3 masalah):\n"
        "  - peran.csv, baris 2, kolom 'jenis': jenis tidak dikenal (nilai: 'kolum'); yang "
        "diharapkan: kolom atau baris\n"
        "  - peran.csv, baris 3, kolom 'pola': pola tidak sah (missing ), unterminated "
        "subpattern at position 0) (nilai: '('); yang diharapkan: ekspresi reguler Python\n"
        "  - peran.csv, baris 4, kolom 'peran': peran kosong (nilai: ''); yang diharapkan: "
        "nama peran")


# --- refusals: scanned, bounds, kinds -----------------------------------------------------


def _scan(path: Path, pages: int) -> Path:
    """A PDF of page images only, as a scanner writes it."""
    from PIL import Image, ImageDraw

    images = []
    for n in range(pages):
        image = Image.new("RGB", (595, 842), "white")
        ImageDraw.Draw(image).text((60, 60 + n), "Tabel 1 Capaian 22,05%", fill="black")
        images.append(image)
    images[0].save(path, "PDF", resolution=72, save_all=True, append_images=images[1:])
    return path


def test_scanned_pdf_gets_a_clear_message(tmp_path):
    with pytest.raises(DocumentError) as caught:
        read(_scan(tmp_path / "pindaian.pdf", 2))
    assert str(caught.value) == (
        "pindaian.pdf: PDF tanpa lapisan teks (hasil pindai): angka di dalamnya tidak dapat "
        "dibaca tanpa OCR (2 halaman tanpa teks); yang diharapkan: PDF yang diekspor dari Word "
        "atau LibreOffice, atau file .docx/.odt-nya; PDF pindaian perlu di-OCR dahulu "
        "(mis. ocrmypdf)")


def test_scanned_pages_of_a_text_pdf_are_named(tmp_path):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.add_page(PdfReader(DOCS / "tanpa_garis.pdf").pages[0])
    writer.add_page(PdfReader(_scan(tmp_path / "scan.pdf", 1)).pages[0])
    path = tmp_path / "campuran.pdf"
    with open(path, "wb") as out:
        writer.write(out)
    document = read(path)
    assert (document.pages, document.without_text) == (2, (2,))
    assert document.tables[0].title == "A. Capaian Kinerja Organisasi"


def test_file_too_large_is_refused_before_reading(monkeypatch):
    monkeypatch.setattr(bounds, "MAX_BYTES", 100_000)
    size = (DOCS / "seed.pdf").stat().st_size
    with pytest.raises(DocumentError) as caught:
        read(DOCS / "seed.pdf")
    shown = f"{size:,}".replace(",", ".")
    assert str(caught.value) == (f"seed.pdf: file terlalu besar ({shown} byte); yang "
                                 "diharapkan: paling besar 0,1 MB")


def test_too_many_pages_refused_before_any_page_is_parsed(monkeypatch):
    import pdfplumber

    monkeypatch.setattr(bounds, "MAX_PAGES", 10)
    monkeypatch.setattr(pdfplumber, "open", lambda *a, **k: pytest.fail("parsed"))
    with pytest.raises(DocumentError) as caught:
        read(DOCS / "seed.pdf")
    assert str(caught.value) == ("seed.pdf: PDF terlalu banyak halaman (91 halaman); yang "
                                 "diharapkan: paling banyak 10 halaman")


def test_too_many_cells_in_a_table(tmp_path, monkeypatch):
    monkeypatch.setattr(bounds, "MAX_CELLS", 10)
    with pytest.raises(DocumentError) as caught:
        read(_column_doc(tmp_path, ["1", "2", "3", "4"]))
    assert str(caught.value) == ("kolom.md: sebuah tabel terlalu besar (lebih dari 10 sel); "
                                 "yang diharapkan: paling banyak 10 sel per tabel")


def test_too_many_tables_in_a_document(monkeypatch):
    monkeypatch.setattr(bounds, "MAX_TABLES", 3)
    with pytest.raises(DocumentError) as caught:
        read(DOCS / "seed.docx")
    assert str(caught.value) == ("seed.docx: dokumen memuat terlalu banyak tabel (lebih dari 3);"
                                 " yang diharapkan: paling banyak 3 tabel")


def test_a_line_too_long_is_refused_before_its_markup_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(bounds, "MAX_LINE", 50)
    path = tmp_path / "panjang.md"
    path.write_text("Judul\n" + "**a" * 30 + "\n", encoding="utf-8")
    with pytest.raises(DocumentError) as caught:
        read(path)
    assert str(caught.value) == ("panjang.md: baris 2 terlalu panjang (90 karakter); yang "
                                 "diharapkan: paling banyak 50 karakter per baris")


def _zip(path: Path, member: str, data: bytes) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr(member, data)
    return path


def test_zip_bomb_docx_refused_from_its_directory(tmp_path):
    path = _zip(tmp_path / "bom.docx", "word/document.xml", b" " * (4 * 1024 * 1024))
    info = zipfile.ZipFile(path).getinfo("word/document.xml")
    ratio = info.file_size // info.compress_size
    with pytest.raises(DocumentError) as caught:
        read(path)
    assert str(caught.value) == (
        f"bom.docx: bagian dokumen dimampatkan tidak wajar (zip bomb) (word/document.xml: "
        f"{ratio:,} kali); yang diharapkan: paling banyak 200 kali untuk bagian di atas "
        "1 MB".replace(",", "."))


def test_docx_member_larger_than_its_directory_says_is_refused(tmp_path):
    path = _zip(tmp_path / "bohong.docx", "word/document.xml", b"<w/>" * 1000)
    data = bytearray(path.read_bytes())
    entry = data.rindex(b"PK\x01\x02")  # the member's central directory entry: its size at +24
    data[entry + 24:entry + 28] = (10).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    with pytest.raises(DocumentError) as caught:
        read(path)
    assert str(caught.value) == ("bohong.docx: ukuran bagian dokumen tidak sesuai daftar isinya "
                                 "(word/document.xml); yang diharapkan: file .docx atau .odt "
                                 "yang utuh")


def test_word_row_claiming_a_million_columns_is_refused(tmp_path):
    import docx

    document = docx.Document()
    document.add_table(rows=1, cols=2)
    plain = tmp_path / "polos.docx"
    document.save(plain)
    path = tmp_path / "lebar.docx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":
                data = data.replace(b"<w:tr>", b'<w:tr><w:trPr><w:gridBefore w:val="999999"/>'
                                    b"</w:trPr>", 1)
            target.writestr(item, data)
    with pytest.raises(DocumentError) as caught:
        read(path)
    assert str(caught.value) == ("lebar.docx: sebuah tabel terlalu lebar (1.000.001 kolom); "
                                 "yang diharapkan: paling banyak 100 kolom")


def test_a_renamed_file_is_refused(tmp_path):
    path = tmp_path / "laporan.pdf"
    path.write_text("bukan PDF", encoding="utf-8")
    with pytest.raises(DocumentError) as caught:
        read(path)
    assert str(caught.value) == ("laporan.pdf: isi file bukan dokumen .pdf; yang diharapkan: "
                                 "file .pdf yang sebenarnya (bukan file lain yang diganti "
                                 "namanya)")


def test_unknown_kind_and_symlink_are_refused(tmp_path):
    with pytest.raises(DocumentError) as caught:
        read(tmp_path / "lkip.xlsx")
    assert str(caught.value) == ("lkip.xlsx: jenis dokumen tidak dikenal (.xlsx); yang "
                                 "diharapkan: .pdf, .docx, .doc, .odt, .rtf, .html, .md atau "
                                 ".txt")
    link = tmp_path / "tautan.pdf"
    link.symlink_to(DOCS / "seed.pdf")
    with pytest.raises(DocumentError) as caught:
        read(link)
    assert str(caught.value) == ("tautan.pdf: bukan file biasa (tautan, folder atau perangkat);"
                                 " yang diharapkan: file dokumen biasa")


def test_libreoffice_stopped_at_its_time_limit_in_a_private_folder(tmp_path, monkeypatch):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    with pytest.raises(DocumentError) as caught:
        office.to_docx("kecil.odt", ".odt", (DOCS / "kecil.odt").read_bytes(), timeout=0.2)
    assert str(caught.value) == ("kecil.odt: LibreOffice tidak selesai mengubah dokumen dalam "
                                 "0.2 detik; yang diharapkan: dokumen yang lebih kecil, atau "
                                 "simpan sebagai .docx dari pengolah kata")
    assert list(tmp_path.iterdir()) == []  # its folder, profile and output removed


def test_doc_without_libreoffice_says_what_to_install(monkeypatch):
    monkeypatch.setattr(office, "soffice", lambda: None)
    with pytest.raises(DocumentError) as caught:
        read(DOCS / "kecil.doc")
    assert str(caught.value) == (
        "kecil.doc: file .doc perlu LibreOffice untuk dibaca, dan LibreOffice tidak terpasang; "
        "yang diharapkan: LibreOffice Writer (apt-get install libreoffice-writer, atau bash "
        "scripts/system-deps.sh --test)")


# --- the inspection command ---------------------------------------------------------------


def test_inspection_lists_each_table_and_the_share_understood(documents):
    out = io.StringIO()
    assert report(DOCS / "seed.docx", out) == 0
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("seed.docx: Word, 44 tabel, 387 paragraf, dibaca dalam ")
    assert lines[1] == ("Format angka dokumen: desimal koma, desimal titik, ribuan titik, "
                        "ribuan koma")
    at = lines.index("Tabel 9 (tabel 9, setelah paragraf 116): " + CAPAIAN_TITLE)
    assert lines[at + 1:at + 4] == [
        "  kolom: No=no | Indikator Kinerja=indikator | Target=target | Realisasi=realisasi | "
        "Capaian Kinerja=capaian | Keterangan=keterangan",
        "  baris: 2 (data 2); sel angka: 6 terbaca, 0 ambigu, 0 tak terbaca",
        "  format angka: desimal titik"]
    assert ("    - baris 12 (Penyediaan Permakanan), kolom 'Target (Rp)': '2.036.000.00' tak "
            "terbaca: pemisah titik tidak setiap 3 digit") in lines
    assert lines[-1] == ("Seluruhnya: 495 sel angka; 494 terbaca (99,8 %), 0 ambigu, "
                         "1 tak terbaca.")


def test_inspection_escapes_control_characters_from_the_document(tmp_path):
    path = tmp_path / "jahat.md"
    path.write_text("## Judul \x1b[31mmerah\n\nNo\tUraian\tNilai\n1\ta\t5\n", encoding="utf-8")
    out = io.StringIO()
    report(path, out)
    assert "\x1b" not in out.getvalue()
    assert "Tabel 1 (tabel 1, setelah paragraf 1): Judul \\x1b[31mmerah" in out.getvalue()


def test_inspection_command_exit_status_and_message_on_refusal(tmp_path):
    path = tmp_path / "lkip.xlsx"
    path.write_bytes(b"x")
    done = subprocess.run([sys.executable, "-m", "pipeline.read.document", str(path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr == ("lkip.xlsx: jenis dokumen tidak dikenal (.xlsx); yang diharapkan: "
                           ".pdf, .docx, .doc, .odt, .rtf, .html, .md atau .txt\n")
