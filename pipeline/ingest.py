"""Read raw CSV files exactly, apply the corrections file, parse every cell by its schema.

Each defect found is collected (file, line, column, value, expected) so that one run reports
all independent problems; nothing is guessed.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pandas as pd

from . import numbers
from .errors import DefectCollector
from .formatting import parse_date
from .schema import KINDS, TABLES, Column, Table
from .units import PERCENT, Unit

MAX_PERCENT = numbers.MAX_PERCENT
MAX_BYTES = 20 * 1024 * 1024  # a year's table is kilobytes; anything this big is a wrong file


@dataclass
class RawRows:
    """A file's rows as the exact strings printed, with their line numbers."""

    table: Table
    lines: list[int]
    rows: list[dict[str, str]]


def _decode(path: Path, data: bytes, out: DefectCollector) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        out.add(path.name, "teks bukan UTF-8 (encoding)", line=line,
                value=data[exc.start: exc.start + 8].decode("latin-1"),
                expected="simpan ulang file sebagai CSV UTF-8")
        return None


def _check_line_endings(file: str, text: str, out: DefectCollector) -> bool:
    """One kind of line ending per file: a mix means rows pasted from different sources."""
    endings = re.findall(r"\r\n|\r|\n", text)
    if len(set(endings)) <= 1:
        return True
    names = {"\r\n": "CRLF", "\n": "LF", "\r": "CR"}
    line = next(i for i, e in enumerate(endings, 1) if e != endings[0])
    kinds = " dan ".join(sorted({names[e] for e in endings}))
    out.add(file, f"akhir baris campuran ({kinds}, mixed line endings)", line=line,
            expected="simpan ulang file sehingga semua baris berakhir sama")
    return False


def _check_header(path: Path, header: list[str], table: Table, out: DefectCollector) -> bool:
    header = [h.strip() for h in header]
    if len(header) == 1 and ";" in header[0]:
        out.add(path.name, "pemisah kolom ';' (delimiter), bukan ','", line=1,
                value=header[0][:60], expected="CSV dengan pemisah koma (,)")
        return False
    ok = True
    for name in table.required_names:
        if name not in header:
            close = difflib.get_close_matches(name, header, n=1)
            hint = f"; mungkin salah eja: '{close[0]}'" if close else ""
            out.add(path.name, f"kolom wajib tidak ada{hint}", line=1, column=name,
                    expected=f"kolom: {', '.join(table.names)}")
            ok = False
    for name in header:
        if name not in table.names:
            out.add(path.name, "kolom tidak dikenal", line=1, column=name,
                    expected=f"hanya kolom: {', '.join(table.names)}")
            ok = False
    return ok


def read_raw(folder: Path, table: Table, out: DefectCollector) -> RawRows | None:
    """The file's rows as strings; None (with defects recorded) when it cannot be read."""
    path = folder / table.file
    if not path.is_file():
        if not table.optional:
            out.add(table.file, "file tidak ditemukan", expected=f"file di {folder}")
        return None
    size = path.stat().st_size
    if size > MAX_BYTES:
        megabytes = f"{size / 1024 / 1024:.1f}".replace(".", ",")
        out.add(table.file, f"file terlalu besar ({megabytes} MB)",
                expected=f"tabel CSV di bawah {MAX_BYTES // 1024 // 1024} MB; periksa apakah "
                "file yang benar yang disimpan")
        return None
    text = _decode(path, path.read_bytes(), out)
    if text is None:
        return None
    if not _check_line_endings(table.file, text, out):
        return None
    if not text.strip():
        out.add(table.file, "file kosong", expected=f"baris judul: {','.join(table.names)}")
        return None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
        records = []
        for record in reader:
            records.append((reader.line_num, record))
    except csv.Error as exc:
        reason = ("tanda kutip tidak ditutup (unbalanced quotes)"
                  if "unexpected end of data" in str(exc) else f"CSV rusak ({exc})")
        out.add(table.file, reason, line=reader.line_num,
                expected="setiap tanda kutip \" berpasangan dalam satu sel")
        return None
    if not _check_header(path, header, table, out):
        return None
    header = [h.strip() for h in header]
    lines, rows = [], []
    for line, record in records:
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(header):
            out.add(table.file, f"jumlah sel {len(record)}, judul {len(header)}", line=line,
                    value=",".join(record)[:80], expected=f"{len(header)} kolom per baris")
            continue
        lines.append(line)
        # an optional column left out of the file reads as blank in every row
        rows.append({**dict.fromkeys(table.names, ""), **dict(zip(header, record))})
    if len(rows) < table.min_rows and not table.optional:
        out.add(table.file, "file hanya berisi baris judul, tanpa data", line=1,
                expected=f"sedikitnya {table.min_rows} baris data")
    return RawRows(table, lines, rows)


def _parse_cell(column: Column, text: str, unit: Unit = PERCENT):
    """Typed value of one cell; raises ValueError(expected) when unreadable."""
    kind = column.kind
    if kind == "measure":
        return unit.parse(text)
    if kind == "rupiah":
        return numbers.parse_rupiah(text)  # knows that a lone '-' is nihil
    if numbers.is_blank(text) and kind not in ("text", "code"):
        return None
    if kind in ("text", "code", "nip"):
        value = text.strip()
        return value or None
    if kind in ("int", "year"):
        value = numbers.parse_integer(text)
        if kind == "year" and not 1900 <= value <= 2100:
            raise ValueError("tahun empat digit antara 1900 dan 2100")
        return value
    if kind == "percent":
        return numbers.parse_percent(text)
    if kind in ("decimal", "points"):
        return numbers.parse_decimal(text)
    if kind == "date":
        return parse_date(text.strip())
    raise AssertionError(f"unknown column kind {kind}")


def _range_problem(column: Column, value, year: int, unit: Unit = PERCENT) -> str | None:
    if value is None:
        return None
    if column.kind == "measure":
        return unit.range_problem(value)
    if column.kind == "rupiah" and value < 0:
        return "jumlah rupiah tidak boleh negatif"
    if column.kind == "percent" and not Decimal(0) <= value <= MAX_PERCENT:
        return f"persentase antara 0 dan {MAX_PERCENT}"
    if column.kind in ("int",) and value < 0:
        return "bilangan tidak negatif"
    if column.year_rule == "report" and value != year:
        return f"tahun laporan {year}"
    if column.year_rule == "upto" and value > year:
        return f"tahun tidak melewati tahun laporan {year}"
    if column.choices and value not in column.choices:
        return f"salah satu dari: {', '.join(column.choices)}"
    return None


def parse_rows(raw: RawRows, year: int, out: DefectCollector,
               units: dict[str, Unit] | None = None) -> pd.DataFrame:
    """Typed frame with `_baris` (source line) and `<col>_teks` for printed derived figures.

    units: the unit of each IKU, by which `measure` cells of the row's kode_iku are read.
    """
    records = []
    for line, row in zip(raw.lines, raw.rows):
        record = {"_baris": line}
        unit = (units or {}).get(row.get("kode_iku", "").strip(), PERCENT)
        for column in raw.table.columns:
            text = row[column.name]
            try:
                value = _parse_cell(column, text, unit)
            except numbers.NumberFormatError as exc:
                out.add(raw.table.file, "format angka tidak sah", line=line,
                        column=column.name, value=text, expected=exc.expected)
                value = None
            except ValueError as exc:
                out.add(raw.table.file, "nilai tidak dapat dibaca", line=line,
                        column=column.name, value=text, expected=str(exc))
                value = None
            else:
                if value is None and column.required:
                    out.add(raw.table.file, "sel wajib kosong", line=line, column=column.name,
                            value=text, expected=f"sel berisi {KINDS[column.kind]}")
                problem = _range_problem(column, value, year, unit)
                if problem:
                    message = ("nilai bukan salah satu pilihan" if column.choices
                               and value not in column.choices else "nilai di luar batas")
                    out.add(raw.table.file, message, line=line,
                            column=column.name, value=text, expected=problem)
            record[column.name] = value
            if column.derived:
                record[column.name + "_teks"] = text.strip() or None
        records.append(record)
    columns = ["_baris"] + [
        n for c in raw.table.columns for n in ([c.name, c.name + "_teks"] if c.derived
                                              else [c.name])
    ]
    # object dtype keeps ints as ints and Decimals exact, with None for blanks
    return pd.DataFrame({c: pd.Series([r[c] for r in records], dtype=object) for c in columns})


def read_all(folder: Path, out: DefectCollector) -> dict[str, RawRows]:
    raws = {}
    for table in TABLES:
        raw = read_raw(folder, table, out)
        if raw is not None:
            raws[table.file] = raw
    return raws

