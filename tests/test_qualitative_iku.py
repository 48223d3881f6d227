"""IKU measured by labels on an ordered scale (an audit opinion, a SAKIP grade, a level): typed
as labels, judged melampaui / tercapai / tidak tercapai, left out of every average of capaian,
drawn on their scale, offered as drop-down lists in the workbook, and refused with the scale's
labels when a cell holds another word.

The fixture tests/fixtures/provinsi_sakip is an Inspektorat of a fictional province; every
expected value is worked out by hand in its EXPECTED.md.
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from functools import cache

import pandas as pd
import pytest

from pipeline.check import findings, quarterly_checks
from pipeline.compute import ledger, quarterly, results
from pipeline.errors import DefectCollector, InputError
from pipeline.present import charts, workbook
from pipeline.read import clean, scales, units
from pipeline.read.numbers import round_half_up

from .conftest import ROOT, build_html

FIXTURE = ROOT / "tests" / "fixtures" / "provinsi_sakip"
YEAR = 2025
NAMES = {"IKU1": "Nilai SAKIP Pemerintah Provinsi",
         "IKU4": "Opini BPK atas Laporan Keuangan Pemerintah Provinsi",
         "IKU5": "Level Kapabilitas APIP"}
RULE = ("Capaian IKU kualitatif (Nilai SAKIP Pemerintah Provinsi, Opini BPK atas Laporan "
        "Keuangan Pemerintah Provinsi, Level Kapabilitas APIP) tidak dinyatakan dalam persen")


@cache
def computed():
    ds = clean.load_raw(FIXTURE / str(YEAR), YEAR)
    return ds, results.compute(ds)


def _units(ds) -> dict[str, units.Unit]:
    return units.by_iku(ds["iku.csv"])


def r2(value) -> Decimal:
    return round_half_up(Decimal(value), 2)


def _copy(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(FIXTURE / str(YEAR), raw / str(YEAR))
    return raw / str(YEAR)


def _replace(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def _refused(folder) -> list[str]:
    with pytest.raises(InputError) as err:
        clean.load_raw(folder, YEAR)
    return [str(d) for d in err.value.defects]


# -- the fixture builds, and judges labels by their place on the scale ----------------------

def test_fixture_builds_with_no_finding():
    ds, tables = computed()
    assert findings.run(ds, tables) == []


def test_labels_are_judged_by_their_place_on_the_scale():
    _, tables = computed()
    series = tables["kinerja_seri.csv"].set_index(["kode_iku", "tahun"])
    # (target position, realisasi position, selisih, capaian, keterangan): EXPECTED.md
    expected = {
        ("IKU1", 2022): (5, 4, -1, "Tidak tercapai", "Tidak Mencapai Target"),  # BB, B
        ("IKU1", 2025): (5, 6, 1, "Melampaui", "Mencapai Target"),  # BB, A
        ("IKU4", 2021): (4, 3, -1, "Tidak tercapai", "Tidak Mencapai Target"),  # WTP, WDP
        ("IKU4", 2025): (4, 4, 0, "Tercapai", "Mencapai Target"),  # WTP, WTP
        ("IKU5", 2025): (4, 3, -1, "Tidak tercapai", "Tidak Mencapai Target"),  # Level 4, 3
    }
    for key, (target, realisasi, step, label, verdict) in expected.items():
        row = series.loc[key]
        assert (row["target"], row["realisasi"], row["selisih_tingkat"]) == \
            (target, realisasi, step), key
        assert (row["capaian_label"], row["keterangan"]) == (label, verdict), key
        assert row["capaian"] is None and row["predikat"] == "–", key
        assert row["rumus"] == "skala", key
    # an IKU measured by a number keeps its percentage and predikat
    assert r2(series.loc[("IKU2", 2025), "capaian"]) == Decimal("105.05")
    assert series.loc[("IKU2", 2025), "capaian_label"] is None


def test_sasaran_average_leaves_the_labels_out():
    _, tables = computed()
    sasaran = tables["capaian_sasaran.csv"].set_index("kode_sasaran")
    # S1: IKU1 (label) left out: (78,79/75 x 100 + 86,40/90 x 100) / 2
    by_hand = (Decimal("78.79") / Decimal(75) * 100 + Decimal("86.40") / Decimal(90) * 100) / 2
    assert r2(by_hand) == Decimal("100.53")
    assert r2(sasaran.loc["S1", "capaian"]) == r2(by_hand)
    assert sasaran.loc["S1", "jumlah_iku_label"] == 1 and sasaran.loc["S1", "iku"] == "IKU2; IKU3"
    # S3: IKU5 (label) left out, IKU6 alone: 45/42 x 100
    assert r2(sasaran.loc["S3", "capaian"]) == r2(Decimal(45) / Decimal(42) * 100) == \
        Decimal("107.14")
    # S2: the opinion only: no percentage, met since every label is met
    assert sasaran.loc["S2", "capaian"] is None
    assert (sasaran.loc["S2", "keterangan"], sasaran.loc["S2", "capaian_label"],
            sasaran.loc["S2", "predikat"]) == ("Mencapai Target", "Tercapai", "–")


def test_printed_averages_leave_the_labels_out():
    _, tables = computed()
    printed = tables["angka_ringkasan.csv"].set_index("angka")
    iku2 = Decimal("78.79") / Decimal(75) * 100
    iku3 = Decimal("86.40") / Decimal(90) * 100
    iku6 = Decimal(45) / Decimal(42) * 100
    # rata-rata capaian IKU: IKU1, IKU4, IKU5 (labels) are not part of it, not "not set"
    row = printed.loc["rata_rata_capaian"]
    assert r2(row["nilai"]) == r2((iku2 + iku3 + iku6) / 3) == Decimal("102.73")
    assert (row["jumlah"], row["tanpa_capaian"]) == (3, 0)
    assert "IKU1" not in row["masukan"] and "IKU4" not in row["masukan"]
    # rata-rata capaian sasaran: S2 (the opinion only) left out
    row = printed.loc["rata_rata_capaian_sasaran"]
    assert r2(row["nilai"]) == r2(((iku2 + iku3) / 2 + iku6) / 2) == Decimal("103.83")
    assert (row["jumlah"], row["tanpa_capaian"]) == (2, 0)


def test_efficiency_is_not_computed_for_a_label():
    _, tables = computed()
    eff = tables["efisiensi.csv"].set_index("kode_iku")
    for code in NAMES:
        assert eff.loc[code, "efisiensi"] is None, code
    assert eff.loc["IKU1", "capaian_kinerja_label"] == "Melampaui"
    # 105,05 - 1.301.210.000/1.350.000.000 x 100 (96,39)
    assert eff.loc["IKU2", "efisiensi"] == Decimal("105.05") - Decimal("96.39")


def test_ledger_records_the_label_comparison():
    ds, tables = computed()
    entries = {e.key: e for e in ledger.build(ds, tables)}
    key = "kinerja_seri:kode_iku=IKU1;tahun=2025"
    compared = entries[f"{key}:selisih_tingkat"]
    assert (compared.value, compared.unit) == ("1", "tingkat")
    assert compared.label == "Capaian Nilai SAKIP Pemerintah Provinsi 2025: melampaui"
    assert compared.formula == (
        "posisi realisasi A (6) − posisi target BB (5) pada skala nilai_sakip (D = 1 … AA = 7); "
        "> 0 melampaui, 0 tercapai, < 0 tidak tercapai: melampaui")
    assert compared.inputs == f"{key}:target; {key}:realisasi"
    target = entries[f"{key}:target"]
    assert (target.value, target.unit, target.label) == (
        "5", "posisi pada skala nilai_sakip (1 = D)", "Target Nilai SAKIP Pemerintah Provinsi "
        "2025: BB")
    assert f"{key}:capaian" not in entries  # no percentage for a label
    # a number's entries read as before
    assert entries["kinerja_seri:kode_iku=IKU2;tahun=2025:target"].label == \
        "Target Persentase Perangkat Daerah dengan Nilai SAKIP Minimal BB 2025"


# -- the report reads right ---------------------------------------------------------------

@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sakip")
    return folder, build_html(FIXTURE / str(YEAR), YEAR, folder)


@pytest.fixture(scope="module")
def report(built):
    return built[1]


def test_report_says_labels_and_the_rule_once(report):
    html, _, found, entries = report
    assert found == []
    assert ledger.unledgered(html, entries) == []
    assert html.count(RULE) == 1  # under the capaian table, once
    for sentence in (
            "Dengan target BB dan realisasi A pada skala Nilai SAKIP (dari yang terbaik: AA, A, "
            "BB, B, CC, C, D), Nilai SAKIP Pemerintah Provinsi melampaui target: realisasi 1 "
            "tingkat di atas target.",
            "Realisasi Nilai SAKIP Pemerintah Provinsi naik 1 tingkat, dari BB pada tahun 2024 "
            "menjadi A pada tahun 2025.",
            "Realisasi Nilai SAKIP Pemerintah Provinsi (A) berada 1 tingkat di atas target "
            "nasional (BB): lebih baik dari target nasional.",
            "Level Kapabilitas APIP: target Level 4, realisasi Level 3 (skala Level Kapabilitas "
            "APIP), belum mencapai target.",
            "capaian sasaran, yaitu rata-rata capaian IKU-nya yang berupa angka (1 (satu) IKU "
            "kualitatif tidak ikut dihitung), adalah 100,53%",
            "Grafik capaian memuat IKU berangka saja",
            "Tingkat efisiensi Opini BPK atas Laporan Keuangan Pemerintah Provinsi tidak "
            "dihitung: capaiannya dinilai pada skala label (tercapai), bukan dalam persen."):
        assert sentence in html, sentence
    # a label never reads as a percentage, nor gets a predikat band
    for wrong in ("capaian –", "predikat –", "Nilai SAKIP Pemerintah Provinsi adalah",
                  "berpolaritas negatif"):
        assert wrong not in html, wrong


def test_capaian_table_prints_the_comparison(report):
    html = report[0]
    table = html[html.index('id="t-capaian"'):]
    row = table[table.index("<td>Opini BPK atas Laporan Keuangan Pemerintah Provinsi</td>"):]
    row = row[:row.index("</tr>")]
    assert ">WTP<" in row and ">Tercapai<" in row and "Mencapai Target" in row
    assert "%" not in row


def test_label_chart_has_the_scale_on_its_axis():
    ds, tables = computed()
    series = tables["kinerja_seri.csv"]
    unit = _units(ds)["IKU1"]
    fig = charts.on_scale(series[series["kode_iku"] == "IKU1"], NAMES["IKU1"], unit)
    ticks = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert ticks == ["D", "C", "CC", "B", "BB", "A", "AA"]  # lowest at the bottom
    lines = {line.get_label(): list(line.get_ydata()) for line in fig.axes[0].get_lines()}
    assert lines["Target"] == [4, 5, 5, 5, 5] and lines["Realisasi"] == [4, 4, 5, 5, 6]


def test_numeric_charts_leave_labels_out():
    ds, tables = computed()
    tw = tables["triwulan_kinerja.csv"]
    fig = charts.quarter_targets(tw[tw["triwulan"] == "IV"], None, _units(ds), "IV")
    names = [t.get_text().replace("\n", " ") for t in fig.axes[0].get_xticklabels()]
    assert names == ["Persentase Perangkat Daerah dengan Nilai SAKIP Minimal BB",
                     "Persentase Rekomendasi Hasil Pengawasan yang Ditindaklanjuti",
                     "Jumlah Auditor Bersertifikat Jabatan Fungsional"]


# -- refused: a label not on the scale, an unknown scale, a number setting ------------------

def test_label_not_on_the_scale_is_refused(tmp_path):
    folder = _copy(tmp_path)
    _replace(folder / "target_pk.csv", "IKU4,2025,WTP", "IKU4,2025,WTPP")
    assert _refused(folder) == [
        "target_pk.csv, baris 5, kolom 'target': label tidak ada pada skala Opini BPK (nilai: "
        "'WTPP'); yang diharapkan: salah satu label skala opini_bpk, dari yang terbaik: WTP, "
        "WDP, TW, TMP"]


def test_label_not_on_the_agency_scale_is_refused(tmp_path):
    folder = _copy(tmp_path)
    _replace(folder / "kinerja_tahunan.csv", "IKU5,2025,Level 4,Level 3",
             "IKU5,2025,Level 4,Level 6")
    assert _refused(folder) == [
        "kinerja_tahunan.csv, baris 18, kolom 'realisasi': label tidak ada pada skala Level "
        "Kapabilitas APIP (nilai: 'Level 6'); yang diharapkan: salah satu label skala "
        "kapabilitas_apip, dari yang terbaik: Level 5, Level 4, Level 3, Level 2, Level 1"]


def test_unknown_scale_is_refused(tmp_path):
    folder = _copy(tmp_path)
    _replace(folder / "iku.csv", "Laporan Keuangan Pemerintah Provinsi,,,,opini,,,positif,"
             "Laporan Hasil Pemeriksaan BPK,Inspektur Pembantu Wilayah III,,Opini atas laporan "
             "keuangan tahun sebelumnya yang diterbitkan pada tahun berjalan.,opini_bpk",
             "Laporan Keuangan Pemerintah Provinsi,,,,opini,,,positif,"
             "Laporan Hasil Pemeriksaan BPK,Inspektur Pembantu Wilayah III,,Opini atas laporan "
             "keuangan tahun sebelumnya yang diterbitkan pada tahun berjalan.,opini")
    defects = _refused(folder)
    assert ("iku.csv, baris 5, kolom 'skala': skala tidak dikenal (nilai: 'opini'); yang "
            "diharapkan: salah satu skala: kapabilitas_apip, kategori_rb, nilai_sakip, "
            "opini_bpk, status_idm (pipeline/defaults/skala.csv, atau dinyatakan di skala.csv "
            "folder data)") in defects
    assert ("target_pk.csv, baris 5, kolom 'target': skala IKU tidak dikenal (nilai: 'WTP'); "
            "yang diharapkan: label pada skala yang dinyatakan; skala 'opini' (iku.csv, kolom "
            "skala) tidak ada di pipeline/defaults/skala.csv maupun di skala.csv folder data"
            ) in defects


def test_negative_polarity_on_a_label_iku_is_refused(tmp_path):
    folder = _copy(tmp_path)
    _replace(folder / "iku.csv", ",level,,,positif,", ",level,,,negatif,")
    assert _refused(folder) == [
        "iku.csv, baris 6, kolom 'polaritas': IKU berskala label berpolaritas negatif (nilai: "
        "'negatif'); yang diharapkan: positif: urutan skala (urutan 1 yang terbaik) sudah "
        "menentukan arah"]


def test_number_setting_on_a_label_iku_is_refused(tmp_path):
    folder = _copy(tmp_path)
    _replace(folder / "iku.csv", ",predikat,,,positif,", ",predikat,indeks,,positif,")
    assert _refused(folder) == [
        "iku.csv, baris 2, kolom 'jenis_satuan': pengaturan angka pada IKU berskala label "
        "(nilai: 'indeks'); yang diharapkan: kosong: IKU berskala label diukur dengan label "
        "skalanya"]


@pytest.mark.parametrize("rows, expected", [
    ("kapabilitas_apip,,1,Level 5,\nkapabilitas_apip,,1,Level 4,\n",
     "skala.csv, baris 3, kolom 'urutan': urutan ganda pada skala kapabilitas_apip (nilai: "
     "'1'); yang diharapkan: setiap urutan sekali; 1 sudah dipakai di baris 2"),
    ("kapabilitas_apip,,1,\"Level 5, tinggi\",\nkapabilitas_apip,,2,Level 4,\n",
     "skala.csv, baris 2, kolom 'label': label skala berisi koma atau tanda kutip (nilai: "
     "'Level 5, tinggi'); yang diharapkan: label tanpa koma (,) dan tanda kutip (\"), sebab "
     "daftar pilihan workbook memisahkan label dengan koma"),
    ("kapabilitas_apip,,1,Level 5,\n",
     "skala.csv, baris 2, kolom 'label': skala kapabilitas_apip hanya berisi 1 label (nilai: "
     "'Level 5'); yang diharapkan: sedikitnya 2 label berurutan, urutan 1 yang terbaik"),
    ("kapabilitas_apip,Kapabilitas,1,Level 5,\nkapabilitas_apip,Level APIP,2,Level 4,\n",
     "skala.csv, baris 3, kolom 'nama_skala': nama skala kapabilitas_apip berbeda antarbaris "
     "(nilai: 'Level APIP'); yang diharapkan: satu nama untuk skala kapabilitas_apip: "
     "'Kapabilitas', atau kosong"),
], ids=["urutan-ganda", "koma", "satu-label", "nama-berbeda"])
def test_scale_declaration_defects(tmp_path, rows, expected):
    folder = _copy(tmp_path)
    (folder / "skala.csv").write_text("skala,nama_skala,urutan,label,arti\n" + rows,
                                      encoding="utf-8")
    assert expected in _refused(folder)


# -- scales: shipped, declared by the agency, read with their meanings ----------------------

def test_agency_scale_replaces_the_shipped_one():
    own = pd.DataFrame([{"skala": "opini_bpk", "nama_skala": "Opini", "urutan": 1,
                         "label": "WTP", "arti": None, "_baris": 2},
                        {"skala": "opini_bpk", "nama_skala": None, "urutan": 2,
                         "label": "Bukan WTP", "arti": None, "_baris": 3}])
    found = scales.declared(own, DefectCollector())
    assert found["opini_bpk"].labels == ("WTP", "Bukan WTP")
    assert found["opini_bpk"].source == "skala.csv"
    assert scales.shipped()["opini_bpk"].labels == ("WTP", "WDP", "TW", "TMP")  # untouched
    assert found["nilai_sakip"] is scales.shipped()["nilai_sakip"]


def test_shipped_scales():
    shipped = scales.shipped()
    assert shipped["nilai_sakip"].labels == ("AA", "A", "BB", "B", "CC", "C", "D")
    assert shipped["status_idm"].labels == ("Mandiri", "Maju", "Berkembang", "Tertinggal",
                                            "Sangat Tertinggal")
    assert shipped["kategori_rb"].labels == ("AA", "A", "BB", "B", "CC", "C", "D")
    opini = shipped["opini_bpk"]
    # a label reads in any case and spacing, and by its meaning
    assert opini.read(" wtp ") == opini.read("Wajar  Tanpa Pengecualian") == Decimal(4)
    assert opini.read("TMP") == Decimal(1)
    assert shipped["status_idm"].read("sangat tertinggal") == Decimal(1)


# -- the workbook: drop-down lists of labels, and the same data read back -------------------

@pytest.fixture(scope="module")
def book(tmp_path_factory):
    root = tmp_path_factory.mktemp("book")
    return workbook.export(YEAR, FIXTURE, root / f"lkip_{YEAR}.xlsx")


def _lists(ws) -> dict[str, str]:
    return {v.formula1: str(v.sqref) for v in ws.data_validations.dataValidation
            if v.formula1.startswith('"')}


def test_workbook_offers_the_labels_of_each_scale(book):
    from openpyxl import load_workbook

    wb = load_workbook(book)
    # target_pk rows 2..7: IKU1 (nilai_sakip), IKU4 (opini_bpk), IKU5 (kapabilitas_apip)
    assert _lists(wb["target_pk"]) == {'"AA,A,BB,B,CC,C,D"': "C2", '"WTP,WDP,TW,TMP"': "C5",
                                       '"Level 5,Level 4,Level 3,Level 2,Level 1"': "C6"}
    series = _lists(wb["kinerja_tahunan"])
    assert series['"WTP,WDP,TW,TMP"'] == "C12 C13 C14 C15 C16 D12 D13 D14 D15 D16"
    quarters = _lists(wb["triwulan_kinerja"])
    assert quarters['"AA,A,BB,B,CC,C,D"'] == "C2 C8 D2 D8 E2 E8"
    # the cells stay text, the list is only a validation
    assert wb["target_pk"]["C5"].value == "WTP" and wb["target_pk"]["C5"].data_type == "s"


def test_new_year_keeps_the_scales_and_their_lists(tmp_path):
    from openpyxl import load_workbook

    shutil.copytree(FIXTURE / str(YEAR), tmp_path / str(YEAR))
    wb = load_workbook(workbook.start_year(YEAR + 1, YEAR, tmp_path))
    rows = [[c.value for c in row] for row in wb["skala"].iter_rows(min_row=2)]
    assert [r[3] for r in rows if r[3]] == ["Level 5", "Level 4", "Level 3", "Level 2",
                                            "Level 1"]
    # the new year's blank targets, each with its scale's list
    assert _lists(wb["target_pk"]) == {'"AA,A,BB,B,CC,C,D"': "C2", '"WTP,WDP,TW,TMP"': "C5",
                                       '"Level 5,Level 4,Level 3,Level 2,Level 1"': "C6"}
    assert wb["target_pk"]["C6"].value in (None, "")


def test_workbook_reads_back_the_same_labels(tmp_path, book):
    folder = tmp_path / "raw" / str(YEAR)
    folder.mkdir(parents=True)
    shutil.copy(book, folder / book.name)
    shutil.copytree(FIXTURE / str(YEAR) / "narasi", folder / "narasi")
    ds = clean.load_raw(folder, YEAR)
    expected, _ = computed()
    for file in ("target_pk.csv", "kinerja_tahunan.csv", "triwulan_kinerja.csv"):
        got, want = ds[file].drop(columns="_baris"), expected[file].drop(columns="_baris")
        assert got.equals(want), file


def test_label_not_on_the_scale_in_a_workbook_names_the_cell(tmp_path, book):
    from openpyxl import load_workbook

    folder = tmp_path / "raw" / str(YEAR)
    folder.mkdir(parents=True)
    wb = load_workbook(book)
    wb["target_pk"]["C2"].value = "AAA"
    wb.save(folder / book.name)
    shutil.copytree(FIXTURE / str(YEAR) / "narasi", folder / "narasi")
    assert _refused(folder) == [
        f"lkip_{YEAR}.xlsx, sheet target_pk, sel C2 (kolom 'target'): label tidak ada pada "
        "skala Nilai SAKIP (nilai: 'AAA'); yang diharapkan: salah satu label skala "
        "nilai_sakip, dari yang terbaik: AA, A, BB, B, CC, C, D"]


# -- quarters: labels typed and compared as in the annual tables ----------------------------

def test_quarter_with_labels_builds_with_no_finding():
    q = quarterly.load(FIXTURE / str(YEAR), YEAR, "IV")
    tables = quarterly.compute(q)
    assert quarterly_checks.run(q, tables) == []
    rows = tables.res["triwulan_kinerja.csv"].set_index("kode_iku")
    assert (rows.loc["IKU1", "capaian_label"], rows.loc["IKU1", "capaian"]) == ("Melampaui", None)
    assert rows.loc["IKU5", "capaian_label"] == "Tidak tercapai"


def test_quarter_iv_label_against_the_year(tmp_path):
    folder = _copy(tmp_path)
    _replace(folder / "triwulan_kinerja.csv", "IV,IKU1,BB,BB,A,", "IV,IKU1,BB,BB,BB,")
    q = quarterly.load(folder, YEAR, "IV")
    found = [f for f in quarterly_checks.run(q, quarterly.compute(q))
             if f.severity == findings.ERROR]
    assert [(f.check, f.key, f.printed, f.expected, f.message) for f in found] == [
        ("TRIWULAN-IV-TAHUNAN", "triwulan=IV;kode_iku=IKU1", "BB", "A",
         "Realisasi TW IV Nilai SAKIP Pemerintah Provinsi (BB) berbeda dengan realisasi "
         "tahunan (A)")]


def test_label_per_quarter_is_refused(tmp_path):
    folder = _copy(tmp_path)
    _replace(folder / "triwulan_kinerja.csv", "II,IKU4,WTP,WTP,WTP,,kumulatif",
             "II,IKU4,WTP,WTP,WTP,,per_triwulan")
    assert _refused(folder) == [
        "triwulan_kinerja.csv, baris 5, kolom 'cara_hitung': IKU berskala label tidak "
        "dijumlahkan per triwulan (nilai: 'per_triwulan'); yang diharapkan: kumulatif atau "
        "kosong: label IKU4 adalah keadaan s.d. triwulan itu"]


# -- printed derived figures of a label IKU ---------------------------------------------------

def test_printed_percentage_on_a_label_is_noted_not_checked(tmp_path):
    folder = _copy(tmp_path)
    _replace(folder / "kinerja_tahunan.csv", "IKU4,2025,WTP,WTP,,Tercapai",
             'IKU4,2025,WTP,WTP,"100,00%",Tercapai')
    ds = clean.load_raw(folder, YEAR)
    found = findings.run(ds, results.compute(ds))
    assert [(f.check, f.severity, f.printed, f.expected, f.message) for f in found] == [
        ("CAPAIAN-TERCETAK", findings.INFO, "100,00%", "Tercapai",
         "Capaian Opini BPK atas Laporan Keuangan Pemerintah Provinsi 2025: tercetak 100,00%; "
         "IKU diukur dengan label skala Opini BPK, capaiannya dinilai dengan membandingkan "
         "label (realisasi WTP, target WTP): tercapai")]


def test_wrong_printed_keterangan_on_a_label_is_an_error(tmp_path):
    folder = _copy(tmp_path)
    _replace(folder / "kinerja_tahunan.csv", "IKU4,2025,WTP,WTP,,Tercapai",
             "IKU4,2025,WTP,WTP,,Melampaui")
    ds = clean.load_raw(folder, YEAR)
    found = findings.run(ds, results.compute(ds))
    assert [(f.check, f.severity, f.key, f.printed, f.expected) for f in found] == [
        ("KETERANGAN-TERCETAK", findings.ERROR, "kode_iku=IKU4;tahun=2025", "Melampaui",
         "Mencapai Target")]


def test_batch_summary_gives_the_labels(built):
    from pipeline.run import batch

    folder, (_, _, found, _) = built
    findings.write(found, folder)
    job = batch.Job("inspektorat", YEAR, str(FIXTURE), str(folder), str(folder))
    rows = {r["kode_iku"]: r for r in batch.summary_rows(job, folder, folder / "processed")}
    assert (rows["IKU1"]["target"], rows["IKU1"]["realisasi"], rows["IKU1"]["capaian"],
            rows["IKU1"]["keterangan"]) == ("BB", "A", None, "Mencapai Target")
    assert (rows["IKU2"]["target"], rows["IKU2"]["capaian"]) == (Decimal("75.00"),
                                                                 Decimal("105.05"))
