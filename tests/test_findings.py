"""The verification stage finds what a careful auditor finds, and nothing in clean data."""

import shutil
from decimal import Decimal

import pytest

from pipeline.check import findings
from pipeline.compute import results
from pipeline.read import clean

from .conftest import ROOT

CONTOH = ROOT / "tests" / "fixtures" / "contoh" / "2025"


def _run(folder, year):
    ds = clean.load_raw(folder, year)
    return findings.run(ds, results.compute(ds))


@pytest.fixture(scope="module")
def seed_findings(seed, seed_results):
    return findings.run(seed, seed_results)


def _find(found, check, file, key, field):
    hits = [f for f in found if (f.check, f.file, f.key, f.field) == (check, file, key, field)]
    assert len(hits) == 1, (check, key, field, hits)
    return hits[0]


def test_consistent_data_set_raises_no_finding():
    assert _run(CONTOH, 2025) == []


# Each seed finding below was recomputed by hand from the published LKIP 2024.
@pytest.mark.parametrize("check, file, key, field, printed, expected, severity", [
    # 22.693.400 / 30.000.000 = 75,64%, printed 22,64%
    ("PERSENTASE-REALISASI", "realisasi_anggaran.csv", "no=4", "persentase_cetak", "22.64 %",
     "75,64%", "error"),
    # 74.474.546 / 75.000.000 = 99,2994%: truncated to 99,29 instead of rounded to 99,30
    ("PERSENTASE-REALISASI", "realisasi_anggaran.csv", "no=30", "persentase_cetak", "99.29 %",
     "99,30%", "info"),
    # 337,56 - 94,87 = 242,69 points; printed -91,49 from a capaian column of 3,38
    ("EFISIENSI-TERCETAK", "efisiensi_cetak.csv", "kode_sasaran=S2;kode_iku=IKU2", "efisiensi",
     "-91.49", "+242,69", "error"),
    ("EFISIENSI-TERCETAK", "efisiensi_cetak.csv", "kode_sasaran=S2;kode_iku=IKU2",
     "capaian_kinerja", "3.38", "337,56%", "error"),
    # sasaran 1 budget: programs P02+P03+P04 = 7.693.900.000, printed 3.385.637.000
    ("EFISIENSI-TERCETAK", "efisiensi_cetak.csv", "kode_sasaran=S1;kode_iku=IKU1", "anggaran",
     "3.385.637.000", "7.693.900.000", "error"),
    # 4,30 / 4,03 = 106,70%, printed 4,30%
    ("CAPAIAN-TRIWULAN", "triwulan_kinerja.csv", "triwulan=II;kode_iku=IKU2", "capaian_cetak",
     "4,30%", "106,70%", "error"),
    # 155.988.050 / 384.000.000 = 40,62%, printed 40,82
    ("CAPAIAN-TRIWULAN", "triwulan_keuangan.csv", "triwulan=III;no_realisasi=18",
     "capaian_cetak", "40,82", "40,62%", "error"),
    # PK support program Rp7.537.949.495 against 7.568.789.495 in its sub-kegiatan rows
    ("JUMLAH-PROGRAM-PK", "pk_program.csv", "kode_program=P01", "anggaran", "7.537.949.495",
     "7.568.789.495", "error"),
    # quarterly reports print the annual target 8,06% where the PK says 8,60%
    ("TRIWULAN-TARGET-PK", "triwulan_kinerja.csv", "triwulan=I;kode_iku=IKU2",
     "target_tahunan_cetak", "8.06%", "8,60%", "error"),
    # TW IV realisasi 15,05% against the annual 29,03% (27 of 93 desa)
    ("TRIWULAN-IV-TAHUNAN", "triwulan_kinerja.csv", "triwulan=IV;kode_iku=IKU2", "realisasi",
     "15,05%", "29,03%", "error"),
    ("TRIWULAN-IV-TAHUNAN", "triwulan_kinerja.csv", "triwulan=IV;kode_iku=IKU1", "realisasi",
     "22,05%", "25,06%", "error"),
    # 25,06% in 2023 and again in 2024
    ("DERET-TIDAK-BERUBAH", "kinerja_tahunan.csv", "kode_iku=IKU1;tahun=2024", "realisasi",
     "25,06%", "nilai baru", "warning"),
    ("DERET-TARGET-KOSONG", "kinerja_tahunan.csv", "kode_iku=IKU2;tahun=2022", "target", "–",
     "target tahun itu", "warning"),
    # 2022 is not printed; the village list gives 7 of 93 = 7,53%
    ("REALISASI-DAFTAR", "kinerja_tahunan.csv", "kode_iku=IKU2;tahun=2022", "realisasi", "–",
     "7,53%", "info"),
    # a 19-digit NIP, and another person's NIP under the head's name
    ("NIP-TIDAK-SAH", "penandatangan.csv", "dokumen=Realisasi Kinerja Triwulan IV", "nip_cetak",
     "19730927 1999403 1 006", "NIP 18 digit yang sah", "error"),
    ("NIP-BERBEDA", "penandatangan.csv", "dokumen=Realisasi Kinerja Triwulan I", "nip_cetak",
     "19670125 199902 1 001", "19730927 199403 1 006", "error"),
    ("NIP-BERBEDA", "penandatangan.csv", "dokumen=Lampiran Penetapan IKU 2024-2026",
     "nip_cetak", "19730927 199404 1 006", "19730927 199403 1 006", "error"),
    ("NAMA-BERBEDA", "penandatangan.csv", "dokumen=Surat Pengantar Laporan Triwulan III",
     "nama_cetak", "Supardi A. Aspian, S.ST., MT", "Suparmi A. Aspian, S.ST., MT", "warning"),
])
def test_seed_findings_confirmed_by_hand(seed_findings, check, file, key, field, printed,
                                         expected, severity):
    f = _find(seed_findings, check, file, key, field)
    assert (f.printed, f.expected, f.severity) == (printed, expected, severity)
    assert f.message


def test_seed_correct_figures_raise_nothing(seed_findings):
    keys = {(f.file, f.key, f.field) for f in seed_findings}
    # 25,06 / 22,05 = 113,65% printed right; 9,97% in 2018 printed right
    assert ("kinerja_tahunan.csv", "kode_iku=IKU1;tahun=2024", "capaian_cetak") not in keys
    assert ("kinerja_tahunan.csv", "kode_iku=IKU1;tahun=2018", "capaian_cetak") not in keys
    # the PMKS breakdown adds up to the printed 2.394
    assert not any(f.check == "TOTAL-RINCIAN" for f in seed_findings)


def test_mutation_names_exactly_the_changed_row(tmp_path):
    folder = tmp_path / "2025"
    shutil.copytree(CONTOH, folder)
    path = folder / "realisasi_anggaran.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(
        '4,A2,2,Pengelolaan Cadangan Pangan,Pemeliharaan Gudang,50.000.000,40.000.000,"80,00%"',
        '4,A2,2,Pengelolaan Cadangan Pangan,Pemeliharaan Gudang,50.000.000,40.000.000,"85,00%"'),
        encoding="utf-8")
    [f] = _run(folder, 2025)
    assert (f.severity, f.file, f.key, f.field) == ("error", "realisasi_anggaran.csv", "no=4",
                                                    "persentase_cetak")
    assert (f.printed, f.expected) == ("85,00%", "80,00%")


@pytest.mark.parametrize("printed, text, recomputed, expected", [
    (Decimal("113.65"), "113.65%", Decimal("113.6508"), None),
    (Decimal("99.29"), "99.29 %", Decimal("99.2994"), "info"),
    (Decimal("186"), "186", Decimal("186.72"), "info"),
    (Decimal("22.64"), "22.64 %", Decimal("75.6447"), "error"),
    (None, None, Decimal("7.53"), "error"),
    (3385637000, "3.385.637.000", 7693900000, "error"),
])
def test_printed_precision_rule(printed, text, recomputed, expected):
    assert findings.compare_printed(printed, text, recomputed) == expected


@pytest.mark.parametrize("nip, ok", [
    ("19730927 199403 1 006", True),
    ("19730927 1999403 1 006", False),   # 19 digits
    ("19730231 199403 1 006", False),   # 31 February
    ("19730927 198903 1 006", False),   # appointed at 15
    ("19730927 199413 1 006", False),   # month 13
    ("19730927 199403 3 006", False),   # gender 3
    ("19800512 200501 2 003", True),
])
def test_nip_rules(nip, ok):
    assert (findings.nip_problems(nip) == []) is ok


def test_findings_files_written_by_the_build(tmp_path, seed, seed_results):
    found = findings.run(seed, seed_results)
    findings.write(found, tmp_path)
    assert findings.read(tmp_path) == found
    header = (tmp_path / "findings.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == "no,check,severity,file,key,field,printed,expected,message"


def test_seed_ledger_keeps_every_figure(seed, seed_results, seed_findings):
    """Every figure of the seed report, as checked by hand in earlier versions, stays.

    The snapshot was compared with the build before several IKU per sasaran existed: the same
    values, with efficiency keyed by sasaran and IKU and computed from the printed capaian.
    """
    import csv

    from pipeline.compute import ledger

    from .conftest import ROOT

    with open(ROOT / "tests" / "fixtures" / "seed_2024_ledger_values.csv",
              encoding="utf-8") as handle:
        expected = {r["key"]: Decimal(r["value"]) for r in csv.DictReader(handle)}
    built = {e.key: e.number for e in ledger.build(seed, seed_results, seed_findings)}
    assert built == expected
    assert len(seed_findings) == 47
