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
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from . import ingest
from .errors import DefectCollector, column_letter
from .schema import KINDS, NARRATIVE_FILES, TABLES, Table

NOTES_SHEET = "PETUNJUK"
FIXED_TIME = dt.datetime(2000, 1, 1)  # the same bytes for the same data
SPARE_ROWS = 200  # rows below the data that keep the drop-downs and formats
FORMATS = {"rupiah": "#,##0", "int": "0", "year": "0", "percent": '0.00"%"',
           "decimal": "0.0000", "points": '+0.00;-0.00;0.00', "date": "[$-421]d mmmm yyyy"}
EMPTY = "(Tulis di sini.)"


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
    out.raise_if_any()
    return raws


def export(year: int, raw_root: Path, out: Path) -> Path:
    """The year's data as a workbook, every cell as printed."""
    raws = _read(Path(raw_root) / str(year))
    tables = {t.file: [_as_printed(raw, row) for row in raw.rows] for t in TABLES
              if (raw := raws.get(t.file)) is not None}
    return write(tables, Path(out))


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
        (narasi / name).write_text(f"(Tulis di sini: {description}.)\n", encoding="utf-8")
    for row in sasaran_rows:
        parts = [f"## {heading}\n\n{EMPTY}\n" for heading in
                 ("Faktor Pendorong", "Faktor Penghambat", "Solusi")]
        (narasi / f"sasaran_{row['kode_sasaran'].strip()}.md").write_text(
            "\n".join(parts), encoding="utf-8")


# -- the workbook itself ----------------------------------------------------------------------

def write(tables: dict[str, list[dict]], path: Path) -> Path:
    """One sheet per table in the data dictionary's order, after the PETUNJUK sheet."""
    from openpyxl import Workbook

    book = Workbook()
    _instructions(book.active)
    for table in TABLES:
        if table.file in tables:
            _sheet(book.create_sheet(_sheet_name(table)), table, tables[table.file])
    book.properties.created = book.properties.modified = FIXED_TIME
    book.properties.creator = "lkip"
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    _fix_zip_times(path)
    return path


def _fix_zip_times(path: Path) -> None:
    """openpyxl stamps the parts and core.xml with the save time; same data, same bytes."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as zf:
        parts = [(info, zf.read(info)) for info in zf.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in parts:
            if info.filename == "docProps/core.xml":  # openpyxl writes the save time there
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2000-01-01T00:00:00Z",
                              data)
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type, fixed.external_attr = zipfile.ZIP_DEFLATED, info.external_attr
            zf.writestr(fixed, data)


def _sheet_name(table: Table) -> str:
    return table.file.removesuffix(".csv")


def _sheet(ws, table: Table, rows: list[dict]) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill

    ws.append(table.names)
    for row in rows:
        ws.append([row.get(name, "") for name in table.names])
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


def _column_help(column) -> str:
    need = "wajib diisi" if column.required else "boleh kosong"
    text = f"{column.description}.\nJenis: {KINDS[column.kind]}; {need}."
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


INSTRUCTIONS = (
    "PETUNJUK PENGISIAN WORKBOOK LKIP",
    "",
    "Satu sheet per tabel data; nama sheet dan nama kolom di baris 1 jangan diubah.",
    "Arahkan tetikus ke judul kolom untuk melihat artinya, jenisnya dan apakah wajib diisi.",
    "Angka boleh diketik sebagai angka (3385637000; 22,05%) atau sebagai teks seperti tercetak "
    "(3.385.637.000; 22,05%). Tanggal: sel tanggal atau teks seperti 18 Februari 2025.",
    "Sel berisi rumus dipakai nilainya; simpan workbook dari spreadsheet agar nilai rumus "
    "tersimpan.",
    "Kolom *_cetak berisi angka turunan seperti tercetak di dokumen sumber; kosongkan bila tidak "
    "tercetak. Angka itu dihitung ulang dan selisihnya dilaporkan.",
    "Koreksi atas angka tercetak yang salah ditulis di sheet koreksi, tidak dengan mengubah "
    "angkanya.",
    "Sheet opsional boleh dihapus atau dibiarkan hanya berisi judul: bagian laporannya tidak "
    "dicetak. Sheet lain di workbook ini diabaikan.",
    "Teks narasi ditulis di folder narasi/ di samping workbook (Markdown).",
    "Lalu jalankan: make report YEAR=<tahun>. Kesalahan data disebut dengan nama sheet dan "
    "selnya, misalnya: lkip_2025.xlsx, sheet target_pk, sel C4.",
    "",
    "Sheet dan isinya:",
)


def _instructions(ws) -> None:
    from openpyxl.styles import Font

    ws.title = NOTES_SHEET
    for line in INSTRUCTIONS:
        ws.append([line])
    for table in TABLES:
        need = "opsional" if table.optional else "wajib"
        ws.append([f"{_sheet_name(table)} ({need}): {table.description}"])
    ws["A1"].font = Font(bold=True, size=13)
    ws.column_dimensions["A"].width = 120
