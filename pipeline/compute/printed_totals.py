"""Printed averages and Jumlah rows, typed as printed and checked like every printed figure.

An agency prints figures derived from the whole table: "Rata-rata Capaian Kinerja 85,38",
the capaian of a sasaran, the Jumlah line of the budget table. They are typed as printed in
ringkasan_cetak.csv (averages, one row per figure) and subtotal_cetak.csv (Jumlah rows; the
row with kode_program and kegiatan blank is the Jumlah of every program), recomputed here
from the year's capaian, and compared at the printed number of decimals.

Which averages exist is declared once (SUMMARIES): their name in the data, what they average,
and how the report names them; nothing else in the code lists them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from ..read.numbers import printed_decimals, round_half_up
from ..read.schema import SASARAN_FIGURES, SUMMARY_FIGURES
from . import qualitative

FILE = "ringkasan_cetak.csv"


@dataclass(frozen=True)
class Summary:
    """One kind of printed average. parts: the capaian it averages, as (ledger key, value)
    pairs, from the report year and the computed tables; per_sasaran: the row names its
    sasaran."""

    name: str
    label: str
    rule: str
    parts: Callable[[int, dict[str, pd.DataFrame], str | None], list[tuple[str, object]]]
    per_sasaran: bool = False


def _iku_capaian(year: int, res, _code) -> list[tuple[str, object]]:
    """Every IKU's capaian but those judged on a scale of labels, which have no number to
    average (qualitative.py): left out by rule, not counted as a capaian not set."""
    return [(f"kinerja_seri:kode_iku={r['kode_iku']};tahun={year}:capaian", r["capaian"])
            for r in res["ringkasan_iku.csv"].to_dict("records")
            if r.get("rumus") != qualitative.SKALA]


def _sasaran_capaian(_year: int, res, code) -> list[tuple[str, object]]:
    """One sasaran's capaian, or every sasaran's for an average: then a sasaran measured by
    labels only (capaian_label) is left out like its IKU."""
    rows = res["capaian_sasaran.csv"].to_dict("records")
    return [(f"capaian_sasaran:kode_sasaran={r['kode_sasaran']}:capaian", r["capaian"])
            for r in rows if r["kode_sasaran"] == code
            or code is None and r.get("capaian_label") is None]


SUMMARIES = {s.name: s for s in (
    Summary("rata_rata_capaian", "Rata-rata capaian kinerja IKU",
            "rata-rata capaian IKU tahun laporan yang dapat dihitung", _iku_capaian),
    Summary("rata_rata_capaian_sasaran", "Rata-rata capaian sasaran",
            "rata-rata capaian sasaran yang dapat dihitung", _sasaran_capaian),
    Summary("capaian_sasaran", "Capaian sasaran {kode_sasaran}",
            "capaian sasaran menurut aturan capaian_sasaran (instansi.csv)", _sasaran_capaian,
            per_sasaran=True),
)}
assert tuple(SUMMARIES) == SUMMARY_FIGURES  # the data dictionary's choices, the same names
assert SASARAN_FIGURES == tuple(n for n, s in SUMMARIES.items() if s.per_sasaran)


def recompute(ds, done: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Each printed average beside its recomputation from the unrounded capaian: a figure
    that cannot be computed (a capaian not set) is left out of an average and counted."""
    rows = []
    for p in ds[FILE].to_dict("records"):
        summary = SUMMARIES[p["angka"]]
        parts = summary.parts(ds.year, done, p["kode_sasaran"])
        known = [(key, value) for key, value in parts if value is not None]
        value = sum(v for _, v in known) / len(known) if known else None
        rows.append({
            "angka": p["angka"], "kode_sasaran": p["kode_sasaran"], "_baris": p["_baris"],
            "label": summary.label.format(kode_sasaran=p["kode_sasaran"] or ""),
            "tempat": p["tempat"], "nilai": value, "nilai_cetak": p["nilai_cetak"],
            "nilai_cetak_teks": p["nilai_cetak_teks"], "jumlah": len(known),
            "tanpa_capaian": len(parts) - len(known),
            "rumus": summary.rule + (f" ({len(known)} dari {len(parts)})"
                                     if len(known) != len(parts) else ""),
            "masukan": "; ".join(key for key, _ in known) or FILE})
    return pd.DataFrame(rows, dtype=object)


def severity(printed: Decimal, text: str | None, recomputed) -> str | None:
    """None when the printed average equals the recomputed one at the printed decimals;
    "rounding" when it is one unit of the last printed decimal away (85,38 printed, 85,39
    recomputed: an average of rounded capaian, or rounding down); "wrong" otherwise."""
    places = printed_decimals(text) or 0
    shown = round_half_up(Decimal(recomputed), places)
    if shown == Decimal(printed):
        return None
    return "rounding" if abs(shown - Decimal(printed)) <= Decimal(1).scaleb(-places) \
        else "wrong"
