"""The manifest: sha256 of every input, notebook, processed table and output, with the
parameters, the Python and package versions and the git commit of the code.

It carries no timestamps, so two builds of the same inputs with the same code give the same
manifest, byte for byte.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import re
import subprocess
import sys
from pathlib import Path

from . import config

NAME = "manifest.json"
BASE_NAME = "manifest-masukan.json"
# the packages whose version can change what a build writes
PACKAGES = ("pandas", "numpy", "matplotlib", "pillow", "contourpy", "kiwisolver", "pyparsing",
            "papermill", "nbformat", "nbclient", "nbconvert", "ipykernel", "jinja2", "markupsafe",
            "markdown-it-py", "weasyprint", "pydyf", "fonttools", "tinycss2", "tinyhtml5",
            "cssselect2", "pyphen", "babel", "python-calamine", "openpyxl", "defusedxml",
            "font-source-serif-pro", "font-source-sans-pro")
_DIST_INFO = re.compile(r"^(?P<name>[^-]+)-(?P<version>[^-]+?)\.dist-info$")


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def tree(folder: Path, pattern: str = "**/*", exclude: tuple[str, ...] = ()) -> dict[str, str]:
    folder = Path(folder)
    return {p.relative_to(folder).as_posix(): sha256(p)
            for p in sorted(folder.glob(pattern))
            if p.is_file() and p.relative_to(folder).as_posix() not in exclude}


def input_tree(raw_dir: Path, tables_only: bool = False) -> dict[str, str]:
    """The hashes of the files a build reads (inputs.files), nothing else in the folder;
    tables_only leaves out the narrative (narasi/), which a quarterly report does not read."""
    from . import inputs

    return {p.relative_to(raw_dir).as_posix(): sha256(p) for p in inputs.files(raw_dir)
            if not (tables_only and p.parent.name == inputs.NARRATIVE_DIR)}


def code_version(root: Path = config.ROOT) -> dict:
    def git(*args):
        try:
            return subprocess.run(["git", "-C", str(root), *args], capture_output=True,
                                  text=True, check=True, timeout=10).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return None

    commit = git("rev-parse", "HEAD")
    status = git("status", "--porcelain", "--untracked-files=no")
    return {"git_commit": commit or "tidak diketahui",
            "perubahan_belum_dicommit": None if status is None else bool(status)}


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def installed() -> dict[str, str]:
    """Installed distributions and versions, read from the `.dist-info` folder names along
    sys.path (the first one wins, as for import): a directory listing, not a metadata scan, so
    that deciding whether to rebuild stays fast."""
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            match = _DIST_INFO.match(name)
            if match:
                found.setdefault(_normal(match["name"]), match["version"])
    return found


def environment() -> dict:
    versions = installed()
    return {"python": platform.python_version(),
            "paket": {name: versions.get(_normal(name)) for name in PACKAGES}}


def notebooks(folder: Path, names: tuple[str, ...]) -> dict[str, str]:
    """The hashes of the notebooks a build runs, not of every notebook beside them."""
    return {name: sha256(Path(folder) / name) for name in sorted(names)
            if (Path(folder) / name).is_file()}


def base(year: int, raw_dir: Path, processed_dir: Path | None, notebooks_dir: Path,
         triwulan: str | None = None) -> dict:
    """Everything a build depends on; the report embeds this part in the PDF. A quarterly
    report names its quarter, has no processed tables (processed_dir None) and runs its own
    notebook."""
    parameter = {"year": int(year), "raw_dir": Path(raw_dir).name}
    if triwulan is not None:
        parameter["triwulan"] = triwulan
    return {
        "tahun": int(year),
        "parameter": parameter,
        "kode": code_version(),
        "lingkungan": environment(),
        "masukan": input_tree(Path(raw_dir), tables_only=triwulan is not None),
        "notebook": notebooks(Path(notebooks_dir), config.STAGES if triwulan is None
                              else (config.QUARTER_NOTEBOOK,)),
        "olahan": {} if processed_dir is None else tree(Path(processed_dir)),
    }


def complete(base_manifest: dict, out_dir: Path) -> dict:
    return {**base_manifest, "keluaran": tree(Path(out_dir), exclude=(NAME,))}


def dumps(manifest: dict) -> str:
    return json.dumps(manifest, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def write(manifest: dict, path: Path) -> Path:
    Path(path).write_text(dumps(manifest), encoding="utf-8")
    return Path(path)


def read(path: Path) -> dict:
    return loads(Path(path).read_text(encoding="utf-8"))


def loads(text: str) -> dict:
    return json.loads(text)
