"""A received table's rows as the rows the declared rules read (check/rules.py), with their
figures as printed and as recomputed, by the compute stage's own functions, from the table's
own cells.

In a row: a printed capaian or % against the realisasi and the target or pagu it is worked
out from (CAPAIAN-TERCETAK, CAPAIAN-TRIWULAN, PERSENTASE-REALISASI), the efficiency table
(EFISIENSI-TERCETAK), a sisa (SISA-ANGGARAN), a keterangan against its capaian
(KETERANGAN-TERCETAK), a Jumlah or Rata-rata column against the quarters or years beside it.
In a column: a Jumlah, Total or sub-total row against the rows above it (SUBTOTAL-TERCETAK,
TOTAL-RINCIAN), a Rata-rata row (RATA-RATA-TERCETAK).

Which column a figure is worked out from is read from the header: the column of the same
group (`Kinerja`, `Anggaran`, `Capaian Triwulan I`, a year), else the nearest one to its left.
A cell a rule needs that holds no one clear figure is said (ANGKA-TIDAK-DIPAHAMI), never
guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal

from ...compute import indicators
from ...compute.budget import percent
from ...read import formatting as fmt
from ...read.document import roles as column_roles
from ...read.document.figures import AMBIGUOUS, BLANK, NIL, READ, TEXT, is_year
from ...read.document.figures import Figure as Cell
from ...read.document.roles import ColumnRole
from ...read.document.understand import Reading, TableReading
from ...read.numbers import printed_decimals, round_half_up
from .. import rules, rules_printed, rules_tables
from ..severity import WARNING
from . import polarity, tables
from .result import FAILS, HOLDS, NOT_UNDERSTOOD, CellMark, DocumentFinding, Where

CAPAIAN, CAPAIAN_TW, PERSENTASE, EFISIENSI = (
    "CAPAIAN-TERCETAK", "CAPAIAN-TRIWULAN", "PERSENTASE-REALISASI", "EFISIENSI-TERCETAK")
SUBTOTAL, TOTAL = "SUBTOTAL-TERCETAK", "TOTAL-RINCIAN"
SISA, RATA, KETERANGAN, UNCLEAR = (
    "SISA-ANGGARAN", "RATA-RATA-TERCETAK", "KETERANGAN-TERCETAK", "ANGKA-TIDAK-DIPAHAMI")
KIND = {**{check: kind for check, (kind, _) in rules_printed.DERIVED.items()},
        KETERANGAN: "capaian_tahunan", SISA: rules_tables.SISA, RATA: rules_tables.RATA_RATA,
        UNCLEAR: rules_tables.NOT_UNDERSTOOD}

DERIVED_ROLES = ("capaian", "persen")  # a figure worked out from others in its row
NOT_SUMMED = frozenset({"no", "tahun", "capaian", "persen", "rata_rata", "efisiensi"})
NOT_AVERAGED = frozenset({"no", "tahun"})
TOTALS = ("jumlah", "sub_jumlah", "rata_rata")
MAX_TOTAL_WORDS = 3  # `Total PMKS Mandiri`; an indicator named `Jumlah Auditor …` is longer
NAMES = ("indikator", "kegiatan", "program", "sasaran", "tujuan")  # a row's name, particular first
PARTS = ("triwulan", "nilai_tahun")  # the columns a Jumlah or Rata-rata column stands for
SHIFTABLE = ("keterangan",)  # a words column a shifted header may have put over figures
MONEY = re.compile(r"anggaran|keuangan|\brp\b|rupiah|\bdana\b|biaya|pagu|\bdpa\b", re.I)
MONEY_AT = Decimal(1_000_000)  # whole amounts this large, unlabelled, are rupiah
QUARTER = re.compile(r"\b(triwulan|tw)\s*-?\s*(iv|iii|ii|i|[1-4])\b", re.I)
BASE_WORDS = re.compile(r"target|pagu|anggaran|\bdpa\b")
DEFINED = re.compile(r"\(?\s*(\d{1,2})\s*([-–−/:÷])\s*(\d{1,2})\s*\)?")
UNCLEAR_EXPECTED = "satu angka yang terbaca jelas"
SKIP = object()  # a blank cell or words: nothing to check
# what a keterangan says about its capaian, first match wins: "tidak mencapai" before
# "mencapai"
SAID = ((re.compile(r"\b(tidak|belum)\s+(mencapai|tercapai|memenuhi|melampaui)\b"), False),
        (re.compile(r"\b(mencapai|tercapai|memenuhi|melampaui|terlampaui)\b"), True))


def reached(text: str | None) -> bool | None:
    """True when a keterangan says the target was reached, False when it says it was not,
    None when it says neither (a note, a source, blank)."""
    said = " ".join((text or "").lower().split())
    for pattern, meaning in SAID:
        if pattern.search(said):
            return meaning
    return None


@dataclass(frozen=True)
class Checked:
    """A rules.Row made from one printed cell of a received table, with the cells its
    recomputation read, so a finding names its place and every read cell can be marked."""

    rule: str
    row: rules.Row | None  # None: a cell not understood, already said for another rule
    table: int  # Table.number
    index: int  # the body row of the printed cell
    column: int
    reads: tuple[tuple[int, int], ...] = ()  # (body row, column) of each cell read
    shown: str = ""  # the recomputation as shown
    needed_by: str = ""  # ANGKA-TIDAK-DIPAHAMI: the rule the cell was needed for


@dataclass(frozen=True)
class Derived:
    """A printed capaian or % column (None: none printed) with the realisasi and the target
    or pagu it is worked out from."""

    printed: int | None
    base: int
    realisasi: int
    money: bool


class Unclear:
    """A cell a rule needs that holds no one clear figure."""

    def __init__(self, cell: Cell):
        self.cell = cell

    @property
    def reason(self) -> str:
        if self.cell.status == READ:
            return "sel berisi beberapa angka"
        return self.cell.reason or ("ambigu" if self.cell.status == AMBIGUOUS
                                    else "tidak terbaca")


def _key(table: int, row: int, column: int) -> str:
    """`tabel=5;baris=3;kolom=6`: counted from 1, as a reviewer counts them."""
    return f"tabel={table};baris={row + 1};kolom={column + 1}"



def _number_shown(places: int):
    return lambda value: fmt.number(value, places)


@dataclass
class Shape:
    """What a table's columns are to the checks: each one's role as the audit takes it (a
    header shifted over its figures set right), its label, whether it holds money or a
    percentage."""

    reading: TableReading
    roles: list[ColumnRole]
    labels: list[str]
    money: list[bool]
    percent: list[bool]
    quarterly: bool
    notes: list[str] = field(default_factory=list)
    row_roles: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, reading: TableReading) -> Shape:
        roles = [c.role for c in reading.columns]
        labels = [c.label for c in reading.columns]
        shape = cls(reading, roles, labels, [], [], False)
        shape._unshift()
        shape.money = [shape._money(c) for c in range(len(roles))]
        shape.percent = [shape._percent(c) for c in range(len(roles))]
        title = reading.table.title or ""
        shape.quarterly = bool(QUARTER.search(title)) or any(r.quarter for r in shape.roles)
        shape.row_roles = [shape._row_role(i) for i in range(len(reading.rows))]
        return shape

    def _row_role(self, i: int) -> str:
        """A row's role as the checks take it: a `Jumlah …` row that is numbered, or named
        at length in the indicator column (`Jumlah Auditor Bersertifikat …`), is an item
        that counts something, not the total of the rows above it."""
        row = self.reading.rows[i]
        if row.role not in TOTALS:
            return row.role
        numbered = any(self.cell(i, c).status not in (BLANK, NIL)
                       for c in self.columns("no"))
        named = any(" ".join(self.cell(i, c).text.split()) == row.label
                    for c in self.columns("indikator"))
        return "data" if numbered or (named and len(row.label.split()) > MAX_TOTAL_WORDS) \
            else row.role

    @property
    def number(self) -> int:
        return self.reading.table.number

    def cell(self, row: int, column: int) -> Cell:
        figures = self.reading.rows[row].figures
        return figures[column] if column < len(figures) else Cell("", BLANK)

    def column_cells(self, column: int) -> list[Cell]:
        return [self.cell(r, column) for r in range(len(self.reading.rows))]

    def _unshift(self) -> None:
        """A words column (Keterangan) holding figures beside a figure column holding
        nothing: a merged header cell lost its place, and the label over the figures is the
        neighbour's. Said in the notes."""
        for c, role in enumerate(self.roles):
            if role.role not in SHIFTABLE:
                continue
            filled = [f for f in self.column_cells(c) if f.status != BLANK]
            if not any(f.status == READ for f in filled) or any(f.status == TEXT
                                                                for f in filled):
                continue
            for n in (c + 1, c - 1):
                if 0 <= n < len(self.roles) and self.roles[n].role and \
                        self.roles[n].role not in SHIFTABLE and \
                        all(f.status == BLANK for f in self.column_cells(n)):
                    self.notes.append(
                        f'Tabel {self.number}: kolom "{self.labels[c]}" berisi angka, kolom '
                        f'"{self.labels[n]}" di sebelahnya kosong; judul kolom bergeser '
                        f'(sel judul gabungan), angkanya dibaca sebagai "{self.labels[n]}".')
                    self.roles[c], self.roles[n] = self.roles[n], self.roles[c]
                    self.labels[c], self.labels[n] = self.labels[n], self.labels[c]
                    break

    def _money(self, c: int) -> bool:
        role = self.roles[c]
        if role.role in ("pagu", "sisa") or role.unit == "Rp" or MONEY.search(self.labels[c]):
            return True
        values = [f.value for f in self.column_cells(c) if f.status == READ and f.value]
        return bool(values) and (all(f.rupiah for f in self.column_cells(c)
                                     if f.status == READ) or all(
            v == v.to_integral_value() and abs(v) >= MONEY_AT for v in values))

    def _percent(self, c: int) -> bool:
        if self.roles[c].unit == "%" or self.roles[c].role in DERIVED_ROLES:
            return True
        read = [f for f in self.column_cells(c) if f.status == READ]
        return bool(read) and sum(f.percent for f in read) * 2 >= len(read)

    def columns(self, *names: str, money: bool | None = None) -> list[int]:
        return [c for c, r in enumerate(self.roles) if r.role in names
                and (money is None or self.money[c] == money)]

    def group(self, c: int) -> tuple:
        role = self.roles[c]
        return role.group, role.year, role.quarter

    def pick(self, candidates: list[int], anchor: int, right: bool = False) -> int | None:
        """The candidate of the anchor's group, else any; the nearest on the anchor's left
        (right: on its right), else on its other side."""
        same = [c for c in candidates if self.group(c) == self.group(anchor)] or candidates
        before = [c for c in same if c < anchor]
        after = [c for c in same if c > anchor]
        near, far = (after, before) if right else (before, after)
        if near:
            return min(near) if right else max(near)
        if far:
            return max(far) if right else min(far)
        return None

    def derived(self) -> list[Derived]:
        """Each printed capaian or % column with its realisasi (of its group, else the nearest
        left) and that realisasi's target or pagu (money with money, kinerja with kinerja)."""
        out = []
        for d in self.columns(*DERIVED_ROLES):
            r = self.pick(self.columns("realisasi"), d)
            if r is None:
                continue
            bases = self.columns("target", "pagu", money=True) if self.money[r] \
                else self.columns("target", money=False)
            named = [c for c in bases if self.roles[c].role == self.base_named(d)]
            b = self.pick(named or bases, r)
            if b is not None:
                out.append(Derived(d, b, r, self.money[r]))
        if not any(not d.money for d in out) and self.columns("keterangan"):
            # no capaian printed: a keterangan is judged on the capaian recomputed
            r = next(iter(self.columns("realisasi", money=False)), None)
            b = None if r is None else self.pick(self.columns("target", money=False), r)
            if b is not None:
                out.append(Derived(None, b, r, False))
        return out

    def name(self, row: int) -> str:
        """The row's name as printed: its most particular one (the indicator, else the
        kegiatan, …), else its year, else its label."""
        for c in sorted(self.columns(*NAMES), key=lambda c: NAMES.index(self.roles[c].role)):
            cell = self.cell(row, c)
            if cell.status == TEXT and cell.text.strip():
                return " ".join(cell.text.split())
        for c in self.columns("tahun"):
            if is_year(self.cell(row, c).text):
                return self.cell(row, c).text.strip()
        return self.reading.rows[row].label

    def base_named(self, d: int) -> str:
        """The base a % column's own label names (`% thd Pagu`, `Capaian thd Target`)."""
        words = self.labels[d].lower()
        found = BASE_WORDS.search(words)
        return "" if not found else "target" if found.group(0) == "target" else "pagu"

    def indicator(self, row: int) -> str:
        """The indicator a row's capaian is of, to infer its formula: the row's name in a
        table that names its indicators; the table's title in one that does not (one
        indicator over the years)."""
        if self.columns(*NAMES):
            return self.name(row)
        return self.reading.table.title or f"tabel {self.number}"

    def read(self, row: int, column: int, nil=None):
        """The number a rule reads in a cell: its value; `nil` for a dash; SKIP for a blank
        or words; Unclear for a cell no one figure reads."""
        cell = self.cell(row, column)
        if cell.status in (BLANK, TEXT):
            return SKIP
        if cell.status == NIL:
            return nil
        if cell.status == READ and cell.value is not None:
            return cell.value
        return Unclear(cell)

    def printed(self, row: int, column: int):
        """A printed figure as a rule compares it: rules.Figure without its recomputation,
        SKIP when nothing is printed, Unclear when it holds no one clear figure."""
        cell = self.cell(row, column)
        if cell.status in (BLANK, TEXT):
            return SKIP
        if cell.status == NIL:
            return rules.Figure(None, cell.text.strip())
        if cell.status == READ and cell.value is not None:
            return rules.Figure(cell.value, cell.text.strip())
        return Unclear(cell)


def printed_capaian(shapes: list[Shape]) -> tuple[list[polarity.Printed], list[str]]:
    """Every printed kinerja capaian with its row's target and realisasi, and the indicators
    whose capaian is only recomputed: what the formulas are inferred from."""
    found, named = [], []
    for shape in shapes:
        for d in shape.derived():
            if d.money:
                continue
            for i, role in enumerate(shape.row_roles):
                if role != "data":
                    continue
                if d.printed is None:
                    named.append(shape.indicator(i))
                    continue
                t, r = shape.read(i, d.base), shape.read(i, d.realisasi)
                p = shape.printed(i, d.printed)
                if isinstance(t, Decimal) and isinstance(r, Decimal) and \
                        isinstance(p, rules.Figure):
                    found.append(polarity.Printed(shape.indicator(i), t, r, p.value, p.text))
                elif isinstance(p, rules.Figure):
                    named.append(shape.indicator(i))
    return found, named


class TableChecks:
    """The rows of one table that the rules read."""

    def __init__(self, shape: Shape, file: str, formulas: polarity.Polarity):
        self.shape, self.file, self.formulas = shape, file, formulas
        self.out: list[Checked] = []
        self.notes: list[str] = []
        self.unclear: set[tuple[int, int]] = set()

    # -- making a row ------------------------------------------------------------------
    def add(self, rule: str, i: int, c: int, name: str, figure: rules.Figure, recomputed,
            what: str, show, reads: list[tuple[int, int]], **facts) -> None:
        """One printed figure against its recomputation, as a row of the rule's kind."""
        figure = rules.Figure(figure.value, figure.text, recomputed)
        row = rules.Row(KIND[rule], self.file, _key(self.shape.number, i, c), what,
                        {name: figure}, {"show": show, f"field_{name}": self.shape.labels[c],
                                         "rounding": WARNING, **facts})
        self.out.append(Checked(rule, row, self.shape.number, i, c, tuple(reads),
                                show(recomputed) if recomputed is not None else "–"))

    def printed_figure(self, i: int, c: int, rule: str):
        """The printed figure a rule compares, or None: a blank cell or words (nothing to
        check), or a figure not understood (said once, and marked for the rule)."""
        printed = self.shape.printed(i, c)
        if printed is SKIP:
            return None
        if isinstance(printed, Unclear):
            self.not_understood(i, c, printed, rule)
            return None
        return printed

    def not_understood(self, i: int, c: int, found: Unclear, rule: str) -> None:
        """A cell a rule needs, not read: one warning a cell, a mark for every rule."""
        first = (i, c) not in self.unclear
        self.unclear.add((i, c))
        label = self.shape.name(i)
        what = f'{self.shape.labels[c]}{f", baris {label}" if label else ""}'
        row = rules.Row(KIND[UNCLEAR], self.file, _key(self.shape.number, i, c), what, {},
                        {"sel": f'"{found.cell.text.strip()}"', "reason": found.reason,
                         "expected": UNCLEAR_EXPECTED, "check": rule,
                         "field_sel": self.shape.labels[c]})
        self.out.append(Checked(UNCLEAR, row if first else None, self.shape.number, i, c,
                                needed_by=rule))

    def values(self, cells: list[tuple[int, int]], rule: str, nil=None) -> list | None:
        """The numbers of these cells, or None when one is not understood (said) or blank."""
        out = []
        for i, c in cells:
            got = self.shape.read(i, c, nil)
            if isinstance(got, Unclear):
                self.not_understood(i, c, got, rule)
                return None
            if got is SKIP:
                return None
            out.append(got)
        return out

    # -- in a row ------------------------------------------------------------------------
    def run(self) -> list[Checked]:
        derived = self.shape.derived()
        efficiency = self.efficiency_columns(derived)
        for i, role in enumerate(self.shape.row_roles):
            if role == "data":
                self.in_row(i, derived, efficiency)
            if role in ("data", "jumlah", "sub_jumlah"):
                self.across_columns(i)
        self.in_columns(derived)
        return self.out

    def efficiency_columns(self, derived: list[Derived]):
        """The efficiency column with the capaian kinerja and capaian anggaran it is made
        from, and how the table defines it; None when the table has no such three."""
        columns = self.shape.columns("efisiensi")
        kinerja = [d for d in derived if not d.money and d.printed is not None]
        anggaran = [d for d in derived if d.money]
        if not (columns and kinerja and anggaran):
            return None
        e = columns[0]
        k = next(d for d in kinerja if d.printed == self.shape.pick(
            [x.printed for x in kinerja], e))
        a = next(d for d in anggaran if d.printed == self.shape.pick(
            [x.printed for x in anggaran], e))
        first, op, second = self.definition(e, k.printed, a.printed)
        return e, k, a, first, op, second

    def definition(self, e: int, kinerja: int, anggaran: int) -> tuple[int, str, int]:
        """Efficiency as the header defines it (`Tingkat Efisiensi (6 – 9)`: column 6 minus
        column 9, by the table's column numbers), else capaian kinerja − capaian anggaran,
        as the data route computes it. Said in the notes."""
        table = self.shape.reading.table
        found = DEFINED.search(self.shape.labels[e])
        numbers = [n.strip("() ") for n in table.numbering] if table.numbering else \
            [str(c + 1) for c in range(len(self.shape.roles))]
        if found and found.group(1) in numbers and found.group(3) in numbers:
            first, second = numbers.index(found.group(1)), numbers.index(found.group(3))
            op = "-" if found.group(2) in "-–−" else "/"
            self.notes.append(
                f'Tabel {table.number}: tingkat efisiensi dihitung seperti judul kolomnya '
                f'"{self.shape.labels[e]}": "{self.shape.labels[first]}" '
                f'{"−" if op == "-" else "÷"} "{self.shape.labels[second]}", dari capaian '
                "yang dihitung ulang.")
            return first, op, second
        self.notes.append(
            f"Tabel {table.number}: judul kolom efisiensi tidak menyebut rumusnya; dihitung "
            "capaian kinerja − capaian anggaran (poin persen), seperti laporan dari data.")
        return kinerja, "-", anggaran

    def in_row(self, i: int, derived: list[Derived], efficiency) -> None:
        # each printed capaian's recomputation, with the cells it was made from
        recomputed: dict[int, tuple[Decimal, list[tuple[int, int]]]] = {}
        for d in derived:
            value = self.capaian(i, d, efficiency)
            if value is not None and d.printed is not None:
                recomputed[d.printed] = value, [(i, d.base), (i, d.realisasi)]
        if efficiency is not None:
            self.efficiency(i, efficiency, recomputed)
        self.sisa(i)

    def capaian(self, i: int, d: Derived, efficiency) -> Decimal | None:
        """A printed capaian or % against its recomputation; the recomputed value."""
        in_efficiency = efficiency is not None and d in efficiency[1:3]
        rule = self.rule_of(d, in_efficiency)
        values = self.values([(i, d.base), (i, d.realisasi)], rule,
                             nil=Decimal(0) if d.money else None)
        if values is None or None in values:
            return None
        target, realisasi = values
        name = self.shape.name(i)
        if d.money:
            value = percent(realisasi, target)
            what = (f"Capaian anggaran {name}" if in_efficiency else
                    f"Capaian keuangan {name}" if rule == CAPAIAN_TW else
                    f"Persentase realisasi {name}")
        else:
            code = self.formulas.formula(self.shape.indicator(i))
            value = polarity.value(code, target, realisasi)
            what = f"Capaian {'kinerja ' if in_efficiency else ''}{name} " \
                   f"({polarity.text(code)})"
            self.keterangan(i, d, value)
        if value is None or d.printed is None:
            return value
        printed = self.shape.printed(i, d.printed)
        if isinstance(printed, Unclear):
            self.not_understood(i, d.printed, printed, rule)
            return value
        if printed is SKIP:
            return value
        names = {CAPAIAN: "capaian_cetak", CAPAIAN_TW: "capaian_cetak",
                 PERSENTASE: "persentase_cetak"}
        name_of = ("capaian_anggaran" if d.money else "capaian_kinerja") if in_efficiency \
            else names[rule]
        self.add(rule, i, d.printed, name_of, printed, value, what, fmt.percent,
                 [(i, d.base), (i, d.realisasi)])
        return value

    def rule_of(self, d: Derived, in_efficiency: bool) -> str:
        if in_efficiency:
            return EFISIENSI
        quarter = self.shape.quarterly
        if d.money:
            return CAPAIAN_TW if quarter and self.shape.roles[d.base].role == "target" \
                else PERSENTASE
        return CAPAIAN_TW if quarter else CAPAIAN

    def keterangan(self, i: int, d: Derived, capaian: Decimal | None) -> None:
        """The keterangan right of a kinerja capaian, where it says reached or not."""
        anchor = d.printed if d.printed is not None else d.realisasi
        k = self.shape.pick(self.shape.columns("keterangan"), anchor, right=True)
        if k is None or capaian is None:
            return
        cell = self.shape.cell(i, k)
        said = reached(cell.text) if cell.status == TEXT else None
        if said is None:
            return
        printed = " ".join(cell.text.split())
        verdict = indicators.keterangan(capaian)
        # the verdict in the document's own words when they say it (`Tercapai`)
        expected = printed if said == (verdict == indicators.MENCAPAI) else verdict
        name = self.shape.name(i)
        year = self.shape.roles[anchor].year or column_roles.column_role(
            [self.shape.reading.table.title or ""]).year
        row = rules.Row(KIND[KETERANGAN], self.file, _key(self.shape.number, i, k),
                        f"Keterangan {name}", {},
                        {"keterangan_cetak": printed, "keterangan": expected,
                         "capaian_label": None, "dinilai": True, "indikator": name,
                         "tahun": str(year) if year else f"(tabel {self.shape.number})",
                         "field_keterangan_cetak": self.shape.labels[k]})
        self.out.append(Checked(KETERANGAN, row, self.shape.number, i, k,
                                ((i, d.base), (i, d.realisasi)), fmt.percent(capaian)))

    def efficiency(self, i: int, efficiency, recomputed: dict) -> None:
        """The printed efficiency against the table's own definition worked on the
        recomputed capaian: each rounded to its printed decimals first, as the data route
        does, or not (a document may subtract before rounding)."""
        e, _k, _a, first, op, second = efficiency
        printed = self.printed_figure(i, e, EFISIENSI)
        if printed is None:
            return
        parts, rounded, reads = [], [], []
        for c in (first, second):
            if c in recomputed:
                value, cells = recomputed[c]
                reads += cells
            else:
                reads.append((i, c))
                got = self.values([(i, c)], EFISIENSI)
                if not got or got[0] is None:
                    return
                value = got[0]
            parts.append(value)
            text = self.shape.cell(i, c).text
            rounded.append(round_half_up(value, printed_decimals(text) or 2)
                           if text.strip() else value)
        choices = [self.combine(op, *rounded), self.combine(op, *parts)]
        if op == "/":
            choices += [c / 100 for c in choices if c is not None]
        choices = [c for c in choices if c is not None]
        if not choices:
            return
        value = next((c for c in choices if rules.difference(
            printed.value, printed.text, c) is None), choices[0])
        name = self.shape.name(i)
        self.add(EFISIENSI, i, e, "efisiensi", printed, value, f"Tingkat efisiensi {name}",
                 fmt.points if op == "-" else fmt.percent, reads)

    @staticmethod
    def combine(op: str, first: Decimal, second: Decimal) -> Decimal | None:
        if op == "-":
            return first - second
        return percent(first, second)

    def sisa(self, i: int) -> None:
        """A printed sisa against pagu − realisasi."""
        for s in self.shape.columns("sisa"):
            if self.shape.percent[s]:
                continue
            r = self.shape.pick(self.shape.columns("realisasi", money=True), s)
            if r is None:
                continue
            b = self.shape.pick(self.shape.columns("pagu", money=True), r) or \
                self.shape.pick(self.shape.columns("target", money=True), r)
            if b is None:
                continue
            printed = self.printed_figure(i, s, SISA)
            if printed is None:
                continue
            values = self.values([(i, b), (i, r)], SISA, nil=Decimal(0))
            if values is None:
                continue
            self.add(SISA, i, s, "sisa", printed, values[0] - values[1],
                     f"Sisa anggaran {self.shape.name(i)}", _number_shown(
                         printed_decimals(printed.text) or 0), [(i, b), (i, r)])

    def across_columns(self, i: int) -> None:
        """A Jumlah or Rata-rata column against the quarters or years beside it."""
        for c, role in enumerate(self.shape.roles):
            parts = self.parts(c)
            if len(parts) < 2:
                continue
            average = role.role == "rata_rata" or (
                column_roles.column_role([role.group]).role == "rata_rata")
            if not average and any(self.shape.percent[p] for p in parts):
                continue
            rule = RATA if average else TOTAL
            printed = self.printed_figure(i, c, rule)
            if printed is None:
                continue
            cells = [(i, p) for p in parts if self.shape.cell(i, p).status != BLANK]
            values = self.values(cells, rule, nil=Decimal(0))
            if not values:
                continue
            value = sum(values) / len(values) if average else sum(values)
            self.add(rule, i, c, "rata_rata" if average else "total_cetak", printed, value,
                     f"{self.shape.name(i)}, {self.shape.labels[c]} ({len(cells)} kolom)",
                     self.show(c, printed), cells)

    def parts(self, c: int) -> list[int]:
        """The quarter or year columns a Jumlah or Rata-rata column adds up or averages."""
        role = self.shape.roles[c]
        if role.role in ("jumlah", "rata_rata"):
            found = [p for p, r in enumerate(self.shape.roles) if p != c
                     and (r.role in PARTS or r.quarter or r.year)
                     and r.role not in NOT_SUMMED and r.role not in ("jumlah", "rata_rata")]
            same = [p for p in found if self.shape.roles[p].group == role.group]
            if same:
                return same
            # a Rata-rata beside a merged `Triwulan` header: the quarters of one group
            groups = {self.shape.roles[p].group for p in found}
            return found if len(groups) == 1 and all(
                self.shape.roles[p].role in PARTS for p in found) else []
        if role.group and column_roles.column_role([role.group]).role in ("jumlah",
                                                                          "rata_rata"):
            return [p for p, r in enumerate(self.shape.roles) if p != c
                    and r.role == role.role and (r.quarter or r.year)]
        return []

    def show(self, c: int, printed: rules.Figure):
        if self.shape.percent[c]:
            return fmt.percent
        return _number_shown(printed_decimals(printed.text) or 0)

    # -- in a column -----------------------------------------------------------------------
    def in_columns(self, derived: list[Derived]) -> None:
        budget = next((d for d in derived if d.money and d.printed is not None), None)
        for i, kind, candidates in self.segments():
            if kind == "rata_rata":
                self.average_row(i, candidates[0])
            else:
                self.total_row(i, candidates, budget)

    def segments(self) -> Iterator[tuple[int, str, list[list[int]]]]:
        """Each Jumlah, sub-total or Rata-rata row with the sets of rows it may stand for,
        the likeliest first: the data rows since the last total; the sub-totals since then;
        the numbered rows, or the others (a table whose numbered rows carry the sums of the
        rows under them)."""
        since_total: list[int] = []
        since_sub: list[int] = []
        since_group: list[int] = []
        subs: list[int] = []
        previous: list[int] = []
        numbered = self.shape.columns("no")
        for i, role in enumerate(self.shape.row_roles):
            if role == "data":
                since_total.append(i)
                since_sub.append(i)
                since_group.append(i)
            elif role == "kelompok":
                since_group = []
            elif role == "sub_jumlah":
                yield i, "sub_jumlah", [since_sub, since_group]
                subs.append(i)
                since_sub = []
            elif role == "jumlah":
                candidates = [since_total, subs]
                if numbered:
                    marked = [r for r in since_total
                              if self.shape.cell(r, numbered[0]).status != BLANK]
                    candidates += [marked, [r for r in since_total if r not in marked]]
                yield i, "jumlah", [c for c in candidates if c]
                previous, since_total, since_sub, subs = since_total, [], [], []
            elif role == "rata_rata":
                yield i, "rata_rata", [since_total or previous]

    def total_row(self, i: int, candidates: list[list[int]], budget: Derived | None) -> None:
        """Each summed column of a Jumlah row against the sum of the rows it stands for; in
        a budget table its % against the sums' realisasi ÷ pagu (SUBTOTAL-TERCETAK)."""
        if not candidates:
            return
        in_budget = budget is not None and all(
            not self.shape.percent[c] for c in (budget.base, budget.realisasi))
        sums: dict[int, tuple[Decimal, list[int]]] = {}
        names = {budget.base: "anggaran", budget.realisasi: "realisasi"} if in_budget else {}
        for c, column in enumerate(self.shape.reading.columns):
            if not column.numeric or self.shape.roles[c].role in NOT_SUMMED or \
                    self.shape.percent[c]:
                continue
            rule = SUBTOTAL if c in names else TOTAL
            printed = self.printed_figure(i, c, rule)
            if printed is None:
                continue
            found = self.summed(i, c, candidates, printed, rule)
            if found is None:
                continue
            sums[c] = found
            label = self.shape.reading.rows[i].label or "Jumlah"
            self.add(rule, i, c, names.get(c, "total_cetak"), printed, found[0],
                     f"{label}, {self.shape.labels[c]} ({len(found[1])} baris)",
                     self.show(c, printed), [(r, c) for r in found[1]])
        if in_budget and budget.base in sums and budget.realisasi in sums:
            printed = self.shape.printed(i, budget.printed)
            if isinstance(printed, rules.Figure):
                label = self.shape.reading.rows[i].label or "Jumlah"
                self.add(SUBTOTAL, i, budget.printed, "persentase_cetak", printed,
                         percent(sums[budget.realisasi][0], sums[budget.base][0]),
                         f"{label}, {self.shape.labels[budget.printed]}", fmt.percent,
                         [(i, budget.base), (i, budget.realisasi)])

    def summed(self, i: int, c: int, candidates: list[list[int]], printed: rules.Figure,
               rule: str) -> tuple[Decimal, list[int]] | None:
        """The sum of the first set of rows that gives the printed total, else of the
        likeliest set; None when a cell of it is not understood."""
        first = None
        for rows in candidates:
            if any(self.shape.cell(r, c).status == TEXT for r in rows):
                return None  # words among the figures (`7.568.789.495 [13]`): no sum
            cells = [(r, c) for r in rows if self.shape.cell(r, c).status != BLANK]
            values = self.values(cells, rule, nil=Decimal(0))
            if values is None:
                return None
            total = sum(values, Decimal(0))
            if first is None:
                first = (total, [r for r, _ in cells])
            if rules.difference(printed.value, printed.text, total) is None:
                if rows is not candidates[0]:
                    self.notes.append(
                        f'Tabel {self.shape.number}: baris "{self.shape.reading.rows[i].label}"'
                        f', kolom "{self.shape.labels[c]}" menjumlahkan {len(cells)} baris '
                        "bernomor atau sub-jumlah, bukan semua baris rincian di atasnya.")
                return total, [r for r, _ in cells]
        return first

    def average_row(self, i: int, rows: list[int]) -> None:
        """Each figure column of a Rata-rata row against the mean of the rows above it."""
        for c, column in enumerate(self.shape.reading.columns):
            if not column.numeric or self.shape.roles[c].role in NOT_AVERAGED:
                continue
            printed = self.printed_figure(i, c, RATA)
            if printed is None:
                continue
            if any(self.shape.cell(r, c).status == TEXT for r in rows):
                continue  # words among the figures: no mean
            cells = [(r, c) for r in rows if self.shape.cell(r, c).status not in (BLANK, NIL)]
            values = self.values(cells, RATA)
            if not values:
                continue
            label = self.shape.reading.rows[i].label or "Rata-rata"
            self.add(RATA, i, c, "rata_rata", printed, sum(values) / len(values),
                     f"{label}, {self.shape.labels[c]} ({len(values)} baris)",
                     self.show(c, printed), cells)


def formulas(reading: Reading, shapes: list[Shape] | None = None) -> polarity.Polarity:
    """Each indicator's capaian formula, as the document's own printed capaian show it."""
    shapes = shapes if shapes is not None else [Shape.of(t) for t in reading.tables]
    return polarity.decide(*printed_capaian(shapes))


def checked(reading: Reading, decided: polarity.Polarity | None = None
            ) -> tuple[list[Checked], list[Shape], list[str]]:
    """Every row the rules read in the document's tables, the tables' shapes, and the notes
    on what was inferred (formulas, shifted headers, efficiency definitions)."""
    file = reading.document.name
    shapes = [Shape.of(t) for t in reading.tables]
    decided = decided if decided is not None else formulas(reading, shapes)
    out: list[Checked] = []
    notes = list(decided.notes)
    for shape in shapes:
        notes += shape.notes
        table = TableChecks(shape, file, decided)
        out += table.run()
        notes += list(dict.fromkeys(table.notes))
    return out, shapes, notes


def where(shape: Shape, index: int, column: int) -> Where:
    """A cell's place as a reviewer looks it up (tables.Cell.place), named by the shape's
    row name and column label."""
    return tables.Cell(shape.reading, index, column).place(shape.name(index),
                                                           shape.labels[column])


def run(reading: Reading, decided: polarity.Polarity | None = None
        ) -> tuple[list[DocumentFinding], list[CellMark], list[str]]:
    """The within-table rows run by the declared rules: each finding placed at its printed
    cell (its field the cell's column label), a mark for every cell a rule read, and the
    notes."""
    items, shapes, notes = checked(reading, decided)
    by_number = {shape.number: shape for shape in shapes}
    found: list[DocumentFinding] = []
    marks: list[CellMark] = []
    marked: set[tuple] = set()

    def mark(item: Checked, row: int, column: int, status: str, rule: str, shown: str = "",
             severity: str = "") -> None:
        at = (item.table, row, column, status, rule)
        if at not in marked:
            marked.add(at)
            marks.append(CellMark(item.table, row, column, status, rule, shown, severity))

    for item in items:
        place = where(by_number[item.table], item.index, item.column)
        if item.rule == UNCLEAR:
            mark(item, item.index, item.column, NOT_UNDERSTOOD, item.needed_by)
        if item.row is None:
            continue
        said = [replace(f, field=place.column_label, place=place.text())
                for f in rules.run([item.row], only=[item.rule])]
        found += [DocumentFinding(f, place) for f in said]
        if item.rule == UNCLEAR:
            continue
        if said:
            mark(item, item.index, item.column, FAILS, item.rule, said[0].expected,
                 said[0].severity)
        else:
            mark(item, item.index, item.column, HOLDS, item.rule, item.shown)
        for row, column in item.reads:
            mark(item, row, column, HOLDS, item.rule)
    return found, marks, notes
