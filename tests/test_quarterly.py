"""Quarterly reports (Laporan Kinerja Triwulan I-IV): the seed's four quarters as printed, with
every printed error flagged, and a year that has only its first quarter so far."""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from pipeline.check import quarterly_checks
from pipeline.compute import ledger, quarterly
from pipeline.errors import InputError
from pipeline.present import quarterly_report, workbook
from pipeline.read.numbers import round_half_up

from .conftest import EARLY, SEED_RAW

KIN, KEU = "triwulan_kinerja.csv", "triwulan_keuangan.csv"


def quarter(tw, raw: Path = SEED_RAW / "2024", year: int = 2024):
    q = quarterly.load(raw, year, tw)
    tables = quarterly.compute(q)
    return q, tables, quarterly_checks.run(q, tables)


@pytest.fixture(scope="module")
def seed_quarters():
    return {tw: quarter(tw) for tw in ("I", "II", "III", "IV")}


def r2(value) -> Decimal:
    return round_half_up(Decimal(value), 2)


def keuangan(tables, no: int) -> dict:
    df = tables.res[KEU]
    return df[df["no_realisasi"] == no].iloc[0].to_dict()


def kinerja(tables, code: str) -> dict:
    df = tables.res[KIN]
    return df[df["kode_iku"] == code].iloc[0].to_dict()


def jumlah(tables) -> dict:
    return tables.res["triwulan_keuangan_jumlah.csv"].iloc[0].to_dict()


# -- the seed's printed tables, recomputed by hand --------------------------------------------

def test_seed_tw1(seed_quarters):
    _, t, _ = seed_quarters["I"]
    assert list(t.res[KEU]["no_cetak"]) == [1, 3, 4, 5, 6, 7, 8]  # as printed, 2 skipped
    assert keuangan(t, 24)["capaian"] == 0  # realisasi '-' (nihil) ÷ 10.622.260
    assert keuangan(t, 7)["capaian"] is None  # target '-': nothing to divide by
    j = jumlah(t)
    # 480.000.000 + 2.036.000.000 + 35.407.600 + 75.000.000 + 100.000.000 + 50.000.000
    # + 1.500.000.000 = 4.276.407.600
    assert j["anggaran"] == 4_276_407_600
    # 144.000.000 + 0 + 10.622.260 + 22.500.000 + 30.000.000 + 15.000.000 + 450.000.000
    assert j["target"] == 672_122_260 and j["realisasi"] == 0 and j["capaian"] == 0
    assert kinerja(t, "IKU1")["capaian"] == 0  # 0,00 ÷ 7,00


def test_seed_tw2(seed_quarters):
    _, t, _ = seed_quarters["II"]
    assert r2(kinerja(t, "IKU1")["capaian"]) == Decimal("2.75")  # 0,33 ÷ 12,00 × 100
    assert r2(kinerja(t, "IKU2")["capaian"]) == Decimal("106.70")  # 4,30 ÷ 4,03 × 100
    assert r2(keuangan(t, 18)["capaian"]) == Decimal("38.72")  # 92.934.000 ÷ 240.000.000
    assert r2(keuangan(t, 24)["capaian"]) == Decimal("51.10")  # 9.046.500 ÷ 17.703.800
    j = jumlah(t)
    # 240.000.000 + 0 + 17.703.800 + 37.500.000 + 50.000.000 + 25.000.000 + 750.000.000
    assert j["target"] == 1_120_203_800
    # 92.934.000 + 0 + 9.046.500 + 0 + 24.213.450 + 0 + 223.117.100
    assert j["realisasi"] == 349_311_050
    assert r2(j["capaian"]) == Decimal("31.18")  # 349.311.050 ÷ 1.120.203.800 × 100


def test_seed_tw3(seed_quarters):
    _, t, _ = seed_quarters["III"]
    assert r2(keuangan(t, 18)["capaian"]) == Decimal("40.62")  # 155.988.050 ÷ 384.000.000
    assert r2(keuangan(t, 52)["capaian"]) == Decimal("111.94")  # 44.775.400 ÷ 40.000.000
    assert r2(kinerja(t, "IKU1")["capaian"]) == 100  # 18,84 ÷ 18,84
    j = jumlah(t)
    # 384.000.000 + 0 + 28.326.000 + 60.000.000 + 80.000.000 + 40.000.000 + 1.200.000.000
    assert j["target"] == 1_792_326_000
    # 155.988.050 + 0 + 9.046.500 + 54.927.746 + 71.760.200 + 44.775.400 + 767.593.438
    assert j["realisasi"] == 1_104_091_334
    assert r2(j["capaian"]) == Decimal("61.60")


def test_seed_tw4(seed_quarters):
    _, t, _ = seed_quarters["IV"]
    assert r2(keuangan(t, 24)["capaian"]) == Decimal("49.56")  # 17.548.200 ÷ 35.407.600
    assert r2(keuangan(t, 7)["capaian"]) == Decimal("95.22")  # 1.938.636.000 ÷ 2.036.000.000
    assert r2(kinerja(t, "IKU2")["capaian"]) == Decimal("186.72")  # 15,05 ÷ 8,06 × 100
    j = jumlah(t)
    # 316.568.760 + 1.938.636.000 + 17.548.200 + 74.474.546 + 95.548.350 + 49.597.400
    # + 1.438.296.788 = 3.930.670.044; ÷ 4.276.407.600 (the targets are the anggaran)
    assert (j["target"], j["realisasi"]) == (4_276_407_600, 3_930_670_044)
    assert r2(j["capaian"]) == Decimal("91.92")


# every printed error the seed's quarterly documents hold: (check, file, key)
FLAGGED = {
    "I": [
        ("TRIWULAN-TARGET-PK", KIN, "triwulan=I;kode_iku=IKU2"),  # 8.06% printed, PK 8,60%
        ("NIP-BERBEDA", "penandatangan.csv", "dokumen=Realisasi Keuangan Triwulan I"),
        ("NIP-BERBEDA", "penandatangan.csv", "dokumen=Realisasi Kinerja Triwulan I"),
        ("NAMA-BERBEDA", "penandatangan.csv", "dokumen=Realisasi Kinerja Triwulan I"),
        ("FORMAT-ANGKA", KIN, "triwulan=I;kode_iku=IKU1"),  # 22.05% with a decimal point
    ],
    "II": [
        ("CAPAIAN-TRIWULAN", KIN, "triwulan=II;kode_iku=IKU1"),  # 0,03% printed, 2,75%
        ("CAPAIAN-TRIWULAN", KIN, "triwulan=II;kode_iku=IKU2"),  # 4,30% printed, 106,70%
        ("TRIWULAN-TARGET-PK", KIN, "triwulan=II;kode_iku=IKU2"),
        ("NIP-TIDAK-SAH", "penandatangan.csv", "dokumen=Realisasi Kinerja Triwulan II"),
        ("GOLONGAN-BERBEDA", "penandatangan.csv", "dokumen=Realisasi Kinerja Triwulan II"),
        ("TEMPAT-BERBEDA", "penandatangan.csv", "dokumen=Realisasi Kinerja Triwulan II"),
        ("TANDA-TANGAN-TIDAK-ADA", "penandatangan.csv", "triwulan=II;bagian=keuangan"),
        # `pemakanan`, `mitraan`, `Lembaga Masyarakat` where the other quarters print
        # `permakanan`, `kemitraan`, `Lembaga Kemasyarakatan`
        ("NAMA-BERBEDA-ANTAR-TRIWULAN", KEU, "triwulan=II;no_realisasi=7"),
        ("NAMA-BERBEDA-ANTAR-TRIWULAN", KEU, "triwulan=II;no_realisasi=24"),
        ("NAMA-BERBEDA-ANTAR-TRIWULAN", KEU, "triwulan=II;no_realisasi=62"),
    ],
    "III": [
        ("CAPAIAN-TRIWULAN", KEU, "triwulan=III;no_realisasi=18"),  # 40,82 printed, 40,62
        ("TRIWULAN-TARGET-PK", KIN, "triwulan=III;kode_iku=IKU2"),
        ("NIP-TIDAK-SAH", "penandatangan.csv", "dokumen=Realisasi Keuangan Triwulan III"),
        ("NIP-TIDAK-SAH", "penandatangan.csv", "dokumen=Realisasi Kinerja Triwulan III"),
        ("NAMA-BERBEDA", "penandatangan.csv", "dokumen=Surat Pengantar Laporan Triwulan III"),
        ("NAMA-BERBEDA", "penandatangan.csv", "dokumen=Realisasi Keuangan Triwulan III"),
    ],
    "IV": [
        ("CAPAIAN-TRIWULAN", KEU, "triwulan=IV;no_realisasi=24"),  # 49.58 printed, 49,56
        ("CAPAIAN-TRIWULAN", KIN, "triwulan=IV;kode_iku=IKU2"),  # 186 printed, 186,72
        ("TRIWULAN-IV-TAHUNAN", KIN, "triwulan=IV;kode_iku=IKU1"),  # 22,05% vs 25,06%
        ("TRIWULAN-IV-TAHUNAN", KIN, "triwulan=IV;kode_iku=IKU2"),  # 15,05% vs 29,03%
        ("TRIWULAN-TARGET-TW-PK", KIN, "triwulan=IV;kode_iku=IKU2"),  # 8,06% vs 8,60%
        ("NIP-TIDAK-SAH", "penandatangan.csv", "dokumen=Realisasi Kinerja Triwulan IV"),
        ("NIP-TIDAK-SAH", "penandatangan.csv", "dokumen=Realisasi Keuangan Triwulan IV"),
        ("TEMPAT-BERBEDA", "penandatangan.csv", "dokumen=Realisasi Keuangan Triwulan IV"),
        ("FORMAT-ANGKA", KEU, "triwulan=IV;no_realisasi=18"),  # 480,000,000 and 65.95
        ("NAMA-BERBEDA-ANTAR-TRIWULAN", KEU, "triwulan=IV;no_realisasi=7"),  # pemakanan
    ],
}


@pytest.mark.parametrize("tw", list(FLAGGED))
def test_seed_printed_errors_are_flagged(seed_quarters, tw):
    _, _, found = seed_quarters[tw]
    have = {(f.check, f.file, f.key) for f in found}
    assert set(FLAGGED[tw]) <= have
    # a quarter's report flags its own documents only
    assert all(f"triwulan={tw};" in f.key or f"Triwulan {tw}" in f.key or "tahun" in f.key
               for f in found), [f.key for f in found]


def test_names_printed_differently_across_quarters(seed_quarters):
    """No. 7 reads `permakanan` in TW I and III, `pemakanan` in TW II and IV: on a tie the
    earliest quarter's name is taken as meant, so TW I and III are not flagged."""
    def renamed(tw):
        return [(f.key, f.field, f.printed, f.expected, f.message) for f in seed_quarters[tw][2]
                if f.check == "NAMA-BERBEDA-ANTAR-TRIWULAN"]

    assert renamed("I") == renamed("III") == []
    assert renamed("IV") == [(
        "triwulan=IV;no_realisasi=7", "kegiatan_cetak", "Penyediaan pemakanan",
        "Penyediaan permakanan",
        "Nama kegiatan pada realisasi no. 7 tercetak berbeda dengan triwulan I dan III")]
    assert renamed("II")[2] == (
        "triwulan=II;no_realisasi=62", "program_cetak",
        "Program Pemberdayaan Lembaga Masyarakat, Lembaga Adat dan Masyarakat Hukum Adat",
        "Program Pemberdayaan Lembaga Kemasyarakatan, Lembaga Adat dan Masyarakat Hukum Adat",
        "Nama program pada realisasi no. 62 tercetak berbeda dengan triwulan I, III, dan IV")


def test_seed_printed_values_and_severity(seed_quarters):
    found = {(f.check, f.key): f for f in seed_quarters["II"][2]}
    f = found[("CAPAIAN-TRIWULAN", "triwulan=II;kode_iku=IKU1")]
    assert (f.severity, f.printed, f.expected) == ("error", "0,03%", "2,75%")
    f = {(f.check, f.key): f for f in seed_quarters["IV"][2]}[
        ("CAPAIAN-TRIWULAN", "triwulan=IV;kode_iku=IKU2")]
    assert (f.severity, f.printed, f.expected) == ("info", "186", "186,72%")  # truncated


def test_seed_quarterly_report_as_printed(tmp_path, seed_quarters):
    """Layout as the seed: letter (TW I has one, TW II none), keuangan, kinerja, lampiran."""
    def html(tw):
        q, t, found = seed_quarters[tw]
        made = quarterly_report.figures(q, t, tmp_path / tw)
        entries = quarterly_report.entries(q, t, found)
        return quarterly_report.render_html(q, t, {c.key: c.svg for c in made}, found,
                                            entries), entries

    first, entries = html("I")
    assert ledger.unledgered(first, entries) == []
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", first.replace("&nbsp;", " ")))
    assert re.search(r"Nomor : 010/ +/Perenc", text)  # not yet numbered: room left
    assert "Muara Teweh, 8 Mei 2024" in text and "Yth. Kepala Bagian Organisasi" in text
    order = [first.index(s) for s in ('id="surat-pengantar"', 'id="realisasi-keuangan"',
                                      'id="realisasi-kinerja"', 'id="lampiran-verifikasi"',
                                      'id="lampiran-grafik"')]
    assert order == sorted(order)
    second, entries = html("II")
    assert ledger.unledgered(second, entries) == []
    assert "SURAT PENGANTAR" not in second
    assert "92.934.000" in second and "38,72%" in second and "Muara Teweh, Juli 2024" in second
    assert re.search(r"2,75%\s*<sup class=\"diff\"[^>]*>\[\d+\]", second)  # marked cell
    third, entries = html("III")  # two findings on one cell: [2, 10], never a decimal 2,10
    assert re.search(r"\[\d+, \d+\]</sup>", third)
    assert ledger.unledgered(third, entries) == []


# -- a year with only its first quarter -----------------------------------------------------

def test_first_quarter_builds_without_annual_data(early_build):
    written, out = early_build
    assert written.html.name == "LKIP_2025_TW1.html" and written.pdf.is_file()
    for name in ("findings.csv", "findings.json", "ledger.csv", "figures/g-triwulan-1.png"):
        assert (out / name).is_file()
    html = written.html.read_text(encoding="utf-8")
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.replace("&nbsp;", " ")))
    assert re.search(r"Nomor : 800/ +/Sekr", text)
    assert "Teluk Permai, April 2025" in text
    assert ledger.unledgered(html, ledger.read(out / "ledger.csv").values()) == []
    # 12.600.000 ÷ 30.000.000 × 100 = 42,00, printed 24,00
    assert [(f.check, f.key, f.expected) for f in written.found] == [
        ("CAPAIAN-TRIWULAN", "triwulan=I;no_realisasi=3", "42,00%")]
    j = written.tables["triwulan_keuangan_jumlah.csv"].iloc[0]
    # 120.000.000 + 45.500.000 + 12.600.000 = 178.100.000 over 230.000.000: 77,43%
    assert j["realisasi"] == 178_100_000 and r2(j["capaian"]) == Decimal("77.43")


def test_first_quarter_pdf_is_pdfa_with_its_data(early_build):
    written, _ = early_build
    reader = PdfReader(written.pdf)
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="B"' in xmp
    names = set(reader.attachments)
    assert {"data/triwulan_kinerja.csv", "data/surat_pengantar.csv", "findings.csv",
            "ledger.csv", "manifest-masukan.json"} <= names
    manifest = reader.attachments["manifest-masukan.json"][0].decode("utf-8")
    assert '"triwulan": "I"' in manifest
    assert "05_triwulan.ipynb" in manifest and "04_report.ipynb" not in manifest


def test_quarter_without_data_names_what_is_missing():
    with pytest.raises(InputError) as caught:
        quarterly.load(EARLY / "2025", 2025, "2")
    text = str(caught.value)
    assert "triwulan_kinerja.csv" in text and "triwulan_keuangan.csv" in text
    assert "belum ada data realisasi kinerja triwulan II" in text
    assert "triwulan yang sudah berisi data: I" in text


@pytest.mark.parametrize("tw", ["5", "x", "0", ""])
def test_quarter_outside_one_to_four_is_refused(tw):
    with pytest.raises(InputError, match=r"TW: triwulan tidak sah .*I, II, III atau IV"):
        quarterly.parse_triwulan(tw)
    with pytest.raises(InputError, match="triwulan tidak sah"):
        quarterly.load(EARLY / "2025", 2025, tw)


def test_checks_across_quarters(tmp_path):
    """TW II below TW I to date, a target above the PK and one above its anggaran."""
    raw = tmp_path / "2025"
    shutil.copytree(EARLY / "2025", raw)
    with open(raw / KIN, "a", encoding="utf-8") as f:
        f.write('II,F1,12.500,3.500,3.100,,per_triwulan,\n'
                'II,F2,"40,00%","45,00%","8,00%",,kumulatif,\n')
    with open(raw / KEU, "a", encoding="utf-8") as f:
        f.write("II,1,P,Pengadaan sarana tangkap nelayan,1,600.000.000,300.000.000,"
                "100.000.000,,\n"
                "II,2,P,Pelatihan kelompok nelayan,2,250.000.000,260.000.000,50.000.000,,\n")
    _, t, found = quarter("II", raw, 2025)
    have = {(f.check, f.severity, f.key, f.field) for f in found}
    assert ("KUMULATIF-MENURUN", "error", "triwulan=II;no_realisasi=1", "realisasi") in have
    assert ("KUMULATIF-MENURUN", "warning", "triwulan=II;kode_iku=F2", "realisasi") in have
    assert ("TRIWULAN-TARGET-TW-PK", "error", "triwulan=II;kode_iku=F2", "target") in have
    assert ("TRIWULAN-TARGET-ANGGARAN", "error", "triwulan=II;no_realisasi=2",
            "target") in have
    # per quarter: 3.000 + 3.500 ton to date, never falling; 2.750 + 3.100 realised
    assert kinerja(t, "F1")["realisasi_kumulatif"] == 5850
    assert not any(f.key == "triwulan=II;kode_iku=F1" and f.check == "KUMULATIF-MENURUN"
                   for f in found)


def test_workbook_carries_the_quarterly_sheets(tmp_path):
    from openpyxl import load_workbook

    raw = tmp_path / "raw" / "2025"
    raw.mkdir(parents=True)
    workbook.export(2025, EARLY, raw / "lkip_2025.xlsx")
    sheets = load_workbook(raw / "lkip_2025.xlsx").sheetnames
    assert {"triwulan_kinerja", "triwulan_keuangan", "surat_pengantar"} <= set(sheets)
    _, csv_tables, csv_found = quarter("I", EARLY / "2025", 2025)
    q, book_tables, book_found = quarter("I", raw, 2025)
    assert book_found == csv_found
    for name, df in csv_tables.res.items():
        assert book_tables.res[name][list(df.columns)].drop(columns="_baris", errors="ignore") \
            .equals(df.drop(columns="_baris", errors="ignore")), name
    assert q.letter()[0]["nomor"] is None and q.letter()[0]["nomor_pola"] == "800/ /Sekr"


def test_new_year_workbook_has_quarterly_sheets_to_fill(tmp_path):
    from openpyxl import load_workbook

    shutil.copytree(SEED_RAW / "2024", tmp_path / "2024")
    book = load_workbook(workbook.start_year(2025, 2024, tmp_path))
    for name in ("triwulan_kinerja", "triwulan_keuangan", "surat_pengantar"):
        assert book[name].max_row >= 1 and book[name]["A1"].value == "triwulan"


# -- make triwulan and make report: published like the annual report ---------------------------

@pytest.mark.slow
def test_make_triwulan_publishes_the_quarter_with_its_manifest(tmp_path):
    from pipeline.run import manifest, runner

    folder = runner.build_quarter("2025", "1", EARLY, tmp_path / "out", tmp_path / "proc")
    assert folder == tmp_path / "out" / "2025-TW1"
    published = manifest.read(folder / manifest.NAME)
    assert set(published["keluaran"]) >= {"LKIP_2025_TW1.html", "LKIP_2025_TW1.pdf",
                                          "findings.csv", "ledger.csv",
                                          "notebooks/05_triwulan.ipynb"}
    assert published["tahap"]["05_triwulan.ipynb"]["masukan"]
    executed = (folder / "notebooks" / "05_triwulan.ipynb").read_text(encoding="utf-8")
    assert 'triwulan = \\"I\\"' in executed and str(tmp_path) not in executed
    again = runner.build_quarter("2025", "I", EARLY, tmp_path / "out", tmp_path / "proc")
    assert manifest.read(again / manifest.NAME) == published  # nothing changed: no rebuild
    with pytest.raises(InputError, match="belum ada data realisasi kinerja triwulan II"):
        runner.build_quarter("2025", "2", EARLY, tmp_path / "out", tmp_path / "proc")
    for bad in ("5", "x"):
        with pytest.raises(InputError, match=r"TW: triwulan tidak sah \(nilai: '" + bad):
            runner.build_quarter("2025", bad, EARLY, tmp_path / "out", tmp_path / "proc")
    assert not (tmp_path / "out" / "2025-TW2").exists()
    # the covering letter's page is bare; the table after it has the title and its number
    assert _page_text(folder / "LKIP_2025_TW1.pdf", 1).count("Halaman") == 0
    assert "Halaman 2" in _page_text(folder / "LKIP_2025_TW1.pdf", 2)


def _page_text(pdf: Path, page: int) -> str:
    import subprocess

    return subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout


def test_quarter_without_a_letter_heads_and_numbers_its_first_page(seed_report):
    """The seed's TW II was sent without a covering letter: its first page is the keuangan
    table, with the running title and `Halaman 1` as every page after it (as `make report`
    published it, conftest: seed_report)."""
    first = _page_text(seed_report.out / "2024-TW2" / "LKIP_2024_TW2.pdf", 1)
    assert first.startswith("Laporan Kinerja Triwulan II Tahun 2024 · Dinas Sosial")
    assert "Realisasi Keuangan Triwulan II" in first and "Halaman 1" in first


def test_make_report_builds_every_quarter_with_data(tmp_path, monkeypatch, capsys):
    from pipeline import cli
    from pipeline.run import runner

    built = []
    monkeypatch.setattr(runner, "build", lambda year, *a, **k: tmp_path / str(year))
    monkeypatch.setattr(runner, "build_quarter", lambda year, tw, *a, **k: built.append(tw)
                        or tmp_path / f"{year}-TW{quarterly.number(tw)}")
    assert cli.main(["report", "--year", "2024", "--out", str(tmp_path)]) == 0
    assert built == ["I", "II", "III", "IV"]
    assert "Laporan Triwulan IV 2024 selesai" in capsys.readouterr().out
    assert runner.quarters_with_data("2025", EARLY) == ["I"]
