"""make batch on a Dask cluster that misbehaves: every worker lost, one worker lost mid-build,
and the kernels the workers hold once the batch is over.

The distributed cases run a scheduler and workers as separate processes (`dask scheduler`,
`dask worker --no-nanny`, each in its own session so that killing one takes nothing else), and
the batch as `python -m pipeline batch`, all with a private temporary folder. The data is the
smallest fixture (tests/fixtures/minimal, one document per agency-year).
"""

import contextlib
import csv
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import pytest

from pipeline import cli
from pipeline.run import batch, cluster

from .conftest import ROOT, default_sigint
from .test_commands import _command, _make, needs_make

MINIMAL = ROOT / "tests" / "fixtures" / "minimal" / "2025"
DASK = Path(sys.executable).with_name("dask")
GUARD = 180  # seconds any wait in these tests may last before it fails them (never asserted)
KERNEL = "ipykernel_launcher"


def _agencies(raw: Path, *names: str) -> Path:
    for name in names:
        shutil.copytree(MINIMAL, raw / name / "2025")
    return raw


def _until(what: str, found, guard: float = GUARD):
    """Poll until found() gives something; the guard only keeps a broken run from hanging."""
    deadline = time.monotonic() + guard
    while time.monotonic() < deadline:
        value = found()
        if value:
            return value
        time.sleep(0.05)
    pytest.fail(f"tidak terjadi dalam {guard} dtk: {what}")


def _kill(process: subprocess.Popen) -> None:
    """The process and everything in its session (a lost machine), reaped: a dead worker must
    not linger as a zombie, which still counts as alive."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=GUARD)


def _kernels(pid: int) -> list[int]:
    """The Jupyter kernels among a process's descendants."""
    try:
        children = psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []
    found = []
    for child in children:
        with contextlib.suppress(psutil.Error):
            if any(KERNEL in part for part in child.cmdline()):
                found.append(child.pid)
    return found


def _ours(temp: Path) -> list[str]:
    """What builds leave in a temporary folder: worker folders, kernel folders, PDF fonts."""
    return sorted(e.name for e in temp.iterdir()
                  if e.name.startswith(("lkip-", "weasyprint-")))


@dataclass
class Cluster:
    address: str
    temp: Path  # TMPDIR of the scheduler, the workers and the batch
    env: dict
    workers: dict[str, subprocess.Popen] = field(default_factory=dict)  # by address

    def batch(self, raw: Path, out: Path, *options: str) -> subprocess.Popen:
        """The batch with its stdout and stderr in files beside out (closed here once the
        process has them: an unclosed file warns later, in whichever test runs then)."""
        log = out.parent / f"{out.name}.log"
        with open(log.with_suffix(".out"), "w") as said, \
                open(log.with_suffix(".err"), "w") as told:
            return subprocess.Popen(
                [sys.executable, "-m", "pipeline", "batch", "--raw", str(raw), "--out",
                 str(out), *options], cwd=ROOT,
                env={**self.env, batch.SCHEDULER_ENV: self.address}, stdout=said, stderr=told)


def _finished(process: subprocess.Popen, out: Path) -> tuple[int, str, str]:
    code = process.wait(timeout=GUARD)
    log = out.parent / f"{out.name}.log"
    return (code, log.with_suffix(".out").read_text(encoding="utf-8"),
            log.with_suffix(".err").read_text(encoding="utf-8"))


@pytest.fixture
def dask_cluster(tmp_path):
    """A scheduler and two single-thread workers, each a process of its own session; a
    short TMPDIR (the kernel's sockets live under it, and a socket path is short)."""
    import distributed

    temp = Path(tempfile.mkdtemp(prefix="lkb-", dir="/tmp"))
    env = {**os.environ, "TMPDIR": str(temp), "DASK_SCHEDULER": ""}
    started: list[subprocess.Popen] = []

    def spawn(*args: str, log: str) -> subprocess.Popen:
        with open(tmp_path / log, "w") as said:
            process = subprocess.Popen([str(DASK), *args], cwd=ROOT, env=env,
                                       start_new_session=True, stdout=said,
                                       stderr=subprocess.STDOUT)
        started.append(process)
        return process

    try:
        info = tmp_path / "scheduler.json"
        spawn("scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
              "--scheduler-file", str(info), log="scheduler.log")
        address = _until("scheduler siap", lambda: info.exists() and info.stat().st_size and
                         json.loads(info.read_text())["address"])
        by_pid = {}
        for n in range(2):
            worker = spawn("worker", address, "--nthreads", "1", "--no-nanny",
                           "--no-dashboard", "--local-directory", str(tmp_path / "scratch"),
                           log=f"worker{n}.log")
            by_pid[worker.pid] = worker
        with distributed.Client(address, timeout=GUARD, set_as_default=False) as c:
            c.wait_for_workers(2, timeout=GUARD)
            pids = c.run(os.getpid)
        yield Cluster(address, temp, env, {a: by_pid[p] for a, p in pids.items()})
    finally:
        for process in reversed(started):
            _kill(process)
        shutil.rmtree(temp, ignore_errors=True)


# -- (a) every worker lost -------------------------------------------------------------------

def test_every_worker_lost_fails_the_batch_with_the_cause_and_leaves_nothing(
        dask_cluster, tmp_path):
    raw, out = _agencies(tmp_path / "raw", "dinas"), tmp_path / "keluaran"
    running = dask_cluster.batch(raw, out, "--worker-wait", "3")
    kernels = _until("kernel dinas 2025 berjalan", lambda: running.poll() is not None or [
        k for w in dask_cluster.workers.values() for k in _kernels(w.pid)])
    assert (out / "dinas" / ".build-2025").is_dir(), "batch selesai sebelum worker dimatikan"
    for worker in dask_cluster.workers.values():
        _kill(worker)
    code, said, told = _finished(running, out)
    address = dask_cluster.address
    assert code == 3, told
    assert said == f"Membangun 1 LKIP dari 1 instansi dengan cluster Dask {address}\n"
    assert told == (
        "[0/1] tidak ada worker Dask, menunggu 0/3 dtk\n"
        f"Tidak ada worker Dask yang terhubung ke scheduler {address} (DASK_SCHEDULER) "
        "selama 3 dtk; batch dihentikan: 0 dari 1 LKIP selesai, 1 tidak dibangun.\n"
        "Jalankan worker di mesin yang membaca folder data dan keluaran pada jalur yang sama, "
        f"dengan lingkungan Python proyek ini, mis. `.venv/bin/dask worker {address} "
        "--nthreads 1` (README, bagian \"Banyak instansi sekaligus\"), atau ubah batas tunggu "
        "dengan WORKER_WAIT=<detik> (bawaan 120).\n")
    # no staging folder, lock file or agency folder: the batch made OUT, and it is gone
    assert not out.exists()
    # the killed workers' folders (their kernels' folders inside) removed by the batch
    assert _ours(dask_cluster.temp) == []
    # the build's kernel died with its worker
    _until("kernel worker yang mati berhenti", lambda: not any(map(psutil.pid_exists, kernels)))


# -- (b) one worker lost mid-build, no kernel kept after the batch -------------------------

def _holder(workers: dict[str, subprocess.Popen], lock: Path) -> str | None:
    """The worker whose process holds the build's lock file (runner._lock keeps it open)."""
    for address, process in workers.items():
        with contextlib.suppress(psutil.Error):
            if any(Path(f.path) == lock for f in psutil.Process(process.pid).open_files()):
                return address
    return None


def test_a_worker_lost_mid_build_is_retried_elsewhere_and_named_in_the_summary(
        dask_cluster, tmp_path):
    """The other worker builds it again, and holds no kernel once the batch is over (a local
    cluster's worker: test_batch.py::test_a_worker_keeps_its_kernel_across_agencies_and_builds_
    the_same_bytes)."""
    raw, out = _agencies(tmp_path / "raw", "dinas"), tmp_path / "keluaran"
    running = dask_cluster.batch(raw, out)
    lock = out / "dinas" / ".lock-2025"
    lost = _until("worker memegang dinas 2025",
                  lambda: _holder(dask_cluster.workers, lock) or running.poll() is not None)
    assert lost in dask_cluster.workers, "batch selesai sebelum worker dimatikan"
    _kill(dask_cluster.workers[lost])
    code, said, told = _finished(running, out)
    note = (f"Dijadwalkan ulang 1 kali: worker Dask {lost} hilang saat memegang "
            "instansi-tahun ini.")
    assert code == 0, told
    # under the agency's line: what its documents found, then the note
    assert re.search(r"^  dinas     2025   ok  .*\n      temuan \(kesalahan/peringatan/catatan\)"
                     r": LKIP \d+/\d+/\d+.*\n      " + re.escape(note) + "\n", said, re.M)
    assert said.endswith("Semua 1 LKIP selesai dibangun.\n")
    assert "[1/1] dinas 2025: ok (" in told and told.endswith(f" — {note}\n")
    with open(out / "ringkasan.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {(r["instansi"], r["status"], r["pesan"]) for r in rows} == {("dinas", "ok", note)}
    assert (out / "dinas" / "2025" / "LKIP_2025.pdf").is_file()
    assert [p.name for p in (out / "dinas").glob(".build-*")] == []
    assert [p.name for p in (out / "dinas" / batch.PROCESSED).glob(".build-*")] == []
    # the lost worker's folder swept by the batch, the other's removed when it let go
    assert _ours(dask_cluster.temp) == []
    # the worker that built dinas after the loss still serves the cluster, and the batch's end
    # made it stop the kernel it built in
    [kept] = [w for address, w in dask_cluster.workers.items() if address != lost]
    assert kept.poll() is None
    assert _kernels(kept.pid) == []


# -- (c) Ctrl-C on a local batch -------------------------------------------------------------

@pytest.mark.slow  # builds a report on a local cluster
def test_ctrl_c_stops_a_local_batch_and_leaves_nothing(tmp_path):
    """Ctrl-C reaches every process of the terminal's group: the batch, not its worker, takes
    it, stops the worker and removes what the build of `a` had begun (`b` still waits for the
    worker; one worker shows it as well as two, with a kernel fewer to start)."""
    raw, out = _agencies(tmp_path / "raw", "a", "b"), tmp_path / "keluaran"
    temp = Path(tempfile.mkdtemp(prefix="lkb-", dir="/tmp"))
    try:
        running = subprocess.Popen(
            [sys.executable, "-m", "pipeline", "batch", "--raw", str(raw), "--out", str(out),
             "--workers", "1"], cwd=ROOT, start_new_session=True, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True, preexec_fn=default_sigint,
            env={**os.environ, "TMPDIR": str(temp), batch.SCHEDULER_ENV: ""})
        _until("kernel mulai", lambda: running.poll() is not None or _kernels(running.pid))
        assert running.poll() is None, "batch selesai sebelum Ctrl-C"
        os.killpg(running.pid, signal.SIGINT)
        said, told = running.communicate(timeout=GUARD)
        assert running.returncode == 130, told
        assert "Dibatalkan; keluaran sebelumnya tidak diubah." in told
        assert not out.exists()
        assert _ours(temp) == []
    finally:
        if running.poll() is None:
            os.killpg(running.pid, signal.SIGKILL)
        shutil.rmtree(temp, ignore_errors=True)


# -- pieces -----------------------------------------------------------------------------------

def test_the_no_worker_message_names_the_scheduler_and_what_to_do():
    assert cluster.no_worker_message("tcp://10.0.0.5:8786", True, 120, 3, 7) == (
        "Tidak ada worker Dask yang terhubung ke scheduler tcp://10.0.0.5:8786 "
        "(DASK_SCHEDULER) selama 120 dtk; batch dihentikan: 3 dari 7 LKIP selesai, 4 tidak "
        "dibangun.\nJalankan worker di mesin yang membaca folder data dan keluaran pada jalur "
        "yang sama, dengan lingkungan Python proyek ini, mis. `.venv/bin/dask worker "
        "tcp://10.0.0.5:8786 --nthreads 1` (README, bagian \"Banyak instansi sekaligus\"), "
        "atau ubah batas tunggu dengan WORKER_WAIT=<detik> (bawaan 120).")
    assert cluster.no_worker_message("tcp://127.0.0.1:40001", False, 30, 0, 2) == (
        "Semua worker lokal berhenti dan tidak ada yang hidup kembali selama 30 dtk; batch "
        "dihentikan: 0 dari 2 LKIP selesai, 2 tidak dibangun.\nPeriksa memori yang tersedia "
        "(sekitar 400 MB per worker) atau kurangi WORKERS, lalu jalankan ulang.")


class _Scheduler:
    address = "tcp://127.0.0.1:8786"


class _Client:
    """What WorkerWatch and LostWorkers ask of a distributed Client."""

    scheduler = _Scheduler()

    def __init__(self, workers: list[int]):
        self.counts, self.handlers = workers, {}

    def scheduler_info(self, n_workers):
        return {"n_workers": self.counts.pop(0)}

    def subscribe_topic(self, topic, handler):
        self.handlers[topic] = handler

    def unsubscribe_topic(self, topic):
        del self.handlers[topic]


def test_the_watch_counts_only_time_without_any_worker(monkeypatch):
    """Two workers, none for 2 s, one again (the count starts over), then none for 5 s."""
    clock = iter([0.0, 1.0, 3.0, 4.0, 5.0, 7.0, 9.0])
    monkeypatch.setattr(cluster.time, "monotonic", lambda: next(clock))
    watch = cluster.WorkerWatch(_Client([2, 0, 0, 1, 0, 0, 0]), 4, "tcp://kantor:8786")
    assert [watch.check(1, 3) for _ in range(5)] == [None, 0.0, 2.0, None, 0.0]
    assert watch.check(1, 3) == 2.0
    with pytest.raises(cluster.NoWorkers) as stopped:
        watch.check(1, 3)
    assert str(stopped.value).startswith(
        "Tidak ada worker Dask yang terhubung ke scheduler tcp://kantor:8786 (DASK_SCHEDULER) "
        "selama 4 dtk; batch dihentikan: 1 dari 3 LKIP selesai, 2 tidak dibangun.\n")
    assert cluster.waiting_note(2.7, 4) == "tidak ada worker Dask, menunggu 2/4 dtk"


def test_lost_workers_are_read_from_the_schedulers_remove_worker_events():
    client = _Client([])
    lost = cluster.LostWorkers(client, ["lkip-a-2025-x1", "lkip-b-2025-x1"])
    event = client.handlers["all"]
    event((1.0, {"action": "add-worker", "worker": "tcp://w1:1"}))
    event((2.0, {"action": "remove-worker", "worker": "tcp://w1:1",
                 "processing-tasks": ["lkip-a-2025-x1", "lkip-a-2025-x0"], "expected": False}))
    event((3.0, {"action": "remove-worker", "worker": "tcp://w2:2",
                 "processing-tasks": {"lkip-a-2025-x1"}, "expected": False}))
    event((4.0, {"action": "remove-worker", "worker": "tcp://w3:3", "processing-tasks": []}))
    assert lost.of("lkip-a-2025-x1") == ["tcp://w1:1", "tcp://w2:2"]
    assert lost.of("lkip-b-2025-x1") == [] and lost.of("lkip-a-2025-x0") == []
    assert cluster.retry_note(lost.of("lkip-a-2025-x1")) == (
        "Dijadwalkan ulang 2 kali: worker Dask tcp://w1:1, tcp://w2:2 hilang saat memegang "
        "instansi-tahun ini.")
    assert cluster.retry_note(["tcp://w1:1"] * 4, gave_up=True) == (
        "Worker Dask hilang 4 kali saat memegang instansi-tahun ini (tcp://w1:1, tcp://w1:1, "
        "tcp://w1:1, tcp://w1:1); Dask tidak mencobanya lagi.")
    assert cluster.retry_note([]) == ""
    lost.close()
    assert client.handlers == {}


def _job(out: Path, agency: str, year: int = 2025) -> batch.Job:
    return batch.Job(agency, year, "/nonexistent", str(out / agency),
                     str(out / agency / batch.PROCESSED))


def test_unfinished_agency_years_leave_no_staging_folder_nor_lock(tmp_path):
    """`a` was cut off mid-build (annual and TW1), `b` is still built by a live process (its
    lock is held), `c` had its own folder before the batch, and `a` 2024 is finished."""
    import fcntl

    out = tmp_path / "out"
    for root, names in ((out / "a", [".build-2025", ".build-2025-TW1", ".lock-2025",
                                     ".lock-2025-TW1", ".lock-2024", "2024"]),
                        (out / "a" / batch.PROCESSED, [".build-2025", ".lock-2025"]),
                        (out / "b", [".build-2025", ".lock-2025"]),
                        (out / "c", [".lock-2025"])):
        root.mkdir(parents=True, exist_ok=True)
        for name in names:
            (root / name).mkdir() if name.startswith((".build", "20")) else \
                (root / name).touch()
    existed = {out / "c"}
    with open(out / "b" / ".lock-2025") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        cluster.clear_unfinished([_job(out, "a"), _job(out, "b"), _job(out, "c")], existed)
    assert sorted(p.name for p in (out / "a").iterdir()) == [".lock-2024", "2024"]
    assert sorted(p.name for p in (out / "b").iterdir()) == [".build-2025", ".lock-2025"]
    assert list((out / "c").iterdir()) == []  # emptied, but it was there before: kept
    assert sorted(p.name for p in out.iterdir()) == ["a", "b", "c"]
    cluster.clear_unfinished([_job(out, "b")], existed)  # its build let go: nothing left
    assert not (out / "b").exists() and out.exists()


def test_only_dead_workers_temporary_folders_are_swept(tmp_path):
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        for name in (f"lkip-w{gone.pid}-abc_123", f"lkip-w{alive.pid}-abc_123",
                     f"lkip-w{os.getpid()}-abc_123", "lkip-build-abc", "lain"):
            (tmp_path / name).mkdir()
            (tmp_path / name / "isi").write_text("x")
        outside = tmp_path / "luar"
        outside.mkdir()
        (tmp_path / f"lkip-w{gone.pid}-tautan").symlink_to(outside)
        assert cluster.sweep_worker_temp(str(tmp_path)) == [
            tmp_path / f"lkip-w{gone.pid}-abc_123"]
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
            [f"lkip-w{alive.pid}-abc_123", f"lkip-w{os.getpid()}-abc_123", "lkip-build-abc",
             "lain", "luar", f"lkip-w{gone.pid}-tautan"])
        assert (outside).is_dir()
    finally:
        alive.kill()
        alive.wait()


def test_a_worker_keeps_its_temporary_things_in_one_folder_and_removes_it(tmp_path,
                                                                         monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setenv("TMPDIR", "/asal")
    own = cluster.WorkerTemp()
    assert Path(own.folder).parent == tmp_path
    assert Path(own.folder).name.startswith(f"lkip-w{os.getpid()}-")
    assert tempfile.gettempdir() == own.folder == os.environ["TMPDIR"]  # kernels inherit it
    Path(tempfile.mkdtemp(prefix="lkip-build-"))  # a kernel's folder
    own.close()
    assert tempfile.tempdir == str(tmp_path) and os.environ["TMPDIR"] == "/asal"
    assert list(tmp_path.iterdir()) == []


def test_processes_started_while_ctrl_c_is_ignored_ignore_it():
    """A local worker does not take the terminal's Ctrl-C: the batch does, and stops it."""
    show = [sys.executable, "-c",
            "import signal; print(signal.getsignal(signal.SIGINT) == signal.SIG_IGN)"]
    before = signal.getsignal(signal.SIGINT)
    with cluster.ctrl_c_ignored():
        inside = subprocess.run(show, capture_output=True, text=True, check=True).stdout
    assert inside == "True\n"
    assert signal.getsignal(signal.SIGINT) is before


def test_a_log_says_once_that_the_batch_waits_for_a_worker():
    lines = io.StringIO()
    progress = batch.AgencyProgress(7, lines)
    for note in (None, "tidak ada worker Dask, menunggu 0/120 dtk",
                 "tidak ada worker Dask, menunggu 1/120 dtk", None,
                 "tidak ada worker Dask, menunggu 0/120 dtk"):
        progress.tick(note)
    assert lines.getvalue() == "[0/7] tidak ada worker Dask, menunggu 0/120 dtk\n" * 2


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_the_elapsed_time_keeps_counting_while_nothing_finishes(monkeypatch):
    """tqdm draws its elapsed time only when the bar is drawn: tick() draws it."""
    screen = _Terminal()
    progress = batch.AgencyProgress(7, screen)
    drawn = len(screen.getvalue())
    monkeypatch.setattr(batch.time, "monotonic", lambda: progress.drawn + batch.TICK)
    progress.tick(None)
    assert len(screen.getvalue()) > drawn
    progress.tick("tidak ada worker Dask, menunggu 3/120 dtk")
    assert screen.getvalue().rstrip().endswith("tidak ada worker Dask, menunggu 3/120 dtk")
    progress.close()


# -- the command -----------------------------------------------------------------------------

@needs_make
def test_make_help_lists_dask_scheduler_and_worker_wait():
    text = " ".join(_make("help").split())
    assert "DASK_SCHEDULER=tcp://<host>:8786 (batch: cluster Dask yang sudah berjalan" in text
    assert (f"WORKER_WAIT=<detik> (batch: berhenti bila cluster tanpa worker selama itu, "
            f"bawaan {cluster.NO_WORKER_SECONDS})") in text
    assert _command("batch", "RAW=kiriman", "WORKER_WAIT=300") == [
        "batch", "--raw", "kiriman", "--out", "outputs", "--worker-wait", "300"]


def test_cli_takes_the_worker_wait(capsys):
    with pytest.raises(SystemExit) as done:
        cli.main(["batch", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert done.value.code == 0
    assert (f"--worker-wait DETIK hentikan batch bila cluster Dask tanpa worker selama DETIK "
            f"(bawaan {cluster.NO_WORKER_SECONDS})") in text
    with pytest.raises(SystemExit) as done:
        cli.main(["batch", "--raw", "x", "--worker-wait", "0"])
    assert done.value.code == 2 and "bilangan bulat positif" in capsys.readouterr().err
