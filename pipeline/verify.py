"""`make verify`: rebuild and compare with what was published, or re-check a PDF alone.

It tells apart "the inputs changed since the report was built" from "same inputs, different
result" (an environment difference), and names each changed input, figure and finding the
way comparison.py words them for an auditor.
"""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from . import clean, comparison, config, findings, inputs, ledger, manifest, results, runner, units
from .comparison import Block, Difference

SUFFIX = "verifikasi"  # outputs/<year>-verifikasi/: the full comparison, when it is long


@dataclass
class Report:
    """What verify found, as headings with their differences: printed whole, or, when too
    long for a terminal, written to files and summarised."""

    blocks: list[Block] = field(default_factory=list)
    ok: bool = True
    files: list[Path] = field(default_factory=list)

    @property
    def lines(self) -> list[str]:
        if self.files:
            return comparison.summary(self.blocks, self.files)
        return [line for block in self.blocks for line in block.lines]

    def fail(self, line: str) -> None:
        self.ok = False
        self._line(line)

    def note(self, line: str) -> None:
        self._line(line)

    def _line(self, line: str) -> None:
        """An indented line belongs to the heading above it; any other line starts one."""
        if line.startswith(" ") and self.blocks:
            self.blocks[-1].rows.append(Difference(line, "catatan", note=line.strip()))
        else:
            self.blocks.append(Block(line))

    def add(self, heading: str, rows: list[Difference]) -> None:
        if rows:
            self.ok = False
            self.blocks.append(Block(heading, list(rows)))

    def finish(self, folder: Path, title: str) -> Report:
        """Too long for a terminal: the whole comparison to files, a summary on screen."""
        if len(self.lines) > comparison.TERMINAL_LINES:
            self.files = comparison.write(self.blocks, folder, title)
        else:
            comparison.remove(folder)
        return self


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


def _figures(report: Report, changes: list[Difference]) -> None:
    report.add(f"Angka yang berubah ({len(changes)}):", changes)


def _findings(report: Report, old: list | None, new: list, where: Path) -> None:
    if old is None:
        report.note(f"Temuan verifikasi tidak dibandingkan: {where} tidak ada atau tidak "
                    "terbaca.")
        return
    changes = comparison.finding_changes(old, new)
    report.add(f"Temuan verifikasi ({comparison.finding_counts(changes)}):", changes)


def _published_findings(published: Path) -> list | None:
    return findings.read(published) if (published / "findings.json").is_file() else None


def missing(published: Path, year) -> str | None:
    """Where the published outputs were expected, when they are not there; never advice to
    build them, which would compare a build with itself."""
    absent = [n for n in (manifest.NAME, ledger.NAME) if not (published / n).is_file()]
    if not absent:
        return None
    return (f"Keluaran terbit tidak ditemukan: {', '.join(absent)} tidak ada di {published}/\n"
            f"  make verify membandingkan bangun ulang dengan keluaran terbit, yang diharapkan "
            f"di folder itu.\n  Bila tersimpan di folder lain: make verify YEAR={year} "
            f"PUBLISHED=<folder>")


def _published_inputs(published: Path, year, masukan: dict, into: Path) -> Path | None:
    """The inputs as published: the data the PDF embeds, each file only when it hashes as the
    published manifest says (the PDF is not trusted further than that)."""
    pdf = published / config.report_name(int(year), "pdf")
    attachments = _read_attachments(pdf, Report()) if pdf.is_file() else None
    if attachments is None:
        return None
    for name, contents in attachments.items():
        relative = name.removeprefix("data/")
        if name.startswith("data/") and \
                masukan.get(relative) == hashlib.sha256(contents[0]).hexdigest():
            (into / relative).parent.mkdir(parents=True, exist_ok=True)
            (into / relative).write_bytes(contents[0])
    return into


def _input_changes(changed, published: Path, year, old: dict, raw: Path, tmp: Path):
    old_dir = _published_inputs(published, year, old["masukan"], tmp / "terbit")
    return [d for path, what in changed
            for d in comparison.input_changes(path, what, old_dir, raw)]


def _shown(processed: Path, year) -> comparison.Shown:
    """Figures formatted with the rebuilt data's IKU units and decimals."""
    iku = clean.load_processed(processed, int(year))["iku.csv"]
    return comparison.Shown(units.by_iku(iku))


def _same_notebooks(old: dict, new: dict, published: Path, folder: Path) -> None:
    """Executed notebooks record where the build ran: compare them without those paths."""
    for path in [p for p, _ in diff_trees(old["keluaran"], new["keluaran"])
                 if p.startswith("notebooks/")]:
        if (published / path).is_file() and (folder / path).is_file() and \
                notebook_digest(published / path) == notebook_digest(folder / path):
            new["keluaran"][path] = old["keluaran"][path]


def environment_changes(old: dict, new: dict) -> list[str]:
    """Each component whose version differs between the published build's environment and
    this one (Python, a package, a system library), so that a different result points to its
    cause; one line saying none does otherwise, since the cause then lies outside the record.
    A version None is a library not installed; a manifest from before system libraries were
    recorded has no "pustaka"."""
    lines = []
    if old.get("python") != new.get("python"):
        lines.append(f"  python {old.get('python')} -> {new.get('python')}")
    for kind, title in (("paket", "paket"), ("pustaka", "pustaka sistem")):
        if kind not in old:
            lines.append(f"  {title}: tidak tercatat di manifest terbitan")
            continue
        before, now = old[kind], new.get(kind, {})
        lines += [f"  {title} {name} {before.get(name) or 'tidak ada'} -> "
                  f"{now.get(name) or 'tidak ada'}"
                  for name in sorted(set(before) | set(now)) if before.get(name) != now.get(name)]
    return lines or ["  tidak ada versi yang berbeda: Python, paket dan pustaka sistem sama "
                     "dengan manifest terbitan; penyebabnya di luar yang dicatat manifest"]


def rebuild(year: str, raw_root: Path, out_root: Path, published: Path | None = None) -> Report:
    """Rebuild in a temporary folder and compare with the published outputs (outputs/<year>/
    unless told); a long comparison goes to outputs/<year>-verifikasi/."""
    report = Report()
    published = Path(published) if published else Path(out_root) / str(year)
    absent = missing(published, year)
    if absent:
        for line in absent.splitlines():
            report.fail(line)
        return report
    old = manifest.read(published / manifest.NAME)
    raw = Path(raw_root) / str(year)
    changed = diff_trees(old["masukan"], manifest.input_tree(raw))
    with tempfile.TemporaryDirectory(prefix="lkip-verify-") as tmp:
        folder = runner.build(str(year), raw_root, Path(tmp) / "outputs",
                              Path(tmp) / "processed", config.NOTEBOOKS)
        new = manifest.read(folder / manifest.NAME)
        figures = comparison.figure_changes(ledger.read(published / ledger.NAME),
                                            ledger.read(folder / ledger.NAME),
                                            _shown(Path(tmp) / "processed" / str(year), year))
        found = (_published_findings(published), findings.read(folder))
        _same_notebooks(old, new, published, folder)
        inputs_changed = _input_changes(changed, published, year, old, raw, Path(tmp))
    if changed:
        report.add("Masukan berubah sejak laporan dibangun:", inputs_changed)
    else:
        _same_inputs(report, old, new, figures)
    _figures(report, figures)
    _findings(report, *found, published / "findings.json")
    if report.ok:
        report.note(f"Sesuai: {len(old['masukan'])} file masukan, {len(old['keluaran'])} file "
                    f"keluaran dan seluruh angka ledger sama dengan {published}.")
    return report.finish(Path(out_root) / f"{year}-{SUFFIX}", f"Verifikasi LKIP {year}")


def _same_inputs(report: Report, old: dict, new: dict, figures: list) -> None:
    """Same inputs, a different result: the code or the environment changed."""
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
        for line in environment_changes(old["lingkungan"], new["lingkungan"]):
            report.fail(line)
    for path, what in outputs:
        report.fail(f"  keluaran {path}: {what}")


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


def _embedded_findings(attachments: dict, tmp: Path) -> list | None:
    """The findings the PDF carries; None when it carries none that read."""
    if "findings.json" not in attachments:
        return None
    (tmp / "findings.json").write_bytes(attachments["findings.json"][0])
    try:
        return findings.read(tmp)
    except (ValueError, TypeError, AttributeError, UnicodeDecodeError):
        return None


def _recompute_annual(raw: Path, year: int):
    """The annual report's data, findings and ledger, from its embedded data alone."""
    ds = clean.load_raw(raw, year)
    res = results.compute(ds)
    found = findings.run(ds, res)
    return ds, found, ledger.build(ds, res, found)


def _recompute_quarter(raw: Path, year: int, triwulan: str):
    """A quarterly report's, which embeds the tables its quarter reads."""
    from . import quarterly, quarterly_checks, quarterly_report

    q = quarterly.load(raw, year, triwulan)
    tables = quarterly.compute(q)
    found = quarterly_checks.run(q, tables)
    return q.ds, found, quarterly_report.entries(q, tables, found)


def from_pdf(pdf: Path, out_root: Path | None = None) -> Report:
    """Re-check a PDF alone: extract the embedded data and recompute every figure.

    The PDF is untrusted: only the names a build embeds are accepted, and nothing is written
    outside a fresh temporary folder (and the comparison, when long, to out_root).
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
        embedded_found = _embedded_findings(attachments, Path(tmp))
        quarter = base.get("parameter", {}).get("triwulan")
        changed = diff_trees(base.get("masukan", {}),
                             manifest.input_tree(raw, tables_only=quarter is not None))
        ds, found, entries = (_recompute_quarter(raw, year, quarter) if quarter else
                              _recompute_annual(raw, year))
        recomputed = {e.key: e for e in entries}
    report.add("Data tertanam tidak cocok dengan manifest di dalam PDF:",
               [comparison.file_note(path, what) for path, what in changed])
    shown = comparison.Shown(units.by_iku(ds["iku.csv"]))
    _figures(report, comparison.figure_changes(embedded, recomputed, shown))
    _findings(report, embedded_found, found, Path("findings.json"))
    if report.ok:
        report.note(f"Sesuai: {len(base['masukan'])} file data tertanam cocok dengan manifest "
                    f"dan {len(embedded)} angka ledger dihitung ulang tanpa selisih "
                    f"(LKIP {year}{f' Triwulan {quarter}' if quarter else ''}, "
                    f"{len(found)} temuan verifikasi).")
    if out_root is None:
        return report
    return report.finish(Path(out_root) / f"{year}-{SUFFIX}", f"Verifikasi {Path(pdf).name}")
