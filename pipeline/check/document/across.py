"""Rows for the rules that compare one figure printed in two places of a received document,
of the kinds the data route builds (rules_across, rules_printed): the annual target a
quarterly report prints against the PK (TRIWULAN-TARGET-PK), the TW IV realisasi against the
year's (TRIWULAN-IV-TAHUNAN), a program's PK budget against the sum of its kegiatan
(JUMLAH-PROGRAM-PK), the efficiency table against the capaian table, the PK and the budget
table (EFISIENSI-TERCETAK).

Each row is a `Sourced` row: the rules.Row and the cell each of its figures was printed in,
so a finding cites the page, table, row and column, and the cell is marked in audit.html.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from ...compute.indicators import capaian
from ...read import formatting as fmt
from ...read.document.figures import READ
from ...read.document.understand import Reading, TableReading
from ..rules import Figure, Row, difference
from . import tables
from .result import Where
from .tables import ROMAN, Cell, columns, data_rows, find, first, is_pk, name_in, normal_name

HUNDRED = Decimal(100)
FORMULA_ORDER = ("R/T", "2T-R", "T/R")  # the positive formula first: it wins a tie


@dataclass
class Sourced:
    """A row for the rules, the cell each figure it compares was printed in, and the cell of
    the other place it is compared with."""

    row: Row
    cells: dict[str, Cell] = field(default_factory=dict)
    against: dict[str, Cell | str] = field(default_factory=dict)
    at: Where | None = None  # a row read from the running text: its place


def _figure(cell: Cell, other: Decimal | None) -> Figure:
    return Figure(cell.value, cell.text, other)


def _shown(value, percent: bool) -> str:
    return fmt.percent(value) if percent else fmt.number(value)


def _row(kind: str, document: str, cell: Cell, what: str, figures: dict, facts: dict) -> Row:
    key = f"tabel={cell.table.table.number};baris={cell.row + 1}"
    return Row(kind, document, key, what, figures, facts)


# -- what the document says once, to compare the rest with -------------------------------

def pk_targets(reading: Reading) -> dict[str, Cell]:
    """Each indicator's PK target cell, by its name (the first PK table that prints it)."""
    found: dict[str, Cell] = {}
    for table in reading.tables:
        indicator, target = first(table, "indikator"), first(table, "target")
        if not is_pk(table) or indicator is None or target is None:
            continue
        for r in data_rows(table):
            found.setdefault(normal_name(name_in(table, r, "indikator")), Cell(table, r, target))
    return found


def _is_annual_capaian(table: TableReading, year: int | None) -> bool:
    has = all(first(table, role) is not None
              for role in ("indikator", "target", "realisasi", "capaian"))
    return has and not is_pk(table) and tables.quarter(table) is None and \
        not columns(table, "triwulan") and \
        not columns(table, "efisiensi") and not columns(table, "pagu") and \
        tables.title_role(table).year in (None, year)


def annual_rows(reading: Reading, year: int | None) -> dict[str, tuple[Cell, Cell, Cell]]:
    """Each indicator's target, realisasi and capaian cells in the year's capaian table."""
    found: dict[str, tuple[Cell, Cell, Cell]] = {}
    for table in reading.tables:
        if not _is_annual_capaian(table, year):
            continue
        target, realisasi, made = (first(table, role)
                                   for role in ("target", "realisasi", "capaian"))
        for r in data_rows(table):
            name = normal_name(name_in(table, r, "indikator"))
            found.setdefault(name, (Cell(table, r, target), Cell(table, r, realisasi),
                                    Cell(table, r, made)))
    return found


def capaian_as_printed(target: Decimal, realisasi: Decimal, printed: Cell,
                       formula: str | None = None) -> Decimal | None:
    """Capaian by the formula the document's own capaian cell shows (R/T; for an indicator
    where lower is better, (2T − R)/T or T/R), R/T when the cell fits none; by `formula`
    when the document's capaian decided the indicator's (check/document/polarity.py)."""
    made = {code: capaian(target, realisasi, "negatif" if code != "R/T" else "positif",
                          code if code != "R/T" else None).value for code in FORMULA_ORDER}
    if formula in made:
        return made[formula]
    for value in made.values():
        if value is not None and printed.value is not None and \
                difference(printed.value, printed.text, value) is None:
            return value
    return made["R/T"]


def report_year(reading: Reading) -> int | None:
    """The year the PK is for (its title), else the latest year a table's title names."""
    years = [tables.title_role(t).year for t in reading.tables if is_pk(t)]
    years = [y for y in years if y] or [tables.title_role(t).year for t in reading.tables
                                        if tables.title_role(t).year]
    return years[0] if years and any(is_pk(t) for t in reading.tables) else \
        (max(years) if years else None)


# -- quarterly reports against the PK and the year ---------------------------------------

def quarter_rows(reading: Reading, document: str, formulas=None) -> list[Sourced]:
    pk, year = pk_targets(reading), report_year(reading)
    annual = annual_rows(reading, year)
    out = []
    for table in reading.tables:
        indicator, by_row = first(table, "indikator"), first(table, "triwulan")
        if indicator is None or is_pk(table) or (tables.quarter(table) is None and by_row is None):
            continue
        yearly = first(table, "target", grouped=False)
        planned = first(table, "target", grouped=True)  # `Capaian Triwulan IV / Target`
        to_date = first(table, "realisasi", grouped=True) or first(table, "realisasi")
        for r in data_rows(table):
            tw = tables.quarter(table) if by_row is None else \
                tables.quarter_named(table.rows[r].figures[by_row].text)
            if tw is None:
                continue
            name = name_in(table, r, "indikator")
            if yearly is not None:
                out += _quarter_target(document, Cell(table, r, yearly), ROMAN[tw],
                                       find(name, pk), name)
            if planned is not None and planned != yearly:
                formula = formulas.formula(name) if formulas is not None else "R/T"
                out += _target_to_date(document, Cell(table, r, planned), ROMAN[tw],
                                       find(name, pk), name, formula)
            if tw == 4 and to_date is not None:
                out += _fourth_quarter(document, Cell(table, r, to_date), find(name, annual),
                                       name)
    return out


def _quarter_target(document, cell: Cell, tw: str, pk: Cell | None, name) -> list[Sourced]:
    if pk is None or cell.value is None or pk.value is None:
        return []
    row = _row("triwulan_kinerja", document, cell, name,
               {"target_tahunan_cetak": _figure(cell, pk.value)},
               {"triwulan": tw, "show": lambda v: _shown(v, cell.figure.percent),
                "field_target_tahunan_cetak": cell.label})
    return [Sourced(row, {"target_tahunan_cetak": cell}, {"target_tahunan_cetak": pk})]


def _target_to_date(document, cell: Cell, tw: str, pk: Cell | None, name,
                    formula: str) -> list[Sourced]:
    """The quarter's target to date: the PK target at TW IV, never above it before for an
    indicator counted up (R/T)."""
    if pk is None or cell.value is None or pk.value is None:
        return []
    show = lambda v: _shown(v, cell.figure.percent)  # noqa: E731
    row = _row("triwulan_kinerja", document, cell,
               f"Target TW {tw} {name} ({show(cell.value)})",
               {"target_kumulatif": Figure(cell.value, cell.text, pk.value)},
               {"triwulan": tw, "rumus": formula, "show": show, "label": name,
                "field_target_kumulatif": cell.label})
    return [Sourced(row, {"target_kumulatif": cell}, {"target_kumulatif": pk})]


def _fourth_quarter(document, cell: Cell, annual, name) -> list[Sourced]:
    if annual is None or cell.value is None or annual[1].value is None:
        return []
    year = annual[1]
    row = _row("triwulan_kinerja", document, cell, name,
               {"realisasi_tahunan": Figure(cell.value, cell.text, year.value)},
               {"indikator": name, "counted": "", "field_realisasi_tahunan": cell.label,
                "show": lambda v: _shown(v, cell.figure.percent or year.figure.percent)})
    return [Sourced(row, {"realisasi_tahunan": cell}, {"realisasi_tahunan": year})]


# -- budgets: the PK's program budget against its kegiatan -------------------------------

def _budget_column(table: TableReading) -> int | None:
    """The budget of a budget table: Pagu/Anggaran, or a Target printed in rupiah."""
    pagu = first(table, "pagu")
    return pagu if pagu is not None else first(table, "target", unit="Rp")


def program_groups(reading: Reading) -> dict[str, list[Cell]]:
    """Each program of the budget tables (not the PK) and the budget cells of the rows
    printed under it, by the program's name: a row naming a `Program …` opens a group. A
    program printed in several budget tables is taken from the longest (the one with its
    kegiatan), so that a summary table does not count it twice."""
    found: dict[str, list[Cell]] = {}
    for table in sorted(reading.tables, key=lambda t: -len(t.rows)):
        for name, cells in _groups(table).items():
            found.setdefault(name, cells)
    return found


def _groups(table: TableReading) -> dict[str, list[Cell]]:
    budget = _budget_column(table)
    if budget is None or is_pk(table) or tables.quarter(table) is not None or \
            first(table, "realisasi", unit="Rp") is None:
        return {}
    found: dict[str, list[Cell]] = {}
    current = None
    for r, row in enumerate(table.rows):
        if row.label.lower().startswith("program"):
            current = found.setdefault(normal_name(row.label), [])
            if row.figures[budget].status == READ:
                # a program line printing its own total: the total, checked against its rows
                # by the subtotal rules
                current.append(Cell(table, r, budget))
                current = None
            continue
        if current is not None and row.role == "data" and row.figures[budget].numeric:
            current.append(Cell(table, r, budget))
    return {name: cells for name, cells in found.items() if cells}


def program_rows(reading: Reading, document: str, formulas=None) -> list[Sourced]:
    groups = program_groups(reading)
    out = []
    for table in reading.tables:
        program, budget = first(table, "program"), _budget_column(table)
        if not is_pk(table) or program is None or budget is None or first(table, "indikator") \
                is not None:
            continue
        for r in data_rows(table):
            cell, name = Cell(table, r, budget), name_in(table, r, "program")
            parts = find(name, groups)
            if parts is None or cell.value is None or any(p.value is None for p in parts):
                continue
            total = sum((p.value for p in parts), Decimal(0))
            row = _row("program_pk", document, cell, name,
                       {"anggaran": Figure(cell.value, cell.text, total)},
                       {"program": name, "show": fmt.number, "field_anggaran": cell.label})
            out.append(Sourced(row, {"anggaran": cell}, {"anggaran": _rows_of(parts)}))
    return out


# -- the efficiency table against the capaian table, the PK and the budget table ---------

_PROGRAM = re.compile(r"(?=\bprogram\b)", re.IGNORECASE)


def _pk_budget(reading: Reading) -> dict[str, tuple[Cell, list[str]]]:
    """Each indicator's PK budget cell and the programs the PK lists beside it."""
    found = {}
    for table in reading.tables:
        indicator, budget, program = first(table, "indikator"), first(table, "pagu"), \
            first(table, "program")
        if not is_pk(table) or indicator is None or budget is None:
            continue
        for r in data_rows(table):
            names = [p.strip() for p in _PROGRAM.split(name_in(table, r, "program"))
                     if p.strip()] if program is not None else []
            found[normal_name(name_in(table, r, "indikator"))] = (Cell(table, r, budget), names)
    return found


def _rows_of(parts: list[Cell]) -> str:
    """`jumlah 7 baris di bawah programnya, halaman 48–52, tabel 26 (…)`: where a sum of
    rows is printed."""
    table = parts[0].table.table
    if len(parts) == 1:
        return parts[0].place().text()
    pages = f", {table.place()}" if table.page is not None else ""
    return f"jumlah {len(parts)} baris di bawah programnya, tabel {table.number} " \
        f"({table.title}){pages}"


def _spent(groups: dict[str, list[Cell]], programs: list[str]) -> Decimal | None:
    """The realisasi of these programs in the budget table (`groups`: program_groups): the
    sum of their rows."""
    total = Decimal(0)
    for name in programs:
        cells = find(name, groups)
        if not cells:
            return None
        table = cells[0].table
        spent = first(table, "realisasi", unit="Rp")
        values = [Cell(table, c.row, spent).value for c in cells]
        if any(v is None for v in values):
            return None
        total += sum(values, Decimal(0))
    return total


EFFICIENCY_WORDS = {"capaian_kinerja": "Capaian kinerja", "anggaran": "Anggaran",
                    "realisasi_anggaran": "Realisasi anggaran",
                    "capaian_anggaran": "Capaian anggaran", "efisiensi": "Tingkat efisiensi"}


def _efficiency_cells(table: TableReading, r: int) -> dict[str, Cell]:
    cells = {}
    capaian_columns = columns(table, "capaian")
    if len(capaian_columns) >= 2:
        cells["capaian_kinerja"] = Cell(table, r, capaian_columns[0])
        cells["capaian_anggaran"] = Cell(table, r, capaian_columns[-1])
    budget = first(table, "pagu")
    spent = first(table, "realisasi", unit="Rp")
    for name, column in (("anggaran", budget), ("realisasi_anggaran", spent),
                         ("efisiensi", first(table, "efisiensi"))):
        if column is not None:
            cells[name] = Cell(table, r, column)
    return cells


def efficiency_rows(reading: Reading, document: str, formulas=None) -> list[Sourced]:
    """Each efficiency row's figures recomputed from their sources: capaian kinerja from the
    capaian table's target and realisasi (by the indicator's formula, where `formulas`
    decided it), anggaran from the PK, realisasi from the budget table's rows of the PK's
    programs; capaian anggaran and efficiency from those."""
    year = report_year(reading)
    annual, pk = annual_rows(reading, year), _pk_budget(reading)
    groups = program_groups(reading)
    out = []
    for table in reading.tables:
        if not columns(table, "efisiensi") or first(table, "indikator") is None:
            continue
        for r in data_rows(table):
            name = name_in(table, r, "indikator")
            cells = _efficiency_cells(table, r)
            its_annual, its_pk = find(name, annual), find(name, pk)
            source = _sources(groups, its_annual, its_pk,
                              formulas.formula(name) if formulas is not None else None)
            figures = {n: Figure(c.value, c.text, source.get(n)) for n, c in cells.items()
                       if n in source and c.figure.status == READ}
            if not figures:
                continue
            facts = {"show": fmt.number, "show_capaian_kinerja": fmt.percent,
                     "show_capaian_anggaran": fmt.percent, "show_efisiensi": _points,
                     **{f"field_{n}": c.label for n, c in cells.items()},
                     **{f"what_{n}": f"{words} {name}" for n, words in EFFICIENCY_WORDS.items()}}
            row = _row("efisiensi", document, cells[next(iter(figures))],
                       name, figures, facts)
            out.append(Sourced(row, {n: cells[n] for n in figures},
                               _efficiency_sources(its_annual, its_pk, _consistent(cells))))
    return out


def _consistent(cells: dict[str, Cell]) -> set[str]:
    """The figures of an efficiency row that follow from the row's own printed figures
    (capaian anggaran from its anggaran and realisasi, efficiency from its two capaian): when
    they miss their sources, they only carry the printed figures' errors."""
    value = {n: c.value for n, c in cells.items()}
    held = set()
    if None not in (value.get("anggaran"), value.get("realisasi_anggaran"),
                    value.get("capaian_anggaran")) and value["anggaran"]:
        made = value["realisasi_anggaran"] / value["anggaran"] * HUNDRED
        if difference(value["capaian_anggaran"], cells["capaian_anggaran"].text, made) is None:
            held.add("capaian_anggaran")
    if None not in (value.get("capaian_kinerja"), value.get("capaian_anggaran"),
                    value.get("efisiensi")):
        made = value["capaian_kinerja"] - value["capaian_anggaran"]
        if difference(value["efisiensi"], cells["efisiensi"].text, made) is None:
            held.add("efisiensi")
    return held


CARRIED = "; angka ini sendiri dihitung benar dari angka tercetak di baris ini, salahnya " \
    "terbawa dari angka di atas"


def _efficiency_sources(annual, pk, consistent: set[str] = frozenset()) -> dict[str, Cell | str]:
    """Where each recomputed efficiency figure comes from, for the reviewer; a figure that
    follows from the row's own printed figures says its error is carried."""
    against: dict[str, Cell | str] = {}
    if annual is not None:
        against["capaian_kinerja"] = annual[2] if annual[2].value is not None else annual[1]
    if pk is not None:
        against["anggaran"] = pk[0]
        programs = ", ".join(pk[1]) if pk[1] else "program sasaran ini"
        against["realisasi_anggaran"] = f"jumlah realisasi {programs} pada tabel realisasi " \
            "anggaran"
        against["capaian_anggaran"] = "realisasi ÷ anggaran di atas"
    against["efisiensi"] = "capaian kinerja − capaian anggaran di atas"
    for name in consistent & set(against):
        against[name] += CARRIED
    return against


def _points(value) -> str:
    return fmt.points(value)


def _sources(groups: dict[str, list[Cell]], annual, pk,
             formula: str | None = None) -> dict[str, Decimal]:
    source: dict[str, Decimal] = {}
    if annual is not None and None not in (annual[0].value, annual[1].value):
        made = capaian_as_printed(annual[0].value, annual[1].value, annual[2], formula)
        if made is not None:
            source["capaian_kinerja"] = made
    if pk is not None and pk[0].total is not None:
        source["anggaran"] = pk[0].total
        spent = _spent(groups, pk[1]) if pk[1] else None
        if spent is not None:
            source["realisasi_anggaran"] = spent
            source["capaian_anggaran"] = spent / pk[0].total * HUNDRED
    if "capaian_kinerja" in source and "capaian_anggaran" in source:
        source["efisiensi"] = source["capaian_kinerja"] - source["capaian_anggaran"]
    return source


BUILDERS = (quarter_rows, program_rows, efficiency_rows)


def rows(reading: Reading, document: str, formulas=None) -> list[Sourced]:
    """Every cross-document row of the document, in the order of the builders; `formulas`:
    each indicator's capaian formula as the document shows it (within.formulas)."""
    return [row for build in BUILDERS for row in build(reading, document, formulas)]
