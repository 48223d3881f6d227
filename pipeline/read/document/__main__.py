"""`python -m pipeline.read.document FILE`: what was read from a received document.

Each table found (its place, title, column roles, rows, figure cells read / ambiguous / not
understood, and each cell not read with the reason), then the share of the document's figure
cells read. Exit 1 when the document is refused (the reason on stderr).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ...errors import printable
from ..formatting import number
from . import DocumentError, read, understand
from .figures import AMBIGUOUS, READ, UNREAD
from .understand import NOT_FIGURES, TableReading

SHOWN_PER_TABLE = 5  # cells not read listed under a table; the count says how many more
KIND_NAMES = {"pdf": "PDF", "docx": "Word", "html": "HTML", "text": "teks"}


def _percent(part: int, whole: int) -> str:
    return f"{number(100 * part / whole, 1)} %" if whole else "–"


def _columns(reading: TableReading) -> str:
    parts = []
    for column in reading.columns:
        role = column.role.role or "?"
        unit = f" [{column.role.unit}]" if column.role.unit else ""
        parts.append(f"{column.label or '(tanpa judul)'}={role}{unit}")
    return " | ".join(parts)


def _not_read(reading: TableReading) -> list[str]:
    lines = []
    for r, row in enumerate(reading.rows, start=1):
        for column, figure in zip(reading.columns, row.figures):
            if figure.status in (AMBIGUOUS, UNREAD) and column.role.role not in NOT_FIGURES:
                what = "ambigu" if figure.status == AMBIGUOUS else "tak terbaca"
                label = f" ({row.label[:40]})" if row.label else ""
                lines.append(f"baris {r}{label}, kolom '{column.label}': {figure.text!r} "
                             f"{what}: {figure.reason}")
    return lines


def report(path: Path, out=sys.stdout) -> int:
    """Print what was read; 0, or 1 when the document is refused."""
    started = time.perf_counter()
    try:
        document = read(path)
    except DocumentError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    reading = understand(document)
    seconds = time.perf_counter() - started

    def say(text: str = "") -> None:
        print(printable(text), file=out)

    pages = f", {number(document.pages)} halaman" if document.pages is not None else ""
    say(f"{document.name}: {KIND_NAMES[document.kind]}{pages}, {len(document.tables)} tabel, "
        f"{len(document.paragraphs)} paragraf, dibaca dalam {number(seconds, 1)} dtk")
    if document.without_text:
        say(f"Halaman tanpa lapisan teks (pindaian, tidak dibaca): "
            f"{', '.join(str(p) for p in document.without_text)}")
    say(f"Format angka dokumen: {reading.marks.describe()}")
    for table_reading in reading.tables:
        table = table_reading.table
        orientation = ", lanskap" if table.landscape else ""
        say()
        title = table.title or "(tanpa judul)"
        say(f"Tabel {table.number} ({table.place()}{orientation}): {title}")
        say(f"  kolom: {_columns(table_reading)}")
        roles = {}
        for row in table_reading.rows:
            roles[row.role] = roles.get(row.role, 0) + 1
        kinds = ", ".join(f"{k} {v}" for k, v in roles.items())
        counts = table_reading.counts()
        say(f"  baris: {len(table_reading.rows)}{f' ({kinds})' if kinds else ''}; sel angka: "
            f"{counts[READ]} terbaca, {counts[AMBIGUOUS]} ambigu, {counts[UNREAD]} tak terbaca")
        formats = sorted({c.format for c in table_reading.columns
                          if c.format and c.role.role not in NOT_FIGURES})
        if formats:
            say(f"  format angka: {'; '.join(formats)}")
        missed = _not_read(table_reading)
        for line in missed[:SHOWN_PER_TABLE]:
            say(f"    - {line}")
        if len(missed) > SHOWN_PER_TABLE:
            say(f"    … dan {len(missed) - SHOWN_PER_TABLE} sel lain")
    counts = reading.counts()
    cells = counts[READ] + counts[AMBIGUOUS] + counts[UNREAD]
    say()
    say(f"Seluruhnya: {number(cells)} sel angka; {number(counts[READ])} terbaca "
        f"({_percent(counts[READ], cells)}), {number(counts[AMBIGUOUS])} ambigu, "
        f"{number(counts[UNREAD])} tak terbaca.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline.read.document",
        description="Tampilkan tabel yang terbaca dari dokumen LKIP (PDF, Word, HTML, teks).")
    parser.add_argument("file", type=Path, help="dokumen yang diperiksa")
    args = parser.parse_args(argv)
    return report(args.file)


if __name__ == "__main__":
    sys.exit(main())
