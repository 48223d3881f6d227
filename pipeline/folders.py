"""Where a command reads its data and where it writes: never one inside the other.

A build moves its output into place with one rename, replacing `<out>/<year>/` whole: a data
folder inside the output folder would be replaced with it, and an output folder inside the
data folder would be read back as data. Every command that writes (report, triwulan, preview,
watch, batch, verify, audit, workbook) checks its folders here, after following links, before it
writes anything.
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import DefectCollector

DATA = "folder data"
# what a command writes, as its messages name it
OUT, PROCESSED, OUT_FILE = "folder keluaran", "folder olahan", "file keluaran"
# what to do instead, for a role whose overlap has a usual cause
ADVICE = {OUT_FILE: "; untuk memulai tahun baru di folder data: make workbook YEAR=<tahun> "
          "FROM=<tahun sebelumnya>"}


def file_mode() -> int:
    """The mode a plain open() gives a new file (0644 under the usual umask): a file written
    through a private temporary one (mkstemp: 0600) and renamed into place gets it, so it is
    readable as every other output is."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _real(path: Path) -> Path | None:
    """The place a path names once every link is followed; None for a link loop."""
    try:
        return Path(path).resolve()
    except (OSError, RuntimeError):
        return None


def overlap(data: Path, written: Path, role: str) -> str | None:
    """How a written place and a data folder (both resolved) overlap, in words; None when
    they are apart."""
    if written == data:
        return f"{role} sama dengan {DATA}"
    if written.is_relative_to(data):
        return f"{role} berada di dalam {DATA}"
    if data.is_relative_to(written):
        return f"{DATA} berada di dalam {role}"
    return None


def _shown(path: Path, real: Path) -> str:
    """The path as given, and where it leads when a link takes it elsewhere."""
    given = Path(path).absolute()
    return str(path) if given == real else f"{path} -> {real}"


def check_apart(data: list[Path], written: dict[str, Path | None]) -> None:
    """Refuse, with a defect naming both, any written place (role -> path, e.g. `folder
    keluaran`) that is, holds or lies inside a data folder; a None place is not written."""
    out = DefectCollector()
    for role, place in written.items():
        if place is None:
            continue
        real_place = _real(place)
        for folder in data:
            real_data = _real(folder)
            if real_place is None or real_data is None:
                out.add(str(place), "jalur folder tidak dapat diurai (tautan berputar)",
                        value=str(folder if real_data is None else place),
                        expected="jalur tanpa tautan (symlink) yang menunjuk dirinya sendiri")
                break
            problem = overlap(real_data, real_place, role)
            if problem:
                out.add(_shown(place, real_place),
                        f"{problem} ({DATA}: {_shown(folder, real_data)})",
                        expected=f"{role} dan {DATA} terpisah, tidak saling bertumpuk: "
                        "masing-masing di luar yang lain" + ADVICE.get(role, ""))
                break
    out.raise_if_any()
