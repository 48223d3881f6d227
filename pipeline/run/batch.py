"""Build the LKIP of many agencies in one run (`make batch`): a Bappeda or an Inspektorat
collects `<raw>/<agency>/<year>/` folders and gets `<out>/<agency>/<year>/` for each, plus one
summary table, `<out>/ringkasan.csv` and `<out>/ringkasan.html`.

Each agency-year is one `runner.build_year`, as `make report` runs it (the annual report, then
the report of every quarter with data), so its outputs are those of a single build. The builds
run in parallel on Dask distributed: a local cluster of worker processes by default, or an
existing cluster named by DASK_SCHEDULER. Each worker keeps one Jupyter kernel from one build to
the next, and stops it when the batch ends. One agency's bad data is caught inside its task and
becomes a `gagal` row; the others go on. What the cluster itself may do (lose a worker, have
none) is pipeline/cluster.py's.
"""

from __future__ import annotations

import contextlib
import csv
import html
import logging
import os
import re
import resource
import sys
import time
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pandas as pd

from .. import folders
from ..errors import DefectCollector, InputError, parameter, printable
from ..read import formatting as fmt
from ..read.numbers import round_half_up
from . import cluster
from .progress import TICK
from .progress import seconds as _seconds

# an agency folder name becomes a folder name under OUT: a plain name, never a path (matched
# whole, so that no trailing newline slips through as `$` would let it)
AGENCY_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
YEAR_FOLDER = re.compile(r"[0-9]{4}")
SUMMARY = "ringkasan"  # <out>/ringkasan.csv and <out>/ringkasan.html
RESERVED = {f"{SUMMARY}.csv", f"{SUMMARY}.html"}
# the processed tables of an agency: under its output folder, never inside the data
PROCESSED = ".olahan"
# sebagian: a year under way, its quarters' reports built and its annual report not yet
OK, FAILED, PARTIAL = "ok", "gagal", "sebagian"
DEFAULT_WORKERS = 2
MESSAGE_LINES = 6
SCHEDULER_ENV = cluster.SCHEDULER_ENV

# the columns of ringkasan.csv, in order: one row per IKU of each agency-year, one row for a
# failed agency-year; figures rounded as the report prints them, dot decimals
COLUMNS = ["instansi", "tahun", "status", "nama_instansi", "kode_iku", "indikator", "satuan",
           "target", "realisasi", "capaian", "keterangan", "predikat", "anggaran",
           "realisasi_anggaran", "penyerapan_anggaran", "temuan_error", "temuan_warning",
           "pesan"]


@dataclass(frozen=True)
class Job:
    """One agency-year, with the folders its build reads and writes (as text: it travels to
    a worker process, possibly on another machine)."""

    agency: str
    year: int
    raw_root: str
    out_root: str
    processed_root: str
    force: bool = False  # run every stage, also those whose inputs did not change


@dataclass
class Outcome:
    """What a task sends back: small and picklable, never a data frame or an exception."""

    agency: str
    year: int
    status: str
    message: str = ""
    seconds: float = 0.0
    rss_mb: float = 0.0  # peak resident memory of the worker process so far
    kernel_rss_mb: float = 0.0  # largest finished child (the Jupyter kernels) so far
    rows: list[dict] = field(default_factory=list)
    quarters: list[str] = field(default_factory=list)  # the quarterly reports built (I-IV)
    # each published document's findings by severity: ("LKIP", counts), ("TW I", counts), ...
    findings: list[tuple[str, dict[str, int]]] = field(default_factory=list)


# -- finding the agency-years ------------------------------------------------------------------

def _agency_problem(entry: os.DirEntry) -> str | None:
    """Why a RAW entry is not an agency folder; links are never followed."""
    if entry.is_symlink():
        return "tautan (symlink) tidak diikuti"
    if not AGENCY_PATTERN.fullmatch(entry.name):
        return ("nama folder tidak aman: hanya huruf, angka, '.', '_' dan '-', diawali huruf "
                "atau angka")
    if entry.name in RESERVED:
        return f"nama ini dipakai tabel ringkasan di folder keluaran ({SUMMARY}.csv/.html)"
    if not entry.is_dir(follow_symlinks=False):
        return "bukan folder"
    return None


def _years(agency: Path, only: int | None, skipped: list[str]) -> list[int]:
    """The year folders of one agency (links skipped with a message)."""
    years = []
    with os.scandir(agency) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            if not YEAR_FOLDER.fullmatch(entry.name):
                continue
            if entry.is_symlink():
                skipped.append(f"{agency.name}/{entry.name} dilewati: tautan (symlink) tidak "
                               "diikuti")
            elif entry.is_dir(follow_symlinks=False):
                years.append(int(entry.name))
    if only is not None:
        years = [y for y in years if y == only]
    if not years:
        which = f"folder tahun {only}" if only is not None else "folder tahun (mis. 2025/)"
        skipped.append(f"{agency.name} dilewati: tidak ada {which}")
    return years


def _no_agencies(raw: Path, only: int | None) -> None:
    problems = DefectCollector()
    expected = "satu folder per instansi berisi folder tahun: <RAW>/<instansi>/<tahun>/"
    if any(YEAR_FOLDER.fullmatch(p.name) for p in raw.iterdir()):
        expected += (f"; {raw} berisi folder tahun (data satu instansi): bangun dengan "
                     f"make report RAW={raw}")
    problems.add(str(raw), "tidak ada LKIP instansi untuk dibangun",
                 value=None if only is None else str(only), expected=expected)
    problems.raise_if_any()


def _only_year(text: str | None) -> int | None:
    if text is None or str(text) == "":
        return None
    if not YEAR_FOLDER.fullmatch(str(text)):
        raise parameter("YEAR", "tahun laporan tidak sah", str(text),
                        "tahun empat digit, mis. YEAR=2025, atau tanpa YEAR: setiap tahun")
    return int(text)


def discover(raw: Path, out: Path, year: str | int | None = None, force: bool = False
             ) -> tuple[list[Job], list[str]]:
    """Every agency-year under raw, sorted by agency then year, and a message for each entry
    that is skipped (unsafe name, link, file, no year folder)."""
    raw, out = Path(raw).absolute(), Path(out).absolute()
    year = _only_year(year)
    if not raw.is_dir():
        problems = DefectCollector()
        problems.add(str(raw), "folder data tidak ditemukan", value=str(raw),
                     expected="folder berisi satu folder per instansi: <RAW>/<instansi>/<tahun>/")
        problems.raise_if_any()
    # OUT inside RAW would make the outputs look like an agency next time; RAW inside OUT
    # could be written over by an agency's outputs
    folders.check_apart([raw], {folders.OUT: out})
    jobs, skipped = [], []
    with os.scandir(raw) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            problem = _agency_problem(entry)
            if problem:
                skipped.append(f"{entry.name!r} dilewati: {problem}")
                continue
            agency_out = out / entry.name
            for y in _years(raw / entry.name, year, skipped):
                jobs.append(Job(entry.name, y, str(raw / entry.name), str(agency_out),
                                str(agency_out / PROCESSED), force))
    if not jobs:
        _no_agencies(raw, year)
    return jobs, skipped


# -- one agency-year, in a worker ----------------------------------------------------------

def failure_message(exc: BaseException) -> str:
    """The first lines of what `make report` would have said, as the summary shows it."""
    from .runner import SetupError, StageError, os_message

    if isinstance(exc, InputError):
        text = str(exc)
    elif isinstance(exc, StageError):
        text = f"Tahap notebook gagal: {exc}"
    elif isinstance(exc, SetupError):
        text = f"Persiapan gagal: {exc}"
    elif isinstance(exc, OSError):
        text = os_message(exc)
    else:
        text = f"Kesalahan: {type(exc).__name__}: {exc}"
    lines = printable(text, keep="\n").strip().splitlines()  # names from received files
    if len(lines) > MESSAGE_LINES:
        lines = lines[:MESSAGE_LINES] + [f"… ({len(lines) - MESSAGE_LINES} baris lagi)"]
    return "\n".join(lines)


def _mb(maxrss: int) -> float:
    """ru_maxrss is in kilobytes on Linux and in bytes on macOS."""
    return round(maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


def _kernel_peak_mb(session) -> float:
    """The peak memory of the worker's kernel while it runs (Linux: VmHWM), else that of the
    largest finished child."""
    pid = session.kernel_pid() if session is not None else None
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except (OSError, ValueError):
        pass
    return _mb(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)


def peak_rss(session=None) -> dict:
    """Peak memory of this worker process and of its kernel."""
    return {"rss_mb": _mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss),
            "kernel_rss_mb": _kernel_peak_mb(session)}


# -- one kernel per worker, kept across its builds -------------------------------------------

_SESSION = None  # this worker process's Session: its kernel starts and imports once
_TEMP = None  # this worker process's temporary folder (cluster.WorkerTemp), the kernel's inside


def worker_session():
    """The kernel a worker keeps from one agency-year to the next: starting it and importing
    pandas, matplotlib and WeasyPrint takes about 3 s of a 14 s build. A build that fails
    restarts it (runner.publish), so a broken kernel never serves the next agency. It lives in
    the worker's own temporary folder, which the next process removes if this one is killed."""
    global _SESSION, _TEMP
    if _SESSION is None:
        from .runner import Session

        _TEMP = _TEMP or cluster.WorkerTemp()
        _SESSION = Session()
    return _SESSION


def close_worker_session(abandon: bool = False) -> int | None:
    """Stop the worker's kernel and remove its temporary folder; returns the kernel's process
    id, or None when there was none (`client.run` calls it on every worker at the end of a
    batch: an idle kernel holds about 250 MB). abandon: the kernel may be in use by a build
    (the worker closes mid-batch), so it is killed, which is safe from any thread, and the
    temporary folder stays for that build to finish failing in; it is removed once this
    process is gone (cluster.sweep_worker_temp)."""
    global _SESSION, _TEMP
    pid = None
    if _SESSION is not None:
        pid = _SESSION.kernel_pid()
        if abandon:
            _SESSION.abandon()
            _reap(pid)
        else:
            _SESSION.close()
        _SESSION = None
    if _TEMP is not None and not abandon:
        _TEMP.close()
        _TEMP = None
    return pid


def _reap(pid: int | None) -> None:
    """Wait for a killed kernel, so that it does not stay a zombie child of the worker."""
    if pid is not None:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)


def _kernel_keeper():
    """A Dask worker plugin that stops the worker's kernel when the worker closes, also in
    the middle of a build (Ctrl-C, a cluster shut down); not when the next batch registers it
    again, which would cut short a build a cancelled batch left running. Built lazily:
    distributed is imported only by batch runs."""
    from distributed.diagnostics.plugin import WorkerPlugin

    class KernelKeeper(WorkerPlugin):
        name = "lkip-kernel"

        def teardown(self, worker) -> None:
            if worker.status.name in ("running", "paused"):
                return  # replaced by the next batch's plugin: the worker goes on
            close_worker_session(abandon=True)

    return KernelKeeper()


def _rounded(value, places: int):
    return None if value is None else round_half_up(Decimal(value), places)


def _as_figure(value, unit):
    """A value for the machine-readable summary: rounded as printed; a label (an IKU measured
    on a scale of labels) as the label, not its position."""
    if unit.scale is None or value is None:
        return _rounded(value, unit.desimal)
    return unit.show(value)


def summary_rows(job: Job, published: Path, processed: Path) -> list[dict]:
    """The agency-year's rows of the summary, read from what its build wrote: the typed
    processed tables (ringkasan_iku.csv, anggaran_total.csv) and its findings, so every figure
    is the report's own, rounded as the report prints it."""
    from ..check import findings
    from ..compute import results
    from ..read import clean, units

    ds = clean.load_processed(processed, job.year)
    tables = results.read(processed)
    found = findings.read(published)
    unit_of = units.by_iku(ds["iku.csv"])
    total = tables["anggaran_total.csv"].iloc[0]
    common = {
        "instansi": job.agency, "tahun": job.year, "status": OK,
        "nama_instansi": ds["instansi.csv"].iloc[0]["nama_instansi"],
        "anggaran": total["anggaran"], "realisasi_anggaran": total["realisasi"],
        "penyerapan_anggaran": _rounded(total["persentase"], 2),
        "temuan_error": sum(f.severity == findings.ERROR for f in found),
        "temuan_warning": sum(f.severity == findings.WARNING for f in found),
        "pesan": "",
    }
    rows = []
    for r in tables["ringkasan_iku.csv"].to_dict("records"):
        unit = unit_of[r["kode_iku"]]
        rows.append({**common, "kode_iku": r["kode_iku"], "indikator": r["indikator"],
                     "satuan": unit.satuan,
                     "target": _as_figure(r["target_pk"], unit),
                     "realisasi": _as_figure(r["realisasi"], unit),
                     "capaian": _rounded(r["capaian"], 2), "keterangan": r["keterangan"],
                     "predikat": r["predikat"],
                     # the printed forms, for the HTML: `12 dokumen`, `85,00%`
                     "_target": unit.show(r["target_pk"]),
                     "_realisasi": unit.show(r["realisasi"])})
    return rows or [common]


def build_one(job: Job) -> Outcome:
    """Build one agency-year in this worker; any failure becomes the outcome's message, so
    one agency's bad data never stops the others."""
    from ..present import charts
    from . import runner

    # the workers are the parallelism: a build does not also split its charts over the cores
    os.environ[charts.PROCESSES_ENV] = "1"
    started = time.perf_counter()
    rows, quarters, found = [], [], []
    try:
        built = runner.build_year(str(job.year), Path(job.raw_root), Path(job.out_root),
                                  Path(job.processed_root), force=job.force,
                                  shared=worker_session())
        if built.annual is not None:
            rows = summary_rows(job, built.annual, Path(job.processed_root) / str(job.year))
        quarters = [tw for tw, result in built.quarters if isinstance(result, Path)]
        found = document_findings(built)
        status, message = _quarters_failed(built.quarters)
        if built.annual is None and status == OK:
            status, message = PARTIAL, _waiting(job.year, built)
    except Exception as exc:  # noqa: BLE001 - reported as the agency's row, never raised
        status, message = FAILED, failure_message(exc)
    return Outcome(job.agency, job.year, status, message,
                   round(time.perf_counter() - started, 1), rows=rows, quarters=quarters,
                   findings=found, **peak_rss(_SESSION))


def document_findings(built) -> list[tuple[str, dict[str, int]]]:
    """The findings of each document an agency-year published, by severity."""
    from ..present import summary

    annual = [("LKIP", built.annual)] if built.annual is not None else []  # a year under way
    folders = annual + [(f"TW {tw}", result) for tw, result in built.quarters
                        if isinstance(result, Path)]
    return [(name, summary.counts(found)) for name, folder in folders
            if (found := summary.read(folder)) is not None]


def _waiting(year: int, built) -> str:
    """A year under way: what its annual report still needs, as `make report` says it."""
    from .runner import waiting_line

    lines = [f"{waiting_line(year, built)}:"] + [printable(f"  - {d}")
                                                 for d in built.waiting.defects]
    if len(lines) > MESSAGE_LINES:
        lines = lines[:MESSAGE_LINES] + [f"… ({len(lines) - MESSAGE_LINES} baris lagi)"]
    return "\n".join(lines)


def _quarters_failed(quarters: list) -> tuple[str, str]:
    """As `make report`: the annual report is published, but a quarter that failed fails the
    agency-year, with the quarter named."""
    failed = [(tw, result) for tw, result in quarters if isinstance(result, BaseException)]
    if not failed:
        return OK, ""
    return FAILED, "\n".join(f"Laporan triwulan {tw} gagal: {failure_message(error)}"
                             for tw, error in failed)


# -- the cluster ---------------------------------------------------------------------------

# A local worker's own bookkeeping takes CPU from the builds it runs: its statistical profiler
# walks the build's stack every 10 ms, its event loop checks its own health 50 times a second,
# and its memory and system monitors wake 2-10 times a second. No dashboard shows them here;
# memory is still watched, once a second.
QUIET_WORKERS = {
    "distributed.worker.profile.enabled": False,
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.admin.tick.interval": "500ms",
}


@contextlib.contextmanager
def client(workers: int | None = None):
    """A Dask client: on the cluster DASK_SCHEDULER names, else on a local cluster of worker
    processes with one thread each, so that a worker holds one build (and its kernel) at a
    time and its peak memory is that of one build."""
    import dask
    from distributed import Client, LocalCluster

    from .runner import SetupError

    # the scheduler's and nannies' start and stop lines say nothing to an analyst
    logging.getLogger("distributed").setLevel(logging.ERROR)
    address = os.environ.get(SCHEDULER_ENV)
    if address:
        try:
            remote = Client(address, timeout="15s")
        except OSError as exc:
            raise SetupError(f"tidak dapat terhubung ke scheduler Dask {address} "
                             f"({SCHEDULER_ENV}): {exc}") from None
        with remote:
            yield remote
        return
    with dask.config.set(QUIET_WORKERS):
        with cluster.ctrl_c_ignored():  # by the worker processes started here
            local = LocalCluster(n_workers=workers or DEFAULT_WORKERS, threads_per_worker=1,
                                 processes=True, dashboard_address=None,
                                 silence_logs=logging.ERROR)
        with local, Client(local) as c:
            yield c


def release_workers(c) -> dict:
    """Every worker stops its kernel: the batch is over, and an idle kernel holds about 250 MB
    of each worker's memory until the worker stops. Returns the kernels stopped, by worker
    (none when the scheduler is gone: the outcomes already say so)."""
    if c.status != "running":
        return {}
    return c.run(close_worker_session, on_error="ignore")


def _crashed(job: Job, exc: BaseException) -> Outcome:
    """A task that did not return (its worker died, the cluster went away)."""
    return Outcome(job.agency, job.year, FAILED, printable(
        f"Worker Dask berhenti sebelum selesai: {type(exc).__name__}: {exc}", keep="\n"))


def headline(message: str) -> str:
    """One line of a failure: `Data masukan tidak valid (1 masalah):` alone says too little,
    so a heading is joined to the first item below it."""
    lines = [line.strip().removeprefix("- ") for line in message.splitlines() if line.strip()]
    if len(lines) > 1 and lines[0].endswith(":"):
        return f"{lines[0]} {lines[1]}"
    return lines[0] if lines else ""


class AgencyProgress:
    """done/total and the agency just finished: a bar on a terminal, one line per agency-year
    otherwise (logs, CI)."""

    def __init__(self, total: int, stream=None):
        self.stream = stream or sys.stderr
        self.total, self.done = total, 0
        self.bar = None
        self.last = ""  # the agency-year just finished, shown after the bar
        self.note: str | None = None  # what the batch waits for, while it waits
        self.drawn = time.monotonic()
        if self.stream.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, file=self.stream, unit="LKIP", desc="LKIP",
                            dynamic_ncols=True,
                            bar_format="{desc} {n_fmt}/{total_fmt} |{bar}| {elapsed}"
                                       "{postfix}")

    def finished(self, outcome: Outcome) -> None:
        self.done += 1
        what = f"{outcome.agency} {outcome.year}: {outcome.status}"
        first = headline(outcome.message)
        if self.bar is None:
            line = f"[{self.done}/{self.total}] {what} ({_seconds(outcome.seconds)})"
            print(line + (f" — {first}" if first else ""), file=self.stream, flush=True)
            return
        if first:
            self.bar.write(f"{what} — {first}", file=self.stream)
        self.last = what
        self.bar.set_postfix_str(what, refresh=False)
        self.bar.update(1)

    def tick(self, note: str | None = None) -> None:
        """While no agency-year finishes: the elapsed time keeps counting on a terminal, with
        what the batch waits for; a log gets one line when the waiting starts."""
        if self.bar is None:
            if note and not self.note:
                print(f"[{self.done}/{self.total}] {note}", file=self.stream, flush=True)
        elif note != self.note or time.monotonic() - self.drawn >= TICK:
            self.bar.set_postfix_str(note or self.last, refresh=False)
            self.bar.refresh()
            self.drawn = time.monotonic()
        self.note = note

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def estimated_cost(job: Job) -> tuple[int, int]:
    """How much a job builds, to start the largest first (a large one started last keeps one
    worker busy while the others wait): its documents (the annual report and each quarter
    with data, from the quarterly CSV files) and then the bytes of its data files."""
    from .runner import _quarters_in

    folder = Path(job.raw_root) / str(job.year)
    try:
        quarters = _quarters_in(folder / "triwulan_kinerja.csv") | \
            _quarters_in(folder / "triwulan_keuangan.csv")
        size = sum(e.stat(follow_symlinks=False).st_size for e in os.scandir(folder)
                   if e.is_file(follow_symlinks=False))
    except (OSError, ValueError, UnicodeError, csv.Error):
        return 1, 0  # the build itself says what is wrong with the folder
    return 1 + len(quarters), size


def _priorities(jobs: list[Job]) -> dict[Job, int]:
    """Dask runs the highest priority first: the largest job gets the highest."""
    ranked = sorted(jobs, key=estimated_cost)
    return {job: rank for rank, job in enumerate(ranked)}


def run(jobs: list[Job], workers: int | None = None, progress: AgencyProgress | None = None,
        wait: int | None = None) -> list[Outcome]:
    """Every job on the cluster, the largest first; outcomes sorted by agency then year.
    A cluster without a worker for `wait` seconds (cluster.NO_WORKER_SECONDS) raises
    cluster.NoWorkers; whatever stops the batch early, the agency-years that did not finish
    leave no staging folder, lock file or temporary folder behind."""
    progress = progress or AgencyProgress(len(jobs))
    outcomes: list[Outcome] = []
    existed = cluster.folders_before(jobs)
    try:
        with client(workers) as c:
            _run_on(c, jobs, wait, progress, outcomes)
    except BaseException:
        finished = {(o.agency, o.year) for o in outcomes}
        cluster.clear_unfinished([j for j in jobs if (j.agency, j.year) not in finished],
                                 existed)
        raise
    finally:
        progress.close()
        cluster.sweep_worker_temp()  # a local worker killed mid-build
    return sorted(outcomes, key=lambda o: (o.agency, o.year))


def _run_on(c, jobs: list[Job], wait: int | None, progress: AgencyProgress,
            outcomes: list[Outcome]) -> None:
    """Submit every job, collect the outcomes as they come, watch that the cluster has a
    worker, and have the workers stop their kernels at the end."""
    from distributed import as_completed
    from distributed.utils import CancelledError

    c.register_plugin(_kernel_keeper())
    token = uuid.uuid4().hex[:8]  # this run's keys: another run's events never count
    keys = {job: f"lkip-{job.agency}-{job.year}-{token}" for job in jobs}
    lost = cluster.LostWorkers(c, keys.values())
    watch = cluster.WorkerWatch(c, wait, os.environ.get(SCHEDULER_ENV) or None)
    priority = _priorities(jobs)
    futures = {c.submit(build_one, job, key=keys[job], pure=False, priority=priority[job]): job
               for job in jobs}
    try:
        pending = as_completed(futures)
        while not pending.is_empty():
            for future in pending.next_batch(block=False):
                crashed = False
                try:
                    outcome = future.result()
                except (Exception, CancelledError) as exc:  # the worker, not the build, failed
                    outcome, crashed = _crashed(futures[future], exc), True
                note = cluster.retry_note(lost.of(future.key), gave_up=crashed)
                outcome.message = "\n".join(filter(None, (outcome.message, note)))
                outcomes.append(outcome)
                progress.finished(outcome)
            if not pending.is_empty() and not pending.has_ready():
                waited = watch.check(len(outcomes), len(jobs))
                progress.tick(None if waited is None else
                              cluster.waiting_note(waited, watch.limit))
                time.sleep(cluster.POLL)
    except BaseException:
        c.cancel(list(futures))
        if watch.remote:
            _release_later(c, token)
        raise
    finally:
        lost.close()
    release_workers(c)


def _release_later(c, token: str) -> None:
    """After Ctrl-C on a cluster: a build already running on a worker cannot be cut short, so
    each worker gets a task that stops its kernel once that build is over, a task that outlives
    this client (fire_and_forget). A local cluster stops with the batch."""
    from distributed import fire_and_forget

    with contextlib.suppress(Exception):  # the cluster may be what failed
        for n, address in enumerate(c.scheduler_info()["workers"]):
            fire_and_forget(c.submit(close_worker_session, key=f"lkip-lepas-{token}-{n}",
                                     workers=[address], allow_other_workers=False,
                                     pure=False))


# -- the summary ---------------------------------------------------------------------------

def summary_frame(outcomes: list[Outcome]) -> pd.DataFrame:
    """One row per IKU of each built agency-year, one row per failed one, sorted by agency
    then year (then IKU, in the report's order)."""
    rows = []
    for o in sorted(outcomes, key=lambda o: (o.agency, o.year)):
        if o.rows:  # the annual report was built (a failed quarter is in its message)
            rows.extend({**row, "status": o.status, "pesan": o.message} for row in o.rows)
        else:
            rows.append({"instansi": o.agency, "tahun": o.year, "status": o.status,
                         "pesan": o.message})
    frame = pd.DataFrame(rows, columns=COLUMNS + ["_target", "_realisasi"], dtype=object)
    return frame.astype(object).where(frame.notna(), None)


def _replace(path: Path, write) -> Path:
    """Write beside the target and rename over it: a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        write(temporary)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return path


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    from ..read.clean import write_frame

    return _replace(path, lambda p: write_frame(frame[COLUMNS], p))


def _title(frame: pd.DataFrame) -> str:
    return f"Ringkasan LKIP {frame['instansi'].nunique()} instansi"


# The tables are great_tables objects with fixed ids (their HTML is then the same on every
# run). Numbers go through pipeline.read.formatting (GT.fmt), not fmt_number(locale="id"): that one
# rounds floats half to even (105,625 gives 105,62) where the report rounds half up (105,63).

def _agency_table(frame: pd.DataFrame):
    """Table 1: one row per agency-year (budget, findings, status and message)."""
    from great_tables import GT, loc, style

    first = frame.drop_duplicates(["instansi", "tahun"]).copy()
    first["jumlah_iku"] = [int(((frame["instansi"] == a) & (frame["tahun"] == y)
                                & frame["kode_iku"].notna()).sum()) or None
                           for a, y in zip(first["instansi"], first["tahun"])]
    first["tahun"] = first["tahun"].astype(str)
    failed = [i for i, status in enumerate(first["status"]) if status == FAILED]
    shown = first[["instansi", "tahun", "nama_instansi", "status", "jumlah_iku", "anggaran",
                   "realisasi_anggaran", "penyerapan_anggaran", "temuan_error",
                   "temuan_warning", "pesan"]].reset_index(drop=True)
    return (GT(shown, id=SUMMARY)
            .cols_label(instansi="Instansi", tahun="Tahun", nama_instansi="Nama instansi",
                        status="Status", jumlah_iku="IKU", anggaran="Anggaran (Rp)",
                        realisasi_anggaran="Realisasi (Rp)",
                        penyerapan_anggaran="Penyerapan anggaran",
                        temuan_error="Temuan kesalahan", temuan_warning="Temuan peringatan",
                        pesan="Pesan")
            .fmt(fmt.number, columns=["jumlah_iku", "anggaran", "realisasi_anggaran",
                                      "temuan_error", "temuan_warning"])
            .fmt(fmt.percent, columns=["penyerapan_anggaran"])
            .sub_missing(missing_text="–")
            .cols_align("right", columns=["tahun", "jumlah_iku"])
            .tab_style(style.text(whitespace="pre-line", size="smaller"),
                       loc.body(columns="pesan"))
            .tab_style([style.text(color="#b00020", weight="bold")],
                       loc.body(columns="status", rows=failed))
            .tab_style(style.text(whitespace="nowrap"),
                       loc.body(columns=["instansi", "anggaran", "realisasi_anggaran",
                                         "penyerapan_anggaran"]))
            .tab_options(table_width="100%"))


def _iku_table(frame: pd.DataFrame):
    """Table 2: every IKU of the built agency-years, grouped by agency-year."""
    from great_tables import GT, loc, style

    built = frame[frame["kode_iku"].notna()].copy()
    built["kelompok"] = [f"{a} · {y} · {n}" for a, y, n in
                         zip(built["instansi"], built["tahun"], built["nama_instansi"])]
    shown = built[["kelompok", "kode_iku", "indikator", "satuan", "_target", "_realisasi",
                   "capaian", "keterangan", "predikat"]].reset_index(drop=True)
    return (GT(shown, id=f"{SUMMARY}-iku", groupname_col="kelompok")
            .cols_label(kode_iku="Kode", indikator="Indikator kinerja utama", satuan="Satuan",
                        _target="Target", _realisasi="Realisasi", capaian="Capaian",
                        keterangan="Keterangan", predikat="Predikat")
            .fmt(fmt.percent, columns=["capaian"])
            .sub_missing(missing_text="–")
            .cols_align("right", columns=["_target", "_realisasi", "capaian"])
            .tab_style(style.text(weight="bold"), loc.row_groups())
            .tab_options(table_width="100%"))


PAGE = """<!DOCTYPE html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: system-ui, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
        margin: 1.5rem 2rem; color: #222; }}
h1 {{ font-size: 1.5rem; margin-bottom: 0.25rem; }}
h2 {{ font-size: 1.15rem; margin-top: 2rem; }}
p.lead {{ margin-top: 0; color: #555; }}
</style>
</head>
<body>
<h1>{title}</h1>
<p class="lead">{lead}</p>
<h2>Per instansi dan tahun</h2>
{agencies}
<h2>Capaian indikator kinerja utama</h2>
{iku}
</body>
</html>
"""


def _lead(frame: pd.DataFrame) -> str:
    years = frame.drop_duplicates(["instansi", "tahun"])
    failed = int((years["status"] == FAILED).sum())
    partial = int((years["status"] == PARTIAL).sum())
    text = (f"{len(years)} LKIP (instansi × tahun): {len(years) - failed - partial} berhasil "
            "dibangun")
    if partial:
        text += f", {partial} sebagian (tahun berjalan: laporan triwulan saja)"
    text += f", {failed} gagal." if failed else "."
    return text + (" Angka seperti tercetak pada laporan masing-masing instansi; penyerapan "
                   "anggaran = jumlah realisasi ÷ jumlah anggaran seluruh program × 100.")


def summary_html(frame: pd.DataFrame) -> str:
    """One self-contained page (no script, nothing fetched): the same rows as the CSV, numbers
    in Indonesian format through pipeline.read.formatting."""
    return PAGE.format(title=html.escape(_title(frame)), lead=html.escape(_lead(frame)),
                       agencies=_agency_table(frame).as_raw_html(),
                       iku=_iku_table(frame).as_raw_html())


def write_summary(outcomes: list[Outcome], out: Path) -> tuple[Path, Path]:
    frame = summary_frame(outcomes)
    csv = write_csv(frame, Path(out) / f"{SUMMARY}.csv")
    page = _replace(Path(out) / f"{SUMMARY}.html",
                    lambda p: p.write_text(summary_html(frame), encoding="utf-8"))
    return csv, page


# -- the command ---------------------------------------------------------------------------

def findings_line(outcome: Outcome) -> str | None:
    """`temuan (kesalahan/peringatan/catatan): LKIP 27/11/9, TW I 3/1/3`: what each document
    of a built agency-year found, where a bare `ok` would hide it."""
    from ..present import summary

    if not outcome.findings:
        return None
    each = ", ".join(f"{name} {summary.short(counts)}" for name, counts in outcome.findings)
    return f"{summary.short_heading()}: {each}"


def report_lines(outcomes: list[Outcome]) -> list[str]:
    """The closing table in the terminal: one line per agency-year, what its documents found,
    and the failures' first lines."""
    width = max([len("instansi")] + [len(o.agency) for o in outcomes])
    lines = [f"  {'instansi':<{width}}  tahun  status  {'waktu':>9}  {'RSS worker':>10}  "
             f"{'RSS kernel':>10}  triwulan"]
    for o in outcomes:
        lines.append(f"  {o.agency:<{width}}  {o.year:<5}  {o.status:<6}  "
                     f"{_seconds(o.seconds):>9}  {fmt.number(o.rss_mb) + ' MB':>10}  "
                     f"{fmt.number(o.kernel_rss_mb) + ' MB':>10}  "
                     f"{', '.join(o.quarters) or '–'}")
        found = findings_line(o)
        lines.extend(f"      {line}" for line in ([found] if found else []) +
                     o.message.splitlines())
    return lines


def with_errors(outcomes: list[Outcome]) -> list[Outcome]:
    """The agency-years that published a document whose findings hold an error."""
    from ..check.severity import ERROR

    return [o for o in outcomes if any(counts[ERROR] for _, counts in o.findings)]


def main(raw: Path, out: Path, workers: int | None = None, year: str | None = None,
         force: bool = False, wait: int | None = None, strict: bool = False) -> int:
    """`make batch`: 0 when every agency-year was built (a year under way: its quarters), 1
    when any failed, 3 when the cluster had no worker for `wait` seconds; with strict,
    summary.STRICT_EXIT when all were built but a document's findings hold an error."""
    jobs, skipped = discover(raw, out, year, force)
    for message in skipped:
        print(message, file=sys.stderr)
    where = os.environ.get(SCHEDULER_ENV)
    on = f"cluster Dask {where}" if where else f"{workers or DEFAULT_WORKERS} proses"
    agencies = len({j.agency for j in jobs})
    print(f"Membangun {len(jobs)} LKIP dari {agencies} instansi dengan {on}", flush=True)
    started = time.perf_counter()
    try:
        outcomes = run(jobs, workers, wait=wait)
    except cluster.NoWorkers as exc:
        print(exc, file=sys.stderr)
        return 3
    csv, page = write_summary(outcomes, Path(out))
    failed = [o for o in outcomes if o.status == FAILED]
    partial = [o for o in outcomes if o.status == PARTIAL]
    print(f"Selesai dalam {_seconds(time.perf_counter() - started)}:")
    print("\n".join(report_lines(outcomes)))
    print(f"Ringkasan: {csv}")
    print(f"           {page}")
    if skipped:
        print(f"{len(skipped)} entri di {raw} dilewati (lihat pesan di atas).")
    if failed:  # no exit code named: through make the shell gets make's own (2)
        print(f"{len(failed)} dari {len(outcomes)} LKIP gagal dibangun; yang lain selesai.")
        return 1
    if partial:
        print(f"{len(outcomes) - len(partial)} dari {len(outcomes)} LKIP tahunan selesai "
              f"dibangun; "
              f"{len(partial)} tahun berjalan: laporan triwulannya dibangun, LKIP tahunannya "
              "belum (lihat pesan di atas).")
        return 0
    print(f"Semua {len(outcomes)} LKIP selesai dibangun.")
    erroneous = with_errors(outcomes) if strict else []
    if erroneous:
        from ..present.summary import STRICT_EXIT

        names = ", ".join(f"{o.agency} {o.year}" for o in erroneous)
        print(f"STRICT=1: perintah gagal karena temuan verifikasi berisi kesalahan ({names}); "
              "keluaran tetap ditulis.")
        return STRICT_EXIT
    return 0
