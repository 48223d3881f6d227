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

from .conftest import MINIMAL, ROOT, SEED_RAW, default_sigint


@pytest.mark.slow
def test_missing_pango_says_what_to_install(monkeypatch, tmp_path, capsys):
    from pipeline.run import kernel

    # the kernel imports WeasyPrint while the data is checked; without Pango that import fails
    monkeypatch.setattr(kernel, "WARM", "raise OSError(\"cannot load library 'libpango-1.0-0'\")")
    code = cli.main(["report", "--year", "2024", "--raw", str(SEED_RAW), "--out",
                     str(tmp_path / "out"), "--processed", str(tmp_path / "proc")])
    err = capsys.readouterr().err
    assert code == 3
    assert "Persiapan gagal: pustaka sistem untuk PDF tidak dapat dimuat" in err
    assert "apt-get install libpango-1.0-0 libpangoft2-1.0-0" in err
    assert "Traceback" not in err
    assert not (tmp_path / "out" / "2024").exists()


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


@pytest.mark.e2e
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL])
def test_interrupted_build_leaves_previous_outputs(sig, tmp_path):
    """On the smallest data folder with one quarter: its quarterly report is built beside the
    annual stages (on two cores), as the seed's four are."""
    raw = tmp_path / "raw"
    shutil.copytree(MINIMAL / "2025", raw / "2025")
    (raw / "2025" / "triwulan_kinerja.csv").write_text(MINIMAL_TW1, encoding="utf-8")
    out = tmp_path / "outputs" / "2025"
    out.mkdir(parents=True)
    (out / "LKIP_2025.html").write_text("laporan sebelumnya", encoding="utf-8")
    before = _digest(out)
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "report", "--year", "2025", "--raw", str(raw),
         "--out", str(tmp_path / "outputs"), "--processed", str(tmp_path / "processed")],
        cwd=ROOT, stderr=subprocess.PIPE, text=True, preexec_fn=default_sigint)
    seen = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # wait until the build is inside the notebook stages
        line = proc.stderr.readline()
        seen.append(line)
        if "menjalankan 02_indicators.ipynb" in line or not line:
            break
    time.sleep(0.5)
    proc.send_signal(sig)
    _, rest = proc.communicate(timeout=120)
    err = "".join(seen) + rest
    assert proc.returncode != 0
    assert _digest(out) == before
    if sig == signal.SIGINT:
        assert "Dibatalkan; keluaran sebelumnya tidak diubah." in err
    # the next `make report` cleans the leftovers of the interrupted one (the quarterly
    # reports' too, which were being built beside it) and succeeds
    runner.build_year("2025", raw, tmp_path / "outputs", tmp_path / "processed",
                      config.NOTEBOOKS)
    assert (out / "LKIP_2025.pdf").is_file()
    assert (tmp_path / "outputs" / "2025-TW1" / "LKIP_2025_TW1.pdf").is_file()
    assert not list((tmp_path / "outputs").glob(".build-*"))
    assert not list((tmp_path / "outputs").glob(".lock-*"))  # removed when a build ends
