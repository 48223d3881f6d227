from pathlib import Path

import pytest

from pipeline.compute import results
from pipeline.read import clean

ROOT = Path(__file__).resolve().parent.parent
SEED_RAW = ROOT / "data" / "raw"
EARLY = ROOT / "tests" / "fixtures" / "triwulan_awal"  # 2025: only TW I so far


@pytest.fixture(scope="session")
def seed():
    """The LKIP 2024 data set as transcribed from the published report."""
    return clean.load_raw(SEED_RAW / "2024", 2024)


@pytest.fixture(scope="session")
def seed_results(seed):
    return results.compute(seed)


def build_html(raw_year: Path, year: int, folder: Path):
    """The report's HTML, tables and findings of a data folder, in this process (no PDF)."""
    from pipeline.check import findings
    from pipeline.compute import ledger
    from pipeline.present import render, report

    ds = clean.load_raw(raw_year, year)
    clean.write_processed(ds, folder / "processed")
    ds = clean.load_processed(folder / "processed", year)
    results.write(results.compute(ds), folder / "processed")
    res = results.read(folder / "processed")
    found = findings.run(ds, res)
    entries = ledger.build(ds, res, found)
    charts = report.figures(ds, res, folder / "figures")
    html = render.render_html(ds, res, {c.key: c.svg for c in charts}, found, entries)
    return html, res, found, entries


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """The seed's annual report built once through its notebooks, for every test that reads
    the published outputs (the build is the slow part); (base folder, published folder)."""
    from pipeline import config
    from pipeline.run import runner

    base = tmp_path_factory.mktemp("build")
    folder = runner.build("2024", SEED_RAW, base / "outputs", base / "processed",
                          config.NOTEBOOKS)
    return base, folder


@pytest.fixture(scope="session")
def early_build(tmp_path_factory):
    """The first quarter of a year that has only that quarter, built once through its
    notebook; (what was written, its folder)."""
    from pipeline import config
    from pipeline.run import stages

    out = tmp_path_factory.mktemp("tw1")
    return stages.run_quarter(2025, "1", EARLY / "2025", out, config.NOTEBOOKS), out
