"""Shared inputs and builds. A build through the notebooks is the slow part of the tests, so
each data folder is built once per session and every test that only reads outputs reads that
build: the seed by `make report`'s own command (seed_report: the annual report, its four
quarters and what the command said), each folder of tests/fixtures on first use
(fixture_build). A test that edits a build works on a copy of it (copy_build). The few tests
that must build themselves (an interrupted build, a rebuild, changed data, a full disk) build
tests/fixtures/minimal where the data does not matter.
Tests that still build or lay out a whole report are marked `slow` (`pytest -m "not slow"`
leaves them out; `make test` runs them all).
When `make test` runs the tests in two processes (pytest-xdist), each session build is made
once for both (shared_build): the first process that needs it builds it into the session's
common folder while the other waits for it, then both read the same files."""

import fcntl
import io
import json
import os
import pickle
import shutil
import signal
import subprocess
import sys
import threading
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
BUILDS = {"seed_report", "built", "seed_pdf_pages", "early_build", "fixture_build",
          "minimal_built", "hostile_built", "batch_run", "dask_cluster"}


# a module's own builds (module-scoped fixtures) stay with its module when `make test` runs the
# tests in two processes (pytest-xdist, --dist loadgroup), so that each is built once; the
# session's builds are shared between the processes by shared_build instead
MODULE_BUILDS = {"batch_run", "dask_cluster"}


def _group(item) -> str | None:
    names = set(getattr(item, "fixturenames", ()))
    return item.module.__name__ if names & MODULE_BUILDS else None


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups (loadgroup)
def pytest_collection_modifyitems(items):
    """Marks slow every test that builds a whole report (e2e) or uses a fixture that builds
    one, so that `pytest -m "not slow"` runs the rest in a fraction of the time; `make test`
    runs every test all the same. Groups the tests of a module that builds for itself
    (MODULE_BUILDS)."""
    for item in items:
        if item.get_closest_marker("e2e") or BUILDS & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
        group = _group(item)
        if group:
            item.add_marker(pytest.mark.xdist_group(group))


@pytest.fixture(scope="session")
def session_dir(tmp_path_factory, request) -> Path:
    """The session's folder common to its test processes: under pytest-xdist each process
    (a worker, with its workerinput) has its own temporary folder, inside the session's."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if hasattr(request.config, "workerinput") else base


def shared_build(session_dir: Path, name: str, make: Callable[[Path], None]) -> Path:
    """session_dir/name, made by make(folder) in the first test process that asks for it; another
    asking meanwhile waits for it (a file lock), and one asking later finds it made. A make
    that failed is made again by the next that asks."""
    folder = session_dir / name
    with open(session_dir / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        made = session_dir / f"{name}.made"
        if not made.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            make(folder)
            made.touch()
    return folder


def shared_value(session_dir: Path, name: str, make: Callable[[], object]):
    """A value made once for the session's test processes (shared_build), kept as a pickle."""
    def keep(folder: Path) -> None:
        (folder / "value.pickle").write_bytes(pickle.dumps(make()))

    return pickle.loads((shared_build(session_dir, name, keep) / "value.pickle").read_bytes())


@pytest.fixture(scope="session")
def seed():
    """The LKIP 2024 data set as transcribed from the published report."""
    return clean.load_raw(SEED_RAW / "2024", 2024)


@pytest.fixture(scope="session")
def documents(session_dir):
    """The seed as a received document in each format (tests/documents), read once."""
    from pipeline.read.document import read

    return shared_value(session_dir, "documents", lambda: {
        name: read(ROOT / "tests" / "documents" / name)
        for name in ("seed.pdf", "seed.docx", "seed.html", "seed.md")})


@pytest.fixture(scope="session")
def seed_results(seed):
    return results.compute(seed)


def default_sigint() -> None:
    """For a command a test stops with Ctrl-C (SIGINT), as preexec_fn: a test run started in
    the background (`make test &`, a CI script) ignores SIGINT, and so would the command it
    starts, which would then run to its end as if never stopped."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


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


def build_html(raw_year: Path, year: int, folder: Path, drawn: Path | None = None):
    """The report's HTML, tables and findings of a data folder, in this process (no PDF);
    with the charts already drawn in `drawn` (for data whose figures are those of a build
    made before) instead of drawn again."""
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
    svgs = ({svg.stem: svg for svg in drawn.glob("*.svg")} if drawn else
            {c.key: c.svg for c in report.figures(ds, res, folder / "figures")})
    html = render.render_html(ds, res, svgs, found, entries)
    return html, res, found, entries


class SeedReport(NamedTuple):
    """The seed built as `make report YEAR=2024` builds it: the annual report and its four
    quarters, into base/outputs and base/processed, by the command in its own process (stdout
    and stderr not a terminal); done is that finished process, with what it said."""

    base: Path
    done: subprocess.CompletedProcess

    @property
    def out(self) -> Path:
        return self.base / "outputs"

    @property
    def processed(self) -> Path:
        return self.base / "processed"


def _make_seed(base: Path) -> None:
    """The seed built by `make report`'s command into base, what it said kept beside it."""
    args = [sys.executable, "-m", "pipeline", "report", "--year", "2024", "--raw", str(SEED_RAW),
            "--out", str(base / "outputs"), "--processed", str(base / "processed")]
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    base.with_suffix(".said.json").write_text(json.dumps(
        {"args": args, "stdout": done.stdout, "stderr": done.stderr}), encoding="utf-8")


SEED_READERS = {"seed_report", "built", "seed_pdf_pages"}


@pytest.fixture(scope="session", autouse=True)
def seed_started_early(session_dir, request):
    """The seed's build begun as the session starts, in the background of the first test
    process, when any test of the session reads it: it runs in processes of its own while
    the tests that need no build run, so that the first test that reads it waits less."""
    first = os.environ.get("PYTEST_XDIST_WORKER", "gw0") == "gw0"
    wanted = any(SEED_READERS & set(getattr(item, "fixturenames", ()))
                 for item in request.session.items)
    early = threading.Thread(target=shared_build, args=(session_dir, "seed", _make_seed),
                             daemon=True)
    if first and wanted:
        early.start()
    yield
    if early.is_alive():
        early.join()


@pytest.fixture(scope="session")
def seed_report(session_dir) -> SeedReport:
    """The seed's reports built once for the session (the slowest build of the tests), for
    every test that reads the published outputs or what the command said. Tests may build
    beside it (in its outputs/) or run a command that finds nothing to rebuild, but never
    change what it published: a test that does works on a copy (copy_build)."""
    base = shared_build(session_dir, "seed", _make_seed)
    said = json.loads(base.with_suffix(".said.json").read_text(encoding="utf-8"))
    return SeedReport(base, subprocess.CompletedProcess(said["args"], 0, said["stdout"],
                                                        said["stderr"]))


@pytest.fixture(scope="session")
def built(seed_report):
    """The seed's annual report of seed_report: (base folder, published folder); base holds
    outputs/ and processed/."""
    return seed_report.base, seed_report.out / "2024"


@pytest.fixture(scope="session")
def seed_pdf_pages(built, session_dir) -> list[str]:
    """The text of each page of the seed's annual PDF (pypdf), read once for the session:
    reading it takes seconds, and more than one test looks for words in it."""
    from pypdf import PdfReader

    return shared_value(session_dir, "seed-pdf-pages", lambda: [
        page.extract_text() for page in PdfReader(built[1] / "LKIP_2024.pdf").pages])


@pytest.fixture(scope="session")
def early_build(session_dir):
    """The first quarter of a year that has only that quarter, built once; (what was
    written, its folder)."""
    from pipeline import config
    from pipeline.run import stages

    def make(folder: Path) -> None:
        (folder / "out").mkdir()
        written = stages.run_quarter(2025, "1", EARLY / "2025", folder / "out", config.NOTEBOOKS)
        (folder / "written.pickle").write_bytes(pickle.dumps(written))

    folder = shared_build(session_dir, "tw1", make)
    return pickle.loads((folder / "written.pickle").read_bytes()), folder / "out"


class Built(NamedTuple):
    """A build made by build_into: its base folder, its published folder and what it said
    while it ran (its progress lines)."""

    base: Path
    folder: Path
    said: str


@pytest.fixture(scope="session")
def kernel_session():
    """One Jupyter kernel for the session's builds in this process (build_into), as a batch
    worker keeps one from one agency to the next: starting and warming one is about 2,5 s of
    a 6 s build of the smallest folder, and what it builds is the same (test_batch.py::
    test_a_worker_keeps_its_kernel_across_agencies_and_builds_the_same_bytes)."""
    from pipeline.run import runner

    with runner.session() as shared:
        yield shared


def build_into(base: Path, raw_year: Path, year: int = FIXTURE_YEAR,
               edit: Callable[[Path], None] = lambda raw: None, shared=None) -> Built:
    """A data folder copied to base/raw/<year>/ (then edited, when asked) with the notebooks
    beside it (base/notebooks, for tests that edit them), built through them into
    base/outputs and base/processed, in the shared kernel when one is given."""
    from pipeline import config
    from pipeline.run import runner
    from pipeline.run.progress import Progress

    shutil.copytree(raw_year, base / "raw" / str(year))
    edit(base / "raw" / str(year))
    shutil.copytree(config.NOTEBOOKS, base / "notebooks")
    said = io.StringIO()
    folder = runner.build(str(year), base / "raw", base / "outputs", base / "processed",
                          base / "notebooks", progress=Progress(said), shared=shared)
    return Built(base, folder, said.getvalue())


def copy_build(base: Path, into: Path) -> Path:
    """A private copy of a build made by build_into, for a test that edits or rebuilds it: a
    build records its inputs by content, not by place, so the copy is as fresh as the build
    it was copied from; base of the copy."""
    shutil.copytree(base, into, symlinks=True)
    return into


def _shared_built(session_dir: Path, name: str, raw_year: Path, kernel,
                  edit: Callable[[Path], None] = lambda raw: None) -> Built:
    """build_into once for the session's test processes (shared_build), in this process's
    kernel; what the build said is kept beside its folder."""
    def make(base: Path) -> None:
        said = build_into(base, raw_year, edit=edit, shared=kernel).said
        base.with_suffix(".said.txt").write_text(said, encoding="utf-8")

    base = shared_build(session_dir, name, make)
    return Built(base, base / "outputs" / str(FIXTURE_YEAR),
                 base.with_suffix(".said.txt").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def fixture_build(session_dir, kernel_session):
    """name -> Built: each folder of tests/fixtures built once per session through its
    notebooks (build_into), on first use."""
    def get(name: str) -> Built:
        return _shared_built(session_dir, f"fixture-{name}", FIXTURES / name / str(FIXTURE_YEAR),
                             kernel_session)

    return get


@pytest.fixture(scope="session")
def minimal_built(fixture_build):
    """tests/fixtures/minimal built once (Built). Copy it (copy_build) before editing or
    rebuilding it."""
    return fixture_build("minimal")


@pytest.fixture(scope="session")
def hostile_built(session_dir, kernel_session):
    """The 'contoh' agency with text from people that must stay text and narrative links of
    every kind (tests/hostile_cases.py), built once through its notebooks (Built)."""
    from . import hostile_cases

    return _shared_built(session_dir, "hostile", FIXTURES / "contoh" / str(FIXTURE_YEAR),
                         kernel_session, edit=hostile_cases.write_into)
