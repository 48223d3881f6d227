"""Which files of a year's data folder are inputs: the files a build reads, hashes and embeds.

Only the tables the data dictionary knows, the year's workbook and narasi/*.md; never a
symlink, never a stray file. This is the one definition: reading (ingest, clean), hashing
(manifest, freshness), embedding (the PDF's attachments) and `verify PDF` all take their
files from here, so nothing is read that is not also hashed and embedded. A workbook or
narrative whose name could not be embedded is refused by the reading with a defect, never
read unhashed.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import DefectCollector
from .schema import TABLES
from .sheets import SUFFIXES, workbooks_in

NARRATIVE_DIR = "narasi"
# begins every narrative text written to be replaced (make workbook), found by draft.py
PLACEHOLDER = "(Tulis di sini"
MAX_NAME = 121  # characters in a file name: it becomes a PDF attachment's name
SAFE_NAME = re.compile(rf"[A-Za-z0-9][A-Za-z0-9_.-]{{0,{MAX_NAME - 1}}}")
NAME_RULE = (f"nama dari huruf ASCII, angka, '.', '_' atau '-' (tanpa spasi), diawali huruf atau "
             f"angka, paling panjang {MAX_NAME} karakter")
MAX_FILE = 50 * 1024 * 1024
MAX_TOTAL = 100 * 1024 * 1024
MAX_FILES = 200
TABLE_FILES = frozenset(t.file for t in TABLES)


def safe(name: str) -> bool:
    """A name every step takes as it is: hashed, embedded in the PDF, accepted back by
    `verify PDF` (matched whole: no trailing newline slips through)."""
    return SAFE_NAME.fullmatch(name) is not None


NAME_EXAMPLES = {".md": "sasaran_S1.md"}  # by suffix; a workbook's otherwise
WORKBOOK_EXAMPLE = "lkip_2024.xlsx"


def refuse_name(relative: str, out: DefectCollector, hint: str = "") -> None:
    """The defect for a file the build would read but could not hash and embed."""
    example = NAME_EXAMPLES.get(Path(relative).suffix.lower(), WORKBOOK_EXAMPLE)
    out.add(relative, "nama file tidak sah; file tidak dibaca, karena laporan hanya memuat "
            "file yang dapat di-hash dan ditanam di PDF",
            expected=f"{NAME_RULE} (mis. {example}){hint}; ganti nama file")


def refused(folder: Path) -> list[str]:
    """The files a reading would take but the build could not hash and embed (a workbook
    named `lkip 2024.xlsx`). Freshness counts them, so that their presence alone makes the
    build run, and the reading refuses them, instead of the last report being kept."""
    return [p.name for p in workbooks_in(Path(folder)) if not safe(p.name)]


def workbooks(folder: Path, out: DefectCollector | None = None) -> list[Path] | None:
    """The workbooks a reading sees (office lock files are not workbooks). With out, a
    workbook whose name is not safe is a defect and None is returned: none is read."""
    unsafe = refused(folder)
    if out is None or not unsafe:
        return workbooks_in(Path(folder))
    for name in unsafe:
        refuse_name(name, out)
    return None


def narratives(folder: Path) -> list[Path]:
    """The narrative files present (not followed through a linked narasi/ folder)."""
    narasi = Path(folder) / NARRATIVE_DIR
    if not narasi.is_dir() or narasi.is_symlink():
        return []
    return sorted(narasi.glob("*.md"))


def files(folder: Path) -> list[Path]:
    """The input files present, in a fixed order; links and unknown files are not inputs."""
    folder = Path(folder)
    found = [folder / name for name in sorted(TABLE_FILES)] + workbooks(folder) + \
        narratives(folder)
    return [p for p in found if p.is_file() and not p.is_symlink() and safe(p.name)]


def allowed(relative: str) -> bool:
    """A name a build could have embedded: `target_pk.csv`, `lkip_2024.xlsx`, `narasi/x.md`."""
    parts = relative.split("/")
    if len(parts) == 1:
        name = parts[0]
        return name in TABLE_FILES or (safe(name) and Path(name).suffix.lower() in SUFFIXES)
    return (len(parts) == 2 and parts[0] == NARRATIVE_DIR and safe(parts[1])
            and parts[1].endswith(".md"))
