"""Stage 2 outputs: the computed tables, written as CSV for auditors and read back typed.

What each table holds and how its columns read back is declared once, in computed.py.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pandas as pd

from ..read.clean import Dataset, restore, write_frame
from . import computed

FOLDER = "indikator"
_INT = re.compile(r"^-?\d+$")
_DEC = re.compile(r"^-?\d+\.\d+(E[+-]?\d+)?$|^-?\d+E[+-]?\d+$")


def compute(ds: Dataset) -> dict[str, pd.DataFrame]:
    """Every computed table that the data set supports, keyed by its file name."""
    tables: dict[str, pd.DataFrame] = {}
    for table in computed.TABLES:
        if table.when(ds):
            tables[table.file] = table.compute(ds, tables)
    return tables


def write(tables: dict[str, pd.DataFrame], processed: Path) -> list[Path]:
    paths = []
    for name, df in tables.items():
        write_frame(df, processed / FOLDER / name)
        paths.append(processed / FOLDER / name)
    return paths


_READ = {
    computed.INT: int, computed.DECIMAL: Decimal, computed.TEXT: str,
    computed.BOOL: lambda text: text == "True",
}


def _guess(text: str):
    """A column no declaration types: a whole number, a decimal, or text."""
    if _INT.match(text):
        return int(text)
    if _DEC.match(text):
        return Decimal(text)
    return text


def _reader(table: computed.Computed | None, column: str):
    if column.endswith("_teks") or column.startswith("kode_"):
        return str
    kind = table.kind(column) if table is not None else None
    return _READ[kind] if kind else _guess


def _typed_column(values, read) -> pd.Series:
    return pd.Series([None if v == "" else read(restore(v)) for v in values], dtype=object)


def read(processed: Path) -> dict[str, pd.DataFrame]:
    tables = {}
    for path in sorted((processed / FOLDER).glob("*.csv")):
        declared = computed.BY_FILE.get(path.name)
        try:
            df = pd.read_csv(path, dtype=str, keep_default_na=False)
        except pd.errors.EmptyDataError:  # a table with no columns: nothing to compute
            df = pd.DataFrame()
        tables[path.name] = pd.DataFrame(
            {column: _typed_column(df[column], _reader(declared, column))
             for column in df.columns}, columns=df.columns)
    return tables
