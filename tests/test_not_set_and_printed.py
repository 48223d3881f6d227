"""Figures that are genuinely not set, printed averages and Jumlah rows, quarterly reports from
whatever quarterly data exists, and cells that never overflow (issue 18, points 3-6).

The fixture tests/fixtures/kota_opd is a fictional kota OPD; every expected figure below was
computed by hand, with the arithmetic in tests/fixtures/kota_opd/EXPECTED.md.
"""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from functools import cache
from pathlib import Path

import pandas as pd
import pytest

from pipeline.check import findings, quarterly_checks
from pipeline.compute import budget, ledger, printed_totals, quarterly, results
from pipeline.errors import InputError
from pipeline.present import quarterly_report, render
from pipeline.present.report import Context
from pipeline.read import clean
from pipeline.run import runner

from .conftest import ROOT, build_html

FIXTURE = ROOT / "tests" / "fixtures" / "kota_opd"
RAW = FIXTURE / "2025"
CONTOH = ROOT / "tests" / "fixtures" / "contoh" / "2025"
YEAR = 2025
KIN, KEU = "triwulan_kinerja.csv", "triwulan_keuangan.csv"
MEASURE = ("nilai dalam satuan IKU-nya (22,05% untuk persen, 1.250 untuk cacah, 82,50 untuk "
           "indeks)")


@pytest.fixture(scope="module")
def annual(tmp_path_factory):
    """The fixture's annual report, built in this process: (html, res, found, entries)."""
    return build_html(RAW, YEAR, tmp_path_factory.mktemp("kota_opd"))


def checked(raw: Path, folder: Path):
    """The computed tables and findings of a data folder, as conftest's build_html makes them
    (through the processed tables) without the charts and HTML no test of them reads."""
    ds = clean.load_raw(raw, YEAR)
    clean.write_processed(ds, folder / "processed")
    ds = clean.load_processed(folder / "processed", YEAR)
    results.write(results.compute(ds), folder / "processed")
    res = results.read(folder / "processed")
    return res, findings.run(ds, res)


@cache
def quarter(tw: str, raw: Path = RAW):
    q = quarterly.load(raw, YEAR, tw)
    tables = quarterly.compute(q)
    return q, tables, quarterly_checks.run(q, tables)


def copy(tmp_path: Path, source: Path = RAW) -> Path:
    raw = tmp_path / "raw" / str(YEAR)
    shutil.copytree(source, raw)
    return raw


def replace_line(path: Path, number: int, text: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[number - 1] = text
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def defects(raw: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        clean.load_raw(raw, YEAR)
    return [str(d) for d in caught.value.defects]


def row(df: pd.DataFrame, **keys) -> dict:
    hit = df
    for column, value in keys.items():
        hit = hit[hit[column] == value]
    assert len(hit) == 1, keys
    return hit.iloc[0].to_dict()


# -- (3) a figure that is not set --------------------------------------------------------------

def test_n_a_dash_and_blank_quarterly_targets_are_read_as_not_set():
    q, tables, _ = quarter("IV")
    df = q.ds[KIN]
    for tw in ("I", "II", "III"):  # written n/a, -, and left blank
        r = row(df, triwulan=tw, kode_iku="IKU1")
        assert r["target"] is None and r["realisasi"] is None
    assert row(df, triwulan="III", kode_iku="IKU3")["target"] is None  # N/A, upper case
    assert row(df, triwulan="IV", kode_iku="IKU1")["target"] == Decimal("9.20")


def test_a_figure_not_set_has_no_capaian_and_is_never_zero():
    every = quarter("IV")[1].every[KIN]
    for tw in ("I", "II", "III"):
        r = row(every, triwulan=tw, kode_iku="IKU1")
        assert r["capaian"] is None
        assert r["target_kumulatif"] is None and r["realisasi_kumulatif"] is None
    iku3 = row(every, triwulan="III", kode_iku="IKU3")
    assert iku3["capaian"] is None and iku3["target_kumulatif"] is None
    # TW IV: (2 × 9,20 − 9,53) ÷ 9,20 × 100 = 96,4130…
    assert row(every, triwulan="IV", kode_iku="IKU1")["capaian"].quantize(
        Decimal("0.0001")) == Decimal("96.4130")


def test_a_per_quarter_count_to_date_skips_a_quarter_not_set():
    df = pd.DataFrame({"kode_iku": ["F1"] * 4, "cara_hitung": ["per_triwulan"] * 4,
                       "target": [3000, None, 2000, 1000]}, dtype=object)
    to_date = budget._cumulative(df, "kode_iku", "target", lambda r: True)
    assert list(to_date) == [3000, None, 5000, 6000]  # never 3000 + 0 at TW II


def test_a_per_quarter_index_is_never_summed():
    every = quarter("IV")[1].every[KIN]
    assert [r["realisasi_kumulatif"] for r in every[every["kode_iku"] == "IKU3"]
            .to_dict("records")] == [None, None, None, None]


def test_required_figure_left_blank_or_n_a_is_refused_saying_what_it_should_hold(tmp_path):
    raw = copy(tmp_path)
    replace_line(raw / "target_pk.csv", 2, "IKU1,2025,n/a")
    replace_line(raw / "target_pk.csv", 3, "IKU2,2025,")
    replace_line(raw / KIN, 2, "I,IKU1,-,n/a,n/a,-,kumulatif,diukur akhir tahun")
    assert defects(raw) == [
        "target_pk.csv, baris 2, kolom 'target': sel tanpa nilai, padahal wajib diisi "
        f"(nilai: 'n/a'); yang diharapkan: Target PK, berupa {MEASURE}",
        "target_pk.csv, baris 3, kolom 'target': sel kosong, padahal wajib diisi; yang "
        f"diharapkan: Target PK, berupa {MEASURE}",
        "triwulan_kinerja.csv, baris 2, kolom 'target_tahunan_cetak': sel tanpa nilai, padahal "
        f"wajib diisi (nilai: '-'); yang diharapkan: Target tahunan seperti tercetak, berupa "
        f"{MEASURE}",
    ]


def test_a_year_without_a_measurement_may_say_n_a(tmp_path):
    raw = copy(tmp_path)
    replace_line(raw / "kinerja_tahunan.csv", 6, 'IKU2,2023,"85,00%",n/a,,')
    ds = clean.load_raw(raw, YEAR)
    r = row(ds["kinerja_tahunan.csv"], kode_iku="IKU2", tahun=2023)
    assert r["realisasi"] is None and r["target"] == Decimal("85.00")


def test_the_dash_is_explained_once_under_each_quarterly_table(annual):
    html = annual[0]
    assert html.count(UNSET) == 1
    assert UNSET in quarter_html("I")
    both = quarter_html("I", CONTOH)  # no figure not set: no note
    assert UNSET not in both


UNSET = ("Tanda – berarti angka itu tidak ditetapkan atau belum diukur pada triwulan tersebut "
         "(tertulis kosong, - atau n/a pada data): tidak dihitung sebagai nol, dan capaiannya "
         "tidak dihitung.")


# -- (4) printed averages and Jumlah rows ---------------------------------------------------------

def test_printed_averages_are_recomputed_from_unrounded_capaian(annual):
    res = annual[1]["angka_ringkasan.csv"]
    places = Decimal("0.000001")
    assert row(res, angka="rata_rata_capaian")["nilai"].quantize(places) == Decimal("96.379977")
    assert row(res, angka="rata_rata_capaian_sasaran")["nilai"].quantize(places) == \
        Decimal("96.379977")
    assert row(res, angka="capaian_sasaran", kode_sasaran="S1")["nilai"].quantize(places) == \
        Decimal("96.817633")
    assert row(res, angka="capaian_sasaran", kode_sasaran="S2")["nilai"].quantize(places) == \
        Decimal("95.942322")
    assert row(res, angka="rata_rata_capaian")["jumlah"] == 4


def test_the_fixture_gives_exactly_its_planted_findings(annual):
    found = [(f.check, f.severity, f.file, f.key, f.field, f.printed, f.expected, f.message)
             for f in annual[2]]
    assert found == [
        ("RINGKASAN-TERCETAK", "error", "ringkasan_cetak.csv",
         "angka=capaian_sasaran;kode_sasaran=S2", "nilai_cetak", "96,94%", "95,94%",
         "Capaian sasaran S2 (Bab III, Tabel 3.2): tercetak 96,94%, seharusnya 95,94%"),
        ("RINGKASAN-TERCETAK", "warning", "ringkasan_cetak.csv", "angka=rata_rata_capaian",
         "nilai_cetak", "96,37", "96,38%",
         "Rata-rata capaian kinerja IKU (Ikhtisar Eksekutif): tercetak 96,37, hasil hitung "
         "ulang 96,38%; selisih satu satuan desimal terakhir, setingkat pembulatan (mis. "
         "rata-rata dari capaian yang telah dibulatkan)"),
    ]


@pytest.mark.parametrize("printed, text, recomputed, expected", [
    ("85.38", "85,38", "85.3875", "rounding"),   # the case: 85,39 recomputed
    ("85.38", "85,38", "85.3949", "rounding"),   # rounds to 85,39: one unit away
    ("85.39", "85,39", "85.3875", None),
    ("85.38", "85,38", "85.3950", "wrong"),      # rounds to 85,40: two units away
    ("85.4", "85,4", "85.3875", None),           # one decimal printed: 85,4
    ("85", "85", "86.2", "rounding"),            # whole number printed: 86 against 85
    ("96.94", "96,94%", "95.9423", "wrong"),
])
def test_rounding_level_differences_are_told_apart_from_wrong_ones(printed, text, recomputed,
                                                                    expected):
    assert printed_totals.severity(Decimal(printed), text, Decimal(recomputed)) == expected


def test_an_average_that_cannot_be_recomputed_is_a_warning(tmp_path):
    raw = copy(tmp_path)
    replace_line(raw / "kinerja_tahunan.csv", 14, "IKU4,2025,1.250.000,n/a,,")
    res, found = checked(raw, tmp_path / "build")
    s2 = row(res["angka_ringkasan.csv"], angka="capaian_sasaran", kode_sasaran="S2")
    assert s2["nilai"] is None  # IKU4 has no capaian: the sasaran has none
    mine = [f for f in found if f.key == "angka=capaian_sasaran;kode_sasaran=S2"]
    assert [(f.severity, f.message) for f in mine] == [
        ("warning", "Capaian sasaran S2 (Bab III, Tabel 3.2): tercetak 96,94%, tidak dapat "
                    "dihitung ulang karena capaian yang mendasarinya tidak tersedia")]
    # the average leaves the IKU out and says so: (96,4130… + 97,2222… + 96,8902…) ÷ 3
    average = row(res["angka_ringkasan.csv"], angka="rata_rata_capaian")
    assert average["jumlah"] == 3 and average["tanpa_capaian"] == 1
    assert average["nilai"].quantize(Decimal("0.0001")) == Decimal("96.8418")
    assert average["rumus"].endswith("(3 dari 4)")
    # TW IV's 1.187.430 jiwa is not compared with a year's realisasi that is not set
    assert sorted((f.check, f.key) for f in found) == [
        ("DERET-REALISASI-KOSONG", "kode_iku=IKU4;tahun=2025"),
        ("RINGKASAN-TERCETAK", "angka=capaian_sasaran;kode_sasaran=S2"),
        ("RINGKASAN-TERCETAK", "angka=rata_rata_capaian"),  # 96,37 against 96,84: error
        ("RINGKASAN-TERCETAK", "angka=rata_rata_capaian_sasaran")]  # S1 alone: 96,82


def test_summary_rows_name_a_sasaran_only_for_a_capaian_sasaran(tmp_path):
    raw = copy(tmp_path)
    replace_line(raw / "ringkasan_cetak.csv", 2, 'rata_rata_capaian,S1,"96,37",')
    replace_line(raw / "ringkasan_cetak.csv", 4, 'capaian_sasaran,,"96,82%",')
    replace_line(raw / "subtotal_cetak.csv", 2,
                 ',Peningkatan Mutu Pelayanan Kesehatan,95.000.000,88.760.000,"93,43%"')
    assert defects(raw) == [
        "ringkasan_cetak.csv, baris 2, kolom 'kode_sasaran': kode_sasaran terisi untuk angka "
        "rata_rata_capaian (nilai: 'S1'); yang diharapkan: sel kosong, karena angka ini bukan "
        "milik satu sasaran",
        "ringkasan_cetak.csv, baris 4, kolom 'kode_sasaran': kode_sasaran kosong untuk angka "
        "capaian_sasaran; yang diharapkan: kode sasaran yang capaiannya tercetak",
        "subtotal_cetak.csv, baris 2, kolom 'kode_program': kegiatan tanpa kode_program; yang "
        "diharapkan: kode program kegiatan itu; kode_program dan kegiatan keduanya kosong hanya "
        "untuk baris Jumlah seluruh program",
    ]


def test_the_printed_jumlah_of_every_program_is_checked(tmp_path, annual):
    total = annual[1]["subtotal.csv"].iloc[0].to_dict()
    assert (total["anggaran_hitung"], total["realisasi_hitung"]) == (7785000000, 7557769000)
    assert not [f for f in annual[2] if f.check == "SUBTOTAL-TERCETAK"]
    raw = copy(tmp_path)
    replace_line(raw / "subtotal_cetak.csv", 2, ',,7.785.000.000,7.557.796.000,"97,08%"')
    _, found = checked(raw, tmp_path / "build")
    assert [(f.severity, f.key, f.field, f.printed, f.expected, f.message) for f in found
            if f.check == "SUBTOTAL-TERCETAK"] == [
        ("error", "kode_program=;kegiatan=", "realisasi", "7.557.796.000", "7.557.769.000",
         "Jumlah seluruh program, realisasi: tercetak 7.557.796.000, seharusnya 7.557.769.000")]


def test_every_printed_figure_is_in_the_ledger(annual):
    html, _, _, entries = annual
    assert ledger.unledgered(html, entries) == []  # `1.000` of `per 1.000 KH` included
    keys = {e.key: e for e in entries}
    assert keys["ringkasan:angka=capaian_sasaran;kode_sasaran=S1:nilai"].inputs == \
        "capaian_sasaran:kode_sasaran=S1:capaian"


def test_the_seed_prints_no_average_so_its_findings_are_unchanged(seed, seed_results):
    assert "ringkasan_cetak.csv" not in seed.frames
    assert "angka_ringkasan.csv" not in seed_results
    assert not [f for f in findings.run(seed, seed_results) if f.check == "RINGKASAN-TERCETAK"]


# -- (5) quarterly reports from whatever quarterly data exists ------------------------------------

def quarter_html(tw: str, raw: Path = RAW) -> str:
    """The quarter's report, its chart left empty (no test here reads it)."""
    q, tables, found = quarter(tw, raw)
    return quarterly_report.render_html(q, tables, {quarterly_report.figure_key(q):
                                                    Path("/dev/null")}, found)


def test_make_report_builds_the_quarters_of_kinerja_alone():
    assert runner.quarter_parts(str(YEAR), FIXTURE) == {tw: [KIN] for tw in
                                                        ("I", "II", "III", "IV")}
    assert runner.quarters_with_data(str(YEAR), FIXTURE) == ["I", "II", "III", "IV"]
    assert runner.quarters_missing(str(YEAR), FIXTURE)["II"] == (
        "Realisasi Keuangan tidak disusun: triwulan_keuangan.csv tidak ada atau tidak berisi "
        "baris triwulan II")


def test_make_report_says_what_each_quarter_leaves_out(tmp_path, monkeypatch, capsys):
    from pipeline import cli

    built = []
    monkeypatch.setattr(runner, "build", lambda year, *a, **k: tmp_path / str(year))
    monkeypatch.setattr(runner, "build_quarter", lambda year, tw, *a, **k: built.append(tw)
                        or tmp_path / f"{year}-TW{quarterly.number(tw)}")
    assert cli.main(["report", "--year", "2025", "--raw", str(FIXTURE), "--out",
                     str(tmp_path)]) == 0
    assert built == ["I", "II", "III", "IV"]
    out = capsys.readouterr().out
    assert (f"Laporan Triwulan III 2025 selesai: {tmp_path}/2025-TW3/LKIP_2025_TW3.pdf\n"
            "  Catatan: Realisasi Keuangan tidak disusun: triwulan_keuangan.csv tidak ada atau "
            "tidak berisi baris triwulan III.\n") in out


@pytest.mark.parametrize("tw", ["I", "II", "III"])
def test_quarterly_findings_of_the_first_quarters(tw):
    assert [(f.check, f.severity, f.file, f.key, f.message) for f in quarter(tw)[2]] == [
        ("TRIWULAN-BAGIAN-TIDAK-ADA", "info", KEU, f"triwulan={tw}",
         "Realisasi Keuangan tidak disusun: triwulan_keuangan.csv tidak ada atau tidak berisi "
         f"baris triwulan {tw}")]


def test_quarterly_checks_run_without_keuangan():
    """The TW IV target above the PK's is found though there is no triwulan_keuangan.csv."""
    assert [(f.check, f.severity, f.key, f.printed, f.expected, f.message)
            for f in quarter("IV")[2]] == [
        ("TRIWULAN-TARGET-TW-PK", "error", "triwulan=IV;kode_iku=IKU2", "90,50%", "90,00%",
         "Target TW IV Persentase Balita Gizi Buruk yang Mendapat Perawatan (90,50%) berbeda "
         "dengan target PK (90,00%)"),
        ("TRIWULAN-BAGIAN-TIDAK-ADA", "info", "triwulan=IV", "–", "baris triwulan IV",
         "Realisasi Keuangan tidak disusun: triwulan_keuangan.csv tidak ada atau tidak berisi "
         "baris triwulan IV"),
    ]


def test_a_quarter_of_kinerja_alone_prints_kinerja_and_says_what_is_missing():
    html = quarter_html("IV")
    assert "Realisasi Keuangan Triwulan" not in html
    assert '<h2 id="realisasi-kinerja" class="judul-tabel awal">' in html  # first page
    assert ("Laporan triwulan ini memuat Realisasi Kinerja saja. Realisasi Keuangan tidak "
            "disusun: triwulan_keuangan.csv tidak ada atau tidak berisi baris triwulan IV.") in html
    assert quarterly_report.caption(quarter("IV")[0]) == \
        "Target dan realisasi kinerja triwulan IV tahun 2025"


def test_a_quarter_of_keuangan_alone(tmp_path):
    raw = copy(tmp_path, CONTOH)
    (raw / KIN).unlink()
    assert runner.quarters_with_data(str(YEAR), raw.parent) == ["I", "IV"]
    q = quarterly.load(raw, YEAR, "I")
    tables = quarterly.compute(q)
    found = quarterly_checks.run(q, tables)
    assert [(f.check, f.file, f.key) for f in found] == [
        ("TRIWULAN-BAGIAN-TIDAK-ADA", KIN, "triwulan=I")]  # no IKU "not reported"
    assert quarterly_report.caption(q) == "Target dan realisasi keuangan triwulan I tahun 2025"
    html = quarterly_report.render_html(q, tables, {quarterly_report.figure_key(q):
                                                    Path("/dev/null")}, found)
    assert "Realisasi Kinerja Triwulan" not in html and "Realisasi Keuangan Triwulan I" in html


def test_a_quarter_in_neither_table_is_still_refused(tmp_path):
    raw = copy(tmp_path, CONTOH)
    (raw / KIN).unlink()
    with pytest.raises(InputError) as caught:
        quarterly.load(raw, YEAR, "II")
    assert [str(d) for d in caught.value.defects] == [
        "triwulan_kinerja.csv, kolom 'triwulan': belum ada data realisasi kinerja triwulan II "
        "(nilai: 'II'); yang diharapkan: baris triwulan II di triwulan_kinerja.csv (triwulan "
        "yang sudah berisi data: belum ada)",
        "triwulan_keuangan.csv, kolom 'triwulan': belum ada data realisasi keuangan triwulan "
        "II (nilai: 'II'); yang diharapkan: baris triwulan II di triwulan_keuangan.csv "
        "(triwulan yang sudah berisi data: I, IV)",
    ]


def test_the_annual_lampiran_links_each_quarter_and_says_what_it_holds(annual):
    html = annual[0]
    assert ('<a class="berkas" href="../2025-TW2/LKIP_2025_TW2.pdf">Triwulan II</a> (<code '
            'class="kunci">../2025-TW2/LKIP_2025_TW2.pdf</code>; realisasi kinerja saja);') in html


def test_annex_notes_and_chart_titles_follow_the_data(annual):
    html = annual[0]
    assert "Grafik 7. Perkembangan kinerja per triwulan" in html
    assert "kinerja dan keuangan per triwulan" not in html
    assert ("Angka triwulan itu saja, tidak dijumlahkan antartriwulan (tidak ada angka s.d. "
            "triwulan; triwulan IV tidak dibandingkan dengan angka tahunan): Indeks Kepuasan "
            "Masyarakat terhadap Layanan Kesehatan. Angka kumulatif s.d. triwulan (triwulan IV "
            "dibandingkan dengan angka tahunan): Angka Kematian Bayi, Persentase Balita Gizi "
            "Buruk yang Mendapat Perawatan, Jumlah Penduduk yang Terdaftar sebagai Peserta "
            "Jaminan Kesehatan.") in html
    assert "jumlah keempat triwulan" not in html  # no quarter's rate is summed


def test_a_note_for_rates_only_per_quarter(annual):
    """Every row per quarter and none summable: one sentence, no list."""
    _, res, found, entries = annual
    q = quarter("IV")[0]
    frame = q.ds[KIN].copy()
    frame = frame[frame["kode_iku"] == "IKU3"]
    ds = clean.Dataset(YEAR, {**q.ds.frames, KIN: frame})
    c = Context(ds, res, {}, found, entries)
    assert c.counting_note(KIN) == (
        "Angka adalah angka triwulan itu saja dan tidak dijumlahkan antartriwulan (persentase, "
        "indeks atau rasio tidak dapat dijumlahkan): tidak ada angka s.d. triwulan, dan "
        "triwulan IV tidak dibandingkan dengan angka tahunan.")


# -- cells never overflow: measured on the laid-out boxes ------------------------------------------

def overflowing_cells(html: str, tolerance: float = 0.5) -> list[tuple[int, str, float]]:
    """Text laid out past the content box of its table cell, as (page, text, points): the
    document rendered by WeasyPrint with the fonts the PDF uses."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    document = HTML(string=html, base_url=render.BASE_URL,
                    url_fetcher=render.safe_fetcher()).render(
        stylesheets=[CSS(string=render.font_faces_css(), font_config=fonts)], font_config=fonts)
    found = []
    for number, page in enumerate(document.pages, 1):
        for cell in _boxes(page._page_box):
            if type(cell).__name__ != "TableCellBox":
                continue
            left, right = cell.content_box_x(), cell.content_box_x() + cell.width
            for text in _boxes(cell):
                if type(text).__name__ != "TextBox":
                    continue
                over = max(text.position_x + text.width - right, left - text.position_x)
                if over > tolerance:
                    found.append((number, text.text, round(over, 1)))
    return found


def _boxes(box):
    yield box
    for child in getattr(box, "children", None) or []:
        yield from _boxes(child)


NOWRAP = "td .nilai { white-space: normal; overflow-wrap: anywhere; }"


LONG = ("9,20 per 1.000 KH", "9,53 per 1.000 KH", "1.250.000 jiwa")


@pytest.mark.e2e
def test_long_units_and_figures_stay_inside_their_cells(annual):
    html = annual[0]
    assert '<span class="nilai">9,20 per 1.000 KH</span>' in html
    assert overflowing_cells(html) == []
    # the report's tables holding these values, in its page and stylesheet, with values kept
    # on one line as before: the measure finds them
    tables = [t for t in re.findall(r"<table\b.*?</table>", html, re.S)
              if any(value in t for value in LONG)]
    head = html[:html.index(">", html.index("<body")) + 1]
    assert NOWRAP in head and len(tables) > 1
    before = overflowing_cells(f"{head}{''.join(tables)}</body></html>".replace(NOWRAP, ""))
    assert set(LONG) <= {text for _, text, _ in before}


@pytest.mark.e2e
def test_quarterly_tables_stay_inside_their_cells():
    """Its chart, outside the tables, is not drawn."""
    assert overflowing_cells(quarter_html("IV")) == []


def test_a_figure_wider_than_its_cell_breaks_inside_it():
    css = (render.TEMPLATES / "style.css").read_text(encoding="utf-8")
    html = (f"<html><head><style>{css}</style></head><body><table><tbody><tr>"
            '<td style="width:90%">Indikator</td><td class="num" style="width:10%">'
            '<span class="nilai">123.456.789.012 jiwa</span></td></tr></tbody></table>'
            "</body></html>")
    assert overflowing_cells(html) == []
    assert overflowing_cells(html.replace(NOWRAP, ""))  # kept whole, it would run out
