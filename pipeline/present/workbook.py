"""Write a year's data as one workbook the analyst can fill in (`make workbook`).

`export` writes any year's data (CSV files or a workbook) as a workbook, every cell exactly as
printed, so the report built from it is the same. `start_year` begins a new year from the last
one: the structure (tujuan, sasaran, IKU, Renstra targets, programs, kegiatan, sub-kegiatan,
signatories) and the realisasi series, with the new year's values blank, and narasi/ with
the headings to fill in. The workbook helps: a PETUNJUK sheet, header comments from the data
dictionary, drop-down lists, number and date formats, frozen headers, readable widths.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from .. import folders
from ..errors import DefectCollector, column_letter
from ..read import ingest, inputs, narrative_sheet, scales, sheets
from ..read.schema import KINDS, NARRATIVE_FILES, TABLES, UNSET_NOTE, Table

NOTES_SHEET = "PETUNJUK"
FIXED_TIME = dt.datetime(2000, 1, 1)  # the same bytes for the same data
SPARE_ROWS = 200  # rows below the data that keep the drop-downs and formats
FORMATS = {"rupiah": "#,##0", "int": "0", "year": "0", "percent": '0.00"%"',
           "decimal": "0.0000", "points": '+0.00;-0.00;0.00', "date": "[$-421]d mmmm yyyy"}
PLACEHOLDER = inputs.PLACEHOLDER
EMPTY = f"{PLACEHOLDER}.)"
TEXT = "s"  # openpyxl's data type of a string cell, written as an inline string
# characters XML 1.0 cannot hold: a cell with one cannot be written, only refused
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
SUFFIX = ".xlsx"  # the one format written
WORKBOOK_PARTS = ("[Content_Types].xml", "xl/workbook.xml")  # what every .xlsx zip holds
TEMP_SUFFIX = ".tmp"


def book_name(year: int) -> str:
    return f"lkip_{year}.xlsx"


def _read(folder: Path) -> dict[str, ingest.RawRows]:
    """Every table the folder has. None is required here: a year under way has its quarterly
    tables before its annual ones, and a build checks what it needs."""
    out = DefectCollector()
    if not folder.is_dir():
        out.add(str(folder), "folder data tahun ini tidak ditemukan",
                expected="folder berisi file CSV atau satu workbook")
        out.raise_if_any()
    raws = ingest.read_all(folder, out, tuple(replace(t, optional=True) for t in TABLES))
    for raw in raws.values():
        _unwritable(raw, out)
    out.raise_if_any()
    return raws


def _unwritable(raw: ingest.RawRows, out: DefectCollector) -> None:
    """A control character cannot be stored in a workbook's XML: said with its cell, before
    anything is written, instead of a crash halfway through the file."""
    for line, row in zip(raw.lines, raw.rows):
        for name in raw.table.names:
            found = NOT_IN_XML.search(str(row.get(name, "")))
            if found:
                out.add(raw.table.file, "teks berisi karakter kendali (control character) "
                        "yang tidak dapat disimpan di workbook", line=line, column=name,
                        value=f"U+{ord(found.group()):04X}",
                        expected="teks tanpa karakter kendali; hapus karakter itu dari data")


def export(year: int, raw_root: Path, out: Path) -> Path:
    """The year's data as a workbook, every cell as printed, with its narrative in the
    narasi sheet: the workbook alone is a year folder that builds."""
    folder = Path(raw_root) / str(year)
    raws = _read(folder)
    tables = {t.file: [_as_printed(raw, row) for row in raw.rows] for t in TABLES
              if (raw := raws.get(t.file)) is not None}
    return write(tables, Path(out), _narrative(folder, raws))


def _narrative(folder: Path, raws: dict[str, ingest.RawRows]) -> dict[str, str]:
    """The narratives a build of the folder reads, as the folder holds them (narasi/*.md or
    its workbook's narasi sheet); those not written yet are left out, as a year under way
    has none. A character a workbook cannot store is refused with its file and line."""
    from ..read import clean

    codes = [r["kode_sasaran"].strip() for r in raws["sasaran.csv"].rows] \
        if "sasaran.csv" in raws else []
    names = list(NARRATIVE_FILES) + [f"{clean.SASARAN_PREFIX}{code}.md" for code in codes]
    names = [name for name in names if inputs.safe(name)]
    out = DefectCollector()
    books = inputs.workbooks(folder)
    found = narrative_sheet.read(books[0], names, out, required=False) \
        if len(books) == 1 else None
    if found is not None:
        texts = found[0]
    else:
        present = [n for n in names if (folder / inputs.NARRATIVE_DIR / n).is_file()]
        texts = clean.read_narrative(folder, present, out)
    for name, text in texts.items():
        for number, line in enumerate(text.splitlines(), 1):
            bad = NOT_IN_XML.search(line)
            if bad:
                out.add(f"{inputs.NARRATIVE_DIR}/{name}", "teks berisi karakter kendali "
                        "(control character) yang tidak dapat disimpan di workbook", line=number,
                        value=f"U+{ord(bad.group()):04X}",
                        expected="teks tanpa karakter kendali; hapus karakter itu dari narasi")
    out.raise_if_any()
    return texts


def _as_printed(raw: ingest.RawRows, row: dict) -> dict:
    return {name: str(row.get(name, "")) for name in raw.table.names}


def start_year(year: int, from_year: int, raw_root: Path) -> Path:
    """data/raw/<year>/ with lkip_<year>.xlsx and narasi/, begun from <from_year>."""
    target = Path(raw_root) / str(year)
    if target.exists() and any(target.iterdir()):
        out = DefectCollector()
        out.add(str(target), "folder tahun sudah ada dan berisi file",
                expected="folder tahun yang belum ada; data yang ada tidak ditimpa")
        out.raise_if_any()
    raws = _read(Path(raw_root) / str(from_year))
    tables = {}
    for table in TABLES:
        raw = raws.get(table.file)
        rows = [] if raw is None else [_as_printed(raw, r) for r in raw.rows]
        rule = NEW_YEAR.get(table.file, _header_only)
        tables[table.file] = rule(rows, year, raws)
    target.mkdir(parents=True, exist_ok=True)
    _write_narrative(target, tables["sasaran.csv"])
    return write(tables, target / book_name(year))


# -- what a new year keeps of each table ------------------------------------------------------

def _header_only(rows, year, raws):
    return []


def _keep(rows, year, raws):
    return rows


def _blank(*columns: str) -> Callable:
    def rule(rows, year, raws):
        return [{**r, **dict.fromkeys(columns, "")} for r in rows]
    return rule


def _instansi(rows, year, raws):
    return [{**r, "tahun_laporan": str(year), "tanggal_penandatanganan": "", "tanggal_pk": ""}
            for r in rows]


def _iku_codes(raws) -> list[str]:
    return [r["kode_iku"].strip() for r in raws["iku.csv"].rows] if "iku.csv" in raws else []


def _target_pk(rows, year, raws):
    return [{"kode_iku": code, "tahun": str(year), "target": ""} for code in _iku_codes(raws)]


def _series(rows, year, raws):
    empty = dict.fromkeys(("target", "realisasi", "capaian_cetak", "keterangan_cetak"), "")
    return rows + [{"kode_iku": code, "tahun": str(year), **empty} for code in _iku_codes(raws)]


def _jumlah_desa(rows, year, raws):
    return rows + [{"tahun": str(year), "jumlah_desa": "", "sumber": ""}]


NEW_YEAR: dict[str, Callable] = {
    "instansi.csv": _instansi,
    "tujuan.csv": _keep, "sasaran_renstra.csv": _keep, "sasaran.csv": _keep, "iku.csv": _keep,
    "skala.csv": _keep,
    "target_renstra.csv": _keep, "idm_status.csv": _keep, "predikat.csv": _keep,
    "desa_mandiri.csv": _keep, "jumlah_desa.csv": _jumlah_desa,
    "target_pk.csv": _target_pk, "kinerja_tahunan.csv": _series,
    "pk_program.csv": _blank("anggaran"),
    "realisasi_anggaran.csv": _blank("anggaran", "realisasi", "persentase_cetak"),
}


def _write_narrative(folder: Path, sasaran_rows: list[dict]) -> None:
    narasi = folder / "narasi"
    narasi.mkdir(exist_ok=True)
    for name, description in NARRATIVE_FILES.items():
        (narasi / name).write_text(f"{PLACEHOLDER}: {description}.)\n", encoding="utf-8")
    for row in sasaran_rows:
        parts = [f"## {heading}\n\n{EMPTY}\n" for heading in
                 ("Faktor Pendorong", "Faktor Penghambat", "Solusi")]
        (narasi / f"sasaran_{row['kode_sasaran'].strip()}.md").write_text(
            "\n".join(parts), encoding="utf-8")


# -- where it is written ----------------------------------------------------------------------

def check_target(path: Path, raw_root: Path) -> None:
    """OUT= names the one file an export writes: InputError (exit 2) before any data is read
    when it is a link, not a workbook, or a file of the data folder."""
    path, raw_root = Path(path), Path(raw_root)
    _refuse(path, _target_problem(path) or _inside_data(path, raw_root))


def _refuse(path: Path, problem: tuple[str, str, str | None] | None) -> None:
    if problem:
        message, expected, value = problem
        out = DefectCollector()
        out.add(str(path), message, value=value, expected=expected)
        out.raise_if_any()


NEW_FILE = f"jalur file {SUFFIX} baru, atau workbook {SUFFIX} yang boleh ditimpa"


def _is_link(path: Path):
    if path.is_symlink():
        return "file keluaran adalah tautan (symlink) dan tidak ditulis", NEW_FILE, None
    return None


def _wrong_suffix(path: Path):
    if path.suffix.lower() != SUFFIX:
        return (f"file keluaran bukan workbook {SUFFIX}", f"nama file berakhiran {SUFFIX}, "
                f"mis. OUT=lkip_2024{SUFFIX}", path.suffix or path.name)
    return None


def _not_a_file(path: Path):
    if path.exists() and not path.is_file():
        return ("file keluaran yang sudah ada bukan file biasa (folder atau perangkat)",
                NEW_FILE, None)
    return None


def _not_a_workbook(path: Path):
    """An existing file is replaced only when it is a workbook: a mistyped OUT= never
    overwrites a document, a notebook or a data file. Its zip directory is read, no more,
    and only up to the size of a workbook the project reads."""
    if not path.is_file():
        return None
    size = path.stat().st_size
    if size > sheets.MAX_BYTES:
        return ("file keluaran yang sudah ada lebih besar dari workbook yang dapat dibaca dan "
                "tidak ditimpa", f"{NEW_FILE} (di bawah {sheets.MAX_BYTES // 1024 // 1024} MB)",
                f"{size // 1024 // 1024} MB")
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        names = set()
    missing = [part for part in WORKBOOK_PARTS if part not in names]
    if missing:
        return ("file keluaran yang sudah ada bukan workbook (zip .xlsx) dan tidak ditimpa",
                NEW_FILE, None)
    return None


# checked in this order; the first that applies is said (later ones assume the earlier held)
TARGET_RULES: tuple[Callable[[Path], tuple | None], ...] = (
    _is_link, _wrong_suffix, _not_a_file, _not_a_workbook)


def _target_problem(path: Path):
    return next((found for rule in TARGET_RULES if (found := rule(path))), None)


def _inside_data(path: Path, raw_root: Path):
    """An export never lands among the files a build reads: a second workbook, or one beside
    the CSV files, would make the year folder unreadable; a new year has FROM=."""
    where, data = path.parent.resolve(), raw_root.resolve()
    if where == data or where.is_relative_to(data):
        return ("file keluaran berada di dalam folder data",
                f"file di luar {raw_root}; untuk memulai tahun baru di folder data: "
                "make workbook YEAR=<tahun> FROM=<tahun sebelumnya>", None)
    return None


# -- the workbook itself ----------------------------------------------------------------------

def write(tables: dict[str, list[dict]], path: Path,
          narrative: dict[str, str] | None = None,
          finish: Callable[[object], None] | None = None) -> Path:
    """One sheet per table in the data dictionary's order, after the PETUNJUK sheet, then the
    narrative's sheet when there is narrative to carry. finish: called with the workbook
    before it is saved (an import marks its uncertain cells and adds its lists)."""
    from openpyxl import Workbook

    book = Workbook()
    written = [table for table in TABLES if table.file in tables]
    _instructions(book.active, written, bool(narrative))
    on_scale = scales.of_raw(tables)
    for table in written:
        ws = book.create_sheet(_sheet_name(table))
        _sheet(ws, table, tables[table.file])
        _label_lists(ws, table, tables[table.file], on_scale)
    if narrative:
        _narrative_sheet(book.create_sheet(narrative_sheet.SHEET), narrative)
    book.properties.created = book.properties.modified = FIXED_TIME
    book.properties.creator = "lkip"
    if finish is not None:
        finish(book)
    _refuse(path, _target_problem(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    _save(book, path)
    return path


def _save(book, path: Path) -> None:
    """Written to a temporary file beside the target, then renamed over it: a failure or
    Ctrl-C leaves the previous file as it was and no temporary file behind, and a link or a
    second name of the target is replaced, never written through."""
    buffer = io.BytesIO()
    book.save(buffer)
    handle = tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.",
                                         suffix=TEMP_SUFFIX, delete=False)
    temp = Path(handle.name)
    try:
        with handle:
            _fix_zip_times(buffer, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, folders.file_mode())
        os.replace(temp, path)
    except BaseException as exc:
        temp.unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.filename is None:
            exc.filename = str(path)  # a full disk names the file it was writing
        raise


def _fix_zip_times(source, target) -> None:
    """openpyxl stamps the parts and core.xml with the save time; same data, same bytes."""
    with zipfile.ZipFile(source) as zf:
        parts = [(info, zf.read(info)) for info in zf.infolist()]
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in parts:
            if info.filename == "docProps/core.xml":  # openpyxl writes the save time there
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2000-01-01T00:00:00Z",
                              data)
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type, fixed.external_attr = zipfile.ZIP_DEFLATED, info.external_attr
            zf.writestr(fixed, data)


def _text_row(ws, number: int, values: list[str]) -> None:
    """Text is written as text, always. openpyxl makes a string that begins with '=' a live
    formula (`=HYPERLINK(...)`, `=WEBSERVICE(...)`, run when the file is opened, and with no
    stored value, so the file cannot be read back) and `#N/A` an error cell; the type is
    therefore set after the value."""
    for column, value in enumerate(values, 1):
        cell = ws.cell(number, column, value)
        if isinstance(value, str):
            cell.data_type = TEXT


def _sheet_name(table: Table) -> str:
    return table.file.removesuffix(".csv")


def _sheet(ws, table: Table, rows: list[dict]) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill

    _text_row(ws, 1, table.names)
    for number, row in enumerate(rows, 2):
        _text_row(ws, number, [row.get(name, "") for name in table.names])
    last = len(rows) + 1 + SPARE_ROWS
    for index, column in enumerate(table.columns):
        letter = column_letter(index)
        head = ws[f"{letter}1"]
        head.font = Font(bold=True)
        head.fill = PatternFill("solid", fgColor="DDDDDD" if column.required else "F2F2F2")
        head.alignment = Alignment(vertical="top")
        head.comment = Comment(_column_help(column), "kamus data", width=320, height=160)
        for cell in ws[f"{letter}2:{letter}{last}"]:
            if column.kind in FORMATS:
                cell[0].number_format = FORMATS[column.kind]
        _drop_down(ws, table, column, letter, last)
        width = max([len(column.name)] + [len(str(r.get(column.name, ""))) for r in rows])
        ws.column_dimensions[letter].width = min(60, max(10, width + 2))
    ws.freeze_panes = "A2"


NARRATIVE_WIDTHS = {"file": 26, "baris": 8, "teks": 110}


def _narrative_sheet(ws, texts: dict[str, str]) -> None:
    """A row per line of each narrative (narrative_sheet.py), every cell text."""
    from openpyxl.styles import Alignment, Font

    columns = list(narrative_sheet.COLUMNS)
    _text_row(ws, 1, columns)
    for number, row in enumerate(narrative_sheet.rows(texts), 2):
        _text_row(ws, number, [row[name] for name in columns])
    for index, name in enumerate(columns):
        letter = column_letter(index)
        ws[f"{letter}1"].font = Font(bold=True)
        ws[f"{letter}1"].alignment = Alignment(vertical="top")
        ws.column_dimensions[letter].width = NARRATIVE_WIDTHS[name]
    ws.freeze_panes = "A2"


def _column_help(column) -> str:
    need = "wajib diisi" if column.must_be_filled else "boleh kosong"
    text = f"{column.description}.\nJenis: {KINDS[column.kind]}; {need}."
    if column.may_be_unset:
        text += f"\n{UNSET_NOTE}"
    if column.choices:
        text += f"\nPilihan: {', '.join(column.choices)}."
    if column.derived:
        text += "\nAngka turunan seperti tercetak: dihitung ulang dan diperiksa."
    return text


def _drop_down(ws, table: Table, column, letter: str, last: int) -> None:
    """Choices as a list; a code that must exist in another sheet as that sheet's column."""
    from openpyxl.worksheet.datavalidation import DataValidation

    formula = None
    if column.choices:
        formula = '"' + ",".join(column.choices) + '"'
    for name, other_file, other_column in table.refs:
        if name == column.name:
            other = next(t for t in TABLES if t.file == other_file)
            at = column_letter(other.names.index(other_column))
            formula = f"{_sheet_name(other)}!${at}$2:${at}${SPARE_ROWS * 5}"
    if formula is None:
        return
    rule = DataValidation(type="list", formula1=formula, allow_blank=True,
                          showErrorMessage=True, errorTitle="Nilai tidak dikenal",
                          error=f"Pilih salah satu nilai yang ada untuk {column.name}.")
    rule.add(f"{letter}2:{letter}{last}")
    ws.add_data_validation(rule)


LIST_LIMIT = 255  # characters a spreadsheet keeps of a list written in its validation


def _label_lists(ws, table: Table, rows: list[dict], on_scale: dict) -> None:
    """A target or realisasi cell of an IKU measured by labels gets its scale's labels as a
    drop-down list (a list validation: the cell itself stays text, as every cell written)."""
    from openpyxl.worksheet.datavalidation import DataValidation

    if "kode_iku" not in table.names:
        return
    cells: dict[str, list[str]] = {}  # by scale: every target and realisasi cell on it
    for number, row in enumerate(rows, 2):
        scale = on_scale.get(str(row.get("kode_iku", "")).strip())
        if scale is None:
            continue
        for index, column in enumerate(table.columns):
            if column.kind == "measure":
                cells.setdefault(scale.code, []).append(f"{column_letter(index)}{number}")
    by_code = {scale.code: scale for scale in on_scale.values()}
    for code, refs in cells.items():
        scale = by_code[code]
        listed = '"' + ",".join(scale.labels) + '"'
        if len(listed) > LIST_LIMIT or any(ch in label for label in scale.labels
                                           for ch in scales.NOT_IN_LABEL):
            continue  # too long for a list: the build still names the labels when one is wrong
        rule = DataValidation(type="list", formula1=listed, allow_blank=True,
                              showErrorMessage=True, errorTitle="Label tidak ada pada skala",
                              error=f"Pilih salah satu label skala {scale.name}: "
                                    f"{scale.listed()}.")
        for ref in refs:
            rule.add(ref)
        ws.add_data_validation(rule)


INSTRUCTIONS = (
    "PETUNJUK PENGISIAN WORKBOOK LKIP",
    "",
    "Satu sheet per tabel data; nama sheet dan nama kolom di baris 1 jangan diubah.",
    "Arahkan tetikus ke judul kolom untuk melihat artinya, jenisnya dan apakah wajib diisi.",
    "Angka boleh diketik sebagai angka (3385637000; 22,05%) atau sebagai teks seperti tercetak "
    "(3.385.637.000; 22,05%). Tanggal: sel tanggal atau teks seperti 18 Februari 2025.",
    "Sel berisi rumus dipakai nilainya; simpan workbook dari spreadsheet agar nilai rumus "
    "tersimpan.",
    "Target dan realisasi IKU berskala label (kolom skala pada sheet iku) ditulis sebagai "
    "label skalanya (WTP, BB, Mandiri); selnya memakai daftar pilihan.",
    "Kolom *_cetak berisi angka turunan seperti tercetak di dokumen sumber; kosongkan bila tidak "
    "tercetak. Angka itu dihitung ulang dan selisihnya dilaporkan.",
    "Koreksi atas angka tercetak yang salah ditulis di sheet koreksi, tidak dengan mengubah "
    "angkanya.",
    "Sheet opsional boleh dihapus atau dibiarkan hanya berisi judul: bagian laporannya tidak "
    "dicetak. Sheet lain di workbook ini diabaikan.",
    "{narasi}",
    "Lalu jalankan: make report YEAR=<tahun>. Kesalahan data disebut dengan nama sheet dan "
    "selnya, misalnya: lkip_2025.xlsx, sheet target_pk, sel C4.",
    "",
    "Sheet dan isinya:",
)


NARRATIVE_HERE = {
    True: "Teks narasi (Markdown) ada di sheet narasi: satu baris per baris teks, dengan kolom "
          "file, baris dan teks. Workbook ini dapat dibangun sendiri, tanpa folder narasi/.",
    False: "Teks narasi ditulis di folder narasi/ di samping workbook (Markdown).",
}


def _instructions(ws, written: list[Table], narrative: bool) -> None:
    """The instructions, and the list of exactly the sheets this workbook holds."""
    from openpyxl.styles import Font

    ws.title = NOTES_SHEET
    lines = [line.format(narasi=NARRATIVE_HERE[narrative]) for line in INSTRUCTIONS] + [
        f"{_sheet_name(table)} ({'opsional' if table.optional else 'wajib'}): "
        f"{table.description}" for table in written]
    if narrative:
        lines.append(f"{narrative_sheet.SHEET}: {narrative_sheet.DESCRIPTION}.")
    for number, line in enumerate(lines, 1):
        _text_row(ws, number, [line])
    ws["A1"].font = Font(bold=True, size=13)
    ws.column_dimensions["A"].width = 120
