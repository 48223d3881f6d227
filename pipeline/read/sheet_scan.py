"""Measure a received workbook before any of it is parsed by the spreadsheet reader.

python-calamine allocates a sheet as one grid from A1 to its last filled cell, and an .ods
file's every table as soon as it is opened; a tiny file can claim a grid of billions of cells,
or a part that inflates a thousandfold. So the zip directory is checked first (part count,
sizes, compression ratio), every part read is inflated through a counter that stops at the size
the directory declares, and the parts the reader opens are streamed once through expat with
DTDs and entities refused, no tree kept: of the sheets to be loaded, their last filled cell,
the repeats an .ods file declares and, in the same pass, which cells are percent-formatted or
formulas. Nothing larger than the limits below reaches the reader; an .xlsx sheet that is not
wanted is never read at all.
"""

from __future__ import annotations

import copy
import functools
import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import column_letter
from .formatting import number
from .schema import TABLES

MAX_PARTS = 1_000  # a workbook of 25 tables with notes is about a hundred parts
MAX_PART = 50 * 1024 * 1024  # one part, inflated: a year's largest sheet is a few MB
MAX_UNPACKED = 100 * 1024 * 1024  # all parts together, inflated
MAX_RATIO = 200  # inflated : stored, for parts above RATIO_FROM; spreadsheet XML is ~5-20
RATIO_FROM = 1024 * 1024
PAST = 1024 * 1024  # more than one read past a part's declared size, so it is seen
MAX_SHEETS = 200
MAX_STYLES = 64_000  # Excel's own limit on cell formats in a workbook
MAX_COLUMNS = 200  # the widest table has 31 columns
SPARE_ROWS = 1_000  # blank rows a sheet may hold between or below its table's rows

_NUMBER_FORMATS = {0: None, 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%"}
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"  # as expat names it: {_TABLE}}name
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_REF = re.compile(r"([A-Z]{1,4})([0-9]+)")  # C4; past XFD or any row, still read


class Refused(Exception):
    """A workbook refused before it is parsed; its arguments are a Defect's: where, message,
    value, expected."""

    def __init__(self, where: str, message: str, value: str | None = None,
                 expected: str | None = None):
        super().__init__(where, message, value, expected)


@dataclass
class Scan:
    """What a workbook holds, measured: every sheet's name, the sheets that may be loaded, and
    per loaded sheet its percent-styled cells {(row, column): (percent, decimals)} and its
    formula cells."""

    names: list[str] = field(default_factory=list)
    load: set[str] = field(default_factory=set)
    formats: dict[str, tuple[dict, set]] = field(default_factory=dict)


REPAIR = "file .xlsx atau .ods yang dapat dibuka spreadsheet"


def scan(path: Path, wanted: Collection[str], table_rows: int) -> Scan:
    """The workbook measured, or Refused with what is wrong. `wanted`: the sheets the build
    reads; `table_rows`: the most data rows a table may have."""
    try:
        with zipfile.ZipFile(path) as zf:
            _directory(path.name, zf)
            limits = _Limits(path.name, table_rows)
            if path.suffix.lower() == ".ods":
                return _ods(zf, limits, set(wanted))
            return _xlsx(zf, limits, set(wanted))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, NotImplementedError,
            RuntimeError, EOFError, OSError, ValueError) as exc:
        # RuntimeError: an encrypted zip member; NotImplementedError: an unknown compression
        raise Refused(path.name, "workbook rusak atau bukan workbook", type(exc).__name__,
                      REPAIR) from None


def _megabytes(size: int) -> str:
    megabytes = size / 1024 / 1024
    return f"{number(megabytes, 0 if megabytes == int(megabytes) else 1)} MB"


def _directory(name: str, zf: zipfile.ZipFile) -> None:
    """Part count, sizes and ratios as the zip directory declares them, before any is read."""
    infos = zf.infolist()
    if len(infos) > MAX_PARTS:
        raise Refused(name, f"workbook berisi terlalu banyak bagian ({number(len(infos))})",
                      expected=f"paling banyak {number(MAX_PARTS)} bagian zip")
    if len({i.filename for i in infos}) != len(infos):
        raise Refused(name, "workbook rusak: nama bagian zip ganda", expected=REPAIR)
    limits = (f"paling banyak {_megabytes(MAX_PART)} per bagian dan "
              f"{_megabytes(MAX_UNPACKED)} seluruhnya setelah dibuka")
    for info in infos:
        if info.file_size > MAX_PART:
            raise Refused(name, "bagian workbook terlalu besar setelah dibuka",
                          f"{info.filename}: {_megabytes(info.file_size)}", limits)
        if info.file_size > RATIO_FROM and info.file_size > MAX_RATIO * max(info.compress_size,
                                                                            1):
            ratio = info.file_size // max(info.compress_size, 1)
            raise Refused(name, "bagian workbook dimampatkan tidak wajar (zip bomb)",
                          f"{info.filename}: {number(ratio)} kali",
                          f"paling banyak {MAX_RATIO} kali untuk bagian di atas "
                          f"{_megabytes(RATIO_FROM)}")
    total = sum(i.file_size for i in infos)
    if total > MAX_UNPACKED:
        raise Refused(name, "workbook terlalu besar setelah dibuka", _megabytes(total), limits)


class _Part(io.RawIOBase):
    """A part's bytes as inflated, refused once they pass the size its directory entry
    declares: the directory's sizes are claims, this is the measure."""

    def __init__(self, book: str, zf: zipfile.ZipFile, member: str):
        info = zf.getinfo(member)
        probe = copy.copy(info)
        probe.file_size = info.file_size + PAST  # read on past the claim, to see what is there
        self._raw, self._left = zf.open(probe), info.file_size
        self._book, self._member = book, member

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        size = self._raw.readinto(buffer)
        self._left -= size
        if self._left < 0:
            raise Refused(self._book, "ukuran bagian workbook tidak sesuai daftar isinya",
                          self._member, REPAIR)
        return size

    def close(self) -> None:
        self._raw.close()
        super().close()


def _parse(book: str, zf: zipfile.ZipFile, member: str, start=None, end=None) -> None:
    """Stream a part through expat, calling start(name, attributes) and end(name) for each
    element; a name is `namespace}local` (`_local` keeps the local name). No tree is built,
    so memory stays flat however large the part; a DTD, an entity declaration or an external
    entity is refused (as defusedxml does). The part is read to its end, so what the reader
    will see is what was measured."""
    from xml.parsers import expat

    def forbidden(*_) -> None:
        raise Refused(book, f"workbook rusak: {member} memuat DTD atau entitas XML",
                      expected=REPAIR)

    if member not in zf.NameToInfo:
        raise Refused(book, f"workbook rusak: bagian {member} tidak ada", expected=REPAIR)
    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartDoctypeDeclHandler = parser.EntityDeclHandler = forbidden
    parser.UnparsedEntityDeclHandler = parser.ExternalEntityRefHandler = forbidden
    if start:
        parser.StartElementHandler = start
    if end:
        parser.EndElementHandler = end
    with _Part(book, zf, member) as stream:
        try:
            while chunk := stream.read(1 << 16):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
        except expat.ExpatError as exc:
            raise Refused(book, f"workbook rusak: {member} bukan XML yang sah",
                          f"baris {exc.lineno}, kolom {exc.offset + 1}", REPAIR) from None


def _local(name: str) -> str:
    """`urn:...:table:1.0}table-row` -> `table-row`: a file may bind any prefix."""
    return name.rpartition("}")[2]


def _count(text: str | None, default: int = 1) -> int | None:
    """A count or index written in the file, None when it is not digits; a number longer
    than any limit reads as 10**12."""
    if text is None:
        return default
    if not (text.isascii() and text.isdigit()):
        return None
    digits = text.lstrip("0") or "0"
    return int(digits) if len(digits) <= 12 else 10 ** 12


@functools.lru_cache(maxsize=1024)
def _column(letters: str) -> int:
    """`A` -> 0, `XFD` -> 16383."""
    return sum((ord(ch) - 64) * 26 ** i for i, ch in enumerate(reversed(letters))) - 1


def _number_in(where: str, member: str, text: str | None, default: int = 1) -> int:
    value = _count(text, default)
    if value is None:
        raise Refused(where, f"workbook rusak: angka tidak sah di {member}", text[:20], REPAIR)
    return value


@dataclass
class _Limits:
    """The grid a sheet and the loaded sheets together may span, counted from A1."""

    book: str
    table_rows: int
    used: int = 0  # cells of the sheets measured before

    @property
    def rows(self) -> int:
        return self.table_rows + 1 + SPARE_ROWS

    @property
    def cells(self) -> int:
        """All sheets loaded together span at most the widest table at the row limit: ~0,4
        GB once read into Python, whatever the sheets."""
        return self.rows * max(len(table.columns) for table in TABLES)

    def expected(self) -> str:
        return (f"paling banyak {number(self.rows)} baris ({number(self.table_rows)} baris "
                f"data, judul dan baris kosong) dan {MAX_COLUMNS} kolom (A sampai "
                f"{column_letter(MAX_COLUMNS - 1)}) per sheet; hapus isi sel di luar tabel")

    def check(self, sheet: str, rows: int, columns: int, ref: str, note: str = "") -> None:
        """A sheet whose filled cells reach `ref` (`rows` x `columns` from A1) fits."""
        where = f"{self.book}, sheet {sheet}"
        if rows > self.rows or columns > MAX_COLUMNS:
            raise Refused(where, f"sheet terlalu besar: sel {ref} terisi{note}",
                          expected=self.expected())
        if self.used + rows * columns > self.cells:
            raise Refused(where, "workbook terlalu besar: sheet yang dibaca mencakup "
                          f"{number(self.used + rows * columns)} sel (baris × kolom dari A1)"
                          f"{note}", expected=f"paling banyak {number(self.cells)} sel "
                          "seluruhnya (tabel terlebar sepanjang batas baris)")


# -- .xlsx --------------------------------------------------------------------------------------

_RELATION = "relationships}id"  # r:id, in the transitional or the strict namespace


def _xlsx(zf: zipfile.ZipFile, limits: _Limits, wanted: set[str]) -> Scan:
    """The parts the reader opens with the file (workbook, relations, styles, shared strings)
    and the wanted sheets; the other sheets are never read, by us or by the reader."""
    book = limits.book
    sheets, relations = _xlsx_sheets(book, zf), _xlsx_relations(book, zf)
    styles = _xlsx_styles(book, zf)
    if "xl/sharedStrings.xml" in zf.NameToInfo:
        _parse(book, zf, "xl/sharedStrings.xml")
    found = Scan(names=[name for name, _ in sheets])
    _unique(book, found.names)
    for name, rid in sheets:
        if name not in wanted:
            continue
        parts = _candidates(relations.get(rid, ""), zf)
        if not parts:
            raise Refused(f"{book}, sheet {name}", "workbook rusak: isi sheet tidak ditemukan",
                          expected=REPAIR)
        for member in parts:  # whichever the reader resolves has been measured
            sheet = _XlsxSheet(name, styles, limits, member)
            _parse(book, zf, member, sheet.start, sheet.end)
            limits.used += sheet.rows * sheet.columns
            found.formats[name] = (sheet.styled, sheet.formulas)
        found.load.add(name)
    return found


def _xlsx_sheets(book: str, zf: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(name, relationship id) of every sheet, in the workbook's order."""
    sheets = []

    def start(tag: str, attributes: dict) -> None:
        if _local(tag) == "sheet":
            sheets.append((attributes.get("name", ""), next(
                (v for k, v in attributes.items() if k.endswith(_RELATION)), "")))
            if len(sheets) > MAX_SHEETS:
                raise Refused(book, "workbook berisi terlalu banyak sheet",
                              expected=f"paling banyak {MAX_SHEETS} sheet")

    _parse(book, zf, "xl/workbook.xml", start)
    return sheets


def _xlsx_relations(book: str, zf: zipfile.ZipFile) -> dict[str, str]:
    found = {}

    def start(tag: str, attributes: dict) -> None:
        if _local(tag) == "Relationship":
            found[attributes.get("Id", "")] = attributes.get("Target", "")
            if len(found) > MAX_PARTS:
                raise Refused(book, "workbook rusak: terlalu banyak relasi", expected=REPAIR)

    _parse(book, zf, "xl/_rels/workbook.xml.rels", start)
    return found


def _candidates(target: str, zf: zipfile.ZipFile) -> list[str]:
    """The parts a sheet's target may name, as readers resolve it, that exist: python-calamine
    drops a leading `/` before `xl/` and puts `xl/` before anything else."""
    if not target:
        return []
    names = {target, target.lstrip("/"), f"xl/{target}",
             target[1:] if target.startswith("/xl/") else target,
             posixpath.normpath(f"xl/{target}")}
    return sorted(n for n in names if n in zf.NameToInfo)


def _xlsx_styles(book: str, zf: zipfile.ZipFile) -> dict[int, tuple[bool, int | None]]:
    """Cell style index -> (percent, decimals) of its number format."""
    from .sheets import format_decimals, is_percent_format

    member = "xl/styles.xml"
    if member not in zf.NameToInfo:
        return {}
    codes, formats, parents = dict(_NUMBER_FORMATS), [], []

    def start(tag: str, attributes: dict) -> None:
        tag = _local(tag)
        if tag == "numFmt":
            codes[_number_in(book, member, attributes.get("numFmtId"), 0)] = \
                attributes.get("formatCode")
        elif tag == "xf" and parents and parents[-1] == "cellXfs":
            formats.append(_number_in(book, member, attributes.get("numFmtId"), 0))
            if len(formats) > MAX_STYLES:
                raise Refused(book, "workbook berisi terlalu banyak gaya sel",
                              expected=f"paling banyak {number(MAX_STYLES)} gaya sel")
        parents.append(tag)

    _parse(book, zf, member, start, lambda tag: parents.pop())
    return {index: (is_percent_format(codes.get(f)), format_decimals(codes.get(f)))
            for index, f in enumerate(formats)}


class _XlsxSheet:
    """One sheet streamed: its last filled cell within the limits, its styled and formula
    cells. A cell is filled when it holds anything (a value, an inline string, a formula);
    the reader places a cell without a reference right of the one before, and a row without
    a number below the one before."""

    def __init__(self, name: str, styles: dict, limits: _Limits, member: str):
        self.name, self.styles, self.limits, self.member = name, styles, limits, member
        self.where = f"{limits.book}, sheet {name}"
        self.rows = self.columns = 0  # the filled extent, from A1
        self.row, self.column = -1, -1  # the cell being read
        self.cell: dict | None = None  # its attributes until it is found filled
        self.inside = False
        self.styled, self.formulas = {}, set()

    def start(self, tag: str, attributes: dict) -> None:
        tag = tag.rpartition("}")[2]  # _local, inline: this runs for every element
        if self.inside:  # anything in a cell fills it
            if self.cell is not None:
                self._filled(self.cell)
                self.cell = None
            if tag == "f":
                self.formulas.add((self.row, self.column))
        elif tag == "c":
            ref = attributes.get("r")
            self.row, self.column = (self._position(ref) if ref is not None
                                     else (self.row, self.column + 1))
            self.cell, self.inside = attributes, True
        elif tag == "row":
            self.row = _number_in(self.where, self.member, attributes.get("r"),
                                  self.row + 2) - 1
            self.column = -1
            if self.row < 0:
                raise Refused(self.where, "workbook rusak: nomor baris 0", expected=REPAIR)

    def end(self, tag: str) -> None:
        if self.inside and (tag == "c" or tag.endswith("}c")):
            self.inside, self.cell = False, None

    def _filled(self, attributes: dict) -> None:
        row, column = self.row, self.column
        if row + 1 > self.rows or column + 1 > self.columns:
            self.rows, self.columns = max(self.rows, row + 1), max(self.columns, column + 1)
            self.limits.check(self.name, self.rows, self.columns,
                              f"{column_letter(min(column, 16383))}{row + 1}")
        style = self.styles.get(_number_in(self.where, self.member, attributes.get("s"), 0))
        if style and (style[0] or style[1] is not None):
            self.styled[(row, column)] = style

    def _position(self, ref: str) -> tuple[int, int]:
        """`C4` -> (3, 2); a reference past any limit reads as far as it says."""
        match = _REF.fullmatch(ref)
        row = _count(match[2]) if match else None
        if not row:
            raise Refused(self.where, "workbook rusak: alamat sel tidak sah", ref[:20], REPAIR)
        return row - 1, _column(match[1])


# -- .ods ---------------------------------------------------------------------------------------

def _ods(zf: zipfile.ZipFile, limits: _Limits, wanted: set[str]) -> Scan:
    """Every table of content.xml: the reader loads them all when it opens the file, so all
    are measured, the ignored ones too; formats are kept for the wanted ones."""
    book = limits.book

    def encrypted(tag: str, attributes: dict) -> None:
        if _local(tag) == "encryption-data":
            raise Refused(book, "workbook dilindungi kata sandi",
                          expected="simpan ulang tanpa kata sandi pembuka")

    if "META-INF/manifest.xml" in zf.NameToInfo:
        _parse(book, zf, "META-INF/manifest.xml", encrypted)
    content = _OdsContent(limits, wanted)
    _parse(book, zf, "content.xml", content.start, content.end)
    _unique(book, content.found.names)
    return content.found


def _unique(book: str, names: list[str]) -> None:
    """Office programs refuse two sheets of one name; a reader would load one of them, maybe
    not the one measured."""
    doubled = sorted({name for name in names if names.count(name) > 1})
    if doubled:
        raise Refused(book, "workbook rusak: nama sheet ganda", ", ".join(doubled)[:80], REPAIR)


class _OdsContent:
    """content.xml streamed: tables, their rows and cells with the repeats they declare, and
    each table's filled extent. Empty repeated rows and cells (LibreOffice writes a million
    of them below and right of the data) cost nothing, as the reader skips them too; a
    repeat that holds anything counts in full."""

    def __init__(self, limits: _Limits, wanted: set[str]):
        self.limits, self.wanted, self.found = limits, wanted, Scan()
        self.table: str | None = None
        self._reset()

    def _reset(self) -> None:
        self.rows = self.columns = 0  # the filled extent, from A1
        self.row, self.repeat, self.column, self.span = 0, 1, 0, 1  # the cell being read
        self.cell: dict | None = None  # its attributes until it is found filled
        self.inside = False
        self.percent, self.formulas = set(), set()

    def start(self, tag: str, attributes: dict) -> None:
        tag = _local(tag)
        if self.inside:  # anything in a cell fills it
            if tag == "table":
                raise Refused(self.limits.book, "workbook rusak: tabel di dalam sel",
                              expected=REPAIR)
            if self.cell is not None:
                self._filled(self.cell)
        elif tag in ("table-cell", "covered-table-cell"):
            self.span = self._repeat(attributes, "number-columns-repeated")
            self.cell, self.inside = attributes, True
            if f"{_OFFICE}}}value-type" in attributes or f"{_TABLE}}}formula" in attributes:
                self._filled(attributes)
        elif tag == "table-row":
            self.repeat, self.column = self._repeat(attributes, "number-rows-repeated"), 0
        elif tag == "table":
            if self.table is not None:
                raise Refused(self.limits.book, "workbook rusak: tabel di dalam tabel",
                              expected=REPAIR)
            self.table = attributes.get(f"{_TABLE}}}name", "")
            self.found.names.append(self.table)
            if len(self.found.names) > MAX_SHEETS:
                raise Refused(self.limits.book, "workbook berisi terlalu banyak sheet",
                              expected=f"paling banyak {MAX_SHEETS} sheet")

    def end(self, tag: str) -> None:
        tag = _local(tag)
        if tag in ("table-cell", "covered-table-cell") and self.inside:
            self.column += self.span
            self.inside, self.cell = False, None
        elif tag == "table-row":
            self.row += self.repeat
        elif tag == "table" and self.table is not None:
            self.limits.used += self.rows * self.columns
            if self.table in self.wanted:
                self.found.load.add(self.table)
                self.found.formats[self.table] = (
                    {cell: (True, None) for cell in self.percent}, self.formulas)
            self.table = None
            self._reset()

    def _filled(self, attributes: dict) -> None:
        """The cell being read holds something, over its repeats: the extent grows to it."""
        self.cell = None
        last_row, last_column = self.row + self.repeat, self.column + self.span
        if last_row > self.rows or last_column > self.columns:
            self.rows, self.columns = max(self.rows, last_row), max(self.columns, last_column)
            repeats = [f"{what} diulang {number(times)} kali ({attribute})" for what, times,
                       attribute in (("baris", self.repeat, "number-rows-repeated"),
                                     ("sel", self.span, "number-columns-repeated"))
                       if times > 1]
            note = f" ({'; '.join(repeats)})" if repeats else ""
            if self.table not in self.wanted:
                note += "; file .ods dibaca seluruhnya, termasuk sheet yang tidak dipakai"
            ref = f"{column_letter(min(last_column, 16384) - 1)}{last_row}"
            self.limits.check(self.table or "", self.rows, self.columns, ref, note)
        if self.table not in self.wanted:
            return
        cells = {(r, c) for r in range(self.row, last_row)
                 for c in range(self.column, last_column)}
        if attributes.get(f"{_OFFICE}}}value-type") == "percentage":
            self.percent.update(cells)
        if attributes.get(f"{_TABLE}}}formula"):
            self.formulas.update(cells)

    def _repeat(self, attributes: dict, name: str) -> int:
        text = attributes.get(f"{_TABLE}}}{name}")
        value = _count(text)
        if not value:
            raise Refused(f"{self.limits.book}, sheet {self.table}",
                          f"workbook rusak: {name} tidak sah", text[:20], REPAIR)
        return value
