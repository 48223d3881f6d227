"""Which stages must run again, decided the way DVC does: a stage is skipped when everything it
reads hashes the same as at the last build and what it wrote is still there, unchanged.

What a stage reads: its notebook, the package's code, the environment (Python and package
versions; for the stages that write a PDF, the system libraries too), the year, the data files
it reads, and what the stages before it wrote. The decision imports neither pandas, matplotlib
nor WeasyPrint, so a build with nothing to do answers at once.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from .. import config
from . import manifest

RECORDS = "tahap"  # manifest.json: one record per stage
PACKAGE = config.PACKAGE
PROCESSED, OUTPUT = "olahan", "keluaran"  # where a stage's outputs live, in its record
NARRATIVE_PREFIX = "narasi/"


def _digest(value) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@functools.cache
def code_digest(package: Path = PACKAGE) -> str:
    """Every file of the package (code, templates, defaults): any edit reruns every stage."""
    return _digest({p.relative_to(package).as_posix(): manifest.sha256(p)
                    for p in sorted(package.rglob("*"))
                    if p.is_file() and "__pycache__" not in p.parts})


@functools.cache
def environment_digest() -> str:
    """Python and the versions of the packages that shape the outputs; one command's builds
    (the annual report and its quarters) share one answer."""
    return _digest(manifest.environment())


@functools.cache
def system_digest() -> str:
    """The system libraries that lay out and write the PDF (manifest.system_libraries)."""
    return _digest(manifest.system_libraries())


def tables_only(raw: dict[str, str]) -> dict[str, str]:
    """The data files the cleaning stage reads: every input but the narrative."""
    return {k: v for k, v in raw.items() if not k.startswith(NARRATIVE_PREFIX)}


def every_input(raw: dict[str, str]) -> dict[str, str]:
    return dict(raw)


def no_input(raw: dict[str, str]) -> dict[str, str]:
    return {}


# the data files each stage reads; the report stage embeds all of them in the PDF, a quarterly
# report its tables (it has no narrative)
RAW_READ = {"01_clean.ipynb": tables_only, "04_report.ipynb": every_input,
            config.QUARTER_NOTEBOOK: tables_only}
# the stages that write a PDF: a new Pango, HarfBuzz, fontconfig, FreeType or zlib reruns them
# (and, should the PDF change, the stages after them); the tables before them do not use those
WRITES_PDF = ("04_report.ipynb", config.QUARTER_NOTEBOOK)


@dataclass(frozen=True)
class Context:
    """What every stage depends on, computed once per build."""

    year: int
    code: str
    environment: str
    raw: dict[str, str]  # data file -> sha256
    notebooks: dict[str, str]  # notebook -> sha256
    parameters: dict = field(default_factory=dict)  # besides the year, e.g. the quarter
    system: str = ""  # system_digest()
    refused: tuple[str, ...] = ()  # inputs.refused(): files the reading will refuse

    def stage_digest(self, name: str, earlier: dict[str, str]) -> str:
        reads = {"tahun": self.year, "parameter": self.parameters,
                 "kode": self.code, "lingkungan": self.environment,
                 "notebook": self.notebooks.get(name),
                 "data": RAW_READ.get(name, no_input)(self.raw), "sebelumnya": earlier}
        if name in WRITES_PDF:
            reads["pustaka"] = self.system
        if self.refused and name in RAW_READ:  # never skipped: the reading must say why
            reads["ditolak"] = list(self.refused)
        return _digest(reads)


def context(year: int, raw_dir: Path, notebooks_dir: Path, parameters: dict | None = None
            ) -> Context:
    from ..read import inputs

    return Context(year=int(year), code=code_digest(), environment=environment_digest(),
                   raw=manifest.input_tree(Path(raw_dir)),
                   notebooks=manifest.tree(Path(notebooks_dir), "*.ipynb"),
                   parameters=dict(parameters or {}), system=system_digest(),
                   refused=tuple(inputs.refused(Path(raw_dir))))


def previous_records(published: Path) -> dict:
    """The stage records of the last build, or none when there is no usable manifest."""
    path = Path(published) / manifest.NAME
    try:
        records = manifest.read(path).get(RECORDS, {})
    except (OSError, ValueError):
        return {}
    return records if isinstance(records, dict) else {}


def intact(record: dict, processed: Path, published: Path) -> bool:
    """The stage's recorded outputs are all still there with the recorded content."""
    for kind, folder in ((PROCESSED, processed), (OUTPUT, published)):
        for rel, sha in record.get(kind, {}).items():
            path = Path(folder) / rel
            if not path.is_file() or path.is_symlink() or manifest.sha256(path) != sha:
                return False
    return True


EXECUTED = "notebooks/"  # the executed notebooks: outputs no later stage reads


def outputs_of(record: dict) -> dict[str, str]:
    """A stage's outputs as the next stage sees them: one namespace for both folders. Its
    executed notebook is left out, so an edited comment in a notebook reruns that stage only,
    and the next stages only when what it wrote changed."""
    return {f"{kind}/{rel}": sha for kind in (PROCESSED, OUTPUT)
            for rel, sha in sorted(record.get(kind, {}).items())
            if not (kind == OUTPUT and rel.startswith(EXECUTED))}


def written(before: dict[str, str], after: dict[str, str]) -> dict[str, str]:
    """Files a stage created or changed: its outputs."""
    return {rel: sha for rel, sha in after.items() if before.get(rel) != sha}
