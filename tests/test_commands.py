"""The commands a user types: make help, make report without YEAR, make workbook, make lab."""

import contextlib
import json
import os
import queue
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import threading
import types
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from pipeline import cli, config
from pipeline.errors import Defect, InputError
from pipeline.run import lab, runner

from .conftest import ROOT

needs_make = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def _make(*args) -> str:
    done = subprocess.run(["make", "--no-print-directory", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=60, check=True)
    return done.stdout


def _command(target: str, *variables) -> list[str]:
    """The pipeline command `make -n` prints for a target (install steps aside)."""
    text = _make("-n", target, *variables).replace("\\\n", " ")
    line = next(ln for ln in text.splitlines() if " -m pipeline " in ln)
    words = shlex.split(line)
    return words[words.index("pipeline") + 1:]


def _years(root: Path, *names) -> Path:
    for name in names:
        (root / name).mkdir(parents=True)
    return root


# -- make help -------------------------------------------------------------------------------

@needs_make
def test_make_help_lists_every_target_in_indonesian():
    text = _make("help")
    lines = {ln.split()[1]: ln for ln in text.splitlines() if ln.startswith("  make ")}
    words = {"report": "bangun LKIP", "test": "jalankan seluruh tes",
             "verify": "bandingkan", "lab": "JupyterLab", "workbook": "tahun baru",
             "clean": "hapus", "schema-doc": "kamus data", "lint": "periksa"}
    for target, word in words.items():
        assert target in lines, target
        assert word in lines[target], lines[target]
    assert "tanpa YEAR: tahun terakhir" in lines["report"]
    assert "YEAR=2024 OUT=" in lines["workbook"] and "FROM=2024" in lines["workbook"]
    # every target with a recipe a user calls is in the list
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    phony = next(ln for ln in makefile.splitlines() if ln.startswith(".PHONY:")).split()[1:]
    assert set(phony) == set(lines)
    assert _make() == text  # `make` alone is `make help`


# -- make report without YEAR ----------------------------------------------------------------

def test_latest_year_is_the_newest_year_folder(tmp_path):
    raw = _years(tmp_path, "2022", "2024", "2023", "20245", "abcd", "data")
    (raw / "2026").write_text("a file, not a folder")
    assert runner.latest_year(raw) == 2024
    assert runner.year_folders(raw) == [2022, 2023, 2024]
    assert runner.latest_year(config.RAW) == 2024


def test_latest_year_without_year_folders_says_so(tmp_path):
    with pytest.raises(InputError, match="tidak ada folder data tahun"):
        runner.latest_year(tmp_path)
    with pytest.raises(InputError, match="folder data tidak ditemukan"):
        runner.latest_year(tmp_path / "tidak-ada")


def test_report_without_year_builds_the_latest_and_says_so(tmp_path, monkeypatch, capsys):
    raw = _years(tmp_path / "raw", "2023", "2024")
    calls = []

    def build(year, raw_root, out_root, processed_root, notebooks, **options):
        calls.append((year, raw_root))
        return out_root / str(year)

    monkeypatch.setattr(runner, "build", build)
    assert cli.main(["report", "--raw", str(raw), "--out", str(tmp_path / "out")]) == 0
    assert calls == [("2024", raw)]
    out = capsys.readouterr().out
    assert out.startswith("YEAR tidak disebut: membangun tahun terakhir, 2024\n")
    assert "LKIP 2024 selesai" in out
    assert cli.main(["report", "--year", "2023", "--raw", str(raw)]) == 0
    assert calls[-1] == ("2023", raw) and "tidak disebut" not in capsys.readouterr().out


@needs_make
def test_make_report_passes_year_only_when_given():
    assert _command("report") == ["report", "--raw", "data/raw", "--out", "outputs"]
    assert _command("report", "YEAR=2024") == [
        "report", "--year", "2024", "--raw", "data/raw", "--out", "outputs"]
    assert _command("verify") == ["verify", "--raw", "data/raw", "--out", "outputs"]
    assert _command("verify", "YEAR=2024", "PUBLISHED=arsip/2024") == [
        "verify", "--year", "2024", "--raw", "data/raw", "--out", "outputs",
        "--published", "arsip/2024"]


def test_missing_year_folder_suggests_starting_it_from_an_earlier_year(tmp_path):
    raw = _years(tmp_path, "2023", "2024")
    with pytest.raises(InputError) as info:
        runner.check_year("2025", raw)
    text = str(info.value)
    assert "folder data tahun ini tidak ditemukan" in text
    assert "make workbook YEAR=2025 FROM=2024" in text and f"RAW={raw}" in text
    with pytest.raises(InputError) as info:
        runner.check_year("2020", raw)
    assert "make workbook" not in str(info.value)
    with pytest.raises(InputError) as info:
        runner.check_year("2025", config.RAW)
    assert str(info.value).endswith("make workbook YEAR=2025 FROM=2024")  # default RAW


# -- make workbook ---------------------------------------------------------------------------

@needs_make
def test_make_workbook_command_lines():
    assert _command("workbook", "YEAR=2024", "OUT=file.xlsx") == [
        "workbook", "--year", "2024", "--raw", "data/raw", "--out", "file.xlsx"]
    assert _command("workbook", "YEAR=2025", "FROM=2024") == [
        "workbook", "--year", "2025", "--from", "2024", "--raw", "data/raw"]


@pytest.fixture
def workbook(monkeypatch):
    """A stand-in for pipeline.present.workbook (written elsewhere): records its calls."""
    calls = []
    fake = types.ModuleType("pipeline.present.workbook")

    def export(year, raw_root, out):
        calls.append(("export", year, raw_root, out))
        return out

    def start_year(year, from_year, raw_root):
        calls.append(("start_year", year, from_year, raw_root))
        return raw_root / str(year)

    def check_target(out, raw_root):
        return None

    fake.export, fake.start_year, fake.check_target = export, start_year, check_target
    monkeypatch.setitem(sys.modules, "pipeline.present.workbook", fake)
    return fake, calls


def test_workbook_exports_one_year(tmp_path, workbook, capsys):
    _, calls = workbook
    raw = _years(tmp_path / "raw", "2024")
    out = tmp_path / "lkip.xlsx"
    assert cli.main(["workbook", "--year", "2024", "--raw", str(raw), "--out", str(out)]) == 0
    assert calls == [("export", 2024, raw, out)]
    assert capsys.readouterr().out == f"Lembar kerja 2024 ditulis: {out}\n"


def test_workbook_starts_a_new_year(tmp_path, workbook, capsys):
    _, calls = workbook
    raw = _years(tmp_path / "raw", "2024")
    assert cli.main(["workbook", "--year", "2025", "--from", "2024", "--raw", str(raw)]) == 0
    assert calls == [("start_year", 2025, 2024, raw)]
    assert capsys.readouterr().out.strip().endswith(str(raw / "2025"))


def test_workbook_input_errors_exit_2_with_the_message(tmp_path, workbook, capsys):
    fake, calls = workbook
    raw = _years(tmp_path / "raw", "2024")

    def broken(year, raw_root, out):
        raise InputError([Defect("iku.csv", "kolom hilang", column="satuan")])

    fake.export = broken
    assert cli.main(["workbook", "--year", "2024", "--raw", str(raw), "--out", "x.xlsx"]) == 2
    assert "iku.csv, kolom 'satuan': kolom hilang" in capsys.readouterr().err
    # a FROM year without a folder: the message, before anything is written
    assert cli.main(["workbook", "--year", "2025", "--from", "2023", "--raw", str(raw)]) == 2
    assert "folder data tahun ini tidak ditemukan" in capsys.readouterr().err
    assert calls == []


def test_workbook_needs_out_or_from(tmp_path, workbook, capsys):
    raw = _years(tmp_path / "raw", "2024")
    assert cli.main(["workbook", "--year", "2024", "--raw", str(raw)]) == 2
    assert "OUT=<file.xlsx>" in capsys.readouterr().err
    assert cli.main(["workbook", "--from", "2024", "--raw", str(raw)]) == 2
    assert "YEAR=<tahun>" in capsys.readouterr().err
    assert cli.main(["workbook", "--year", "2025", "--from", "2024", "--out", "x.xlsx",
                     "--raw", str(raw)]) == 2
    assert workbook[1] == []


# -- make lab --------------------------------------------------------------------------------

def test_lab_command_binds_locally_and_allows_root_when_root(monkeypatch):
    monkeypatch.setattr(lab, "is_root", lambda: True)
    cmd = lab.command("/v/bin/jupyter")
    assert cmd[:2] == ["/v/bin/jupyter", "lab"]
    assert "--ip=127.0.0.1" in cmd and "--allow-root" in cmd
    assert f"--ServerApp.root_dir={config.ROOT}" in cmd
    assert "--LabApp.default_url=/lab/tree/notebooks" in cmd
    monkeypatch.setattr(lab, "is_root", lambda: False)
    assert "--allow-root" not in lab.command("jupyter")
    assert "--allow-root" in lab.command("jupyter", allow_root=True)  # LAB_ALLOW_ROOT=1
    assert lab.command("jupyter", port=9999, browser=False)[-2:] == ["--port=9999",
                                                                    "--no-browser"]


@needs_make
def test_make_lab_runs_the_lab_command():
    text = _make("-n", "lab")
    assert ".venv-lab/bin/python -m pipeline lab" in text and "--allow-root" not in text
    assert _command("lab", "LAB_ALLOW_ROOT=1") == ["lab", "--allow-root"]


def test_lab_banner_names_the_url_with_its_token():
    url = "http://127.0.0.1:8888/lab/tree/notebooks?token=abc123"
    text = lab.banner(url)
    assert f"\n    {url}\n" in text and "token" in text and "outputs/.scratch/" in text


FAKE_JUPYTER = """
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
port = s.getsockname()[1]
print(f"[I ServerApp] http://127.0.0.1:{port}/lab/tree/notebooks?token=t0k3n", file=sys.stderr)
sys.stderr.flush()
time.sleep(0.5)  # as Jupyter: the URL is logged a moment before it accepts connections
s.listen()
time.sleep(60)
"""


@dataclass
class LabRun:
    """What `make lab` said: its lines up to the URL, then its exit code and stderr."""

    lines: list[str] = field(default_factory=list)
    code: int | None = None
    err: str = ""


@contextlib.contextmanager
def lab_around(fake_jupyter: str, cwd: Path):
    """`make lab` (lab.run) around a stand-in for Jupyter given as Python code, up to the URL
    it prints once the server serves; on leaving, SIGTERM (passed on to the server) and what
    it said after."""
    code = ("import sys; from pipeline.run import lab; "
            f"sys.exit(lab.run([sys.executable, '-c', {fake_jupyter!r}]))")
    process = subprocess.Popen([sys.executable, "-c", code], cwd=cwd, text=True,
                               env={**os.environ, "PYTHONPATH": str(ROOT)},
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    run = LabRun()
    try:
        while not any(ln.startswith("    http://127.0.0.1:") for ln in run.lines):
            run.lines.append(process.stdout.readline())
            assert run.lines[-1], run.lines
        yield run
    finally:
        process.send_signal(signal.SIGTERM)
        _, run.err = process.communicate(timeout=10)
        run.code = process.returncode


def test_lab_says_its_url_once_it_serves_and_stops_with_it(tmp_path):
    with lab_around(FAKE_JUPYTER, tmp_path) as run:
        url = run.lines[-1].strip()
        assert "JupyterLab siap" in "".join(run.lines) and url.endswith("?token=t0k3n")
        with socket.socket() as s:
            s.settimeout(2)
            assert s.connect_ex(("127.0.0.1", int(url.split(":")[2].split("/")[0]))) == 0
    assert run.code != 0  # the server stopped with it


LAB_PYTHON = ROOT / ".venv-lab" / "bin" / "python"


@pytest.mark.skipif(not (ROOT / ".venv-lab" / "bin" / "jupyter-lab").exists(),
                    reason="JupyterLab is installed by `make lab` (.venv-lab)")
def test_lab_starts_serves_the_project_and_stops(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
           "JUPYTER_CONFIG_DIR": str(tmp_path / "config"), "PYTHONPATH": str(ROOT)}
    with open(tmp_path / "lab.log", "w") as log:
        proc = subprocess.Popen([str(LAB_PYTHON), "-m", "pipeline", "lab", "--no-browser",
                                 "--port", str(port)], cwd=ROOT, env=env, text=True,
                                stdout=subprocess.PIPE, stderr=log)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(ln) for ln in proc.stdout], daemon=True).start()
    try:
        url, seen = None, []
        while url is None:
            line = lines.get(timeout=30)
            seen.append(line)
            if line.startswith(f"    http://127.0.0.1:{port}/"):
                url = line.strip()
        assert "token=" in url and "/lab/tree/notebooks" in url, seen
        if lab.is_root():
            assert "--allow-root" in seen[0]
        token = url.split("token=")[1]
        with urllib.request.urlopen(url, timeout=10) as page:
            assert page.status == 200 and "JupyterLab" in page.read().decode("utf-8")
        api = f"http://127.0.0.1:{port}/api/contents/notebooks?token={token}"
        with urllib.request.urlopen(api, timeout=10) as listing:
            names = {item["name"] for item in json.load(listing)["content"]}
        assert set(config.STAGES) <= names
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", port)) != 0  # Jupyter stopped with it
