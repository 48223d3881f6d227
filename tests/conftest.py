"""Shared inputs and builds. A build through the notebooks is the slow part of the tests, so
each data folder is built once per session and every test that only reads outputs reads that
build; a test that edits a build works on a copy of it (copy_build). The few tests that must
build themselves (an interrupted build, a rebuild, a full disk) build tests/fixtures/minimal.
Tests that still build or lay out a whole report are marked `slow` (`pytest -m "not slow"`
leaves them out; `make test` runs them all)."""

import io
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pytest

from pipeline.compute import results
from pipeline.read import clean

ROOT = Path(__file__).resolve().parent.parent
SEED_RAW = ROOT / "data" / "raw"
FIXTURES = ROOT / "tests" / "fixtures"
EARLY = FIXTURES / "triwulan_awal"  # 2025: only TW I so far
MINIMAL = FIXTURES / "minimal"  # the smallest data folder: one IKU, one program, 2025
FIXTURE_YEAR = 2025  # the year of every folder in tests/fixtures
# fixtures that build reports: the session's builds below (the first reader pays for the
# build), and those of test modules that build in other processes (make report, make batch, a
# Dask cluster); a test that uses one is slow
BUILDS = {"built", "early_build", "fixture_build", "minimal_built", "hostile_built",
          "single_build", "batch_run", "seed_build", "dask_cluster"}


def pytest_collection_modifyitems(items):
    """Marks slow every test that builds a whole report (e2e) or uses a fixture that builds
    one, so that `pytest -m "not slow"` runs the rest in a fraction of the time; `make test`
    runs every test all the same."""
    for item in items:
        if item.get_closest_marker("e2e") or BUILDS & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def seed():
    """The LKIP 2024 data set as transcribed from the published report."""
    return clean.load_raw(SEED_RAW / "2024", 2024)


@pytest.fixture(scope="session")
def seed_results(seed):
    return results.compute(seed)


class StubKernel:
    """Stands for the build's kernel where no stage runs in one: bad data stops a build before
    its first stage, and a real kernel, started beside the check, costs about a quarter of a
    second to start and stop (a real one is started and stopped on bad data by
    test_e2e.py::test_bad_input_leaves_previous_outputs_untouched)."""

    warmed = True

    def shutdown(self) -> None:
        pass


@pytest.fixture
def stub_kernel(monkeypatch):
    """Every build of the test gets a StubKernel instead of a Jupyter kernel."""
    from pipeline.run import runner

    monkeypatch.setattr(runner.Session, "start", lambda self: StubKernel())


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
    the published outputs (the build is the slow part); (base folder, published folder).
    Tests may build beside it (base/outputs) but never change what it published."""
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


class Built(NamedTuple):
    """A build made by build_into: its base folder, its published folder and what it said
    while it ran (its progress lines)."""

    base: Path
    folder: Path
    said: str


def build_into(base: Path, raw_year: Path, year: int = FIXTURE_YEAR,
               edit: Callable[[Path], None] = lambda raw: None) -> Built:
    """A data folder copied to base/raw/<year>/ (then edited, when asked) with the notebooks
    beside it (base/notebooks, for tests that edit them), built through them into
    base/outputs and base/processed."""
    from pipeline import config
    from pipeline.run import runner
    from pipeline.run.progress import Progress

    shutil.copytree(raw_year, base / "raw" / str(year))
    edit(base / "raw" / str(year))
    shutil.copytree(config.NOTEBOOKS, base / "notebooks")
    said = io.StringIO()
    folder = runner.build(str(year), base / "raw", base / "outputs", base / "processed",
                          base / "notebooks", progress=Progress(said))
    return Built(base, folder, said.getvalue())


def copy_build(base: Path, into: Path) -> Path:
    """A private copy of a build made by build_into, for a test that edits or rebuilds it: a
    build records its inputs by content, not by place, so the copy is as fresh as the build
    it was copied from; base of the copy."""
    shutil.copytree(base, into, symlinks=True)
    return into


@pytest.fixture(scope="session")
def fixture_build(tmp_path_factory):
    """name -> Built: each folder of tests/fixtures built once per session through its
    notebooks (build_into), on first use."""
    done: dict[str, Built] = {}

    def get(name: str) -> Built:
        if name not in done:
            done[name] = build_into(tmp_path_factory.mktemp(f"fixture-{name}"),
                                    FIXTURES / name / str(FIXTURE_YEAR))
        return done[name]

    return get


@pytest.fixture(scope="session")
def minimal_built(fixture_build):
    """tests/fixtures/minimal built once (Built). Copy it (copy_build) before editing or
    rebuilding it."""
    return fixture_build("minimal")


@pytest.fixture(scope="session")
def hostile_built(tmp_path_factory):
    """The 'contoh' agency with text from people that must stay text and narrative links of
    every kind (tests/hostile_cases.py), built once through its notebooks (Built)."""
    from . import hostile_cases

    contoh = FIXTURES / "contoh" / str(FIXTURE_YEAR)
    return build_into(tmp_path_factory.mktemp("hostile"), contoh, edit=hostile_cases.write_into)
