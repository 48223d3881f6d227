"""Budget figures of the LKIP 2024, recomputed by hand from the realisasi table."""

from decimal import Decimal

from pipeline.read.numbers import round_half_up


def r2(value):
    return round_half_up(Decimal(value), 2)


def test_absorption_of_every_program(seed_results):
    programs = seed_results["anggaran_program.csv"].set_index("kode_program")
    expected = {  # anggaran, realisasi, persentase
        "P02": (3807800000, 3463321049, "90.95"),
        "P03": (3301407600, 2571956038, "77.90"),
        "P04": (584692400, 451334218, "77.19"),
        "P05": (1941581741, 540553990, "27.84"),
        "P06": (130000000, 91846000, "70.65"),
        "P07": (145000000, 111436718, "76.85"),
        "P08": (1351120625, 1320856667, "97.76"),
        "P09": (1789457000, 1684650851, "94.14"),
        "P01": (7568789495, 6562197361, "86.70"),
    }
    for code, (anggaran, realisasi, pct) in expected.items():
        row = programs.loc[code]
        assert (row["anggaran"], row["realisasi"]) == (anggaran, realisasi), code
        assert r2(row["persentase"]) == Decimal(pct), code


def test_only_the_support_program_differs_from_its_pk_budget(seed_results):
    programs = seed_results["anggaran_program.csv"].set_index("kode_program")
    # 7.568.789.495 in the sub-kegiatan rows against Rp7.537.949.495 in the PK
    assert programs.loc["P01", "selisih_pk"] == 30840000
    assert all(programs.drop(index="P01")["selisih_pk"] == 0)


def test_total_absorption(seed_results):
    total = seed_results["anggaran_total.csv"].iloc[0]
    assert total["anggaran"] == 20619848861
    assert total["realisasi"] == 16798152892
    assert r2(total["persentase"]) == Decimal("81.47")


def test_efficiency_per_sasaran(seed_results):
    eff = seed_results["efisiensi.csv"].set_index("kode_sasaran")
    # S2: 3.116.944.236 / 3.285.577.625 = 94,87% ; 337,56 - 94,87 = 242,69
    assert eff.loc["S2", "anggaran"] == 3285577625
    assert eff.loc["S2", "realisasi_anggaran"] == 3116944236
    assert r2(eff.loc["S2", "capaian_anggaran"]) == Decimal("94.87")
    assert r2(eff.loc["S2", "efisiensi"]) == Decimal("242.69")
    # the seed prints -91,49, from a capaian column of 3,38 instead of 337,56
    assert eff.loc["S2", "efisiensi_cetak"] == Decimal("-91.49")
    # S1: programs P02+P03+P04 = 7.693.900.000, realisasi 6.486.611.305 = 84,31%
    assert eff.loc["S1", "anggaran"] == 7693900000
    assert r2(eff.loc["S1", "capaian_anggaran"]) == Decimal("84.31")
    assert r2(eff.loc["S1", "efisiensi"]) == Decimal("29.34")


def test_sub_kegiatan_recomputed_where_the_print_is_wrong(seed_results):
    subs = seed_results["anggaran_sub_kegiatan.csv"].set_index("no")
    # printed 22,64% for 22.693.400 / 30.000.000
    assert r2(subs.loc[4, "persentase"]) == Decimal("75.64")
    assert subs.loc[4, "persentase_cetak"] == Decimal("22.64")
    # the corrected Penyediaan Permakanan budget (printed 2.036.000.00)
    assert subs.loc[7, "anggaran"] == 2036000000
    assert r2(subs.loc[7, "persentase"]) == Decimal("95.22")
    # rows printed without a budget stay without one
    assert subs.loc[19, "anggaran"] is None and subs.loc[19, "persentase"] is None


def test_triwulan_capaian_recomputed(seed_results):
    tw = seed_results["triwulan_kinerja.csv"]
    row = tw[(tw["triwulan"] == "II") & (tw["kode_iku"] == "IKU2")].iloc[0]
    # 4,30 / 4,03 = 106,70% (printed 4,30%)
    assert r2(row["capaian"]) == Decimal("106.70")
    keu = seed_results["triwulan_keuangan_total.csv"].set_index("triwulan")
    # TW IV: 3.930.670.044 realisasi of 4.276.407.600 targeted on the monitored kegiatan
    assert keu.loc["IV", "realisasi"] == 3930670044
    assert keu.loc["IV", "target"] == 4276407600
