"""Run the notebook stages with papermill in this process and publish outputs atomically.

A build writes into a staging folder beside the target and replaces `outputs/<year>/` only
after every stage succeeded, so a failed or interrupted run leaves the previous outputs as
they were.
"""

from __future__ import annotations

import ast
import builtins
import calendar
import contextlib
import errno
import logging
import os
import re
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .. import config, folders
from ..errors import DefectCollector, InputError, parameter
from . import freshness, manifest
from .progress import SILENT, Progress

log = logging.getLogger("lkip")


class StageError(RuntimeError):
    """A notebook cell failed; names the notebook, the cell and the original error, and
    where the executed notebook is kept (once the build moved it there: kept_in)."""

    def __init__(self, message: str, notebook: Path | None = None):
        super().__init__(message)
        self.message, self.notebook = message, notebook

    def __str__(self) -> str:
        if self.notebook is None:
            return self.message
        return f"{self.message}\nNotebook hasil eksekusi disimpan untuk diperiksa: {self.notebook}"

    def __reduce__(self):
        return type(self), (self.message, self.notebook)

    def kept_in(self, folder: Path) -> None:
        if self.notebook is not None:
            self.notebook = folder / self.notebook.name


# errors that say a folder cannot take what the build writes: what it is, and what to do
UNWRITABLE = {
    errno.ENOSPC: ("disk penuh", "kosongkan ruang disk atau pilih folder lain"),
    errno.EDQUOT: ("kuota disk habis", "kosongkan ruang atau minta tambahan kuota"),
    errno.EROFS: ("disk hanya dapat dibaca (read-only)", "pilih folder lain"),
    errno.EACCES: ("tidak ada izin", "periksa izin folder itu atau pilih folder lain"),
}
# every exception class Python raises for an errno: how the kernel names them (ename)
_OS_ERRORS = frozenset(name for name, kind in vars(builtins).items()
                       if isinstance(kind, type) and issubclass(kind, OSError))
_ERRNO = re.compile(r"\[Errno (\d+)\] [^:]*(?:: (.*))?", re.S)


class FolderError(OSError):
    """A folder the build writes (or reads) refused it: a full disk, a quota, a read-only
    disk, no permission. Says which folder, why, and what to do, in one sentence."""

    def __init__(self, code: int, action: str, where: str):
        super().__init__(code, UNWRITABLE[code][0], where)
        self.action, self.where = action, where

    def __str__(self) -> str:
        reason, advice = UNWRITABLE[self.errno]
        return (f"Tidak dapat {self.action} {self.where}: {reason} ({os.strerror(self.errno)})"
                f"; {advice}, lalu jalankan ulang.")

    def __reduce__(self):
        return type(self), (self.errno, self.action, self.where)


def os_failure(exc: BaseException) -> tuple[int, str | None] | None:
    """(errno, file name) of a failure UNWRITABLE lists, raised here or in a notebook stage
    (the kernel's OSError arrives as text: `[Errno 28] No space left on device: 'x'`)."""
    if isinstance(exc, FolderError):
        return None
    if isinstance(exc, OSError):
        return (exc.errno, exc.filename) if exc.errno in UNWRITABLE else None
    cell = exc.__cause__ if isinstance(exc, StageError) else None
    if getattr(cell, "ename", None) not in _OS_ERRORS:
        return None
    found = _ERRNO.fullmatch(str(cell.evalue).strip())
    if found is None or int(found.group(1)) not in UNWRITABLE:
        return None
    return int(found.group(1)), _quoted(found.group(2))


def _quoted(text: str | None) -> str | None:
    """The first file name of an OSError's text (`'a'`, or `'a' -> 'b'`), or None."""
    if not text:
        return None
    try:
        name = ast.literal_eval(text.split(" -> ")[0])
    except (ValueError, SyntaxError):
        return None
    return name if isinstance(name, str) else None


def os_message(exc: OSError) -> str:
    """What `make report` and `make batch` say of an OSError (exit code 4): the folder and
    the reason for one UNWRITABLE lists, else the file and the system's words."""
    failure = os_failure(exc)
    if failure is not None:  # raised outside a build, which would have named the folder
        exc = FolderError(failure[0], "membaca atau menulis", failure[1] or "berkas")
    if isinstance(exc, FolderError):
        return str(exc)
    return f"Tidak dapat membaca atau menulis {exc.filename or 'berkas'}: {exc.strerror or exc}"


class SetupError(RuntimeError):
    """Something this machine lacks (a system library, the Jupyter kernel); says what to do."""


def preflight(kernel: str = config.KERNEL) -> None:
    """Check the kernel before any stage runs; the PDF engine is checked by the kernel's
    warm-up (kernel.WARM), which imports WeasyPrint while the data is checked."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec(kernel)
    except NoSuchKernel:
        raise SetupError(
            f"kernel Jupyter '{kernel}' tidak ditemukan. Pasang ipykernel di lingkungan ini: "
            "`.venv/bin/pip install ipykernel` (make report memasangnya sendiri)"
        ) from None


PANGO_HINT = ("pustaka sistem untuk PDF tidak dapat dimuat ({}). Pasang Pango: "
              "`make system-deps` atau `apt-get install libpango-1.0-0 libpangoft2-1.0-0`")


def _setup_failure(message: str) -> SetupError:
    if "OSError" in message or "cannot load library" in message:
        return SetupError(PANGO_HINT.format(message))
    return SetupError(f"kernel Jupyter tidak siap: {message}")


def year_folders(raw_root: Path) -> list[int]:
    """The years that have a data folder (`data/raw/2024/`), oldest first."""
    raw_root = Path(raw_root)
    if not raw_root.is_dir():
        return []
    return sorted(int(p.name) for p in raw_root.iterdir()
                  if p.is_dir() and config.YEAR_PATTERN.match(p.name))


def _no_raw_root(out: DefectCollector, raw_root: Path) -> None:
    out.add(str(raw_root), "folder data tidak ditemukan", value=str(raw_root),
            expected="folder data (mis. data/raw) berisi satu subfolder per tahun")
    out.raise_if_any()


def latest_year(raw_root: Path) -> int:
    """The latest year folder under raw_root: what `make report` builds without YEAR."""
    raw_root = Path(raw_root)
    out = DefectCollector()
    if not raw_root.is_dir():
        _no_raw_root(out, raw_root)
    years = year_folders(raw_root)
    if not years:
        out.add(str(raw_root), "tidak ada folder data tahun",
                expected=f"satu subfolder per tahun, mis. {raw_root / '2024'}/")
        out.raise_if_any()
    return years[-1]


def check_year(year: str, raw_root: Path) -> int:
    out = DefectCollector()
    text = str(year)
    if not raw_root.is_dir():
        _no_raw_root(out, raw_root)
    if not config.YEAR_PATTERN.match(text):
        raise parameter("YEAR", "tahun laporan tidak sah", text,
                        "tahun empat digit, mis. YEAR=2024")
    if not (raw_root / text).is_dir():
        years = year_folders(raw_root)
        expected = f"salah satu folder tahun yang ada: {', '.join(map(str, years)) or '(kosong)'}"
        earlier = [y for y in years if y < int(text)]
        if earlier:
            expected += (f"; untuk memulai tahun {text} dari data tahun {earlier[-1]}: "
                         f"make workbook YEAR={text} FROM={earlier[-1]}")
            if Path(raw_root).resolve() != config.RAW.resolve():
                expected += f" RAW={raw_root}"
        out.add(str(raw_root / text), "folder data tahun ini tidak ditemukan", value=text,
                expected=expected)
        out.raise_if_any()
    return int(text)


def _strip_volatile(path: Path) -> None:
    """Drop execution timestamps so published notebooks are identical across runs."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    pm = nb.metadata.get("papermill", {})
    for key in ("start_time", "end_time", "duration", "input_path", "output_path"):
        pm.pop(key, None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        cell.metadata.get("papermill", {}).clear()
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell["id"] = "injected-parameters"  # papermill draws a random one
    nbformat.write(nb, path)


def _execute(notebook: Path, output: Path, parameters: dict, kernel=None,
             prelude: str = "") -> None:
    """Run one stage in a worker thread: the main thread stays free for Ctrl-C, which
    nbclient would otherwise take over while a notebook runs (it only stops the kernel)."""
    outcome: dict = {}

    def work() -> None:
        try:
            _run_stage(notebook, output, parameters, kernel, prelude)
        except BaseException as exc:  # noqa: BLE001 - handed to the main thread as it is
            outcome["error"] = exc
        finally:
            _close_thread_loop()

    worker = threading.Thread(target=work, name=f"tahap-{notebook.stem}", daemon=True)
    worker.start()
    while worker.is_alive():
        worker.join(0.2)
    if "error" in outcome:
        raise outcome["error"]


def _close_thread_loop() -> None:
    """The event loop jupyter_client made for this thread dies with it: closed here, not left
    to the garbage collector with its sockets open."""
    import asyncio

    try:
        loop = asyncio.get_event_loop_policy().get_event_loop()
    except RuntimeError:  # this thread never made one
        return
    if not loop.is_running():
        loop.close()
    asyncio.set_event_loop(None)


def _run_stage(notebook: Path, output: Path, parameters: dict, kernel=None,
               prelude: str = "") -> None:
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    from . import engine

    try:
        pm.execute_notebook(str(notebook), str(output), parameters=parameters,
                            kernel_name=config.KERNEL, progress_bar=False,
                            engine_name=engine.ENGINE,
                            km=None if kernel is None else kernel.manager,
                            kc=None if kernel is None else kernel.client, prelude=prelude)
    except OSError as exc:  # papermill writing the executed notebook, which names no file
        if exc.filename is None:
            exc.filename = str(output)
        raise
    except PapermillExecutionError as exc:
        raise StageError(f"{notebook.name}, sel {exc.exec_count}: {exc.ename}: {exc.evalue}",
                         output) from exc
    except (RuntimeError, TimeoutError) as exc:  # nbclient: kernel died or did not answer
        if type(exc).__name__ not in KERNEL_FAILURES:
            raise
        raise StageError(f"{notebook.name}: kernel Jupyter berhenti atau tidak menjawab "
                         f"({type(exc).__name__}); jalankan ulang, atau periksa memori mesin"
                         ) from exc
    _strip_volatile(output)


KERNEL_FAILURES = ("DeadKernelError", "CellTimeoutError", "TimeoutError", "KernelFailure")


def _publish(staging: Path, final: Path) -> None:
    old = None
    if final.exists():
        old = final.with_name(f".old-{final.name}-{os.getpid()}")
        os.replace(final, old)
    os.replace(staging, final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


@contextlib.contextmanager
def _lock(out_root: Path, name):
    """One build per document at a time: the staging folders have fixed names. The lock file
    is removed when the build ends, while it is still held; a build that opened it just
    before finds, once it holds it, that the name leads elsewhere, and takes the lock again."""
    import fcntl

    path = out_root / f".lock-{name}"
    while True:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o666)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(descriptor)
            out = DefectCollector()
            out.add(str(path), "pembangunan laporan tahun ini sedang berjalan",
                    expected="tunggu hingga selesai")
            out.raise_if_any()
        if _same_file(descriptor, path):
            break
        os.close(descriptor)  # removed by the build that held it: lock the name anew
    try:
        yield
    finally:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        os.close(descriptor)


def _same_file(descriptor: int, path: Path) -> bool:
    """Whether path still names the file open as descriptor."""
    try:
        named = os.stat(path, follow_symlinks=False)
    except FileNotFoundError:
        return False
    held = os.fstat(descriptor)
    return (named.st_dev, named.st_ino) == (held.st_dev, held.st_ino)


def _fresh(folder: Path) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


# where each stage finds its folders, relative to the kernel's working folder: the executed
# notebooks then name no location, and are the same wherever the data and outputs live
RAW_LINK, PROCESSED_LINK, OUT_LINK, NOTEBOOKS_LINK = "data", "olahan", "keluaran", "notebooks"
SPACE_PREFIX = "lkip-build-"  # the kernel's private folder, in the temporary folder


class Session:
    """One kernel for every document a command builds (the annual report and its quarters),
    running in a private folder whose links point at the folders of the document being built:
    the parameters then name no location, and the kernel starts and imports once."""

    def __init__(self):
        self.space = Path(tempfile.mkdtemp(prefix=SPACE_PREFIX))
        self.kernel = None

    def link(self, raw_dir: Path, processed: Path, staging: Path, notebooks: Path) -> None:
        shutil.rmtree(self.space / RAW_LINK, ignore_errors=True)
        (self.space / RAW_LINK).mkdir()
        (self.space / RAW_LINK / raw_dir.name).symlink_to(raw_dir, target_is_directory=True)
        for name, target in ((PROCESSED_LINK, processed), (OUT_LINK, staging),
                             (NOTEBOOKS_LINK, notebooks)):
            (self.space / name).unlink(missing_ok=True)
            (self.space / name).symlink_to(target, target_is_directory=True)

    def start(self):
        """The kernel, started on first use; it imports while the caller checks the data."""
        if self.kernel is None:
            from . import kernel as warm

            self.kernel = warm.WarmKernel(self.space, self.space)
        return self.kernel

    def kernel_pid(self) -> int | None:
        """The running kernel's process id (for its memory), or None."""
        if self.kernel is None:
            return None
        return getattr(self.kernel.manager.provisioner, "pid", None)

    def restart(self) -> None:
        """A fresh kernel on next use, in a fresh folder."""
        self.close()
        self.space = Path(tempfile.mkdtemp(prefix=SPACE_PREFIX))

    def close(self) -> None:
        if self.kernel is not None:
            self.kernel.shutdown()
            self.kernel = None
        shutil.rmtree(self.space, ignore_errors=True)

    def abandon(self) -> None:
        """Stop the kernel from a thread other than the one using it (on Ctrl-C): its manager
        belongs to that thread's event loop, but a signal to its process is safe anywhere."""
        pid = self.kernel_pid()
        if pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        if self.kernel is not None:
            self.kernel.remove_sockets()
        shutil.rmtree(self.space, ignore_errors=True)


@contextlib.contextmanager
def session():
    s = Session()
    try:
        yield s
    finally:
        s.close()


def _parameters(year: int, raw_dir: Path, doc) -> dict:
    """The notebook's parameters: the year, the folders it declares, and the document's own."""
    folders = {"raw_dir": f"{RAW_LINK}/{raw_dir.name}", "processed_dir": PROCESSED_LINK,
               "out_dir": OUT_LINK, "notebooks_dir": NOTEBOOKS_LINK}
    return {"year": year, **{k: v for k, v in folders.items() if k in doc.folders},
            **doc.parameters}


def _epoch(ds) -> str:
    """Tools that stamp dates (matplotlib, and any other honouring the convention) use the
    report's signing date, so a rebuild is identical."""
    return _date_epoch(ds["instansi.csv"].iloc[0]["tanggal_penandatanganan"])


def _snapshot(processed: Path, staging: Path) -> dict[str, dict[str, str]]:
    return {freshness.PROCESSED: manifest.tree(processed),
            freshness.OUTPUT: manifest.tree(staging, exclude=(manifest.NAME,))}


def _reuse(record: dict, sources: dict[str, Path], targets: dict[str, Path]) -> None:
    """Copy a skipped stage's outputs from the last build into this one."""
    for kind in (freshness.PROCESSED, freshness.OUTPUT):
        for rel in record.get(kind, {}):
            target = targets[kind] / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(sources[kind] / rel, target)


class Plan:
    """The stages of one build and, for each, whether the last build's outputs still hold."""

    def __init__(self, ctx: freshness.Context, previous: dict, published: dict[str, Path],
                 force: bool, stages: tuple[str, ...] = config.STAGES):
        self.ctx, self.previous, self.published, self.force = ctx, previous, published, force
        self.stages = stages
        self.records: dict[str, dict] = {}
        self.earlier: dict[str, str] = {}

    def digest(self, name: str) -> str:
        return self.ctx.stage_digest(name, self.earlier)

    def reusable(self, name: str) -> dict | None:
        record = self.previous.get(name)
        if self.force or not isinstance(record, dict) or \
                record.get("masukan") != self.digest(name):
            return None
        ok = freshness.intact(record, self.published[freshness.PROCESSED],
                              self.published[freshness.OUTPUT])
        return record if ok else None

    def done(self, name: str, record: dict) -> None:
        self.records[name] = record
        self.earlier.update(freshness.outputs_of(record))

    def first_stale(self) -> str | None:
        """The first stage that must run, from the records alone (no kernel, no pandas); None
        when nothing changed. The stages after it run when what it writes differs."""
        try:
            for name in self.stages:
                record = self.reusable(name)
                if record is None:
                    return name
                self.done(name, record)
            return None
        finally:
            self.records, self.earlier = {}, {}


def _run_stages(plan: Plan, kernel, notebooks: Path, staging: Path, processed: Path,
                params: dict, prelude: str, progress: Progress, title: str = "") -> None:
    sources = plan.published
    targets = {freshness.PROCESSED: processed, freshness.OUTPUT: staging}
    for number, name in enumerate(plan.stages, 1):
        label = f"{title}[{number}/{len(plan.stages)}]"
        digest = plan.digest(name)
        record = plan.reusable(name)
        if record is not None:
            _reuse(record, sources, targets)
            progress.say(f"{label} {name}: dilewati, masukannya sama dengan pembangunan "
                         "terakhir")
            plan.done(name, record)
            continue
        before = _snapshot(processed, staging)
        with progress.step(f"{label} menjalankan {name}"):
            _execute(notebooks / name, staging / "notebooks" / name, params, kernel, prelude)
        after = _snapshot(processed, staging)
        plan.done(name, {"masukan": digest, **{kind: freshness.written(before[kind], after[kind])
                                                for kind in after}})


@dataclass(frozen=True)
class Document:
    """What one build publishes: its folder under OUT (`2024`, `2024-TW2`), the notebooks that
    make it, the parameters they get besides the folders, and the check of the data that runs
    in this process before any stage (it returns the date stamped into the outputs)."""

    name: str
    stages: tuple[str, ...]
    parameters: dict
    check: Callable[[Path, int], str]
    folders: tuple[str, ...] = ("raw_dir", "processed_dir", "out_dir", "notebooks_dir")
    processed: bool = True  # publishes processed tables under data/processed/<name>/


class AnnualDataError(InputError):
    """The annual report's data did not pass its check, before any stage ran: what a year
    under way still needs for its annual report."""


def _annual_check(raw_dir: Path, year: int) -> str:
    from ..read import clean

    try:
        return _epoch(clean.load_raw(raw_dir, year))  # fail fast, with every defect listed
    except InputError as exc:
        raise AnnualDataError(exc.defects) from None


def annual(year: int) -> Document:
    return Document(str(year), config.STAGES, {}, _annual_check)


def _date_epoch(day) -> str:
    return str(calendar.timegm(day.timetuple()))


def quarter(year: int, triwulan) -> Document:
    """A quarter's report (Laporan Kinerja Triwulan): its own notebook into `<year>-TW<n>/`.
    triwulan: I-IV or 1-4; anything else is an InputError that says what is accepted."""
    from ..read.triwulan import number, parse_triwulan

    tw = parse_triwulan(triwulan)

    def check(raw_dir: Path, year_: int) -> str:
        from ..compute import quarterly

        return _date_epoch(quarterly.load(raw_dir, year_, tw).dated())

    return Document(config.quarter_folder(year, number(tw)),
                    (config.QUARTER_NOTEBOOK,), {"triwulan": tw}, check,
                    folders=("raw_dir", "out_dir", "notebooks_dir"), processed=False)


def build_quarter(year: str, triwulan, raw_root: Path = config.RAW,
                  out_root: Path = config.OUTPUTS, processed_root: Path = config.PROCESSED,
                  notebooks: Path = config.NOTEBOOKS, force: bool = False,
                  progress: Progress = SILENT, shared: Session | None = None) -> Path:
    """Build outputs/<year>-TW<n>/ from raw_root/<year>/; returns the published folder."""
    y = check_year(year, Path(raw_root).resolve())
    return publish(quarter(y, triwulan), y, raw_root, out_root, processed_root, notebooks,
                   force, progress, shared)


def _quarters_in(path: Path) -> set[str]:
    """The quarters a quarterly CSV has rows for, read with the csv module: deciding which
    quarterly reports to build must not cost a `make report` with nothing to do its speed."""
    import csv

    from ..read.schema import TRIWULAN

    if not path.is_file() or path.is_symlink():
        return set()
    with open(path, encoding="utf-8-sig", newline="") as handle:
        found = set()
        for row in csv.DictReader(handle):
            text = (row.get("triwulan") or "").strip().upper()
            found.add(TRIWULAN[int(text) - 1] if text in ("1", "2", "3", "4") else text)
    return found & set(TRIWULAN)


@dataclass
class YearBuilt:
    """What `make report` published: the annual report, and each quarter's report or the
    error that stopped it. A year under way (under_way) has its quarters' reports and no
    annual report yet (annual None): waiting holds what the annual report still needs."""

    annual: Path | None
    quarters: list[tuple[str, Path | BaseException]]
    waiting: InputError | None = None


def waiting_line(year, built: YearBuilt) -> str:
    """What a year under way says of its annual report, in one line."""
    last = built.quarters[-1][0] if built.quarters else "–"
    return (f"LKIP {year} belum dibangun: tahun berjalan, data triwulan baru sampai TW {last}; "
            f"laporan tahunan masih memerlukan {len(built.waiting.defects)} hal")


def under_way(year: str, raw_root: Path) -> list[str]:
    """The quarters with data of a year that is not over: some quarter has data, TW IV has
    not yet. Such a year's annual report cannot be complete; its quarters' reports can."""
    from ..read.schema import TRIWULAN

    try:
        quarters = quarters_with_data(year, raw_root)
    except InputError:
        return []
    return quarters if quarters and TRIWULAN[-1] not in quarters else []


def _quarters(year: str, quarters: list[str], where: tuple, force: bool, progress: Progress,
              shared: Session | None) -> list[tuple[str, Path | BaseException]]:
    """Each quarter's report, or the error that stopped it (reported with the others)."""
    done: list[tuple[str, Path | BaseException]] = []
    for tw in quarters:
        try:
            done.append((tw, build_quarter(year, tw, *where, force=force, progress=progress,
                                           shared=shared)))
        except Exception as exc:  # noqa: BLE001 - reported with the others, after
            done.append((tw, exc))
    return done


def build_year(year: str, raw_root: Path = config.RAW, out_root: Path = config.OUTPUTS,
               processed_root: Path = config.PROCESSED, notebooks: Path = config.NOTEBOOKS,
               force: bool = False, progress: Progress = SILENT,
               beside: Progress = SILENT, shared: Session | None = None) -> YearBuilt:
    """The annual report and the report of every quarter with data. A year under way whose
    annual data is not complete yet (InputError) still gets the reports of its quarters,
    and the defects as what the annual report still needs; any other year's bad data stops
    the command before anything is built, as it always did."""
    where = (raw_root, out_root, processed_root, notebooks)
    try:
        return _annual_and_quarters(year, where, force, progress, beside, shared)
    except AnnualDataError as needs:
        quarters = under_way(year, raw_root)
        if not quarters:
            raise
        if shared is not None:
            done = _quarters(year, quarters, where, force, progress, shared)
        else:
            with session() as own:
                done = _quarters(year, quarters, where, force, progress, own)
        return YearBuilt(None, done, needs)


def _annual_and_quarters(year: str, where: tuple, force: bool, progress: Progress,
                         beside: Progress, shared: Session | None) -> YearBuilt:
    """With two cores the quarters are built in a second kernel beside the annual stages
    (each document's outputs are the same either way); with one, or in a given session (a
    batch worker's: the workers are the parallelism), after them in the same kernel."""
    raw_root = where[0]
    done: list[tuple[str, Path | BaseException]] = []

    def build_quarters(shared: Session, said: Progress) -> None:
        # asked once the annual data passed its check, so a bad folder is reported once
        done.extend(_quarters(year, quarters_with_data(year, raw_root), where, force, said,
                              shared))

    def build_quarters_beside(shared: Session, said: Progress) -> None:
        try:
            build_quarters(shared, said)
        finally:
            shared.close()  # its kernel is this thread's: stopped here, with its loop
            _close_thread_loop()

    if shared is not None:
        annual_folder = build(year, *where, force=force, progress=progress, shared=shared)
        build_quarters(shared, progress)
        return YearBuilt(annual_folder, done)
    if config.cores() > 1:
        with session() as own:
            # the quarters start once the year's data passed its check: bad data stops the
            # command before anything is built, as it always did; their thread closes its
            # own session (its kernel's manager is that thread's)
            second = Session()
            worker = threading.Thread(target=build_quarters_beside, args=(second, beside),
                                      name="triwulan", daemon=True)

            def start() -> None:
                if worker.ident is None:
                    worker.start()

            try:
                annual_folder = build(year, *where, force=force, progress=progress, shared=own,
                                      checked=start)
                start()  # the annual report is built, so its data is good
            except KeyboardInterrupt:
                second.abandon()  # outputs stay as they were; a half-built quarter is left
                raise             # in its staging folder, which the next build clears
            except BaseException:
                if worker.ident is None:
                    second.close()
                else:
                    worker.join()  # a quarter being published is finished, not cut off
                raise
            _join(worker, second)
        return YearBuilt(annual_folder, done)
    with session() as shared:
        annual_folder = build(year, *where, force=force, progress=progress, shared=shared)
        build_quarters(shared, progress)
    return YearBuilt(annual_folder, done)


def _join(worker: threading.Thread, second: Session) -> None:
    """Wait for the quarters' thread in short steps, so that Ctrl-C is taken at once."""
    try:
        while worker.is_alive():
            worker.join(0.2)
    except KeyboardInterrupt:
        second.abandon()
        raise


def quarters_with_data(year: str, raw_root: Path = config.RAW) -> list[str]:
    """The quarters with rows in a quarterly table: their reports are built beside the
    annual one, each from the quarterly data it has."""
    return list(quarter_parts(year, raw_root))


def quarter_parts(year: str, raw_root: Path = config.RAW) -> dict[str, list[str]]:
    """Each quarter with data and the quarterly tables that have its rows. A workbook is read
    in full; CSV files only for their triwulan column."""
    from ..read import inputs, triwulan

    y = check_year(year, Path(raw_root).resolve())
    raw_dir = Path(raw_root).resolve() / str(y)
    if inputs.workbooks(raw_dir):
        from ..compute import quarterly

        return quarterly.parts_with_data(raw_dir, y)
    return triwulan.by_quarter({file: _quarters_in(raw_dir / file) for file in triwulan.PARTS})


def quarters_missing(year: str, raw_root: Path = config.RAW) -> dict[str, str]:
    """What each quarterly report `make report` builds leaves out, in a sentence, by quarter
    (only the quarters that leave something out)."""
    from ..read import triwulan

    return {tw: triwulan.missing_note(tw, [f for f in triwulan.PARTS if f not in have])
            for tw, have in quarter_parts(year, raw_root).items()
            if len(have) < len(triwulan.PARTS)}


def build(year: str, raw_root: Path = config.RAW, out_root: Path = config.OUTPUTS,
          processed_root: Path = config.PROCESSED, notebooks: Path = config.NOTEBOOKS,
          force: bool = False, progress: Progress = SILENT, shared: Session | None = None,
          checked: Callable[[], None] = lambda: None) -> Path:
    """Build outputs/<year>/ from raw_root/<year>/; returns the published folder."""
    y = check_year(year, Path(raw_root).resolve())
    return publish(annual(y), y, raw_root, out_root, processed_root, notebooks, force, progress,
                   shared, checked)


def publish(doc: Document, year: int, raw_root: Path, out_root: Path, processed_root: Path,
            notebooks: Path, force: bool = False, progress: Progress = SILENT,
            shared: Session | None = None, checked: Callable[[], None] = lambda: None) -> Path:
    """Build one document from raw_root/<year>/ into out_root/<doc.name>/, atomically.

    A stage whose inputs hash the same as at the last build is not run again: its outputs are
    taken over (force=True runs every stage). The notebooks run in one kernel that starts
    while the data is checked, in a private folder whose links make the parameters the same
    wherever the data and the outputs live, so every output is the same on rebuild.
    A full disk, a quota, a read-only disk or a missing permission, here or in a stage, is a
    FolderError naming the folder (the previous outputs stay as they were).
    """
    raw_root, out_root = Path(raw_root).resolve(), Path(out_root).resolve()
    processed_root, notebooks = Path(processed_root).resolve(), Path(notebooks).resolve()
    try:
        with progress.document():  # one line per document on a terminal
            return _build_document(doc, year, raw_root, out_root, processed_root, notebooks,
                                   force, progress, shared, checked)
    except Exception as exc:
        failure = os_failure(exc)
        if failure is None:
            raise
        raise _Folders(doc, raw_root / str(year), out_root, processed_root, notebooks
                       ).error(*failure) from exc


class _Folders:
    """The folders one build reads and writes, to name the one a failure is about: the file
    names a stage reports are in its kernel's folder (RAW_LINK, OUT_LINK, ...)."""

    def __init__(self, doc: Document, raw_dir: Path, out_root: Path, processed_root: Path,
                 notebooks: Path):
        temp = Path(tempfile.gettempdir()).resolve()
        processed = ("folder data olahan", processed_root) if doc.processed else \
            ("folder sementara", temp)
        self.raw_dir, self.temp = raw_dir, temp
        self.links = {OUT_LINK: out_root, PROCESSED_LINK: processed[1],
                      RAW_LINK: raw_dir.parent, NOTEBOOKS_LINK: notebooks}
        self.named = [("folder keluaran", out_root), processed,
                      ("folder notebook", notebooks), ("folder sementara", temp)]
        # what a failure that names no file may be about: the output folder, and the
        # processed one when it lies on another disk
        self.written = [("folder keluaran", out_root)]
        if doc.processed and _device(processed_root) != _device(out_root):
            self.written.append(processed)

    def real(self, name: str) -> Path:
        """A file name as the build or its kernel gave it, as a path on this machine."""
        path = Path(name)
        if path.is_absolute() and path.is_relative_to(self.temp):
            inside = path.relative_to(self.temp).parts
            if len(inside) > 1 and inside[0].startswith(SPACE_PREFIX):
                path = Path(*inside[1:])  # the kernel's folder, named in full
        if path.is_absolute():
            return path
        if path.parts and path.parts[0] in self.links:
            return self.links[path.parts[0]].joinpath(*path.parts[1:])
        return self.temp / path  # elsewhere in the kernel's own folder

    def place(self, path: Path) -> tuple[str, Path]:
        """The named folder holding path (the innermost), or the folder path is in."""
        holding = [(role, folder) for role, folder in self.named
                   if path == folder or path.is_relative_to(folder)]
        if not holding:
            return "folder", path.parent
        return max(holding, key=lambda hit: len(hit[1].parts))

    def error(self, code: int, name: str | None) -> FolderError:
        if name is None:
            places = _suspects(code, self.written)
        else:
            path = self.real(name)
            if path.is_relative_to(self.raw_dir):  # a data file that cannot be read
                return FolderError(code, "membaca", str(path))
            places = [self.place(path)]
        return FolderError(code, "menulis ke", " atau ".join(f"{role} {folder}"
                                                            for role, folder in places))


def _free(folder: Path) -> int:
    try:
        found = os.statvfs(folder)
    except OSError:
        return 0
    return found.f_bavail * found.f_frsize


def _read_only(folder: Path) -> bool:
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        return False


# of the folders a failure without a file name may be about, those it is: the fullest disk,
# the read-only one, the one not writable (all of them when none stands out)
SUSPECTS = {
    errno.ENOSPC: lambda places: [min(places, key=lambda place: _free(place[1]))],
    errno.EDQUOT: lambda places: [min(places, key=lambda place: _free(place[1]))],
    errno.EROFS: lambda places: [p for p in places if _read_only(p[1])],
    errno.EACCES: lambda places: [p for p in places if not os.access(p[1], os.W_OK)],
}


def _suspects(code: int, places: list[tuple[str, Path]]) -> list[tuple[str, Path]]:
    if len(places) == 1:
        return places
    return SUSPECTS[code](places) or places


def _device(folder: Path) -> int | None:
    try:
        return folder.stat().st_dev
    except OSError:
        return None


def _build_document(doc: Document, year: int, raw_root: Path, out_root: Path,
                    processed_root: Path, notebooks: Path, force: bool, progress: Progress,
                    shared: Session | None, checked: Callable[[], None]) -> Path:
    """publish, with its folders resolved."""
    raw_dir = raw_root / str(year)
    # the year's folder too: a link there may lead into the output folder
    folders.check_apart([raw_root, raw_dir], {folders.OUT: out_root,
                                             folders.PROCESSED: processed_root})
    out_root.mkdir(parents=True, exist_ok=True)
    if doc.processed:
        processed_root.mkdir(parents=True, exist_ok=True)
    published = {freshness.PROCESSED: processed_root / doc.name,
                 freshness.OUTPUT: out_root / doc.name}
    # one build per document per output folder and per processed folder: a second build that
    # shares either is refused, never mixed into the first
    with _lock(out_root, doc.name), \
            (_lock(processed_root, doc.name) if doc.processed else contextlib.nullcontext()):
        ctx = freshness.context(year, raw_dir, notebooks, doc.parameters)
        previous = freshness.previous_records(published[freshness.OUTPUT])
        plan = Plan(ctx, previous, published, force, doc.stages)
        if plan.first_stale() is None:
            progress.say(f"Tidak ada yang berubah sejak pembangunan terakhir: "
                         f"{published[freshness.OUTPUT]} tetap (FORCE=1 membangun ulang).")
            checked()  # the data is what the last good build read
            return published[freshness.OUTPUT]
        preflight()
        staging = out_root / f".build-{doc.name}"
        failed = out_root / f".failed-{doc.name}"
        own = shared is None
        processed = current = None  # made in the try: a full disk leaves nothing behind
        try:
            from . import kernel as warm

            (_fresh(staging) / "notebooks").mkdir()
            # a document without processed tables still gives its kernel an empty, private
            # folder
            processed = _fresh(processed_root / f".build-{doc.name}") if doc.processed else \
                Path(tempfile.mkdtemp(prefix="lkip-olahan-"))
            current = Session() if own else shared
            current.link(raw_dir, processed, staging, notebooks)
            kernel = current.start()  # starts and imports while the data is read
            epoch = doc.check(raw_dir, year)
            checked()  # what waits for good data (the quarters beside the annual) may start
            title = "" if doc.processed else f"{doc.name} "
            if not kernel.warmed:
                with progress.step(f"{title}menyiapkan kernel Jupyter"):
                    try:
                        kernel.ready()
                    except warm.KernelFailure as exc:
                        raise _setup_failure(str(exc)) from None
            prelude = warm.fresh_namespace({"SOURCE_DATE_EPOCH": epoch})
            _run_stages(plan, kernel, notebooks, staging, processed,
                        _parameters(year, raw_dir, doc), prelude, progress, title)
            base = manifest.base(year, raw_dir, processed, notebooks)
            full = manifest.complete(base, staging)
            full[freshness.RECORDS] = plan.records
            manifest.write(full, staging / manifest.NAME)
            if doc.processed:
                _publish(processed, published[freshness.PROCESSED])
            _publish(staging, published[freshness.OUTPUT])
            shutil.rmtree(failed, ignore_errors=True)
        except BaseException as exc:
            if processed is not None:
                shutil.rmtree(processed, ignore_errors=True)
            # the notebooks that ran are kept to be looked at, unless the disk is what failed
            if (staging / "notebooks").is_dir() and any((staging / "notebooks").iterdir()) \
                    and os_failure(exc) is None:
                shutil.rmtree(failed, ignore_errors=True)
                shutil.move(str(staging / "notebooks"), str(failed))
                if isinstance(exc, StageError):
                    exc.kept_in(failed)
            shutil.rmtree(staging, ignore_errors=True)
            # a kernel that failed a stage is not trusted with the next document; bad data
            # stopped the build before any stage ran in it
            if not own and not isinstance(exc, InputError):
                shared.restart()
            raise
        finally:
            if own and current is not None:
                current.close()
            if not doc.processed and processed is not None:
                shutil.rmtree(processed, ignore_errors=True)
    return published[freshness.OUTPUT]


__all__ = ["build", "build_quarter", "check_year", "latest_year", "StageError", "InputError",
           "FolderError"]
