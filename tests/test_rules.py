"""Checks as declared rules: one engine, rows of a kind, the printed derived figures."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pipeline.check import findings, rules
from pipeline.read import formatting as fmt


def capaian_row(value, text, recomputed, kind="capaian_tahunan"):
    return rules.Row(kind, "kinerja_tahunan.csv", "kode_iku=IKU1;tahun=2024", "Capaian X 2024",
                     {"capaian_cetak": rules.Figure(value, text, recomputed)},
                     {"show": fmt.percent})


def test_every_printed_derived_figure_is_one_declared_rule_of_its_kind():
    declared = {r.id: (r.kind, r.reads) for r in rules.RULES.values() if r.id in findings.DERIVED}
    assert declared == findings.DERIVED
    assert declared["EFISIENSI-TERCETAK"] == ("efisiensi", (
        "capaian_kinerja", "anggaran", "realisasi_anggaran", "capaian_anggaran", "efisiensi"))


def test_a_wrong_printed_capaian_is_an_error_with_the_recomputed_value():
    # 25,06 / 33,13 x 100 = 75,641...: printed 22,64
    found = rules.run([capaian_row(Decimal("22.64"), "22,64%", Decimal("75.6414126")) ])
    assert [(f.check, f.severity, f.field, f.printed, f.expected, f.message) for f in found] == [
        ("CAPAIAN-TERCETAK", "error", "capaian_cetak", "22,64%", "75,64%",
         "Capaian X 2024: tercetak 22,64%, seharusnya 75,64%")]


def test_a_miss_within_the_last_printed_decimal_is_a_rounding_note():
    # 85,385 rounds half up to 85,39; printed 85,38 misses by 0,005 < 0,01
    found = rules.run([capaian_row(Decimal("85.38"), "85,38%", Decimal("85.385"))])
    assert [(f.severity, f.message) for f in found] == [
        ("info", "Capaian X 2024: tercetak 85,38%, hasil hitung ulang 85,39%; selisih "
                 "pembulatan (kurang dari satu satuan desimal terakhir)")]


def test_a_printed_figure_equal_at_its_decimals_holds():
    assert rules.run([capaian_row(Decimal("85.39"), "85,39%", Decimal("85.385"))]) == []


def test_a_blank_cell_is_not_checked_but_a_dash_is_a_gap():
    assert rules.run([capaian_row(None, None, Decimal("12.5"))]) == []
    gap = rules.run([capaian_row(None, "-", Decimal("12.5"))])
    assert [(f.severity, f.printed, f.message) for f in gap] == [
        ("error", "-", "Capaian X 2024: tidak tercetak, hasil hitung ulang 12,50%")]
    zero = rules.run([capaian_row(None, "-", Decimal(0))])
    assert [f.severity for f in zero] == ["info"]


def test_a_realisasi_a_list_fills_in_is_noted_even_when_its_cell_is_blank():
    row = rules.Row("capaian_tahunan", "kinerja_tahunan.csv", "kode_iku=IKU2;tahun=2024",
                    "Realisasi Y 2024 menurut daftar", {"realisasi": rules.Figure(None, None, 9)},
                    {"show": fmt.percent})
    found = rules.run([row])
    assert [(f.check, f.severity, f.printed) for f in found] == [
        ("REALISASI-DAFTAR", "info", "–")]


def test_a_rule_runs_only_on_rows_of_its_kind_holding_its_figures():
    other_kind = capaian_row(Decimal("22.64"), "22,64%", Decimal("75.64"), kind="lain")
    assert rules.run([other_kind]) == []
    without = rules.Row("capaian_tahunan", "f.csv", "k", "X", {}, {})
    assert rules.run([without]) == []


def test_a_rule_reading_several_figures_compares_each_the_row_holds():
    row = rules.Row("efisiensi", "efisiensi_cetak.csv", "kode_sasaran=S1;kode_iku=IKU1",
                    "Sasaran S1", {"anggaran": rules.Figure(3_385_637_000, "3.385.637.000",
                                                            7_693_900_000),
                                   "efisiensi": rules.Figure(Decimal("22.05"), "22,05",
                                                             Decimal("22.05"))},
                    {"show": fmt.number})
    assert [(f.field, f.printed, f.expected) for f in rules.run([row])] == [
        ("anggaran", "3.385.637.000", "7.693.900.000")]


def test_a_rule_declared_twice_is_refused():
    with pytest.raises(ValueError, match="CAPAIAN-TERCETAK on capaian_tahunan declared twice"):
        rules.rule("CAPAIAN-TERCETAK", "capaian_tahunan", ("capaian_cetak",), "error", "{what}")(
            lambda row: None)


def test_the_annual_and_quarterly_checks_share_the_capaian_rule(seed, seed_results):
    """CAPAIAN-TRIWULAN comes from the same declaration whether the annual report's annex or
    a quarterly report checks it: the seed's TW II capaian of IKU1, printed 0,03%, is 2,75%."""
    annual = [f for f in findings.run(seed, seed_results)
              if f.check == "CAPAIAN-TRIWULAN" and f.key == "triwulan=II;kode_iku=IKU1"]
    assert [(f.printed, f.expected) for f in annual] == [("0,03%", "2,75%")]
