"""The words that change with the level of government: Bupati or Gubernur, APBD or APBN.

Defaults per tingkat come from defaults/tingkat.csv (data, not code); any of them can be set
in instansi.csv. No template spells one of these words.

A level may also go without some signer cells (kolom_boleh_kosong): a Bupati reporting for
the Pemerintah Kabupaten as a whole has no NIP and no pangkat, and the government's own
Perjanjian Kinerja may have no Pihak Kedua. A level whose sebutan_instansi is blank is a
government reporting as a whole: it is never called a part of itself.
"""

from __future__ import annotations

import csv
from functools import cache

from .. import config

DEFAULTS = config.DEFAULTS / "tingkat.csv"
DEFAULT_LEVEL = "kabupaten"
WORDS = ("sebutan_wilayah", "kepala_daerah", "sumber_anggaran", "sebutan_instansi",
         "pembanding", "rencana_jangka_menengah", "sebutan_sub_kegiatan", "penerima_laporan")
BLANK_ALLOWED = "kolom_boleh_kosong"  # the tingkat.csv column listing cells a level lacks
LIST_SEPARATOR = ";"
PROVINCE = "Provinsi"  # the sebutan_wilayah of a province, which is in no other province


@cache
def _defaults() -> dict[str, dict[str, str]]:
    with open(DEFAULTS, encoding="utf-8", newline="") as handle:
        return {row["tingkat"]: row for row in csv.DictReader(handle)}


def levels() -> tuple[str, ...]:
    """Every tingkat the shipped table declares, in its order."""
    return tuple(_defaults())


def blank_allowed(tingkat: str | None) -> frozenset[str]:
    """The required instansi.csv cells this level may leave blank (none for an unknown one:
    the unknown tingkat is reported by itself)."""
    row = _defaults().get((tingkat or "").strip() or DEFAULT_LEVEL)
    if row is None:
        return frozenset()
    return frozenset(c.strip() for c in (row[BLANK_ALLOWED] or "").split(LIST_SEPARATOR)
                     if c.strip())


def levels_without(column: str) -> tuple[str, ...]:
    """The levels that may leave `column` blank, for the data dictionary."""
    return tuple(t for t in levels() if column in blank_allowed(t))


def words(inst: dict) -> dict[str, str]:
    """Every level word for this agency: its own instansi.csv value, else its level's default."""
    level = inst.get("tingkat") or DEFAULT_LEVEL
    out = {k: v for k, v in _defaults()[level].items() if k != BLANK_ALLOWED}
    out.update({w: inst[w] for w in WORDS if inst.get(w)})
    # to whom the report accounts: the head of the government, unless the level names others
    out["penerima_laporan"] = out["penerima_laporan"] or out["kepala_daerah"]
    out["wilayah"] = inst.get("wilayah") or inst.get("kabupaten") or ""
    out["lokasi"] = location(out, inst.get("provinsi"))
    out["nama_dan_kedudukan"] = standing(inst, out["sebutan_instansi"])
    return out


def names(inst: dict) -> list[str]:
    """The agency's name, then its government's; the government once when the agency is the
    government itself (a Pemerintah Kabupaten's own report)."""
    out: list[str] = []
    for name in (inst.get("nama_instansi"), inst.get("pemerintah")):
        if name and all(_plain(name) != _plain(o) for o in out):
            out.append(name)
    return out


def standing(inst: dict, sebutan_instansi: str) -> str:
    """`Dinas X, Perangkat Daerah pada Pemerintah Kabupaten Y`; a government reporting as a
    whole is only its own name."""
    own = names(inst)
    if len(own) < 2 or not sebutan_instansi:
        return own[0] if own else ""
    return f"{own[0]}, {sebutan_instansi} pada {own[1]}"


def _plain(name: str) -> str:
    return " ".join(name.split()).casefold()


def location(w: dict, provinsi: str | None) -> str:
    """`Kabupaten Hulu Sungai, Provinsi Tengah`; `Provinsi X`; empty for a ministry."""
    parts = []
    if w["wilayah"]:
        parts.append(f"{w['sebutan_wilayah']} {w['wilayah']}".strip())
    if provinsi and w["sebutan_wilayah"] != PROVINCE:
        parts.append(f"{PROVINCE} {provinsi}")
    return ", ".join(parts)
