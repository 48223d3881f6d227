"""What can go wrong on the Dask cluster of `make batch`, and how the batch answers.

- A cluster with no worker: the scheduler keeps the tasks waiting forever. The batch asks the
  scheduler how many workers it has once a second; without one for NO_WORKER_SECONDS (or
  `--worker-wait`, `WORKER_WAIT=`) it stops with a message naming the scheduler and how to
  start workers.
- A worker lost while it held an agency-year: the scheduler hands that task to another worker.
  The batch learns it from the scheduler's own `remove-worker` events, to which it subscribes
  before submitting (see `LostWorkers`), and the agency's row says so.
- A batch that stops early (no worker, Ctrl-C) leaves nothing behind: the staging folders and
  lock files of the agency-years that did not finish are removed once no build holds their
  lock, and the temporary folder of a worker that died (`lkip-w<pid>-…`, which holds its
  kernel's folder) is removed by the next process on that machine that looks.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

from ..config import quarter_folder

NO_WORKER_SECONDS = 120  # a cluster without any worker this long fails the batch
WAIT_VARIABLE = "WORKER_WAIT"  # the make variable (and --worker-wait) that overrides it
CHECK_EVERY = 1.0  # seconds between two questions to the scheduler
POLL = 0.2  # seconds between two looks at the finished tasks
SCHEDULER_ENV = "DASK_SCHEDULER"
README_SECTION = "Banyak instansi sekaligus"

# a worker process's own temporary folder: its pid tells whether it is still alive
WORKER_TEMP = re.compile(r"lkip-w([0-9]+)-[A-Za-z0-9_]+")


class NoWorkers(RuntimeError):
    """The cluster had no worker for the set time; the message says what to do."""


# -- no worker -------------------------------------------------------------------------------

def no_worker_message(address: str, remote: bool, limit: int, done: int, total: int) -> str:
    """Names the cause, the scheduler and what to do next."""
    left = f"batch dihentikan: {done} dari {total} LKIP selesai, {total - done} tidak dibangun."
    if not remote:
        return (f"Semua worker lokal berhenti dan tidak ada yang hidup kembali selama "
                f"{limit} dtk; {left}\nPeriksa memori yang tersedia (sekitar 400 MB per "
                "worker) atau kurangi WORKERS, lalu jalankan ulang.")
    return (f"Tidak ada worker Dask yang terhubung ke scheduler {address} ({SCHEDULER_ENV}) "
            f"selama {limit} dtk; {left}\nJalankan worker di mesin yang membaca folder data "
            "dan keluaran pada jalur yang sama, dengan lingkungan Python proyek ini, mis. "
            f"`.venv/bin/dask worker {address} --nthreads 1` (README, bagian "
            f"\"{README_SECTION}\"), atau ubah batas tunggu dengan {WAIT_VARIABLE}=<detik> "
            f"(bawaan {NO_WORKER_SECONDS}).")


class WorkerWatch:
    """How long the cluster has been without a worker, asked of the scheduler at most once a
    second; `check()` raises NoWorkers once that reaches the limit."""

    def __init__(self, client, limit: int | None = None, address: str | None = None):
        """address: the scheduler as DASK_SCHEDULER names it; None for a local cluster."""
        self.client, self.remote = client, address is not None
        self.limit = limit or NO_WORKER_SECONDS
        self.address = address or client.scheduler.address
        self.since: float | None = None  # when the last worker went
        self.asked = float("-inf")

    def workers(self) -> int:
        """A client cut off from its scheduler knows of none (its tasks are then cancelled)."""
        return self.client.scheduler_info(n_workers=0).get("n_workers", 0)

    def check(self, done: int, total: int) -> float | None:
        """Seconds without a worker so far, or None while there is one."""
        now = time.monotonic()
        if now - self.asked >= CHECK_EVERY:
            self.asked = now
            if self.workers():
                self.since = None
            elif self.since is None:
                self.since = now
        if self.since is None:
            return None
        waited = now - self.since
        if waited >= self.limit:
            raise NoWorkers(no_worker_message(self.address, self.remote, self.limit, done,
                                              total))
        return waited


def waiting_note(waited: float, limit: int) -> str:
    return f"tidak ada worker Dask, menunggu {int(waited)}/{limit} dtk"


# -- a worker lost while it held a task ------------------------------------------------------

class LostWorkers:
    """The workers that left the cluster while holding one of this batch's tasks, per task.

    The scheduler logs a `remove-worker` event (topic `all`) with the tasks the worker was
    processing each time it loses one, just before it hands those tasks to another worker (and
    counts them towards KilledWorker): it is the scheduler's own record of a retry. Subscribing
    to it needs no code on the scheduler (a SchedulerPlugin would have to be importable in the
    scheduler's environment and stay registered after the batch) nor on the workers (a task
    cannot report its own worker's death), and, unlike reading the event log afterwards
    (`Client.get_events`: 1000 events per topic, on a topic every gather also writes to) or a
    task's story (the transition log: bounded too, its format internal), it loses nothing on a
    long batch. The keys
    carry a token of this run, so an earlier batch's events never count."""

    TOPIC = "all"

    def __init__(self, client, keys):
        self.keys = set(keys)
        self.lost: dict[str, list[str]] = defaultdict(list)
        self._lock = threading.Lock()
        self.client = client
        client.subscribe_topic(self.TOPIC, self._event)

    def _event(self, event) -> None:
        _, message = event
        if not isinstance(message, dict) or message.get("action") != "remove-worker":
            return
        with self._lock:
            for key in message.get("processing-tasks") or ():
                if key in self.keys:
                    self.lost[key].append(str(message.get("worker", "?")))

    def of(self, key: str) -> list[str]:
        with self._lock:
            return list(self.lost.get(key, ()))

    def close(self) -> None:
        with contextlib.suppress(Exception):  # the client may already be gone
            self.client.unsubscribe_topic(self.TOPIC)


def retry_note(workers: list[str], gave_up: bool = False) -> str:
    """The line an agency-year's row gets when workers were lost while they held it: handed
    on to another worker each time, or, after too many (distributed's allowed-failures), given
    up (gave_up: the task failed with KilledWorker)."""
    if not workers:
        return ""
    which = ", ".join(workers)
    if gave_up:
        return (f"Worker Dask hilang {len(workers)} kali saat memegang instansi-tahun ini "
                f"({which}); Dask tidak mencobanya lagi.")
    return (f"Dijadwalkan ulang {len(workers)} kali: worker Dask {which} hilang saat memegang "
            "instansi-tahun ini.")


# -- what a batch that stops early leaves ----------------------------------------------------

@contextlib.contextmanager
def _taken(lock: Path):
    """Whether this process holds a build's lock (runner._lock takes it with flock), kept
    while what it guards is removed; False while a build holds it."""
    import fcntl

    try:
        handle = os.open(lock, os.O_RDONLY | os.O_NOFOLLOW)
    except FileNotFoundError:
        yield True  # no lock file: no build guards anything here
        return
    except OSError:
        yield False  # a link or unreadable: not ours to judge, left as it is
        return
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield False
            return
        yield True
    finally:
        os.close(handle)  # closing releases the lock


def _remove(path: Path) -> None:
    """A folder, or a link or file in its place; links are never followed."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _documents(year: int) -> list[str]:
    """The documents one agency-year's build may begin: the annual report and each quarter
    (runner: `.build-<name>` and `.lock-<name>` in the output and processed folders)."""
    return [str(year)] + [quarter_folder(year, n) for n in range(1, 5)]


def clear_unfinished(jobs, existed: set[Path]) -> None:
    """The staging folders and lock files of agency-years that did not finish, and their
    folders when this batch made them and they are now empty. A lock a build still holds (a
    worker cut off from the scheduler may still be building) keeps what it guards."""
    for job in jobs:
        roots = (Path(job.processed_root), Path(job.out_root))
        for root in roots:
            for name in _documents(job.year):
                lock = root / f".lock-{name}"
                with _taken(lock) as ours:
                    if ours:
                        _remove(root / f".build-{name}")
                        _remove(lock)
        for folder in (*roots, Path(job.out_root).parent):
            if folder not in existed:
                with contextlib.suppress(OSError):
                    folder.rmdir()  # only when empty


def folders_before(jobs) -> set[Path]:
    """The folders a batch may create that already exist: those are never removed."""
    found = set()
    for job in jobs:
        for folder in (Path(job.processed_root), Path(job.out_root),
                       Path(job.out_root).parent):
            if folder.exists():
                found.add(folder)
    return found


@contextlib.contextmanager
def ctrl_c_ignored():
    """Processes started inside ignore Ctrl-C (an ignored signal stays ignored in a child, and
    Python keeps it so): a terminal sends it to every process of its group, and a local worker
    interrupted mid-build prints tracebacks and leaves its build half done. The batch takes it
    alone, stops its workers and clears what they left."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


# -- a worker process's temporary folder -----------------------------------------------------

def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # another user's process
    return True


def sweep_worker_temp(base: str | None = None) -> list[Path]:
    """Remove the temporary folders of worker processes that are gone (killed with their
    kernel, they could not remove them); a live worker's folder is never touched."""
    base = Path(base or tempfile.gettempdir())
    removed = []
    try:
        entries = list(os.scandir(base))
    except OSError:
        return removed
    for entry in entries:
        match = WORKER_TEMP.fullmatch(entry.name)
        if match is None or int(match.group(1)) == os.getpid() or _alive(int(match.group(1))):
            continue
        try:
            if not entry.is_dir(follow_symlinks=False) or \
                    entry.stat(follow_symlinks=False).st_uid != os.getuid():
                continue
        except OSError:
            continue
        shutil.rmtree(entry.path, ignore_errors=True)
        removed.append(Path(entry.path))
    return removed


class WorkerTemp:
    """A worker process's temporary folder, `<tmp>/lkip-w<pid>-…`: its kernel's folder, every
    other temporary folder of its builds (tempfile.tempdir) and those of its kernel (TMPDIR:
    WeasyPrint's font folder, which a stopped kernel never removes) go inside, so a worker
    killed mid-build leaves one folder, which the next process on that machine removes."""

    def __init__(self):
        self.base = tempfile.gettempdir()
        self.previous = (tempfile.tempdir, os.environ.get("TMPDIR"))
        sweep_worker_temp(self.base)
        self.folder = tempfile.mkdtemp(prefix=f"lkip-w{os.getpid()}-", dir=self.base)
        tempfile.tempdir = os.environ["TMPDIR"] = self.folder

    def close(self) -> None:
        """Back to the temporary folder the worker had, then remove its own."""
        if tempfile.tempdir == self.folder:
            tempfile.tempdir = self.previous[0]
        if os.environ.get("TMPDIR") == self.folder:
            if self.previous[1] is None:
                del os.environ["TMPDIR"]
            else:
                os.environ["TMPDIR"] = self.previous[1]
        shutil.rmtree(self.folder, ignore_errors=True)
