"""Read a year's workbook (.xlsx or .ods): one sheet per table, named as its CSV file.

Values come from python-calamine (cached values for formulas). What calamine does not say is
read from the file itself: which numeric cells carry a percent format (22,05% is stored as
0,2205), and which formula cells have no cached value. Typed cells keep their value
(`Typed`); text cells are read exactly like CSV text.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from .errors import DefectCollector, column_letter
from .formatting import date as id_date
from .numbers import round_half_up

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
        """The number, scaled from a fraction when the cell is formatted as a percent."""
        if isinstance(self.value, bool) or not isinstance(self.value, (int, float)):
            return None
        value = Decimal(repr(self.value)) if isinstance(self.value, float) else Decimal(
            self.value)
        return (value * 100).normalize() if self.percent else value


def _text(value, percent: bool, decimals: int | None = None) -> str:
    """The cell as the spreadsheet shows it: its format's decimals decide what is printed."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (dt.datetime, dt.date)):
        return id_date(value if isinstance(value, dt.date) and not isinstance(
            value, dt.datetime) else value.date())
    if isinstance(value, (int, float)):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if percent:
            number *= 100
        if decimals is not None:
            text = format(round_half_up(number, decimals), "f")
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
    sheets: dict[str, Sheet] = field(default_factory=dict)
    hidden: set[str] = field(default_factory=set)
    merged_header: dict[str, str] = field(default_factory=dict)  # sheet -> range like A1:C1
    uncached: dict[str, list[str]] = field(default_factory=dict)  # sheet -> cells


def workbooks_in(folder: Path) -> list[Path]:
    """Workbooks in a data folder; the lock files office programs leave are not workbooks."""
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in SUFFIXES
                  and p.is_file() and not p.name.startswith(("~$", ".~lock")))


def read(path: Path, out: DefectCollector) -> Book | None:
    """The workbook's sheets, or None with a clear defect when it cannot be opened."""
    import python_calamine

    if path.is_symlink() or not path.is_file():
        out.add(path.name, "workbook bukan file biasa", expected="file .xlsx atau .ods")
        return None
    if path.stat().st_size > MAX_BYTES:
        out.add(path.name, "workbook terlalu besar",
                expected=f"di bawah {MAX_BYTES // 1024 // 1024} MB")
        return None
    head = path.read_bytes()[:4]
    if head == OLE_MAGIC:
        out.add(path.name, "workbook dilindungi kata sandi (terenkripsi)",
                expected="simpan ulang tanpa kata sandi pembuka")
        return None
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        book = Book(path)
        for meta in workbook.sheets_metadata:
            if "hidden" in str(meta.visible).lower():  # Hidden or VeryHidden
                book.hidden.add(meta.name)
        for name in workbook.sheet_names:
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
    try:
        _apply_formats(book)
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        out.add(path.name, "workbook rusak", value=type(exc).__name__,
                expected="file .xlsx atau .ods yang dapat dibuka spreadsheet")
        return None
    return book


def _merged(sheet):
    try:
        return sheet.merged_cell_ranges
    except Exception:  # noqa: BLE001 - a format without merged-cell support has none
        return None


def _apply_formats(book: Book) -> None:
    """Turn calamine's cells into str or Typed, with percent formats and formula caches."""
    formats = (_xlsx_formats if book.path.suffix.lower() == ".xlsx" else _ods_formats)(book.path)
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
    if isinstance(value, float) and value == int(value) and abs(value) < 2 ** 53:
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


_BUILTIN = {0: None, 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%"}


MAX_XML = 200 * 1024 * 1024  # a year's tables are kilobytes; more is a zip bomb or a wrong file


def _xml(zf: zipfile.ZipFile, name: str):
    """A part of the file, parsed without DTDs or entities (the file is untrusted)."""
    from defusedxml import ElementTree

    if zf.getinfo(name).file_size > MAX_XML:
        raise ValueError(f"{name} terlalu besar")
    return ElementTree.fromstring(zf.read(name))


_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
       "rel": "http://schemas.openxmlformats.org/package/2006/relationships"}
_REF = re.compile(r"^([A-Z]+)(\d+)$")


def _xlsx_formats(path: Path) -> dict[str, tuple[dict, set]]:
    """Per sheet: each styled cell's (percent, decimals), and the formula cells."""
    with zipfile.ZipFile(path) as zf:
        styles = _number_styles(zf)
        workbook = _xml(zf, "xl/workbook.xml")
        rels = _xml(zf, "xl/_rels/workbook.xml.rels")
        targets = {r.get("Id"): r.get("Target") for r in rels.findall("rel:Relationship", _NS)}
        out = {}
        for sheet in workbook.findall("m:sheets/m:sheet", _NS):
            target = targets.get(sheet.get(f"{{{_NS['r']}}}id"), "")
            member = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            out[sheet.get("name")] = _xlsx_sheet(_xml(zf, member), styles)
        return out


def _number_styles(zf: zipfile.ZipFile) -> dict[int, tuple[bool, int | None]]:
    """Cell style index -> (percent, decimals) of its number format."""
    if "xl/styles.xml" not in zf.namelist():
        return {}
    styles = _xml(zf, "xl/styles.xml")
    codes = {**_BUILTIN, **{int(f.get("numFmtId")): f.get("formatCode")
                            for f in styles.findall("m:numFmts/m:numFmt", _NS)}}
    found = {}
    for index, xf in enumerate(styles.findall("m:cellXfs/m:xf", _NS)):
        code = codes.get(int(xf.get("numFmtId", "0")))
        found[index] = (is_percent_format(code), format_decimals(code))
    return found


def _xlsx_sheet(root, styles: dict) -> tuple[dict, set]:
    styled, formulas = {}, set()
    for cell in root.iter(f"{{{_NS['m']}}}c"):
        match = _REF.match(cell.get("r", ""))
        if not match:
            continue
        column = sum((ord(ch) - 64) * 26 ** i for i, ch in enumerate(reversed(match[1]))) - 1
        where = (int(match[2]) - 1, column)
        style = styles.get(int(cell.get("s", "0")))
        if style and (style[0] or style[1] is not None):
            styled[where] = style
        if cell.find("m:f", _NS) is not None:
            formulas.add(where)
    return styled, formulas


_ODS = {"table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
        "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0"}


def _ods_formats(path: Path) -> dict[str, tuple[dict, set]]:
    """ODS cells say their own value type (`percentage`) and formula on the cell."""
    with zipfile.ZipFile(path) as zf:
        root = _xml(zf, "content.xml")
    t, o = _ODS["table"], _ODS["office"]
    out = {}
    for table in root.iter(f"{{{t}}}table"):
        percent, formulas = set(), set()
        r = 0
        for row in table.iter(f"{{{t}}}table-row"):
            rows = int(row.get(f"{{{t}}}number-rows-repeated", "1"))
            c = 0
            for cell in row:
                if not cell.tag.endswith(("table-cell", "covered-table-cell")):
                    continue
                span = int(cell.get(f"{{{t}}}number-columns-repeated", "1"))
                marks = [found for found, flag in (
                    (percent, cell.get(f"{{{o}}}value-type") == "percentage"),
                    (formulas, bool(cell.get(f"{{{t}}}formula")))) if flag]
                for found in marks:  # repeats are bounded: a table is not a million cells
                    found.update((r + dr, c + dc) for dr in range(min(rows, 1000))
                                 for dc in range(min(span, 1000)))
                c += span
            r += rows
        out[table.get(f"{{{t}}}name")] = ({cell: (True, None) for cell in percent}, formulas)
    return out
