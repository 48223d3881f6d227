"""`make verify`: rebuild and compare with what was published, or re-check a PDF alone.

It tells apart "the inputs changed since the report was built" from "same inputs, different
result" (an environment difference), and names each changed input and each changed figure.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from . import clean, config, findings, inputs, ledger, manifest, results, runner


@dataclass
class Report:
    lines: list[str] = field(default_factory=list)
    ok: bool = True

    def fail(self, line: str) -> None:
        self.ok = False
        self.lines.append(line)

    def note(self, line: str) -> None:
        self.lines.append(line)


def notebook_digest(path: Path) -> str:
    """The notebook's cells and outputs without the injected parameter paths."""
    import hashlib
    import json

    nb = json.loads(path.read_text(encoding="utf-8"))
    nb["cells"] = [c for c in nb["cells"]
                   if "injected-parameters" not in c.get("metadata", {}).get("tags", [])]
    nb.get("metadata", {}).get("papermill", {}).pop("parameters", None)
    return hashlib.sha256(json.dumps(nb, sort_keys=True).encode("utf-8")).hexdigest()


def diff_trees(old: dict, new: dict) -> list[tuple[str, str]]:
    """(path, what happened) for files added, removed or changed."""
    out = []
    for path in sorted(set(old) | set(new)):
        if path not in new:
            out.append((path, "dihapus"))
        elif path not in old:
            out.append((path, "ditambahkan"))
        elif old[path] != new[path]:
            out.append((path, "berubah"))
    return out


def diff_ledgers(old: dict, new: dict) -> list[tuple[str, str, str, str]]:
    """(key, label, old value, new value) for every figure that differs."""
    out = []
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        if a is None or b is None or Decimal(a.value) != Decimal(b.value):
            label = (a or b).label
            out.append((key, label, a.value if a else "–", b.value if b else "–"))
    return out


def _figures(report: Report, changes, limit: int = 40) -> None:
    for key, label, old, new in changes[:limit]:
        report.fail(f"  angka berubah: {label} [{key}]: {old} -> {new}")
    if len(changes) > limit:
        report.fail(f"  ... dan {len(changes) - limit} angka lain")


def rebuild(year: str, raw_root: Path, out_root: Path) -> Report:
    """Rebuild in a temporary folder and compare with outputs/<year>/."""
    report = Report()
    published = Path(out_root) / str(year)
    if not (published / manifest.NAME).is_file():
        report.fail(f"{published / manifest.NAME} tidak ada: jalankan dahulu "
                    f"make report YEAR={year}")
        return report
    old = manifest.read(published / manifest.NAME)
    changed = diff_trees(old["masukan"], manifest.input_tree(Path(raw_root) / str(year)))
    with tempfile.TemporaryDirectory(prefix="lkip-verify-") as tmp:
        folder = runner.build(str(year), raw_root, Path(tmp) / "outputs",
                              Path(tmp) / "processed", config.NOTEBOOKS)
        new = manifest.read(folder / manifest.NAME)
        figures = diff_ledgers(ledger.read(published / ledger.NAME),
                               ledger.read(folder / ledger.NAME))
        # executed notebooks record where the build ran: compare them without those paths
        for path in [p for p, _ in diff_trees(old["keluaran"], new["keluaran"])
                     if p.startswith("notebooks/")]:
            if (published / path).is_file() and (folder / path).is_file() and \
                    notebook_digest(published / path) == notebook_digest(folder / path):
                new["keluaran"][path] = old["keluaran"][path]
    if changed:
        report.fail("Masukan berubah sejak laporan dibangun:")
        for path, what in changed:
            report.fail(f"  {path}: {what}")
        _figures(report, figures)
        return report
    code = []
    if old["kode"]["git_commit"] != new["kode"]["git_commit"]:
        code.append(f"  commit kode {old['kode']['git_commit']} -> {new['kode']['git_commit']}")
    code += [f"  notebook {p}: {w}" for p, w in diff_trees(old["notebook"], new["notebook"])]
    outputs = diff_trees(old["olahan"], new["olahan"]) + diff_trees(old["keluaran"],
                                                                    new["keluaran"])
    if code and (outputs or figures):
        report.fail("Masukan sama, tetapi kode berubah sejak laporan dibangun:")
        for line in code:
            report.fail(line)
    elif outputs or figures:
        report.fail("Masukan sama, hasil berbeda: perbedaan lingkungan (environment).")
        env_old, env_new = old["lingkungan"], new["lingkungan"]
        if env_old != env_new:
            if env_old["python"] != env_new["python"]:
                report.fail(f"  python {env_old['python']} -> {env_new['python']}")
            for name in sorted(set(env_old["paket"]) | set(env_new["paket"])):
                a, b = env_old["paket"].get(name), env_new["paket"].get(name)
                if a != b:
                    report.fail(f"  paket {name} {a} -> {b}")
    for path, what in outputs:
        report.fail(f"  keluaran {path}: {what}")
    _figures(report, figures)
    if report.ok:
        report.note(f"Sesuai: {len(old['masukan'])} file masukan, {len(old['keluaran'])} file "
                    f"keluaran dan seluruh angka ledger sama dengan {published}.")
    return report


OWN_NAMES = ("findings.csv", "findings.json", ledger.NAME, manifest.BASE_NAME)


def _refusal(attachments: dict) -> str | None:
    """Why these attachments are not what a build embeds; None when every name is one."""
    if len(attachments) > inputs.MAX_FILES:
        return f"terlalu banyak lampiran ({len(attachments)})"
    total = 0
    for name, contents in attachments.items():
        if len(contents) != 1:
            return f"lampiran ganda: {name!r}"
        data_name = name.removeprefix("data/")
        if name not in OWN_NAMES and not (name.startswith("data/") and
                                          inputs.allowed(data_name)):
            return f"lampiran tak dikenal: {name!r}"
        if len(contents[0]) > inputs.MAX_FILE:
            return f"lampiran terlalu besar: {name!r}"
        total += len(contents[0])
    if total > inputs.MAX_TOTAL:
        return "lampiran terlalu besar seluruhnya"
    return None


def _read_attachments(pdf: Path, report: Report) -> dict | None:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        if not Path(pdf).is_file() or Path(pdf).is_symlink():
            raise ValueError("bukan file biasa")
        attachments = PdfReader(pdf).attachments
        attachments = {name: attachments[name] for name in attachments}
    except (PyPdfError, ValueError, KeyError, OSError) as exc:
        report.fail(f"{Path(pdf).name}: tidak dapat dibaca sebagai PDF ({type(exc).__name__})")
        return None
    if manifest.BASE_NAME not in attachments or ledger.NAME not in attachments:
        report.fail(f"{Path(pdf).name}: tidak memuat data tertanam ({manifest.BASE_NAME}, "
                    f"{ledger.NAME})")
        return None
    problem = _refusal(attachments)
    if problem:
        report.fail(f"{Path(pdf).name}: ditolak, bukan data yang ditanam laporan ini: {problem}")
        return None
    return attachments


def from_pdf(pdf: Path) -> Report:
    """Re-check a PDF alone: extract the embedded data and recompute every figure.

    The PDF is untrusted: only the names a build embeds are accepted, and nothing is written
    outside a fresh temporary folder.
    """
    report = Report()
    attachments = _read_attachments(pdf, report)
    if attachments is None:
        return report
    try:
        base = manifest.loads(attachments[manifest.BASE_NAME][0].decode("utf-8"))
        year = int(base["tahun"])
        if not config.YEAR_PATTERN.match(str(year)):
            raise ValueError(year)
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        report.fail(f"{Path(pdf).name}: manifest tertanam tidak sah")
        return report
    with tempfile.TemporaryDirectory(prefix="lkip-pdf-") as tmp:
        raw = Path(tmp) / "raw" / str(year)
        for name, contents in attachments.items():
            if name.startswith("data/"):
                path = raw / name.removeprefix("data/")
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(contents[0])
        (Path(tmp) / ledger.NAME).write_bytes(attachments[ledger.NAME][0])
        embedded = ledger.read(Path(tmp) / ledger.NAME)
        changed = diff_trees(base.get("masukan", {}), manifest.input_tree(raw))
        ds = clean.load_raw(raw, year)
        res = results.compute(ds)
        found = findings.run(ds, res)
        recomputed = {e.key: e for e in ledger.build(ds, res, found)}
    for path, what in changed:
        report.fail(f"data tertanam {path}: {what} dibanding manifest di dalam PDF")
    changes = diff_ledgers(embedded, recomputed)
    _figures(report, changes)
    if report.ok:
        report.note(f"Sesuai: {len(base['masukan'])} file data tertanam cocok dengan manifest "
                    f"dan {len(embedded)} angka ledger dihitung ulang tanpa selisih "
                    f"(LKIP {year}, {len(found)} temuan verifikasi).")
    return report
