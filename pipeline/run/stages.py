"""What each notebook stage does, as plain functions the notebooks call.

`make report` (runner.build) gives a notebook every folder as a parameter. A notebook run by
hand (JupyterLab, papermill in any folder) leaves them at None: `setup` then takes the data
from the project's folders (pipeline/config.py), recomputes the earlier stages, and writes
to `outputs/.scratch/<year>/`, never over the published `outputs/<year>/`.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .. import config
from ..check import draft, findings
from ..compute import ledger, results
from ..config import report_name
from ..errors import DefectCollector
from ..present import render, report
from ..read import clean, inputs
from . import manifest

if TYPE_CHECKING:
    from ..present import charts

FINDINGS = "verifikasi"


@dataclass(frozen=True)
class Paths:
    """Where one stage reads and writes."""

    year: int
    raw_dir: Path
    processed_dir: Path
    out_dir: Path
    notebooks_dir: Path
    scratch: bool  # run by hand: the folders are the scratch ones under outputs/.scratch/

    @property
    def viewed_from(self) -> Path:
        """The folder the executed notebook is read in, for links from its outputs:
        `<out>/notebooks/` for `make report`, the working folder for a run by hand."""
        return Path.cwd() if self.scratch else self.out_dir / "notebooks"


def scratch_dir(year: int) -> Path:
    return config.SCRATCH / str(int(year))


def _shown(path: Path) -> str:
    path = Path(path).resolve()
    try:
        return path.relative_to(config.ROOT).as_posix()
    except ValueError:
        return str(path)


def _not_published(out: DefectCollector, given, published: Path, what: str) -> None:
    if given is not None and Path(given).resolve() == published.resolve():
        out.add(str(given), f"{what} ini hanya ditulis oleh `make report`",
                expected=f"biarkan parameter kosong (None): notebook yang dijalankan sendiri "
                         f"menulis ke {_shown(config.SCRATCH)}/<tahun>/")


def paths(year=None, raw_root=None, raw_dir=None, processed_dir=None, out_dir=None,
          notebooks_dir=None) -> Paths:
    """The stage's folders from its parameters; those left at None follow from the year, the
    data root (default data/raw) and the scratch folder outputs/.scratch/<year>/."""
    from .runner import check_year, latest_year

    root = Path(raw_root) if raw_root is not None else config.RAW
    if raw_dir is None:
        y = check_year(str(year if year is not None else latest_year(root)), root)
        raw_dir = root / str(y)
    elif year is None:
        y = check_year(Path(raw_dir).name, Path(raw_dir).parent)
    else:
        y = int(year)
    out = DefectCollector()
    _not_published(out, out_dir, config.OUTPUTS / str(y), "folder keluaran")
    _not_published(out, processed_dir, config.PROCESSED / str(y), "folder data olahan")
    out.raise_if_any()
    scratch = out_dir is None and processed_dir is None
    return Paths(
        year=y, raw_dir=Path(raw_dir),
        processed_dir=Path(processed_dir) if processed_dir is not None
        else scratch_dir(y) / "processed",
        out_dir=Path(out_dir) if out_dir is not None else scratch_dir(y),
        notebooks_dir=Path(notebooks_dir) if notebooks_dir is not None else config.NOTEBOOKS,
        scratch=scratch)


def setup(stage: str, year=None, raw_root=None, raw_dir=None, processed_dir=None,
          out_dir=None, notebooks_dir=None) -> Paths:
    """What a notebook does first. Run by hand, it starts from a fresh scratch folder and
    recomputes the stages before it there, so it needs no earlier notebook to have run."""
    p = paths(year, raw_root, raw_dir, processed_dir, out_dir, notebooks_dir)
    if not p.scratch:
        return p  # make report: the runner ran the earlier stages into its own folders
    shutil.rmtree(scratch_dir(p.year), ignore_errors=True)
    p.out_dir.mkdir(parents=True)
    earlier = config.STAGES[:config.STAGES.index(stage)]
    for name in earlier:
        EARLIER[name](p)
    print(f"Dijalankan di luar `make report`: data dari {_shown(p.raw_dir)}/, hasil ke "
          f"{_shown(p.out_dir)}/ ({_shown(config.OUTPUTS / str(p.year))}/ tidak disentuh).")
    if earlier:
        print("Tahap sebelumnya dihitung ulang di sana: "
              + ", ".join(os.path.splitext(n)[0] for n in earlier) + ".")
    return p


def warm() -> None:
    """What the build's kernel imports while the data is checked (pipeline.run.kernel): every
    library a stage needs, so no stage waits for an import. An OSError here is a missing
    system library for the PDF (Pango)."""
    import weasyprint  # noqa: F401

    from ..present import charts, view  # noqa: F401  (matplotlib, IPython display)


def run_clean(year: int, raw_dir: Path, processed_dir: Path) -> clean.Dataset:
    ds = clean.load_raw(Path(raw_dir), int(year), narrative=False)
    clean.write_processed(ds, Path(processed_dir))
    return ds


def run_indicators(year: int, processed_dir: Path) -> dict:
    ds = clean.load_processed(Path(processed_dir), int(year))
    tables = results.compute(ds)
    results.write(tables, Path(processed_dir))
    return tables


def run_verify(year: int, processed_dir: Path) -> list[findings.Finding]:
    """The data's findings, beside the processed tables. The report stage publishes them,
    with the narrative's (which this stage does not read: an edited sentence reruns only the
    report stage), as findings.csv and findings.json."""
    ds = clean.load_processed(Path(processed_dir), int(year))
    found = findings.run(ds, results.read(Path(processed_dir)))
    findings.write(found, Path(processed_dir) / FINDINGS)
    return found


def attachments(raw_dir: Path, out_dir: Path, base: dict) -> list[tuple[str, bytes, str]]:
    """What the PDF carries so that it alone is enough to re-check the report: the data files
    the report read (those its manifest lists), findings, ledger and manifest."""
    read = base["masukan"]
    files = [(f"data/{p.relative_to(raw_dir).as_posix()}", p.read_bytes(), "data mentah")
             for p in inputs.files(Path(raw_dir)) if p.relative_to(raw_dir).as_posix() in read]
    for name in ("findings.csv", "findings.json"):
        files.append((name, (out_dir / name).read_bytes(), "temuan verifikasi data"))
    files.append((ledger.NAME, (out_dir / ledger.NAME).read_bytes(),
                  "buku besar angka: rumus dan sumber setiap angka laporan"))
    files.append((manifest.BASE_NAME, manifest.dumps(base).encode("utf-8"),
                  "manifest masukan, olahan dan lingkungan"))
    return files


@dataclass(frozen=True)
class Written:
    html: Path
    pdf: Path
    charts: list[charts.Chart] = field(default_factory=list)
    tables: dict = field(default_factory=dict)  # a quarterly report's tables, by file
    found: list = field(default_factory=list)
    dataset: clean.Dataset | None = None


@dataclass(frozen=True)
class Screen:
    """The report for the screen, with what it was made from."""

    ds: clean.Dataset
    res: dict
    found: list
    entries: list
    charts: list
    html: str


def screen(year: int, processed_dir: Path, raw_dir: Path, figures_dir: Path,
           drawn: dict[str, Path] | None = None, preview: bool = False) -> Screen:
    """The report as one HTML file, from the stage outputs: what the report stage publishes
    and what `make preview` shows. drawn: the last build's charts (key -> SVG), taken over
    instead of drawn again when their data did not change."""
    ds = clean.load_processed(Path(processed_dir), int(year))
    ds.narrative = clean.load_narrative(Path(raw_dir), ds.frames, ds.sources)
    res = results.read(Path(processed_dir))
    found = draft.with_narrative(findings.read(Path(processed_dir) / FINDINGS), ds)
    entries = ledger.build(ds, res, found)
    made = report.figures(ds, res, Path(figures_dir)) if drawn is None else []
    svgs = drawn if drawn is not None else {c.key: c.svg for c in made}
    html = render.render_html(ds, res, svgs, found, entries, preview=preview)
    return Screen(ds, res, found, entries, made, html)


def run_report(year: int, processed_dir: Path, out_dir: Path, raw_dir: Path = None,
               notebooks_dir: Path = Path(".")) -> Written:
    out_dir = Path(out_dir)
    shown = screen(year, processed_dir, raw_dir, out_dir / "figures")
    findings.write(shown.found, out_dir)
    ledger.write(shown.entries, out_dir / ledger.NAME)
    html_path = out_dir / report_name(int(year), "html")
    html_path.write_text(shown.html, encoding="utf-8")
    pdf_path = out_dir / report_name(int(year), "pdf")
    base = manifest.base(int(year), Path(raw_dir), Path(processed_dir), Path(notebooks_dir))
    signed = shown.ds["instansi.csv"].iloc[0]["tanggal_penandatanganan"]
    render.render_pdf(render.for_print(shown.html, shown.charts), pdf_path,
                      attachments(Path(raw_dir), out_dir, base),
                      dt.datetime(signed.year, signed.month, signed.day, tzinfo=dt.timezone.utc))
    return Written(html_path, pdf_path, shown.charts)


# -- a quarterly report ----------------------------------------------------------------------

@dataclass(frozen=True)
class QuarterPaths:
    """Where a quarterly report reads and writes."""

    year: int
    triwulan: str
    raw_dir: Path
    out_dir: Path
    notebooks_dir: Path
    scratch: bool  # run by hand: out_dir is outputs/.scratch/<year>-TW<n>/

    @property
    def viewed_from(self) -> Path:
        return Path.cwd() if self.scratch else self.out_dir / "notebooks"


def quarter_paths(year=None, triwulan=None, raw_root=None, raw_dir=None, out_dir=None,
                  notebooks_dir=None) -> QuarterPaths:
    """The quarter's folders from the notebook's parameters; left at None: the latest year
    (data/raw), its latest quarter with data, and outputs/.scratch/<year>-TW<n>/."""
    from ..compute import quarterly

    p = paths(year, raw_root, raw_dir, None, None, notebooks_dir)
    tw = quarterly.parse_triwulan(triwulan) if triwulan is not None else \
        quarterly.latest(p.raw_dir, p.year)
    folder = config.quarter_folder(p.year, quarterly.number(tw))
    out = DefectCollector()
    _not_published(out, out_dir, config.OUTPUTS / folder, "folder keluaran")
    out.raise_if_any()
    return QuarterPaths(p.year, tw, p.raw_dir,
                        Path(out_dir) if out_dir is not None else config.SCRATCH / folder,
                        p.notebooks_dir, out_dir is None)


def setup_quarter(year=None, triwulan=None, raw_root=None, raw_dir=None, out_dir=None,
                  notebooks_dir=None) -> QuarterPaths:
    """What the quarterly notebook does first; run by hand, from a fresh scratch folder."""
    p = quarter_paths(year, triwulan, raw_root, raw_dir, out_dir, notebooks_dir)
    if p.scratch:
        shutil.rmtree(p.out_dir, ignore_errors=True)
        p.out_dir.mkdir(parents=True)
        print(f"Dijalankan di luar `make triwulan`: data dari {_shown(p.raw_dir)}/, hasil ke "
              f"{_shown(p.out_dir)}/ (folder terbitan di {_shown(config.OUTPUTS)}/ tidak "
              "disentuh).")
    return p


def run_quarter(year: int, triwulan, raw_dir: Path, out_dir: Path,
                notebooks_dir: Path = Path(".")) -> Written:
    """The quarterly report of one quarter into out_dir: HTML, PDF/A-3b carrying its data,
    findings.csv/.json, ledger.csv and figures/. triwulan: I-IV or 1-4; InputError for any
    other, for a quarter without data and for data that is wrong."""
    from ..check import quarterly_checks
    from ..compute import quarterly
    from ..present import quarterly_report

    q = quarterly.load(Path(raw_dir), int(year), triwulan)
    tables = quarterly.compute(q)
    found = quarterly_checks.run(q, tables)
    out_dir = Path(out_dir)
    findings.write(found, out_dir)
    entries = quarterly_report.entries(q, tables, found)
    ledger.write(entries, out_dir / ledger.NAME)
    made = quarterly_report.figures(q, tables, out_dir / "figures")
    html = quarterly_report.render_html(q, tables, {c.key: c.svg for c in made}, found,
                                        entries)
    html_path = out_dir / config.quarter_report_name(q.year, q.number, "html")
    html_path.write_text(html, encoding="utf-8")
    pdf_path = out_dir / config.quarter_report_name(q.year, q.number, "pdf")
    base = manifest.base(q.year, Path(raw_dir), None, Path(notebooks_dir), q.triwulan)
    day = q.dated()
    render.render_pdf(render.for_print(html, made), pdf_path,
                      attachments(Path(raw_dir), out_dir, base),
                      dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc))
    return Written(html_path, pdf_path, made, tables.res, found, q.ds)


# what a notebook run by hand recomputes of the stages before it
EARLIER = {
    "01_clean.ipynb": lambda p: run_clean(p.year, p.raw_dir, p.processed_dir),
    "02_indicators.ipynb": lambda p: run_indicators(p.year, p.processed_dir),
    "03_verify.ipynb": lambda p: run_verify(p.year, p.processed_dir),
}
