"""Rules on a figure's limits and on a series: realisasi above its anggaran or target, a
value above the top of its scale, a figure to date that falls, a year missing from a series
or printed without target or realisasi, a realisasi unchanged from the year before."""

from __future__ import annotations

from ..read import units
from .rules import Outcome, Row, above, rule
from .severity import ERROR, INFO, WARNING


@rule("REALISASI-MELEBIHI-ANGGARAN", "sub_kegiatan", ("realisasi",), ERROR,
      "Realisasi {sub_kegiatan} melebihi anggarannya")
def spent_above_budget(row: Row) -> Outcome | None:
    return above(row, "realisasi", _value(row, "anggaran"))


@rule("REALISASI-TANPA-ANGGARAN", "sub_kegiatan", ("realisasi",), ERROR,
      "Realisasi {sub_kegiatan} tercatat tanpa anggaran")
def spent_without_budget(row: Row) -> Outcome | None:
    spent = _value(row, "realisasi")
    if _value(row, "anggaran") is not None or not spent:
        return None
    return Outcome("realisasi", row.facts["show"](spent), "anggaran")


@rule("REALISASI-MELEBIHI-ANGGARAN", "triwulan_keuangan", ("realisasi",), ERROR,
      "Realisasi TW {triwulan} {kegiatan} melebihi anggaran")
def quarter_spent_above_budget(row: Row) -> Outcome | None:
    return above(row, "realisasi", _value(row, "anggaran"))


@rule("REALISASI-MELEBIHI-TARGET-TW", "triwulan_keuangan", ("realisasi",), INFO,
      "Realisasi TW {triwulan} {kegiatan} melebihi target triwulan (masih dalam anggaran)")
def quarter_spent_above_target(row: Row) -> Outcome | None:
    """Within the anggaran (above it is the error above), more than the quarter planned."""
    if not _value(row, "realisasi") or spent_above_budget(row) is not None:
        return None
    return above(row, "realisasi", _value(row, "target"))


def _value(row: Row, name: str):
    figure = row.figures.get(name)
    return None if figure is None else figure.value


MOST = "{what} ({printed}) melebihi nilai tertinggi yang mungkin ({top})"


def beyond_scale(kinds) -> callable:
    """A value above the top of its unit's scale (more than the whole, above an index's
    maximum), for units of these kinds (`jenis`) or, with None, of every other kind."""
    def test(row: Row) -> Outcome | None:
        unit, value = row.facts["unit"], _value(row, "realisasi")
        is_kind = unit.jenis in kinds if kinds is not None else unit.jenis != units.PERSENTASE
        if not is_kind or not unit.implausible(value):
            return None
        top = unit.show(unit.batas_atas)
        return Outcome("realisasi", unit.show(value), f"≤ {top}", {"top": top})
    return test


rule("PERSEN-MUSTAHIL", "nilai", ("realisasi",), ERROR, MOST)(beyond_scale((units.PERSENTASE,)))
rule("NILAI-MUSTAHIL", "nilai", ("realisasi",), ERROR, MOST)(beyond_scale(None))


def falling(row: Row) -> Outcome | None:
    """A figure to date (`value`) below the same figure of an earlier quarter
    (`recomputed`)."""
    figure = row.figures["kumulatif"]
    if figure.value is None or figure.recomputed is None or \
            not figure.value < figure.recomputed:
        return None
    show = row.facts["show"]
    return Outcome(row.facts["kolom"], show(figure.value), f"≥ {show(figure.recomputed)}",
                   {"before": show(figure.recomputed)})


FALLING = ("{Kolom} s.d. TW {triwulan} {name} ({printed}) lebih kecil daripada s.d. TW "
           "{sebelum} ({before})")
rule("KUMULATIF-MENURUN", "kumulatif_kinerja", ("kumulatif",), WARNING, FALLING)(falling)
rule("KUMULATIF-MENURUN", "kumulatif_keuangan", ("kumulatif",), ERROR, FALLING)(falling)


@rule("DERET-TAHUN-HILANG", "tahun_deret", ("ada",), WARNING,
      "Tahun {tahun} tidak ada dalam deret {indikator} ({kode_iku}); perubahan tahun "
      "berikutnya tidak dihitung")
def year_missing(row: Row) -> Outcome | None:
    return None if row.facts["ada"] else \
        Outcome("tahun", "–", f"baris tahun {row.facts['tahun']}")


@rule("DERET-TARGET-KOSONG", "deret", ("target",), WARNING,
      "Target {indikator} tahun {tahun} tidak tercantum")
def target_missing(row: Row) -> Outcome | None:
    return None if _value(row, "target") is not None else \
        Outcome("target", "–", "target tahun itu")


@rule("DERET-REALISASI-KOSONG", "deret", ("realisasi_cetak",), WARNING,
      "Realisasi {indikator} tahun {tahun} tidak tercantum")
def realisasi_missing(row: Row) -> Outcome | None:
    """Printed without realisasi, and not filled in from a list; the report year's left
    empty is a draft (draft.py), said there."""
    if _value(row, "realisasi_cetak") is not None or row.facts["sumber_realisasi"] != \
            "tercetak" or row.facts.get("draf"):
        return None
    return Outcome("realisasi", "–", "realisasi tahun itu")


@rule("DERET-TIDAK-BERUBAH", "deret", ("perubahan",), WARNING,
      "Realisasi {indikator} {tahun} sama persis dengan tahun {tahun_lalu} ({printed}); "
      "periksa apakah data tahun berjalan sudah dimutakhirkan")
def unchanged(row: Row) -> Outcome | None:
    """A label held year after year (WTP again) is news to no one: only measured units."""
    unit, realisasi = row.facts["unit"], _value(row, "realisasi")
    if _value(row, "perubahan") != 0 or not realisasi or unit.scale is not None:
        return None
    return Outcome("realisasi", unit.show(realisasi), "nilai baru")
