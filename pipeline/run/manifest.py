"""The manifest: sha256 of every input, notebook, processed table and output, with the
parameters, the Python, package and system library versions and the git commit of the code.

It carries no timestamps, so two builds of the same inputs with the same code give the same
manifest, byte for byte.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import platform
import re
import subprocess
import sys
from pathlib import Path

from .. import config

NAME = "manifest.json"
BASE_NAME = "manifest-masukan.json"
# the packages whose version can change what a build writes
PACKAGES = ("pandas", "numpy", "matplotlib", "pillow", "contourpy", "kiwisolver", "pyparsing",
            "papermill", "nbformat", "nbclient", "nbconvert", "ipykernel", "jinja2", "markupsafe",
            "markdown-it-py", "weasyprint", "pydyf", "fonttools", "tinycss2", "tinyhtml5",
            "cssselect2", "pyphen", "babel", "python-calamine", "openpyxl", "defusedxml",
            "font-source-serif-pro", "font-source-sans-pro")
# the shared libraries that lay out and write the PDF, by the names WeasyPrint loads them
# (Linux, macOS, Windows); cairo is not among them, WeasyPrint 70 does not load it
LIBRARIES = {
    "Pango": ("libpango-1.0.so.0", "libpango-1.0.dylib", "libpango-1.0-0.dll"),
    "HarfBuzz": ("libharfbuzz.so.0", "libharfbuzz.0.dylib", "libharfbuzz-0.dll"),
    "HarfBuzz-subset": ("libharfbuzz-subset.so.0", "libharfbuzz-subset.0.dylib",
                        "libharfbuzz-subset-0.dll"),
    "fontconfig": ("libfontconfig.so.1", "libfontconfig.1.dylib", "libfontconfig-1.dll"),
    "FreeType": ("libfreetype.so.6", "libfreetype.6.dylib", "libfreetype-6.dll"),
}
SUBSET_UNUSED = "ada, tidak dipakai (fon dipotong fontTools)"
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
    from ..read import inputs

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


def _load(names: tuple[str, ...]):
    import ctypes

    for name in names:
        try:
            return ctypes.CDLL(name)
        except OSError:
            continue
    return None


def _version_string(lib, function: str) -> str | None:
    import ctypes

    if lib is None:
        return None
    getter = getattr(lib, function)
    getter.restype = ctypes.c_char_p
    return getter().decode("ascii")


def _fontconfig_version(lib) -> str | None:
    if lib is None:
        return None
    number = lib.FcGetVersion()  # major * 10000 + minor * 100 + revision
    return f"{number // 10000}.{number // 100 % 100}.{number % 100}"


def _freetype_version(lib) -> str | None:
    import ctypes

    handle, parts = ctypes.c_void_p(), [ctypes.c_int() for _ in range(3)]
    if lib is None or lib.FT_Init_FreeType(ctypes.byref(handle)) != 0:
        return None
    lib.FT_Library_Version(handle, *(ctypes.byref(p) for p in parts))
    lib.FT_Done_FreeType(handle)
    return ".".join(str(p.value) for p in parts)


@functools.cache
def system_libraries() -> dict[str, str | None]:
    """The versions of the system libraries that shape the PDF (None: not installed), read
    through ctypes in about ten milliseconds, without importing WeasyPrint, so that deciding
    whether to rebuild stays fast. zlib compresses the PDF's streams (pydyf, through Python's
    zlib module). libharfbuzz-subset is recorded as present or not: the build never uses it
    (render.pin_font_subsetter). The fonts themselves come from pinned packages (PACKAGES)."""
    import zlib

    found = {name: _load(names) for name, names in LIBRARIES.items()}
    return {"Pango": _version_string(found["Pango"], "pango_version_string"),
            "HarfBuzz": _version_string(found["HarfBuzz"], "hb_version_string"),
            "HarfBuzz-subset": SUBSET_UNUSED if found["HarfBuzz-subset"] else None,
            "fontconfig": _fontconfig_version(found["fontconfig"]),
            "FreeType": _freetype_version(found["FreeType"]),
            "zlib": zlib.ZLIB_RUNTIME_VERSION}


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
    """The published manifest: the base, the outputs' hashes and the system libraries. These
    are left out of the base embedded in the PDF, whose bytes they would otherwise change on
    machines where they differ without changing what is printed (libharfbuzz-subset, say)."""
    environment_ = {**base_manifest["lingkungan"], "pustaka": system_libraries()}
    return {**base_manifest, "lingkungan": environment_,
            "keluaran": tree(Path(out_dir), exclude=(NAME,))}


def dumps(manifest: dict) -> str:
    return json.dumps(manifest, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def write(manifest: dict, path: Path) -> Path:
    Path(path).write_text(dumps(manifest), encoding="utf-8")
    return Path(path)


def read(path: Path) -> dict:
    return loads(Path(path).read_text(encoding="utf-8"))


def loads(text: str) -> dict:
    return json.loads(text)
