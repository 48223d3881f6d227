"""Read raw CSV files exactly, apply the corrections file, parse every cell by its schema.

Each defect found is collected (file, line, column, value, expected) so that one run reports
all independent problems; nothing is guessed.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import re
import sys
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pandas as pd

from ..errors import DefectCollector, printable
from . import inputs, level, numbers, sheets
from .formatting import parse_date
from .places import Source
from .scales import LabelError
from .schema import KINDS, TABLES, Column, Table
from .units import PERCENT, Unit

MAX_PERCENT = numbers.MAX_PERCENT
MAX_ROWS = 20_000  # a year's largest table has hundreds of rows
MAX_TEXT = 2_000  # characters in one cell
CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
MAX_BYTES = 20 * 1024 * 1024  # a year's table is kilobytes; anything this big is a wrong file


@dataclass
class RawRows:
    """A file's rows as the exact strings printed, with their line numbers."""

    table: Table
    lines: list[int]
    rows: list[dict[str, str]]
    source: Source | None = None  # the workbook sheet it was read from; None for a CSV file


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


def _check_header(path: Path, header: list[str], table: Table, out: DefectCollector,
                  may_lack: frozenset[str] = frozenset()) -> bool:
    """may_lack: required columns the file may leave out (every row's level goes without)."""
    header = [h.strip() for h in header]
    if len(header) == 1 and ";" in header[0]:
        out.add(path.name, "pemisah kolom ';' (delimiter), bukan ','", line=1,
                value=header[0][:60], expected="CSV dengan pemisah koma (,)")
        return False
    ok = True
    doubled = sorted({h for h in header if header.count(h) > 1 and h})
    for name in doubled:
        out.add(path.name, "kolom ganda (duplicate column)", line=1, column=name,
                expected="setiap nama kolom sekali saja di baris judul")
        ok = False
    for name in table.required_names:
        if name not in header and name not in may_lack:
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
    if path.is_symlink():
        out.add(table.file, "file adalah tautan (symlink); tidak dibaca",
                expected="file biasa di folder data, bukan tautan ke tempat lain")
        return None
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
    return rows_of(table, header, records, out)


def _lacked_by_level(table: Table, header: list[str], records) -> frozenset[str]:
    """The required columns that the level of every row goes without (level.py)."""
    if not table.level_column:
        return frozenset()
    names = [h.strip() for h in header]
    at = names.index(table.level_column) if table.level_column in names else None
    allowed = [level.blank_allowed(record[at] if at is not None and at < len(record) else "")
               for _, record in records if any(cell.strip() for cell in record)]
    return frozenset.intersection(*allowed) if allowed else frozenset()


def rows_of(table: Table, header: list[str], records, out: DefectCollector) -> RawRows | None:
    """A table's rows from its header and (line, cells) records, CSV or sheet alike."""
    records = list(records)
    if not _check_header(Path(table.file), header, table, out,
                         _lacked_by_level(table, header, records)):
        return None
    header = [h.strip() for h in header]
    lines, rows = [], []
    for line, record in records:
        if not any(cell.strip() for cell in record):
            continue
        if len(record) > len(header) and not any(c.strip() for c in record[len(header):]):
            record = record[:len(header)]  # blank cells right of the table
        if len(record) != len(header):
            out.add(table.file, f"jumlah sel {len(record)}, judul {len(header)}", line=line,
                    value=",".join(record)[:80], expected=f"{len(header)} kolom per baris")
            continue
        lines.append(line)
        # an optional column left out of the file reads as blank in every row
        rows.append({**dict.fromkeys(table.names, ""), **dict(zip(header, record))})
    if len(rows) > MAX_ROWS:
        out.add(table.file, f"terlalu banyak baris ({len(rows)})",
                expected=f"paling banyak {MAX_ROWS} baris; periksa apakah file yang benar")
        return None
    if len(rows) < table.min_rows and not table.optional:
        out.add(table.file, "file hanya berisi baris judul, tanpa data", line=1,
                expected=f"sedikitnya {table.min_rows} baris data")
    return RawRows(table, lines, rows)


def read_workbook(path: Path, out: DefectCollector,
                  tables: tuple[Table, ...] = TABLES) -> dict[str, RawRows]:
    """One sheet per table, named as its CSV file; errors name the sheet and the cell.

    tables: the tables to read, as the data dictionary or a build's own reading of it
    declares them (a quarterly report reads a few, and needs fewer of them)."""
    book = sheets.read(path, out, {t.file.removesuffix(".csv") for t in tables}, MAX_ROWS)
    if book is None:
        return {}
    raws = {}
    for table in tables:
        name = table.file.removesuffix(".csv")
        sheet = book.sheets.get(name)
        if sheet is None:
            if not table.optional:
                close = difflib.get_close_matches(name, book.names, n=1, cutoff=0.5)
                close = close or [s for s in book.names if _plain(s) == _plain(name)]
                hint = f"; mungkin sheet '{close[0]}'" if close else ""
                out.add(path.name, f"sheet '{name}' tidak ditemukan{hint}",
                        expected=f"sheet bernama {name} dengan kolom {', '.join(table.names)}")
            continue
        if _sheet_problem(book, sheet, table, out):
            continue
        header = [str(h) for h in (sheet.rows[0] if sheet.rows else [])]
        while header and not header[-1].strip():
            header.pop()
        out.place(table.file, sheet.label, [h.strip() for h in header])
        records = [(i, list(row)) for i, row in enumerate(sheet.rows[1:], 2)]
        raw = rows_of(table, header, records, out)
        if raw is not None:
            raw.source = Source(path.name, name, tuple(h.strip() for h in header))
            raws[table.file] = raw
    extra = sorted(set(book.names) - {t.file.removesuffix(".csv") for t in TABLES} - NOTES)
    if extra and tables is TABLES:  # a note, not an error: analysts keep working sheets
        # beside the tables; said once, by the reading of every table, not by partial ones
        print(printable(f"Catatan: {path.name}: sheet diabaikan (bukan tabel data): "
                        f"{', '.join(extra)}"), file=sys.stderr)
    return raws


def _plain(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


# the workbook's own instructions and its narrative (narrative_sheet.py), and the lists an
# import leaves for the analyst (run/importer.py): not tables
IMPORT_SHEETS = ("perlu_diperiksa", "belum_dikenali")
NOTES = {"PETUNJUK", inputs.NARRATIVE_DIR, *IMPORT_SHEETS}


def _sheet_problem(book, sheet, table: Table, out: DefectCollector) -> bool:
    """A table sheet that cannot be read as it is: hidden, merged header, uncached formula."""
    label = sheet.label
    if sheet.name in book.hidden:
        out.add(label, "sheet tabel tersembunyi (hidden)",
                expected="tampilkan sheet (Unhide) atau hapus bila tidak dipakai")
        return True
    if sheet.name in book.merged_header:
        out.add(label, f"sel judul digabung (merged) {book.merged_header[sheet.name]}",
                expected=f"satu nama kolom per sel di baris 1: {', '.join(table.names)}")
        return True
    if sheet.name in book.uncached:
        cells = book.uncached[sheet.name]
        out.add(label, f"rumus tanpa nilai tersimpan di sel {', '.join(cells[:5])}",
                expected="buka dan simpan ulang workbook di spreadsheet agar nilai rumus "
                "tersimpan, atau ketik nilainya")
        return True
    if not sheet.rows or not any(str(c).strip() for c in sheet.rows[0]):
        out.add(label, "sheet kosong", expected=f"baris judul: {', '.join(table.names)}")
        return True
    return False


def _parse_typed(column: Column, cell: sheets.Typed, unit: Unit):
    """A cell the spreadsheet typed: its value, without reading it back from text."""
    kind, value = column.kind, cell.value
    if kind == "measure" and unit.scale is not None:
        return unit.parse(str(cell))  # a label, whatever the cell's type
    if kind in ("text", "code", "nip"):
        return str(cell).strip() or None
    if kind == "date":
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        raise ValueError("tanggal (sel bertipe tanggal, atau teks seperti '18 Februari 2025')")
    number = cell.number  # within the limits of a printed number, or NumberFormatError
    if number is None:
        raise ValueError(f"angka ({KINDS[kind]})")
    if kind == "measure":
        if cell.percent and not unit.is_percent:
            raise numbers.NumberFormatError(str(cell), f"nilai dalam satuan {unit.satuan} "
                                            "(iku.csv), bukan persen")
        return number
    if kind in ("int", "year", "rupiah"):
        if number != number.to_integral_value():
            raise ValueError(f"bilangan bulat ({KINDS[kind]})")
        return int(number)
    if cell.percent and kind != "percent":
        raise ValueError(f"angka tanpa format persen ({KINDS[kind]})")
    return number


def _parse_cell(column: Column, text: str, unit: Unit = PERCENT):
    """Typed value of one cell; raises ValueError(expected) when unreadable."""
    kind = column.kind
    if isinstance(text, sheets.Typed):
        return _parse_typed(column, text, unit)
    if kind == "measure":
        return unit.parse(text)
    if kind == "rupiah":
        return numbers.parse_rupiah(text)  # knows that a lone '-' is nihil
    if numbers.is_blank(text) and kind not in ("text", "code"):
        return None
    if kind in ("text", "code", "nip"):
        value = text.strip()
        if len(value) > MAX_TEXT:
            raise ValueError(f"teks paling panjang {MAX_TEXT} karakter")
        if any(ord(ch) < 32 for ch in value):
            raise ValueError("teks tanpa karakter kendali (control characters)")
        if kind == "code" and column.name.startswith("kode_") and value and \
                not CODE.match(value):
            raise ValueError("kode dari huruf, angka, titik, tanda hubung atau garis bawah, "
                             "diawali huruf atau angka")
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


def _required_but_empty(out: DefectCollector, file: str, line: int, column: Column,
                        text) -> None:
    """A required cell left empty, or holding only a no-value mark (`-`, `n/a`): said as
    such, with what the cell should hold, not as "a cell that must be empty"."""
    typed = not numbers.is_empty(text)
    out.add(file, f"sel {'tanpa nilai' if typed else 'kosong'}, padahal wajib diisi",
            line=line, column=column.name, value=str(text).strip() if typed else None,
            expected=f"{column.description}, berupa {KINDS[column.kind]}")


def parse_rows(raw: RawRows, year: int, out: DefectCollector,
               units: dict[str, Unit] | None = None) -> pd.DataFrame:
    """Typed frame with `_baris` (source line) and `<col>_teks` for printed derived figures.

    units: the unit of each IKU, by which `measure` cells of the row's kode_iku are read.
    """
    records = []
    for line, row in zip(raw.lines, raw.rows):
        record = {"_baris": line}
        unit = (units or {}).get(row.get("kode_iku", "").strip(), PERCENT)
        lacks = (level.blank_allowed(row.get(raw.table.level_column))
                 if raw.table.level_column else frozenset())
        for column in raw.table.columns:
            text = row[column.name]
            try:
                value = _parse_cell(column, text, unit)
            except LabelError as exc:
                out.add(raw.table.file, exc.title, line=line, column=column.name, value=text,
                        expected=exc.expected)
                value = None
            except numbers.NumberFormatError as exc:
                out.add(raw.table.file, "format angka tidak sah", line=line,
                        column=column.name, value=text, expected=exc.expected)
                value = None
            except ValueError as exc:
                out.add(raw.table.file, "nilai tidak dapat dibaca", line=line,
                        column=column.name, value=text, expected=str(exc))
                value = None
            else:
                if value is None and column.must_be_filled and column.name not in lacks:
                    _required_but_empty(out, raw.table.file, line, column, text)
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


def read_all(folder: Path, out: DefectCollector,
             tables: tuple[Table, ...] = TABLES) -> dict[str, RawRows]:
    """Every table of the folder (or those given): from its CSV files, or from its one
    workbook."""
    books = inputs.workbooks(folder, out)
    if books is None:  # a name the build could not hash and embed: not read
        return {}
    csvs = [t.file for t in TABLES if (folder / t.file).is_file()]
    if books and csvs:
        out.add(books[0].name, "file CSV dan workbook sekaligus di satu folder tahun",
                value=", ".join(csvs[:3]) + (", ..." if len(csvs) > 3 else ""),
                expected="salah satu saja: satu workbook, atau file CSV per tabel")
        return {}
    if len(books) > 1:
        out.add(folder.name, "lebih dari satu workbook", value=", ".join(b.name for b in books),
                expected="satu workbook per folder tahun")
        return {}
    if books:
        return read_workbook(books[0], out, tables)
    raws = {}
    for table in tables:
        raw = read_raw(folder, table, out)
        if raw is not None:
            raws[table.file] = raw
    return raws

