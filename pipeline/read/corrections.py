"""Apply the analyst's corrections file to raw strings, before anything is parsed.

Raw files are never rewritten: a correction names the file, the row (as key=value pairs),
the column, the printed value and its replacement. A correction whose printed value no
longer matches the file is an error, so a stale correction cannot silently win.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from ..errors import DefectCollector
from .ingest import RawRows

CORRECTIONS_FILE = "koreksi.csv"


@dataclass(frozen=True)
class Correction:
    file: str
    kunci: str
    kolom: str
    nilai_cetak: str
    nilai_koreksi: str
    alasan: str
    sumber_koreksi: str
    baris_data: int | None = None  # line in the corrected file

    def as_record(self) -> dict:
        return asdict(self)


def _parse_key(text: str) -> dict[str, str] | None:
    pairs = {}
    for part in text.split(";"):
        if "=" not in part:
            return None
        name, value = part.split("=", 1)
        pairs[name.strip()] = value.strip()
    return pairs


def apply(raws: dict[str, RawRows], out: DefectCollector) -> list[Correction]:
    """Rewrite the in-memory cells named by koreksi.csv; return what was applied."""
    table = raws.get(CORRECTIONS_FILE)
    if table is None:
        return []
    applied = []
    for line, row in zip(table.lines, table.rows):
        target = raws.get(row["file"].strip())
        if target is None:
            out.add(CORRECTIONS_FILE, "file yang dikoreksi tidak ada", line=line, column="file",
                    value=row["file"], expected="nama file data mentah di folder ini")
            continue
        key = _parse_key(row["kunci"])
        if not key or any(k not in target.table.names for k in key):
            out.add(CORRECTIONS_FILE, "kunci baris tidak sah", line=line, column="kunci",
                    value=row["kunci"],
                    expected=f"kolom=nilai dengan kolom dari {target.table.file}")
            continue
        column = row["kolom"].strip()
        if column not in target.table.names:
            out.add(CORRECTIONS_FILE, "kolom yang dikoreksi tidak ada", line=line, column="kolom",
                    value=column, expected=f"salah satu kolom {target.table.file}")
            continue
        matches = [i for i, r in enumerate(target.rows)
                   if all(r[k].strip() == v for k, v in key.items())]
        if len(matches) != 1:
            out.add(CORRECTIONS_FILE, f"kunci cocok dengan {len(matches)} baris", line=line,
                    column="kunci", value=row["kunci"], expected="tepat satu baris")
            continue
        cells = target.rows[matches[0]]
        if cells[column].strip() != row["nilai_cetak"].strip():
            out.add(CORRECTIONS_FILE, "nilai tercetak tidak sama dengan isi file (koreksi "
                    "usang?)", line=line, column="nilai_cetak", value=row["nilai_cetak"],
                    expected=f"{cells[column]!r} seperti di {target.table.file} baris "
                    f"{target.lines[matches[0]]}")
            continue
        cells[column] = row["nilai_koreksi"].strip()
        applied.append(Correction(**{k: row[k].strip() for k in (
            "file", "kunci", "kolom", "nilai_cetak", "nilai_koreksi", "alasan",
            "sumber_koreksi")}, baris_data=target.lines[matches[0]]))
    return applied
