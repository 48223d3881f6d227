"""The audit of a received document within its tables (check/document/within.py): each
printed figure recomputed from its own row or column by the data route's declared rules,
every finding placed (page, table, row, column), every checked cell marked, and on
consistent tables no finding.

tests/documents/lkip_sukamaju.md and .html are fictional LKIPs with one planted error of
each kind, in several table shapes (flat, years as columns, a quarter's merged header,
quarters with a Jumlah or Rata-rata column, sub-totals, an efficiency table with merged
header cells); FIXES_* make each of them consistent again. lkip_sukamaju.pdf is the .md made
into a PDF with ruled tables by scripts/seed_documents.py (LibreOffice), its budget table
running onto page 2.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from pipeline.check import findings, rules, rules_tables
from pipeline.check.document import polarity, within
from pipeline.check.document.audit import audit
from pipeline.check.document.result import FAILS, HOLDS, NOT_UNDERSTOOD
from pipeline.errors import InputError
from pipeline.read import formatting as fmt
from pipeline.read.document import read, understand

from .conftest import ROOT

DOCS = ROOT / "tests" / "documents"
MD, HTML = "lkip_sukamaju.md", "lkip_sukamaju.html"
T31 = "tabel 1 (Tabel 3.1 Capaian Indikator Kinerja Utama Tahun 2024)"
T35 = "tabel 5 (Tabel 3.5 Realisasi Anggaran Program dan Kegiatan Tahun 2024)"
T_EFF = "tabel 3 (Tabel 3.1 Perbandingan Capaian Kinerja dan Anggaran)"

# each planted error and the cell that makes it hold, with enough of its row to be unique
FIXES_MD = [("| 92,50 | 97,36 |", "| 92,50 | 97,37 |"),
            ("| 110,00 | Tidak Mencapai Target |", "| 110,00 | Mencapai Target |"),
            ("| 100 | 90,00 |", "| 100 | 120,00 |"),
            ("| 85,50 | 59,00 |", "| 85,50 | 95,00 |"),
            ("| 102,20 |", "| 102,00 |"),
            ("| 160,00 |", "| 106,67 |"),
            ("| 107.77 | 110.80 |", "| 105.77 | 110.79 |"),
            ("| 17.550.000 | 90,52 |", "| 17.550.000 | 90,25 |"),
            ("| 2.100.000 |", "| 1.100.000 |"), ("| 39.930.000 |", "| 38.930.000 |"),
            ("| 76.980.000 |", "| 75.980.000 |"),
            ("| 49,58 |", "| 49,56 |"), ("| 594.020.000 |", "| 549.020.000 |"),
            ("| 172.450.000 |", "| 162.450.000 |"), ("| 1.250 |", "| 1250 |")]
FIXES_HTML = [("<td>95,00</td>", "<td>108,33</td>"), ("<td>81,00</td>", "<td>80,00</td>"),
              ("<td>57,00</td>", "<td>75,00</td>"), ("<td>51,33</td>", "<td>33,33</td>")]

PLANTED_MD = [
    ("CAPAIAN-TERCETAK", "warning", f'{T31}, baris "Cakupan Imunisasi Dasar Lengkap", '
     'kolom "Capaian (%)"', "97,36", "97,37%"),
    ("KETERANGAN-TERCETAK", "error", f'{T31}, baris "Persentase Desa ODF", kolom '
     '"Keterangan"', "Tidak Mencapai Target", "Mencapai Target"),
    ("CAPAIAN-TERCETAK", "error", f'{T31}, baris "Angka Kematian Ibu", kolom "Capaian (%)"',
     "90,00", "120,00%"),
    ("CAPAIAN-TERCETAK", "error", f'{T31}, baris "Cakupan Persalinan di Fasilitas Kesehatan", '
     'kolom "Capaian (%)"', "59,00", "95,00%"),
    ("CAPAIAN-TERCETAK", "error", 'tabel 2 (Tabel 3.2 Capaian Kinerja Tahun 2022 dan 2023), '
     'baris "Cakupan Imunisasi Dasar Lengkap", kolom "2023 / Capaian"', "102,20", "102,00%"),
    ("CAPAIAN-TRIWULAN", "error", 'tabel 3 (Tabel 3.3 Realisasi Kinerja Triwulan III Tahun '
     '2024), baris "Persentase Desa ODF", kolom "Triwulan III / Capaian %"', "160,00",
     "106,67%"),
    ("RATA-RATA-TERCETAK", "error", 'tabel 4 (Tabel 3.4 Capaian Kinerja per Sasaran), baris '
     '"Rata-rata", kolom "Capaian 2023 (%)"', "107.77", "105,77%"),
    ("RATA-RATA-TERCETAK", "warning", 'tabel 4 (Tabel 3.4 Capaian Kinerja per Sasaran), baris '
     '"Rata-rata", kolom "Capaian 2024 (%)"', "110.80", "110,79%"),
    ("PERSENTASE-REALISASI", "error", f'{T35}, baris "Penyediaan Layanan Imunisasi", kolom '
     '"%"', "90,52", "90,25%"),
    ("SISA-ANGGARAN", "error", f'{T35}, baris "Sanitasi Total Berbasis Masyarakat", kolom '
     '"Sisa (Rp)"', "2.100.000", "1.100.000"),
    ("PERSENTASE-REALISASI", "error", f'{T35}, baris "Pengendalian Stunting", kolom "%"',
     "49,58", "49,56%"),
    ("SUBTOTAL-TERCETAK", "error", f'{T35}, baris "Jumlah", kolom "Realisasi (Rp)"',
     "594.020.000", "549.020.000"),
    ("TOTAL-RINCIAN", "error", 'tabel 6 (Tabel 3.6 Realisasi Keuangan per Triwulan Tahun '
     '2024), baris "Penyediaan Layanan Imunisasi", kolom "Realisasi / Jumlah"', "172.450.000",
     "162.450.000"),
    ("ANGKA-TIDAK-DIPAHAMI", "warning", 'tabel 7 (Tabel 3.7 Sasaran Imunisasi per Kecamatan), '
     'baris "Kecamatan Beta", kolom "Jumlah Bayi"', '"1.250"', "satu angka yang terbaca jelas"),
]
PLANTED_PDF_PAGES = [1] * 11 + [2] * 3  # the Jumlah row of table 3.5 is on page 2
PLANTED_HTML = [
    ("CAPAIAN-TERCETAK", "error", 'tabel 1 (Tabel 2.1 Capaian Indikator Kinerja Utama), baris '
     '"Persentase Penduduk Miskin", kolom "Capaian"', "95,00", "108,33%"),
    ("RATA-RATA-TERCETAK", "error", 'tabel 2 (Tabel 2.2 Indeks Kepuasan Masyarakat per '
     'Triwulan), baris "RSUD Sukamaju", kolom "Rata-rata"', "81,00", "80,00"),
    ("EFISIENSI-TERCETAK", "error", f'{T_EFF}, baris "Persentase Penduduk Miskin", kolom '
     '"Anggaran / Capaian (%)"', "57,00", "75,00%"),
    ("EFISIENSI-TERCETAK", "error", f'{T_EFF}, baris "Persentase Penduduk Miskin", kolom '
     '"Tingkat Efisiensi (6 – 9)"', "51,33", "+33,33"),
]

SEED_EFF = "halaman 47, tabel 25 (C. Perbandingan Pencapaian Kinerja dan Anggaran)"
SEED_BUDGET = ("tabel 26 (Tabel Realisasi Program dan Kegiatan Indikator Kinerja Tahun "
               "2024)")
TW_II = ("halaman 64, tabel 34 (A. REALISASI KINERJA TRIWULAN II Dinas Sosial, Pemberdayaan "
         "Masyarakat dan Desa)")
# what the data route reports for the seed's printed figures that a table shows by itself
# (within.run; the whole audit adds the checks across the document)
SEED_ERRORS = [
    ("EFISIENSI-TERCETAK", f'{SEED_EFF}, baris "Persentase PMKS Mandiri", kolom "Kinerja / '
     'Capaian (%)"', "1.15 %", "113,65%"),
    # 113,65 − 95,67 within the table; the data route's +29,34 takes the sasaran's budget
    # from the PK, another table
    ("EFISIENSI-TERCETAK", f'{SEED_EFF}, baris "Persentase PMKS Mandiri", kolom "Tingkat '
     'Efisiensi (6 – 9)"', "-94.52", "+17,98"),
    ("EFISIENSI-TERCETAK", f'{SEED_EFF}, baris "Persentase Desa Mandiri", kolom "Kinerja / '
     'Capaian (%)"', "3.38", "337,56%"),
    ("EFISIENSI-TERCETAK", f'{SEED_EFF}, baris "Persentase Desa Mandiri", kolom "Tingkat '
     'Efisiensi (6 – 9)"', "-91.49", "+242,69"),
    ("PERSENTASE-REALISASI", f'halaman 48, {SEED_BUDGET}, baris "Peningkatan Kemampuan '
     'Potensi Sumber Kesejahteraan Sosial Keluarga Kewenangan Kabupaten/ Kota", kolom '
     '"Persentase (%)"', "22.64 %", "75,64%"),
    ("CAPAIAN-TRIWULAN", f'{TW_II}, baris "Persentase PMKS Mandiri", kolom "Keterangan / '
     'Capaian %"', "0,03%", "2,75%"),
    ("CAPAIAN-TRIWULAN", f'{TW_II}, baris "Persentase Desa Mandiri", kolom "Keterangan / '
     'Capaian %"', "4,30%", "106,70%"),
    ("CAPAIAN-TRIWULAN", 'halaman 67, tabel 36 (Realisasi Keuangan Triwulan III Dinas Sosial, '
     'Pemberdayaan Masyarakat dan Desa), baris "Pemberian layanan rujukan", kolom "Keuangan / '
     'Capaian %"', "40,82", "40,62%"),
    ("CAPAIAN-TRIWULAN", 'halaman 72, tabel 40 (Realisasi Keuangan Triwulan IV Dinas Sosial , '
     'Pemberdayaan Masyarakat dan Desa), baris "Kerja sama antar lembaga dan kemitraan dalam '
     'pelaksanaan Rehabilitasi Sosial Kabupaten/kota", kolom "Keuangan / Capaian %"', "49.58",
     "49,56%"),
]
# the rest: rounding slips (info on the data route), the malformed amount, a dash for 0,00
SEED_OTHERS = [
    ("ANGKA-TIDAK-DIPAHAMI", "warning", 48, '"2.036.000.00"'),
    ("PERSENTASE-REALISASI", "warning", 49, "99.29 %"),
    ("PERSENTASE-REALISASI", "warning", 50, "99.99 %"),
    ("PERSENTASE-REALISASI", "warning", 50, "90.87 %"),
    ("PERSENTASE-REALISASI", "warning", 50, "99.99 %"),
    ("PERSENTASE-REALISASI", "warning", 51, "98.99 %"),
    ("CAPAIAN-TRIWULAN", "info", 61, "-"),
    ("CAPAIAN-TRIWULAN", "warning", 69, "186"),
]


def _audit(path):
    return audit(understand(read(path)))


def _fixed(tmp_path, name: str, fixes) -> object:
    text = (DOCS / name).read_text(encoding="utf-8")
    for wrong, right in fixes:
        assert text.count(wrong) == 1, wrong
        text = text.replace(wrong, right)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _said(result) -> list[tuple]:
    return [(f.finding.check, f.finding.severity, f.finding.place, f.finding.printed,
             f.finding.expected) for f in result.findings]


def _finding(result, place: str):
    hits = [f for f in result.findings if f.finding.place == place]
    assert len(hits) == 1, [f.finding.place for f in result.findings]
    return hits[0]


def _mark(result, table: int, row: int, column: int, rule: str):
    hits = [m for m in result.marks if (m.table, m.row, m.column, m.rule)
            == (table, row, column, rule)]
    assert len(hits) == 1, hits
    return hits[0]


@pytest.fixture(scope="module")
def planted():
    return _audit(DOCS / MD)


@pytest.fixture(scope="module")
def planted_html():
    return _audit(DOCS / HTML)


@pytest.fixture(scope="module")
def seed_pdf(documents):
    return understand(documents["seed.pdf"])


def _within(reading):
    found, _marks, notes = within.run(reading)
    return found, notes


# -- the planted errors, all and only -------------------------------------------------------
def test_every_planted_error_and_nothing_else(planted, planted_html):
    assert _said(planted) == [(c, s, p, printed, expected)
                              for c, s, p, printed, expected in PLANTED_MD]
    assert _said(planted_html) == [(c, s, p, printed, expected)
                                   for c, s, p, printed, expected in PLANTED_HTML]


def test_the_same_errors_in_the_pdf_with_each_rows_page():
    result = _audit(DOCS / "lkip_sukamaju.pdf")
    assert _said(result) == [(c, s, f"halaman {page}, {p}", printed, expected)
                             for (c, s, p, printed, expected), page
                             in zip(PLANTED_MD, PLANTED_PDF_PAGES)]
    assert result.checked() == {HOLDS: 71, FAILS: 13, NOT_UNDERSTOOD: 1}


@pytest.mark.parametrize("name, fixes", [(MD, FIXES_MD), (HTML, FIXES_HTML)])
def test_consistent_tables_raise_nothing(tmp_path, name, fixes):
    result = _audit(_fixed(tmp_path, name, fixes))
    assert result.findings == []
    assert set(result.checked()) == {HOLDS}


# -- in a row --------------------------------------------------------------------------------
def test_a_wrong_capaian_names_the_formula_it_was_checked_by(planted):
    found = _finding(planted, f'{T31}, baris "Cakupan Persalinan di Fasilitas Kesehatan", '
                     'kolom "Capaian (%)"').finding
    # 85,50 / 90,00 = 95,00 %, printed 59,00
    assert found.message == ("Capaian Cakupan Persalinan di Fasilitas Kesehatan (realisasi ÷ "
                             "target × 100): tercetak 59,00, seharusnya 95,00%")
    assert (found.file, found.key, found.field) == (MD, "tabel=1;baris=5;kolom=6",
                                                   "Capaian (%)")


def test_a_miss_within_the_last_decimal_is_a_rounding_warning(planted):
    # 92,50 / 95,00 = 97,368…: 97,37 at two decimals, printed 97,36
    found = _finding(planted, f'{T31}, baris "Cakupan Imunisasi Dasar Lengkap", kolom '
                     '"Capaian (%)"').finding
    assert found.severity == "warning"
    assert found.message == ("Capaian Cakupan Imunisasi Dasar Lengkap (realisasi ÷ target × "
                             "100): tercetak 97,36, hasil hitung ulang 97,37%; selisih "
                             "pembulatan (kurang dari satu satuan desimal terakhir)")


def test_a_capaian_fitting_no_formula_takes_the_documents_own_for_its_polarity(planted):
    # Prevalensi Stunting shows target ÷ realisasi in three rows (20/16 = 125 %); Angka
    # Kematian Ibu's 90,00 fits no formula, its words say lower is better: 120/100 = 120 %
    found = _finding(planted, f'{T31}, baris "Angka Kematian Ibu", kolom "Capaian (%)"')
    assert found.finding.message == ("Capaian Angka Kematian Ibu (target ÷ realisasi × 100): "
                                     "tercetak 90,00, seharusnya 120,00%")
    assert ('Rumus capaian "Prevalensi Stunting": target ÷ realisasi × 100; capaian tercetak '
            "pada 3 baris hanya cocok dengan rumus ini.") in planted.notes
    assert ('Rumus capaian "Angka Kematian Ibu": target ÷ realisasi × 100; tidak ada capaian '
            'tercetak yang cocok dengan satu rumus; kata "angka kematian" pada nama indikator '
            "menandai polaritas negatif (polaritas_dokumen.csv), seperti indikator "
            "berpolaritas negatif lain dalam dokumen ini.") in planted.notes


def test_an_indicators_formula_from_its_rows_in_another_table(planted_html):
    # the efficiency table's 108,33 for 12,00 and 11,00 fits only (2T − R)/T; the capaian
    # table's 95,00 for the same indicator is checked by it
    found = _finding(planted_html, 'tabel 1 (Tabel 2.1 Capaian Indikator Kinerja Utama), '
                     'baris "Persentase Penduduk Miskin", kolom "Capaian"').finding
    assert found.message == ("Capaian Persentase Penduduk Miskin ((2 × target − realisasi) ÷ "
                             "target × 100): tercetak 95,00, seharusnya 108,33%")
    # the efficiency table's capaian kinerja, checked across against the capaian table, by
    # the same formula: it holds
    assert {m.status for m in planted_html.marks if (m.table, m.row, m.column) == (3, 1, 5)} \
        == {HOLDS}
    assert planted_html.notes[0] == (
        'Rumus capaian "Angka Kematian Bayi": (2 × target − realisasi) ÷ target × 100; '
        "capaian tercetak pada 2 baris hanya cocok dengan rumus ini.")


def test_years_as_columns_check_each_years_capaian(planted):
    found = _finding(planted, 'tabel 2 (Tabel 3.2 Capaian Kinerja Tahun 2022 dan 2023), baris '
                     '"Cakupan Imunisasi Dasar Lengkap", kolom "2023 / Capaian"')
    # 94,86 / 93,00 = 102,00 %; 2022's 90,16 / 92,00 = 98,00 % holds
    assert (found.where.row, found.where.column) == (1, 7)
    assert _mark(planted, 2, 1, 4, "CAPAIAN-TERCETAK").status == HOLDS


def test_a_quarters_capaian_under_its_merged_header_is_capaian_triwulan(planted):
    found = _finding(planted, 'tabel 3 (Tabel 3.3 Realisasi Kinerja Triwulan III Tahun 2024), '
                     'baris "Persentase Desa ODF", kolom "Triwulan III / Capaian %"').finding
    # against the quarter's target 45,00, not the annual 60,00: 48/45 = 106,67 %
    assert (found.check, found.printed, found.expected) == ("CAPAIAN-TRIWULAN", "160,00",
                                                            "106,67%")


def test_keterangan_against_the_capaian(planted):
    # the data route's rule: 66,00 / 60,00 = 110,00 % is "Mencapai Target"
    found = _finding(planted, f'{T31}, baris "Persentase Desa ODF", kolom "Keterangan"')
    assert found.finding.message == "Keterangan Persentase Desa ODF 2024 tidak sesuai capaian"
    assert found.finding.field == "Keterangan"
    mark = _mark(planted, 1, 1, 6, "KETERANGAN-TERCETAK")
    assert (mark.status, mark.recomputed) == (FAILS, "Mencapai Target")


def test_percentage_of_realisasi_against_pagu(planted):
    # 162.450.000 / 180.000.000 = 90,25 %, printed 90,52; 37.170.000 / 75.000.000 = 49,56 %
    imunisasi = _finding(planted, f'{T35}, baris "Penyediaan Layanan Imunisasi", kolom "%"')
    assert imunisasi.finding.message == ("Persentase realisasi Penyediaan Layanan Imunisasi: "
                                         "tercetak 90,52, seharusnya 90,25%")
    mark = _mark(planted, 5, 1, 5, "PERSENTASE-REALISASI")
    assert (mark.status, mark.recomputed, mark.severity) == (FAILS, "90,25%", "error")
    assert _mark(planted, 5, 1, 2, "PERSENTASE-REALISASI").status == HOLDS  # the pagu read


def test_sisa_against_pagu_minus_realisasi(planted):
    found = _finding(planted, f'{T35}, baris "Sanitasi Total Berbasis Masyarakat", kolom '
                     '"Sisa (Rp)"').finding
    assert found.message == ("Sisa anggaran Sanitasi Total Berbasis Masyarakat: tercetak "
                             "2.100.000, seharusnya 1.100.000")


def test_efficiency_as_the_table_defines_it_from_recomputed_capaian(planted_html):
    # capaian anggaran 600.000.000 / 800.000.000 = 75,00 %, printed 57,00; efficiency
    # (6 − 9) = 108,33 − 75,00 = +33,33, printed 51,33 (from the wrong 57,00)
    found = _finding(planted_html, f'{T_EFF}, baris "Persentase Penduduk Miskin", kolom '
                     '"Tingkat Efisiensi (6 – 9)"').finding
    assert found.message == ("Tingkat efisiensi Persentase Penduduk Miskin: tercetak 51,33, "
                             "seharusnya +33,33")
    assert ('Tabel 3: tingkat efisiensi dihitung seperti judul kolomnya "Tingkat Efisiensi '
            '(6 – 9)": "Kinerja / Capaian (%)" − "Anggaran / Capaian (%)", dari capaian yang '
            "dihitung ulang.") in planted_html.notes


# -- in a column, and across a row's quarters -------------------------------------------------
def test_sub_totals_hold_and_the_jumlah_row_is_checked_against_every_row(planted):
    found = _finding(planted, f'{T35}, baris "Jumlah", kolom "Realisasi (Rp)"').finding
    assert found.message == ("Jumlah, Realisasi (Rp) (4 baris): tercetak 594.020.000, "
                             "seharusnya 549.020.000")
    # each Sub Jumlah: its pagu, realisasi, sisa and % (from its sums) hold
    for row in (2, 5):
        assert {_mark(planted, 5, row, c, rule).status for c, rule in (
            (2, "SUBTOTAL-TERCETAK"), (3, "SUBTOTAL-TERCETAK"), (4, "TOTAL-RINCIAN"),
            (5, "SUBTOTAL-TERCETAK"))} == {HOLDS}


def test_a_jumlah_column_adds_the_quarters_beside_it(planted):
    found = _finding(planted, 'tabel 6 (Tabel 3.6 Realisasi Keuangan per Triwulan Tahun '
                     '2024), baris "Penyediaan Layanan Imunisasi", kolom "Realisasi / Jumlah"')
    assert found.finding.message == ("Penyediaan Layanan Imunisasi, Realisasi / Jumlah (4 "
                                     "kolom): tercetak 172.450.000, seharusnya 162.450.000")


def test_a_rata_rata_row_and_a_rata_rata_column(planted, planted_html):
    row = _finding(planted, 'tabel 4 (Tabel 3.4 Capaian Kinerja per Sasaran), baris '
                   '"Rata-rata", kolom "Capaian 2024 (%)"').finding
    # (97,37 + 125,00 + 110,01) / 3 = 110,7933: printed 110,80 is a rounding-level miss
    assert row.message == ("Rata-rata, Capaian 2024 (%) (3 baris): tercetak 110.80, hasil "
                           "hitung ulang 110,79%; selisih kurang dari satu satuan desimal "
                           "terakhir, setingkat pembulatan (mis. rata-rata dari angka yang "
                           "telah dibulatkan)")
    column = _finding(planted_html, 'tabel 2 (Tabel 2.2 Indeks Kepuasan Masyarakat per '
                      'Triwulan), baris "RSUD Sukamaju", kolom "Rata-rata"').finding
    assert column.message == ("RSUD Sukamaju, Rata-rata (4 kolom): tercetak 81,00, "
                              "seharusnya 80,00")


def test_an_ambiguous_cell_a_rule_needs_is_warned_never_guessed(planted):
    found = _finding(planted, 'tabel 7 (Tabel 3.7 Sasaran Imunisasi per Kecamatan), baris '
                     '"Kecamatan Beta", kolom "Jumlah Bayi"').finding
    assert found.message == (
        'Jumlah Bayi, baris Kecamatan Beta: sel "1.250" tidak dipahami (dapat dibaca 1.250 '
        "atau 1,250: kolom dan dokumen tidak menentukan tanda desimalnya), sehingga "
        "TOTAL-RINCIAN tidak diperiksa; yang diharapkan: satu angka yang terbaca jelas")
    assert _mark(planted, 7, 1, 2, "TOTAL-RINCIAN").status == NOT_UNDERSTOOD
    # the Jumlah it would have been added into is not checked at all
    assert not [m for m in planted.marks if (m.table, m.row) == (7, 3)]


def test_an_indicator_named_jumlah_is_an_item_and_a_total_may_add_numbered_rows(tmp_path):
    path = tmp_path / "lkip.md"
    path.write_text(
        "**Tabel 1 Capaian**\n\n| No | Indikator Kinerja | Target | Realisasi | Capaian |\n"
        "|---|---|---|---|---|\n| 1 | Persentase Dokumen Tepat Waktu | 80,00 | 84,00 | 105,00 |"
        "\n| 2 | Jumlah Auditor Bersertifikat Jabatan Fungsional | 42 | 45 | 107,14 |\n\n"
        "**Tabel 2 Anggaran**\n\n| No | Program / Kegiatan | Pagu (Rp) | Realisasi (Rp) | % |\n"
        "|---|---|---|---|---|\n| 1 | PROGRAM A | 300.000.000 | 240.000.000 | 80,00 |\n"
        "| | Kegiatan A1 | 100.000.000 | 90.000.000 | 90,00 |\n"
        "| | Kegiatan A2 | 200.000.000 | 150.000.000 | 75,00 |\n"
        "| 2 | PROGRAM B | 100.000.000 | 50.000.000 | 50,00 |\n"
        "| | Jumlah | 400.000.000 | 290.000.000 | 72,50 |\n", encoding="utf-8")
    result = _audit(path)
    assert result.findings == []
    # 45 / 42 = 107,14 %: checked as the capaian of an indicator, not as a total
    assert _mark(result, 1, 1, 4, "CAPAIAN-TERCETAK").status == HOLDS
    assert ('Tabel 2: baris "Jumlah", kolom "Pagu (Rp)" menjumlahkan 2 baris bernomor atau '
            "sub-jumlah, bukan semua baris rincian di atasnya.") in result.notes


# -- marks and places -------------------------------------------------------------------------
def test_every_cell_a_rule_read_is_marked(planted):
    assert planted.checked() == {HOLDS: 71, FAILS: 13, NOT_UNDERSTOOD: 1}
    fails = {(m.table, m.row, m.column) for m in planted.marks if m.status == FAILS}
    assert len(fails) == len([f for f in planted.findings
                              if f.finding.check != "ANGKA-TIDAK-DIPAHAMI"])


def test_a_place_reads_as_a_reviewer_looks_it_up(planted):
    found = _finding(planted, f'{T35}, baris "Pengendalian Stunting", kolom "%"')
    assert (found.where.table, found.where.title, found.where.page, found.where.row,
            found.where.label, found.where.column, found.where.column_label) == (
        5, "Tabel 3.5 Realisasi Anggaran Program dan Kegiatan Tahun 2024", None, 4,
        "Pengendalian Stunting", 5, "%")
    assert found.finding.place == found.where.text()


# -- the seed -----------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["seed.md", "seed.pdf"])
def test_seed_errors_the_data_route_finds_within_a_table(seed_pdf, name):
    found, _ = _within(seed_pdf if name == "seed.pdf" else understand(read(DOCS / name)))

    def place(text: str) -> str:  # the text has no pages
        return text if name == "seed.pdf" else text.split(", ", 1)[1]

    errors = [(f.finding.check, f.finding.place, f.finding.printed, f.finding.expected)
              for f in found if f.finding.severity == "error"]
    assert errors == [(c, place(p), printed, expected)
                      for c, p, printed, expected in SEED_ERRORS]
    others = [(f.finding.check, f.finding.severity, f.where.page, f.finding.printed)
              for f in found if f.finding.severity != "error"]
    assert others == [(c, s, page if name == "seed.pdf" else None, printed)
                      for c, s, page, printed in SEED_OTHERS]


def test_a_cell_checked_within_and_across_keeps_the_check_across(seed_pdf):
    # sasaran 1's efficiency: 113,65 − 95,67 = +17,98 within its table; across the document
    # its budget is the PK's programs', 113,65 − 84,31 = +29,34: said once, as across
    result = audit(seed_pdf)
    place = f'{SEED_EFF}, baris "Persentase PMKS Mandiri", kolom "Tingkat Efisiensi (6 – 9)"'
    assert [(f.finding.printed, f.finding.expected) for f in result.findings
            if f.finding.place == place] == [("-94.52", "+29,34")]
    within_errors = {(c, p) for c, p, _, _ in SEED_ERRORS}
    assert within_errors <= {(f.finding.check, f.finding.place) for f in result.findings}
    # and its formulas are the notes' (the across check reads them too)
    assert result.notes[0].startswith('Rumus capaian "Persentase PMKS Mandiri"')


def test_seed_quarter_table_whose_header_slipped_a_column(seed_pdf):
    _, notes = _within(seed_pdf)
    assert ('Tabel 34: kolom "Keterangan" berisi angka, kolom "Keterangan / Capaian %" di '
            "sebelahnya kosong; judul kolom bergeser (sel judul gabungan), angkanya dibaca "
            'sebagai "Keterangan / Capaian %".') in notes
    assert notes[:2] == [
        'Rumus capaian "Persentase PMKS Mandiri": realisasi ÷ target × 100; capaian '
        "tercetak pada 9 baris hanya cocok dengan rumus ini.",
        'Rumus capaian "Persentase Desa Mandiri": realisasi ÷ target × 100; capaian '
        "tercetak pada 8 baris hanya cocok dengan rumus ini."]


# -- the formulas ---------------------------------------------------------------------------------
def _printed(name, target, realisasi, capaian):
    return polarity.Printed(name, Decimal(target), Decimal(realisasi),
                            None if capaian is None else Decimal(capaian), capaian or "-")


@pytest.mark.parametrize("rows, named, expected", [
    # one formula shown by the rows; the most rows win over one that disagrees
    ([("A", "20", "16", "125.00")], (), "T/R"),
    ([("A", "10", "8", "80.00"), ("A", "10", "9", "90.00"), ("A", "10", "8", "125.00")], (),
     "R/T"),
    # no row fits one formula: the words, then the document's own formula for negatives
    ([("Tingkat Pengangguran Terbuka", "6", "5", "1.00"), ("B", "10", "8", "120.00")], (),
     "2T-R"),
    ([("Angka Kematian Balita", "6", "5", "1.00"), ("B", "20", "16", "125.00")], (), "T/R"),
    ([], ("Angka Kemiskinan",), "2T-R"),
    ([], ("Persentase Penurunan Angka Kemiskinan",), "R/T"),
    ([], ("Cakupan Air Minum",), "R/T"),
])
def test_the_formula_of_an_indicator(rows, named, expected):
    decided = polarity.decide([_printed(*r) for r in rows], list(named))
    name = rows[0][0] if rows else named[0]
    assert decided.formula(name) == expected
    assert decided.formula(name.upper().replace(" ", "  ")) == expected  # same indicator


def test_the_polarity_registry_names_a_bad_line(tmp_path):
    path = tmp_path / "polaritas_dokumen.csv"
    path.write_text("pola,polaritas,keterangan\nkematian,buruk,x\n(,negatif,y\n",
                    encoding="utf-8")
    with pytest.raises(InputError) as caught:
        polarity.registry(path)
    said = str(caught.value)
    assert "baris 2" in said and "polaritas tidak dikenal" in said and "buruk" in said
    assert "baris 3" in said and "pola tidak sah" in said


# -- the rules this audit added to the one registry --------------------------------------------
def _row(kind, figures=None, **facts):
    return rules.Row(kind, "f.csv", "k=1", "X", figures or {}, {"show": fmt.number, **facts})


def test_the_tables_rules_are_in_the_one_registry():
    assert {r.id: r.kind for r in rules.RULES.values()
            if r.id in ("SISA-ANGGARAN", "RATA-RATA-TERCETAK", "ANGKA-TIDAK-DIPAHAMI")} == {
        "SISA-ANGGARAN": "sisa_anggaran", "RATA-RATA-TERCETAK": "rata_rata",
        "ANGKA-TIDAK-DIPAHAMI": "sel_tidak_dipahami"}
    assert findings.rules_tables is rules_tables


def test_a_route_rates_a_rounding_slip_by_its_rows_fact():
    figure = {"capaian_cetak": rules.Figure(Decimal("97.36"), "97,36", Decimal("97.368"))}
    data_route = _row("capaian_tahunan", figure, show=fmt.percent)
    document = _row("capaian_tahunan", figure, show=fmt.percent, rounding="warning")
    assert [f.severity for f in rules.run([data_route], only=["CAPAIAN-TERCETAK"])] == ["info"]
    assert [f.severity for f in rules.run([document], only=["CAPAIAN-TERCETAK"])] == [
        "warning"]
