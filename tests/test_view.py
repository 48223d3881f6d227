"""What the notebooks show: computed tables in id-ID figures, findings, links."""

from decimal import Decimal

import pandas as pd

from pipeline.check import findings
from pipeline.compute import results
from pipeline.present import view
from pipeline.read import clean

from .conftest import ROOT


def test_summary_shows_percent_as_the_report_prints_it(seed, seed_results):
    df = view.table("ringkasan_iku.csv", seed_results["ringkasan_iku.csv"], seed,
                    ["kode_iku", "target_pk", "realisasi", "capaian", "tahun_akhir_renstra",
                     "selisih_provinsi", "capaian_alasan"])
    row = df.set_index("kode_iku").loc["IKU1"]
    assert isinstance(seed_results["ringkasan_iku.csv"].iloc[0]["capaian"], Decimal)
    assert row.to_dict() == {"target_pk": "22,05%", "realisasi": "25,06%",
                             "capaian": "113,65%", "tahun_akhir_renstra": "2026",
                             "selisih_provinsi": "−24,94", "capaian_alasan": "–"}
    assert list(df.columns) == ["kode_iku", "target_pk", "realisasi", "capaian",
                                "tahun_akhir_renstra", "selisih_provinsi", "capaian_alasan"]


def test_rupiah_points_and_whole_counts(seed, seed_results):
    program = view.table("anggaran_program.csv", seed_results["anggaran_program.csv"], seed)
    first = program.set_index("kode_program").loc["P02"]
    assert (first["anggaran"], first["realisasi"], first["persentase"], first["urutan"]) == (
        "3.807.800.000", "3.463.321.049", "90,95%", "1")
    eff = view.table("efisiensi.csv", seed_results["efisiensi.csv"], seed)
    s2 = eff.set_index("kode_sasaran").loc["S2"]
    assert (s2["efisiensi"], s2["capaian_anggaran"], s2["realisasi_anggaran"], s2["efisien"]) \
        == ("+242,69", "94,87%", "3.116.944.236", "ya")
    assert s2["anggaran_cetak"] == "3.285.577.625"
    kegiatan = view.table("anggaran_kegiatan.csv", seed_results["anggaran_kegiatan.csv"], seed)
    assert "3.787.800.000" in set(kegiatan["anggaran"])


def test_no_cell_is_a_raw_number(seed, seed_results):
    for name, frame in seed_results.items():
        shown = view.table(name, frame, seed)
        assert shown.shape == frame.shape
        for value in shown.to_numpy().ravel():
            assert isinstance(value, str)
            digits = sum(ch.isdigit() for ch in value)
            assert digits < 16 or not value.replace(".", "").replace(",", "").isdigit(), \
                (name, value)
            assert "E+" not in value and "Decimal" not in value


def test_figures_in_the_unit_of_their_indicator():
    ds = clean.load_raw(ROOT / "tests" / "fixtures" / "kota" / "2025", 2025)
    shown = view.table("ringkasan_iku.csv", results.compute(ds)["ringkasan_iku.csv"], ds,
                       ["kode_iku", "target_pk", "realisasi", "capaian", "perubahan"])
    iku2 = shown.set_index("kode_iku").loc["IKU2"]
    assert (iku2["target_pk"], iku2["realisasi"], iku2["capaian"], iku2["perubahan"]) == (
        "1.200 orang", "1.250 orang", "104,17%", "+132")


def test_findings_counted_by_severity_and_listed(seed, seed_results):
    found = findings.run(seed, seed_results)
    counts = view.severity_counts(found)
    assert list(counts.index) == ["error", "warning", "info"]
    assert list(counts["arti"]) == ["kesalahan", "peringatan", "catatan"]
    assert counts["jumlah"].sum() == len(found) == 47
    assert view.severity_counts([])["jumlah"].tolist() == [0, 0, 0]
    listed = view.findings_table(found)
    assert len(listed) == 47 and listed.index[0] == 1
    assert {"check", "severity", "file", "key", "printed", "expected"} <= set(listed.columns)


def test_links_are_relative_to_where_the_notebook_is_read(tmp_path):
    out = tmp_path / ".build-2024"
    md = view.links([out / "LKIP_2024.html", out / "LKIP 2024.pdf"], out / "notebooks")
    assert md.data == ("Laporan: [LKIP_2024.html](../LKIP_2024.html) · "
                       "[LKIP 2024.pdf](../LKIP%202024.pdf)")


def test_missing_values_print_as_a_dash(seed):
    frame = pd.DataFrame([{"kode_iku": "IKU1", "capaian": None, "realisasi": float("nan")}])
    shown = view.table("kinerja_seri.csv", frame, seed)
    assert shown.iloc[0].tolist() == ["IKU1", "–", "–"]
