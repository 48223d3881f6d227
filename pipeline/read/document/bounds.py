"""Limits on a received document, measured before the heavy parsing that they protect.

A document comes from outside and may be hostile: a PDF that claims ten thousand pages, a
DOCX whose XML inflates a thousandfold, a table of a million cells. Each limit is checked as
early as the thing it bounds can be counted: the file's size before it is opened, a PDF's
page count from its page tree before any page is parsed, a DOCX's zip directory (and each
part as it inflates) before python-docx reads it, a table's cells as its layout is placed.
"""

from __future__ import annotations

import copy
import io
import os
import stat
import zipfile
import zlib
from pathlib import Path

from ..embedded import in_bytes, megabytes
from ..formatting import number
from .model import DocumentError

MB = 1024 * 1024
MAX_BYTES = 50 * MB  # a 200-page LKIP with its scanned annexes is about 30 MB
MAX_PAGES = 500  # of a PDF; an LKIP has 40 to 150
MAX_TABLES = 1_000  # per document; the seed has 45
MAX_CELLS = 50_000  # per table; the seed's largest has about 500
MAX_COLUMNS = 100  # the widest LKIP table has 12 columns
MAX_PAGE_CHARS = 100_000  # characters on one PDF page; a full page of 8-point text has 6.000
MAX_TEXT = 20 * MB  # characters of an HTML, Markdown or text document
MAX_LINE = 100_000  # characters of one line of a Markdown or text document; a page has 5.000
MAX_PARTS = 2_000  # zip members of a DOCX or ODT
MAX_UNPACKED = 200 * MB  # all members of a DOCX or ODT, inflated
MAX_RATIO = 200  # inflated : stored, for members above RATIO_FROM; document XML is ~5-20
RATIO_FROM = MB


def _refuse(file: str, message: str, value: str, expected: str):
    raise DocumentError(file, message, value, expected)


def read_bytes(path: Path, limit: int | None = None) -> bytes:
    """The file's bytes: a regular file only (no link followed, no FIFO waited on), refused
    past the limit (MAX_BYTES unless given) before it is read."""
    name, limit = path.name, MAX_BYTES if limit is None else limit
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            raise DocumentError(name, "bukan file biasa (tautan, folder atau perangkat)",
                                expected="file dokumen biasa")
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
                     | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise DocumentError(name, "file tidak ditemukan") from None
    except OSError as exc:
        raise DocumentError(name, f"tidak dapat dibuka ({exc.strerror})") from None
    with os.fdopen(fd, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > limit:
            _refuse(name, "file terlalu besar", in_bytes(size), f"paling besar {megabytes(limit)}")
        data = handle.read(limit + 1)
    if len(data) > limit:
        _refuse(name, "file terlalu besar", f"lebih dari {in_bytes(limit)}",
                f"paling besar {megabytes(limit)}")
    return data


def check_pages(file: str, pages: int) -> None:
    if pages > MAX_PAGES:
        _refuse(file, "PDF terlalu banyak halaman", f"{number(pages)} halaman",
                f"paling banyak {number(MAX_PAGES)} halaman")


def check_page_chars(file: str, page: int, chars: int) -> None:
    if chars > MAX_PAGE_CHARS:
        _refuse(file, f"halaman {page} memuat terlalu banyak karakter", number(chars),
                f"paling banyak {number(MAX_PAGE_CHARS)} karakter per halaman")


def check_tables(file: str, count: int) -> None:
    if count > MAX_TABLES:
        _refuse(file, "dokumen memuat terlalu banyak tabel", f"lebih dari {number(MAX_TABLES)}",
                f"paling banyak {number(MAX_TABLES)} tabel")


def check_cells(file: str, cells: int, table: int | None = None) -> None:
    if cells > MAX_CELLS:
        which = f"tabel {table}" if table else "sebuah tabel"
        _refuse(file, f"{which} terlalu besar", f"lebih dari {number(MAX_CELLS)} sel",
                f"paling banyak {number(MAX_CELLS)} sel per tabel")


def check_table_width(file: str, width: int) -> None:
    if width > MAX_COLUMNS:
        _refuse(file, "sebuah tabel terlalu lebar", f"{number(width)} kolom",
                f"paling banyak {number(MAX_COLUMNS)} kolom")


def check_rows(file: str, table) -> None:
    """A table joined across pages grows: its cells are counted again."""
    check_cells(file, table.width * (len(table.header) + len(table.body)), table.number)


def check_text(file: str, text: str) -> None:
    if len(text) > MAX_TEXT:
        _refuse(file, "dokumen teks terlalu panjang", f"{number(len(text))} karakter",
                f"paling banyak {number(MAX_TEXT)} karakter")


def check_line(file: str, line: int, length: int) -> None:
    """A line's markup is taken apart by patterns whose time grows with its length."""
    if length > MAX_LINE:
        _refuse(file, f"baris {line} terlalu panjang", f"{number(length)} karakter",
                f"paling banyak {number(MAX_LINE)} karakter per baris")


def check_zip(file: str, data: bytes) -> None:
    """A DOCX or ODT's zip directory (member count, sizes, ratios) and then every member
    inflated through a counter that stops at the size the directory declares."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_PARTS:
                _refuse(file, "dokumen berisi terlalu banyak bagian zip", number(len(infos)),
                        f"paling banyak {number(MAX_PARTS)} bagian")
            total = 0
            for info in infos:
                total += info.file_size
                ratio = info.file_size // max(info.compress_size, 1)
                if info.file_size > RATIO_FROM and ratio > MAX_RATIO:
                    _refuse(file, "bagian dokumen dimampatkan tidak wajar (zip bomb)",
                            f"{info.filename}: {number(ratio)} kali",
                            f"paling banyak {MAX_RATIO} kali untuk bagian di atas "
                            f"{megabytes(RATIO_FROM)}")
            if total > MAX_UNPACKED:
                _refuse(file, "dokumen terlalu besar setelah dibuka", megabytes(total),
                        f"paling besar {megabytes(MAX_UNPACKED)} setelah dibuka")
            for info in infos:
                _inflate_within(file, zf, info)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, NotImplementedError,
            RuntimeError, EOFError, ValueError) as exc:
        raise DocumentError(file, "dokumen rusak atau bukan dokumen Word/ODF",
                            type(exc).__name__, "file .docx atau .odt yang dapat dibuka "
                            "pengolah kata") from None


def _inflate_within(file: str, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """A member inflated in pieces, refused once it passes the size it declares: the
    directory's sizes are claims, this is the measure."""
    probe = copy.copy(info)
    probe.file_size = info.file_size + MB  # read on past the claim, to see what is there
    left = info.file_size
    with zf.open(probe) as member:
        while chunk := member.read(MB):
            left -= len(chunk)
            if left < 0:
                _refuse(file, "ukuran bagian dokumen tidak sesuai daftar isinya",
                        info.filename, "file .docx atau .odt yang utuh")
