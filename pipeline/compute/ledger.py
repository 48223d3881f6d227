"""The ledger: every number the report prints, where it comes from and how it is computed.

One row per figure: a stable key (table:row:column), a label, the exact value, the unit, the
formula, and its inputs as file and row key. `ledger.csv` is written beside the report; the
HTML shows the formula and sources of the main figures as a tooltip.
"""

from __future__ import annotations

import html as htmllib
import re
from dataclasses import asdict, dataclass
from decimal import Decimal
from pathlib import Path

import pandas as pd

from ..read import formatting as fmt
from ..read import units
from ..read.clean import Dataset, restore, write_frame
from . import computed

NAME = "ledger.csv"
# the figures findings quote: keyed by the finding's number, which a new finding shifts
FINDINGS_PREFIX = "temuan"


@dataclass(frozen=True)
class Entry:
    key: str
    label: str
    value: str
    unit: str
    formula: str
    inputs: str

    @property
    def number(self) -> Decimal:
        return Decimal(self.value)


def _k(**parts) -> str:
    return ";".join(f"{k}={v}" for k, v in parts.items())


def _src(file: str, row) -> str:
    line = row.get("_baris") if hasattr(row, "get") else None
    return f"{file} baris {line}" if line is not None else file


class Builder:
    """tables: the declarations whose figures the document prints (computed.TABLES for the
    annual report; a quarterly report prints a few of them and one of its own)."""

    def __init__(self, ds: Dataset, res: dict[str, pd.DataFrame],
                 tables: tuple[computed.Computed, ...] = computed.TABLES):
        self.ds, self.res, self.tables = ds, res, tables
        self.entries: dict[str, Entry] = {}
        self.iku = ds["iku.csv"].set_index("kode_iku")
        self.units = units.by_iku(ds["iku.csv"])

    def add(self, key, label, value, unit, formula, inputs):
        if value is None or (isinstance(value, float) and pd.isna(value)):
            return
        self.entries[key] = Entry(key, label, str(value), unit, formula, inputs)

    def rows(self, name):
        df = self.res.get(name)
        return [] if df is None or df.empty else df.to_dict("records")

    def unit(self, figure: computed.Figure, row: dict) -> str:
        """The unit word of a figure, the row's IKU deciding for iku-relative units."""
        code = row.get("kode_iku")
        if figure.unit == "iku":
            return self.units[code].ledger_unit
        if figure.unit == "iku-beda":
            return self.units[code].change_word
        if figure.unit == "pembilang":
            return self.iku.loc[code, "satuan_pembilang"] or ""
        return figure.unit

    def declared(self):
        """Every figure of every computed table, as its declaration describes it."""
        for table in self.tables:
            for row in self.rows(table.file):
                for figure in table.figures:
                    self.add(table.ledger_key(row, figure.column),
                             computed.text(figure.label, row, self.ds), row[figure.column],
                             self.unit(figure, row), computed.text(figure.formula, row, self.ds),
                             computed.text(figure.inputs, row, self.ds))

    def inputs(self):
        """Raw figures the report prints as they are (PK budgets, IDM thresholds)."""
        for r in self.ds["pk_program.csv"].to_dict("records"):
            self.add(f"pk_program:{_k(kode_program=r['kode_program'])}:anggaran",
                     f"Anggaran PK {r['program']}", r["anggaran"], "Rp", "masukan",
                     _src("pk_program.csv", r))
        for r in self.ds["iku.csv"].to_dict("records"):
            # a figure inside a unit (`per 1.000 KH`) is printed with every value of the IKU
            for n, figure in enumerate(FIGURE.findall(r["satuan"] or ""), 1):
                self.add(f"satuan:{_k(kode_iku=r['kode_iku'])}:{n}",
                         f"Bilangan pada satuan {r['satuan']}", _number(figure), "",
                         "bagian dari satuan IKU", _src("iku.csv", r))
        idm = self.ds.get("idm_status.csv")
        for r in ([] if idm is None else idm.to_dict("records")):
            for col in ("batas_bawah", "batas_atas"):
                self.add(f"idm:{_k(status=r['status'])}:{col}", f"IDM {r['status']} {col}",
                         r[col], "indeks", "masukan", _src("idm_status.csv", r))

    def printed(self, found):
        """Printed figures the report quotes: findings and corrections."""
        for n, f in enumerate(found, 1):
            for col, text, formula in (("tercetak", f.printed, "seperti tercetak"),
                                       ("seharusnya", f.expected,
                                        "hasil hitung ulang atau nilai yang diharapkan")):
                value = _number(text)
                if value is not None:
                    self.add(f"{FINDINGS_PREFIX}:{n}:{col}", f"Temuan {n} ({f.check}) {col}",
                             value, "", formula, f"{f.file} {f.key} kolom {f.field}")
        for c in self.ds.corrections:
            for col in ("nilai_cetak", "nilai_koreksi"):
                value = _number(c[col])
                if value is not None:
                    self.add(f"koreksi:{c['file']}:{c['kunci']}:{c['kolom']}:{col}",
                             f"Koreksi {c['file']} {c['kunci']} {col}", value, "",
                             "seperti tercetak" if col == "nilai_cetak" else "koreksi analis",
                             f"koreksi.csv; {c['file']} baris {c['baris_data']}")
        self.add("konstanta:100", "Jumlah porsi", 100, "%", "konstanta", "-")

    def build(self, found=()) -> list[Entry]:
        self.declared()
        self.inputs()
        self.printed(found)
        return list(self.entries.values())


def _number(text: str | None):
    """A printed figure as a number, whatever its format; None for text."""
    from ..read.numbers import NumberFormatError, parse_decimal, parse_percent, parse_rupiah

    text = (text or "").strip().lstrip("≤ ").replace("−", "-")
    for parse in (parse_rupiah, parse_percent, parse_decimal):
        try:
            value = parse(text)
        except (NumberFormatError, ValueError):
            continue
        if value is not None:
            return value
    return None


def build(ds: Dataset, res: dict[str, pd.DataFrame], found=()) -> list[Entry]:
    return Builder(ds, res).build(found)


COLUMNS = ["key", "label", "value", "unit", "formula", "inputs"]


def write(entries: list[Entry], path: Path) -> Path:
    write_frame(pd.DataFrame([asdict(e) for e in entries], columns=COLUMNS, dtype=object), path)
    return path


def read(path: Path) -> dict[str, Entry]:
    df = pd.read_csv(path, dtype=str, keep_default_na=False).map(restore)
    return {r["key"]: Entry(**r) for r in df.to_dict("records")}


def display_forms(entries) -> set[str]:
    """How the report may print each figure: Indonesian format, unsigned, with or without %."""
    forms = set()
    for e in entries:
        value = abs(Decimal(e.value))
        if value == value.to_integral_value() and e.unit not in ("%", "poin"):
            forms.add(fmt.number(value))
        for places in (2, 4, 1, 0):
            forms.add(fmt.number(value, places))
    return forms


# A figure as the report prints it: 3.385.637.000 / 22,05 / 186% (plain integers such as
# years, row numbers and counts are labels, not figures, and are not matched).
FIGURE = re.compile(r"(?:(?<=Rp)|(?<![\w.,]))"
                    r"(?:\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+,\d+|\d+(?=%))(?![.,]?\d)")


def figures_in(html: str) -> list[str]:
    """Figures in the visible text of the report, analysts' narrative left out."""
    html = re.sub(r"<(style|script)[^>]*>.*?</\1>", "", html, flags=re.S)
    html = re.sub(r'<div class="narasi">.*?</div>', "", html, flags=re.S)
    html = re.sub(r'\s(title|src|href|content|id)="[^"]*"', "", html)
    return FIGURE.findall(htmllib.unescape(re.sub(r"<[^>]+>", " ", html)))


def unledgered(html: str, entries) -> list[str]:
    """Figures printed in the report that no ledger entry accounts for."""
    forms = display_forms(entries)
    return sorted({f for f in figures_in(html) if f not in forms})
