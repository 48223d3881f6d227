from pathlib import Path

import pytest

from pipeline import clean, results

ROOT = Path(__file__).resolve().parent.parent
SEED_RAW = ROOT / "data" / "raw"


@pytest.fixture(scope="session")
def seed():
    """The LKIP 2024 data set as transcribed from the published report."""
    return clean.load_raw(SEED_RAW / "2024", 2024)


@pytest.fixture(scope="session")
def seed_results(seed):
    return results.compute(seed)


def build_html(raw_year: Path, year: int, folder: Path):
    """The report's HTML, tables and findings of a data folder, in this process (no PDF)."""
    from pipeline import findings, ledger, render, report

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
