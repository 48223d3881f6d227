"""Which files of a year's data folder are inputs: the files a build reads, hashes and embeds.

Only the tables the data dictionary knows, the year's workbook and narasi/*.md; never a
symlink, never a stray file. verify PDF accepts exactly these names back from a PDF.
"""

from __future__ import annotations

import re
from pathlib import Path

from .schema import TABLES
from .sheets import SUFFIXES, workbooks_in

NARRATIVE_DIR = "narasi"
SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,120}$")
MAX_FILE = 50 * 1024 * 1024
MAX_TOTAL = 100 * 1024 * 1024
MAX_FILES = 200
TABLE_FILES = frozenset(t.file for t in TABLES)


def files(folder: Path) -> list[Path]:
    """The input files present, in a fixed order; links and unknown files are not inputs."""
    folder = Path(folder)
    found = [folder / name for name in sorted(TABLE_FILES)] + workbooks_in(folder)
    narasi = folder / NARRATIVE_DIR
    if narasi.is_dir() and not narasi.is_symlink():
        found += sorted(narasi.glob("*.md"))
    return [p for p in found if p.is_file() and not p.is_symlink() and SAFE_NAME.match(p.name)]


def allowed(relative: str) -> bool:
    """A name a build could have embedded: `target_pk.csv`, `lkip_2024.xlsx`, `narasi/x.md`."""
    parts = relative.split("/")
    if len(parts) == 1:
        name = parts[0]
        return name in TABLE_FILES or (SAFE_NAME.match(name) is not None
                                       and Path(name).suffix.lower() in SUFFIXES)
    return (len(parts) == 2 and parts[0] == NARRATIVE_DIR and SAFE_NAME.match(parts[1]) is not None
            and parts[1].endswith(".md"))
