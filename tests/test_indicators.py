"""Figures of the LKIP 2024, recomputed by hand from the seed and asserted here."""

from decimal import Decimal

from pipeline.compute import indicators
from pipeline.read.numbers import round_half_up


def r2(value):
    return round_half_up(Decimal(value), 2)


def _row(series, code, year):
    return series[(series["kode_iku"] == code) & (series["tahun"] == year)].iloc[0]


def test_capaian_2024_of_both_iku(seed_results):
    series = seed_results["kinerja_seri.csv"]
    # 25,06 / 22,05 x 100 = 113,6508 ; 29,03 / 8,60 x 100 = 337,5581
    assert r2(_row(series, "IKU1", 2024)["capaian"]) == Decimal("113.65")
    assert r2(_row(series, "IKU2", 2024)["capaian"]) == Decimal("337.56")
    assert _row(series, "IKU2", 2024)["keterangan"] == "Mencapai Target"


def test_whole_pmks_series_matches_the_printed_capaian(seed_results):
    series = seed_results["kinerja_seri.csv"]
    pmks = series[series["kode_iku"] == "IKU1"]
    got = [r2(v) for v in pmks["capaian"]]
    assert got == [Decimal(x) for x in
                   ("9.97", "10.75", "110.68", "114.13", "112.52", "115.32", "113.65")]


def test_pmks_mandiri_total_from_breakdown(seed):
    parts = indicators.breakdown(seed)
    assert sum(parts[parts["kode_iku"] == "IKU1"]["jumlah"]) == 2394
    totals = indicators.breakdown_totals(seed).set_index("kode_iku")
    assert totals.loc["IKU1", "total"] == totals.loc["IKU1", "total_cetak"] == 2394
    # BPNT 1.896 of 2.394 = 79,20%
    bpnt = parts[parts["kategori"] == "BPNT"].iloc[0]
    assert round_half_up(bpnt["porsi"], 2) == Decimal("79.20")


def test_desa_mandiri_recomputed_from_village_list(seed):
    desa = indicators.desa_mandiri_series(seed).set_index("tahun")
    assert desa.loc[2024, "desa_mandiri"] == 27
    assert desa.loc[2024, "jumlah_desa"] == 93
    # 3/93, 4/93, 7/93 (2022, absent from the printed text), 14/93, 27/93
    expected = {2020: "3.23", 2021: "4.30", 2022: "7.53", 2023: "15.05", 2024: "29.03"}
    for year, pct in expected.items():
        assert r2(desa.loc[year, "persentase"]) == Decimal(pct), year
    assert desa.loc[2019, "desa_mandiri"] == 0


def test_missing_target_2022_is_not_computable_with_reason(seed_results):
    row = _row(seed_results["kinerja_seri.csv"], "IKU2", 2022)
    assert row["capaian"] is None
    assert row["capaian_alasan"] == "target tidak tersedia"
    assert row["realisasi"] == Decimal("7.53")
    assert row["keterangan"] == "tidak dapat dihitung"


def test_capaian_formulas_and_edge_cases():
    assert indicators.capaian(Decimal(20), Decimal(25), "positif").value == Decimal(125)
    # lower is better: (2 x 20 - 15) / 20 x 100 = 125
    assert indicators.capaian(Decimal(20), Decimal(15), "negatif").value == Decimal(125)
    zero = indicators.capaian(Decimal(0), Decimal(5), "positif")
    assert zero.value is None and zero.reason == "target bernilai nol"
    assert indicators.capaian(Decimal(5), None, "positif").reason == "realisasi tidak tersedia"


def test_predikat_default_bands():
    scale = list(indicators.DEFAULT_PREDIKAT)
    cases = {"91": "Sangat Tinggi", "90.99": "Tinggi", "76": "Tinggi", "75.5": "Sedang",
             "66": "Sedang", "65": "Rendah", "51": "Rendah", "50": "Sangat Rendah",
             "0": "Sangat Rendah", "337.56": "Sangat Tinggi"}
    for value, label in cases.items():
        assert indicators.predikat(Decimal(value), scale) == label, value


def test_predikat_scale_comes_from_the_data_folder(seed):
    scale = indicators.predikat_scale(seed)
    assert scale[0] == ("Sangat Tinggi", Decimal(91))
    assert scale[-1] == ("Sangat Rendah", None)


def test_year_summary_comparisons(seed_results):
    s = seed_results["ringkasan_iku.csv"].set_index("kode_iku")
    # realisasi vs provincial target: 25,06 - 50 and 29,03 - 100
    assert s.loc["IKU1", "selisih_provinsi"] == Decimal("-24.94")
    assert s.loc["IKU2", "selisih_provinsi"] == Decimal("-70.97")
    # progress toward the Renstra end target 2026: 29,03 / 10,75 = 270,05%
    assert s.loc["IKU2", "tahun_akhir_renstra"] == 2026
    assert r2(s.loc["IKU2", "capaian_thd_akhir_renstra"]) == Decimal("270.05")
    # unchanged from 2023 (25,06 both years)
    assert s.loc["IKU1", "perubahan"] == Decimal("0.00")
    assert s.loc["IKU2", "perubahan"] == Decimal("13.98")


def test_sentences_follow_the_data(seed_results):
    from pipeline.present import narrative

    s = seed_results["ringkasan_iku.csv"].set_index("kode_iku")
    text = narrative.compare_province("Persentase PMKS Mandiri", s.loc["IKU1", "realisasi"],
                                      s.loc["IKU1", "target_provinsi"])
    assert text == ("Realisasi Persentase PMKS Mandiri (25,06%) berada di bawah target provinsi "
                    "sebesar 50,00%, selisih 24,94 poin: belum mencapai target provinsi.")
    text = narrative.compare_previous("Persentase PMKS Mandiri", 2024, Decimal("25.06"),
                                      Decimal("25.06"))
    assert "sama dengan tahun 2023" in text
