"""A government reporting as a whole: a Pemerintah Kabupaten's own LKjIP.

The fixture tests/fixtures/kabupaten_lkjip is fictional: signed by the Bupati, who has no NIP
and no pangkat, a Perjanjian Kinerja without Pihak Kedua, RPJMD IKU each with the Perangkat
Daerah answering for it, sasaran named as the source names them. Every expected number was
computed by hand, with the arithmetic in tests/fixtures/kabupaten_lkjip/EXPECTED.md.
"""

from __future__ import annotations

import csv
import re
import shutil
from decimal import Decimal
from functools import cache
from pathlib import Path

import pandas as pd
import pytest

from pipeline.check import draft, findings
from pipeline.compute import ledger, results
from pipeline.errors import InputError
from pipeline.present import charts, render, report, workbook
from pipeline.read import clean, level, schema
from pipeline.read.numbers import round_half_up

from .conftest import ROOT, build_html
from .test_agencies import report_html as agency_html

FIXTURE = ROOT / "tests" / "fixtures" / "kabupaten_lkjip"
YEAR = 2025
GOVERNMENT = "Pemerintah Kabupaten Lembah Arunika"
BUPATI = "H. Bagaskara Nirwasita, S.H., M.H."
SIGNER_CELLS = ("kepala_pangkat", "kepala_nip", "atasan_nama", "atasan_jabatan")
TO_MINISTERS = ("Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi, Menteri Dalam "
                "Negeri dan Gubernur")


def r2(value) -> Decimal:
    return round_half_up(Decimal(value), 2)


@cache
def computed():
    ds = clean.load_raw(FIXTURE / "2025", YEAR)
    return ds, results.compute(ds)


def rows(tables, file, *key):
    df = tables[file]
    return {tuple(r[k] for k in key) if len(key) > 1 else r[key[0]]: r
            for r in df.to_dict("records")}


def copy_with(tmp_path: Path, **instansi) -> Path:
    """The fixture's year folder, copied, with instansi.csv cells replaced (None: the column
    left out of the file)."""
    raw = tmp_path / "raw" / "2025"
    shutil.copytree(FIXTURE / "2025", raw)
    path = raw / "instansi.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        header, row = list(csv.reader(handle))
    cells = dict(zip(header, row))
    for column, value in instansi.items():
        if value is None:
            cells.pop(column)
        else:
            cells[column] = value
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(list(cells))
        writer.writerow(list(cells.values()))
    return raw


# -- the level, as data ----------------------------------------------------------------------

def test_whole_government_levels_are_rows_of_the_shipped_table():
    for tingkat in ("pemerintah_kabupaten", "pemerintah_kota", "pemerintah_provinsi"):
        assert tingkat in level.levels()
        assert level.blank_allowed(tingkat) == frozenset(SIGNER_CELLS)
    for tingkat in ("kabupaten", "kota", "provinsi", "kementerian", "lembaga", "", None):
        assert level.blank_allowed(tingkat) == frozenset()
    assert level.blank_allowed("kecamatan") == frozenset()  # unknown: reported elsewhere


def test_words_of_a_government_reporting_as_a_whole():
    kab = level.words({"tingkat": "pemerintah_kabupaten", "wilayah": "Lembah Arunika",
                       "provinsi": "Pesisir Baratdaya", "nama_instansi": GOVERNMENT,
                       "pemerintah": GOVERNMENT})
    assert (kab["kepala_daerah"], kab["sumber_anggaran"]) == ("Bupati", "APBD")
    assert kab["penerima_laporan"] == TO_MINISTERS
    assert kab["nama_dan_kedudukan"] == GOVERNMENT
    assert kab["lokasi"] == "Kabupaten Lembah Arunika, Provinsi Pesisir Baratdaya"
    kota = level.words({"tingkat": "pemerintah_kota", "nama_instansi": "Pemerintah Kota Tepian",
                        "pemerintah": "Pemerintah Kota Tepian"})
    assert kota["kepala_daerah"] == "Wali Kota"
    prov = level.words({"tingkat": "pemerintah_provinsi", "wilayah": "Seberang",
                        "provinsi": "Seberang", "nama_instansi": "Pemerintah Provinsi Seberang",
                        "pemerintah": "Pemerintah Provinsi Seberang"})
    assert prov["kepala_daerah"] == "Gubernur"
    assert prov["penerima_laporan"] == ("Menteri Pendayagunaan Aparatur Negara dan Reformasi "
                                        "Birokrasi dan Menteri Dalam Negeri")
    assert prov["lokasi"] == "Provinsi Seberang"  # not "Provinsi Seberang, Provinsi Seberang"


def test_an_agency_of_a_government_keeps_its_words():
    inst = {"tingkat": "kabupaten", "nama_instansi": "Dinas Sosial",
            "pemerintah": "Pemerintah Kabupaten Hulu", "kepala_daerah": "Pj. Bupati"}
    w = level.words(inst)
    assert w["nama_dan_kedudukan"] == \
        "Dinas Sosial, Perangkat Daerah pada Pemerintah Kabupaten Hulu"
    assert w["penerima_laporan"] == "Pj. Bupati"  # follows the agency's own kepala_daerah
    assert level.names(inst) == ["Dinas Sosial", "Pemerintah Kabupaten Hulu"]
    # an agency named as its government, whatever its level, is never a part of itself
    same = {"tingkat": "kabupaten", "nama_instansi": "PEMERINTAH KABUPATEN HULU",
            "pemerintah": "Pemerintah  Kabupaten Hulu"}
    assert level.names(same) == ["PEMERINTAH KABUPATEN HULU"]
    assert level.words(same)["nama_dan_kedudukan"] == "PEMERINTAH KABUPATEN HULU"


# -- reading the signer cells ----------------------------------------------------------------

def test_blank_signer_cells_are_read_as_blank_for_the_level(tmp_path):
    inst = computed()[0]["instansi.csv"].iloc[0]
    assert inst["tingkat"] == "pemerintah_kabupaten"
    assert [inst[c] for c in SIGNER_CELLS] == [None, None, None, None]
    # the columns may also be left out of the file
    raw = copy_with(tmp_path, **dict.fromkeys(SIGNER_CELLS))
    inst = clean.load_raw(raw, YEAR)["instansi.csv"].iloc[0]
    assert [inst[c] for c in SIGNER_CELLS] == [None, None, None, None]


def test_blank_signer_cells_are_still_refused_for_an_agency(tmp_path):
    raw = copy_with(tmp_path, tingkat="kabupaten")
    with pytest.raises(InputError) as err:
        clean.load_raw(raw, YEAR)
    levels = "boleh kosong pada tingkat pemerintah_kabupaten, pemerintah_kota, pemerintah_provinsi"
    assert str(err.value) == "\n".join([
        "Data masukan tidak valid (4 masalah):",
        "  - instansi.csv, baris 2, kolom 'kepala_pangkat': sel kosong, padahal wajib diisi; "
        f"yang diharapkan: Pangkat/golongan kepala instansi; {levels}, berupa teks bebas",
        "  - instansi.csv, baris 2, kolom 'kepala_nip': sel kosong, padahal wajib diisi; "
        f"yang diharapkan: NIP kepala instansi (18 digit, boleh berspasi); {levels}, berupa "
        "NIP seperti tercetak (19730927 199403 1 006)",
        "  - instansi.csv, baris 2, kolom 'atasan_nama': sel kosong, padahal wajib diisi; "
        "yang diharapkan: Nama atasan penanda tangan PK (Pihak Kedua); "
        f"{levels}, berupa teks bebas",
        "  - instansi.csv, baris 2, kolom 'atasan_jabatan': sel kosong, padahal wajib diisi; "
        f"yang diharapkan: Jabatan atasan penanda tangan PK; {levels}, berupa teks bebas"])


def test_left_out_signer_columns_are_still_refused_for_an_agency(tmp_path):
    raw = copy_with(tmp_path, tingkat="kota", kepala_nip=None)
    with pytest.raises(InputError) as err:
        clean.load_raw(raw, YEAR)
    assert [str(d) for d in err.value.defects] == [
        "instansi.csv, baris 1, kolom 'kepala_nip': kolom wajib tidak ada; mungkin salah eja: "
        "'kepala_nama'; yang diharapkan: kolom: " + ", ".join(schema.table("instansi.csv").names)]


# -- the figures -----------------------------------------------------------------------------

SERIES = {  # (kode_iku, tahun): (capaian, keterangan, predikat); EXPECTED.md section 1
    ("IKU1", 2022): ("102.86", "Mencapai Target", "Sangat Tinggi"),
    ("IKU1", 2023): ("101.50", "Mencapai Target", "Sangat Tinggi"),
    ("IKU1", 2024): ("98.84", "Tidak Mencapai Target", "Sangat Tinggi"),
    ("IKU1", 2025): ("96.41", "Tidak Mencapai Target", "Sangat Tinggi"),
    ("IKU2", 2022): ("100.07", "Mencapai Target", "Sangat Tinggi"),
    ("IKU2", 2023): ("100.17", "Mencapai Target", "Sangat Tinggi"),
    ("IKU2", 2024): ("100.16", "Mencapai Target", "Sangat Tinggi"),
    ("IKU2", 2025): ("100.17", "Mencapai Target", "Sangat Tinggi"),
    ("IKU3", 2022): ("102.40", "Mencapai Target", "Sangat Tinggi"),
    ("IKU3", 2023): ("95.49", "Tidak Mencapai Target", "Sangat Tinggi"),
    ("IKU3", 2024): ("102.12", "Mencapai Target", "Sangat Tinggi"),
    ("IKU3", 2025): ("79.25", "Tidak Mencapai Target", "Tinggi"),
    ("IKU4", 2022): ("101.69", "Mencapai Target", "Sangat Tinggi"),
    ("IKU4", 2023): ("100.93", "Mencapai Target", "Sangat Tinggi"),
    ("IKU4", 2024): ("98.67", "Tidak Mencapai Target", "Sangat Tinggi"),
    ("IKU4", 2025): ("100.50", "Mencapai Target", "Sangat Tinggi"),
    ("IKU5", 2022): ("96.09", "Tidak Mencapai Target", "Sangat Tinggi"),
    ("IKU5", 2023): ("102.97", "Mencapai Target", "Sangat Tinggi"),
    ("IKU5", 2024): ("102.46", "Mencapai Target", "Sangat Tinggi"),
    ("IKU5", 2025): ("103.23", "Mencapai Target", "Sangat Tinggi"),
}


# IKU6, the BPK opinion on the government's financial statements, on the opini_bpk scale
# (WTP 4, WDP 3, TW 2, TMP 1): (target, realisasi, selisih, capaian, keterangan)
OPINION = {
    ("IKU6", 2022): (4, 3, -1, "Tidak tercapai", "Tidak Mencapai Target"),  # WTP, WDP
    ("IKU6", 2023): (4, 4, 0, "Tercapai", "Mencapai Target"),
    ("IKU6", 2024): (4, 4, 0, "Tercapai", "Mencapai Target"),
    ("IKU6", 2025): (4, 4, 0, "Tercapai", "Mencapai Target"),
}


def test_capaian_per_iku_and_year():
    got = rows(computed()[1], "kinerja_seri.csv", "kode_iku", "tahun")
    assert set(got) == set(SERIES) | set(OPINION)
    for key, (capaian, keterangan, predikat) in SERIES.items():
        assert r2(got[key]["capaian"]) == Decimal(capaian), key
        assert (got[key]["keterangan"], got[key]["predikat"]) == (keterangan, predikat), key
    # 2 x 9,20 - 9,53 = 8,87 per 1.000 KH below the target's 9,20: 96,413...
    assert got[("IKU1", 2025)]["realisasi"] == Decimal("9.53")


def test_the_opinion_iku_is_judged_on_its_scale():
    got = rows(computed()[1], "kinerja_seri.csv", "kode_iku", "tahun")
    for key, (target, realisasi, step, label, verdict) in OPINION.items():
        row = got[key]
        assert (row["target"], row["realisasi"], row["selisih_tingkat"]) == \
            (target, realisasi, step), key
        assert (row["capaian_label"], row["keterangan"]) == (label, verdict), key
        assert row["capaian"] is None and row["predikat"] == "–", key


def test_capaian_per_sasaran_is_the_mean_of_its_iku():
    got = rows(computed()[1], "capaian_sasaran.csv", "kode_sasaran")
    # (96,413043... + 100,170454...) / 2; 79,245283...; (100,50 + 103,225806...) / 2; SS3.1 is
    # measured by the opinion alone: no numeric capaian
    assert {k: v["capaian"] and r2(v["capaian"]) for k, v in got.items()} == {
        "SS1.1": Decimal("98.29"), "SS2.1": Decimal("79.25"), "SS2.2": Decimal("101.86"),
        "SS3.1": None}
    assert got["SS2.1"]["predikat"] == "Tinggi"


def test_budget_and_efficiency():
    tables = computed()[1]
    total = tables["anggaran_total.csv"].iloc[0]
    assert (total["anggaran"], total["realisasi"]) == (443_525_000_000, 435_017_398_950)
    assert r2(total["persentase"]) == Decimal("98.08")
    sasaran = rows(tables, "anggaran_sasaran.csv", "kode_sasaran")
    assert (sasaran["SS2.2"]["anggaran"], sasaran["SS2.2"]["realisasi"]) == \
        (2_500_000_000, 2_399_145_000)
    eff = rows(tables, "efisiensi.csv", "kode_sasaran", "kode_iku")
    # no efficiency for a label: SS3.1 is measured by the opinion alone
    assert {k: v["efisiensi"] and r2(v["efisiensi"]) for k, v in eff.items()} == {
        ("SS1.1", "IKU1"): Decimal("0.56"), ("SS1.1", "IKU2"): Decimal("4.32"),
        ("SS2.1", "IKU3"): Decimal("-13.47"), ("SS2.2", "IKU4"): Decimal("4.53"),
        ("SS2.2", "IKU5"): Decimal("7.26"), ("SS3.1", "IKU6"): None}


def test_no_finding_at_all():
    """No NIP to check is not a finding; every printed figure is consistent, and the
    narrative holds nothing left to write: the report's findings (findings.csv) are none."""
    ds, tables = computed()
    assert findings.run(ds, tables) == []
    assert ds.narrative  # read, and found complete
    assert draft.with_narrative([], ds) == []


# -- sasaran named as the source names them ------------------------------------------------

def test_sasaran_labels_come_from_the_data_else_their_order():
    ds = computed()[0]
    assert report.sasaran_labels(ds["sasaran.csv"]) == {
        "SS1.1": "Sasaran Strategis 1.1", "SS2.1": "Sasaran Strategis 2.1",
        "SS2.2": "Sasaran Strategis 2.2", "SS3.1": "Sasaran Strategis 3.1"}
    assert report.sasaran_titles(ds["sasaran.csv"])["SS2.2"] == \
        "Sasaran Strategis 2.2: Menurunnya Kemiskinan dan Pengangguran"
    plain = pd.DataFrame({"kode_sasaran": ["S5", "S2"], "uraian": ["A", "B"]})
    assert report.sasaran_labels(plain) == {"S5": "Sasaran 1", "S2": "Sasaran 2"}
    assert report.sasaran_titles(plain) == {"S5": "A", "S2": "B"}


# -- the report ------------------------------------------------------------------------------

_BUILT: dict[str, tuple[str, Path]] = {}


def _built(tmp_path_factory) -> tuple[str, Path]:
    """The fixture's report built once in this process: its HTML, and the folder holding
    its charts (figures/, each as SVG for the HTML and PNG for print)."""
    if "fixture" not in _BUILT:
        folder = tmp_path_factory.mktemp("fixture")
        _BUILT["fixture"] = build_html(FIXTURE / "2025", YEAR, folder)[0], folder
    return _BUILT["fixture"]


def report_html(tmp_path_factory) -> str:
    return _built(tmp_path_factory)[0]


def _section(html: str, start: str, end: str) -> str:
    return html[html.index(start):html.index(end, html.index(start))]


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def test_cover_prints_the_government_once(tmp_path_factory):
    cover = _section(report_html(tmp_path_factory), '<section class="cover">', "</section>")
    assert _text(cover).count("PEMERINTAH KABUPATEN LEMBAH ARUNIKA") == 1
    assert 'class="gov"' not in cover
    assert 'class="addr sendiri"' in cover  # the address keeps its place at the foot


def test_words_never_call_the_government_its_own_perangkat_daerah(tmp_path_factory):
    text = _text(report_html(tmp_path_factory))
    for wrong in ("Perangkat Daerah pada", "kepada Bupati", "Pihak Pertama",
                  f"{GOVERNMENT}, Perangkat Daerah"):
        assert wrong not in text, wrong
    assert ("Laporan ini mempertanggungjawabkan kinerja Pemerintah Kabupaten Lembah Arunika, "
            "tahun 2025 terhadap 4 (empat) sasaran strategis") in text
    assert (f"penggunaan anggaran APBD tahun 2025 {GOVERNMENT} kepada {TO_MINISTERS}, "
            "sebagai bahan evaluasi") in text
    assert (f"Perjanjian Kinerja tahun 2025 ditandatangani oleh {BUPATI} selaku Bupati Lembah "
            "Arunika.") in text


def test_signature_blocks_have_no_nip_and_no_pangkat(tmp_path_factory):
    html = report_html(tmp_path_factory)
    blocks = re.findall(r'<div class="signature">(.*?)</div>', html, re.S)
    assert len(blocks) == 3  # Kata Pengantar, Bab IV, the PK annex
    for block in blocks:
        assert _text(block).endswith(f"Bupati Lembah Arunika, {BUPATI}")
        assert "NIP" not in block and "<p></p>" not in block
    assert _text(blocks[0]).startswith("Arunika Hilir, 25 Maret 2026")
    assert _text(blocks[2]).startswith("Arunika Hilir, 28 Februari 2025")  # tanggal_pk
    annex = _section(html, 'id="lampiran-pk"', 'id="lampiran-iku"')
    assert 'class="signatures"' not in annex  # one signer, no Pihak Kedua column
    assert (f"Ditandatangani oleh {BUPATI}, Bupati Lembah Arunika, tanpa Pihak Kedua.") in \
        _text(annex)


def test_sasaran_are_named_the_same_way_everywhere(tmp_path_factory):
    html = report_html(tmp_path_factory)
    text = _text(html)
    assert re.search(r"\bSasaran [0-9]\b", text) is None  # never renumbered by order
    assert re.search(r"\bsasaran SS", text) is None  # never by its data code
    for heading in ("Sasaran Strategis 1.1: Meningkatnya Derajat Kesehatan Masyarakat",
                    "Sasaran Strategis 2.2: Menurunnya Kemiskinan dan Pengangguran"):
        assert f">{heading}</h4>" in html
    assert "Tabel 12. Capaian IKU dan capaian Sasaran Strategis 2.2" in text
    assert "Tabel 15. Program pendukung Sasaran Strategis 2.2" in text
    assert ("3. Laju Pertumbuhan Ekonomi (Sasaran Strategis 2.1): Capaian kinerja 79,25% "
            "diraih dengan penyerapan anggaran 92,72%") in text
    pk = _text(_section(html, 'id="bab-2-c"', 't-pk-program'))
    assert "2 Sasaran Strategis 2.1: Meningkatnya Pertumbuhan Ekonomi Daerah yang Inklusif" in pk


def test_sasaran_without_a_sebutan_are_numbered_the_same_way_everywhere(request):
    """The Ikhtisar of an agency with three IKU names each sasaran as Bab III does (the
    'kota' agency's report, built once for test_agencies.py too)."""
    html = agency_html("kota", request)
    ikhtisar = _text(_section(html, 'id="ikhtisar"', 'id="daftar-isi"'))
    assert ("Jumlah Dokumen Perencanaan yang Tepat Waktu (Sasaran 1): Capaian kinerja 91,67%"
            in ikhtisar)
    assert "(sasaran S" not in html
    assert '>Sasaran 1: Meningkatnya Kualitas dan Ketepatan Waktu Perencanaan' in html
    assert "Tabel 9. Program pendukung Sasaran 1" in _text(html)


def test_iku_name_the_perangkat_daerah_answering_for_them(tmp_path_factory):
    html = report_html(tmp_path_factory)
    table = _section(html, 'id="t-iku"', "</table>")
    cells = [_text(row) for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)][1:]
    assert [c.rsplit(" positif ", 1)[-1].rsplit(" negatif ", 1)[-1] for c in cells] == [
        "Dinas Kesehatan", "Dinas Kesehatan; Badan Perencanaan Pembangunan Daerah",
        "Badan Perencanaan Pembangunan Daerah; Dinas Koperasi dan Usaha Mikro",
        "Dinas Sosial", "Dinas Perindustrian dan Tenaga Kerja",
        "Badan Pengelolaan Keuangan dan Aset Daerah; Inspektorat Daerah"]


def test_a_pihak_kedua_named_by_the_data_is_printed(tmp_path, tmp_path_factory):
    """Only instansi.csv differs from the fixture: its charts are the fixture's."""
    raw = copy_with(tmp_path, atasan_nama="Drs. Candra Wiramuda",
                    atasan_jabatan="Ketua DPRD Kabupaten Lembah Arunika")
    drawn_in = _built(tmp_path_factory)[1] / "figures"
    text = _text(build_html(raw, YEAR, tmp_path / "build", drawn=drawn_in)[0])
    assert (f"ditandatangani oleh {BUPATI} selaku Bupati Lembah Arunika (Pihak Pertama) dan "
            "Drs. Candra Wiramuda selaku Ketua DPRD Kabupaten Lembah Arunika (Pihak Kedua).") \
        in text
    assert ("Pihak Kedua, Ketua DPRD Kabupaten Lembah Arunika, Drs. Candra Wiramuda "
            "Arunika Hilir, 28 Februari 2025 Pihak Pertama, Bupati Lembah Arunika, "
            f"{BUPATI} B. Indikator Kinerja Utama") in text  # no NIP under the Bupati
    assert "NIP." not in text


def test_workbook_round_trip_keeps_the_blank_cells(tmp_path):
    ds, tables = computed()
    raw = tmp_path / "raw" / "2025"
    raw.mkdir(parents=True)
    shutil.copytree(FIXTURE / "2025" / "narasi", raw / "narasi")
    workbook.export(YEAR, FIXTURE, raw / "lkip_2025.xlsx")
    again = clean.load_raw(raw, YEAR)
    inst = again["instansi.csv"].iloc[0]
    assert [inst[c] for c in SIGNER_CELLS] == [None, None, None, None]
    assert list(again["sasaran.csv"]["sebutan"]) == list(ds["sasaran.csv"]["sebutan"])
    res = results.compute(again)
    assert findings.run(again, res) == []
    figures = {e.key: e.number for e in ledger.build(again, res, [])}
    assert figures == {e.key: e.number for e in ledger.build(ds, tables, [])}


@pytest.mark.e2e
def test_pdf_reads_right(tmp_path, tmp_path_factory):
    """The PDF printed from the report's HTML as the report stage prints it (render.for_print,
    the charts as PNG): cover, Ikhtisar, Bab I and the PK annex, as their text layer reads.
    Its findings, none, are test_no_finding_at_all's."""
    from pypdf import PdfReader

    html, folder = _built(tmp_path_factory)
    drawn = [charts.Chart(svg.stem, "", svg.with_suffix(".png"), svg)
             for svg in sorted((folder / "figures").glob("*.svg"))]
    assert drawn
    render.render_pdf(render.for_print(html, drawn), tmp_path / "LKIP_2025.pdf")
    pages = [" ".join(p.extract_text().split()) for p in
             PdfReader(tmp_path / "LKIP_2025.pdf").pages]
    assert pages[0].count("PEMERINTAH KABUPATEN LEMBAH ARUNIKA") == 1
    assert f"kepada {TO_MINISTERS}" in " ".join(pages)
    annex = next(p for p in pages if p.startswith("LAMPIRAN"))
    assert "tanpa Pihak Kedua" in annex and "NIP" not in annex
    assert not any("Perangkat Daerah pada" in p or "kepada Bupati" in p for p in pages)


QUARTER_FILES = {
    "triwulan_kinerja.csv": [
        "triwulan,kode_iku,target_tahunan_cetak,target,realisasi,capaian_cetak,cara_hitung,"
        "keterangan",
        'I,IKU4,"8,00%","8,00%","8,10%","98,75%",kumulatif,'],
    "triwulan_keuangan.csv": [
        "triwulan,no_cetak,program_cetak,kegiatan_cetak,no_realisasi,anggaran,target,"
        "realisasi,capaian_cetak,cara_hitung,keterangan",
        "I,1,Program Perlindungan dan Jaminan Sosial,Pengelolaan Data Fakir Miskin Cakupan "
        'Daerah Kabupaten/Kota,6,940.000.000,235.000.000,220.900.000,"94,00%",per_triwulan,'],
    "surat_pengantar.csv": [
        "triwulan,no,nomor,nomor_pola,tanggal,tempat,kepada,jenis_dokumen,banyaknya,keterangan",
        "I,1,,050/ /Bappeda,,,Yth. Gubernur Pesisir Baratdaya | di - | Tempat,Laporan Kinerja "
        f"Triwulan I Tahun 2025 {GOVERNMENT},1 dokumen,"],
    "penandatangan.csv": [
        "dokumen,tempat_tanggal_cetak,nama_cetak,pangkat_cetak,nip_cetak,triwulan,bagian",
        *(f'{doc} Triwulan I 2025,"Arunika Hilir, April 2025","{BUPATI}",,,I,{part}'
          for doc, part in (("Surat Pengantar Laporan", "surat_pengantar"),
                            ("Realisasi Keuangan", "keuangan"),
                            ("Realisasi Kinerja", "kinerja")))],
}


@pytest.mark.e2e
def test_quarterly_report_of_a_government(tmp_path):
    """A quarter: the letterhead names the government once, the Bupati signs without NIP,
    and no signature finding comes of the NIP he does not have."""
    from pypdf import PdfReader

    from pipeline import config
    from pipeline.run import stages

    raw = tmp_path / "raw" / "2025"
    shutil.copytree(FIXTURE / "2025", raw)
    for name, lines in QUARTER_FILES.items():
        (raw / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    stages.run_quarter(2025, "1", raw, tmp_path / "out", config.NOTEBOOKS)
    pages = [" ".join(p.extract_text().split()) for p in
             PdfReader(tmp_path / "out" / "LKIP_2025_TW1.pdf").pages]
    assert pages[0].startswith("PEMERINTAH KABUPATEN LEMBAH ARUNIKA Jl. Bukit Kenanga")
    assert pages[0].count("LEMBAH ARUNIKA") == 1
    assert "NIP" not in " ".join(pages[:3])
    assert "1 Sasaran Strategis 2.2: Menurunnya Kemiskinan dan Pengangguran" in pages[2]
    found = (tmp_path / "out" / "findings.csv").read_text(encoding="utf-8")
    # the IKU the quarter does not report, and nothing else
    assert [line.split(",")[1] for line in found.splitlines()[1:]] == \
        ["TRIWULAN-IKU-TIDAK-ADA"] * 5
