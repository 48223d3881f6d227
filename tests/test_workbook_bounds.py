"""A received workbook is measured before it is parsed: each attack that used to crash the
reader or exhaust memory (a far cell, an .ods repeat, a zip bomb, a typed INF, a broken
workbook.xml) is a clear refusal, in a process whose memory is capped and that is timed out
if it hangs; an honest workbook (LibreOffice's trailing repeats included) is still read."""

from __future__ import annotations

import json
import resource
import shutil
import struct
import subprocess
import sys
import textwrap
import zipfile
import zlib
from decimal import Decimal
from pathlib import Path

import pytest

from pipeline.present import workbook
from pipeline.read import numbers, schema, sheet_scan, sheets

from .conftest import ROOT, SEED_RAW

# A normal read of the seed workbook peaks at ~205 MB of address space (VmPeak, measured),
# the whole `report` command at ~1 GB (kernel threads): each attack runs under a cap above
# that, and must stay under MEMORY_MB resident, whatever the file claims.
CAP_READ_MB = 700
CAP_COMMAND_MB = 1536
MEMORY_MB = 500
HANG_GUARD = 180  # seconds; a hang guard, not a timing assertion
ROWS = "paling banyak 21.001 baris (20.000 baris data, judul dan baris kosong) dan 200 " \
       "kolom (A sampai GR) per sheet; hapus isi sel di luar tabel"
BROKEN = "file .xlsx atau .ods yang dapat dibuka spreadsheet"


# -- building the hostile files ----------------------------------------------------------------

@pytest.fixture(scope="module")
def seed_book(tmp_path_factory) -> Path:
    """The seed year as the workbook `make workbook` writes (sheet2.xml is `instansi`)."""
    return workbook.export(2024, SEED_RAW, tmp_path_factory.mktemp("seed") / "lkip_2024.xlsx")


def year_folder(tmp: Path, book: Path, name: str = "lkip_2024.xlsx") -> Path:
    """raw/2024 with the seed's narrative and the given workbook as its only data."""
    raw = tmp / "raw" / "2024"
    raw.mkdir(parents=True)
    shutil.copytree(SEED_RAW / "2024" / "narasi", raw / "narasi")
    shutil.copy(book, raw / name)
    return raw


def rewritten(source: Path, target: Path, member: str, change) -> Path:
    """A copy of a workbook with one part's bytes changed."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) \
            as zout:
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info.filename, change(data) if info.filename == member else data)
    return target


def with_cell(source: Path, target: Path, sheet: str, cell: str, value) -> Path:
    from openpyxl import load_workbook

    book = load_workbook(source)
    ws = book[sheet] if sheet in book.sheetnames else book.create_sheet(sheet)
    ws[cell] = value
    book.save(target)
    return target


def sheet_part(path: Path, sheet: str) -> str:
    """The zip member that holds a sheet of an openpyxl-written workbook."""
    from openpyxl import load_workbook

    return f"xl/worksheets/sheet{load_workbook(path).sheetnames.index(sheet) + 1}.xml"


ODS_HEAD = ('<?xml version="1.0" encoding="UTF-8"?>'
            '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:'
            'office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3">'
            '<office:body><office:spreadsheet>')
ODS_TAIL = '</office:spreadsheet></office:body></office:document-content>'
MANIFEST = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:'
            'oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
            '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/'
            'vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path='
            '"content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
# what LibreOffice writes below and right of the data: empty cells repeated to the sheet's end
LO_ROW_END = '<table:table-cell table:number-columns-repeated="{n}"/>'
LO_TABLE_END = ('<table:table-row table:style-name="ro1" table:number-rows-repeated="{n}">'
                '<table:table-cell table:number-columns-repeated="16384"/></table:table-row>')


def ods(path: Path, tables: dict[str, str]) -> Path:
    """An .ods file of the given tables (name -> rows XML), as small as an attacker makes it."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("META-INF/manifest.xml", MANIFEST)
        zf.writestr("content.xml", ODS_HEAD + "".join(
            f'<table:table table:name="{name}">{rows}</table:table>'
            for name, rows in tables.items()) + ODS_TAIL)
    return path


def text_cell(text: str, repeat: int = 1) -> str:
    attribute = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    return (f'<table:table-cell office:value-type="string"{attribute}>'
            f'<text:p>{text}</text:p></table:table-cell>')


def row(*cells: str, repeat: int = 1) -> str:
    attribute = f' table:number-rows-repeated="{repeat}"' if repeat > 1 else ""
    return f"<table:table-row{attribute}>{''.join(cells)}</table:table-row>"


def seed_as_ods(path: Path) -> Path:
    """The seed's tables as text cells, each row and each table ending as LibreOffice ends
    them: a million empty rows and sixteen thousand empty cells, repeated."""
    from xml.sax.saxutils import escape

    tables = {}
    for table in schema.TABLES:
        source = SEED_RAW / "2024" / table.file
        if not source.is_file():
            continue
        import csv

        with open(source, encoding="utf-8-sig", newline="") as handle:
            records = list(csv.reader(handle))
        tables[table.file.removesuffix(".csv")] = "".join(
            row(*(text_cell(escape(c)) for c in record),
                LO_ROW_END.format(n=16384 - len(record))) for record in records
        ) + LO_TABLE_END.format(n=1048576 - len(records))
    return ods(path, tables)


def _zip_entry(name: str, crc: int, stored: int, size: int) -> bytes:
    encoded = name.encode()
    return struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, stored, size,
                       len(encoded), 0) + encoded


def bomb(source: Path, target: Path, member: str, chunk: bytes, count: int,
         declared: int | None = None) -> Path:
    """`source` with `member` replaced by a sheet of `count` chunks, deflated without ever
    being inflated here (a full flush makes each chunk's blocks the same bytes). `declared`:
    the size the zip directory claims, when it lies."""
    head = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
            b'openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
    tail = b"</sheetData></worksheet>"
    with zipfile.ZipFile(source) as zf:
        parts = {n: zf.read(n) for n in zf.namelist() if n != member}
    entries = []
    with open(target, "wb") as out:
        def put(name: str, stream: bytes, crc: int, size: int) -> None:
            entries.append((name, crc, len(stream), size, out.tell()))
            out.write(_zip_entry(name, crc, len(stream), size) + stream)

        for name, data in parts.items():
            deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
            put(name, deflate.compress(data) + deflate.flush(), zlib.crc32(data), len(data))
        deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
        first = deflate.compress(head) + deflate.flush(zlib.Z_FULL_FLUSH)
        block = deflate.compress(chunk) + deflate.flush(zlib.Z_FULL_FLUSH)
        crc = zlib.crc32(head)
        for _ in range(count):
            crc = zlib.crc32(chunk, crc)
        crc = zlib.crc32(tail, crc)
        size = len(head) + len(chunk) * count + len(tail)
        put(member, first + block * count + deflate.compress(tail) + deflate.flush(), crc,
            size if declared is None else declared)
        start = out.tell()
        for name, crc, stored, size, offset in entries:
            encoded = name.encode()
            out.write(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc,
                                  stored, size, len(encoded), 0, 0, 0, 0, 0, offset) + encoded)
        out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries),
                              out.tell() - start, start, 0))
    return target


# -- running an attack: a capped, timed-out process --------------------------------------------

# the peak of this process's own memory (VmHWM: ru_maxrss would keep the size of the process
# it was forked from) and of any child it ran
PEAK = """
import re as _re, resource as _r
_own = int(_re.search(r"VmHWM:\\s+(\\d+)", open("/proc/self/status").read())[1])
print("PEAK_KB", max(_own, _r.getrusage(_r.RUSAGE_CHILDREN).ru_maxrss), flush=True)
"""


# what each capped process would import first: imported once, by the process they are
# forked from (starting an interpreter and importing them took most of an attack's second)
PRELOAD = ["tests.test_workbook_bounds", "pipeline.read.clean", "pipeline.errors"]
_WARM: list = []  # the forkserver context, once started


def _warm():
    """A forkserver that imported PRELOAD, started with the environment a capped process had
    (a fixed hash seed), from which every capped process is forked."""
    if not _WARM:
        import multiprocessing
        from multiprocessing import forkserver

        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(PRELOAD)
        with pytest.MonkeyPatch.context() as env:
            env.setenv("PYTHONHASHSEED", "0")
            forkserver.ensure_running()
        _WARM.append(context)
    return _WARM[0]


def _capped_child(body: str, cap_mb: int, tmp: str, logs: tuple[str, str]) -> None:
    """In the forked process: the cap, the environment a fresh process had (TMPDIR private,
    HOME the test's folder), stdout and stderr to files, then the code; exits with its code."""
    import os
    import tempfile
    import traceback

    resource.setrlimit(resource.RLIMIT_AS, (cap_mb << 20, cap_mb << 20))
    os.chdir(ROOT)
    os.environ.clear()
    os.environ.update({"PATH": "/usr/bin:/bin", "TMPDIR": str(Path(tmp) / "tmp"), "HOME": tmp,
                       "PYTHONHASHSEED": "0"})
    tempfile.tempdir = None
    for fd, log in zip((1, 2), logs):
        os.dup2(os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), fd)
    code = 0
    try:
        exec(compile(body, "<capped>", "exec"), {"__name__": "__main__"})
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 0 if stop.code is None else 1
    except BaseException:  # noqa: BLE001 - as an interpreter would: the traceback, exit 1
        traceback.print_exc()
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def capped(code: str, tmp: Path, cap_mb: int = CAP_READ_MB) -> tuple[int, str, float]:
    """Run `code` in a process of its own whose address space is capped; its exit code, its
    output (stdout, then stderr), and its peak resident memory in MB (its kernels included).
    Temporary folders go to tmp/tmp, so that what is left behind can be seen."""
    private = tmp / "tmp"
    private.mkdir(exist_ok=True)
    body = "import sys\ntry:\n" + textwrap.indent(textwrap.dedent(code), "    ") + \
        "\nfinally:\n" + textwrap.indent(PEAK, "    ")
    logs = (tmp / "capped.out", tmp / "capped.err")
    process = _warm().Process(target=_capped_child,
                              args=(body, cap_mb, str(tmp), tuple(map(str, logs))))
    process.start()
    process.join(HANG_GUARD)
    if process.exitcode is None:
        process.kill()
        process.join()
        raise subprocess.TimeoutExpired(body, HANG_GUARD)
    # no log: the process ended before it ran the code (its exit code says how)
    output = "".join(log.read_text(encoding="utf-8", errors="replace") for log in logs
                     if log.exists())
    for log in logs:
        log.unlink(missing_ok=True)
    peaks = [int(line.split()[1]) for line in output.splitlines() if line.startswith("PEAK_KB")]
    return process.exitcode, output, (peaks[0] / 1024 if peaks else float("inf"))


LOAD = """
from pathlib import Path
from pipeline.read import clean
from pipeline.errors import InputError
try:
    clean.load_raw(Path({raw!r}), 2024)
    print("DITERIMA")
except InputError as exc:
    print(exc)
    sys.exit(2)
"""


def load_capped(raw: Path, tmp: Path) -> tuple[int, str, float]:
    """`clean.load_raw` of a year folder, as `make report` reads it, under the cap."""
    return capped(LOAD.format(raw=str(raw)), tmp)


def refused(raw: Path, tmp: Path) -> str:
    """The single defect a year folder is refused with, after checking that its reading
    stayed in memory, wrote no traceback and left nothing in its temporary folder."""
    code, output, peak = load_capped(raw, tmp)
    assert code == 2, output
    assert "Traceback" not in output and "panicked" not in output
    assert peak < MEMORY_MB, output
    assert not any((tmp / "tmp").iterdir())
    lines = [line for line in output.splitlines() if line.startswith("  - ")]
    assert output.startswith("Data masukan tidak valid (1 masalah):"), output
    return lines[0].removeprefix("  - ")


def accepted(raw: Path, tmp: Path) -> str:
    code, output, peak = load_capped(raw, tmp)
    assert code == 0 and "DITERIMA" in output, output
    assert peak < MEMORY_MB, output
    return output


# -- 1. a far cell ----------------------------------------------------------------------------

@pytest.mark.parametrize("cell", ["XFD1048576", "ZZ30000", "A21003", "GS2"])
def test_a_far_cell_on_a_table_sheet_is_refused_before_it_is_loaded(tmp_path, seed_book,
                                                                     cell):
    # XFD1048576 aborted the reader (Rust panic, exit 134); ZZ30000 took 1 GB and 36 s
    book = with_cell(seed_book, tmp_path / "far.xlsx", "iku", cell, "x")
    message = refused(year_folder(tmp_path, book), tmp_path)
    assert message == f"lkip_2024.xlsx, sheet iku: sheet terlalu besar: sel {cell} terisi; " \
                      f"yang diharapkan: {ROWS}"


def test_a_far_cell_on_an_ignored_sheet_is_never_loaded(tmp_path, seed_book):
    book = with_cell(seed_book, tmp_path / "far.xlsx", "catatan", "XFD1048576", "x")
    book = with_cell(book, book, "PETUNJUK", "XFD1048576", "x")
    output = accepted(year_folder(tmp_path, book), tmp_path)
    assert "sheet diabaikan (bukan tabel data): catatan" in output


def test_the_last_row_a_table_may_reach_is_read(tmp_path, seed_book):
    """The sheet limit leaves room for the header and blank rows: a note in row 21.001 of a
    table sheet is refused by no sheet limit (the row is read, as any row of the table)."""
    book = with_cell(seed_book, tmp_path / "near.xlsx", "iku", "A21001", "catatan")
    code, output, _ = load_capped(year_folder(tmp_path, book), tmp_path)
    assert "sheet terlalu besar" not in output
    assert ("lkip_2024.xlsx, sheet iku, sel B21001 (kolom 'kode_sasaran'): sel kosong, "
            "padahal wajib diisi") in output  # read, and checked as any row


def test_filled_cells_of_all_sheets_together_are_bounded(tmp_path, seed_book):
    """Each sheet within its rows and columns, the grids together more than the widest
    table (instansi.csv, 31 columns) at the row limit."""
    from openpyxl import load_workbook

    book = load_workbook(seed_book)
    for name in ("tujuan", "sasaran"):
        book[name]["AD20000"] = "x"  # 30 columns x 20.000 rows each
    book.save(tmp_path / "wide.xlsx")
    message = refused(year_folder(tmp_path, tmp_path / "wide.xlsx"), tmp_path)
    assert message.startswith("lkip_2024.xlsx, sheet sasaran: workbook terlalu besar: sheet "
                              "yang dibaca mencakup 1.200.")
    assert message.endswith("sel (baris × kolom dari A1); yang diharapkan: paling banyak "
                            "651.031 sel seluruhnya (tabel terlebar sepanjang batas baris)")


# -- 2. .ods repeats ---------------------------------------------------------------------------

HEADER = row(text_cell("kode_iku"), text_cell("kode_sasaran"))


@pytest.mark.parametrize("rows, expected", [
    # 831 bytes that the reader expanded to 4,6 GB
    (row(text_cell("x", 1000), repeat=100_000),
     "sel ALL100001 terisi (baris diulang 100.000 kali (number-rows-repeated); sel diulang "
     "1.000 kali (number-columns-repeated))"),
    (row(text_cell("x"), repeat=1_048_000),
     "sel A1048001 terisi (baris diulang 1.048.000 kali (number-rows-repeated))"),
    (row(text_cell("x", 16_000)),
     "sel WQJ2 terisi (sel diulang 16.000 kali (number-columns-repeated))"),
    # empty rows repeated between filled ones: the reader allocates them
    (row('<table:table-cell/>', repeat=1_000_000) + row(text_cell("x")),
     "sel A1000002 terisi"),
])
def test_a_repeat_that_holds_content_is_refused(tmp_path, rows, expected):
    book = ods(tmp_path / "repeat.ods", {"iku": HEADER + rows})
    assert book.stat().st_size < 1024
    message = refused(year_folder(tmp_path, book, "lkip_2024.ods"), tmp_path)
    assert message == f"lkip_2024.ods, sheet iku: sheet terlalu besar: {expected}; " \
                      f"yang diharapkan: {ROWS}"


def test_an_ignored_ods_table_is_measured_too(tmp_path):
    """python-calamine loads every table of an .ods file when it opens it."""
    book = ods(tmp_path / "repeat.ods", {"iku": HEADER, "catatan": row(text_cell("x"),
                                                                       repeat=1_048_000)})
    message = refused(year_folder(tmp_path, book, "lkip_2024.ods"), tmp_path)
    assert message.startswith("lkip_2024.ods, sheet catatan: sheet terlalu besar: sel "
                              "A1048000 terisi (baris diulang 1.048.000 kali "
                              "(number-rows-repeated)); file .ods dibaca seluruhnya, termasuk "
                              "sheet yang tidak dipakai; yang diharapkan: ")


def test_libreoffice_trailing_empty_repeats_are_read(tmp_path):
    """LibreOffice ends every row with ~16.370 empty cells and every table with ~1.048.550
    empty rows, both as repeats: they hold nothing, python-calamine drops them without
    allocating (measured: 16 MB for 20.000 such rows), and the file is read."""
    book = seed_as_ods(tmp_path / "lo.ods")
    with zipfile.ZipFile(book) as zf:
        assert b'number-rows-repeated="1048' in zf.read("content.xml")
    accepted(year_folder(tmp_path, book, "lkip_2024.ods"), tmp_path)


# -- 3. a zip bomb, refused from the zip directory ---------------------------------------------

ROW = b"<row><c><v>1</v></c></row>" * 40_330  # ~1 MB


def test_a_sheet_that_inflates_to_1_5_gb_is_refused_from_the_directory(tmp_path, seed_book):
    # a 4 MB file whose instansi sheet inflates to 1,5 GB: 7,8 GB and 194 s before
    book = bomb(seed_book, tmp_path / "bomb.xlsx", "xl/worksheets/sheet2.xml", ROW, 1500)
    assert book.stat().st_size < 5 * 1024 * 1024
    message = refused(year_folder(tmp_path, book), tmp_path)
    assert message == ("lkip_2024.xlsx: bagian workbook terlalu besar setelah dibuka (nilai: "
                       "'xl/worksheets/sheet2.xml: 1.500,0 MB'); yang diharapkan: paling "
                       "banyak 50 MB per bagian dan 100 MB seluruhnya setelah dibuka")


def test_a_part_compressed_beyond_any_spreadsheet_is_refused(tmp_path, seed_book):
    book = bomb(seed_book, tmp_path / "bomb.xlsx", "xl/worksheets/sheet2.xml", ROW, 20)
    message = refused(year_folder(tmp_path, book), tmp_path)
    assert message.startswith("lkip_2024.xlsx: bagian workbook dimampatkan tidak wajar (zip "
                              "bomb) (nilai: 'xl/worksheets/sheet2.xml: ")
    assert message.endswith("yang diharapkan: paling banyak 200 kali untuk bagian di atas "
                            "1 MB")


def test_a_part_larger_than_its_directory_says_is_refused(tmp_path, seed_book):
    """The directory's sizes are claims: what inflates past them is refused while read."""
    book = bomb(seed_book, tmp_path / "liar.xlsx", "xl/worksheets/sheet2.xml", ROW, 40,
                declared=1000)
    message = refused(year_folder(tmp_path, book), tmp_path)
    assert message == ("lkip_2024.xlsx: ukuran bagian workbook tidak sesuai daftar isinya "
                       f"(nilai: 'xl/worksheets/sheet2.xml'); yang diharapkan: {BROKEN}")


def test_a_workbook_of_too_many_parts_is_refused(tmp_path, seed_book):
    shutil.copy(seed_book, tmp_path / "parts.xlsx")
    with zipfile.ZipFile(tmp_path / "parts.xlsx", "a") as zf:
        for n in range(1000):
            zf.writestr(f"xl/media/x{n}.bin", b"")
    message = refused(year_folder(tmp_path, tmp_path / "parts.xlsx"), tmp_path)
    assert message == ("lkip_2024.xlsx: workbook berisi terlalu banyak bagian (1.106); "
                       "yang diharapkan: paling banyak 1.000 bagian zip")


# -- 4. typed numbers obey the limits of printed ones ------------------------------------------

def typed_in_xml(seed_book: Path, target: Path, spelled: str) -> Path:
    """pk_program C2 (anggaran) typed as a number the XML spells `spelled`, as no office
    program writes it but anyone can."""
    marked = with_cell(seed_book, target.with_suffix(".tmp.xlsx"), "pk_program", "C2",
                       987654.125)
    return rewritten(marked, target, sheet_part(marked, "pk_program"),
                     lambda data: data.replace(b"<v>987654.125</v>",
                                               f"<v>{spelled}</v>".encode()))


@pytest.mark.parametrize("spelled, shown, expected", [
    ("1e300", "1e+300", "angka paling banyak 16 digit dan 10 desimal"),
    ("12345678901234567", "1.2345678901234568e+16",
     "angka paling banyak 16 digit dan 10 desimal"),
    ("INF", "inf", "angka paling banyak 16 digit dan 10 desimal, bukan tak hingga (INF) "
                   "atau NaN"),
    ("-INF", "-inf", "angka paling banyak 16 digit dan 10 desimal, bukan tak hingga (INF) "
                     "atau NaN"),
    ("NaN", "nan", "angka paling banyak 16 digit dan 10 desimal, bukan tak hingga (INF) "
                   "atau NaN"),
])
def test_a_typed_number_beyond_the_limits_is_a_defect_of_its_cell(tmp_path, seed_book,
                                                                  spelled, shown, expected):
    # 1e300 failed later with InvalidOperation, INF with OverflowError, NaN as "workbook rusak"
    book = typed_in_xml(seed_book, tmp_path / "typed.xlsx", spelled)
    message = refused(year_folder(tmp_path, book), tmp_path)
    assert message == (f"lkip_2024.xlsx, sheet pk_program, sel C2 (kolom 'anggaran'): format "
                       f"angka tidak sah (nilai: '{shown}'); yang diharapkan: {expected}")


@pytest.mark.parametrize("value, number", [
    (0.1 + 0.2, Decimal("0.3")),  # a formula's binary noise is not a decimal typed
    (22.05, Decimal("22.05")),
    (0.1234567891, Decimal("0.1234567891")),
    (9007199254740993, Decimal(9007199254740993)),
])
def test_a_typed_number_within_the_limits_reads_as_shown(value, number):
    assert sheets.Typed(value).number == number


@pytest.mark.parametrize("value", [1 / 3, 0.12345678901, 1e-300, 10.0 ** 16, 10 ** 16])
def test_a_typed_number_with_too_many_digits_is_refused(value):
    with pytest.raises(numbers.NumberFormatError) as err:
        _ = sheets.Typed(value).number
    assert err.value.expected == "angka paling banyak 16 digit dan 10 desimal"


def test_a_percent_format_with_many_decimals_prints_within_the_limit():
    cell = sheets.Typed(0.2205, percent=True, decimals=40)
    assert (str(cell), cell.number) == ("22,0500000000%", Decimal("22.05"))


# -- 5. XML the parser refuses: a sentence naming the file ------------------------------------

def test_a_control_character_in_workbook_xml_is_a_sentence(tmp_path, seed_book):
    book = rewritten(seed_book, tmp_path / "ctrl.xlsx", "xl/workbook.xml",
                     lambda data: data.replace(b"<sheets>", b"<sheets>\x01"))
    with zipfile.ZipFile(seed_book) as book_zip:
        xml = book_zip.read("xl/workbook.xml")
    assert xml.count(b"\n") == 0  # one line: the column is that of the byte after <sheets>
    column = xml.index(b"<sheets>") + len(b"<sheets>") + 1  # counted from 1
    message = refused(year_folder(tmp_path, book), tmp_path)
    assert message == ("lkip_2024.xlsx: workbook rusak: xl/workbook.xml bukan XML yang sah "
                       f"(nilai: 'baris 1, kolom {column}'); yang diharapkan: {BROKEN}")


def test_a_dtd_in_a_table_sheet_is_refused(tmp_path, seed_book):
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa">'
              b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>')
    part = sheet_part(seed_book, "iku")
    book = rewritten(seed_book, tmp_path / "dtd.xlsx", part,
                     lambda data: laughs + data.split(b"?>", 1)[-1].replace(
                         b"<sheetData>", b"<sheetData>&b;", 1))
    message = refused(year_folder(tmp_path, book), tmp_path)
    assert message == (f"lkip_2024.xlsx: workbook rusak: {part} memuat DTD atau entitas XML; "
                       f"yang diharapkan: {BROKEN}")


def test_two_sheets_of_one_name_are_refused(tmp_path):
    """A reader would load one of them, maybe not the one measured."""
    book = ods(tmp_path / "twice.ods", {"iku": HEADER, "iku ": HEADER})
    rewritten(book, book.with_name("lkip_2024.ods"), "content.xml",
              lambda data: data.replace(b'table:name="iku "', b'table:name="iku"'))
    with pytest.raises(sheet_scan.Refused) as err:
        sheet_scan.scan(book.with_name("lkip_2024.ods"), {"iku"}, 20_000)
    assert err.value.args == ("lkip_2024.ods", "workbook rusak: nama sheet ganda", "iku",
                              BROKEN)


def test_scan_keeps_only_the_wanted_sheets(seed_book):
    found = sheet_scan.scan(seed_book, {"iku", "tujuan"}, 20_000)
    assert found.names[0] == "PETUNJUK" and "realisasi_anggaran" in found.names
    assert found.load == {"iku", "tujuan"}


# -- every command that reads a workbook -------------------------------------------------------

def far_folder(tmp: Path, seed_book: Path) -> Path:
    return year_folder(tmp, with_cell(seed_book, tmp / "far.xlsx", "iku", "XFD1048576", "x"))


FAR = f"lkip_2024.xlsx, sheet iku: sheet terlalu besar: sel XFD1048576 terisi; yang " \
      f"diharapkan: {ROWS}"


def test_make_report_refuses_and_leaves_nothing_behind(tmp_path, seed_book):
    """Through the runner, as `make report RAW=... OUT=...` runs it: before, a Rust panic
    (exit 134) that left .build-2024, the lock and /tmp/lkip-build-* behind."""
    raw = far_folder(tmp_path, seed_book)
    code, output, peak = capped(f"""
        from pipeline import cli
        sys.exit(cli.main(["report", "--year", "2024", "--raw", {str(raw.parent)!r},
                           "--out", {str(tmp_path / "out")!r},
                           "--processed", {str(tmp_path / "processed")!r}]))
        """, tmp_path, CAP_COMMAND_MB)
    assert code == 2, output
    assert f"  - {FAR}\n" in output and "Traceback" not in output
    assert peak < MEMORY_MB
    for folder in (tmp_path / "out", tmp_path / "processed"):
        assert list(folder.iterdir()) == []  # the lock too is removed when the build ends
    assert not any((tmp_path / "tmp").iterdir())  # no lkip-build-* left


def test_make_workbook_refuses_to_read_it(tmp_path, seed_book):
    raw = far_folder(tmp_path, seed_book)
    target = tmp_path / "ekspor.xlsx"
    code, output, peak = capped(f"""
        from pipeline import cli
        sys.exit(cli.main(["workbook", "--year", "2024", "--raw", {str(raw.parent)!r},
                           "--out", {str(target)!r}]))
        """, tmp_path)
    assert code == 2, output
    assert f"  - {FAR}\n" in output and "Traceback" not in output
    assert peak < MEMORY_MB and not target.exists()


def test_make_verify_pdf_refuses_the_embedded_workbook(tmp_path, seed_book):
    """A PDF that embeds the hostile workbook as its data, as an auditor may receive it."""
    from pypdf import PdfWriter

    from pipeline.compute import ledger
    from pipeline.run import manifest

    far = with_cell(seed_book, tmp_path / "far.xlsx", "iku", "XFD1048576", "x")
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_attachment(manifest.BASE_NAME, json.dumps(
        {"tahun": 2024, "masukan": {}}).encode())
    writer.add_attachment(ledger.NAME, b"key,label,value,unit,formula,inputs\n")
    writer.add_attachment("data/lkip_2024.xlsx", far.read_bytes())
    pdf = tmp_path / "LKIP_2024.pdf"
    with open(pdf, "wb") as handle:
        writer.write(handle)
    code, output, peak = capped(f"""
        from pipeline import cli
        sys.exit(cli.main(["verify", "--pdf", {str(pdf)!r}, "--out", {str(tmp_path / "o")!r}]))
        """, tmp_path, CAP_COMMAND_MB)
    assert code == 2, output
    assert f"  - {FAR}\n" in output and "Traceback" not in output
    assert peak < MEMORY_MB
    assert not any((tmp_path / "tmp").iterdir())  # the extracted data is gone


def test_make_batch_marks_the_agency_failed(tmp_path, seed_book):
    """One agency-year as a batch worker builds it."""
    from pipeline.run import batch

    raw = far_folder(tmp_path, seed_book)
    out = tmp_path / "out" / "dinas"
    code, output, peak = capped(f"""
        from pipeline.run import batch
        job = batch.Job("dinas", 2024, {str(raw.parent)!r}, {str(out)!r},
                        {str(out / batch.PROCESSED)!r})
        try:
            outcome = batch.build_one(job)
        finally:
            batch.close_worker_session()
        print("STATUS", outcome.status)
        print(outcome.message)
        """, tmp_path, CAP_COMMAND_MB)
    assert code == 0, output
    assert "STATUS gagal" in output and f"  - {FAR}" in output
    assert peak < MEMORY_MB
    assert not list(out.glob(".build-*"))
