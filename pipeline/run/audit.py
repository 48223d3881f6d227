"""`make audit DOC=lkip.pdf`: read a received LKIP, recompute every figure it can, and write
what holds and what does not into `<OUT>/<document name>-audit/`.

The folder is built beside its place and put there with one rename: an audit that fails
(a refused document, a full disk, Ctrl-C) leaves the previous audit's folder as it was. A
folder in that place that holds files no audit writes is never replaced.

Exit codes, as `make verify`: 0 when no finding is an error, 1 when the document holds errors
(every output is written all the same), 2 for a refused document or parameter.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from .. import folders
from ..check.severity import ERROR, LABEL, SEVERITY_ORDER
from ..errors import Defect, ParameterError
from ..present import audit_report, summary
from ..read.formatting import number

SHOWN_LABEL = 50  # characters of a title or a row's label in a line on screen
SUFFIX = "-audit"  # <OUT>/<document name>-audit/
STAGING = ".build-"  # the folder being written, beside its place
OLD = ".old-"  # the previous audit, while the new one is put in place
FIRST_ERRORS = 5  # errors said on screen; the rest are in findings.csv
NAME_CHARACTERS = 100  # of the document's name in the folder's name
NOT_IN_NAME = re.compile(r"[\x00-\x1f\x7f/\\]")
ERRORS_EXIT = 1  # the document holds errors: as `make verify` when it finds differences
CHECKS = "pipeline.check.document.audit"


@dataclass
class Done:
    """What the command says and its exit code."""

    folder: Path
    lines: list[str] = field(default_factory=list)
    code: int = 0


def folder_name(document: Path) -> str:
    """`lkip_2024-audit` for lkip_2024.pdf: the name without its suffix, control characters
    and separators replaced, no leading dot (a hidden folder), bounded in length."""
    stem = NOT_IN_NAME.sub("_", document.stem).lstrip(".")[:NAME_CHARACTERS]
    return (stem or "dokumen") + SUFFIX


def _refuse(place: str, message: str, value: str | None, expected: str) -> None:
    """What to change is the command line (DOC=, OUT=), not the document."""
    raise ParameterError([Defect(place, message, value=value, expected=expected)])


def check_target(document: Path, target: Path) -> None:
    """Before anything is read: the folder to be replaced is an audit's (or absent), and the
    document is not inside it (replacing the folder would delete it)."""
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        _refuse(str(target), "tempat folder audit berisi file atau tautan, bukan folder",
                None, "folder audit yang ditulis make audit, atau tidak ada apa-apa")
    if target.is_dir():
        others = sorted(p.name for p in target.iterdir() if p.name not in audit_report.FILES)
        if others:
            _refuse(str(target), "folder audit berisi file yang tidak ditulis make audit",
                    ", ".join(others[:5]), "pindahkan file itu, atau pilih OUT= lain: "
                    "folder ini diganti seluruhnya oleh audit berikutnya")
    real_document, real_target = document.resolve(), target.resolve()
    if real_document.is_relative_to(real_target):
        _refuse(str(document), "dokumen berada di dalam folder yang akan diganti audit",
                str(target), "dokumen di luar folder keluaran audit")


def _checks():
    """The audit's checks, imported when the command runs (check/document/audit.py)."""
    import importlib

    from .runner import SetupError

    try:
        return importlib.import_module(CHECKS).audit
    except ModuleNotFoundError as exc:
        if exc.name != CHECKS:
            raise
        raise SetupError(f"pemeriksaan dokumen ({CHECKS.replace('.', '/')}.py) belum ada di "
                         "kode ini; perbarui proyek ke versi yang memuatnya") from None


def sha256(path: Path) -> str:
    """The document's digest, which the audit's first page names: the reviewer's record of
    which file was audited."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def publish(staging: Path, target: Path) -> None:
    """The new folder in place of the old one, each step a rename; the old one removed last."""
    old = None
    if target.exists():
        old = target.with_name(f"{OLD}{target.name}-{os.getpid()}")
        os.replace(target, old)
    try:
        os.replace(staging, target)
    except BaseException:
        if old is not None and not target.exists():
            os.replace(old, target)  # the previous audit back in its place
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def run(document: Path, out_root: Path) -> Done:
    """Read, check and write the audit of one document; DocumentError when it is refused."""
    from ..read.document import read, understand

    target = out_root / folder_name(document)
    check_target(document, target)
    reading = understand(read(document))
    audit = _checks()(reading)
    digest = sha256(document)
    out_root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f"{STAGING}{target.name}-", dir=out_root))
    try:
        os.chmod(staging, folder_mode())  # mkdtemp's folder is private
        audit_report.write(audit, staging, digest)
        publish(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return Done(target, lines(audit, target), ERRORS_EXIT if audit.severities()[ERROR] else 0)


def folder_mode() -> int:
    """The mode mkdir gives a folder under the user's umask (0755 for 0022): searchable by
    whoever may read its files."""
    mode = folders.file_mode()
    return mode | (mode & 0o444) >> 2


def _short(text: str) -> str:
    return text if len(text) <= SHOWN_LABEL else text[:SHOWN_LABEL - 1] + "…"


def screen_place(where) -> str:
    """Where.text() with the table's title and the row's label shortened for one line."""
    return replace(where, title=_short(where.title), label=_short(where.label)).text()


def lines(audit, folder: Path) -> list[str]:
    """What the screen says: the document, the counts, the first errors with their place,
    and where everything is."""
    n = audit_report.counts(audit)
    document = audit.reading.document
    kind = {"pdf": "PDF", "docx": "Word", "html": "HTML", "text": "teks"}.get(document.kind,
                                                                            document.kind)
    pages = f", {number(document.pages)} halaman" if document.pages is not None else ""
    out = [f"Audit {document.name} ({kind}{pages}, {number(len(document.tables))} tabel): "
           f"{number(n.cells)} sel angka, {number(n.read)} terbaca tanpa ragu ({n.share}), "
           f"{number(n.not_read)} tidak dipahami",
           f"Diperiksa {number(n.checked)} sel: {number(n.holds)} cocok, {n.fails_said}, "
           f"{number(n.not_understood)} tidak dipahami"]
    if document.without_text:
        out.append("Halaman tanpa lapisan teks (pindaian, tidak dibaca): "
                   + ", ".join(str(p) for p in document.without_text))
    severities = audit.severities()
    out.append("Temuan: " + summary.counted({s: severities[s] for s in SEVERITY_ORDER})
               + (f"; di luar tabel (tanda tangan, kalimat): {n.outside_said}"
                  if n.outside_total else ""))
    errors = [(i, f) for i, f in enumerate(audit.findings, 1) if f.finding.severity == ERROR]
    for no, found in errors[:FIRST_ERRORS]:
        f = found.finding
        out.append(f"  [{no}] {screen_place(found.where) or f.where}: "
                   f"{summary.with_values(f.message, f.printed, f.expected)}")
    more = len(errors) - FIRST_ERRORS
    if more > 0:
        out.append(f"  … dan {more} {LABEL[ERROR]} lagi: {folder / audit_report.CSV}")
    out.append(f"Keluaran: {folder}/ ({', '.join(audit_report.FILES)})")
    return out
