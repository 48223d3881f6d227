"""Stage 2, anggaran: absorption at every level, efficiency per sasaran, triwulan progress."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from ..read import units
from ..read.clean import Dataset
from ..read.numbers import round_half_up
from . import indicators
from .indicators import HUNDRED, capaian, formula_code


def percent(numerator, denominator) -> Decimal | None:
    if numerator is None or denominator in (None, 0):
        return None
    return Decimal(numerator) / Decimal(denominator) * HUNDRED


def sub_kegiatan(ds: Dataset) -> pd.DataFrame:
    """Every row as printed, with the recomputed persentase beside the printed one."""
    df = ds["realisasi_anggaran.csv"].copy()
    df["persentase"] = pd.Series([percent(r, a) for r, a in zip(df["realisasi"], df["anggaran"])],
                                 dtype=object, index=df.index)
    return df


def _sum(values) -> int:
    return int(sum(v for v in values if v is not None))


def by_program(ds: Dataset) -> pd.DataFrame:
    rows = sub_kegiatan(ds)
    programs = ds["pk_program.csv"]
    out = []
    for p in programs.itertuples():
        own = rows[rows["kode_program"] == p.kode_program]
        anggaran, realisasi = _sum(own["anggaran"]), _sum(own["realisasi"])
        out.append({"kode_program": p.kode_program, "program": p.program,
                    "kode_sasaran": p.kode_sasaran, "anggaran_pk": p.anggaran,
                    "anggaran": anggaran, "realisasi": realisasi,
                    "persentase": percent(realisasi, anggaran),
                    "selisih_pk": anggaran - p.anggaran,
                    "urutan": int(own["no"].min()) if not own.empty else 10**6})
    return pd.DataFrame(out, dtype=object).sort_values("urutan", kind="stable").reset_index(
        drop=True)


def by_kegiatan(ds: Dataset) -> pd.DataFrame:
    rows = sub_kegiatan(ds)
    out = []
    for (program, kegiatan), own in rows.groupby(["kode_program", "kegiatan"], sort=False):
        anggaran, realisasi = _sum(own["anggaran"]), _sum(own["realisasi"])
        out.append({"kode_program": program, "kegiatan": kegiatan, "anggaran": anggaran,
                    "realisasi": realisasi, "persentase": percent(realisasi, anggaran),
                    "jumlah_sub_kegiatan": len(own)})
    return pd.DataFrame(out, dtype=object)


def by_sasaran(ds: Dataset) -> pd.DataFrame:
    programs = by_program(ds)
    out = []
    for s in ds["sasaran.csv"].itertuples():
        own = programs[programs["kode_sasaran"] == s.kode_sasaran]
        anggaran, realisasi = _sum(own["anggaran"]), _sum(own["realisasi"])
        if own.empty:  # no program supports it: it has no budget, not a budget of zero
            anggaran = realisasi = None
        out.append({"kode_sasaran": s.kode_sasaran, "program": "; ".join(own["program"]),
                    "anggaran": anggaran, "realisasi": realisasi,
                    "persentase": percent(realisasi, anggaran)})
    return pd.DataFrame(out, dtype=object)


def total(ds: Dataset) -> dict:
    programs = by_program(ds)
    anggaran, realisasi = _sum(programs["anggaran"]), _sum(programs["realisasi"])
    return {"anggaran": anggaran, "realisasi": realisasi,
            "persentase": percent(realisasi, anggaran),
            "anggaran_pk": _sum(programs["anggaran_pk"])}


def _printed_efficiency(printed: pd.DataFrame | None, sasaran: str, iku: str):
    """The printed row of this sasaran and IKU; a file of one row per sasaran names its IKU."""
    if printed is None:
        return None
    hit = printed[(printed["kode_sasaran"] == sasaran) & (printed["kode_iku"] == iku)]
    return None if hit.empty else hit.iloc[0]


PRINTED_EFFICIENCY = ("capaian_kinerja_cetak", "anggaran", "realisasi_anggaran",
                      "capaian_anggaran_cetak", "efisiensi_cetak")


def efficiency(ds: Dataset, summary: pd.DataFrame) -> pd.DataFrame:
    """capaian kinerja - capaian anggaran, in percentage points; >= 0 reads as efficient.

    One row per sasaran and IKU: every IKU of a sasaran is set against the sasaran's budget.
    """
    sasaran = by_sasaran(ds).set_index("kode_sasaran")
    printed = ds.get("efisiensi_cetak.csv")
    out = []
    for r in summary.itertuples():
        budget = sasaran.loc[r.kode_sasaran]
        value = exact = None
        if r.capaian is not None and budget["persentase"] is not None:
            # from the two figures as printed, so that the table's subtraction checks; a
            # source that subtracts before rounding is right too (see findings)
            value = round_half_up(r.capaian, 2) - round_half_up(budget["persentase"], 2)
            exact = r.capaian - budget["persentase"]
        row = {"kode_sasaran": r.kode_sasaran, "kode_iku": r.kode_iku,
               "indikator": r.indikator, "target": r.target_pk, "realisasi": r.realisasi,
               "capaian_kinerja": r.capaian, "capaian_kinerja_label": r.capaian_label,
               "anggaran": budget["anggaran"],
               "realisasi_anggaran": budget["realisasi"],
               "capaian_anggaran": budget["persentase"], "efisiensi": value,
               "efisiensi_tanpa_pembulatan": exact,
               "efisien": None if value is None else value >= 0}
        p = _printed_efficiency(printed, r.kode_sasaran, r.kode_iku)
        for col in PRINTED_EFFICIENCY:  # None where the sasaran and IKU were not printed
            key = col if col.endswith("_cetak") else col + "_cetak"
            row[key] = None if p is None else p[col]
            row[key + "_teks"] = None if p is None else p[col + "_teks"]
        out.append(row)
    return pd.DataFrame(out, dtype=object)


PER_QUARTER = "per_triwulan"
SUMMABLE = (units.JUMLAH, units.RUPIAH)


def _cumulative(df: pd.DataFrame, key: str, column: str, summable) -> pd.Series:
    """Amounts to date: as printed when cumulative; summed over quarters when per quarter.

    A per-quarter share or index has no sum: its value to date is unknown (None). A quarter
    whose own figure is not set has no figure to date either (never a zero added); the
    quarters after it sum the figures that are set.
    """
    out, running = [], {}
    for r in df.to_dict("records"):
        if r.get("cara_hitung") != PER_QUARTER:
            out.append(r[column])
            continue
        if not summable(r) or r[column] is None:
            out.append(None)
            continue
        total = running.get((r[key], column), 0) + r[column]
        running[(r[key], column)] = total
        out.append(total)
    return pd.Series(out, dtype=object, index=df.index)


def _in_quarter_order(df: pd.DataFrame) -> pd.DataFrame:
    order = {tw: i for i, tw in enumerate(("I", "II", "III", "IV"))}
    return df.assign(_urut=df["triwulan"].map(order)).sort_values(
        ["_urut", "_baris"], kind="stable").drop(columns="_urut")


def triwulan_kinerja(ds: Dataset) -> pd.DataFrame:
    df = ds.get("triwulan_kinerja.csv")
    if df is None:
        return pd.DataFrame()
    iku = ds["iku.csv"].set_index("kode_iku")
    unit = units.by_iku(ds["iku.csv"])
    df = _in_quarter_order(df.copy())
    df["capaian"] = pd.Series([capaian(t, r, iku.loc[k, "polaritas"],
                                       iku.loc[k, "rumus_negatif"]).value for t, r, k in
                              zip(df["target"], df["realisasi"], df["kode_iku"])],
                              dtype=object, index=df.index)
    df["rumus"] = [formula_code(iku.loc[k, "polaritas"], iku.loc[k, "rumus_negatif"])
                   for k in df["kode_iku"]]
    df["indikator"] = [iku.loc[k, "indikator"] for k in df["kode_iku"]]
    judged = [indicators.on_scale(unit[k], t, r) for k, t, r in
              zip(df["kode_iku"], df["target"], df["realisasi"])]
    for column in ("rumus", "capaian", "capaian_label", "selisih_tingkat"):
        kept = df[column] if column in df else [None] * len(df)
        df[column] = pd.Series([j.get(column, v) for j, v in zip(judged, kept)], dtype=object,
                               index=df.index)
    summable = lambda r: unit[r["kode_iku"]].jenis in SUMMABLE  # noqa: E731
    for column in ("target", "realisasi"):
        df[column + "_kumulatif"] = _cumulative(df, "kode_iku", column, summable)
    return df.sort_index()


def triwulan_keuangan(ds: Dataset) -> pd.DataFrame:
    df = ds.get("triwulan_keuangan.csv")
    if df is None:
        return pd.DataFrame()
    df = _in_quarter_order(df.copy())
    df["capaian"] = pd.Series([percent(r, t) for r, t in zip(df["realisasi"], df["target"])],
                              dtype=object, index=df.index)
    for column in ("target", "realisasi"):
        df[column + "_kumulatif"] = _cumulative(df, "no_realisasi", column, lambda r: True)
    df["serapan"] = pd.Series([percent(r or 0, a) for r, a in zip(df["realisasi_kumulatif"],
                                                                 df["anggaran"])],
                              dtype=object, index=df.index)
    return df.sort_index()


def triwulan_keuangan_total(ds: Dataset) -> pd.DataFrame:
    """Sum over the reported kegiatan per triwulan: target share and realisasi share."""
    df = triwulan_keuangan(ds)
    if df.empty:
        return df
    out = []
    for tw, own in df.groupby("triwulan", sort=False):
        anggaran = _sum(own["anggaran"])
        target, realisasi = _sum(own["target_kumulatif"]), _sum(own["realisasi_kumulatif"])
        out.append({"triwulan": tw, "anggaran": anggaran, "target": target,
                    "realisasi": realisasi, "target_persen": percent(target, anggaran),
                    "realisasi_persen": percent(realisasi, anggaran),
                    "capaian": percent(realisasi, target)})
    return pd.DataFrame(out, dtype=object)


def printed_subtotals(ds: Dataset) -> pd.DataFrame:
    """Each printed program or kegiatan subtotal beside the sum of its sub-kegiatan rows."""
    printed = ds.get("subtotal_cetak.csv")
    if printed is None:
        return pd.DataFrame()
    programs = by_program(ds).set_index("kode_program")
    kegiatan = {(r["kode_program"], r["kegiatan"]): r for r in by_kegiatan(ds).to_dict("records")}
    out = []
    for p in printed.to_dict("records"):
        if p["kode_program"] is None:  # the Jumlah line of every program
            mine = total(ds)
        elif p["kegiatan"] is None:
            mine = programs.loc[p["kode_program"]].to_dict()
        else:
            mine = kegiatan.get((p["kode_program"], p["kegiatan"]),
                                {"anggaran": None, "realisasi": None, "persentase": None})
        out.append({**p, "anggaran_hitung": mine["anggaran"],
                    "realisasi_hitung": mine["realisasi"],
                    "persentase": mine["persentase"]})
    return pd.DataFrame(out, dtype=object)
