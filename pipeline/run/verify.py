"""`make verify`: rebuild and compare with what was published, or re-check a PDF alone.

It tells apart "the inputs changed since the report was built" from "same inputs, different
result" (an environment difference), and names each changed input, figure and finding the
way comparison.py words them for an auditor.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .. import config
from ..check import draft, findings
from ..compute import ledger, results
from ..errors import Defect
from ..read import clean, embedded, inputs, units
from . import comparison, figure_order, manifest, runner
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
    return _digest_of(path.read_text(encoding="utf-8"))


def _digest_of(text: str) -> str:
    import json

    nb = json.loads(text)
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


def _published_findings(published: Path, tmp: Path) -> list | None:
    """The published findings, read as a PDF's are: None when absent, too big or unreadable."""
    try:
        data = published_bytes(published / "findings.json")
    except (Malformed, FileNotFoundError):
        return None
    return _embedded_findings({"findings.json": data}, tmp)


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
                masukan.get(relative) == hashlib.sha256(contents).hexdigest():
            (into / relative).parent.mkdir(parents=True, exist_ok=True)
            (into / relative).write_bytes(contents)
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
        if (folder / path).is_file() and \
                _published_digest(published / path) == notebook_digest(folder / path):
            new["keluaran"][path] = old["keluaran"][path]


def _published_digest(path: Path) -> str | None:
    """A published notebook's digest; None (so: changed) when it is absent, too big or not a
    notebook."""
    try:
        text = published_bytes(path).decode("utf-8")
        return _digest_of(text) if embedded.json_depth_within(text, 64) else None
    except (Malformed, OSError, UnicodeDecodeError, ValueError, TypeError, AttributeError,
            KeyError):
        return None


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
    raw = Path(raw_root) / str(year)
    with tempfile.TemporaryDirectory(prefix="lkip-verify-") as tmp:
        try:
            old = _published_manifest(published / manifest.NAME)
            old_ledger = _checked_ledger(str(published / ledger.NAME), "ledger terbit",
                                         published_bytes(published / ledger.NAME),
                                         Path(tmp) / ledger.NAME)
        except Malformed as exc:
            report.fail(str(exc))
            return report
        changed = diff_trees(old["masukan"], manifest.input_tree(raw))
        folder = runner.build(str(year), raw_root, Path(tmp) / "outputs",
                              Path(tmp) / "processed", config.NOTEBOOKS)
        new = manifest.read(folder / manifest.NAME)
        new_ledger = ledger.read(folder / ledger.NAME)
        figures = comparison.figure_changes(old_ledger, new_ledger,
                                            _shown(Path(tmp) / "processed" / str(year), year))
        found = (_published_findings(published, Path(tmp)), findings.read(folder))
        _same_notebooks(old, new, published, folder)
        inputs_changed = _input_changes(changed, published, year, old, raw, Path(tmp))
        # the input first, then what it changed: in the order the figures are computed
        figures = figure_order.dependency_order(figures, {**old_ledger, **new_ledger},
                                                inputs_changed)
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


def _refusal(names: list[str]) -> str | None:
    """Why these attachments are not what a build embeds; None when every name is one."""
    for name in names:
        if name not in OWN_NAMES and not (name.startswith("data/") and
                                          inputs.allowed(name.removeprefix("data/"))):
            return f"lampiran tak dikenal: {name!r}"
    return None


def _read_attachments(pdf: Path, report: Report) -> dict[str, bytes] | None:
    """The PDF's embedded files by name: named, counted and sized from the PDF's stream
    dictionaries, then decoded one by one with a cap (embedded.py); None, with the reason in
    the report, when the PDF does not read or its attachments are refused."""
    name = Path(pdf).name
    try:
        entries = embedded.listing(pdf)
        names = [entry.name for entry in entries]
        if manifest.BASE_NAME not in names or ledger.NAME not in names:
            report.fail(f"{name}: tidak memuat data tertanam ({manifest.BASE_NAME}, "
                        f"{ledger.NAME})")
            return None
        problem = _refusal(names)
        if problem:
            raise embedded.Refused(problem)
        return embedded.contents(entries)
    except embedded.Unreadable as exc:
        report.fail(f"{name}: tidak dapat dibaca sebagai PDF ({exc})")
    except embedded.Refused as exc:
        report.fail(f"{name}: ditolak, bukan data yang ditanam laporan ini: {exc}")
    return None


def _embedded_findings(attachments: dict, tmp: Path) -> list | None:
    """The findings the PDF carries; None when it carries none that read."""
    if "findings.json" not in attachments:
        return None
    if not embedded.json_depth_within(attachments["findings.json"].decode("utf-8", "replace")):
        return None
    (tmp / "findings.json").write_bytes(attachments["findings.json"])
    try:
        return findings.read(tmp)
    except (ValueError, TypeError, AttributeError, KeyError, UnicodeDecodeError):
        return None


class Malformed(ValueError):
    """An embedded manifest or ledger that is not what a build writes, raised with the Defect
    that names the PDF, the attachment and, where known, the row, column and value."""


SHOWN_CHARACTERS = 60  # of a value quoted in a message: a hostile file may hold anything


def _shown_value(value, as_json: bool = True) -> str:
    """A value for a message, shortened; as JSON writes it (a manifest's "2024" is then told
    apart from its 2024), or as the text a CSV cell holds."""
    import json

    text = json.dumps(value, ensure_ascii=False, default=str) if as_json else str(value)
    return text if len(text) <= SHOWN_CHARACTERS else text[:SHOWN_CHARACTERS - 3] + "..."


BASE_EXPECTED = ('objek JSON dengan "tahun" (empat angka), "masukan" (nama file -> sha256) dan '
                 '"parameter" (boleh dengan "triwulan" I-IV), seperti yang ditanam sebuah bangun')


def _base_problem(base) -> tuple[str, object] | None:
    """What makes an embedded manifest unusable, and the value; None when from_pdf can use
    it (the fields it reads have the types a build writes)."""
    from ..read.schema import TRIWULAN

    if not isinstance(base, dict):
        return "bukan objek JSON", base
    year, masukan = base.get("tahun"), base.get("masukan", {})
    parameter = base.get("parameter", {})
    if type(year) is not int or not config.YEAR_PATTERN.match(str(year)):
        return '"tahun" bukan tahun empat angka', year
    if not isinstance(masukan, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in masukan.items()):
        return '"masukan" bukan daftar nama file dan sha256', masukan
    if not isinstance(parameter, dict):
        return '"parameter" bukan objek', parameter
    if "triwulan" in parameter and parameter["triwulan"] not in TRIWULAN:
        return '"parameter.triwulan" bukan triwulan I-IV', parameter["triwulan"]
    return None


def _embedded_base(pdf: Path, data: bytes) -> dict:
    """The manifest the PDF carries, its shape checked before any field is used."""
    where = f"{Path(pdf).name}, lampiran {manifest.BASE_NAME}"
    try:
        base = embedded.load_json(data)
    except embedded.Refused as exc:
        raise Malformed(Defect(where, f"manifest tertanam tidak sah: {exc}",
                               expected=BASE_EXPECTED)) from None
    problem = _base_problem(base)
    if problem:
        raise Malformed(Defect(where, f"manifest tertanam tidak sah: {problem[0]}",
                               value=_shown_value(problem[1]), expected=BASE_EXPECTED))
    return base


PUBLISHED_FILE = inputs.MAX_FILE  # of a published manifest, ledger, findings or notebook
TREES = ("masukan", "keluaran", "olahan", "notebook")  # name -> sha256, in a build's manifest
PUBLISHED_EXPECTED = ('objek JSON dengan "masukan", "keluaran", "olahan", "notebook" (nama file '
                      '-> sha256), "kode" dan "lingkungan", seperti yang ditulis sebuah bangun')


def published_bytes(path: Path) -> bytes:
    """A file of a published folder, which may be one an agency sent: read only when it is a
    regular file (no link followed) and no more than PUBLISHED_FILE is read."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as exc:
        if exc.errno == errno.ENOENT:
            raise
        raise Malformed(Defect(str(path), "tidak dapat dibaca sebagai file biasa (tautan "
                               f"atau tanpa izin: {exc.strerror})",
                               expected="file biasa yang ditulis sebuah bangun")) from None
    with os.fdopen(descriptor, "rb") as file:
        if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
            raise Malformed(Defect(str(path), "bukan file biasa (folder, pipa atau perangkat)",
                                   expected="file biasa yang ditulis sebuah bangun"))
        data = file.read(PUBLISHED_FILE + 1)
    if len(data) > PUBLISHED_FILE:
        raise Malformed(Defect(str(path), "file terlalu besar: lebih dari "
                               f"{embedded.in_bytes(PUBLISHED_FILE)}",
                               expected=f"paling besar {embedded.megabytes(PUBLISHED_FILE)}"))
    return data


def _names_to_hashes(value) -> bool:
    return isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items())


def _manifest_problem(old) -> tuple[str, object] | None:
    """What makes a published manifest unusable by rebuild, and the value; None when fine."""
    if not isinstance(old, dict):
        return "bukan objek JSON", old
    for key in TREES:
        if not _names_to_hashes(old.get(key)):
            return f'"{key}" bukan daftar nama file dan sha256', old.get(key)
    if not isinstance(old.get("kode"), dict) or not isinstance(old["kode"].get("git_commit"),
                                                               str):
        return '"kode" tanpa "git_commit"', old.get("kode")
    if not isinstance(old.get("lingkungan"), dict) or not all(
            isinstance(old["lingkungan"].get(kind, {}), dict) for kind in ("paket", "pustaka")):
        return '"lingkungan" bukan objek dengan "paket" dan "pustaka"', old.get("lingkungan")
    return None


def _published_manifest(path: Path) -> dict:
    """The published manifest, bounded and its shape checked before any field is used."""
    try:
        old = embedded.load_json(published_bytes(path))
    except embedded.Refused as exc:
        raise Malformed(Defect(str(path), f"manifest terbit tidak sah: {exc}",
                               expected=PUBLISHED_EXPECTED)) from None
    problem = _manifest_problem(old)
    if problem:
        raise Malformed(Defect(str(path), f"manifest terbit tidak sah: {problem[0]}",
                               value=_shown_value(problem[1]), expected=PUBLISHED_EXPECTED))
    return old


def _embedded_ledger(pdf: Path, data: bytes, path: Path) -> dict[str, ledger.Entry]:
    """The ledger the PDF carries."""
    return _checked_ledger(f"{Path(pdf).name}, lampiran {ledger.NAME}", "ledger tertanam",
                           data, path)


def _checked_ledger(where: str, what: str, data: bytes, path: Path) -> dict[str, ledger.Entry]:
    """A received ledger, written to path and read as a build reads it, once every row has a
    build's six columns and a finite number as its value: comparing it would otherwise fail
    halfway, or read shifted columns."""
    import csv
    import io

    expected = f"CSV UTF-8 dengan kolom {', '.join(ledger.COLUMNS)}"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Malformed(Defect(where, f"{what} bukan teks UTF-8 (byte ke-{exc.start})",
                               expected=expected)) from None
    try:
        rows = csv.reader(io.StringIO(text, newline=""), strict=True)
        header = next(rows, None)
        if header != ledger.COLUMNS:
            raise Malformed(Defect(where, f"kolom {what} tidak sah",
                                   value=_shown_value(header), expected=expected))
        for row in rows:
            _check_ledger_row(where, rows.line_num, row)
    except csv.Error as exc:
        raise Malformed(Defect(where, f"{what} tidak terbaca ({exc})",
                               expected=expected)) from None
    path.write_bytes(data)
    return ledger.read(path)


def _check_ledger_row(where: str, line: int, row: list[str]) -> None:
    """A row as a build writes it: six columns, a number that Decimal reads as its value."""
    if len(row) != len(ledger.COLUMNS):
        raise Malformed(Defect(where, f"baris berisi {len(row)} kolom", line=line,
                               expected=f"{len(ledger.COLUMNS)} kolom seperti judulnya"))
    value = clean.restore(row[ledger.COLUMNS.index("value")])
    if not _finite_number(value):
        raise Malformed(Defect(where, "nilai ledger bukan angka", line=line, column="value",
                               value=_shown_value(value, as_json=False),
                               expected="angka desimal"))


def _finite_number(text: str) -> bool:
    from decimal import Decimal, InvalidOperation

    try:
        return Decimal(text).is_finite()
    except (InvalidOperation, ValueError):
        return False


def _recompute_annual(raw: Path, year: int):
    """The annual report's data, findings and ledger, from its embedded data alone."""
    ds = clean.load_raw(raw, year)
    res = results.compute(ds)
    found = draft.with_narrative(findings.run(ds, res), ds)  # as the report stage publishes
    return ds, found, ledger.build(ds, res, found)


def _recompute_quarter(raw: Path, year: int, triwulan: str):
    """A quarterly report's, which embeds the tables its quarter reads."""
    from ..check import quarterly_checks
    from ..compute import quarterly
    from ..present import quarterly_report

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
    with tempfile.TemporaryDirectory(prefix="lkip-pdf-") as tmp:
        try:
            base = _embedded_base(pdf, attachments[manifest.BASE_NAME])
            embedded_ledger = _embedded_ledger(pdf, attachments[ledger.NAME],
                                               Path(tmp) / ledger.NAME)
        except Malformed as exc:
            report.fail(str(exc))
            return report
        year = base["tahun"]
        raw = Path(tmp) / "raw" / str(year)
        for name, contents in attachments.items():
            if name.startswith("data/"):
                path = raw / name.removeprefix("data/")
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(contents)
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
    _figures(report, figure_order.dependency_order(
        comparison.figure_changes(embedded_ledger, recomputed, shown),
        {**embedded_ledger, **recomputed}))
    _findings(report, embedded_found, found, Path("findings.json"))
    if report.ok:
        report.note(f"Sesuai: {len(base.get('masukan', {}))} file data tertanam cocok dengan "
                    f"manifest dan {len(embedded_ledger)} angka ledger dihitung ulang tanpa "
                    f"selisih (LKIP {year}{f' Triwulan {quarter}' if quarter else ''}, "
                    f"{len(found)} temuan verifikasi).")
    if out_root is None:
        return report
    return report.finish(Path(out_root) / f"{year}-{SUFFIX}", f"Verifikasi {Path(pdf).name}")
