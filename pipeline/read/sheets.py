"""Read a year's workbook (.xlsx or .ods): one sheet per table, named as its CSV file.

Values come from python-calamine (cached values for formulas), for the wanted sheets only and
once sheet_scan has measured the file. What calamine does not say is read from the file by
that measure: which numeric cells carry a percent format (22,05% is stored as 0,2205), and
which formula cells have no cached value. Typed cells keep their value (`Typed`), held to the
limits of a printed number; text cells are read exactly like CSV text.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import zipfile
from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from pathlib import Path

from ..errors import DefectCollector, column_letter
from . import numbers, sheet_scan
from .formatting import date as id_date

SUFFIXES = (".xlsx", ".ods")
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # an encrypted (password) OOXML file is an OLE container
MAX_BYTES = 50 * 1024 * 1024


class Typed(str):
    """A cell typed by the spreadsheet. As a string it reads as printed Indonesian text
    (`22,05%`, `3385637000`, `18 Februari 2025`); `.value` is what the spreadsheet holds."""

    value: object
    percent: bool

    def __new__(cls, value, percent: bool = False, decimals: int | None = None):
        self = super().__new__(cls, _text(value, percent, decimals))
        self.value, self.percent = value, percent
        return self

    @property
    def number(self) -> Decimal | None:
        """The number, scaled from a fraction when the cell is formatted as a percent, held to
        the limits of a printed number: NumberFormatError when beyond them."""
        if isinstance(self.value, bool) or not isinstance(self.value, (int, float)):
            return None
        value = _decimal(self.value)
        if self.percent and value.is_finite():
            value = (value * 100).normalize()
        return numbers.check_typed(value, str(self))


SHOWN_DIGITS = 15  # significant digits a spreadsheet shows of a number it holds


def _decimal(value: int | float) -> Decimal:
    """A typed number as a decimal. A float's binary noise (0,1 + 0,2 is held as
    0.30000000000000004) is cut at the digits a spreadsheet shows, where it would otherwise
    count as decimals; a number that has more decimals than that keeps them, and is refused."""
    if not isinstance(value, float):
        return Decimal(value)
    exact = Decimal(repr(value))
    if not exact.is_finite() or -exact.as_tuple().exponent <= numbers.MAX_DECIMALS:
        return exact
    with localcontext() as context:
        context.prec = SHOWN_DIGITS
        shown = (+exact).normalize()
    return shown if -shown.as_tuple().exponent <= numbers.MAX_DECIMALS else exact


def _printable(value: int | float) -> bool:
    """Within what a figure can be (numbers.MAX_DIGITS and MAX_DECIMALS), so printing it
    with its format's decimals is exact arithmetic."""
    return math.isfinite(value) and abs(value) < 10 ** numbers.MAX_DIGITS and (
        value == 0 or abs(value) >= 10 ** -numbers.MAX_DECIMALS)


def _text(value, percent: bool, decimals: int | None = None) -> str:
    """The cell as the spreadsheet shows it: its format's decimals decide what is printed
    (at most numbers.MAX_DECIMALS of them). A number beyond any figure (`1e+300`, `inf`)
    prints as typed, and is refused when read as a number."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (dt.datetime, dt.date)):
        return id_date(value if isinstance(value, dt.date) and not isinstance(
            value, dt.datetime) else value.date())
    if isinstance(value, (int, float)):
        if not _printable(value):
            return repr(value)
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if percent:
            number *= 100
        if decimals is not None:
            text = format(numbers.round_half_up(number, min(decimals, numbers.MAX_DECIMALS)),
                          "f")
        elif number != number.to_integral_value():
            text = format(number.normalize(), "f")
        else:
            text = str(int(number))
        return text.replace(".", ",") + ("%" if percent else "")
    return str(value)


@dataclass
class Sheet:
    """One sheet as a grid of cells (row 1 is the header), and where it came from."""

    name: str
    rows: list[list]  # cells: str (text, "" for empty) or Typed
    label: str  # `lkip_2025.xlsx, sheet target_pk`


@dataclass
class Book:
    path: Path
    names: list[str] = field(default_factory=list)  # every sheet, loaded or not
    sheets: dict[str, Sheet] = field(default_factory=dict)  # the wanted ones, loaded
    hidden: set[str] = field(default_factory=set)
    merged_header: dict[str, str] = field(default_factory=dict)  # sheet -> range like A1:C1
    uncached: dict[str, list[str]] = field(default_factory=dict)  # sheet -> cells


def workbooks_in(folder: Path) -> list[Path]:
    """Workbooks in a data folder; the lock files office programs leave are not workbooks."""
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in SUFFIXES
                  and p.is_file() and not p.name.startswith(("~$", ".~lock")))


def read(path: Path, out: DefectCollector, wanted: Collection[str],
         table_rows: int) -> Book | None:
    """The wanted sheets of the workbook, or None with a clear defect when it cannot be
    opened. The file is measured first (sheet_scan): nothing is parsed that could exceed the
    limits, and the sheets not wanted are never loaded. `table_rows`: a table's row limit."""
    import python_calamine

    if path.is_symlink() or not path.is_file():
        out.add(path.name, "workbook bukan file biasa", expected="file .xlsx atau .ods")
        return None
    if path.stat().st_size > MAX_BYTES:
        out.add(path.name, "workbook terlalu besar",
                expected=f"di bawah {MAX_BYTES // 1024 // 1024} MB")
        return None
    with open(path, "rb") as handle:
        head = handle.read(4)
    if head == OLE_MAGIC:
        out.add(path.name, "workbook dilindungi kata sandi (terenkripsi)",
                expected="simpan ulang tanpa kata sandi pembuka")
        return None
    try:
        measured = sheet_scan.scan(path, wanted, table_rows)
    except sheet_scan.Refused as refused:
        out.add(*refused.args[:2], value=refused.args[2], expected=refused.args[3])
        return None
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        book = Book(path, names=list(workbook.sheet_names))
        for meta in workbook.sheets_metadata:
            if "hidden" in str(meta.visible).lower():  # Hidden or VeryHidden
                book.hidden.add(meta.name)
        for name in dict.fromkeys(book.names):
            if name not in wanted:
                continue  # never loaded
            if name not in measured.load:  # the reader sees a sheet the measure did not
                raise ValueError(name)
            sheet = workbook.get_sheet_by_name(name)
            rows = sheet.to_python(skip_empty_area=False)
            book.sheets[name] = Sheet(name, [list(r) for r in rows],
                                      f"{path.name}, sheet {name}")
            merged = [m for m in (_merged(sheet) or []) if m[0][0] == 0]
            if merged:
                (r0, c0), (r1, c1) = merged[0]
                start, end = f"{column_letter(c0)}{r0 + 1}", f"{column_letter(c1)}{r1 + 1}"
                book.merged_header[name] = f"{start}:{end}"
    except python_calamine.PasswordError:
        out.add(path.name, "workbook dilindungi kata sandi", expected="simpan ulang tanpa "
                "kata sandi pembuka")
        return None
    except (python_calamine.CalamineError, python_calamine.ZipError,
            python_calamine.XmlError, zipfile.BadZipFile, ValueError) as exc:
        out.add(path.name, "workbook rusak atau bukan workbook", value=type(exc).__name__,
                expected="file .xlsx atau .ods yang dapat dibuka spreadsheet")
        return None
    _apply_formats(book, measured.formats)
    return book


def _merged(sheet):
    try:
        return sheet.merged_cell_ranges
    except Exception:  # noqa: BLE001 - a format without merged-cell support has none
        return None


def _apply_formats(book: Book, formats: dict[str, tuple[dict, set]]) -> None:
    """Turn calamine's cells into str or Typed, with percent formats and formula caches."""
    for name, sheet in book.sheets.items():
        styled, formulas = formats.get(name, ({}, set()))
        for r, row in enumerate(sheet.rows):
            for c, value in enumerate(row):
                row[c] = _cell(value, *styled.get((r, c), (False, None)))
                if (r, c) in formulas and row[c] == "":
                    book.uncached.setdefault(name, []).append(f"{column_letter(c)}{r + 1}")


def _cell(value, percent: bool, decimals: int | None):
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, float) and math.isfinite(value) and value == int(value) \
            and abs(value) < 2 ** 53:
        value = int(value)  # spreadsheets store every number as a float
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    return Typed(value, percent and number, decimals if number else None)


# -- number formats and formulas, read from the file's XML ------------------------------------

_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


def is_percent_format(code: str | None) -> bool:
    """`0.00%` is a percent format; `0.00"%"` prints a literal % after a plain number."""
    return bool(code) and "%" in _QUOTED.sub("", code)


def format_decimals(code: str | None) -> int | None:
    """How many decimals a number format shows (`#,##0.00` 2, `0%` 0); None for General."""
    if not code or code.lower() == "general":
        return None
    section = _QUOTED.sub("", code).split(";")[0]
    if not re.search(r"[0#?]", section):
        return None
    tail = re.search(r"\.([0#?]+)", section)
    return len(tail.group(1)) if tail else 0
