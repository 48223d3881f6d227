"""Stage 2 outputs: the computed tables, written as CSV for auditors and read back typed."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pandas as pd

from . import budget, indicators
from .clean import Dataset, restore, write_frame

FOLDER = "indikator"
_INT = re.compile(r"^-?\d+$")
_DEC = re.compile(r"^-?\d+\.\d+(E[+-]?\d+)?$|^-?\d+E[+-]?\d+$")


def compute(ds: Dataset) -> dict[str, pd.DataFrame]:
    """Every computed table, keyed by its file name."""
    series = indicators.kinerja_series(ds)
    summary = indicators.year_summary(ds, series)
    tables = {
        "kinerja_seri.csv": series,
        "ringkasan_iku.csv": summary,
        "target_renstra.csv": indicators.renstra_targets(ds),
        "anggaran_sub_kegiatan.csv": budget.sub_kegiatan(ds),
        "anggaran_kegiatan.csv": budget.by_kegiatan(ds),
        "anggaran_program.csv": budget.by_program(ds),
        "anggaran_sasaran.csv": budget.by_sasaran(ds),
        "anggaran_total.csv": pd.DataFrame([budget.total(ds)], dtype=object),
        "efisiensi.csv": budget.efficiency(ds, summary),
        "triwulan_kinerja.csv": budget.triwulan_kinerja(ds),
        "triwulan_keuangan.csv": budget.triwulan_keuangan(ds),
        "triwulan_keuangan_total.csv": budget.triwulan_keuangan_total(ds),
    }
    if "desa_mandiri.csv" in ds.frames and "jumlah_desa.csv" in ds.frames:
        tables["desa_mandiri_seri.csv"] = indicators.desa_mandiri_series(ds)
    if "rincian_pembilang.csv" in ds.frames:
        tables["rincian_pembilang.csv"] = indicators.breakdown(ds)
        tables["rincian_total.csv"] = indicators.breakdown_totals(ds)
    return tables


def write(tables: dict[str, pd.DataFrame], processed: Path) -> list[Path]:
    paths = []
    for name, df in tables.items():
        write_frame(df, processed / FOLDER / name)
        paths.append(processed / FOLDER / name)
    return paths


def _typed(text: str):
    if text == "":
        return None
    if text in ("True", "False"):
        return text == "True"
    if _INT.match(text):
        return int(text)
    if _DEC.match(text):
        return Decimal(text)
    return text


def read(processed: Path) -> dict[str, pd.DataFrame]:
    tables = {}
    for path in sorted((processed / FOLDER).glob("*.csv")):
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
        for column in df.columns:
            keep_text = column.endswith("_teks") or column in ("kode_pos", "triwulan")
            df[column] = pd.Series([(restore(v) or None) if keep_text else _typed(restore(v))
                                    for v in df[column]], dtype=object, index=df.index)
        tables[path.name] = df
    return tables
