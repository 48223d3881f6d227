"""Run the notebook stages with papermill in this process and publish outputs atomically.

A build writes into a staging folder beside the target and replaces `outputs/<year>/` only
after every stage succeeded, so a failed or interrupted run leaves the previous outputs as
they were.
"""

from __future__ import annotations

import calendar
import contextlib
import logging
import os
import shutil
import tempfile
import threading
from pathlib import Path

from . import clean, config, manifest
from .errors import DefectCollector, InputError

log = logging.getLogger("lkip")


class StageError(RuntimeError):
    """A notebook cell failed; names the notebook, the cell and the original error."""


class SetupError(RuntimeError):
    """Something this machine lacks (a system library, the Jupyter kernel); says what to do."""


def preflight(kernel: str = config.KERNEL) -> None:
    """Check the PDF engine and the kernel before any stage runs."""
    try:
        import weasyprint  # noqa: F401  (loads Pango through cffi)
    except OSError as exc:
        raise SetupError(
            f"pustaka sistem untuk PDF tidak dapat dimuat ({exc}). Pasang Pango: "
            "`make system-deps` atau `apt-get install libpango-1.0-0 libpangoft2-1.0-0`"
        ) from None
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec(kernel)
    except NoSuchKernel:
        raise SetupError(
            f"kernel Jupyter '{kernel}' tidak ditemukan. Pasang ipykernel di lingkungan ini: "
            "`.venv/bin/pip install ipykernel` (make report memasangnya sendiri)"
        ) from None


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
        out.add("YEAR", "tahun laporan tidak sah", value=text,
                expected="tahun empat digit, mis. YEAR=2024")
        out.raise_if_any()
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


def _kernel_config(socket_dir: str):
    from traitlets.config import Config

    # IPC sockets in a private temp folder: no TCP ports, no warning about them
    return Config({"KernelManager": {"transport": "ipc", "ip": str(Path(socket_dir) / "k")}})


def _execute(notebook: Path, output: Path, parameters: dict) -> None:
    """Run one stage in a worker thread: the main thread stays free for Ctrl-C, which
    nbclient would otherwise take over while a notebook runs (it only stops the kernel)."""
    outcome: dict = {}

    def work() -> None:
        try:
            _run_stage(notebook, output, parameters)
        except BaseException as exc:  # noqa: BLE001 - handed to the main thread as it is
            outcome["error"] = exc

    worker = threading.Thread(target=work, name=f"tahap-{notebook.stem}", daemon=True)
    worker.start()
    while worker.is_alive():
        worker.join(0.2)
    if "error" in outcome:
        raise outcome["error"]


def _run_stage(notebook: Path, output: Path, parameters: dict) -> None:
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    try:
        with tempfile.TemporaryDirectory(prefix="lkip-kernel-") as sockets:
            pm.execute_notebook(str(notebook), str(output), parameters=parameters,
                                kernel_name=config.KERNEL, progress_bar=False,
                                cwd=str(notebook.parent), shutdown_kernel="immediate",
                                config=_kernel_config(sockets))
    except PapermillExecutionError as exc:
        raise StageError(f"{notebook.name}, sel {exc.exec_count}: {exc.ename}: {exc.evalue}\n"
                         f"Notebook hasil eksekusi disimpan untuk diperiksa: {output}") from exc
    except (RuntimeError, TimeoutError) as exc:  # nbclient: kernel died or did not answer
        if type(exc).__name__ not in KERNEL_FAILURES:
            raise
        raise StageError(f"{notebook.name}: kernel Jupyter berhenti atau tidak menjawab "
                         f"({type(exc).__name__}); jalankan ulang, atau periksa memori mesin"
                         ) from exc
    _strip_volatile(output)


KERNEL_FAILURES = ("DeadKernelError", "CellTimeoutError", "TimeoutError")


def _publish(staging: Path, final: Path) -> None:
    old = None
    if final.exists():
        old = final.with_name(f".old-{final.name}-{os.getpid()}")
        os.replace(final, old)
    os.replace(staging, final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


@contextlib.contextmanager
def _lock(out_root: Path, year: int):
    """One build per year at a time: the staging folders have fixed names."""
    import fcntl

    path = out_root / f".lock-{year}"
    with open(path, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            out = DefectCollector()
            out.add(str(path), "pembangunan laporan tahun ini sedang berjalan",
                    expected="tunggu hingga selesai")
            out.raise_if_any()
        yield


def _outside_data(raw_root: Path, *written: Path) -> None:
    """What a build writes never goes inside the data it reads."""
    for folder in written:
        if folder == raw_root or folder.is_relative_to(raw_root):
            out = DefectCollector()
            out.add(str(folder), "folder keluaran berada di dalam folder data",
                    expected=f"folder di luar {raw_root}")
            out.raise_if_any()


def _fresh(folder: Path) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def build(year: str, raw_root: Path = config.RAW, out_root: Path = config.OUTPUTS,
          processed_root: Path = config.PROCESSED,
          notebooks: Path = config.NOTEBOOKS) -> Path:
    """Build outputs/<year>/ from raw_root/<year>/; returns the published folder.

    Staging folders have fixed names and the notebooks get paths relative to their own
    folder, so the published notebooks, like every other output, are the same on rebuild.
    """
    raw_root, out_root = Path(raw_root).resolve(), Path(out_root).resolve()
    processed_root, notebooks = Path(processed_root).resolve(), Path(notebooks).resolve()
    y = check_year(year, raw_root)
    raw_dir = raw_root / str(y)
    _outside_data(raw_root, out_root, processed_root)
    ds = clean.load_raw(raw_dir, y)  # fail fast, in-process, with every defect listed
    preflight()
    signed = ds["instansi.csv"].iloc[0]["tanggal_penandatanganan"]
    # tools that stamp dates (matplotlib, and any other honouring the convention) use the
    # report's signing date, so a rebuild is identical
    os.environ["SOURCE_DATE_EPOCH"] = str(calendar.timegm(signed.timetuple()))
    out_root.mkdir(parents=True, exist_ok=True)
    processed_root.mkdir(parents=True, exist_ok=True)
    # one build per year per output folder and per processed folder: a second build that
    # shares either is refused, never mixed into the first
    with _lock(out_root, y), _lock(processed_root, y):
        staging = _fresh(out_root / f".build-{y}")
        processed = _fresh(processed_root / f".build-{y}")
        failed = out_root / f".failed-{y}"
        try:
            (staging / "notebooks").mkdir()

            def rel(path: Path) -> str:
                return os.path.relpath(path, notebooks)

            params = {"year": y, "raw_dir": rel(raw_dir), "processed_dir": rel(processed),
                      "out_dir": rel(staging), "notebooks_dir": "."}
            for name in config.STAGES:
                log.info("menjalankan %s", name)
                _execute(notebooks / name, staging / "notebooks" / name, params)
            base = manifest.base(y, raw_dir, processed, notebooks)
            manifest.write(manifest.complete(base, staging), staging / manifest.NAME)
            _publish(processed, processed_root / str(y))
            _publish(staging, out_root / str(y))
            shutil.rmtree(failed, ignore_errors=True)
        except BaseException:
            shutil.rmtree(processed, ignore_errors=True)
            if (staging / "notebooks").is_dir():
                shutil.rmtree(failed, ignore_errors=True)
                shutil.move(str(staging / "notebooks"), str(failed))
            shutil.rmtree(staging, ignore_errors=True)
            raise
    return out_root / str(y)


__all__ = ["build", "check_year", "latest_year", "StageError", "InputError"]
