"""Which stages a rebuild runs: skipped when what they read hashes the same as last time."""

import json
import shutil

import nbformat
import pytest

from pipeline import config
from pipeline.run import freshness, manifest, runner
from pipeline.run.progress import Progress

from .conftest import copy_build

YEAR = 2025
CLEAN, INDICATORS, VERIFY, REPORT = config.STAGES


def _tree(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


class Lines:
    """A stream that keeps what the build said."""

    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def flush(self):
        pass


def _build(base, raw=None, notebooks=config.NOTEBOOKS, force=False, out="outputs",
           shared=None):
    """A build of base's data and what it said; in the session's kernel when one is given
    (conftest: kernel_session): which stages run is decided before a kernel is asked."""
    said = Lines()
    folder = runner.build(str(YEAR), raw or base / "raw", base / out, base / "processed",
                          notebooks, force=force, progress=Progress(said), shared=shared)
    return folder, said.text


@pytest.fixture(scope="module")
def built(minimal_built, tmp_path_factory):
    """A copy of the session's first build of the minimal fixture (conftest: minimal_built,
    made with a copy of the notebooks beside it), and what that build said."""
    base = copy_build(minimal_built.base, tmp_path_factory.mktemp("segar") / "salinan")
    return base, base / "outputs" / str(YEAR), minimal_built.said


def _first_stale(base, notebooks=None, force=False):
    published = {freshness.PROCESSED: base / "processed" / str(YEAR),
                 freshness.OUTPUT: base / "outputs" / str(YEAR)}
    ctx = freshness.context(YEAR, base / "raw" / str(YEAR), notebooks or base / "notebooks")
    plan = runner.Plan(ctx, freshness.previous_records(published[freshness.OUTPUT]),
                       published, force)
    return plan.first_stale()


def test_a_first_build_runs_every_stage_and_records_it(built):
    base, folder, said = built
    for name in config.STAGES:
        assert f"menjalankan {name}: selesai" in said
    records = manifest.read(folder / manifest.NAME)[freshness.RECORDS]
    assert list(records) == list(config.STAGES)
    assert "indikator/ringkasan_iku.csv" in records[INDICATORS][freshness.PROCESSED]
    # the data's findings beside the processed tables; the report stage publishes them with
    # the narrative's (an edited sentence reruns the report stage alone)
    assert set(records[VERIFY][freshness.OUTPUT]) == {f"notebooks/{VERIFY}"}
    assert {"verifikasi/findings.csv", "verifikasi/findings.json"} <= \
        set(records[VERIFY][freshness.PROCESSED])
    assert {f"LKIP_{YEAR}.pdf", "findings.csv", "findings.json"} <= \
        set(records[REPORT][freshness.OUTPUT])


def test_nothing_changed_is_a_no_op(built):
    base, folder, _ = built
    before = {p: p.stat().st_mtime_ns for p in folder.rglob("*")}
    assert _first_stale(base) is None
    again, said = _build(base, notebooks=base / "notebooks")
    assert again == folder
    assert "Tidak ada yang berubah sejak pembangunan terakhir" in said
    assert "menjalankan" not in said
    assert {p: p.stat().st_mtime_ns for p in folder.rglob("*")} == before


def test_force_runs_from_the_first_stage(built):
    assert _first_stale(built[0], force=True) == CLEAN


@pytest.fixture
def restore(built):
    """Each decision test edits the built copy, then puts it back."""
    base = built[0]
    saved = {name: _tree(base / name) for name in ("raw", "notebooks", "outputs", "processed")}
    yield base
    for name, files in saved.items():
        shutil.rmtree(base / name)
        for rel, data in files.items():
            (base / name / rel).parent.mkdir(parents=True, exist_ok=True)
            (base / name / rel).write_bytes(data)


def test_an_edited_sentence_reruns_only_the_report(restore):
    path = restore / "raw" / str(YEAR) / "narasi" / "penutup.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nKalimat baru.\n", encoding="utf-8")
    assert _first_stale(restore) == REPORT


def test_an_edited_table_reruns_from_cleaning(restore):
    path = restore / "raw" / str(YEAR) / "target_pk.csv"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert _first_stale(restore) == CLEAN


def _add_note(path):
    """An analyst's markdown cell at the end of a notebook."""
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("Catatan analis."))
    nbformat.write(nb, path)


def test_an_edited_notebook_reruns_from_that_stage(restore):
    _add_note(restore / "notebooks" / VERIFY)
    assert _first_stale(restore) == VERIFY


@pytest.fixture
def fresh_environment():
    """The environment is read once per process; these tests change it."""
    freshness.environment_digest.cache_clear()
    freshness.system_digest.cache_clear()
    yield
    freshness.environment_digest.cache_clear()
    freshness.system_digest.cache_clear()


def test_a_changed_package_version_reruns_everything(restore, monkeypatch, fresh_environment):
    real = manifest.installed()
    monkeypatch.setattr(manifest, "installed", lambda: {**real, "pandas": "0.0.1"})
    assert _first_stale(restore) == CLEAN


def test_a_changed_system_library_reruns_the_report_alone(restore, monkeypatch,
                                                         fresh_environment):
    real = manifest.system_libraries()
    monkeypatch.setattr(manifest, "system_libraries", lambda: {**real, "HarfBuzz": "0.0.1"})
    assert _first_stale(restore) == REPORT


def test_changed_code_reruns_everything(restore, monkeypatch):
    monkeypatch.setattr(freshness, "code_digest", lambda package=None: "lain")
    assert _first_stale(restore) == CLEAN


def test_a_tampered_output_is_rebuilt(restore):
    pdf = restore / "outputs" / str(YEAR) / f"LKIP_{YEAR}.pdf"
    pdf.write_bytes(pdf.read_bytes() + b"%")
    assert _first_stale(restore) == REPORT


def test_a_deleted_processed_table_is_rebuilt(restore):
    (restore / "processed" / str(YEAR) / "iku.csv").unlink()
    assert _first_stale(restore) == CLEAN


def test_an_unreadable_manifest_rebuilds_everything(restore):
    (restore / "outputs" / str(YEAR) / manifest.NAME).write_text("{rusak", encoding="utf-8")
    assert _first_stale(restore) == CLEAN


def test_a_comment_in_a_notebook_runs_that_stage_alone(restore, kernel_session):
    _add_note(restore / "notebooks" / VERIFY)
    folder, said = _build(restore, notebooks=restore / "notebooks", shared=kernel_session)
    assert f"menjalankan {VERIFY}: selesai" in said
    for name in (CLEAN, INDICATORS, REPORT):  # the findings it wrote are the same
        assert f"{name}: dilewati" in said
    executed = json.loads((folder / "notebooks" / VERIFY).read_text(encoding="utf-8"))
    assert "".join(executed["cells"][-1]["source"]) == "Catatan analis."


def test_a_partial_rebuild_equals_a_full_one_elsewhere(restore, kernel_session):
    """After a narrative edit only the report runs, and every output, manifest and executed
    notebook included, is byte for byte what a full build in another folder writes (both in
    the session's kernel, which builds the same bytes as a kernel of their own: test_batch.py::
    test_a_worker_keeps_its_kernel_across_agencies_and_builds_the_same_bytes)."""
    path = restore / "raw" / str(YEAR) / "narasi" / "penutup.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nKalimat baru.\n", encoding="utf-8")
    folder, said = _build(restore, notebooks=restore / "notebooks", shared=kernel_session)
    for name in (CLEAN, INDICATORS, VERIFY):
        assert f"{name}: dilewati" in said
    assert f"menjalankan {REPORT}: selesai" in said
    assert "Kalimat baru." in (folder / f"LKIP_{YEAR}.html").read_text(encoding="utf-8")
    elsewhere = restore / "lain" / "tempat"
    shutil.copytree(restore / "raw", elsewhere / "data")
    full = runner.build(str(YEAR), elsewhere / "data", elsewhere / "keluaran",
                        elsewhere / "olahan", restore / "notebooks", force=True,
                        shared=kernel_session)
    assert _tree(full) == _tree(folder)
