"""The narrative as a sheet of the year's workbook, so that one exported workbook builds alone.

Sheet `narasi`, columns `file`, `baris`, `teks`: one row per line of a narrative's Markdown,
in order (`kata_pengantar.md`, line 1, its text). A line longer than a cell holds is written
over several rows with the same `baris`, which read back as one line; a row with a blank
`baris` is a new line, so rows can be inserted without renumbering. The sheet is read like
any table sheet (sheet_scan measures it first, with the same limits), and the text is then
held to the limits of a narrative file (size, longest word) and rendered as untrusted
Markdown, exactly as narasi/*.md is. A year folder has its narrative in one place: the
workbook's sheet or the narasi/ folder, not both.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import DefectCollector
from . import inputs, sheets
from .places import Source

SHEET = inputs.NARRATIVE_DIR
COLUMNS = ("file", "baris", "teks")
CELL_CHARS = 16_000  # of a line per cell: under a spreadsheet's 32.767 (UTF-16) in any script
MAX_LINES = 20_000  # rows of the sheet, as a table's (ingest.MAX_ROWS)
_LINE_END = re.compile(r"\r\n|\r|\n")  # a cell keeps no CR: XML reads it back as a newline
DESCRIPTION = ("teks narasi (Markdown): satu baris per baris teks; kolom file (mis. "
               "kata_pengantar.md), baris (nomor baris; baris yang sama menyambung teks yang "
               "panjang) dan teks")


def rows(texts: dict[str, str]) -> list[dict[str, str]]:
    """The sheet's rows for these narratives, in the order given; every value text."""
    out = []
    for name, text in texts.items():
        for number, line in enumerate(_LINE_END.split(text), 1):
            pieces = [line[i:i + CELL_CHARS] for i in range(0, len(line), CELL_CHARS)] or [""]
            out += [{"file": name, "baris": str(number), "teks": piece} for piece in pieces]
    return out


def read(book: Path, names: list[str] | None, out: DefectCollector, required: bool = True
         ) -> tuple[dict[str, str], dict[str, Source]] | None:
    """The narratives named (None: every one the sheet has), from the workbook's sheet, and
    where each line is (for the findings about them); None when the workbook has no
    narrative sheet. required: a name the sheet lacks is a defect (a build), else left out
    (an export of a year under way)."""
    probe = DefectCollector()
    loaded = sheets.read(book, probe, {SHEET}, MAX_LINES)
    if loaded is None:  # the workbook itself is said by the reading of its tables; its
        said = {(d.file, d.message) for d in out.defects}  # narasi sheet refused, here
        out.defects += [d for d in probe.defects if d.file == f"{book.name}, sheet {SHEET}"
                        and (d.file, d.message) not in said]
        return {}, {}
    sheet = loaded.sheets.get(SHEET)
    if sheet is None:
        return None
    label = sheet.label
    header = _header(sheet, label, loaded, out)
    if header is None:
        return {}, {}
    out.place(SHEET, label, header)
    lines = _lines(sheet, header, names, out)
    names = list(lines) if names is None else names
    texts, sources = {}, {}
    for name in names:
        if name not in lines:
            if not required:
                continue
            out.add(label, f"narasi {name} tidak ditemukan",
                    expected=f"baris dengan file {name} di sheet {SHEET} (satu baris per baris "
                             "teks Markdown)")
            continue
        texts[name] = "\n".join(text for _, text in lines[name])
        sources[f"{inputs.NARRATIVE_DIR}/{name}"] = Source(
            book.name, SHEET, tuple(header), tuple(row for row, _ in lines[name]))
    return texts, sources


def _header(sheet, label: str, loaded, out: DefectCollector) -> list[str] | None:
    if sheet.name in loaded.hidden:
        out.add(label, "sheet narasi tersembunyi (hidden)",
                expected="tampilkan sheet (Unhide) atau hapus bila narasi ada di folder narasi/")
        return None
    if sheet.name in loaded.uncached:
        cells = ", ".join(loaded.uncached[SHEET][:5])
        out.add(label, f"rumus tanpa nilai tersimpan di sel {cells}",
                expected="ketik teksnya, atau simpan ulang workbook di spreadsheet")
        return None
    header = [str(h).strip() for h in (sheet.rows[0] if sheet.rows else [])]
    while header and not header[-1]:
        header.pop()
    if sorted(header) != sorted(COLUMNS):
        out.add(label, "judul kolom sheet narasi tidak sesuai", value=",".join(header)[:80],
                expected=f"kolom {', '.join(COLUMNS)} di baris 1")
        return None
    return header


def _lines(sheet, header: list[str], names: list[str] | None, out: DefectCollector
           ) -> dict[str, list[tuple[int, str]]]:
    """(sheet row, text) of each line of each narrative named; other names are not read, as a
    file in narasi/ that no part of the report uses."""
    at = {name: header.index(name) for name in COLUMNS}
    lines: dict[str, list[tuple[int, str]]] = {}
    last: dict[str, str] = {}
    for number, row in enumerate(sheet.rows[1:], 2):
        cells = [str(row[at[c]]) if at[c] < len(row) else "" for c in COLUMNS]
        name, line, text = cells[0].strip(), cells[1].strip(), cells[2]
        if not name and not line and not text.strip():
            continue
        if not (inputs.safe(name) and name.endswith(".md")):
            out.add(SHEET, "nama narasi tidak sah", line=number, column="file", value=name,
                    expected=f"nama file narasi seperti kata_pengantar.md; {inputs.NAME_RULE}")
            continue
        if line and not line.isdigit():
            out.add(SHEET, "nomor baris narasi tidak sah", line=number, column="baris",
                    value=line, expected="bilangan bulat positif, atau kosong (baris baru)")
            continue
        if names is not None and name not in names:
            continue
        own = lines.setdefault(name, [])
        if line and last.get(name) == line:  # the same line number: a long line goes on
            own[-1] = (own[-1][0], own[-1][1] + text)
        else:
            own.append((number, text))
        last[name] = line
    return lines
