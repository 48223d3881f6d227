"""The analyst's workbook: read like the CSV files, written to help, and a new year begun."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import subprocess
from dataclasses import astuple
from decimal import Decimal
from pathlib import Path

import pytest

from pipeline.check import findings
from pipeline.compute import ledger, results
from pipeline.errors import InputError
from pipeline.present import workbook
from pipeline.read import clean, numbers, schema, sheets
from pipeline.read.formatting import parse_date

from .conftest import ROOT, SEED_RAW

SNAPSHOT = ROOT / "tests" / "fixtures" / "seed_2024_ledger_values.csv"


def build(raw_year: Path, year: int = 2024):
    ds = clean.load_raw(raw_year, year)
    res = results.compute(ds)
    found = findings.run(ds, res)
    return ds, found, {e.key: e.number for e in ledger.build(ds, res, found)}


@pytest.fixture(scope="module")
def csv_build(seed, seed_results):
    found = findings.run(seed, seed_results)
    return found, {e.key: e.number for e in ledger.build(seed, seed_results, found)}


def seed_folder(tmp: Path) -> Path:
    """An empty seed year folder with the narrative only, for a workbook to go in."""
    raw = tmp / "raw" / "2024"
    raw.mkdir(parents=True)
    shutil.copytree(SEED_RAW / "2024" / "narasi", raw / "narasi")
    return raw


def test_round_trip_csv_to_workbook_gives_the_same_report(tmp_path, csv_build, seed):
    raw = tmp_path / "raw" / "2024"
    raw.mkdir(parents=True)  # the workbook alone: its narasi sheet carries the narrative
    workbook.export(2024, SEED_RAW, raw / "lkip_2024.xlsx")
    ds, found, figures = build(raw)
    # 47, to the letter; each also names the workbook cell it is about (f.place)
    assert [astuple(f)[:-1] for f in found] == [astuple(f)[:-1] for f in csv_build[0]]
    assert all(f.place.startswith("lkip_2024.xlsx › ") for f in found)
    assert figures == csv_build[1]
    assert ds.narrative == seed.narrative


# -- a workbook typed by another program -------------------------------------------------------

def _percent_format(text: str) -> str:
    places = numbers.printed_decimals(text) or 0
    return "0" + ("." + "0" * places if places else "") + "%"


def _typed(column: schema.Column, text: str, cell) -> bool:
    """Put the printed text into the cell as a spreadsheet would type it; False if text."""
    if numbers.is_blank(text):
        return False
    try:
        if column.kind in ("percent", "measure"):
            cell.value = float(numbers.parse_percent(text) / 100)
            cell.number_format = _percent_format(text)
        elif column.kind == "rupiah":
            cell.value, cell.number_format = numbers.parse_rupiah(text), "#,##0"
        elif column.kind in ("int", "year"):
            cell.value = numbers.parse_integer(text)
        elif column.kind == "date":
            cell.value = dt.datetime.combine(parse_date(text.strip()), dt.time())
            cell.number_format = "d mmmm yyyy"
        else:
            return False
    except (numbers.NumberFormatError, ValueError):
        return False  # printed malformed: stays text, as a person would leave it
    return True


def typed_workbook(source: Path, path: Path) -> Path:
    """The seed's tables with numbers, percentages and dates as typed cells."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for table in schema.TABLES:
        if not (source / table.file).is_file():
            continue
        ws = book.create_sheet(table.file.removesuffix(".csv"))
        with open(source / table.file, encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
        ws.append(rows[0])
        for r, row in enumerate(rows[1:], 2):
            for c, (name, text) in enumerate(zip(rows[0], row), 1):
                cell = ws.cell(r, c)
                if not _typed(table.column(name), text, cell):
                    cell.value = text
    book.save(path)
    return path


def libreoffice(source: Path, target: Path, filter_name: str) -> Path:
    """Open and save with LibreOffice Calc (headless), as an analyst's program would."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice Calc (soffice) tidak terpasang; make test memasangnya")
    outdir = target.parent / "lo-out"
    subprocess.run([soffice, "--headless", "--norestore",
                    f"-env:UserInstallation=file://{target.parent / 'lo-profile'}",
                    "--convert-to", filter_name, "--outdir", str(outdir), str(source)],
                   check=True, capture_output=True, timeout=180)
    produced = next(outdir.iterdir())
    shutil.move(produced, target)
    return target


@pytest.mark.slow
@pytest.mark.parametrize("suffix, filter_name", [
    (".xlsx", "xlsx:Calc MS Excel 2007 XML"), (".ods", "ods")])
def test_workbook_saved_by_libreoffice_builds_the_same_report(tmp_path, csv_build, suffix,
                                                              filter_name):
    typed = typed_workbook(SEED_RAW / "2024", tmp_path / "typed.xlsx")
    raw = seed_folder(tmp_path)
    libreoffice(typed, raw / f"lkip_2024{suffix}", filter_name)
    ds, found, figures = build(raw)
    assert figures == csv_build[1]
    same = [(f.check, f.severity, f.file, f.key, f.field, f.expected) for f in found]
    assert same == [(f.check, f.severity, f.file, f.key, f.field, f.expected)
                    for f in csv_build[0]]
    # typed cells read as their values: a percent cell, a rupiah cell, a date cell
    assert ds["target_pk.csv"].iloc[0]["target"] == Decimal("22.05")
    assert ds["pk_program.csv"].iloc[1]["anggaran"] == 3807800000
    assert ds["instansi.csv"].iloc[0]["tanggal_penandatanganan"] == dt.date(2025, 2, 18)


# -- typed cells, one at a time ----------------------------------------------------------------

def test_percent_format_scales_the_fraction():
    cell = sheets.Typed(0.2205, percent=True, decimals=2)
    assert (str(cell), cell.number) == ("22,05%", Decimal("22.05"))
    assert str(sheets.Typed(186.0, decimals=0)) == "186"
    assert str(sheets.Typed(dt.datetime(2025, 2, 18))) == "18 Februari 2025"


@pytest.mark.parametrize("code, percent, places", [
    ("0.00%", True, 2), ("0%", True, 0), ('0.00"%"', False, 2), ("#,##0", False, 0),
    ("General", False, None), ("[$-421]d mmmm yyyy", False, None)])
def test_number_formats(code, percent, places):
    assert sheets.is_percent_format(code) is percent
    assert sheets.format_decimals(code) == places


def _one_cell_book(tmp_path, sheet, cell, value, number_format=None):
    raw = tmp_path / "raw" / "2025"
    shutil.copytree(ROOT / "tests" / "fixtures" / "kota" / "2025", raw)
    path = workbook.export(2025, raw.parent, raw / "lkip_2025.xlsx")
    for table in schema.TABLES:
        (raw / table.file).unlink(missing_ok=True)
    from openpyxl import load_workbook

    book = load_workbook(path)
    book[sheet][cell] = value
    if number_format:
        book[sheet][cell].number_format = number_format
    book.save(path)
    return raw


@pytest.mark.parametrize("sheet, cell, value, number_format, column, expected", [
    # kota's IKU1 counts dokumen: its PK target typed as 12% is not 12 dokumen
    ("target_pk", "C2", 0.12, "0%", "target", "bukan persen"),
    # a rupiah amount has no fraction
    ("pk_program", "C2", 1250.5, None, "anggaran", "bilangan bulat"),
])
def test_a_typed_cell_of_the_wrong_kind_is_refused(tmp_path, sheet, cell, value,
                                                   number_format, column, expected):
    raw = _one_cell_book(tmp_path, sheet, cell, value, number_format)
    with pytest.raises(InputError) as err:
        clean.load_raw(raw, 2025)
    assert f"lkip_2025.xlsx, sheet {sheet}, sel {cell} (kolom '{column}')" in str(err.value)
    assert expected in str(err.value)


def test_a_typed_count_reads_as_its_value(tmp_path):
    raw = _one_cell_book(tmp_path, "kinerja_tahunan", "D9", 1250.0)
    ds = clean.load_raw(raw, 2025)
    row = ds["kinerja_tahunan.csv"].iloc[7]
    assert (row["kode_iku"], row["realisasi"]) == ("IKU2", Decimal(1250))


# -- the workbook that helps -------------------------------------------------------------------

def test_exported_workbook_helps_the_analyst(tmp_path):
    from openpyxl import load_workbook

    path = workbook.export(2024, SEED_RAW, tmp_path / "lkip_2024.xlsx")
    book = load_workbook(path)
    assert book.sheetnames[0] == "PETUNJUK"
    assert "PETUNJUK PENGISIAN" in book["PETUNJUK"]["A1"].value
    iku = book["iku"]
    assert iku.freeze_panes == "A2"
    assert "Arah indikator" in iku["K1"].comment.text  # polaritas
    lists = {str(v.sqref): v.formula1 for v in iku.data_validations.dataValidation}
    assert lists["K2:K203"] == '"positif,negatif"'
    assert lists["B2:B203"] == "sasaran!$A$2:$A$1000"  # kode_sasaran must exist in sasaran
    assert book["pk_program"]["C2"].number_format == "#,##0"
    assert book["instansi"]["U2"].value == "18 Februari 2025"  # as printed
    assert book["instansi"]["U3"].number_format == "[$-421]d mmmm yyyy"
    assert iku.column_dimensions["C"].width >= 20


def test_same_data_same_workbook_bytes(tmp_path):
    first = workbook.export(2024, SEED_RAW, tmp_path / "a.xlsx").read_bytes()
    assert workbook.export(2024, SEED_RAW, tmp_path / "b.xlsx").read_bytes() == first


# -- a new year in one command -----------------------------------------------------------------

@pytest.fixture(scope="module")
def new_year(tmp_path_factory):
    root = tmp_path_factory.mktemp("raw")
    shutil.copytree(SEED_RAW / "2024", root / "2024")
    return root, workbook.start_year(2025, 2024, root)


def test_new_year_keeps_the_structure_and_blanks_the_values(new_year):
    from openpyxl import load_workbook

    root, path = new_year
    assert path == root / "2025" / "lkip_2025.xlsx"
    book = load_workbook(path)
    assert book["instansi"]["A2"].value == "2025"
    assert book["instansi"]["U2"].value in ("", None)  # signing date: the analyst's
    assert [c.value for c in book["iku"]["A"][1:3]] == ["IKU1", "IKU2"]
    assert [(r[0].value, r[1].value, r[2].value) for r in book["target_pk"].iter_rows(
        min_row=2, max_row=3)] == [("IKU1", "2025", None), ("IKU2", "2025", None)]
    series = [(r[0].value, r[1].value, r[3].value) for r in book["kinerja_tahunan"].iter_rows(
        min_row=2) if r[0].value]
    assert ("IKU1", "2024", "25.06%") in series and ("IKU1", "2025", None) in series
    assert book["pk_program"]["C2"].value is None and book["pk_program"]["B2"].value
    assert book["realisasi_anggaran"].max_row >= 80  # every sub-kegiatan, values blank
    for name in ("koreksi", "triwulan_kinerja", "efisiensi_cetak"):  # header and formats only
        assert all(c.value is None for row in book[name].iter_rows(min_row=2) for c in row)


def test_new_year_narrative_has_headings_to_fill(new_year):
    root, _ = new_year
    text = (root / "2025" / "narasi" / "sasaran_S1.md").read_text(encoding="utf-8")
    assert "## Faktor Pendorong" in text and "## Solusi" in text
    assert (root / "2025" / "narasi" / "kata_pengantar.md").is_file()


def test_new_year_points_at_the_cells_to_fill(new_year):
    root, _ = new_year
    with pytest.raises(InputError) as err:
        clean.load_raw(root / "2025", 2025)
    text = str(err.value)
    assert ("lkip_2025.xlsx, sheet target_pk, sel C2 (kolom 'target'): sel kosong, padahal "
            "wajib diisi") in text
    assert "sheet instansi, sel U2 (kolom 'tanggal_penandatanganan')" in text


def test_new_year_never_overwrites(new_year):
    root, _ = new_year
    with pytest.raises(InputError) as err:
        workbook.start_year(2025, 2024, root)
    assert "folder tahun sudah ada" in str(err.value)
