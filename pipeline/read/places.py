"""Where the analyst edits what a finding is about: the sheet and cell of a workbook.

A table read from a CSV file is cited as it always was (file, row key, column): that is the
file the analyst edits. A table read from a workbook sheet is cited by the cell the analyst
opens, `lkip_2024.xlsx › realisasi_anggaran!H5`, so that nobody is sent to a CSV file they do
not have. The cell is found from the finding's row key (the row of the table with those key
values, and the sheet row it was read from) and its column (the letter of that column in the
sheet's own header, whatever order the analyst gave the columns).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from ..errors import column_letter

SEPARATOR = " › "  # between the workbook and the sheet, as a breadcrumb reads
NAME = "tempat_sumber.csv"  # the processed table of sources, written for workbook data only
COLUMNS = ["file", "buku", "sheet", "judul", "baris"]
LINE_KEY = "baris"  # a narrative finding's key: `baris=3`, the line of its text


@dataclass(frozen=True)
class Source:
    """A table or narrative read from a workbook: the book, the sheet, the sheet's header as
    read (a column's letter) and, for a narrative, the sheet row of each of its lines."""

    book: str
    sheet: str
    header: tuple[str, ...]
    lines: tuple[int, ...] = ()

    def cell(self, column: str | None, row: int | None) -> str:
        """`book › sheet!H5`, `book › sheet!5:5` (a row), `book › sheet` (the sheet)."""
        where = f"{self.book}{SEPARATOR}{self.sheet}"
        letter = self.letter(column)
        if row is not None:
            return f"{where}!{letter}{row}" if letter else f"{where}!{row}:{row}"
        return where

    def column(self, column: str | None, rows: list[int]) -> str:
        """A whole column of the table's rows, `book › sheet!G2:G98`; the sheet without one."""
        letter = self.letter(column)
        if not letter or not rows:
            return self.cell(None, None)
        return f"{self.book}{SEPARATOR}{self.sheet}!{letter}{min(rows)}:{letter}{max(rows)}"

    def letter(self, column: str | None) -> str:
        return column_letter(self.header.index(column)) if column in self.header else ""


def _parse_key(key: str) -> dict[str, str]:
    parts = [p.split("=", 1) for p in key.split(";") if "=" in p]
    return {name: value for name, value in parts}


def source_row(frame: pd.DataFrame | None, key: str) -> int | None:
    """The sheet row (`_baris`) of the one row whose key columns read as the key's values."""
    wanted = _parse_key(key)
    if frame is None or frame.empty or not wanted or "_baris" not in frame or \
            any(name not in frame for name in wanted):
        return None
    hit = pd.Series(True, index=frame.index)
    for name, value in wanted.items():
        hit &= frame[name].map(lambda v: "" if v is None else str(v)) == value
    rows = frame.loc[hit, "_baris"]
    return int(rows.iloc[0]) if len(rows) == 1 else None


def place_of(f, frames: dict[str, pd.DataFrame], sources: dict[str, Source]) -> str:
    """The cell a finding is about in the workbook it was read from; "" for a CSV file."""
    source = sources.get(f.file)
    if source is None:
        return ""
    if source.lines:
        line = _parse_key(f.key).get(LINE_KEY, "")
        number = int(line) if line.isdigit() else 0
        row = source.lines[number - 1] if 0 < number <= len(source.lines) else None
        return source.cell(f.field, row)
    frame = frames.get(f.file)
    if not f.key and frame is not None and "_baris" in frame:
        return source.column(f.field, [int(b) for b in frame["_baris"]])
    return source.cell(f.field, source_row(frame, f.key))


def cite(found: list, ds) -> list:
    """The findings with the workbook cell of each, when its data came from a workbook."""
    sources = getattr(ds, "sources", None) or {}
    if not sources:
        return list(found)
    return [replace(f, place=place_of(f, ds.frames, sources)) for f in found]


# -- kept beside the processed tables, for the stages that cite --------------------------------

def write(sources: dict[str, Source], folder: Path) -> list[Path]:
    """The tables' sources as a processed table; nothing for data read from CSV files."""
    from .clean import write_frame

    if not sources:
        return []
    rows = [{"file": file, "buku": s.book, "sheet": s.sheet, "judul": ",".join(s.header),
             "baris": ",".join(map(str, s.lines))} for file, s in sorted(sources.items())]
    write_frame(pd.DataFrame(rows, columns=COLUMNS), Path(folder) / NAME)
    return [Path(folder) / NAME]


def read(folder: Path) -> dict[str, Source]:
    from .clean import read_frame

    path = Path(folder) / NAME
    if not path.is_file():
        return {}
    sources = {}
    for r in read_frame(path).to_dict("records"):
        lines = tuple(int(n) for n in (r["baris"] or "").split(",") if n)
        sources[r["file"]] = Source(r["buku"], r["sheet"], tuple((r["judul"] or "").split(",")),
                                    lines)
    return sources
