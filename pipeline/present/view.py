"""What the notebooks show an analyst: computed tables in Indonesian figures, the findings of
verification, the charts and a link to the report.

A computed table shows each figure as its declaration in computed.py says (unit, places), as
the report's cells do: `3.385.637.000`, `22,05%`, `+242,69`, `12 dokumen`; never a 28-digit
Decimal. (Not the `display` module: that name is IPython's `display()` in a notebook.)
"""

from __future__ import annotations

import numbers as abc
import os
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import pandas as pd

from ..check import findings
from ..compute import computed
from ..read import formatting as fmt
from ..read import units

MISSING = "–"
_CELL = fmt.by_unit()
_OF_IKU = ("iku", "iku-beda")  # in the unit of the row's IKU
# a column that is not a figure of its own table may be a variant of one declared elsewhere:
# ringkasan_iku's `realisasi` is kinerja_seri's, `capaian_cetak` is a printed capaian
_VARIANTS = ("_cetak", "_hitung", "_kumulatif", "_tahun_lalu", "_tanpa_pembulatan", "_seri")
_PLAIN = ("tahun", "no", "urutan", "_baris")  # years and row numbers: no thousands dots


def _missing(value) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _candidates(name: str, column: str) -> list[computed.Figure]:
    """Declarations that may format `column` of table `name`, best first: its own, then the
    same column (or the one it is a variant of) declared by another computed table."""
    own = [computed.BY_FILE[name]] if name in computed.BY_FILE else []
    tables = own + [t for t in computed.TABLES if t.file != name]
    columns = [column] + [column[:-len(s)] for s in _VARIANTS if column.endswith(s)]
    return [f for c in columns for t in tables if (f := t.figure(c)) is not None]


def _figure(figure: computed.Figure, value, row: dict, by_iku: dict[str, units.Unit]) -> str:
    if figure.unit in _OF_IKU:
        unit = by_iku[row["kode_iku"]]
        return unit.show(value) if figure.unit == "iku" else unit.change(value)
    return _CELL[figure.unit](value)


def _plain(column: str) -> bool:
    return any(column == p or column.startswith(p + "_") for p in _PLAIN)


def _by_kind(kind: str | None, column: str, value) -> str:
    if kind == computed.BOOL or isinstance(value, bool):
        return "ya" if value else "tidak"
    if kind == computed.INT or isinstance(value, abc.Integral):
        return str(int(value)) if _plain(column) else fmt.number(value, 0)
    if kind == computed.DECIMAL or isinstance(value, (Decimal, float)):
        return fmt.number(value, 2)
    return str(value)


def cell(name: str, row: dict, column: str, by_iku: dict[str, units.Unit]) -> str:
    """One cell of computed table `name` as text."""
    value = row[column]
    if _missing(value):
        return MISSING
    for figure in _candidates(name, column):
        if figure.unit not in _OF_IKU or row.get("kode_iku") in by_iku:
            return _figure(figure, value, row, by_iku)
    table = computed.BY_FILE.get(name)
    return _by_kind(table.kind(column) if table else None, column, value)


def table(name: str, df: pd.DataFrame, ds, columns: list[str] | None = None) -> pd.DataFrame:
    """Computed table `name` (e.g. "ringkasan_iku.csv") with every cell as id-ID text.

    ds: the year's Dataset (its iku.csv gives each IKU's unit and places).
    """
    by_iku = units.by_iku(ds["iku.csv"])
    columns = list(df.columns) if columns is None else list(columns)
    rows = [{c: cell(name, row, c, by_iku) for c in columns} for row in df.to_dict("records")]
    return pd.DataFrame(rows, columns=columns, index=df.index, dtype=object)


def severity_counts(found: list[findings.Finding]) -> pd.DataFrame:
    """How many findings of each severity, every severity listed."""
    counts = {s: 0 for s in findings.SEVERITY_ORDER}
    for f in found:
        counts[f.severity] += 1
    return pd.DataFrame({"sifat": list(counts), "arti": [findings.LABEL[s] for s in counts],
                         "jumlah": list(counts.values())}).set_index("sifat")


def findings_table(found: list[findings.Finding]) -> pd.DataFrame:
    return findings.as_frame(found).set_index("no")


def show_all(df: pd.DataFrame) -> None:
    """Display every row and the whole text of each cell."""
    from IPython.display import display

    with pd.option_context("display.max_rows", None, "display.max_colwidth", None):
        display(df)


def charts(made) -> None:
    """Each chart (charts.Chart) inline, under its caption."""
    from IPython.display import Image, Markdown, display

    for chart in made:
        display(Markdown(f"**{chart.caption}** (`figures/{Path(chart.png).name}`)"),
                Image(filename=str(chart.png), width=720))


def links(paths: list[Path], start: Path):
    """Markdown links to files, relative to the folder the notebook is read in."""
    from IPython.display import Markdown

    def href(path: Path) -> str:
        return quote(Path(os.path.relpath(Path(path).resolve(), Path(start).resolve()))
                     .as_posix())

    return Markdown("Laporan: " + " · ".join(f"[{Path(p).name}]({href(p)})" for p in paths))
