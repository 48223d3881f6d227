"""Stage 2, kinerja: capaian, keterangan, predikat, the yearly series and its comparisons.

Printed derived figures (capaian, keterangan) are carried beside the recomputed ones and
never used as inputs.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from ..read import formatting as fmt
from ..read import units
from ..read.clean import Dataset
from ..read.numbers import round_half_up
from . import qualitative

HUNDRED = Decimal(100)
MENCAPAI = "Mencapai Target"
TIDAK_MENCAPAI = "Tidak Mencapai Target"
TIDAK_DAPAT_DIHITUNG = "tidak dapat dihitung"
DEFAULT_PREDIKAT = (("Sangat Tinggi", Decimal(91)), ("Tinggi", Decimal(76)),
                    ("Sedang", Decimal(66)), ("Rendah", Decimal(51)), ("Sangat Rendah", None))


@dataclass(frozen=True)
class Capaian:
    value: Decimal | None
    reason: str | None = None  # why it could not be computed


@dataclass(frozen=True)
class Formula:
    """One way to turn target and realisasi into capaian; its text is what the report prints."""

    text: str
    divisor: str  # the figure that must not be zero
    compute: object


FORMULAS = {
    "R/T": Formula("realisasi ÷ target × 100", "target", lambda t, r: r / t * HUNDRED),
    "2T-R": Formula("(2 × target − realisasi) ÷ target × 100", "target",
                    lambda t, r: (2 * t - r) / t * HUNDRED),
    "T/R": Formula("target ÷ realisasi × 100", "realisasi", lambda t, r: t / r * HUNDRED),
    # an IKU measured by labels: compared on its scale (qualitative.status), no percentage
    qualitative.SKALA: Formula(qualitative.FORMULA, "target", None),
}
DEFAULT_NEGATIVE = "2T-R"


def formula_code(polaritas: str, rumus_negatif: str | None = None) -> str:
    """Higher is better: R/T. Lower is better: the IKU's setting, (2T − R)/T by default."""
    return (rumus_negatif or DEFAULT_NEGATIVE) if polaritas == "negatif" else "R/T"


def capaian(target: Decimal | None, realisasi: Decimal | None, polaritas: str,
            rumus_negatif: str | None = None) -> Capaian:
    """Capaian by the IKU's formula; never capped at 100."""
    formula = FORMULAS[formula_code(polaritas, rumus_negatif)]
    if target is None:
        return Capaian(None, "target tidak tersedia")
    if realisasi is None:
        return Capaian(None, "realisasi tidak tersedia")
    if (target if formula.divisor == "target" else realisasi) == 0:
        return Capaian(None, f"{formula.divisor} bernilai nol")
    return Capaian(formula.compute(target, realisasi))


def keterangan(value: Decimal | None) -> str:
    if value is None:
        return TIDAK_DAPAT_DIHITUNG
    return MENCAPAI if value >= HUNDRED else TIDAK_MENCAPAI


def predikat_scale(ds: Dataset) -> list[tuple[str, Decimal | None]]:
    df = ds.get("predikat.csv")
    if df is None:
        return list(DEFAULT_PREDIKAT)
    bands = [(r.predikat, r.batas_bawah) for r in df.itertuples()]
    return sorted(bands, key=lambda b: (b[1] is None, -(b[1] or 0)))


def predikat(value: Decimal | None, scale) -> str:
    if value is None:
        return TIDAK_DAPAT_DIHITUNG
    for label, lower in scale:
        if lower is None or round_half_up(value, 2) >= lower:
            return label
    return scale[-1][0]


def on_scale(unit: units.Unit, target, realisasi) -> dict:
    """The columns of a judgement on a scale: for an IKU measured by labels, capaian is
    melampaui, tercapai or tidak tercapai (capaian_label), never a percentage, and it has no
    predikat; selisih_tingkat is how far realisasi lies from target on the scale. An IKU
    measured by a number gets them empty, and keeps its own."""
    if unit.scale is None:
        return {"capaian_label": None, "selisih_tingkat": None}
    label = qualitative.status(target, realisasi)
    return {"rumus": qualitative.SKALA, "capaian": None,
            "capaian_alasan": qualitative.missing(target, realisasi),
            "keterangan": TIDAK_DAPAT_DIHITUNG if label is None
            else MENCAPAI if label in qualitative.REACHED else TIDAK_MENCAPAI,
            "predikat": TIDAK_DAPAT_DIHITUNG if label is None else qualitative.NO_PREDIKAT,
            "capaian_label": label,
            "selisih_tingkat": None if label is None else realisasi - target}


def desa_mandiri_series(ds: Dataset) -> pd.DataFrame:
    """Desa reaching Mandiri per year, cumulative, over the number of desa that year."""
    desa = ds["desa_mandiri.csv"]
    total = ds["jumlah_desa.csv"].set_index("tahun")["jumlah_desa"]
    rows = []
    for year in sorted(total.index):
        new = int((desa["tahun_mandiri"] == year).sum())
        cumulative = int((desa["tahun_mandiri"] <= year).sum())
        rows.append({"tahun": year, "desa_baru": new, "desa_mandiri": cumulative,
                     "jumlah_desa": int(total[year]),
                     "persentase": Decimal(cumulative) / Decimal(int(total[year])) * HUNDRED})
    return pd.DataFrame(rows, dtype=object)


def breakdown(ds: Dataset) -> pd.DataFrame:
    """The report year's breakdown of each IKU's numerator, with each category's share."""
    df = ds["rincian_pembilang.csv"]
    df = df[df["tahun"] == ds.year][["kode_iku", "no", "kategori", "jumlah"]].copy()
    totals = df.groupby("kode_iku")["jumlah"].transform("sum")
    df["porsi"] = pd.Series([Decimal(j) / Decimal(int(t)) * HUNDRED if t else None
                             for j, t in zip(df["jumlah"], totals)], dtype=object, index=df.index)
    return df.reset_index(drop=True)


def breakdown_totals(ds: Dataset) -> pd.DataFrame:
    """Sum per IKU beside the printed total, where one was printed."""
    parts = breakdown(ds)
    iku = ds["iku.csv"].set_index("kode_iku")
    printed = ds.get("rincian_total_cetak.csv")
    rows = []
    for code, own in parts.groupby("kode_iku", sort=False):
        hit = None if printed is None else printed[(printed["kode_iku"] == code)
                                                  & (printed["tahun"] == ds.year)]
        pembilang = iku.loc[code, "pembilang"] or iku.loc[code, "indikator"]
        rows.append({"kode_iku": code, "judul": fmt.join_words("Jumlah", pembilang),
                     "total": int(sum(own["jumlah"])),
                     "total_cetak": None if hit is None or hit.empty
                     else hit.iloc[0]["total_cetak"]})
    return pd.DataFrame(rows, columns=["kode_iku", "judul", "total", "total_cetak"],
                        dtype=object)


def _lookup(df: pd.DataFrame | None, code: str, year: int, column: str = "target"):
    if df is None:
        return None
    hit = df[(df["kode_iku"] == code) & (df["tahun"] == year)]
    return None if hit.empty else hit.iloc[0][column]


def kinerja_series(ds: Dataset) -> pd.DataFrame:
    """One row per IKU and year: target, realisasi used, capaian recomputed vs printed."""
    scale = predikat_scale(ds)
    desa = desa_mandiri_series(ds).set_index("tahun") if "desa_mandiri.csv" in ds.frames else None
    printed = ds["kinerja_tahunan.csv"]
    rows = []
    for iku in ds["iku.csv"].itertuples():
        years = sorted(set(printed.loc[printed["kode_iku"] == iku.kode_iku, "tahun"]))
        previous, previous_year = None, None
        for year in years:
            if previous_year != year - 1:
                previous = None  # a gap in the series: no year before to compare with
            row = printed[(printed["kode_iku"] == iku.kode_iku) & (printed["tahun"] == year)]
            p = row.iloc[0]
            target = p["target"]
            realisasi, source = p["realisasi"], "tercetak"
            if iku.realisasi_dari == "desa_mandiri.csv" and desa is not None and year in desa.index:
                realisasi = round_half_up(desa.loc[year, "persentase"], units.of_iku(iku).desimal)
                source = "dihitung dari daftar desa mandiri"
            result = capaian(target, realisasi, iku.polaritas, iku.rumus_negatif)
            rows.append({
                "kode_iku": iku.kode_iku, "kode_sasaran": iku.kode_sasaran,
                "indikator": iku.indikator, "polaritas": iku.polaritas,
                "rumus": formula_code(iku.polaritas, iku.rumus_negatif), "tahun": year,
                "target": target,
                "realisasi": realisasi, "sumber_realisasi": source,
                "realisasi_cetak": p["realisasi"], "capaian": result.value,
                "capaian_alasan": result.reason, "capaian_cetak": p["capaian_cetak"],
                "capaian_cetak_teks": p["capaian_cetak_teks"],
                "keterangan": keterangan(result.value),
                "keterangan_cetak": p["keterangan_cetak"],
                "predikat": predikat(result.value, scale),
                "realisasi_tahun_lalu": previous,
                "perubahan": None if previous is None or realisasi is None
                else realisasi - previous,
                "_baris": p["_baris"],
                **on_scale(units.of_iku(iku), target, realisasi),
            })
            previous, previous_year = realisasi, year
    return pd.DataFrame(rows, dtype=object)


def year_summary(ds: Dataset, series: pd.DataFrame) -> pd.DataFrame:
    """The report year per IKU, with PK, Renstra (this year and end of period), province."""
    renstra = ds.get("target_renstra.csv")
    province = ds.get("target_provinsi.csv")
    pk = ds["target_pk.csv"]
    rows = []
    for r in series[series["tahun"] == ds.year].itertuples():
        target_pk = _lookup(pk, r.kode_iku, ds.year)
        end_year = None
        end_target = None
        if renstra is not None:
            own = renstra[renstra["kode_iku"] == r.kode_iku]
            if not own.empty:
                end_year = int(own["tahun"].max())
                end_target = own.loc[own["tahun"] == end_year, "target"].iloc[0]
        prov = _lookup(province, r.kode_iku, ds.year)
        prov_source = _lookup(province, r.kode_iku, ds.year, "sumber")
        rows.append({
            "kode_iku": r.kode_iku, "kode_sasaran": r.kode_sasaran, "indikator": r.indikator,
            "target_pk": target_pk, "target_seri": r.target, "realisasi": r.realisasi,
            "capaian": r.capaian, "capaian_alasan": r.capaian_alasan,
            "keterangan": r.keterangan, "predikat": r.predikat,
            "target_renstra": _lookup(renstra, r.kode_iku, ds.year),
            "tahun_akhir_renstra": end_year, "target_akhir_renstra": end_target,
            "polaritas": r.polaritas, "rumus": r.rumus,
            "capaian_thd_akhir_renstra": None if r.rumus == qualitative.SKALA
            else _by_code(end_target, r.realisasi, r.rumus).value,
            "target_provinsi": prov, "sumber_pembanding": prov_source,
            "selisih_provinsi": None if prov is None or r.realisasi is None
            else r.realisasi - prov,
            "realisasi_tahun_lalu": r.realisasi_tahun_lalu, "perubahan": r.perubahan,
            "capaian_label": r.capaian_label,
        })
    return pd.DataFrame(rows, dtype=object)


def _by_code(target, realisasi, code: str) -> Capaian:
    polaritas = "positif" if code == "R/T" else "negatif"
    return capaian(target, realisasi, polaritas, None if code == "R/T" else code)


SASARAN_RULES = {
    "rata-rata": ("rata-rata capaian IKU-nya", lambda values: sum(values) / len(values)),
    "terendah": ("capaian terendah di antara IKU-nya", min),
}
DEFAULT_SASARAN_RULE = "rata-rata"


def sasaran_rule(ds: Dataset) -> str:
    inst = ds["instansi.csv"].iloc[0].to_dict()
    return inst.get("capaian_sasaran") or DEFAULT_SASARAN_RULE


def sasaran_capaian(ds: Dataset, summary: pd.DataFrame) -> pd.DataFrame:
    """One capaian per sasaran from its IKUs' capaian, by the rule set in instansi.csv."""
    rule = sasaran_rule(ds)
    scale = predikat_scale(ds)
    rows = []
    for s in ds["sasaran.csv"].itertuples():
        own = summary[summary["kode_sasaran"] == s.kode_sasaran]
        labelled = own[own["rumus"] == qualitative.SKALA]  # judged on a scale: no number
        counted = own[own["rumus"] != qualitative.SKALA]
        values = [v for v in counted["capaian"] if v is not None]
        value = SASARAN_RULES[rule][1](values) if values and len(values) == len(counted) \
            else None
        row = {"kode_sasaran": s.kode_sasaran, "jumlah_iku": len(own),
               "iku": "; ".join(counted["kode_iku"]), "aturan": rule, "capaian": value,
               "keterangan": keterangan(value), "predikat": predikat(value, scale),
               "jumlah_iku_label": len(labelled), "capaian_label": None}
        if counted.empty and not labelled.empty:  # labels only: met when every one is met
            row["keterangan"] = _all_met(labelled["keterangan"])
            row["predikat"] = qualitative.NO_PREDIKAT
            row["capaian_label"] = {MENCAPAI: qualitative.TERCAPAI,
                                    TIDAK_MENCAPAI: qualitative.TIDAK_TERCAPAI}.get(
                                        row["keterangan"])
        rows.append(row)
    return pd.DataFrame(rows, dtype=object)


def _all_met(verdicts) -> str:
    verdicts = list(verdicts)
    if TIDAK_DAPAT_DIHITUNG in verdicts:
        return TIDAK_DAPAT_DIHITUNG
    return MENCAPAI if all(v == MENCAPAI for v in verdicts) else TIDAK_MENCAPAI


def renstra_targets(ds: Dataset) -> pd.DataFrame:
    df = ds.get("target_renstra.csv")
    if df is None:
        return pd.DataFrame(columns=["kode_iku", "indikator", "tahun", "target"])
    names = ds["iku.csv"].set_index("kode_iku")["indikator"]
    df = df.assign(indikator=[names[c] for c in df["kode_iku"]])
    return df[["kode_iku", "indikator", "tahun", "target"]].sort_values(["kode_iku", "tahun"])
