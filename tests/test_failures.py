"""Failures while running: a missing library or kernel, Ctrl-C, a killed run."""

import hashlib
import shutil
import signal
import subprocess
import sys
import time

import pytest

from pipeline import cli, config
from pipeline.run import runner

from .conftest import MINIMAL, ROOT, default_sigint


@pytest.mark.slow
def test_missing_pango_says_what_to_install(monkeypatch, tmp_path, capsys):
    """On the smallest data folder: it has no quarter, so only the annual report's kernel
    starts (and fails)."""
    from pipeline.run import kernel

    # the kernel imports WeasyPrint while the data is checked; without Pango that import fails
    monkeypatch.setattr(kernel, "WARM", "raise OSError(\"cannot load library 'libpango-1.0-0'\")")
    code = cli.main(["report", "--year", "2025", "--raw", str(MINIMAL), "--out",
                     str(tmp_path / "out"), "--processed", str(tmp_path / "proc")])
    err = capsys.readouterr().err
    assert code == 3
    assert "Persiapan gagal: pustaka sistem untuk PDF tidak dapat dimuat" in err
    assert "apt-get install libpango-1.0-0 libpangoft2-1.0-0" in err
    assert "Traceback" not in err
    assert not (tmp_path / "out" / "2025").exists()


def test_missing_kernel_says_what_to_install():
    with pytest.raises(runner.SetupError, match="kernel Jupyter 'tidak-ada' tidak ditemukan.*"
                       "pip install ipykernel"):
        runner.preflight("tidak-ada")


def _digest(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


# the first quarter of the minimal fixture's year, so that a quarterly report is being built
# beside the annual one when the build is interrupted
MINIMAL_TW1 = ("triwulan,kode_iku,target_tahunan_cetak,target,realisasi,capaian_cetak,"
               'cara_hitung,keterangan\nI,IKU1,"75,00%","20,00%","21,00%","105,00%",kumulatif,\n')


# what the command says as the documents enter their notebook stages: the annual report's
# first (and, at the latest, second) stage, and its quarter's one stage beside it
ANNUAL_STAGE = "[1/4] menjalankan 01_clean.ipynb"
QUARTER_STAGE = "2025-TW1 [1/1] menjalankan 05_triwulan.ipynb"
LATEST = "[2/4] menjalankan 02_indicators.ipynb"  # the annual report far from published yet


def _started(seen: list[str], step: str) -> bool:
    return any(line.startswith(step) for line in seen)


def _interrupted(raw, base, sig) -> str:
    """`make report` of raw into base/outputs, stopped by sig as soon as both documents are
    inside their stages (the annual report's second stage at the latest); what it said."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "report", "--year", "2025", "--raw", str(raw),
         "--out", str(base / "outputs"), "--processed", str(base / "processed")],
        cwd=ROOT, stderr=subprocess.PIPE, text=True, preexec_fn=default_sigint)
    seen: list[str] = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not _started(seen, LATEST) and not (
            _started(seen, ANNUAL_STAGE) and _started(seen, QUARTER_STAGE)):
        line = proc.stderr.readline()
        if not line:
            break
        seen.append(line)
    proc.send_signal(sig)
    _, rest = proc.communicate(timeout=120)
    assert proc.returncode != 0
    assert _started(seen, ANNUAL_STAGE), seen  # stopped inside the stages, not before them
    return "".join(seen) + rest


@pytest.mark.e2e
def test_interrupted_builds_leave_previous_outputs(kernel_session, tmp_path):
    """On the smallest data folder with one quarter: its quarterly report is built beside the
    annual stages (on two cores), as the seed's four are. A build stopped by Ctrl-C, then one
    killed (SIGKILL) over what the first left, leave the published report as it was; the
    next build clears what both left and succeeds."""
    raw = tmp_path / "raw"
    shutil.copytree(MINIMAL / "2025", raw / "2025")
    (raw / "2025" / "triwulan_kinerja.csv").write_text(MINIMAL_TW1, encoding="utf-8")
    out = tmp_path / "outputs" / "2025"
    out.mkdir(parents=True)
    (out / "LKIP_2025.html").write_text("laporan sebelumnya", encoding="utf-8")
    before = _digest(out)
    said = _interrupted(raw, tmp_path, signal.SIGINT)
    assert "Dibatalkan; keluaran sebelumnya tidak diubah." in said
    assert _digest(out) == before
    _interrupted(raw, tmp_path, signal.SIGKILL)
    assert _digest(out) == before
    assert list((tmp_path / "outputs").glob(".build-*"))  # what the killed build left
    # the next `make report` cleans the leftovers of the interrupted ones (the quarterly
    # report's too, which was being built beside them) and succeeds; in the session's kernel,
    # since what clears them is the build of each document, not the command
    runner.build_year("2025", raw, tmp_path / "outputs", tmp_path / "processed",
                      config.NOTEBOOKS, shared=kernel_session)
    assert (out / "LKIP_2025.pdf").is_file()
    assert (tmp_path / "outputs" / "2025-TW1" / "LKIP_2025_TW1.pdf").is_file()
    for folder in (tmp_path / "outputs", tmp_path / "processed"):
        assert sorted(p.name for p in folder.iterdir() if p.name.startswith(".")) == []
