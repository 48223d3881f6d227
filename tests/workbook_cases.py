"""The workbook cases of the bad-input catalogue: the 'contoh' data set as a workbook, then
the change each case's workbook.txt names (one instruction per line)."""

from __future__ import annotations

import shlex
from pathlib import Path

from pipeline.present import workbook
from pipeline.read.schema import TABLES

BOOK = "lkip_2025.xlsx"


def as_workbook(raw_year: Path, keep_csv: bool = False) -> Path:
    path = workbook.export(2025, raw_year.parent, raw_year / BOOK)
    if not keep_csv:
        for table in TABLES:
            (raw_year / table.file).unlink(missing_ok=True)
    return path


def _edit(path: Path, change) -> None:
    from openpyxl import load_workbook

    book = load_workbook(path)
    change(book)
    book.save(path)


def rename_sheet(path, old, new):
    _edit(path, lambda b: setattr(b[old], "title", new))


def set_cell(path, sheet, cell, value):
    def change(book):
        book[sheet][cell] = value
    _edit(path, change)


def merge(path, sheet, cells):
    _edit(path, lambda b: b[sheet].merge_cells(cells))


def hide_sheet(path, sheet):
    _edit(path, lambda b: setattr(b[sheet], "sheet_state", "hidden"))


def truncate(path, size):
    data = path.read_bytes()
    path.write_bytes(data[: int(size)])


def encrypted(path):
    """What an office program writes for a password-protected workbook: an OLE container."""
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096)


ACTIONS = {"ganti-nama-sheet": rename_sheet, "isi-sel": set_cell, "gabung-sel": merge,
           "sembunyikan-sheet": hide_sheet, "potong": truncate, "terkunci": encrypted}


def apply(raw_year: Path, instructions: str) -> None:
    lines = [shlex.split(line) for line in instructions.splitlines() if line.strip()]
    keep = any(words[0] == "csv-tetap" for words in lines)
    path = as_workbook(raw_year, keep_csv=keep)
    for words in lines:
        if words[0] != "csv-tetap":
            ACTIONS[words[0]](path, *words[1:])
