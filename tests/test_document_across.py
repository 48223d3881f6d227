"""The cross-document checks of a received document: the same figure printed in two places,
and the signature blocks, by the data route's own rules (rules_across, rules_identity)."""

from pathlib import Path

import pytest

from pipeline.check import findings  # noqa: F401 - fills the rule registry
from pipeline.check.document import across, cite, identity
from pipeline.check.document.result import FAILS, HOLDS
from pipeline.check.document.tables import normal_name
from pipeline.read.document import read, understand

DOCUMENTS = Path(__file__).parent / "documents"


@pytest.fixture(scope="module")
def seed():
    document = read(DOCUMENTS / "seed.md")
    reading = understand(document)
    return cite.run(across.rows(reading, document.name) + identity.rows(document))


def errors(found, check):
    return [(f.where.table, f.where.paragraph if f.where.table is None else f.where.label,
             f.finding.printed, f.finding.expected)
            for f in found if f.finding.check == check and f.finding.severity == "error"]


def test_an_acronym_and_the_words_it_stands_for_are_one_name():
    assert normal_name("Persentase Penyandang Masalah Kesejahteraan Sosial (PMKS) Mandiri") == \
        normal_name("Persentase PMKS  Mandiri") == "persentase pmks mandiri"
    assert normal_name("Lembaga (LK3) X") == "lembaga lk3 x"


def test_quarterly_targets_against_the_pk(seed):
    # the PK (tabel 6 and 43) gives Persentase Desa Mandiri 8,60 %; every quarter prints 8,06
    assert errors(seed[0], "TRIWULAN-TARGET-PK") == [
        (32, "Persentase Desa Mandiri", "8.06%", "8,60%"),
        (34, "Persentase Desa Mandiri", "8,06%", "8,60%"),
        (37, "Persentase Desa Mandiri", "8.06%", "8,60%"),
        (38, "Persentase Desa Mandiri", "8.06%", "8,60%")]


def test_the_fourth_quarter_against_the_year(seed):
    # tabel 38 (TW IV) against tabel 9 (capaian 2024): 25,06 and 29,03
    assert errors(seed[0], "TRIWULAN-IV-TAHUNAN") == [
        (38, "Persentase PMKS Mandiri", "22.05%", "25,06%"),
        (38, "Persentase Desa Mandiri", "15,05%", "29,03%")]


def test_a_pk_program_budget_against_its_kegiatan(seed):
    # tabel 26's rows under PROGRAM PENUNJANG … sum to 7.568.789.495; the PK prints
    # 7.537.949.495
    [(table, label, printed, expected)] = errors(seed[0], "JUMLAH-PROGRAM-PK")
    assert (table, printed, expected) == (44, "Rp. 7.537.949.495,-", "7.568.789.495")
    [message] = [f.finding.message for f in seed[0] if f.finding.check == "JUMLAH-PROGRAM-PK"]
    assert message.endswith("selisih Rp30.840.000")


def test_the_efficiency_table_against_its_sources(seed):
    # capaian 25,06/22,05 = 113,65 %; PK 3.807.800.000 + 3.301.407.600 + 584.692.400 =
    # 7.693.900.000, realisasi of those programs 6.486.611.305, 84,31 %; 113,65 − 84,31
    assert [(printed, expected) for *_, printed, expected in
            errors(seed[0], "EFISIENSI-TERCETAK")] == [
        ("1.15 %", "113,65%"), ("3.385.637.000", "7.693.900.000"),
        ("3.239.181.398", "6.486.611.305"), ("95.67", "84,31%"), ("-94.52", "+29,34"),
        ("3.38", "337,56%"), ("-91.49", "+242,69")]


def test_a_finding_says_where_the_figure_it_was_compared_with_is_printed(seed):
    sources = {(f.finding.check, f.finding.printed): f.source for f in seed[0]}
    assert sources[("TRIWULAN-TARGET-PK", "8,06%")].startswith(
        'tabel 6 (Perjanjian Kinerja Dinas Sosial, Pemberdayaan Masyarakat dan Desa Tahun '
        '2024), baris "Persentase Desa Mandiri", kolom "TARGET"')
    assert sources[("JUMLAH-PROGRAM-PK", "Rp. 7.537.949.495,-")] == (
        "jumlah 19 baris di bawah programnya, tabel 26 (Tabel Realisasi Program dan Kegiatan "
        "Indikator Kinerja Tahun 2024)")
    # 1.15 − 95.67 = −94.52: the row's own arithmetic holds, its error is carried
    assert sources[("EFISIENSI-TERCETAK", "-94.52")] == (
        "capaian kinerja − capaian anggaran di atas; angka ini sendiri dihitung benar dari "
        "angka tercetak di baris ini, salahnya terbawa dari angka di atas")
    assert "terbawa" not in sources[("EFISIENSI-TERCETAK", "1.15 %")]


def test_signature_blocks_against_the_nip_printed_most(seed):
    assert [p for _, p, *_ in errors(seed[0], "NIP-TIDAK-SAH")] == [255, 268, 271, 274, 288]
    assert errors(seed[0], "NIP-BERBEDA") == [
        (None, 230, "19730927 199404 1 006", "19730927 199403 1 006"),
        (None, 244, "19670125 199902 1 001", "19730927 199403 1 006"),
        (None, 249, "19670125 199902 1 001", "19730927 199403 1 006")]
    assert errors(seed[0], "GOLONGAN-BERBEDA") == [
        (None, 255, "Pembina Tingkat I (V/b)", "Pembina Tk. I (IV/b)")]
    [signed] = [f.finding.message for f in seed[0] if f.finding.check == "GOLONGAN-BERBEDA"]
    assert signed.startswith("Tanda tangan paragraf 255 (A. REALISASI KINERJA TRIWULAN II ")
    # Muara Teweh is printed most; Muara Taweh, Muara-Teweh and Muarag Teweh are not it
    assert [(f.where.paragraph, f.finding.printed) for f in seed[0]
            if f.finding.check == "TEMPAT-BERBEDA"] == [
        (255, "Muara Taweh"), (274, "Muara-Teweh"), (288, "Muarag Teweh")]


def test_a_quarter_target_to_date_against_the_pk(seed):
    # TW IV's target to date is the year's: 8,06 printed, the PK says 8,60
    assert errors(seed[0], "TRIWULAN-TARGET-TW-PK") == [
        (38, "Persentase Desa Mandiri", "8.06%", "8,60%")]


def test_every_cell_compared_is_marked(seed):
    marks = seed[1]
    failing = {(m.table, m.row, m.column) for m in marks if m.status == FAILS}
    # 14 cells of the tests above, and TW IV's target to date (below)
    assert len(failing) == 15 and len([m for m in marks if m.status == HOLDS]) == 21
    efficiency = sorted(m.recomputed for m in marks if m.table == 25 and m.status == FAILS)
    assert "113,65%" in efficiency and "+242,69" in efficiency


def test_a_consistent_document_gives_no_finding(tmp_path):
    text = """# Perjanjian Kinerja Tahun 2024

| No | Indikator Kinerja | Target |
|---|---|---|
| 1 | Persentase Desa Mandiri | 8,60% |

# Target dan Realisasi Tahun 2024

| No | Indikator Kinerja | Target | Realisasi | Capaian |
|---|---|---|---|---|
| 1 | Persentase Desa Mandiri | 8,60% | 29,03% | 337,56% |

# Realisasi Kinerja Triwulan IV

| No | Indikator Kinerja | Target | Triwulan IV Realisasi |
|---|---|---|---|
| 1 | Persentase Desa Mandiri | 8,60% | 29,03% |

Suparmi A. Aspian, S.ST., MT Pembina Tingkat I (IV/b) NIP. 19730927 199403 1 006
"""
    path = tmp_path / "lkip.md"
    path.write_text(text, encoding="utf-8")
    document = read(path)
    found, marks = cite.run(across.rows(understand(document), document.name)
                            + identity.rows(document))
    assert found == []
    assert {m.rule for m in marks} == {"TRIWULAN-TARGET-PK", "TRIWULAN-IV-TAHUNAN"}


def test_figures_stated_in_sentences_against_the_tables():
    from pipeline.check.document.audit import audit

    found = audit(understand(read(DOCUMENTS / "kalimat.md"))).findings
    # 29,03 % and 337,6 % (337,56 rounded) hold; 327,56 % does not; a sentence about 2023
    # is not compared with the 2024 table; 1.200 + 1.000 is not 2.394
    assert [(f.finding.check, f.where.paragraph, f.finding.printed, f.finding.expected)
            for f in found] == [("KALIMAT-TABEL", 3, "327,56%", "337,56%"),
                                ("JUMLAH-KALIMAT", 5, "2.394", "2.200")]


@pytest.mark.parametrize("a, b, same", [
    ("Persentase PMKS Mandiri", "Persentase Desa Mandiri", False),  # 87 % alike, two IKU
    ("Program Pemberdayaan Sosial", "Program Rehabilitasi Sosial", False),
    ("Program Penunjang Urusan Pemerintah Daerah Kabupaten/ Kota",
     "PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH KABUPATEN", True),
    ("Program Pengelolaan Taman Makan Pahlawan", "PROGRAM PENGELOLAAN TAMAN MAKAM PAHLAWAN",
     True),
])
def test_names_alike_are_one_thing_another_word_is_another(a, b, same):
    from pipeline.check.document.tables import find

    assert (find(a, {normal_name(b): "found"}) == "found") is same


def test_an_indicators_series_year_by_year():
    from pipeline.check.document.audit import audit

    found = audit(understand(read(DOCUMENTS / "seed.md"))).findings
    series = [(f.finding.check, f.finding.severity, f.where.table, f.finding.printed)
              for f in found if f.finding.check.startswith("DERET")]
    # PMKS Mandiri: 25,06 % in 2023 and again in 2024; Desa Mandiri: no table for 2022
    # between Tahun 2021 (tabel 21) and Tahun 2023
    assert series == [("DERET-TIDAK-BERUBAH", "warning", 9, "25,06%"),
                      ("DERET-TAHUN-HILANG", "warning", 21, "–")]
