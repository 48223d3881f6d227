"""What a column or a row of a received table is, from its words: a registry of patterns.

defaults/peran_dokumen.csv declares, in order, a pattern (a regular expression matched
against the label in lower case) and the role it gives: `kolom` rows for column headers
(Target, Realisasi, Capaian, %, Pagu/Anggaran, Sisa, Jumlah, Rata-rata, Tahun, Triwulan,
Keterangan, No, Indikator, Satuan, …), `baris` rows for row labels (Jumlah, Total, Rata-rata,
sub-totals). The first pattern that matches wins. A column's lowest header cell is matched
first (`Kinerja / Target` is a target), its group's cells after (`Target kinerja … / (5)`).
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from ... import config
from ...errors import Defect, InputError

REGISTRY = config.DEFAULTS / "peran_dokumen.csv"
KINDS = ("kolom", "baris")
_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")
_QUARTER = re.compile(r"\b(?:triwulan|tw)\s*-?\s*(iv|iii|ii|i|[1-4])\b", re.IGNORECASE)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_RUPIAH = re.compile(r"\brp\b\.?", re.IGNORECASE)


@dataclass(frozen=True)
class Rule:
    kind: str
    pattern: re.Pattern
    role: str


@dataclass(frozen=True)
class ColumnRole:
    """A column's role and what its label says beside it."""

    role: str  # "" when no pattern matches
    group: str = ""  # the header cell over it (`Kinerja`, `Anggaran`, `Capaian Triwulan III`)
    unit: str = ""  # "%" or "Rp" when the label says so
    year: int | None = None
    quarter: int | None = None


@functools.lru_cache(maxsize=4)
def registry(path: Path = REGISTRY) -> tuple[Rule, ...]:
    """The rules, in file order; a bad line is named with what was expected."""
    rules, defects = [], []
    with open(path, encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            kind, pattern, role = (row.get(k, "") or "" for k in ("jenis", "pola", "peran"))
            if kind not in KINDS:
                defects.append(Defect(path.name, "jenis tidak dikenal", line, "jenis", kind,
                                      " atau ".join(KINDS)))
                continue
            if not role:
                defects.append(Defect(path.name, "peran kosong", line, "peran", role,
                                      "nama peran"))
                continue
            compiled = pattern_of(path, line, pattern, defects)
            if compiled is not None:
                rules.append(Rule(kind, compiled, role))
    if defects:
        raise InputError(defects)
    return tuple(rules)


def pattern_of(path: Path, line: int, pattern: str, defects: list) -> re.Pattern | None:
    """A registry line's pattern (a regular expression, any case), or None with the defect
    added: the registries of words (this one, check/document/polarity.py) share it."""
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        defects.append(Defect(path.name, f"pola tidak sah ({exc})", line, "pola", pattern,
                              "ekspresi reguler Python"))
        return None


def _normal(text: str) -> str:
    return " ".join(text.lower().split())


def _match(text: str, kind: str, rules) -> str:
    for rule in rules:
        if rule.kind == kind and rule.pattern.search(_normal(text)):
            return rule.role
    return ""


def column_role(parts: list[str], rules=None) -> ColumnRole:
    """A column's role from its header texts, top to bottom."""
    rules = rules if rules is not None else registry()
    parts = [p for p in parts if p.strip()]
    role = ""
    for text in reversed(parts):
        role = _match(text, "kolom", rules)
        if role:
            break
    label = " ".join(parts)
    year = _YEAR.search(label)
    found = _QUARTER.search(label)
    quarter = found.group(1).lower() if found else ""
    unit = "%" if "%" in label or "persen" in label.lower() else (
        "Rp" if _RUPIAH.search(label) else "")
    return ColumnRole(role, parts[0] if len(parts) > 1 else "", unit,
                      int(year.group(1)) if year else None,
                      _ROMAN.get(quarter) or (int(quarter) if quarter.isdigit() else None))


def row_role(label: str, rules=None) -> str:
    """A row's role from its label (`Jumlah`, `Total …`, `Rata-rata`, `Sub Total`); ""."""
    return _match(label, "baris", rules if rules is not None else registry())
