"""`make import DOC=lkip_2023.pdf YEAR=2023`: a received LKIP turned into the project's own
workbook, so an agency starts from last year's document instead of typing it.

The document is read and understood as the audit reads it, recognised as the data
dictionary's tables (recognise.py, recognise_budget.py, recognise_agency.py), and written as
the workbook `make workbook` writes (every cell a text value, never a formula; written to a
temporary file and renamed), plus two sheets for the analyst: `perlu_diperiksa` (each
uncertain cell, also coloured and commented where it is) and `belum_dikenali` (each table, row
and paragraph nothing was taken from). The build ignores both sheets.

Analysts' data is precious: an existing workbook, or a data folder that already holds
inputs, is never overwritten without FORCE=1, and then its inputs are moved aside into
`<RAW>/<YEAR>-sebelum-impor/`, not deleted.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from .. import config
from ..check.document import across
from ..check.document.tables import quarter
from ..errors import DefectCollector, parameter
from ..present import workbook
from ..read import ingest, inputs
from ..read.document import Document, read, understand
from ..read.document.understand import Reading
from ..read.schema import TABLES, table
from . import recognise as performance
from . import recognise_agency, recognise_budget
from .recognise import SHOWN_TEXT, Builder, Imported, Unrecognised, table_place

# in order: an IKU is known before its targets and series, a program before its rows
RECOGNISERS = (performance.iku_from_decision, performance.iku_from_pk, performance.series,
               performance.measures, performance.tujuan, performance.province_targets,
               recognise_budget.pk_programs, recognise_budget.budget, performance.efficiency,
               performance.quarters)

CHECK_SHEET, UNKNOWN_SHEET = ingest.IMPORT_SHEETS
MARK_FILL = "FFE699"  # the colour of a cell to check
MARK_AUTHOR = "impor"
BACKUP = "{year}-sebelum-impor"
MAX_BACKUPS = 100  # numbered backup folders tried before giving up
CHECK_COLUMNS = ("sheet", "sel", "kolom", "nilai", "alasan", "sumber")
UNKNOWN_COLUMNS = ("jenis", "tempat", "teks", "alasan")
PAGE_NUMBER = r"^[-–\s]*\d{1,4}[-–\s]*$"  # `- 1 -`: a page's number, not a paragraph
SHOWN_NAMES = 5  # existing files named in a refusal


@dataclass
class Result:
    """What an import wrote, what it found, where the data it replaced went, and what the
    terminal says."""

    path: Path
    imported: Imported
    moved: Path | None
    lines: list[str]


# -- from the document to the tables ----------------------------------------------------------

def recognise(document: Document, reading: Reading, year: int) -> Imported:
    """Every table the document gives, what to check in them, and what was not used."""
    b = Builder(document, reading, year)
    recognise_agency.instansi(b)
    for step in RECOGNISERS:
        step(b)
    recognise_agency.signatures(b)
    narrative = recognise_agency.narrative(b)
    for t in TABLES:  # the required sheets are there to be filled, found or not
        if not t.optional:
            b.rows(t.file)
    return Imported(document.name, year, b.tables, narrative, b.marks, _unrecognised(b))


def _unrecognised(b: Builder) -> list[Unrecognised]:
    """Each table and paragraph nothing was taken from, and the rows skipped, in order."""
    out = []
    for t in b.reading.tables:
        if t.table.number in b.used_tables:
            continue
        roles = ", ".join(c.role.role or "?" for c in t.columns)
        reason = "laporan triwulan yang belum diimpor (isi sheet triwulan_keuangan atau " \
            "triwulan_kinerja sendiri)" if quarter(t) is not None else \
            f"tidak dipetakan ke sheet mana pun (peran kolom: {roles})"
        out.append(Unrecognised("tabel", table_place(t), t.table.title[:SHOWN_TEXT], reason))
    out += b.skipped
    for p in b.document.paragraphs:
        if p.number in b.used_paragraphs or not p.text.strip() or re.match(PAGE_NUMBER, p.text):
            continue
        place = f"paragraf {p.number}" + (f" (halaman {p.page})" if p.page else "")
        out.append(Unrecognised("paragraf", place, p.text[:SHOWN_TEXT], "teks: tidak dibaca "
                                "sebagai data (narasi ditulis di sheet narasi)"))
    return out


# -- where it is written ----------------------------------------------------------------------

def default_target(raw: Path, year: int) -> Path:
    return Path(raw) / str(year) / workbook.book_name(year)


def _refuse(path: Path, message: str, expected: str, value: str | None = None) -> None:
    out = DefectCollector()
    out.add(str(path), message, value=value, expected=expected)
    out.raise_if_any()


def check_shape(path: Path) -> None:
    """OUT is a workbook file that may be written (make workbook's rules: no link, .xlsx, an
    existing file only when it is a workbook)."""
    problem = workbook._target_problem(path)
    if problem:
        message, expected, value = problem
        _refuse(path, message, expected, value)


def existing(path: Path, raw: Path, year: int) -> list[Path]:
    """The files an import to path would replace: in the year's data folder, its inputs
    (tables, workbook, narasi/); elsewhere, path itself. Refused outright: a path a
    workbook cannot be written to, or a place in the data folder other than the year's."""
    path, raw = Path(path), Path(raw)
    check_shape(path)
    folder = raw / str(year)
    where, data = path.parent.resolve(), raw.resolve()
    if not (where == data or where.is_relative_to(data)):
        return [path] if path.exists() else []
    if where != folder.resolve() or folder.is_symlink():
        _refuse(path, "file keluaran di dalam folder data tetapi bukan di folder tahunnya",
                f"{default_target(raw, year)} (bawaan), atau file di luar {raw}")
    if not inputs.safe(path.name):
        _refuse(path, "nama workbook tidak sah di folder data", inputs.NAME_RULE)
    if not folder.is_dir():
        return []
    return [p for p in inputs.files(folder) if p.is_file()]


def check_target(path: Path, raw: Path, year: int, force: bool) -> list[Path]:
    """What would be replaced; refused (exit 2) unless FORCE=1."""
    found = existing(path, raw, year)
    if found and not force:
        names = ", ".join(p.name if p.parent.name != inputs.NARRATIVE_DIR else
                          f"{inputs.NARRATIVE_DIR}/{p.name}" for p in found[:SHOWN_NAMES])
        more = f" dan {len(found) - SHOWN_NAMES} lainnya" if len(found) > SHOWN_NAMES else ""
        aside = f"{Path(raw) / BACKUP.format(year=year)}/" if path.parent.resolve() == (
            Path(raw) / str(year)).resolve() else "(diganti)"
        _refuse(path, f"sudah ada data yang tidak ditimpa: {names}{more}",
                f"FORCE=1 untuk tetap mengimpor (file yang ada dipindahkan ke {aside}), atau "
                "OUT=<file .xlsx lain>", value=None)
    return found


def _backup_folder(raw: Path, year: int) -> Path:
    for n in range(1, MAX_BACKUPS + 1):
        name = BACKUP.format(year=year) + ("" if n == 1 else f"-{n}")
        if not (raw / name).exists():
            return raw / name
    _refuse(raw, "terlalu banyak folder cadangan impor", f"hapus folder {BACKUP.format(year=year)}"
            "-* yang tidak diperlukan")
    raise AssertionError  # _refuse raised


def _move_aside(files: list[Path], folder: Path, backup: Path) -> list[tuple[Path, Path]]:
    """The year folder's inputs moved into backup, keeping narasi/ as it is."""
    moved = []
    for path in files:
        into = backup / path.relative_to(folder)
        into.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, into)
        moved.append((path, into))
    narasi = folder / inputs.NARRATIVE_DIR
    if narasi.is_dir() and not narasi.is_symlink() and not any(narasi.iterdir()):
        narasi.rmdir()
    return moved


def _move_back(moved: list[tuple[Path, Path]], backup: Path | None) -> None:
    """A failed write leaves the year folder as it was, and no empty backup folder."""
    for path, into in reversed(moved):
        path.parent.mkdir(parents=True, exist_ok=True)
        os.replace(into, path)
    if backup is not None and backup.is_dir() and \
            not any(p.is_file() for p in backup.rglob("*")):
        shutil.rmtree(backup)


# -- the workbook -----------------------------------------------------------------------------

def _clean(text: str) -> str:
    """A text an XML cell can hold: control characters from the document dropped."""
    return workbook.NOT_IN_XML.sub("", str(text))


def _cleaned(imported: Imported) -> tuple[dict, dict]:
    tables = {f: [{k: _clean(v) for k, v in row.items()} for row in rows]
              for f, rows in imported.tables.items()}
    return tables, {name: _clean(text) for name, text in imported.narrative.items()}


def _text_cell(ws, row: int, column: int, value: str):
    cell = ws.cell(row, column, _clean(value))
    cell.data_type = workbook.TEXT  # text stays text, also `=…`
    return cell


def _annotate(book, imported: Imported) -> None:
    """Each uncertain cell coloured with its reason as a comment, and the two lists."""
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    rows = []
    for mark in imported.marks:
        sheet = mark.file.removesuffix(".csv")
        if sheet not in book.sheetnames:
            continue
        ws = book[sheet]
        column = table(mark.file).names.index(mark.column) + 1
        cell = ws.cell(mark.row + 2, column)
        text = f"{mark.reason}" + (f" (sumber: {mark.source})" if mark.source else "")
        old = cell.comment.text + "\n" if cell.comment else ""
        cell.comment = Comment(_clean(old + text), MARK_AUTHOR, width=360, height=140)
        cell.fill = PatternFill("solid", fgColor=MARK_FILL)
        rows.append((sheet, cell.coordinate, mark.column, str(cell.value or ""), mark.reason,
                     mark.source))
    _list_sheet(book, CHECK_SHEET, CHECK_COLUMNS, rows)
    _list_sheet(book, UNKNOWN_SHEET, UNKNOWN_COLUMNS,
                [(u.kind, u.place, u.text, u.reason) for u in imported.unrecognised])
    notes = book[workbook.NOTES_SHEET]
    start = notes.max_row + 2
    for i, line in enumerate(NOTES_LINES):
        _text_cell(notes, start + i, 1, line)
    notes.cell(start, 1).font = Font(bold=True)


NOTES_LINES = (
    "HASIL IMPOR DOKUMEN",
    "Workbook ini diisi dari dokumen LKIP oleh make import. Sel berwarna kuning perlu "
    "diperiksa: alasannya di komentar sel dan di sheet perlu_diperiksa.",
    "Sheet belum_dikenali mendaftar tabel, baris dan paragraf dokumen yang tidak diambil "
    "datanya; isi sendiri yang diperlukan. Kedua sheet itu tidak dibaca oleh make report.",
)


def _list_sheet(book, name: str, header: tuple[str, ...], rows: list[tuple]) -> None:
    from openpyxl.styles import Font

    ws = book.create_sheet(name)
    for column, text in enumerate(header, 1):
        _text_cell(ws, 1, column, text).font = Font(bold=True)
    for number, row in enumerate(rows, 2):
        for column, text in enumerate(row, 1):
            _text_cell(ws, number, column, text)
    for column, width in zip("ABCDEF", (16, 30, 22, 60, 70, 50)):
        ws.column_dimensions[column].width = width
    ws.freeze_panes = "A2"


# -- the command ------------------------------------------------------------------------------

def _year(text: str | None, reading: Reading, lines: list[str]) -> int:
    """YEAR as given (a document of another year is said), else the PK's year."""
    found = across.report_year(reading)
    if text is None:
        if found is None:
            raise parameter("YEAR", "tahun laporan tidak disebut dan tidak tampak di dokumen",
                            "", "YEAR=<tahun>, mis. YEAR=2024")
        lines.append(f"YEAR tidak disebut: tahun laporan dokumen, {found}")
        return found
    if not config.YEAR_PATTERN.match(str(text)):
        raise parameter("YEAR", "tahun laporan tidak sah", str(text),
                        "tahun empat digit, mis. YEAR=2024")
    if found is not None and found != int(text):
        lines.append(f"Catatan: dokumen tampaknya LKIP {found} (judul PK), diimpor sebagai "
                     f"tahun {text}")
    return int(text)


def run(doc: Path, year: str | None, raw: Path, out: Path | None, force: bool) -> Result:
    """Read, recognise, write; DocumentError for a document that cannot be read, InputError
    for a target that may not be written."""
    lines: list[str] = []
    if out is not None:  # a wrong OUT is said before the document is read
        check_shape(Path(out))
    document = read(Path(doc))
    reading = understand(document)
    at = _year(year, reading, lines)
    path = Path(out) if out is not None else default_target(raw, at)
    found = check_target(path, raw, at, force)
    imported = recognise(document, reading, at)
    tables, narrative = _cleaned(imported)
    moved: list[tuple[Path, Path]] = []
    backup = None
    if found and path.parent.resolve() == (Path(raw) / str(at)).resolve():
        backup = _backup_folder(Path(raw), at)
        moved = _move_aside(found, Path(raw) / str(at), backup)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        workbook.write(tables, path, narrative, finish=lambda book: _annotate(book, imported))
    except BaseException:
        _move_back(moved, backup)
        raise
    lines += summary(imported, path, backup, raw)
    return Result(path, imported, backup, lines)


def summary(imported: Imported, path: Path, backup: Path | None, raw: Path) -> list[str]:
    """What the terminal says: what was recognised, what to check, what is left."""
    counts = [f"{f.removesuffix('.csv')} {len(rows)}" for f, rows in imported.tables.items()
              if rows]
    kinds: dict[str, int] = {}
    for u in imported.unrecognised:
        kinds[u.kind] = kinds.get(u.kind, 0) + 1
    left = ", ".join(f"{n} {k}" for k, n in kinds.items()) or "tidak ada"
    lines = [f"Impor {imported.document} (tahun {imported.year}): {path}",
             f"  dikenali (baris per sheet): {', '.join(counts)}",
             f"  perlu diperiksa: {len(imported.marks)} sel (berwarna kuning, alasan di "
             f"komentarnya; daftar di sheet {CHECK_SHEET})",
             f"  belum dikenali: {left} (sheet {UNKNOWN_SHEET})"]
    if backup is not None:
        lines.append(f"  data yang sudah ada dipindahkan ke {backup}/ (FORCE=1)")
    in_data = path.parent.resolve() == (Path(raw) / str(imported.year)).resolve()
    where = "" if Path(raw).resolve() == config.RAW.resolve() else f" RAW={raw}"
    build = f"make report YEAR={imported.year}{where}" if in_data else \
        f"salin workbook ke {Path(raw) / str(imported.year)}/ lalu make report " \
        f"YEAR={imported.year}"
    lines.append(f"Lanjutkan: periksa sel yang diwarnai, tulis narasi (sheet narasi), lalu "
                 f"{build}")
    return lines
