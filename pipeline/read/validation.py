"""Checks across rows and files: unique keys, references, and rules that tie tables together."""

from __future__ import annotations

import pandas as pd

from ..errors import DefectCollector
from .schema import SASARAN_FIGURES, SUMMARY_FIGURES, TABLES


def _fmt_key(row, key) -> str:
    return ", ".join(f"{k}={row[k]}" for k in key)


def check_keys(frames: dict[str, pd.DataFrame], out: DefectCollector) -> None:
    for table in TABLES:
        df = frames.get(table.file)
        if df is None or not table.key or df.empty:
            continue
        dup = df[df.duplicated(list(table.key), keep="first")]
        for _, row in dup.iterrows():
            first = df[(df[list(table.key)] == row[list(table.key)]).all(axis=1)].iloc[0]
            out.add(table.file, "kunci ganda (duplicate key)", line=int(row["_baris"]),
                    column="+".join(table.key), value=_fmt_key(row, table.key),
                    expected=f"kunci unik; sudah dipakai di baris {int(first['_baris'])}")


def check_references(frames: dict[str, pd.DataFrame], out: DefectCollector) -> None:
    for table in TABLES:
        df = frames.get(table.file)
        if df is None:
            continue
        for column, other_file, other_column in table.refs:
            other = frames.get(other_file)
            if other is None or other.empty:
                continue  # the missing or empty table is reported already
            known = set(other[other_column].dropna())
            for _, row in df.iterrows():
                value = row[column]
                if value is not None and not pd.isna(value) and value not in known:
                    out.add(table.file, f"rujukan ke {other_file} tidak dikenal",
                            line=int(row["_baris"]), column=column, value=str(value),
                            expected=f"salah satu {other_column}: "
                            f"{', '.join(map(str, sorted(known)))}")


def check_coverage(frames: dict[str, pd.DataFrame], year: int, out: DefectCollector) -> None:
    """Every IKU has a PK target for the report year and a series row for it."""
    iku = frames.get("iku.csv")
    if iku is None:
        return
    for name, file in (("target PK", "target_pk.csv"), ("deret kinerja",
                                                          "kinerja_tahunan.csv")):
        df = frames.get(file)
        if df is None:
            continue
        have = set(df.loc[df["tahun"] == year, "kode_iku"])
        for code in iku["kode_iku"]:
            if code not in have:
                out.add(file, f"{name} tahun {year} untuk {code} tidak ada", column="kode_iku",
                        value=code, expected=f"satu baris {code} tahun {year}")


def check_list_sources(frames: dict[str, pd.DataFrame], out: DefectCollector) -> None:
    """An IKU computed from the desa mandiri list needs that list and the number of desa."""
    iku = frames.get("iku.csv")
    if iku is None:
        return
    for _, row in iku[iku["realisasi_dari"].notna()].iterrows():
        for needed in ("desa_mandiri.csv", "jumlah_desa.csv"):
            if needed not in frames:
                out.add(needed, f"file diperlukan oleh {row['kode_iku']} (realisasi_dari)",
                        expected=f"file {needed} di folder data")


FAR_ABOVE = 2  # realisasi more than twice its anggaran is a typing error, not overspending


def check_amounts(frames: dict[str, pd.DataFrame], year: int, out: DefectCollector) -> None:
    """Figures that cannot be right: a zero PK target, realisasi far above its anggaran."""
    pk = frames.get("target_pk.csv")
    if pk is not None:
        for _, row in pk[(pk["tahun"] == year) & (pk["target"] == 0)].iterrows():
            out.add("target_pk.csv", "target Perjanjian Kinerja bernilai nol (capaian tidak "
                    "dapat dihitung)", line=int(row["_baris"]), column="target",
                    value=str(row["target"]), expected="target lebih dari 0")
    for file in ("realisasi_anggaran.csv", "triwulan_keuangan.csv"):
        df = frames.get(file)
        if df is None:
            continue
        for _, row in df.iterrows():
            a, r = row["anggaran"], row["realisasi"]
            if a is not None and r is not None and a > 0 and r > FAR_ABOVE * a:
                out.add(file, "realisasi jauh di atas anggaran (lebih dari dua kali lipat)",
                        line=int(row["_baris"]), column="realisasi", value=f"{r:,}".replace(
                            ",", "."), expected=f"paling banyak anggaran {a:,}".replace(",", "."))


def check_iku_of_sasaran(frames: dict[str, pd.DataFrame], out: DefectCollector) -> None:
    """A printed efficiency row sets an IKU against its own sasaran's budget, no other."""
    iku, printed = frames.get("iku.csv"), frames.get("efisiensi_cetak.csv")
    if iku is None or printed is None:
        return
    sasaran = frames.get("sasaran.csv")
    sasaran_codes = set() if sasaran is None else set(sasaran["kode_sasaran"])
    owner = {k: s for k, s in zip(iku["kode_iku"], iku["kode_sasaran"]) if s in sasaran_codes}
    for _, row in printed.iterrows():
        sasaran = owner.get(row["kode_iku"])  # an unknown sasaran is reported as a reference
        if sasaran is not None and sasaran != row["kode_sasaran"]:
            own = ", ".join(k for k, s in owner.items() if s == row["kode_sasaran"])
            out.add("efisiensi_cetak.csv", f"IKU {row['kode_iku']} bukan IKU sasaran "
                    f"{row['kode_sasaran']}", line=int(row["_baris"]), column="kode_iku",
                    value=row["kode_iku"],
                    expected=f"IKU sasaran {row['kode_sasaran']} menurut iku.csv: {own}")


def validate(frames: dict[str, pd.DataFrame], year: int, out: DefectCollector) -> None:
    check_keys(frames, out)
    check_iku_of_sasaran(frames, out)
    check_references(frames, out)
    check_coverage(frames, year, out)
    check_list_sources(frames, out)
    check_amounts(frames, year, out)
    printed_summary_rows(frames, out)


SUMMARY_FILE = "ringkasan_cetak.csv"


def printed_summary_rows(frames: dict[str, pd.DataFrame], out: DefectCollector) -> None:
    """A capaian sasaran names its sasaran, an average does not; a Jumlah row of every
    program names no kegiatan."""
    printed = frames.get(SUMMARY_FILE)
    for _, row in ([] if printed is None else printed.iterrows()):
        wanted = row["angka"] in SASARAN_FIGURES if row["angka"] in SUMMARY_FIGURES else None
        if wanted is not None and wanted != (row["kode_sasaran"] is not None):
            out.add(SUMMARY_FILE, f"kode_sasaran {'kosong' if wanted else 'terisi'} untuk angka "
                    f"{row['angka']}", line=int(row["_baris"]), column="kode_sasaran",
                    value=row["kode_sasaran"], expected="kode sasaran yang capaiannya "
                    "tercetak" if wanted else "sel kosong, karena angka ini bukan milik satu "
                    "sasaran")
    subtotals = frames.get("subtotal_cetak.csv")
    for _, row in ([] if subtotals is None else subtotals.iterrows()):
        if row["kode_program"] is None and row["kegiatan"] is not None:
            out.add("subtotal_cetak.csv", "kegiatan tanpa kode_program",
                    line=int(row["_baris"]), column="kode_program",
                    expected="kode program kegiatan itu; kode_program dan kegiatan keduanya "
                    "kosong hanya untuk baris Jumlah seluruh program")
