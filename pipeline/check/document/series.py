"""An indicator's series as a received document prints it, year by year (a capaian table per
year, `Tahun 2018` … `Tahun 2024`, or one table with a Tahun column), as rows of the kinds the
data route's series rules read (rules_limits: DERET-TAHUN-HILANG, DERET-TARGET-KOSONG,
DERET-REALISASI-KOSONG, DERET-TIDAK-BERUBAH)."""

from __future__ import annotations

import re

from ...read import units
from ...read.document.figures import TEXT
from ...read.document.understand import Reading, TableReading
from ..rules import Figure, Row
from . import tables
from .across import Sourced, annual_rows, report_year
from .result import Where
from .tables import Cell, data_rows, first, is_pk, name_in, normal_name

Years = dict[int, tuple[Cell, Cell]]  # year -> (target cell, realisasi cell)
_YEARS = re.compile(r"\b((?:19|20)\d\d)\b")


def _is_series_table(table: TableReading) -> bool:
    return first(table, "target") is not None and first(table, "realisasi") is not None and \
        not is_pk(table) and tables.quarter(table) is None and \
        first(table, "pagu") is None and first(table, "efisiensi") is None


def _year_columns(table: TableReading) -> dict[int, tuple[int, int]]:
    """Each year a table prints in its own columns (`2022 / Target`, `2022 / Realisasi`):
    its target and realisasi columns."""
    found: dict[int, dict[str, int]] = {}
    for c, column in enumerate(table.columns):
        if column.role.year is not None and column.role.role in ("target", "realisasi"):
            found.setdefault(column.role.year, {}).setdefault(column.role.role, c)
    return {year: (both["target"], both["realisasi"]) for year, both in found.items()
            if len(both) == 2}


def _by_title(table: TableReading, series: dict[str, Years]) -> None:
    """A table of one year (`Tahun 2019`): each indicator's row is that year; a table of
    several years in their own columns: each year from its columns."""
    if first(table, "indikator") is None or first(table, "tahun") is not None:
        return
    years = _year_columns(table)
    named = {int(y) for y in _YEARS.findall(table.table.title or "")}
    if not years and len(named) == 1:
        years = {named.pop(): (first(table, "target"), first(table, "realisasi"))}
    for r in data_rows(table):
        name = normal_name(name_in(table, r, "indikator"))
        for year, (target, realisasi) in years.items():
            series.setdefault(name, {}).setdefault(year, (Cell(table, r, target),
                                                           Cell(table, r, realisasi)))


def _by_column(table: TableReading, series: dict[str, Years], names: list[str]) -> None:
    """A table of one indicator, a row a year (`Tahun | Target | Realisasi …`): the
    indicator is the one its title names."""
    column = first(table, "tahun")
    title = normal_name(table.table.title)
    named = [n for n in names if n and n in title]
    if column is None or len(named) != 1:
        return
    target, realisasi = first(table, "target"), first(table, "realisasi")
    for r in data_rows(table):
        year = tables.title_role_of(table.rows[r].figures[column].text).year
        if year is not None:
            series.setdefault(named[0], {}).setdefault(year, (Cell(table, r, target),
                                                               Cell(table, r, realisasi)))


def series(reading: Reading) -> dict[str, Years]:
    found: dict[str, Years] = {}
    candidates = [t for t in reading.tables if _is_series_table(t)]
    for table in candidates:
        _by_title(table, found)
    names = list(dict.fromkeys([*annual_rows(reading, report_year(reading)), *found]))
    for table in candidates:
        _by_column(table, found, names)
    return {name: years for name, years in found.items()
            if len(years) >= 2 and not _labels(years)}


def _labels(years: Years) -> bool:
    """A series of labels (`WTP`, `BB`): measured on a scale the document does not give,
    so neither empty nor unchanged can be judged from its words."""
    return any(cell.figure.status == TEXT for cells in years.values() for cell in cells)


def rows(reading: Reading, document: str, formulas=None) -> list[Sourced]:
    out = []
    for name, years in series(reading).items():
        first_cell = next(iter(years.values()))[1]
        label = first_cell.table.rows[first_cell.row].label or name
        for year in range(min(years), max(years) + 1):
            if year not in years:
                out.append(_missing(document, label, name, year, years))
                continue
            out.append(_year(document, label, year, years))
    return out


def _missing(document, label: str, name: str, year: int, years: Years) -> Sourced:
    before = years[max(y for y in years if y < year)][1]
    printed = sorted({cells[1].table.table.number for cells in years.values()})
    row = Row("tahun_deret", document, f"indikator={name};tahun={year}", label,
              facts={"ada": False, "tahun": str(year), "indikator": label,
                     "kode_iku": "tabel " + ", ".join(map(str, printed))})
    where = Where(before.table.table.number, before.table.table.title, before.table.table.page,
                  before.table.table.paragraph, before.row, label)
    return Sourced(row, at=where)


def _year(document, label: str, year: int, years: Years) -> Sourced:
    target, realisasi = years[year]
    last = years.get(year - 1)
    change = realisasi.value - last[1].value if last is not None and None not in (
        realisasi.value, last[1].value) else None
    unit = units.Unit.of("%" if realisasi.figure.percent or target.figure.percent else "nilai")
    row = Row("deret", document, f"tabel={realisasi.table.table.number};baris={realisasi.row + 1}",
              label, {"target": Figure(target.value, target.text),
                      "realisasi_cetak": Figure(realisasi.value, realisasi.text),
                      "realisasi": Figure(realisasi.value, realisasi.text),
                      "perubahan": Figure(change)},
              {"indikator": label, "tahun": str(year), "tahun_lalu": str(year - 1),
               "sumber_realisasi": "tercetak", "draf": False, "unit": unit,
               "label": label})
    return Sourced(row, {"target": target, "realisasi": realisasi},
                   {"realisasi": last[1]} if last is not None else {})
