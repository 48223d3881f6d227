"""Stage 2, anggaran: absorption at every level, efficiency per sasaran, triwulan progress."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from .clean import Dataset
from .indicators import HUNDRED, capaian


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
    return pd.DataFrame(out).sort_values("urutan").astype(object).reset_index(drop=True)


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


def efficiency(ds: Dataset, summary: pd.DataFrame) -> pd.DataFrame:
    """capaian kinerja - capaian anggaran, in percentage points; >= 0 reads as efficient."""
    sasaran = by_sasaran(ds).set_index("kode_sasaran")
    printed = ds.get("efisiensi_cetak.csv")
    out = []
    for r in summary.itertuples():
        budget = sasaran.loc[r.kode_sasaran]
        value = None
        if r.capaian is not None and budget["persentase"] is not None:
            value = r.capaian - budget["persentase"]
        row = {"kode_sasaran": r.kode_sasaran, "kode_iku": r.kode_iku,
               "indikator": r.indikator, "target": r.target_pk, "realisasi": r.realisasi,
               "capaian_kinerja": r.capaian, "anggaran": budget["anggaran"],
               "realisasi_anggaran": budget["realisasi"],
               "capaian_anggaran": budget["persentase"], "efisiensi": value,
               "efisien": None if value is None else value >= 0}
        if printed is not None:
            hit = printed[printed["kode_sasaran"] == r.kode_sasaran]
            if not hit.empty:
                p = hit.iloc[0]
                for col in ("capaian_kinerja_cetak", "anggaran", "realisasi_anggaran",
                            "capaian_anggaran_cetak", "efisiensi_cetak"):
                    key = col if col.endswith("_cetak") else col + "_cetak"
                    row[key] = p[col]
                    row[key + "_teks"] = p[col + "_teks"]
        out.append(row)
    return pd.DataFrame(out, dtype=object)


def triwulan_kinerja(ds: Dataset) -> pd.DataFrame:
    df = ds.get("triwulan_kinerja.csv")
    if df is None:
        return pd.DataFrame()
    polarity = ds["iku.csv"].set_index("kode_iku")["polaritas"]
    df = df.copy()
    df["capaian"] = pd.Series([capaian(t, r, polarity[k]).value for t, r, k in
                               zip(df["target"], df["realisasi"], df["kode_iku"])],
                              dtype=object, index=df.index)
    return df


def triwulan_keuangan(ds: Dataset) -> pd.DataFrame:
    df = ds.get("triwulan_keuangan.csv")
    if df is None:
        return pd.DataFrame()
    df = df.copy()
    df["capaian"] = pd.Series([percent(r, t) for r, t in zip(df["realisasi"], df["target"])],
                              dtype=object, index=df.index)
    df["serapan"] = pd.Series([percent(r or 0, a) for r, a in zip(df["realisasi"],
                                                                 df["anggaran"])],
                              dtype=object, index=df.index)
    return df


def triwulan_keuangan_total(ds: Dataset) -> pd.DataFrame:
    """Sum over the reported kegiatan per triwulan: target share and realisasi share."""
    df = triwulan_keuangan(ds)
    if df.empty:
        return df
    out = []
    for tw, own in df.groupby("triwulan", sort=False):
        anggaran = _sum(own["anggaran"])
        target, realisasi = _sum(own["target"]), _sum(own["realisasi"])
        out.append({"triwulan": tw, "anggaran": anggaran, "target": target,
                    "realisasi": realisasi, "target_persen": percent(target, anggaran),
                    "realisasi_persen": percent(realisasi, anggaran),
                    "capaian": percent(realisasi, target)})
    return pd.DataFrame(out, dtype=object)
