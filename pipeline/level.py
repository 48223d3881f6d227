"""The words that change with the level of government: Bupati or Gubernur, APBD or APBN.

Defaults per tingkat come from defaults/tingkat.csv (data, not code); any of them can be set
in instansi.csv. No template spells one of these words.
"""

from __future__ import annotations

import csv
from pathlib import Path

DEFAULTS = Path(__file__).parent / "defaults" / "tingkat.csv"
DEFAULT_LEVEL = "kabupaten"
WORDS = ("sebutan_wilayah", "kepala_daerah", "sumber_anggaran", "sebutan_instansi",
         "pembanding", "rencana_jangka_menengah", "sebutan_sub_kegiatan")


def _defaults() -> dict[str, dict[str, str]]:
    with open(DEFAULTS, encoding="utf-8", newline="") as handle:
        return {row["tingkat"]: row for row in csv.DictReader(handle)}


def words(inst: dict) -> dict[str, str]:
    """Every level word for this agency: its own instansi.csv value, else its level's default."""
    level = inst.get("tingkat") or DEFAULT_LEVEL
    out = dict(_defaults()[level])
    out.update({w: inst[w] for w in WORDS if inst.get(w)})
    out["wilayah"] = inst.get("wilayah") or inst.get("kabupaten") or ""
    out["lokasi"] = location(out, inst.get("provinsi"))
    return out


def location(w: dict, provinsi: str | None) -> str:
    """`Kabupaten Hulu Sungai, Provinsi Tengah`; `Provinsi X`; empty for a ministry."""
    parts = []
    if w["wilayah"]:
        parts.append(f"{w['sebutan_wilayah']} {w['wilayah']}".strip())
    if provinsi and w["tingkat"] != "provinsi":
        parts.append(f"Provinsi {provinsi}")
    return ", ".join(parts)
