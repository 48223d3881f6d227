"""How an IKU measured by the labels of an ordered scale (an audit opinion, a SAKIP grade, an
IDM status) is judged, and how the report says it.

Its capaian is not a percentage: realisasi and target are compared by their place on the
scale. Above the target the IKU melampaui it; at it, tercapai; below it, tidak tercapai. Such
an IKU has no predikat (the predikat bands are bands of a percentage) and takes no part in any
average of capaian: the report states this rule once, under its capaian table.
"""

from __future__ import annotations

from dataclasses import dataclass

MELAMPAUI, TERCAPAI, TIDAK_TERCAPAI = "Melampaui", "Tercapai", "Tidak tercapai"
REACHED = (MELAMPAUI, TERCAPAI)
SKALA = "skala"  # the rumus of such an IKU in the computed tables: compared on its scale
NO_PREDIKAT = "–"
FORMULA = ("kedudukan realisasi dibandingkan dengan kedudukan target pada skala IKU: di atas "
           "target melampaui, sama tercapai, di bawah tidak tercapai")
VERDICT = {MELAMPAUI: "melampaui target", TERCAPAI: "mencapai target",
           TIDAK_TERCAPAI: "belum mencapai target"}


def status(target, realisasi) -> str | None:
    """Melampaui, tercapai or tidak tercapai, from the two positions; None when one is
    missing."""
    if target is None or realisasi is None:
        return None
    if realisasi > target:
        return MELAMPAUI
    return TERCAPAI if realisasi == target else TIDAK_TERCAPAI


def missing(target, realisasi) -> str | None:
    """Why a label comparison cannot be made, as indicators.capaian says it."""
    if target is None:
        return "target tidak tersedia"
    if realisasi is None:
        return "realisasi tidak tersedia"
    return None


def steps(difference) -> str:
    """`1 tingkat`: a distance on the scale, as the series table counts it."""
    return f"{abs(int(difference))} tingkat"


def comparison_formula(row: dict, unit) -> str:
    """The ledger's account of one comparison: both labels, their positions, the result."""
    scale = unit.scale
    return (f"posisi realisasi {unit.show(row['realisasi'])} ({int(row['realisasi'])}) − "
            f"posisi target {unit.show(row['target'])} ({int(row['target'])}) pada skala "
            f"{scale.code} ({scale.worst} = 1 … {scale.best} = {scale.size}); > 0 melampaui, "
            f"0 tercapai, < 0 tidak tercapai: {row['capaian_label'].lower()}")


def _against(status_: str, difference) -> str:
    if status_ == TERCAPAI:
        return "realisasi sama dengan target"
    where = "di atas" if status_ == MELAMPAUI else "di bawah"
    return f"realisasi {steps(difference)} {where} target"


def capaian_sentence(r, unit) -> str:
    """Bab III and IV: target and realisasi as labels, and what the comparison found."""
    if r.capaian_label is None:
        return f"Capaian {r.indikator} tidak dapat dihitung: {r.capaian_alasan}."
    return (f"Dengan target {unit.show(r.target_pk)} dan realisasi {unit.show(r.realisasi)} "
            f"pada skala {unit.scale.described()}, {r.indikator} {VERDICT[r.capaian_label]}: "
            f"{_against(r.capaian_label, r.realisasi - r.target_pk)}.")


def summary_item(r, unit) -> str:
    """The Ikhtisar's line on the IKU, without a percentage or a predikat."""
    if r["capaian_label"] is None:
        return (f"{r['indikator']}: target {unit.show(r['target_pk'])}, realisasi "
                f"{unit.show(r['realisasi'])}, capaian tidak dapat dihitung.")
    return (f"{r['indikator']}: target {unit.show(r['target_pk'])}, realisasi "
            f"{unit.show(r['realisasi'])} (skala {unit.scale.name}), "
            f"{VERDICT[r['capaian_label']]}.")


def renstra_sentence(indikator, realisasi, end_year, end_target, unit) -> str:
    """Realisasi against the end-of-period target, both labels."""
    if end_target is None or realisasi is None:
        return f"Target akhir periode Renstra untuk {indikator} tidak tersedia."
    if realisasi >= end_target:
        return (f"Realisasi {unit.show(realisasi)} telah mencapai target akhir periode "
                f"Renstra tahun {end_year}, yaitu {unit.show(end_target)}.")
    return (f"Realisasi {unit.show(realisasi)} masih {steps(end_target - realisasi)} di bawah "
            f"target akhir periode Renstra tahun {end_year}, yaitu {unit.show(end_target)}.")


def province_sentence(indikator, realisasi, target, unit, level: str) -> str:
    """Realisasi against a higher level's target, both labels."""
    if target is None or realisasi is None:
        return f"Tidak ada target {level} pembanding untuk {indikator}."
    if realisasi == target:
        return (f"Realisasi {indikator} ({unit.show(realisasi)}) sama dengan target {level} "
                f"({unit.show(target)}).")
    better = realisasi > target
    return (f"Realisasi {indikator} ({unit.show(realisasi)}) berada "
            f"{steps(realisasi - target)} {'di atas' if better else 'di bawah'} target {level} "
            f"({unit.show(target)}): "
            f"{'lebih baik dari' if better else 'belum mencapai'} target {level}.")


@dataclass(frozen=True)
class Notes:
    """What the report says once about its IKU measured by labels; empty when it has none."""

    scales: str = ""  # Bab II: each such IKU and its scale
    rule: str = ""  # under the capaian table: how they are judged, and the averages
    chart: str = ""  # under the capaian chart: why they are not on it
    quarter_chart: str = ""  # under the quarterly chart


def notes(iku_rows: list[dict], unit_of: dict) -> Notes:
    own = [r for r in iku_rows if unit_of[r["kode_iku"]].scale is not None]
    if not own:
        return Notes()
    names = ", ".join(r["indikator"] for r in own)
    described = "; ".join(f"{r['indikator']}: skala {unit_of[r['kode_iku']].scale.described()}"
                          for r in own)
    return Notes(
        scales=f"IKU yang diukur dengan label pada skala berurutan (IKU kualitatif). "
               f"{described}.",
        rule=f"Capaian IKU kualitatif ({names}) tidak dinyatakan dalam persen: kedudukan "
             "realisasi dibandingkan dengan kedudukan target pada skalanya, sehingga "
             f"capaiannya {MELAMPAUI.lower()} (di atas target), {TERCAPAI.lower()} (sama dengan "
             f"target) atau {TIDAK_TERCAPAI.lower()} (di bawah target). IKU itu tidak diberi "
             "predikat dan tidak ikut dihitung dalam rata-rata capaian mana pun (capaian "
             "sasaran dihitung dari IKU berangka saja).",
        chart=f"Grafik capaian memuat IKU berangka saja; kedudukan IKU kualitatif ({names}) "
              "pada skalanya digambarkan pada grafik IKU masing-masing.",
        quarter_chart=f"IKU kualitatif ({names}) tidak digambarkan pada grafik triwulan; target "
                      "dan realisasinya berupa label pada tabel.",
    )
